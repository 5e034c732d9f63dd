"""Cronofy credentials and the rendering of framework failures."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from mockserver.core.errors import Failure, FailureKind, VendorError
from mockserver.core.exchange import Call
from mockserver.core.store import MemoryStore, Records
from mockserver.vendors.cronofy import auth, errors
from mockserver.vendors.cronofy.auth import Principal

NOW = datetime(2030, 5, 6, tzinfo=UTC)
TOKENS = {
    "key": {"token": "key", "kind": "api_key", "scopes": ["meeting_agents"], "plan": "emerging"},
    "starter": {"token": "starter", "kind": "api_key", "scopes": ["meeting_agents"], "plan": "starter"},
    "bare": {"token": "bare", "kind": "api_key", "scopes": [], "plan": "emerging"},
    "busy": {
        "token": "busy",
        "kind": "api_key",
        "scopes": ["meeting_agents"],
        "x-mock-error": "RATE_LIMITED",
    },
    "access": {"token": "access", "kind": "access_token", "scopes": ["create_event"], "plan": "starter"},
}


def authenticate(
    operation_id: str, authorization: str | None
) -> Principal | tuple[int, dict[str, str]] | None:
    store = MemoryStore(lambda _now: {"cronofy": {"tokens": dict(TOKENS)}})
    headers = {"authorization": authorization} if authorization is not None else {}
    call = Call("cronofy", operation_id, "DELETE", "/v1/meeting_agents", {}, {}, headers, None, "s", NOW)
    try:
        return store.transact("s", lambda tx: auth.authenticate(call, Records(tx, "cronofy")))
    except VendorError as error:
        assert error.reply.body is None and error.reply.content_type is None
        return error.reply.status, dict(error.reply.headers)


@pytest.mark.parametrize("header", [None, "", "Bearer", "Bearer ", "Basic key", "Bearer nope", "key"])
def test_missing_or_unknown_credentials_are_401_with_a_challenge(header: str | None) -> None:
    assert authenticate("cancelMeetingAgent", header) == (401, {"WWW-Authenticate": "Bearer"})


def test_the_bearer_scheme_is_case_insensitive() -> None:
    found = authenticate("cancelMeetingAgent", "bearer key")
    assert isinstance(found, Principal) and found.kind == "api_key"


def test_refusals_in_order() -> None:
    assert authenticate("cancelMeetingAgent", "Bearer bare") == (403, {})
    assert authenticate("cancelMeetingAgent", "Bearer starter") == (402, {})
    assert authenticate("cancelMeetingAgent", "Bearer busy") == (429, {})
    assert authenticate("upsertEvent", "Bearer key")[0] == 401  # type: ignore[index]
    assert authenticate("deleteEvent", "Bearer access") == (403, {})


def test_the_plan_is_checked_in_the_handler_for_events() -> None:
    found = authenticate("upsertEvent", "Bearer access")
    assert isinstance(found, Principal) and not found.has_meeting_agents_plan


def test_requests_that_matched_no_operation_are_left_to_the_router() -> None:
    assert authenticate("", None) is None


REQUIRED = {"key": "errors.required", "description": "required"}
INVALID = {"key": "errors.invalid", "description": "invalid"}


@pytest.mark.parametrize(
    ("failure", "status", "body"),
    [
        (Failure(FailureKind.UNKNOWN_PATH, "x"), 404, None),
        (Failure(FailureKind.METHOD_NOT_ALLOWED, "x"), 404, None),
        (Failure(FailureKind.INTERNAL, "x"), 500, None),
        (Failure(FailureKind.INVALID_PARAMETER, "x", ("calendar_id",), "schema", "path"), 404, None),
        (
            Failure(FailureKind.INVALID_BODY, "x", ("scheduling_key",), "required"),
            422,
            {"scheduling_key": [REQUIRED]},
        ),
        (Failure(FailureKind.INVALID_BODY, "x", ("event_id",), "minLength"), 422, {"event_id": [REQUIRED]}),
        (
            Failure(FailureKind.INVALID_BODY, "x", ("scheduling_key",), "type"),
            422,
            {"scheduling_key": [INVALID]},
        ),
        (
            Failure(FailureKind.INVALID_BODY, "x", ("meeting_agent", "profile_id"), "enum"),
            422,
            {"meeting_agent.profile_id": [INVALID]},
        ),
        (Failure(FailureKind.INVALID_BODY, "x", (), "type"), 422, {"body": [INVALID]}),
        (Failure(FailureKind.MISSING_BODY, "x"), 422, {"body": [REQUIRED]}),
        (Failure(FailureKind.MALFORMED_BODY, "x"), 422, {"body": [INVALID]}),
        (Failure(FailureKind.UNSUPPORTED_MEDIA_TYPE, "x"), 422, {"body": [INVALID]}),
        (Failure(FailureKind.BODY_TOO_LARGE, "x"), 422, {"body": [INVALID]}),
    ],
)
def test_framework_failures(failure: Failure, status: int, body: dict[str, object] | None) -> None:
    reply = errors.failure(failure)
    assert reply.status == status
    if body is None:
        assert (reply.body, reply.content_type, reply.encoded()) == (None, None, b"")
    else:
        assert reply.body == {"errors": body} and reply.content_type == "application/json"


def test_every_failure_kind_is_rendered() -> None:
    for kind in FailureKind:
        assert 400 <= errors.failure(Failure(kind, "x")).status < 600
