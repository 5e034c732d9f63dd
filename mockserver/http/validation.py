"""Connexion's request validators, made to report *structured* failures.

Connexion reports a schema violation as a problem+json string. Vendors need to know which field
failed and why (Zoho: MANDATORY_NOT_FOUND vs INVALID_DATA; Meetbit: Laravel's per-field
`errors`), so these subclasses raise `SchemaViolation` carrying a `Failure`. The JSON validators
(bodies and parameters) are built once per operation and parameter instead of once per request
(Connexion deep-copies each parameter's schema and compiles a validator for it on every request).
"""

from __future__ import annotations

import json
import typing as t
from functools import cached_property

from connexion.exceptions import BadRequestProblem
from connexion.json_schema import Draft4RequestValidator
from connexion.utils import is_null, is_nullable
from connexion.validators import VALIDATOR_MAP, JSONRequestBodyValidator, ParameterValidator
from jsonschema import Draft4Validator, ValidationError
from starlette.types import Scope

from mockserver.core.errors import Failure, FailureKind
from mockserver.http.verdict import Predicate, compile_schema


class SchemaViolation(BadRequestProblem):  # type: ignore[misc]
    """A request broke the spec; `failure` says where and how."""

    def __init__(self, failure: Failure) -> None:
        super().__init__(detail=failure.message)
        self.failure = failure


def body_failure(error: ValidationError) -> Failure:
    path: tuple[str | int, ...] = tuple(error.absolute_path)
    reason = str(error.validator)
    if reason == "required" and isinstance(error.instance, dict):
        missing = [name for name in t.cast(list[str], error.validator_value) if name not in error.instance]
        if missing:
            path = (*path, missing[0])
    elif reason == "additionalProperties" and isinstance(error.instance, dict):
        allowed = set(t.cast(dict[str, t.Any], error.schema).get("properties", {}))
        extra = [name for name in error.instance if name not in allowed]
        if extra:
            path = (*path, extra[0])
    return Failure(FailureKind.INVALID_BODY, error.message, path, reason, "body", value=error.instance)


class StructuredJSONBodyValidator(JSONRequestBodyValidator):  # type: ignore[misc]
    @cached_property
    def _validator(self) -> Draft4RequestValidator:
        return Draft4RequestValidator(self._schema, format_checker=Draft4Validator.FORMAT_CHECKER)

    async def _parse(self, stream: t.AsyncGenerator[bytes, None], scope: Scope) -> t.Any:
        raw = b"".join([message async for message in stream])
        try:
            text = raw.decode(self._encoding)
        except UnicodeDecodeError as error:
            raise SchemaViolation(
                Failure(FailureKind.MALFORMED_BODY, f"body is not {self._encoding}: {error}")
            ) from error
        if not text.strip():
            return None
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise SchemaViolation(
                Failure(FailureKind.MALFORMED_BODY, f"body is not valid JSON: {error}")
            ) from error

    def _validate(self, body: t.Any) -> dict[str, t.Any] | None:
        if body is None and not self._required:
            return None  # an optional body may be absent
        if body is None and not self._nullable:
            raise SchemaViolation(Failure(FailureKind.MISSING_BODY, "request body is required"))
        try:
            self._validator.validate(body)
        except ValidationError as error:
            raise SchemaViolation(body_failure(error)) from error
        return None

    def compiled(self) -> Predicate | None:
        """`_validate` as a predicate (True: it would pass), with the schema compiled by
        `mockserver.http.verdict` instead of run through jsonschema; None when the schema (or a
        subclass's `_validate`) is outside what the compiler reproduces exactly."""
        if type(self)._validate is not StructuredJSONBodyValidator._validate:
            return None
        validator = self._validator
        schema_valid = compile_schema(validator.schema, type(validator), validator.format_checker)
        if schema_valid is None:
            return None
        required, nullable = bool(self._required), bool(self._nullable)

        def body_valid(body: t.Any) -> bool:
            if body is None:  # absent optional body: valid; absent required body: only if nullable
                return not required or (nullable and schema_valid(None))
            return schema_valid(body)

        return body_valid


# id(parameter) -> (parameter, its validator). The parameter dicts live as long as the app (they are
# the spec's), and are kept here too so an id is never reused while its entry exists.
_PARAMETER_VALIDATORS: dict[int, tuple[dict[str, t.Any], Draft4Validator]] = {}


def parameter_validator(param: dict[str, t.Any]) -> Draft4Validator:
    found = _PARAMETER_VALIDATORS.get(id(param))
    if found is None or found[0] is not param:
        schema = param.get("schema", param)
        found = (param, Draft4Validator(schema, format_checker=Draft4Validator.FORMAT_CHECKER))
        _PARAMETER_VALIDATORS[id(param)] = found
    return found[1]


class StructuredParameterValidator(ParameterValidator):  # type: ignore[misc]
    _CHECKS = ("query", "path", "header", "cookie")

    @staticmethod
    def validate_parameter(
        parameter_type: str, value: t.Any, param: dict[str, t.Any], param_name: str | None = None
    ) -> str | None:
        """Connexion's `ParameterValidator.validate_parameter`, same results, cached validator."""
        if is_nullable(param) and is_null(value):
            return None
        if value is not None:
            try:
                parameter_validator(param).validate(value)
            except ValidationError as exception:
                return str(exception)
            return None
        if param.get("required"):
            return f"Missing {parameter_type} parameter '{param['name']}'"
        return None

    @staticmethod
    def compiled(param: dict[str, t.Any]) -> Predicate | None:
        """`validate_parameter` as a predicate on the (coerced) value (True: no error), the schema
        compiled by `mockserver.http.verdict`; None when it does not compile."""
        validator = parameter_validator(param)
        schema_valid = compile_schema(validator.schema, type(validator), validator.format_checker)
        if schema_valid is None:
            return None
        nullable, required = bool(is_nullable(param)), bool(param.get("required"))

        def parameter_valid(value: t.Any) -> bool:
            if nullable and is_null(value):
                return True
            if value is not None:
                return schema_valid(value)
            return not required

        return parameter_valid

    def validate_request(self, request: t.Any) -> None:
        for location in self._CHECKS:
            check = getattr(self, f"validate_{location}_parameter")
            for param in self.parameters.get(location, []):
                error = check(param, request)
                if error:
                    message = str(error).split("\n", 1)[0]
                    reason = "required" if message.startswith("Missing ") else "schema"
                    failure = Failure(
                        FailureKind.INVALID_PARAMETER, message, (param["name"],), reason, location
                    )
                    raise SchemaViolation(failure)


def _body_map() -> t.Any:
    body = dict(VALIDATOR_MAP["body"])
    body["*/*json"] = StructuredJSONBodyValidator
    return type(VALIDATOR_MAP["body"])(body)


VALIDATORS: dict[str, t.Any] = {"parameter": StructuredParameterValidator, "body": _body_map()}
__all__ = ["VALIDATORS", "SchemaViolation", "body_failure"]
