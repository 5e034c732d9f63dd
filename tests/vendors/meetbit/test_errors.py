from __future__ import annotations

import pytest

from mockserver.core.errors import Failure, FailureKind
from mockserver.vendors.meetbit import errors

REQUIRED = "The cancel_note field is required."


def _laravel(message: str) -> dict[str, object]:
    return {"message": message, "errors": {"cancel_note": [message]}}


@pytest.mark.parametrize(
    ("failure", "body"),
    [
        (Failure(FailureKind.MALFORMED_BODY, "body is not valid JSON"), _laravel(REQUIRED)),
        (Failure(FailureKind.MISSING_BODY, "request body is required"), _laravel(REQUIRED)),
        (Failure(FailureKind.UNSUPPORTED_MEDIA_TYPE, "text/plain"), _laravel(REQUIRED)),
        (Failure(FailureKind.INVALID_BODY, "[] is not of type 'object'", (), "type"), _laravel(REQUIRED)),
        (
            Failure(
                FailureKind.INVALID_BODY, "'cancel_note' is a required property", ("cancel_note",), "required"
            ),
            _laravel(REQUIRED),
        ),
        (
            Failure(FailureKind.INVALID_BODY, "None is not of type 'string'", ("cancel_note",), "type"),
            _laravel(REQUIRED),
        ),
        (
            Failure(FailureKind.INVALID_BODY, "'' is too short", ("cancel_note",), "minLength"),
            _laravel(REQUIRED),
        ),
        (
            Failure(FailureKind.INVALID_BODY, "5 is not of type 'string'", ("cancel_note",), "type", value=5),
            _laravel("The cancel_note field must be a string."),
        ),
        (
            Failure(FailureKind.INVALID_BODY, "too long", ("cancel_note",), "maxLength"),
            _laravel("The cancel_note field must not be greater than 255 characters."),
        ),
    ],
)
def test_body_failures_are_laravel_validation_errors(failure: Failure, body: dict[str, object]) -> None:
    reply = errors.failure(failure)
    assert (reply.status, reply.content_type, reply.body) == (400, "application/json", body)


@pytest.mark.parametrize(
    ("failure", "status", "text"),
    [
        (Failure(FailureKind.UNKNOWN_PATH, "no operation"), 404, "Resource object does not exist."),
        (
            Failure(FailureKind.INVALID_PARAMETER, "'x' is not an integer", ("event_id",), "schema", "path"),
            404,
            "Resource object does not exist.",
        ),
        (Failure(FailureKind.METHOD_NOT_ALLOWED, "GET"), 405, "Method Not Allowed."),
        (Failure(FailureKind.BODY_TOO_LARGE, "big"), 413, "Content Too Large."),
        (Failure(FailureKind.INTERNAL, "boom"), 500, "Server Error."),
    ],
)
def test_other_failures_are_text_plain(failure: Failure, status: int, text: str) -> None:
    reply = errors.failure(failure)
    assert (reply.status, reply.body) == (status, text)
    assert (reply.content_type or "").startswith("text/plain")
    assert reply.encoded() == text.encode()


@pytest.mark.parametrize(
    ("count", "suffix"), [(1, ""), (2, " (and 1 more error)"), (3, " (and 2 more errors)")]
)
def test_validation_message_counts_the_other_errors(count: int, suffix: str) -> None:
    messages = {f"f{i}": [f"The f{i} field is required."] for i in range(count)}
    body = errors.validation(messages).reply.body
    assert body == {"message": "The f0 field is required." + suffix, "errors": messages}


def test_rate_limited_carries_retry_after_and_zero_remaining() -> None:
    reply = errors.rate_limited({"RateLimit-Limit": "60", "RateLimit-Remaining": "5"}).reply
    assert reply.status == 429
    assert reply.body == "Too many requests."
    assert reply.headers == {"RateLimit-Limit": "60", "RateLimit-Remaining": "0", "Retry-After": "60"}
