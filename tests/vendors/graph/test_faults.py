"""Forced errors (issue #6): `fault(name, call, throttle)` sends exactly what the rules send.

Each documented error is provoked organically (authentication and the real handler over the default
fixtures, or the framework-failure mapping where only a malformed request reaches it) and forced
with the same `Call`. Status, content type, headers and bytes must match, except `request-id` (the
one per-answer random part, made in `errors.new_request_id`), which is masked. The framework-failure
mapping gets no call (a `Failure` carries neither the session clock nor the request's headers), so
its `innerError.date` is the wall clock and its `client-request-id` is not echoed: for those cases
only, both are masked too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import pytest

from cancel_contracts import specs
from mockserver.core.errors import Failure, FailureKind, VendorError
from mockserver.core.exchange import Call, Reply
from mockserver.service import MockService
from mockserver.vendors import catalog
from mockserver.vendors.graph import VENDOR, errors
from mockserver.vendors.plugin import Throttle
from tests.documented import DocumentedError
from tests.documented.graph import CANCEL_OPERATIONS, ERRORS
from tests.vendors import fault_support

SESSION = "faults"
NOW = datetime(2030, 5, 6, 7, 8, 9, tzinfo=UTC)
ADELE = "87d349ed-44d7-43e1-9a83-5f2406dee5bd"
CLIENT_REQUEST_ID = "7f0c1d2e-3b4a-4c5d-8e6f-0a1b2c3d4e5f"
MASK = "<masked>"
OPERATIONS = (*CANCEL_OPERATIONS, "me.events.get", "users.events.get", "me.events.list", "me.events.create")


def make_call(
    operation_id: str = "me.events.cancel",
    token: str | None = "mock.adele.readwrite",
    body: Any = None,
    **params: str,
) -> Call:
    params = {"event_id": "AAMkAdeleSync=", **params}
    user, group = params.get("user_id", ADELE), params.get("group_id", "")
    owner = (
        "me"
        if operation_id.startswith("me.")
        else f"users/{user}"
        if "users" in operation_id
        else f"groups/{group}"
    )
    path = f"/v1.0/{owner}/events/{params['event_id']}/cancel"
    headers = {"client-request-id": CLIENT_REQUEST_ID}
    if token is not None:
        headers["authorization"] = f"Bearer {token}"
    return Call("graph", operation_id, "POST", path, params, {}, headers, body, SESSION, NOW)


def organic(call: Call) -> Reply:
    service = MockService(["graph"])
    try:
        principal = service.authenticate(call)
        return service.handle(replace(call, principal=principal))
    except VendorError as error:
        return error.reply


def forced(name: str, call: Call, throttle: Throttle | None = None) -> Reply:
    return fault_support.forced(VENDOR, name, call, throttle)


def masked(reply: Reply, framework: bool = False) -> tuple[int, str | None, dict[str, str], bytes]:
    """The reply with its request-id masked (for framework failures: date and client-request-id too)."""
    body = json.loads(reply.encoded())
    inner = body["error"]["innerError"]
    assert reply.headers["request-id"] == inner["request-id"]
    inner["request-id"] = MASK
    headers = {**reply.headers, "request-id": MASK}
    if framework:
        inner["date"] = inner["client-request-id"] = headers["client-request-id"] = MASK
    return reply.status, reply.content_type, headers, json.dumps(body, ensure_ascii=False).encode()


@dataclass(frozen=True)
class Case:
    status: int
    code: str | None
    message: str
    fault: str
    call: Call
    failure: Failure | None = None
    throttle: Throttle | None = None

    def provoke(self) -> Reply:
        return VENDOR.failure(self.failure) if self.failure is not None else organic(self.call)

    def documents(self, row: DocumentedError) -> bool:
        return (row.status, row.message) == (self.status, self.message) and row.code in (None, self.code)


CANCEL_PATH = ("v1.0", "me", "events", "AAMkAdeleSync=", "cancel")
CASES = [
    Case(400, "ErrorInvalidRequest", errors.NOT_ORGANIZER, "not_organizer",
         make_call(token="mock.alex.readwrite", event_id="AAMkAlexSync=")),
    Case(400, "RequestBodyRead",
         "The parameter 'reason' in the request payload is not a valid parameter for the operation 'cancel'.",
         "unknown_parameter", make_call(body={"reason": "x"})),
    Case(400, "RequestBodyRead", "Multiple parameters with the name 'Comment' were found in the request payload.",
         "duplicate_parameter", make_call(body={"comment": "a", "Comment": "b"})),
    Case(400, "RequestBodyRead",
         "Cannot convert a primitive value to the expected type 'Edm.String'. "
         "See the inner exception for more details.",
         "wrong_type", make_call(body={"comment": 5})),
    Case(400, "RequestBodyRead",
         "An unexpected 'StartArray' node was found when reading from the JSON reader. "
         "A 'StartObject' node was expected.",
         "not_an_object", make_call(body=[])),
    Case(400, "BadRequest", errors.UNREADABLE_JSON, "malformed_json", make_call(),
         Failure(FailureKind.MALFORMED_BODY, "Expecting value: line 1 column 1 (char 0)")),
    Case(400, "BadRequest", errors.ME_NEEDS_DELEGATED, "me_with_application_token",
         make_call(token="mock.app.readwrite")),
    Case(400, "BadRequest", "Resource not found for the segment 'cancelled'.", "unknown_segment", make_call(),
         Failure(FailureKind.UNKNOWN_PATH, "no operation", ("v1.0", "me", "events", "AAMkAdeleSync=", "cancelled"))),
    Case(401, "InvalidAuthenticationToken", errors.TOKEN_EMPTY, "missing_token", make_call(token=None)),
    Case(401, "InvalidAuthenticationToken", errors.TOKEN_NOT_JWT, "malformed_token", make_call(token="nodots")),
    Case(401, "InvalidAuthenticationToken", errors.TOKEN_INVALID, "invalid_token", make_call(token="a.b.c")),
    Case(401, "InvalidAuthenticationToken", errors.TOKEN_EXPIRED, "expired_token",
         make_call(token="mock.adele.expired")),
    Case(403, "ErrorAccessDenied", errors.ACCESS_DENIED, "access_denied", make_call(token="mock.adele.read")),
    Case(404, "ErrorItemNotFound", errors.ITEM_NOT_FOUND, "item_not_found", make_call(event_id="AAMkNothing=")),
    Case(404, "ErrorItemNotFound", errors.ITEM_NOT_FOUND, "404", make_call(event_id="AAMkNothing=")),
    Case(404, "ErrorInvalidUser", "The requested user 'nobody@contoso.com' is invalid.", "invalid_user",
         make_call("users.events.cancel", user_id="nobody@contoso.com")),
    Case(404, "Request_ResourceNotFound",
         "Resource '00000000-0000-0000-0000-000000000000' does not exist or one of its queried "
         "reference-property objects are not present.",
         "group_not_found", make_call("groups.events.cancel", group_id="00000000-0000-0000-0000-000000000000")),
    Case(405, "BadRequest", "The requested resource does not support http method 'GET'.", "method_not_allowed",
         make_call(), Failure(FailureKind.METHOD_NOT_ALLOWED, "GET is not allowed", CANCEL_PATH)),
    Case(413, "RequestEntityTooLarge", "The request body is too large.", "too_large", make_call(),
         Failure(FailureKind.BODY_TOO_LARGE, "too large")),
    Case(415, "UnsupportedMediaType", "The content type 'text/plain' is not supported.", "unsupported_media_type",
         make_call(), Failure(FailureKind.UNSUPPORTED_MEDIA_TYPE, "Invalid Content-type (text/plain)")),
    Case(429, "ApplicationThrottled", errors.THROTTLED, "throttled", make_call(event_id="AAMkAdeleThrottled=")),
    Case(429, "ApplicationThrottled", errors.THROTTLED, "ApplicationThrottled",
         make_call(token="mock.adele.throttled")),
    Case(500, "generalException", errors.GENERAL_EXCEPTION, "general_exception",
         make_call(event_id="AAMkAdeleBroken=")),
    # The fixture says Retry-After 120; a forced 503 takes it from the throttle (default 30).
    Case(503, "ServiceNotAvailable", errors.UNAVAILABLE, "service_unavailable",
         make_call(event_id="AAMkAdeleUnavailable="), throttle=Throttle(10, 0, 120, 120)),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=[case.fault for case in CASES])
def test_a_forced_error_is_the_organic_one_but_for_the_request_id(case: Case) -> None:
    provoked = case.provoke()
    assert (provoked.status, provoked.body["error"]["message"]) == (case.status, case.message)
    framework = case.failure is not None
    assert masked(forced(case.fault, case.call, case.throttle), framework) == masked(provoked, framework)


def test_the_request_id_is_the_only_difference_and_is_fresh_each_time() -> None:
    call = make_call(event_id="AAMkNothing=")
    one, two = forced("item_not_found", call), forced("item_not_found", call)
    assert one.headers["request-id"] != two.headers["request-id"]
    assert one.body["error"]["innerError"]["date"] == "2030-05-06T07:08:09Z"
    assert one.headers["client-request-id"] == CLIENT_REQUEST_ID


@pytest.mark.parametrize("row", ERRORS, ids=[f"{r.operation}-{r.status}-{r.code}" for r in ERRORS])
def test_every_documented_error_is_provoked_and_forced(row: DocumentedError) -> None:
    assert any(case.documents(row) for case in CASES), f"no case provokes {row}"
    assert forced(str(row.code or row.status), make_call(row.operation)).status == row.status


# ---- names ---------------------------------------------------------------------------------------


def examples(operation_id: str) -> list[tuple[str, Any]]:
    spec = specs.load("graph")
    for item in spec["paths"].values():
        operation = next(
            (op for op in item.values() if isinstance(op, dict) and op.get("operationId") == operation_id),
            None,
        )
        if operation is None:
            continue
        found = []
        for status, response in operation["responses"].items():
            for media in (
                (catalog.resolve(spec, response).get("content") or {}).values() if int(status) >= 400 else []
            ):
                for name, example in media.get("examples", {}).items():
                    found.append((name, catalog.resolve(spec, example)["value"]))
        return found
    raise AssertionError(operation_id)


EXAMPLES = [(op, name, value) for op in OPERATIONS for name, value in examples(op)]


@pytest.mark.parametrize(
    ("operation_id", "name", "value"), EXAMPLES, ids=[f"{o}-{n}" for o, n, _ in EXAMPLES]
)
def test_every_example_name_forces_its_code_and_message(operation_id: str, name: str, value: Any) -> None:
    call = make_call(
        operation_id, user_id="nobody@contoso.com", group_id="00000000-0000-0000-0000-000000000000"
    )
    for spelling in (name, name.upper()):
        error = forced(spelling, call).body["error"]
        assert (error["code"], error["message"]) == (value["error"]["code"], value["error"]["message"])


def test_a_code_or_status_forces_the_first_documented_error_with_it() -> None:
    call = make_call()
    message = {
        name: forced(name, call).body["error"]["message"]
        for name in ("RequestBodyRead", "400", "401", "BadRequest")
    }
    assert message == {
        "RequestBodyRead": forced("unknown_parameter", call).body["error"]["message"],
        "400": errors.NOT_ORGANIZER,
        "401": errors.TOKEN_EMPTY,
        "BadRequest": errors.UNREADABLE_JSON,
    }


@pytest.mark.parametrize(
    ("operation_id", "name"),
    [("me.events.cancel", "NoSuchCode"), ("me.events.cancel", "402"), ("me.events.cancel", "empty_payload"),
     ("me.events.get", "not_organizer"), ("me.events.list", "too_large"), ("nope", "throttled")],
)  # fmt: skip
def test_an_undocumented_name_is_none(operation_id: str, name: str) -> None:
    assert VENDOR.fault is not None
    assert VENDOR.fault(name, make_call(operation_id), None) is None


@pytest.mark.parametrize("operation_id", OPERATIONS)
def test_throttled_is_a_429_with_the_throttles_retry_after(operation_id: str) -> None:
    reply = forced(
        "throttled", make_call(operation_id), Throttle(limit=5, remaining=0, reset_seconds=9, retry_after=7)
    )
    assert reply.status == 429
    assert reply.headers["Retry-After"] == "7"
    assert reply.body["error"]["code"] == "ApplicationThrottled"
    assert forced("throttled", make_call(operation_id)).headers["Retry-After"] == errors.DEFAULT_RETRY_AFTER
