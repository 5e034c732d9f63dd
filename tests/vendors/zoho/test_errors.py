"""Framework failures rendered as Zoho errors."""

from __future__ import annotations

from typing import Any

import pytest

from mockserver.core.errors import Failure, FailureKind
from mockserver.vendors.zoho import errors

MAIL = ("data", 0, "send_cancelling_mail")


def render(failure: Failure) -> tuple[int, Any]:
    reply = errors.failure(failure)
    assert reply.content_type == "application/json"
    return reply.status, reply.body


def test_missing_send_cancelling_mail_is_mandatory_not_found_inside_data() -> None:
    status, body = render(Failure(FailureKind.INVALID_BODY, "required", MAIL, "required"))
    assert status == 400
    assert body == {
        "data": [
            {
                "code": "MANDATORY_NOT_FOUND",
                "details": {
                    "api_name": "send_cancelling_mail",
                    "json_path": "$.data[0].send_cancelling_mail",
                },
                "message": "Required field not found",
                "status": "error",
            }
        ]
    }


@pytest.mark.parametrize(
    "failure",
    [
        Failure(FailureKind.INVALID_BODY, "'data' is a required property", ("data",), "required"),
        Failure(FailureKind.MISSING_BODY, "RequestBody is required"),
    ],
)
def test_missing_data_is_a_bare_mandatory_not_found(failure: Failure) -> None:
    assert render(failure) == (
        400,
        {
            "code": "MANDATORY_NOT_FOUND",
            "details": {"api_name": "data", "json_path": "$.data"},
            "message": "Required field not found",
            "status": "error",
        },
    )


def test_wrong_type_names_the_expected_type() -> None:
    failure = Failure(FailureKind.INVALID_BODY, "'yes' is not of type 'boolean'", MAIL, "type")
    status, body = render(failure)
    assert status == 400
    assert body["data"][0]["code"] == "INVALID_DATA"
    assert body["data"][0]["details"] == {
        "expected_data_type": "boolean",
        "api_name": "send_cancelling_mail",
        "json_path": "$.data[0].send_cancelling_mail",
    }


def test_bad_date_time_expects_datetime() -> None:
    field = ("data", 2, "Start_DateTime")
    status, body = render(Failure(FailureKind.INVALID_BODY, "'x' is not a 'date-time'", field, "format"))
    assert status == 400
    assert body["data"][0]["details"]["expected_data_type"] == "datetime"
    assert body["data"][0]["details"]["json_path"] == "$.data[2].Start_DateTime"


def test_extra_keys_and_array_limits_are_invalid_data() -> None:
    extra = Failure(FailureKind.INVALID_BODY, "unexpected 'x'", ("data", 0, "x"), "additionalProperties")
    assert render(extra)[1]["data"][0]["details"] == {"api_name": "x", "json_path": "$.data[0].x"}
    empty = Failure(FailureKind.INVALID_BODY, "[] should be non-empty", ("data",), "minItems")
    assert render(empty) == (
        400,
        {
            "code": "INVALID_DATA",
            "details": {"api_name": "data", "json_path": "$.data"},
            "message": "invalid data",
            "status": "error",
        },
    )


@pytest.mark.parametrize(
    "kind", [FailureKind.MALFORMED_BODY, FailureKind.UNSUPPORTED_MEDIA_TYPE, FailureKind.BODY_TOO_LARGE]
)
def test_unreadable_bodies_are_bare_invalid_data(kind: FailureKind) -> None:
    assert render(Failure(kind, "whatever")) == (
        400,
        {"code": "INVALID_DATA", "details": {}, "message": "invalid data", "status": "error"},
    )


def test_schema_failure_without_a_field_is_bare_invalid_data() -> None:
    assert render(Failure(FailureKind.INVALID_BODY, "bad"))[1]["code"] == "INVALID_DATA"


def test_unknown_path_and_unknown_version_are_invalid_url_pattern() -> None:
    expected = (
        404,
        {
            "code": "INVALID_URL_PATTERN",
            "details": {},
            "message": "Please check if the URL trying to access is a correct one",
            "status": "error",
        },
    )
    assert render(Failure(FailureKind.UNKNOWN_PATH, "no route")) == expected
    version = Failure(FailureKind.INVALID_PARAMETER, "'v9' is not one of", ("version",), "schema", "path")
    assert render(version) == expected


def test_other_parameter_failures_are_invalid_data() -> None:
    failure = Failure(FailureKind.INVALID_PARAMETER, "bad", ("fields",), "schema", "query")
    assert render(failure)[1] == {
        "code": "INVALID_DATA",
        "details": {"api_name": "fields"},
        "message": "invalid data",
        "status": "error",
    }


def test_wrong_method_is_invalid_request_method() -> None:
    assert render(Failure(FailureKind.METHOD_NOT_ALLOWED, "GET")) == (
        400,
        {
            "code": "INVALID_REQUEST_METHOD",
            "details": {},
            "message": "The http request method type is not a valid one",
            "status": "error",
        },
    )


def test_internal_failure_is_internal_error() -> None:
    assert render(Failure(FailureKind.INTERNAL, "boom")) == (
        500,
        {"code": "INTERNAL_ERROR", "details": {}, "message": "Internal Server Error", "status": "error"},
    )


def test_json_path() -> None:
    assert errors.json_path(()) == "$"
    assert errors.json_path(("data", 0, "Participants", 3, "type")) == "$.data[0].Participants[3].type"
