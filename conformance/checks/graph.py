"""Microsoft Graph: `{"error": {"code", "message", "innerError": {...}}}`."""

from __future__ import annotations

from conformance.checks.common import Answer, VendorRules, dig

# Refusals of a well-formed request that Graph documents as rules (organizer only, unknown ids,
# missing permission), not as bad input.
_RULES = {
    (400, "ErrorInvalidRequest"),
    (403, "ErrorAccessDenied"),
    (404, "ErrorItemNotFound"),
    (404, "ErrorInvalidUser"),
    (404, "Request_ResourceNotFound"),
}


def codes(answer: Answer) -> list[str]:
    code = dig(answer.json(), "error", "code")
    return [str(code)] if code is not None else []


def envelope(answer: Answer) -> list[str]:
    body = answer.json()
    error = dig(body, "error")
    if not isinstance(error, dict):
        return [f"{answer.status}: body has no error object: {answer.text[:200]!r}"]
    problems = [
        f"{answer.status}: error.{key} is missing or not a string"
        for key in ("code", "message")
        if not isinstance(error.get(key), str)
    ]
    if not isinstance(error.get("innerError"), dict):
        problems.append(
            f"{answer.status}: error.innerError is missing (Graph sends date and request-id there)"
        )
    return problems


def refusal(answer: Answer) -> bool:
    return (answer.status, dig(answer.json(), "error", "code")) in _RULES


RULES = VendorRules("graph", codes, envelope, refusal, wrong_method=(405, "BadRequest"))
