"""Fault injection through the HTTP layer, with the toy vendor: header, rules, seeds, throttling."""

from __future__ import annotations

import httpx

GOOD = {"x-key": "good"}
CANCEL = "/toy/v1/things/{}/cancel"
GET = "/toy/v1/things/1"


async def test_header_forces_a_documented_error_without_touching_state(client: httpx.AsyncClient) -> None:
    forced = await client.post(
        CANCEL.format(1), json={"note": "x"}, headers={**GOOD, "X-Mock-Fault": "error=409"}
    )
    assert (forced.status_code, forced.json()) == (409, {"toy_error": "ALREADY", "detail": ""})
    assert (await client.get(GET, headers=GOOD)).json()["cancelled"] is False
    by_name = await client.post(
        CANCEL.format(1), json={"note": "x"}, headers={**GOOD, "X-Mock-Fault": "error=ALREADY_cancelled"}
    )
    assert by_name.content == forced.content


async def test_header_errors_are_explained(client: httpx.AsyncClient) -> None:
    unknown = await client.post(
        CANCEL.format(1), json={"note": "x"}, headers={**GOOD, "X-Mock-Fault": "error=NOPE"}
    )
    assert unknown.status_code == 400 and unknown.json()["error"] == "fault_unknown"
    assert "already_cancelled" in unknown.json()["message"]
    garbled = await client.post(
        CANCEL.format(1), json={"note": "x"}, headers={**GOOD, "X-Mock-Fault": "explode"}
    )
    assert garbled.status_code == 400 and "error=<name|code|status>" in garbled.json()["message"]


async def test_header_latency_delays_the_call(client: httpx.AsyncClient) -> None:
    response = await client.get(
        GET, headers={**GOOD, "X-Mock-Fault": "latency=120ms", "X-Mock-Session": "slow"}
    )
    assert response.status_code == 200
    journal = (await client.get("/__admin/requests", headers={"X-Mock-Session": "slow"})).json()["requests"]
    assert journal[0]["duration_ms"] >= 120  # a lower bound: the call slept at least that long


async def _statuses(client: httpx.AsyncClient, session: str, seed: int, calls: int = 40) -> list[int]:
    s = {"X-Mock-Session": session}
    rule = {"vendor": "toy", "operation": "getThing", "error": "404", "percent": 50, "seed": seed}
    assert (await client.post("/__admin/faults", json=rule, headers=s)).status_code == 201
    return [(await client.get(GET, headers={**GOOD, **s})).status_code for _ in range(calls)]


async def test_seeded_rules_repeat_exactly(client: httpx.AsyncClient) -> None:
    first = await _statuses(client, "seed-a", seed=7)
    again = await _statuses(client, "seed-b", seed=7)
    other = await _statuses(client, "seed-c", seed=8)
    assert first == again
    assert first != other
    assert 5 < first.count(404) < 35  # about half fail: the rule really draws


async def test_throttle_answers_the_vendor_way_and_resets_with_the_window(client: httpx.AsyncClient) -> None:
    s = {"X-Mock-Session": "throttle"}
    await client.put("/__admin/clock", json={"now": "2030-01-01T00:00:00Z"}, headers=s)
    rule = {"vendor": "toy", "throttle": {"limit": 2, "window_seconds": 60}}
    await client.post("/__admin/faults", json=rule, headers=s)
    statuses = [(await client.get(GET, headers={**GOOD, **s})) for _ in range(3)]
    assert [r.status_code for r in statuses] == [200, 200, 429]
    assert statuses[2].headers["Retry-After"] == "60"
    await client.put("/__admin/clock", json={"now": "2030-01-01T00:01:01Z"}, headers=s)
    assert (await client.get(GET, headers={**GOOD, **s})).status_code == 200


