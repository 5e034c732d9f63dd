"""Framework failures rendered in Graph's envelope (all inferred), and the URL grammar."""

from __future__ import annotations

import pytest

from mockserver.core.errors import Failure, FailureKind
from mockserver.vendors.graph import errors


def _error(failure: Failure) -> tuple[int, str, str]:
    reply = errors.failure(failure)
    assert reply.content_type == "application/json"
    body = reply.body
    inner = body["error"]["innerError"]
    assert set(inner) == {"date", "request-id", "client-request-id"}
    return reply.status, body["error"]["code"], body["error"]["message"]


@pytest.mark.parametrize(
    ("path", "segment"),
    [
        ("/graph/v1.0/foo", "foo"),
        ("/graph/v2.0/me/events", "v2.0"),
        ("/v1.0/me/events/AAMk=/cancelled", "cancelled"),
        ("/v1.0/me/meetings/AAMk=/cancel", "meetings"),
        ("/v1.0/groups/g/calendarGroups/x/calendars/c/events/e/cancel", "calendarGroups"),
        ("/v1.0/users/u/calendarGroups/g/calendars/c/events/e/cancel/more", "more"),
    ],
)
def test_unknown_segments_are_named(path: str, segment: str) -> None:
    assert errors.unknown_segment(path) == segment


def test_unknown_path() -> None:
    failure = Failure(FailureKind.UNKNOWN_PATH, "no operation at POST /graph/v1.0/me/event/x/cancel")
    assert _error(failure) == (400, "BadRequest", "Resource not found for the segment 'event'.")


def test_method_not_allowed() -> None:
    failure = Failure(FailureKind.METHOD_NOT_ALLOWED, "PUT is not allowed on /graph/v1.0/me/events/x/cancel")
    assert _error(failure) == (
        405,
        "BadRequest",
        "The requested resource does not support http method 'PUT'.",
    )
    assert errors.failure(failure).headers["Allow"] == "POST"


@pytest.mark.parametrize(
    ("path", "allow"),
    [
        ("/graph/v1.0/me/events", "GET, POST"),
        ("/v1.0/users/u/events/e", "GET"),
        ("/v1.0/users/u/calendarGroups/g/calendars/c/events/e/cancel", "POST"),
        ("/v1.0/me/nothing", None),
    ],
)
def test_allowed_methods(path: str, allow: str | None) -> None:
    assert errors.allowed_methods(path) == allow


def test_media_type_body_size_and_unreadable_bodies() -> None:
    media = Failure(
        FailureKind.UNSUPPORTED_MEDIA_TYPE, "Invalid Content-type (text/plain), expected ['application/json']"
    )
    assert _error(media) == (415, "UnsupportedMediaType", "The content type 'text/plain' is not supported.")
    assert _error(Failure(FailureKind.BODY_TOO_LARGE, "too big"))[:2] == (413, "RequestEntityTooLarge")
    assert _error(Failure(FailureKind.MALFORMED_BODY, "not JSON")) == (
        400,
        "BadRequest",
        errors.UNREADABLE_JSON,
    )
    assert _error(Failure(FailureKind.MISSING_BODY, "required")) == (400, "BadRequest", errors.EMPTY_PAYLOAD)


@pytest.mark.parametrize(
    ("failure", "message"),
    [
        (
            Failure(FailureKind.INVALID_BODY, "5 is not of type 'string'", ("comment",), "type"),
            "Cannot convert a primitive value to the expected type 'Edm.String'. "
            "See the inner exception for more details.",
        ),
        (
            Failure(FailureKind.INVALID_BODY, "[] is not of type 'object'", (), "type"),
            "An unexpected 'StartArray' node was found when reading from the JSON reader. "
            "A 'StartObject' node was expected.",
        ),
        (
            Failure(FailureKind.INVALID_BODY, "'start' is a required property", ("start",), "required"),
            "The property 'start' is required but was not found in the request payload.",
        ),
        (
            Failure(FailureKind.INVALID_BODY, "'foo' is not one of ['free', 'busy']", ("showAs",), "enum"),
            "Requested value 'foo' was not found.",
        ),
    ],
)
def test_invalid_bodies_are_request_body_read(failure: Failure, message: str) -> None:
    assert _error(failure) == (400, "RequestBodyRead", message)


def test_parameters_and_internal_failures() -> None:
    query = Failure(FailureKind.INVALID_PARAMETER, "bad", ("$top",), "schema", "query")
    assert _error(query) == (400, "BadRequest", "Invalid value for query option '$top'.")
    assert _error(Failure(FailureKind.INTERNAL, "boom")) == (
        500,
        "generalException",
        errors.GENERAL_EXCEPTION,
    )


def test_cancel_parameter_failures_are_odata_parameter_errors() -> None:
    extra = Failure(FailureKind.INVALID_BODY, "extra", ("reason",), "additionalProperties")
    assert _error(extra) == (
        400,
        "RequestBodyRead",
        "The parameter 'reason' in the request payload is not a valid parameter for the operation 'cancel'.",
    )
    both = Failure(FailureKind.INVALID_BODY, "too many", (), "maxProperties")
    assert _error(both) == (
        400,
        "RequestBodyRead",
        "Multiple parameters with the name 'Comment' were found in the request payload.",
    )
