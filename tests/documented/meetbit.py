"""Meetbit's documented errors (copied from meetbit.mintlify.app: api-reference/events/cancel-event,
basics/responses, basics/auth, basics/rate-limiting). Meetbit has no error codes: text/plain
errors are the whole body; 400 is Laravel's `{"message", "errors"}`.

Rows marked `inferred=True` are not in the vendor document (see `x-inferred` in specs/meetbit.yaml).
"""

from __future__ import annotations

from tests.documented import DocumentedError

TEXT = "text/plain"
JSON = "application/json"

_COMMON = [
    # The auth page's wording (the mock sends this one) …
    (401, "Invalid or missing access key.", TEXT, False),
    # … and the responses page's rendering of the same error.
    (401, "Invalid or missing access keys.", TEXT, False),
    (401, "Access Denied.", TEXT, False),
    (404, "Resource object does not exist.", TEXT, False),
    (429, "Too many requests.", TEXT, False),
    # The 500 response is documented without a body.
    (500, "Server Error.", TEXT, True),
]

_CANCEL_ONLY = [
    # The responses page's example (fields of another endpoint), verbatim.
    (
        400,
        "The first_name field must not be greater than 255 characters. (and 1 more error)",
        JSON,
        False,
    ),
    (400, "The cancel_note field is required.", JSON, True),
    (400, "The cancel_note field must not be greater than 255 characters.", JSON, True),
    (400, "The cancel_note field must be a string.", JSON, True),
    (413, "Content Too Large.", TEXT, True),
]

ERRORS: list[DocumentedError] = [
    DocumentedError("cancelEvent", status, None, message, content_type, inferred)
    for status, message, content_type, inferred in [*_COMMON, *_CANCEL_ONLY]
] + [
    DocumentedError("getEvent", status, None, message, content_type, inferred)
    for status, message, content_type, inferred in _COMMON
]
