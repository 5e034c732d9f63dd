"""The whole suite against the mock (in process, served in a thread) and against broken mocks.

Each broken target is a thin ASGI wrapper around the mock app that rewrites one thing; the suite
must fail on it and name the broken contract point. One per vendor per layer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from cancel_contracts.specs import VENDORS
from conformance.api import Report, check
from conformance.events import Layer, Status
from tests.conformance.targets import Broken, Exchange, serving

EXAMPLES = 3


def test_the_mock_keeps_every_contract(mock_url: str) -> None:
    report = check(VENDORS, mock_url, max_examples=EXAMPLES)
    assert report.ok, report.describe()
    for vendor in VENDORS:
        for layer in (Layer.SPEC, Layer.ENVELOPE, Layer.SCENARIOS):
            mine = report.find(vendor=vendor, layer=layer)
            assert any(r.status is Status.PASSED for r in mine), (vendor, layer)
    scenarios = report.find(layer=Layer.SCENARIOS)
    assert len(scenarios) > 100 and all(r.status is Status.PASSED for r in scenarios)


# --- rewrites, one thing each -------------------------------------------------------------------


def zoho_wrong_method_405(x: Exchange) -> None:
    if b"INVALID_REQUEST_METHOD" in x.content:
        x.status = 405


def zoho_status_key_dropped(x: Exchange) -> None:
    body = x.json()
    if x.status >= 400 and isinstance(body, dict):
        for item in body.get("data", [body]):
            item.pop("status", None)
        x.answer(x.status, body)


def zoho_double_cancel_accepted(x: Exchange) -> None:
    if b"The event is already cancelled" in x.content:
        x.answer(
            200,
            {
                "data": [
                    {"code": "SUCCESS", "details": {}, "message": "Meeting cancelled", "status": "success"}
                ]
            },
        )


def graph_202_becomes_200(x: Exchange) -> None:
    if x.status == 202:
        x.status = 200


def graph_problem_json(x: Exchange) -> None:
    if x.status >= 400:
        x.response_headers["content-type"] = "application/problem+json"


def graph_attendee_may_cancel(x: Exchange) -> None:
    if b"You need to be an organizer" in x.content:
        x.answer(202, b"", None)


def meetbit_missing_auth_accepted(headers: dict[str, str]) -> dict[str, str]:
    if "x-access-key-id" not in headers or "x-access-key-secret" not in headers:
        headers = {**headers, "x-access-key-id": "mbk_default", "x-access-key-secret": "mbs_default_secret"}
    return headers


def meetbit_not_found_text(x: Exchange) -> None:
    if x.status == 404 and x.content == b"Resource object does not exist.":
        x.answer(404, b"Not found", "text/plain")


def meetbit_long_note_accepted(x: Exchange) -> None:
    if b"must not be greater than 255" in x.content:
        x.answer(200, {"data": {"id": 2001}})


def cronofy_server_error(x: Exchange) -> None:
    if x.method == "DELETE" and x.path.endswith("/meeting_agents"):
        x.answer(500, b"", None)


def cronofy_401_with_body(x: Exchange) -> None:
    if x.status == 401:
        x.answer(401, {"error": "unauthorized"})


def cronofy_joining_agent_refused(x: Exchange) -> None:
    if x.method == "DELETE" and b"agent-already-joining" in x.body:
        x.answer(422, {"errors": {"scheduling_key": [{"key": "errors.invalid", "description": "invalid"}]}})


def meetergo_schema_broken(x: Exchange) -> None:
    body = x.json()
    if x.status == 200 and isinstance(body, dict) and "id" in body:
        body["id"] = 12345
        x.answer(200, body)


def meetergo_status_code_dropped(x: Exchange) -> None:
    body = x.json()
    if x.status >= 400 and isinstance(body, dict):
        body.pop("statusCode", None)
        x.answer(x.status, body)


def meetergo_group_cancel_accepted(x: Exchange) -> None:
    if b"For group bookings" in x.content:
        x.answer(200, {"id": "x"})


@dataclass(frozen=True)
class Case:
    vendor: str
    layer: Layer
    rewrite: Callable[[Exchange], None]
    expect: str  # a check name or scenario name the failure must carry
    inject: Callable[[dict[str, str]], dict[str, str]] | None = None


def _noop(x: Exchange) -> None:
    return None


CASES = {
    "zoho-spec-wrong-method-405": Case(
        "zoho", Layer.SPEC, zoho_wrong_method_405, "vendor_unsupported_method"
    ),
    "zoho-envelope-status-dropped": Case("zoho", Layer.ENVELOPE, zoho_status_key_dropped, "lacks status"),
    "zoho-scenario-double-cancel": Case(
        "zoho", Layer.SCENARIOS, zoho_double_cancel_accepted, "zoho.cancel.already_cancelled"
    ),
    "graph-spec-202-becomes-200": Case("graph", Layer.SPEC, graph_202_becomes_200, "status_code_conformance"),
    "graph-envelope-problem-json": Case("graph", Layer.ENVELOPE, graph_problem_json, "problem+json"),
    "graph-scenario-attendee-cancels": Case(
        "graph", Layer.SCENARIOS, graph_attendee_may_cancel, "graph.cancel.by_attendee"
    ),
    "meetbit-spec-missing-auth-accepted": Case(
        "meetbit", Layer.SPEC, _noop, "ignored_auth", inject=meetbit_missing_auth_accepted
    ),
    "meetbit-envelope-undocumented-text": Case(
        "meetbit", Layer.ENVELOPE, meetbit_not_found_text, "'Not found'"
    ),
    "meetbit-scenario-long-note-accepted": Case(
        "meetbit", Layer.SCENARIOS, meetbit_long_note_accepted, "meetbit.cancel.note_too_long"
    ),
    "cronofy-spec-server-error": Case("cronofy", Layer.SPEC, cronofy_server_error, "not_a_server_error"),
    "cronofy-envelope-401-body": Case("cronofy", Layer.ENVELOPE, cronofy_401_with_body, "sends ['no body']"),
    "cronofy-scenario-joining-refused": Case(
        "cronofy", Layer.SCENARIOS, cronofy_joining_agent_refused, "cronofy.cancel.agent_already_joining"
    ),
    "meetergo-spec-schema-broken": Case(
        "meetergo", Layer.SPEC, meetergo_schema_broken, "response_schema_conformance"
    ),
    "meetergo-envelope-statuscode-dropped": Case(
        "meetergo", Layer.ENVELOPE, meetergo_status_code_dropped, "statusCode"
    ),
    "meetergo-scenario-group-cancel": Case(
        "meetergo", Layer.SCENARIOS, meetergo_group_cancel_accepted, "meetergo.cancel.group_needs_target"
    ),
}


def _named(report: Report, layer: Layer) -> str:
    return "\n".join(
        f"{r.name} " + " ".join(f"{p.check}: {p.message}" for p in r.problems)
        for r in report.failures
        if r.layer is layer
    )


@pytest.mark.parametrize("name", list(CASES))
def test_a_broken_target_fails_and_is_named(mock_app: Any, name: str) -> None:
    case = CASES[name]
    layers = (Layer.SPEC, Layer.ENVELOPE) if case.layer is not Layer.SCENARIOS else (Layer.SCENARIOS,)
    with serving(Broken(mock_app, case.rewrite, case.inject)) as root:
        report = check(case.vendor, f"{root}/{case.vendor}", max_examples=EXAMPLES, layers=layers)
    assert not report.ok
    named = _named(report, case.layer)
    assert case.expect in named, report.describe()
    failing = [r for r in report.failures if r.layer is case.layer]
    assert all(p.curl.startswith("curl ") for r in failing for p in r.problems if p.check != "error"), failing
