from __future__ import annotations

from typing import Any

import pytest

from mockserver.core.errors import Failure, FailureKind
from mockserver.vendors.meetergo import errors


@pytest.mark.parametrize(
    ("failure", "status", "body"),
    [
        (
            Failure(FailureKind.UNKNOWN_PATH, "no operation at POST /meetergo/v4/appointment/x/uncancel"),
            404,
            {"statusCode": 404, "message": "Cannot POST /v4/appointment/x/uncancel", "error": "Not Found"},
        ),
        (
            Failure(
                FailureKind.METHOD_NOT_ALLOWED, "DELETE is not allowed on /meetergo/v4/appointment/x/cancel"
            ),
            404,
            {"statusCode": 404, "message": "Cannot DELETE /v4/appointment/x/cancel", "error": "Not Found"},
        ),
        (
            Failure(FailureKind.UNSUPPORTED_MEDIA_TYPE, "text/plain"),
            415,
            {"statusCode": 415, "message": "Unsupported Media Type", "error": "Unsupported Media Type"},
        ),
        (
            Failure(
                FailureKind.MALFORMED_BODY,
                "body is not valid JSON: Expecting value: line 1 column 2 (char 1)",
            ),
            400,
            {"statusCode": 400, "message": "Unexpected token in JSON at position 1", "error": "Bad Request"},
        ),
        (
            Failure(FailureKind.BODY_TOO_LARGE, "too large"),
            413,
            {"statusCode": 413, "message": "request entity too large", "error": "Payload Too Large"},
        ),
        (
            Failure(FailureKind.INVALID_BODY, "'x' is too long", ("reason",), "maxLength"),
            400,
            {
                "statusCode": 400,
                "message": "Validation failed",
                "error": "Bad Request",
                "errors": [
                    {"field": "reason", "message": "reason must be shorter than or equal to 500 characters"}
                ],
            },
        ),
        (
            Failure(FailureKind.INVALID_BODY, "'x' is not a 'uuid'", ("attendeeId",), "format"),
            400,
            {
                "statusCode": 400,
                "message": "Validation failed",
                "error": "Bad Request",
                "errors": [{"field": "attendeeId", "message": "attendeeId must be a UUID"}],
            },
        ),
        (
            Failure(FailureKind.INVALID_BODY, "'yes' is not of type 'boolean'", ("cancelAll",), "type"),
            400,
            {
                "statusCode": 400,
                "message": "Validation failed",
                "error": "Bad Request",
                "errors": [{"field": "cancelAll", "message": "cancelAll must be a boolean value"}],
            },
        ),
        (
            Failure(FailureKind.INVALID_BODY, "[] is not of type 'object'", (), "type"),
            400,
            {
                "statusCode": 400,
                "message": "Validation failed",
                "error": "Bad Request",
                "errors": [{"field": "body", "message": "body must be an object"}],
            },
        ),
        (
            Failure(FailureKind.INTERNAL, "boom"),
            500,
            {"statusCode": 500, "message": "Internal server error"},
        ),
    ],
)
def test_framework_failures_are_nestjs_errors(failure: Failure, status: int, body: dict[str, Any]) -> None:
    reply = errors.failure(failure)
    assert reply.status == status
    assert reply.body == body
    assert (reply.content_type or "").startswith("application/json")


def test_every_failure_kind_renders_without_raising() -> None:
    for kind in FailureKind:
        reply = errors.failure(Failure(kind, "anything"))
        assert reply.body["statusCode"] == reply.status
        assert isinstance(reply.body["message"], str)


def test_429_carries_retry_after() -> None:
    reply = errors.too_many_requests().reply
    assert reply.status == 429
    assert reply.headers["Retry-After"] == "60"
