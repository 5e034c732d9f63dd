"""Forced errors (issue #6): `fault(name, call, throttle)` → the Zoho error a rule would send.

`name` is matched case-insensitively, first against the spec's example names of the operation's
error responses (`NOT_ALLOWED_already_cancelled`), then against Zoho's `code` (the first documented
example with it: NOT_ALLOWED → NOT_ALLOWED_already_cancelled, INVALID_DATA → INVALID_DATA_id,
MANDATORY_NOT_FOUND → MANDATORY_NOT_FOUND, the record-level one), then against an HTTP status (the
first documented error with it: "400" → INVALID_REQUEST_METHOD on cancel). `throttled` is the
429 TOO_MANY_REQUESTS, which is inferred (Zoho documents no rate-limit error, and its answer
carries no rate-limit headers, so the throttle's numbers are not shown).

Every reply comes from the builder in `errors.py` that the rule or failure mapping uses, with the
call's own facts (the `event_id` of the path, the permission the operation needs), so a forced
error is the same bytes as the organic one for the same call. Errors about a malformed request
(a missing or mistyped body field) name the field the spec example names.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from mockserver.core.exchange import Call, Reply
from mockserver.vendors.catalog import ErrorCatalog
from mockserver.vendors.plugin import Throttle
from mockserver.vendors.zoho import errors, rules

SPEC = "zoho"

Field = tuple[str | int, ...]
Builder = Callable[[Call, "Throttle | None"], Reply]

# The body field the spec's examples name, per operation (a forced error about a malformed body
# cannot point at the request's own mistake, which it does not have).
_MANDATORY: Mapping[str, Field] = {
    "cancelMeeting": errors.MAIL_FIELD,
    "createMeeting": ("data", 0, "Event_Title"),
}
_MISTYPED: Mapping[str, tuple[Field, str]] = {
    "cancelMeeting": (errors.MAIL_FIELD, "boolean"),
    "createMeeting": (("data", 0, "Start_DateTime"), "datetime"),
}
# The profile permission each operation needs (rules.cancel / handlers check the same ones).
_PERMISSION: Mapping[str, str] = {
    "cancelMeeting": rules.CANCEL,
    "getMeeting": rules.VIEW,
    "createMeeting": rules.CREATE,
}


def _event_id(call: Call) -> str:
    return str(call.path_params.get("event_id", ""))


BUILDERS: Mapping[str, Builder] = {
    "INVALID_REQUEST_METHOD": lambda call, _: errors.invalid_method().reply,
    "INVALID_DATA_id": lambda call, _: errors.invalid_id(_event_id(call)).reply,
    "INVALID_DATA_type": lambda call, _: errors.invalid_data(*_MISTYPED[call.operation_id]),
    "INVALID_DATA_body": lambda call, _: errors.invalid_data(),
    "MANDATORY_NOT_FOUND": lambda call, _: errors.mandatory(_MANDATORY[call.operation_id]),
    "MANDATORY_NOT_FOUND_data": lambda call, _: errors.mandatory(("data",)),
    "NOT_ALLOWED_already_cancelled": lambda call, _: errors.already_cancelled(_event_id(call)).reply,
    "NOT_ALLOWED_no_participants": lambda call, _: errors.no_participants(_event_id(call)).reply,
    "NOT_ALLOWED_after_end": lambda call, _: errors.after_end(_event_id(call)).reply,
    "CANNOT_PERFORM_ACTION": lambda call, _: errors.cannot_perform_action(_event_id(call)).reply,
    "NO_PERMISSION": lambda call, _: errors.no_permission(_PERMISSION[call.operation_id]).reply,
    "DAILY_LIMIT_EXCEEDED": lambda call, _: errors.daily_limit().reply,
    "OAUTH_SCOPE_MISMATCH": lambda call, _: errors.scope_mismatch().reply,
    "INVALID_TOKEN": lambda call, _: errors.invalid_token().reply,
    "INVALID_URL_PATTERN": lambda call, _: errors.invalid_url().reply,
    "INTERNAL_ERROR": lambda call, _: errors.internal_error().reply,
    "TOO_MANY_REQUESTS": lambda call, _: errors.too_many_requests().reply,  # inferred
}


def code_of(value: Any) -> str | None:
    """Zoho's `code`, bare or of the first record inside `data`."""
    if isinstance(value, dict) and isinstance(value.get("data"), list) and value["data"]:
        value = value["data"][0]
    return str(value["code"]) if isinstance(value, dict) and "code" in value else None


CATALOG = ErrorCatalog(SPEC, code_of, throttled="TOO_MANY_REQUESTS")


def fault(name: str, call: Call, throttle: Throttle | None) -> Reply | None:
    """The `FaultRenderer` (see plugin.py): Zoho's answer for `name` on `call`, or None."""
    row = CATALOG.find(name, call.operation_id)
    build = BUILDERS.get(row.name or str(row.status)) if row else None
    return build(call, throttle) if build else None
