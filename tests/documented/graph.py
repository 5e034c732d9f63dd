"""Microsoft Graph `event: cancel`: the errors of the vendor document, plus the inferred ones the mock
serves (marked `inferred=True`).

Copied from the vendor document (learn.microsoft.com/graph/api/event-cancel, ms.date 06/21/2024):
"An attendee calling this action gets an error (HTTP 400 Bad Request), with the following error
message: "Your request can't be completed. You need to be an organizer to cancel a meeting.""
The document gives no error code for it, so that row has `code=None` (the spec's example carries an
inferred code). Every other row is inferred: 404 ErrorItemNotFound after a cancel was reported for
the live service in microsoftgraph/microsoft-graph-docs#1332; the rest is Graph/OData framework
behaviour.

The ten path forms share one set of responses, so every row holds for each cancel operation.
"""

from __future__ import annotations

from tests.documented import DocumentedError

CANCEL_OPERATIONS = (
    "me.events.cancel",
    "users.events.cancel",
    "groups.events.cancel",
    "me.calendar.events.cancel",
    "users.calendar.events.cancel",
    "groups.calendar.events.cancel",
    "me.calendars.events.cancel",
    "users.calendars.events.cancel",
    "me.calendarGroups.calendars.events.cancel",
    "users.calendarGroups.calendars.events.cancel",
)

NOT_ORGANIZER = "Your request can't be completed. You need to be an organizer to cancel a meeting."

# (status, code, message, inferred)
_CANCEL_ERRORS: tuple[tuple[int, str | None, str, bool], ...] = (
    (400, None, NOT_ORGANIZER, False),
    (
        400,
        "RequestBodyRead",
        "The parameter 'reason' in the request payload is not a valid parameter for the operation 'cancel'.",
        True,
    ),
    (
        400,
        "BadRequest",
        "Unable to read JSON request payload. Please ensure Content-Type header is set "
        "and payload is of valid JSON format.",
        True,
    ),
    (401, "InvalidAuthenticationToken", "Access token is empty.", True),
    (401, "InvalidAuthenticationToken", "Lifetime validation failed, the token is expired.", True),
    (403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.", True),
    (404, "ErrorItemNotFound", "The specified object was not found in the store.", True),
    (429, "ApplicationThrottled", "Application is over its MailboxConcurrency limit.", True),
    (500, "generalException", "General exception while processing.", True),
    (503, "ServiceNotAvailable", "The service is temporarily unavailable. Please try again later.", True),
)

ERRORS: list[DocumentedError] = [
    DocumentedError(operation, status, code, message, "application/json", inferred)
    for operation in CANCEL_OPERATIONS
    for status, code, message, inferred in _CANCEL_ERRORS
]
