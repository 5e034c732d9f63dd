"""meetergo's documented errors (developer.meetergo.com "Error handling" and "Cancel an appointment").

`code` is the NestJS `error` field (the HTTP reason phrase); `message` the exact text. The error
page gives four bodies verbatim and lists the statuses 403, 404, 406, 429, 500, 502 and 503 without
bodies: those rows carry no code or message. Rows marked `inferred` are the mock's wording for
situations the documents describe without a body (see `x-inferred` in specs/meetergo.yaml).
"""

from __future__ import annotations

from tests.documented import DocumentedError

CANCEL = "cancelAppointment"
GET = "getAppointment"
MISSING_USER_ID = "Missing required header 'x-meetergo-api-user-id' for API key authentication"
PAT_WITH_USER_ID = (
    "The 'x-meetergo-api-user-id' header is not allowed with personal access token authentication"
)

ERRORS: list[DocumentedError] = [
    # documented bodies, verbatim
    DocumentedError(CANCEL, 400, "Bad Request", "Validation failed"),
    DocumentedError(CANCEL, 401, "Unauthorized", "Missing authorization header"),
    DocumentedError(CANCEL, 401, "Unauthorized", "Invalid API key"),
    DocumentedError(CANCEL, 401, "Unauthorized", "API key has expired"),
    DocumentedError(CANCEL, 400, "Bad Request", MISSING_USER_ID),
    DocumentedError(GET, 401, "Unauthorized", "Missing authorization header"),
    DocumentedError(GET, 401, "Unauthorized", "Invalid API key"),
    DocumentedError(GET, 401, "Unauthorized", "API key has expired"),
    DocumentedError(GET, 400, "Bad Request", MISSING_USER_ID),
    # documented statuses without a documented body
    DocumentedError(CANCEL, 403, None, None),
    DocumentedError(CANCEL, 404, None, None),
    DocumentedError(CANCEL, 406, None, None),
    DocumentedError(CANCEL, 429, None, None),
    DocumentedError(CANCEL, 500, None, None),
    DocumentedError(CANCEL, 502, None, None),
    DocumentedError(CANCEL, 503, None, None),
    # the documented 400 for a group booking without attendeeId or cancelAll (wording inferred)
    DocumentedError(
        CANCEL,
        400,
        "Bad Request",
        "For group bookings, provide attendeeId to remove one attendee or set cancelAll to true",
        inferred=True,
    ),
    # inferred bodies
    DocumentedError(CANCEL, 400, "Bad Request", "Appointment is already cancelled", inferred=True),
    DocumentedError(CANCEL, 400, "Bad Request", PAT_WITH_USER_ID, inferred=True),
    DocumentedError(CANCEL, 403, "Forbidden", "Forbidden resource", inferred=True),
    DocumentedError(CANCEL, 404, "Not Found", "Appointment not found", inferred=True),
    DocumentedError(CANCEL, 404, "Not Found", "Attendee not found", inferred=True),
    DocumentedError(CANCEL, 406, "Not Acceptable", "Not Acceptable", inferred=True),
    DocumentedError(CANCEL, 413, "Payload Too Large", "request entity too large", inferred=True),
    DocumentedError(CANCEL, 415, "Unsupported Media Type", "Unsupported Media Type", inferred=True),
    DocumentedError(CANCEL, 429, "Too Many Requests", "ThrottlerException: Too Many Requests", inferred=True),
    DocumentedError(CANCEL, 500, None, "Internal server error", inferred=True),
    DocumentedError(CANCEL, 502, "Bad Gateway", "Bad Gateway", inferred=True),
    DocumentedError(CANCEL, 503, "Service Unavailable", "Service Unavailable", inferred=True),
    DocumentedError(GET, 400, "Bad Request", PAT_WITH_USER_ID, inferred=True),
    DocumentedError(GET, 403, "Forbidden", "Forbidden resource", inferred=True),
    DocumentedError(GET, 404, "Not Found", "Appointment not found", inferred=True),
]
