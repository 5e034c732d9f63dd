"""Zoho CRM "Meeting Cancel API": the vendor document's list of possible errors (copied, not read).

Source: vendor-docs/zoho-crm-meeting-cancel.txt ("Possible Errors"). INVALID_TOKEN is not in the
document; it is Zoho's usual answer to a missing or bad token and marked inferred. So is
TOO_MANY_REQUESTS, Zoho's answer to an exceeded API or concurrency limit (message inferred).
"""

from __future__ import annotations

from tests.documented import DocumentedError

_OP = "cancelMeeting"

ERRORS: list[DocumentedError] = [
    DocumentedError(_OP, 400, "INVALID_REQUEST_METHOD", "The http request method type is not a valid one"),
    DocumentedError(_OP, 400, "INVALID_DATA", "The id given seems to be invalid"),
    DocumentedError(_OP, 400, "MANDATORY_NOT_FOUND", "Required field not found"),
    DocumentedError(_OP, 400, "NOT_ALLOWED", "The event is already cancelled"),
    DocumentedError(_OP, 400, "NOT_ALLOWED", "You cannot cancel the event without inviting participants"),
    DocumentedError(_OP, 400, "NOT_ALLOWED", "You cannot cancel the meeting after the meeting end time"),
    DocumentedError(_OP, 400, "CANNOT_PERFORM_ACTION", "no permission to perform an action on this record"),
    DocumentedError(_OP, 400, "NO_PERMISSION", "permission denied"),
    DocumentedError(_OP, 400, "DAILY_LIMIT_EXCEEDED", "Daily limit reached"),
    DocumentedError(_OP, 401, "OAUTH_SCOPE_MISMATCH", "Unauthorized"),
    DocumentedError(
        _OP, 404, "INVALID_URL_PATTERN", "Please check if the URL trying to access is a correct one"
    ),
    DocumentedError(_OP, 500, "INTERNAL_ERROR", "Internal Server Error"),
    DocumentedError(_OP, 401, "INVALID_TOKEN", "invalid oauth token", inferred=True),
    # Not in the document either: Zoho's rate-limit answer, for fault injection (issue #6).
    DocumentedError(_OP, 429, "TOO_MANY_REQUESTS", "too many requests", inferred=True),
]
