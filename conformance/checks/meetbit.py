"""Meetbit: text/plain sentences for most errors, Laravel's `{message, errors: {field: [..]}}` for 400."""

from __future__ import annotations

from conformance.checks.common import Answer, VendorRules

VALIDATION = "<validation>"
_RULES = {(404, "Resource object does not exist."), (401, "Access Denied.")}


def codes(answer: Answer) -> list[str]:
    if answer.media_type == "application/json":
        return [VALIDATION]
    return [answer.text] if answer.media_type == "text/plain" else []


def envelope(answer: Answer) -> list[str]:
    if answer.media_type == "text/plain":
        return [] if answer.text.strip() else [f"{answer.status}: empty text/plain error"]
    body = answer.json()
    if not isinstance(body, dict) or not isinstance(body.get("message"), str):
        return [f"{answer.status}: not a Laravel validation body (no message): {answer.text[:200]!r}"]
    errors = body.get("errors")
    if not isinstance(errors, dict) or not errors:
        return [f"{answer.status}: Laravel validation body without an errors object"]
    bad = [name for name, messages in errors.items() if not (isinstance(messages, list) and messages)]
    bad += [
        name
        for name, messages in errors.items()
        if isinstance(messages, list) and not all(isinstance(m, str) for m in messages)
    ]
    return [f"{answer.status}: errors.{name} is not a list of messages" for name in bad]


def refusal(answer: Answer) -> bool:
    return answer.media_type == "text/plain" and (answer.status, answer.text) in _RULES


RULES = VendorRules(
    "meetbit",
    codes,
    envelope,
    refusal,
    wrong_method=(405, "Method Not Allowed."),
    inferred={405: {"Method Not Allowed.": "Laravel's answer to a wrong method; the spec documents no 405"}},
)
