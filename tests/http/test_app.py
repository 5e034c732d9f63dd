"""The HTTP layer with a toy vendor: routing, auth order, failures, sessions, admin, atomicity."""

from __future__ import annotations

import asyncio

import httpx

from mockserver.service import MockService

GOOD = {"x-key": "good"}
CANCEL = "/toy/v1/things/{}/cancel"


async def test_cancel_changes_what_later_calls_see(client: httpx.AsyncClient) -> None:
    first = await client.post(CANCEL.format(1), json={"note": "bye"}, headers=GOOD)
    assert first.status_code == 200, first.text
    assert first.json()["cancelled"] is True and first.json()["by"] == "alice"
    second = await client.post(CANCEL.format(1), json={"note": "bye"}, headers=GOOD)
    assert (second.status_code, second.json()["toy_error"]) == (409, "ALREADY")
    seen = await client.get("/toy/v1/things/1", headers=GOOD)
    assert seen.json()["cancelled"] is True


async def test_relative_fixture_times_and_clock(client: httpx.AsyncClient) -> None:
    ended = await client.post(CANCEL.format(2), json={"note": "x"}, headers=GOOD)
    assert ended.json()["toy_error"] == "ENDED"
    frozen = await client.put("/__admin/clock", json={"now": "2000-01-01T00:00:00Z"})
    assert frozen.json() == {"now": "2000-01-01T00:00:00Z", "frozen": True}
    again = await client.post(CANCEL.format(2), json={"note": "x"}, headers=GOOD)
    assert again.status_code == 200, again.text
    resumed = await client.put("/__admin/clock", json={"now": None})
    assert resumed.json()["frozen"] is False


async def test_auth_is_checked_before_the_body(client: httpx.AsyncClient) -> None:
    response = await client.post(
        CANCEL.format(1), content=b"{not json", headers={"content-type": "application/json"}
    )
    assert (response.status_code, response.json()["toy_error"]) == (401, "NO_KEY")


async def test_framework_failures_render_in_the_vendor_format(client: httpx.AsyncClient) -> None:
    cases = {
        "missing": ({"json": {}}, "invalid_body", "note", "required"),
        "too_long": ({"json": {"note": "toolong"}}, "invalid_body", "note", "maxLength"),
        "extra": ({"json": {"note": "a", "x": 1}}, "invalid_body", "x", "additionalProperties"),
        "malformed": (
            {"content": b"{", "headers": {"content-type": "application/json"}},
            "malformed_body",
            "",
            "",
        ),
        "not_utf8": (
            {"content": b'{"note": "\xff"}', "headers": {"content-type": "application/json"}},
            "malformed_body",
            "",
            "",
        ),
        "empty": ({"content": b"", "headers": {"content-type": "application/json"}}, "missing_body", "", ""),
        "media": (
            {"content": b"note=a", "headers": {"content-type": "text/plain"}},
            "unsupported_media_type",
            "",
            "",
        ),
        "huge": ({"json": {"note": "a" * 2_000_000}}, "body_too_large", "", ""),
    }
    for name, (kwargs, kind, field, reason) in cases.items():
        headers = {**GOOD, **kwargs.pop("headers", {})}  # type: ignore[dict-item]
        response = await client.post(CANCEL.format(1), headers=headers, **kwargs)  # type: ignore[arg-type]
        assert response.status_code == 422, (name, response.status_code, response.text)
        assert response.headers["content-type"].startswith("application/json"), name
        body = response.json()
        assert (body["toy_error"], body["field"], body["reason"]) == (kind, field, reason), (name, body)


async def test_routing_failures_render_in_the_vendor_format(client: httpx.AsyncClient) -> None:
    unknown = await client.post("/toy/v1/nothing", headers=GOOD)
    assert unknown.json()["toy_error"] == "unknown_path"
    method = await client.delete(CANCEL.format(1), headers=GOOD)
    assert method.json()["toy_error"] == "method_not_allowed"
    # Connexion routes typed path parameters by type: a non-integer id matches no route at all.
    bad_param = await client.get("/toy/v1/things/abc", headers=GOOD)
    assert bad_param.json()["toy_error"] == "unknown_path"
    outside = await client.get("/nowhere")
    assert outside.status_code == 404 and "/toy" in outside.json()["message"]
    for response in (unknown, method, bad_param, outside):
        assert "problem" not in response.headers["content-type"]


