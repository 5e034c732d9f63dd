"""meetergo (NestJS): `{statusCode, message, error}`, `statusCode` equal to the HTTP status."""

from __future__ import annotations

from conformance.checks.common import Answer, VendorRules, dig

NO_ERROR_FIELD = "<no error field>"
_RULES = {
    (400, "Appointment is already cancelled"),
    (400, "For group bookings, provide attendeeId to remove one attendee or set cancelAll to true"),
    (403, "Forbidden resource"),
    (404, "Appointment not found"),
    (404, "Attendee not found"),
}


def codes(answer: Answer) -> list[str]:
    body = answer.json()
    if not isinstance(body, dict):
        return []
    error = body.get("error")
    return [str(error) if error is not None else NO_ERROR_FIELD]


def envelope(answer: Answer) -> list[str]:
    body = answer.json()
    if not isinstance(body, dict):
        return [f"{answer.status}: body is not a JSON object: {answer.text[:200]!r}"]
    problems: list[str] = []
    if body.get("statusCode") != answer.status:
        problems.append(f"{answer.status}: statusCode is {body.get('statusCode')!r}, not the HTTP status")
    message = body.get("message")
    if not (
        isinstance(message, str) or (isinstance(message, list) and all(isinstance(m, str) for m in message))
    ):
        problems.append(f"{answer.status}: message is missing or not a string")
    if "error" in body and not isinstance(body["error"], str):
        problems.append(f"{answer.status}: error is not a string")
    return problems


def refusal(answer: Answer) -> bool:
    return (answer.status, dig(answer.json(), "message")) in _RULES


RULES = VendorRules("meetergo", codes, envelope, refusal, wrong_method=(404, "Not Found"))
