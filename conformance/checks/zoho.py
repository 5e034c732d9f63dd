"""Zoho CRM: `{code, details, message, status: "error"}`, bare or as the items of `data[]`."""

from __future__ import annotations

from typing import Any

from conformance.checks.common import Answer, VendorRules, dig

_KEYS = ("code", "details", "message", "status")
# Refusals of a well-formed cancel that the Zoho document lists as rules, not as bad input.
_RULES = {"NOT_ALLOWED", "CANNOT_PERFORM_ACTION", "NO_PERMISSION", "DAILY_LIMIT_EXCEEDED"}
_UNKNOWN_ID = "The id given seems to be invalid"


def _items(body: Any) -> list[Any]:
    if isinstance(body, dict) and isinstance(body.get("data"), list):
        return list(body["data"])
    return [body]


def codes(answer: Answer) -> list[str]:
    return [str(dig(item, "code")) for item in _items(answer.json()) if isinstance(item, dict)]


def envelope(answer: Answer) -> list[str]:
    body = answer.json()
    if not isinstance(body, dict):
        return [f"{answer.status}: body is not a JSON object: {answer.text[:200]!r}"]
    problems: list[str] = []
    for index, item in enumerate(_items(body)):
        where = f"data[{index}]" if "data" in body else "body"
        if not isinstance(item, dict):
            problems.append(f"{answer.status}: {where} is not an object")
            continue
        missing = [key for key in _KEYS if key not in item]
        if missing:
            problems.append(
                f"{answer.status}: {where} lacks {', '.join(missing)} (Zoho errors carry {', '.join(_KEYS)})"
            )
        elif item["status"] != "error":
            problems.append(f"{answer.status}: {where}.status is {item['status']!r}, not 'error'")
        elif not isinstance(item["details"], dict):
            problems.append(f"{answer.status}: {where}.details is not an object")
    return problems


def refusal(answer: Answer) -> bool:
    for item in _items(answer.json()):
        code, message = dig(item, "code"), dig(item, "message")
        if code in _RULES or (code == "INVALID_DATA" and message == _UNKNOWN_ID):
            continue
        return False
    return answer.status == 400


RULES = VendorRules("zoho", codes, envelope, refusal, wrong_method=(400, "INVALID_REQUEST_METHOD"))