async def test_sessions_are_isolated(client: httpx.AsyncClient) -> None:
    a = {**GOOD, "X-Mock-Session": "a"}
    b = {**GOOD, "X-Mock-Session": "b"}
    assert (await client.post(CANCEL.format(1), json={"note": "x"}, headers=a)).status_code == 200
    assert (await client.get("/toy/v1/things/1", headers=b)).json()["cancelled"] is False
    assert (await client.get("/toy/v1/things/1", headers=GOOD)).json()["cancelled"] is False
    await client.post("/__admin/reset", headers={"X-Mock-Session": "a"})
    assert (await client.get("/toy/v1/things/1", headers=a)).json()["cancelled"] is False


async def test_admin_fixtures_state_journal_outbox(client: httpx.AsyncClient) -> None:
    s = {"X-Mock-Session": "admin"}
    added = await client.post(
        "/__admin/fixtures",
        json={"toy": {"things": [{"id": 7, "cancelled": False, "ends": "+2h"}]}},
        headers=s,
    )
    assert added.json() == {"added": {"toy": 1}}
    yaml_added = await client.post(
        "/__admin/fixtures",
        content=b"toy:\n  things:\n    - {id: 8, cancelled: true}\n",
        headers={**s, "content-type": "application/yaml"},
    )
    assert yaml_added.status_code == 200, yaml_added.text
    bad = await client.post(
        "/__admin/fixtures", json={"toy": {"things": [{"id": "x", "cancelled": 3}]}}, headers=s
    )
    assert bad.status_code == 400
    assert "toy.things[0]" in bad.json()["message"] and "cancelled" in bad.json()["message"]
    assert (await client.post(CANCEL.format(7), json={"note": "n"}, headers={**GOOD, **s})).status_code == 200
    state = (await client.get("/__admin/state/toy", headers=s)).json()
    assert (
        state["toy"]["things"]["7"]["cancelled"] is True and state["toy"]["things"]["8"]["cancelled"] is True
    )
    journal = (await client.get("/__admin/requests", headers=s)).json()["requests"]
    assert [(e["method"], e["status"], e["vendor"]) for e in journal] == [("POST", 200, "toy")]
    outbox = (await client.get("/__admin/outbox", headers=s)).json()["messages"]
    assert outbox[0]["kind"] == "mail.cancellation" and outbox[0]["payload"]["note"] == "n"
    assert (await client.delete("/__admin/outbox", headers=s)).status_code == 204
    assert (await client.get("/__admin/outbox", headers=s)).json() == {"messages": []}
    default_outbox = (await client.get("/__admin/outbox")).json()
    assert default_outbox == {"messages": []}


async def test_a_refused_request_changes_nothing(client: httpx.AsyncClient, service: MockService) -> None:
    await client.post(CANCEL.format(2), json={"note": "x"}, headers=GOOD)
    assert service.state("default", "toy")["toy"]["things"]["2"]["cancelled"] is False
    assert service.store.outbox("default") == []


async def test_two_hundred_concurrent_cancels_one_success(client: httpx.AsyncClient) -> None:
    responses = await asyncio.gather(
        *(client.post(CANCEL.format(1), json={"note": "x"}, headers=GOOD) for _ in range(200))
    )
    statuses = sorted(r.status_code for r in responses)
    assert statuses.count(200) == 1 and statuses.count(409) == 199


async def test_wrong_method_carries_allow_when_the_vendor_answers_405(client: httpx.AsyncClient) -> None:
    # The toy renders every failure as 422, so no Allow is added; the Failure still knows the methods.
    from mockserver.http.app import service_of  # noqa: F401  (imported to keep the public helper exercised)

    response = await client.delete(CANCEL.format(1), headers=GOOD)
    assert response.status_code == 422 and "allow" not in response.headers
