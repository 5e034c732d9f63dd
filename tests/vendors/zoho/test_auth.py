"""Tokens, users and scopes."""

from __future__ import annotations

import pytest

from mockserver.vendors.zoho import auth
from tests.vendors.zoho.conftest import CANCELLABLE, Client

INVALID_TOKEN = {"code": "INVALID_TOKEN", "details": {}, "message": "invalid oauth token", "status": "error"}
SCOPE_MISMATCH = {"code": "OAUTH_SCOPE_MISMATCH", "details": {}, "message": "Unauthorized", "status": "error"}


@pytest.mark.parametrize(
    ("header", "token"),
    [
        ("Zoho-oauthtoken 1000.abc", "1000.abc"),
        ("zoho-OAuthToken   1000.abc ", "1000.abc"),
        ("Bearer 1000.abc", None),
        ("Zoho-oauthtoken", None),
        ("1000.abc", None),
        ("", None),
        (None, None),
    ],
)
def test_token_of(header: str | None, token: str | None) -> None:
    assert auth.token_of(header) == token


def test_scopes_are_compared_without_case() -> None:
    assert auth.allows(frozenset({"zohocrm.modules.events.update"}), "cancelMeeting")
    assert auth.allows(frozenset({"ZohoCRM.modules.ALL"}), "getMeeting")
    assert not auth.allows(frozenset({"ZohoCRM.Modules.Events.READ"}), "cancelMeeting")
    assert not auth.allows(frozenset({"ZohoCRM.Modules.Events.UPDATE"}), "createMeeting")
    assert not auth.allows(frozenset(), "cancelMeeting")


@pytest.mark.parametrize("token", [None, "1000.unknown", "1000.mock.zoho.expired"])
def test_missing_unknown_or_expired_tokens_are_invalid(client: Client, token: str | None) -> None:
    reply = client.cancel(CANCELLABLE, token=token)
    assert (reply.status, reply.body) == (401, INVALID_TOKEN)


def test_a_token_without_a_meetings_scope_is_a_scope_mismatch(client: Client) -> None:
    reply = client.cancel(CANCELLABLE, token="1000.mock.zoho.contacts_only")
    assert (reply.status, reply.body) == (401, SCOPE_MISMATCH)


@pytest.mark.parametrize(
    ("token", "cancel", "read"),
    [
        ("1000.mock.zoho.all", 200, 200),
        ("1000.mock.zoho.events_all", 200, 200),
        ("1000.mock.zoho.events_update", 200, 401),
    ],
)
def test_scopes_per_operation(client: Client, token: str, cancel: int, read: int) -> None:
    assert client.get(CANCELLABLE, token=token).status == read
    assert client.cancel(CANCELLABLE, token=token).status == cancel
