"""Forced errors (issue #6): `fault(name, call, throttle)` → the Cronofy error a rule would send.

`name` is matched case-insensitively, first against the spec's example names of the operation's
422 responses (`errors_required_scheduling_key`), then against the 422 `key` (the first documented
example with it: `errors.required`), then against an HTTP status: Cronofy answers every other error
without a body, so "401", "402", "403", "404", "423", "429" and "500" are their names ("422" is the
first 422 example). `throttled` is the bodiless 429 with `Retry-After` from the throttle (the
header is inferred: Cronofy documents the status only; without a throttle there is none, as for
the organic 429 of an `x-mock-error: RATE_LIMITED` credential).

Every reply comes from the builder in `errors.py` that the rules and the failure mapping use, so a
forced error is the organic one for the same call (bodiless answers differ only in status and, for
401, `WWW-Authenticate`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from mockserver.core.exchange import Call, Reply
from mockserver.vendors.catalog import ErrorCatalog
from mockserver.vendors.cronofy import auth, errors
from mockserver.vendors.plugin import Throttle

SPEC = "cronofy"

Builder = Callable[[Call, "Throttle | None"], Reply]


def _scope(call: Call) -> str:
    requirement = auth.REQUIREMENTS.get(call.operation_id)
    return requirement[1] if requirement else ""


BUILDERS: Mapping[str, Builder] = {
    # bodiless, by status
    "401": lambda call, _: errors.unauthorized().reply,
    "402": lambda call, _: errors.payment_required().reply,
    "403": lambda call, _: errors.forbidden(_scope(call)).reply,
    "404": lambda call, _: errors.calendar_not_found().reply,
    "423": lambda call, _: errors.locked().reply,
    "429": lambda call, throttle: errors.too_many_requests(throttle.retry_after if throttle else None).reply,
    "500": lambda call, _: errors.server_error().reply,
    # 422, by example name
    "errors_required_join_url": lambda call, _: errors.required("join_url").reply,
    "errors_required_join_time": lambda call, _: errors.required("join_time").reply,
    "errors_required_scheduling_key": lambda call, _: errors.required("scheduling_key").reply,
    "errors_invalid_scheduling_key": lambda call, _: (
        errors.unprocessable("scheduling_key", errors.INVALID).reply
    ),
    "errors_required_event_id": lambda call, _: errors.required("event_id").reply,
    "errors_invalid_profile_id": lambda call, _: (
        errors.unprocessable("meeting_agent.profile_id", errors.INVALID).reply
    ),
}


def code_of(value: Any) -> str | None:
    """The `key` of the first parameter's first error (`errors.required`)."""
    found = value.get("errors") if isinstance(value, dict) else None
    for problems in (found or {}).values():
        if isinstance(problems, list) and problems and isinstance(problems[0], dict):
            return str(problems[0].get("key"))
    return None


CATALOG = ErrorCatalog(SPEC, code_of, throttled="429")


def fault(name: str, call: Call, throttle: Throttle | None) -> Reply | None:
    """The `FaultRenderer` (see plugin.py): Cronofy's answer for `name` on `call`, or None."""
    row = CATALOG.find(name, call.operation_id)
    build = BUILDERS.get(row.name or str(row.status)) if row else None
    return build(call, throttle) if build else None
