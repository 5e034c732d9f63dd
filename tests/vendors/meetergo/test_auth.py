from __future__ import annotations

import pytest

from tests.vendors.meetergo.conftest import API_KEY, HOST, SINGLE, Client

USER_HEADER = "x-meetergo-api-user-id"


def error(status: int, message: str) -> dict[str, object]:
    phrase = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 429: "Too Many Requests"}[status]
    return {"statusCode": status, "message": message, "error": phrase}


@pytest.mark.parametrize(
    ("headers", "status", "message"),
    [
        ({USER_HEADER: HOST}, 401, "Missing authorization header"),
        ({"authorization": "  ", USER_HEADER: HOST}, 401, "Missing authorization header"),
        ({"authorization": f"Basic {API_KEY}", USER_HEADER: HOST}, 401, "Invalid API key"),
        ({"authorization": "Bearer ak_live:nope:nope", USER_HEADER: HOST}, 401, "Invalid API key"),
        (
            {
                "authorization": "Bearer ak_live:00000000-0000-4000-8000-000000000002:expiredsecret",
                USER_HEADER: HOST,
            },
            401,
            "API key has expired",
        ),
        (
            {"authorization": f"Bearer {API_KEY}"},
            400,
            "Missing required header 'x-meetergo-api-user-id' for API key authentication",
        ),
        (
            {"authorization": "Bearer pat_mock_hanna_host", USER_HEADER: HOST},
            400,
            "The 'x-meetergo-api-user-id' header is not allowed with personal access token authentication",
        ),
        (
            {"authorization": f"Bearer {API_KEY}", USER_HEADER: "0a000000-0000-4000-8000-000000000004"},
            403,
            "Forbidden resource",
        ),
        (
            {"authorization": f"Bearer {API_KEY}", USER_HEADER: "0a000000-0000-4000-8000-0000000000ff"},
            403,
            "Forbidden resource",
        ),
        (
            {
                "authorization": "Bearer ak_live:00000000-0000-4000-8000-000000000003:ratelimited",
                USER_HEADER: HOST,
            },
            429,
            "ThrottlerException: Too Many Requests",
        ),
    ],
)
def test_credentials_are_refused_the_documented_way(
    client: Client, headers: dict[str, str], status: int, message: str
) -> None:
    for reply in (client.cancel(SINGLE, {}, headers), client.get(SINGLE, headers)):
        assert reply.status == status
        assert reply.body == error(status, message)
    assert client.record(SINGLE)["isCancelled"] is False
    assert client.outbox() == []


def test_an_expires_at_in_the_future_is_still_valid(client: Client) -> None:
    snapshot = client.store.snapshot("meetergo-tests", "meetergo")["meetergo"]["api_keys"]
    key = dict(snapshot["ak_live:00000000-0000-4000-8000-000000000002:expiredsecret"])
    key["expiresAt"] = "2031-01-01T00:00:00Z"
    client.store.add_records("meetergo-tests", {"meetergo": {"api_keys": {key["key"]: key}}})
    headers = {"authorization": f"Bearer {key['key']}", USER_HEADER: HOST}
    assert client.get(SINGLE, headers).status == 200


def test_a_pat_acts_as_its_user(client: Client) -> None:
    reply = client.cancel(SINGLE, {}, {"authorization": "Bearer pat_mock_hanna_host"})
    assert reply.status == 200
    assert reply.body["cancel"]["actionBy"] == HOST


def test_the_bearer_scheme_is_case_insensitive(client: Client) -> None:
    assert client.get(SINGLE, {"authorization": f"bearer {API_KEY}", USER_HEADER: HOST}).status == 200
