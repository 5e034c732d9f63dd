"""Cronofy: bodiless 401/402/403/404/423/429/500; 422 `{"errors": {field: [{key, description}]}}`."""

from __future__ import annotations

from conformance.checks.common import Answer, VendorRules, dig

BODILESS = "<no body>"
# 404: a calendar or event the credentials do not know; 423: the calendar is locked. 422 with
# errors.required / errors.invalid also answers conditional rules the schema cannot express
# (scheduling_key with join_time; summary/start/end when the upsert creates the event).
_RULES = {404, 423}
_CONDITIONAL = {"errors.required", "errors.invalid"}


def codes(answer: Answer) -> list[str]:
    if not answer.body:
        return [BODILESS]
    errors = dig(answer.json(), "errors")
    if not isinstance(errors, dict):
        return []
    return sorted(
        {str(dig(item, "key")) for items in errors.values() if isinstance(items, list) for item in items}
    )


def envelope(answer: Answer) -> list[str]:
    if answer.status != 422:
        return (
            [] if not answer.body else [f"{answer.status}: Cronofy sends no body, got {answer.text[:200]!r}"]
        )
    errors = dig(answer.json(), "errors")
    if not isinstance(errors, dict) or not errors:
        return [f"422: no errors object: {answer.text[:200]!r}"]
    problems: list[str] = []
    for name, items in errors.items():
        if not isinstance(items, list) or not items:
            problems.append(f"422: errors.{name} is not a list")
            continue
        for item in items:
            if not (isinstance(dig(item, "key"), str) and isinstance(dig(item, "description"), str)):
                problems.append(f"422: errors.{name} item lacks key/description: {item!r}")
    return problems


def refusal(answer: Answer) -> bool:
    if answer.status == 422:
        found = codes(answer)
        return bool(found) and set(found) <= _CONDITIONAL
    return answer.status in _RULES and not answer.body


RULES = VendorRules("cronofy", codes, envelope, refusal, wrong_method=(404, BODILESS))
