"""The vendor error contracts on hand-made answers: what passes and what each check names."""

from __future__ import annotations

import json

import pytest

from conformance.checks import RULES
from conformance.checks.common import Answer, documented_codes, error_problems


def _json(status: int, body: object, media: str = "application/json") -> Answer:
    return Answer(status, media, json.dumps(body).encode())


def test_documented_codes_come_from_the_spec_examples() -> None:
    zoho = documented_codes("zoho", RULES["zoho"].codes)
    assert {"NOT_ALLOWED", "INVALID_DATA", "INVALID_REQUEST_METHOD"} <= zoho[400]
    assert "ErrorItemNotFound" in documented_codes("graph", RULES["graph"].codes)[404]


@pytest.mark.parametrize(
    ("vendor", "answer"),
    [
        (
            "zoho",
            _json(400, {"data": [{"code": "NOT_ALLOWED", "details": {}, "message": "m", "status": "error"}]}),
        ),
        (
            "zoho",
            _json(
                401,
                {"code": "INVALID_TOKEN", "details": {}, "message": "invalid oauth token", "status": "error"},
            ),
        ),
        ("graph", _json(404, {"error": {"code": "ErrorItemNotFound", "message": "m", "innerError": {}}})),
        ("meetbit", Answer(401, "text/plain", b"Access Denied.")),
        ("meetbit", _json(400, {"message": "m", "errors": {"cancel_note": ["m"]}})),
        ("cronofy", Answer(404, "", b"")),
        (
            "cronofy",
            _json(422, {"errors": {"join_url": [{"key": "errors.required", "description": "required"}]}}),
        ),
        (
            "meetergo",
            _json(404, {"statusCode": 404, "message": "Appointment not found", "error": "Not Found"}),
        ),
    ],
)
def test_documented_errors_pass(vendor: str, answer: Answer) -> None:
    assert error_problems(RULES[vendor], answer) == []


@pytest.mark.parametrize(
    ("vendor", "answer", "named"),
    [
        (
            "zoho",
            _json(400, {"data": [{"code": "NOT_ALLOWED", "details": {}, "message": "m"}]}),
            "lacks status",
        ),
        (
            "zoho",
            _json(400, {"code": "MADE_UP", "details": {}, "message": "m", "status": "error"}),
            "'MADE_UP'",
        ),
        ("graph", _json(404, {"error": {"code": "ErrorItemNotFound", "message": "m"}}), "innerError"),
        ("graph", _json(404, {"title": "Not Found"}, "application/problem+json"), "problem+json"),
        ("meetbit", Answer(404, "text/plain", b"Not found"), "'Not found'"),
        ("meetbit", _json(401, {"message": "Access Denied."}), "content type"),
        ("cronofy", _json(401, {"error": "unauthorized"}), "no body"),
        ("cronofy", _json(422, {"errors": {"join_url": ["required"]}}), "key/description"),
        ("meetergo", _json(404, {"message": "Appointment not found", "error": "Not Found"}), "statusCode"),
    ],
)
def test_broken_errors_are_named(vendor: str, answer: Answer, named: str) -> None:
    problems = error_problems(RULES[vendor], answer)
    assert problems and named in " ".join(problems), problems


def test_business_refusals_are_told_from_bad_input() -> None:
    zoho = RULES["zoho"]
    already = _json(
        400, {"data": [{"code": "NOT_ALLOWED", "details": {}, "message": "m", "status": "error"}]}
    )
    mandatory = _json(
        400, {"data": [{"code": "MANDATORY_NOT_FOUND", "details": {}, "message": "m", "status": "error"}]}
    )
    assert zoho.refusal(already) and not zoho.refusal(mandatory)
    assert RULES["meetbit"].refusal(Answer(404, "text/plain", b"Resource object does not exist."))
    assert not RULES["meetbit"].refusal(_json(400, {"message": "m", "errors": {"cancel_note": ["m"]}}))
