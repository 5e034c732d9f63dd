"""Forced errors (issue #6): `fault(name, call, throttle)` sends exactly what the rules send.

Each documented error of each operation is provoked organically (authentication and the real
handler over the default fixtures, or the framework-failure mapping where only a malformed request
or an internal failure reaches it) and forced with the same `Call`; status, content type, headers
and bytes must match.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import pytest

from mockserver.core.errors import Failure, FailureKind, VendorError
from mockserver.core.exchange import Call, Reply
from mockserver.service import MockService
from mockserver.vendors.cronofy import VENDOR
from mockserver.vendors.plugin import Throttle
from tests.documented import DocumentedError
from tests.documented.cronofy import ERRORS
from tests.vendors import fault_support
from tests.vendors.fault_support import same

SESSION = "faults"
NOW = datetime(2030, 5, 6, 7, 8, 9, tzinfo=UTC)
CALENDAR = "cal_n23kjnwrw2_jsdfjksn234"
# Not a default fixture: a calendar whose provider is rate limited, seeded for the events' 429.
BUSY_CALENDAR = {
    "calendar_id": "cal_rate_limited_000000001",
    "calendar_name": "Busy",
    "provider_name": "google",
    "profile_id": "pro_rate_limited_000000001",
    "profile_connected": True,
    "x-mock-error": "RATE_LIMITED",
}
ROUTES = {
    "scheduleMeetingAgent": ("POST", "/v1/meeting_agents"),
    "cancelMeetingAgent": ("DELETE", "/v1/meeting_agents"),
    "upsertEvent": ("POST", "/v1/calendars/{calendar_id}/events"),
    "deleteEvent": ("DELETE", "/v1/calendars/{calendar_id}/events"),
}
AGENT_BODY = {"join_url": "https://teams.microsoft.com/meet/1?p=x"}
BODIES = {
    "scheduleMeetingAgent": AGENT_BODY,
    "cancelMeetingAgent": {"scheduling_key": "your-identifier-for-this-unique-meeting"},
    "upsertEvent": {"event_id": "your-event-id", "summary": "s"},
    "deleteEvent": {"event_id": "your-event-id"},
}


def make_call(
    operation_id: str, token: str | None = None, body: Any = None, calendar_id: str = CALENDAR
) -> Call:
    if token is None:
        token = "cronofy-access-token" if "Event" in operation_id else "cronofy-api-key"
    method, path = ROUTES[operation_id]
    return Call(
        vendor="cronofy",
        operation_id=operation_id,
        method=method,
        path=path.format(calendar_id=calendar_id),
        path_params={"calendar_id": calendar_id} if "{" in path else {},
        query={},
        headers={"authorization": f"Bearer {token}"} if token else {},
        body=BODIES[operation_id] if body is None else body,
        session=SESSION,
        now=NOW,
    )


def organic(call: Call) -> Reply:
    service = MockService(["cronofy"])
    service.store.transact(
        SESSION, lambda tx: tx.put("cronofy", "calendars", BUSY_CALENDAR["calendar_id"], BUSY_CALENDAR)
    )
    try:
        principal = service.authenticate(call)
        return service.handle(replace(call, principal=principal))
    except VendorError as error:
        return error.reply


def forced(name: str, call: Call, throttle: Throttle | None = None) -> Reply:
    return fault_support.forced(VENDOR, name, call, throttle)


@dataclass(frozen=True)
class Case:
    status: int
    fault: str
    call: Call
    failure: Failure | None = None
    key: str | None = None  # the 422 `key`

    def provoke(self) -> Reply:
        return VENDOR.failure(self.failure) if self.failure is not None else organic(self.call)

    def documents(self, row: DocumentedError) -> bool:
        return (row.operation, row.status, row.code) == (self.call.operation_id, self.status, self.key)


def required(field: str) -> Failure:
    return Failure(FailureKind.INVALID_BODY, f"'{field}' is a required property", (field,), "required")


def agent_cases(op: str) -> list[Case]:
    internal = (
        Case(500, "500", make_call(op, body={"scheduling_key": "agent-server-error"}))
        if op == "cancelMeetingAgent"
        else Case(500, "500", make_call(op), Failure(FailureKind.INTERNAL, "boom"))
    )
    unprocessable = (
        Case(
            422,
            "errors_required_scheduling_key",
            make_call(op),
            required("scheduling_key"),
            "errors.required",
        )
        if op == "cancelMeetingAgent"
        else Case(
            422,
            "errors_required_join_time",
            make_call(op, body={**AGENT_BODY, "scheduling_key": "k"}),
            key="errors.required",
        )
    )
    return [
        Case(401, "401", make_call(op, token="")),
        Case(402, "402", make_call(op, token="cronofy-api-key-starter")),
        Case(403, "403", make_call(op, token="cronofy-api-key-no-agents")),
        Case(429, "429", make_call(op, token="cronofy-api-key-rate-limited")),
        internal,
        unprocessable,
    ]


def event_cases(op: str) -> list[Case]:
    found = [
        Case(401, "401", make_call(op, token="")),
        Case(403, "403", make_call(op, token="cronofy-access-token-read-only")),
        Case(404, "404", make_call(op, calendar_id="cal_unknown")),
        Case(423, "423", make_call(op, calendar_id="cal_disconnected_0000000001")),
        Case(429, "429", make_call(op, calendar_id=BUSY_CALENDAR["calendar_id"])),
        Case(500, "500", make_call(op, calendar_id="cal_server_error_0000000001")),
        Case(422, "errors.required", make_call(op), required("event_id"), "errors.required"),
    ]
    if op == "upsertEvent":
        with_agent = {**BODIES[op], "meeting_agent": {"profile_id": "cronofy"}}
        found.append(Case(402, "402", make_call(op, token="cronofy-access-token-starter", body=with_agent)))
    return found


CASES = [
    *agent_cases("scheduleMeetingAgent"),
    *agent_cases("cancelMeetingAgent"),
    *event_cases("upsertEvent"),
    *event_cases("deleteEvent"),
    Case(
        422,
        "errors_required_join_url",
        make_call("scheduleMeetingAgent", body={}),
        required("join_url"),
        "errors.required",
    ),
    Case(
        422,
        "errors_invalid_scheduling_key",
        make_call("cancelMeetingAgent"),
        Failure(FailureKind.INVALID_BODY, "'' is too short", ("scheduling_key",), "type"),
        "errors.invalid",
    ),
    Case(
        422,
        "errors_invalid_profile_id",
        make_call("upsertEvent"),
        Failure(FailureKind.INVALID_BODY, "not one of", ("meeting_agent", "profile_id"), "enum"),
        "errors.invalid",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[f"{c.call.operation_id}-{c.status}-{c.fault}" for c in CASES])
def test_a_forced_error_is_the_organic_one_byte_for_byte(case: Case) -> None:
    provoked = case.provoke()
    assert provoked.status == case.status
    same(forced(case.fault, case.call), provoked)


@pytest.mark.parametrize("row", ERRORS, ids=[f"{r.operation}-{r.status}" for r in ERRORS])
def test_every_documented_error_is_provoked_and_forced(row: DocumentedError) -> None:
    assert any(case.documents(row) for case in CASES), f"no case provokes {row}"
    assert forced(str(row.code or row.status), make_call(row.operation)).status == row.status


# ---- names ---------------------------------------------------------------------------------------


def examples(operation_id: str) -> list[tuple[str, Any]]:
    return fault_support.examples("cronofy", operation_id)


EXAMPLES = [(op, name, value) for op in ROUTES for name, value in examples(op)]


@pytest.mark.parametrize(
    ("operation_id", "name", "value"), EXAMPLES, ids=[f"{o}-{n}" for o, n, _ in EXAMPLES]
)
def test_every_example_name_forces_its_example(operation_id: str, name: str, value: Any) -> None:
    for spelling in (name, name.upper()):
        reply = forced(spelling, make_call(operation_id))
        assert (reply.status, reply.body) == (422, value)


def test_a_key_or_status_forces_the_first_documented_422() -> None:
    call = make_call("cancelMeetingAgent")
    assert forced("errors.required", call).body == forced("errors_required_scheduling_key", call).body
    assert forced("422", call).body == forced("errors_required_scheduling_key", call).body
    assert forced("ERRORS.INVALID", call).body == forced("errors_invalid_scheduling_key", call).body


@pytest.mark.parametrize(
    ("operation_id", "name"),
    [
        ("cancelMeetingAgent", "404"),  # documented for the event operations only
        ("cancelMeetingAgent", "423"),
        ("deleteEvent", "402"),
        ("deleteEvent", "errors.invalid"),
        ("upsertEvent", "errors_required_join_url"),
        ("cancelMeetingAgent", "RATE_LIMITED"),
    ],
)
def test_an_undocumented_name_is_none(operation_id: str, name: str) -> None:
    assert VENDOR.fault is not None
    assert VENDOR.fault(name, make_call(operation_id), None) is None


@pytest.mark.parametrize("operation_id", list(ROUTES))
def test_throttled_is_a_bodiless_429_with_the_throttles_retry_after(operation_id: str) -> None:
    reply = forced(
        "throttled", make_call(operation_id), Throttle(limit=5, remaining=0, reset_seconds=8, retry_after=8)
    )
    assert (reply.status, reply.content_type, reply.encoded(), dict(reply.headers)) == (
        429,
        None,
        b"",
        {"Retry-After": "8"},
    )
    assert dict(forced("throttled", make_call(operation_id)).headers) == {}
