"""Bearer tokens: Graph's 401 answers, expiry, throttled tokens, permissions."""

from __future__ import annotations

import pytest

from mockserver.vendors.graph import errors
from tests.vendors.graph.conftest import Graph, error_of

SYNC = "AAMkAdeleSync="


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        ({}, errors.TOKEN_EMPTY),
        ({"authorization": "Bearer "}, errors.TOKEN_EMPTY),
        ({"authorization": "Basic dXNlcjpwYXNz"}, errors.TOKEN_EMPTY),
        ({"authorization": "Bearer not-a-jwt"}, errors.TOKEN_NOT_JWT),
        ({"authorization": "Bearer eyJ0eXAiOiJKV1QifQ.e30.c2ln"}, errors.TOKEN_INVALID),
        ({"authorization": "Bearer mock.adele.expired"}, errors.TOKEN_EXPIRED),
    ],
)
def test_bad_credentials_are_401(graph: Graph, headers: dict[str, str], message: str) -> None:
    reply = graph.call("me.events.cancel", {}, token=None, headers=headers, event_id=SYNC)
    assert error_of(reply) == (401, "InvalidAuthenticationToken", message)
    assert graph.event(SYNC)["isCancelled"] is False


def test_the_bearer_scheme_is_case_insensitive(graph: Graph) -> None:
    reply = graph.call(
        "me.events.cancel",
        {},
        token=None,
        headers={"authorization": "bearer mock.adele.readwrite"},
        event_id=SYNC,
    )
    assert reply.status == 202


def test_a_throttled_token_is_429_with_retry_after_on_every_operation(graph: Graph) -> None:
    for operation_id, params in (("me.events.cancel", {"event_id": SYNC}), ("me.events.list", {})):
        reply = graph.call(operation_id, {}, token="mock.adele.throttled", **params)
        assert error_of(reply)[:2] == (429, "ApplicationThrottled")
        assert reply.headers["Retry-After"] == "30"