async def test_rules_stay_in_their_session_and_reset_clears_them(client: httpx.AsyncClient) -> None:
    a, b = {"X-Mock-Session": "fa"}, {"X-Mock-Session": "fb"}
    added = await client.post("/__admin/faults", json={"vendor": "toy", "error": "404"}, headers=a)
    rule_id = added.json()["rules"][0]["id"]
    assert (await client.get(GET, headers={**GOOD, **a})).status_code == 404
    assert (await client.get(GET, headers={**GOOD, **b})).status_code == 200
    assert (await client.get(GET, headers=GOOD)).status_code == 200
    listed = (await client.get("/__admin/faults", headers=a)).json()["rules"]
    assert [(r["id"], r["calls"]) for r in listed] == [(rule_id, 1)]
    assert "__mock" not in (await client.get("/__admin/state", headers=a)).json()
    await client.post("/__admin/reset", headers=a)
    assert (await client.get("/__admin/faults", headers=a)).json() == {"rules": []}
    assert (await client.get(GET, headers={**GOOD, **a})).status_code == 200


async def test_a_wildcard_rule_only_forces_errors_the_operation_documents(client: httpx.AsyncClient) -> None:
    s = {"X-Mock-Session": "wild"}
    await client.post("/__admin/faults", json={"vendor": "toy", "error": "409"}, headers=s)
    assert (await client.get(GET, headers={**GOOD, **s})).status_code == 200  # getThing has no 409
    cancel = await client.post(CANCEL.format(1), json={"note": "x"}, headers={**GOOD, **s})
    assert cancel.status_code == 409


async def test_rule_management_and_validation(client: httpx.AsyncClient) -> None:
    s = {"X-Mock-Session": "manage"}
    bad = [
        ({"vendor": "nope", "error": "409"}, "not served"),
        ({"vendor": "toy"}, "at least one of"),
        ({"vendor": "toy", "error": "NOPE"}, "not a documented error"),
        ({"vendor": "toy", "operation": "nope", "latency_ms": 5}, "no operation"),
        ({"vendor": "toy", "percent": 150, "error": "409"}, "percent"),
        ([{"vendor": "toy", "latency_ms": 1}, {"vendor": "toy", "bogus": 1}], "rule 1: unknown field"),
    ]
    for body, words in bad:
        response = await client.post("/__admin/faults", json=body, headers=s)
        assert response.status_code == 400 and words in response.json()["message"], (body, response.text)
    assert (await client.get("/__admin/faults", headers=s)).json() == {"rules": []}  # all or nothing
    two = await client.post("/__admin/faults", json=[{"vendor": "toy", "latency_ms": 1}] * 2, headers=s)
    first = two.json()["rules"][0]["id"]
    assert (await client.delete(f"/__admin/faults/{first}", headers=s)).status_code == 204
    assert (await client.delete(f"/__admin/faults/{first}", headers=s)).status_code == 404
    assert len((await client.get("/__admin/faults", headers=s)).json()["rules"]) == 1
    assert (await client.delete("/__admin/faults", headers=s)).status_code == 204
    assert (await client.get("/__admin/faults", headers=s)).json() == {"rules": []}


async def test_a_rule_counts_calls_whose_handler_fails(client: httpx.AsyncClient) -> None:
    """A call a rule applies to is counted even when the vendor then refuses it (here: 404 for an
    unknown thing), and whether or not the compiled lane serves it; a call no rule applies to
    leaves the rules alone."""
    s = {"X-Mock-Session": "counted"}
    rule = {"vendor": "toy", "operation": "cancelThing", "error": "409", "percent": 0}
    assert (await client.post("/__admin/faults", json=rule, headers=s)).status_code == 201
    missing = await client.post(CANCEL.format(999), json={"note": "x"}, headers={**GOOD, **s})
    assert missing.status_code == 404
    assert (await client.post(CANCEL.format(1), json={"note": "x"}, headers={**GOOD, **s})).status_code == 200
    assert (await client.get(GET, headers={**GOOD, **s})).status_code == 200  # another operation
    listed = (await client.get("/__admin/faults", headers=s)).json()
    assert [r["calls"] for r in listed["rules"]] == [2]
