"""Forced errors (issue #6): `fault(name, call, throttle)` sends exactly what the rules send.

Each documented error is provoked organically (through authentication and the real handler, over
the default fixtures, or through the framework-failure mapping where only a malformed request
reaches it) and forced with the same `Call`; status, content type, headers and bytes must match.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import pytest

from mockserver.core.errors import Failure, FailureKind, VendorError
from mockserver.core.exchange import Call, Reply
from mockserver.core.store import Records
from mockserver.vendors.plugin import Throttle
from mockserver.vendors.zoho import VENDOR, errors
from tests.documented import DocumentedError
from tests.documented.zoho import ERRORS
from tests.vendors import fault_support
from tests.vendors.fault_support import same
from tests.vendors.zoho.conftest import ALL, CANCELLABLE, NOW, SESSION, seeded_store

OPERATIONS = ("cancelMeeting", "getMeeting", "createMeeting")
UNKNOWN_ID = "4876876000009999999"


def make_call(event_id: str = CANCELLABLE, token: str | None = ALL, send_mail: bool = False) -> Call:
    headers = {"authorization": f"Zoho-oauthtoken {token}"} if token is not None else {}
    return Call(
        vendor="zoho",
        operation_id="cancelMeeting",
        method="POST",
        path=f"/crm/v8/Events/{event_id}/actions/cancel",
        path_params={"version": "v8", "event_id": event_id},
        query={},
        headers=headers,
        body={"data": [{"send_cancelling_mail": send_mail}]},
        session=SESSION,
        now=NOW,
    )


def organic(call: Call) -> Reply:
    """Authenticate and handle, each in one transaction, as the HTTP layer does."""
    store = seeded_store()
    try:
        principal = store.transact(SESSION, lambda tx: VENDOR.authenticate(call, Records(tx, "zoho")))
        handler = VENDOR.operations[call.operation_id]
        authed = replace(call, principal=principal)
        return store.transact(SESSION, lambda tx: handler(authed, Records(tx, "zoho")))
    except VendorError as error:
        return error.reply


def forced(name: str, call: Call, throttle: Throttle | None = None) -> Reply:
    return fault_support.forced(VENDOR, name, call, throttle)


@dataclass(frozen=True)
class Case:
    """How to provoke one documented error organically, and the fault name that forces it."""

    status: int
    code: str
    message: str
    fault: str
    call: Call
    failure: Failure | None = None  # provoked by the framework-failure mapping instead of a handler

    def provoke(self) -> Reply:
        return VENDOR.failure(self.failure) if self.failure is not None else organic(self.call)

    def documents(self, row: DocumentedError) -> bool:
        return (row.status, row.code, row.message) == (self.status, self.code, self.message)


CASES = [
    Case(
        400,
        "INVALID_REQUEST_METHOD",
        errors.INVALID_REQUEST_METHOD,
        "INVALID_REQUEST_METHOD",
        make_call(),
        Failure(FailureKind.METHOD_NOT_ALLOWED, "GET is not allowed", method="GET", allowed=("POST",)),
    ),
    Case(400, "INVALID_DATA", errors.INVALID_ID, "INVALID_DATA_id", make_call(UNKNOWN_ID)),
    Case(400, "INVALID_DATA", errors.INVALID_ID, "invalid_data", make_call(UNKNOWN_ID)),
    Case(
        400,
        "MANDATORY_NOT_FOUND",
        errors.MANDATORY_NOT_FOUND,
        "MANDATORY_NOT_FOUND",
        make_call(),
        Failure(FailureKind.INVALID_BODY, "required", errors.MAIL_FIELD, "required"),
    ),
    Case(
        400,
        "NOT_ALLOWED",
        errors.ALREADY_CANCELLED,
        "NOT_ALLOWED_already_cancelled",
        make_call("4876876000001081143"),
    ),
    Case(400, "NOT_ALLOWED", errors.ALREADY_CANCELLED, "not_allowed", make_call("4876876000001081143")),
    Case(
        400,
        "NOT_ALLOWED",
        errors.NO_PARTICIPANTS,
        "NOT_ALLOWED_no_participants",
        make_call("4876876000001081144"),
    ),
    Case(
        400,
        "NOT_ALLOWED",
        errors.NO_PARTICIPANTS,
        "NOT_ALLOWED_no_participants",
        make_call("4876876000001081145"),
    ),
    Case(400, "NOT_ALLOWED", errors.AFTER_END, "NOT_ALLOWED_after_end", make_call("4876876000001081146")),
    Case(
        400,
        "CANNOT_PERFORM_ACTION",
        errors.CANNOT_PERFORM_ACTION,
        "CANNOT_PERFORM_ACTION",
        make_call("4876876000001081147"),
    ),
    Case(
        400,
        "CANNOT_PERFORM_ACTION",
        errors.CANNOT_PERFORM_ACTION,
        "cannot_perform_action",
        make_call("4876876000001081148", token="1000.mock.zoho.own_records"),
    ),
    Case(
        400,
        "NO_PERMISSION",
        errors.NO_PERMISSION,
        "NO_PERMISSION",
        make_call("4876876000001081153", token="1000.mock.zoho.no_permission"),
    ),
    Case(
        400,
        "DAILY_LIMIT_EXCEEDED",
        errors.DAILY_LIMIT_EXCEEDED,
        "DAILY_LIMIT_EXCEEDED",
        make_call("4876876000001081149", token="1000.mock.zoho.mail_limit", send_mail=True),
    ),
    Case(
        401,
        "OAUTH_SCOPE_MISMATCH",
        errors.OAUTH_SCOPE_MISMATCH,
        "OAUTH_SCOPE_MISMATCH",
        make_call(token="1000.mock.zoho.contacts_only"),
    ),
    Case(
        404,
        "INVALID_URL_PATTERN",
        errors.INVALID_URL_PATTERN,
        "INVALID_URL_PATTERN",
        make_call(),
        Failure(FailureKind.UNKNOWN_PATH, "no operation at POST /crm/v8/Meetings"),
    ),
    Case(500, "INTERNAL_ERROR", errors.INTERNAL_ERROR, "INTERNAL_ERROR", make_call("4876876000001081151")),
    Case(500, "INTERNAL_ERROR", errors.INTERNAL_ERROR, "500", make_call("4876876000001081151")),
    Case(
        401, "INVALID_TOKEN", errors.INVALID_TOKEN, "INVALID_TOKEN", make_call(token="1000.mock.zoho.expired")
    ),
    Case(401, "INVALID_TOKEN", errors.INVALID_TOKEN, "invalid_token", make_call(token=None)),
    Case(
        429,
        "TOO_MANY_REQUESTS",
        errors.TOO_MANY_REQUESTS,
        "TOO_MANY_REQUESTS",
        make_call("4876876000001081154"),
    ),
    Case(429, "TOO_MANY_REQUESTS", errors.TOO_MANY_REQUESTS, "throttled", make_call("4876876000001081154")),
]


@pytest.mark.parametrize(
    "case", CASES, ids=[f"{c.fault}-{c.call.path_params['event_id'][-4:]}" for c in CASES]
)
def test_a_forced_error_is_the_organic_one_byte_for_byte(case: Case) -> None:
    provoked = case.provoke()
    assert provoked.status == case.status
    same(forced(case.fault, case.call), provoked)


def test_a_status_forces_the_first_documented_error_with_it() -> None:
    scope_mismatch = organic(make_call(token="1000.mock.zoho.contacts_only"))
    same(forced("401", make_call(token="x.unknown.x")), scope_mismatch)


@pytest.mark.parametrize("row", ERRORS, ids=[f"{r.status}-{r.code}-{r.message}" for r in ERRORS])
def test_every_documented_error_is_provoked_and_forced(row: DocumentedError) -> None:
    assert any(case.documents(row) for case in CASES), f"no case provokes {row}"


# ---- names ---------------------------------------------------------------------------------------


def example_names(operation_id: str) -> list[tuple[str, Any]]:
    return fault_support.examples("zoho", operation_id)


EXAMPLES = [(op, name, value) for op in OPERATIONS for name, value in example_names(op)]


def call_for(operation_id: str, value: Any) -> Call:
    """A call of `operation_id` whose path names the record the example names (if any)."""
    record = value["data"][0] if "data" in value else value
    event_id = str(record["details"].get("id", CANCELLABLE))
    return replace(make_call(event_id), operation_id=operation_id)


@pytest.mark.parametrize(
    ("operation_id", "name", "value"), EXAMPLES, ids=[f"{o}-{n}" for o, n, _ in EXAMPLES]
)
def test_every_example_name_forces_its_example(operation_id: str, name: str, value: Any) -> None:
    for spelling in (name, name.lower(), name.upper()):
        reply = forced(spelling, call_for(operation_id, value))
        assert reply.content_type == "application/json"
        assert reply.body == value, spelling


def test_an_ambiguous_code_forces_its_first_documented_variant() -> None:
    call = make_call("4876876000001081146")
    assert forced("NOT_ALLOWED", call).body == forced("NOT_ALLOWED_already_cancelled", call).body
    assert forced("INVALID_DATA", call).body == forced("INVALID_DATA_id", call).body
    assert forced("400", call).body == errors.invalid_method().reply.body


@pytest.mark.parametrize(
    ("operation_id", "name"),
    [
        ("cancelMeeting", "NOT_A_CODE"),
        ("cancelMeeting", "418"),
        ("cancelMeeting", "error"),  # a string of every body, no error's name
        ("getMeeting", "NOT_ALLOWED"),  # documented for cancel only
        ("getMeeting", "DAILY_LIMIT_EXCEEDED"),
        ("createMeeting", "INVALID_DATA_id"),
        ("noSuchOperation", "INTERNAL_ERROR"),
    ],
)
def test_an_undocumented_name_is_none(operation_id: str, name: str) -> None:
    assert VENDOR.fault is not None
    assert VENDOR.fault(name, replace(make_call(), operation_id=operation_id), None) is None


@pytest.mark.parametrize("operation_id", OPERATIONS)
def test_throttled_is_the_inferred_too_many_requests(operation_id: str) -> None:
    reply = forced("THROTTLED", replace(make_call(), operation_id=operation_id), Throttle(10, 0, 30, 30))
    assert reply.status == 429
    assert reply.content_type == "application/json"
    assert dict(reply.headers) == {}  # Zoho documents no rate-limit headers
    assert reply.body == {
        "code": "TOO_MANY_REQUESTS",
        "details": {},
        "message": "too many requests",
        "status": "error",
    }
