"""One operation compiled once for the fast lane: its route, its parameter checks, its body check.

A plan is built from Connexion's own operation object, with Connexion's own pieces: the route is
the one Connexion's router registers (`starlettify_path`, Starlette's convertors), query and path
values are coerced by Connexion's `coerce_type`, each value is checked as
`StructuredParameterValidator.validate_parameter` checks it, the content type by the same rules as
`RequestValidationOperation`, and the body by the same `validator_map` class — built once here
instead of once per request. The JSON schemas themselves are compiled by
`mockserver.http.verdict` into predicates with exactly jsonschema's verdict (a schema it does not
compile keeps jsonschema's validator). So a plan accepts exactly what Connexion's validation accepts.

A plan only ever says "valid, here are the values" or "declined". It declines whatever it cannot
vouch for — a failed check, an unusual content type or charset, a repeated header it reads, a
parameter style it does not compile — and the request then takes the Connexion lane, which
validates it again and renders the error in the vendor's format. Declining costs speed, never
correctness.
"""

from __future__ import annotations

import json
import re
import typing as t
from copy import deepcopy
from dataclasses import dataclass
from functools import lru_cache

import orjson
from connexion.exceptions import TypeValidationError
from connexion.frameworks.starlette import starlettify_path
from connexion.operations import AbstractOperation
from connexion.utils import boolean, coerce_type, is_json_mimetype, is_null, is_nullable, split_content_type
from starlette.convertors import StringConvertor
from starlette.routing import compile_path

from mockserver.http.validation import (
    SchemaViolation,
    StructuredJSONBodyValidator,
    StructuredParameterValidator,
)
from mockserver.http.verdict import Predicate

DECLINE: t.Final = object()
"""A plan's answer when the request must take the Connexion lane."""

_SCALARS = ("string", "integer", "number", "boolean")
_DEFAULT_STYLE = {"query": "form", "path": "simple", "header": "simple"}
_UTF8 = (None, "utf-8", "UTF-8", "utf8", "UTF8")


_LONG_NUMBER = re.compile(rb"[0-9]{19}")


def _parse_json(raw: bytes) -> t.Any:
    """`json.loads(raw.decode("utf-8"))`, as Connexion parses a body. orjson parses first (about
    three times faster, and equal wherever it succeeds) unless the body holds a run of 19 digits
    (orjson reads an integer beyond 64 bits as a float); what orjson refuses — a lone surrogate,
    `NaN`, invalid UTF-8 — is left to the standard library, which gives Connexion's own result or
    error."""
    if _LONG_NUMBER.search(raw) is None:
        try:
            return orjson.loads(raw)
        except orjson.JSONDecodeError:
            pass
    return json.loads(raw.decode("utf-8"))


@lru_cache(maxsize=256)
def _content_type(value: bytes | None) -> tuple[str | None, bool, bool] | None:
    """A Content-Type header value as `body` reads it: the mime type, whether the whole value and
    the mime type are JSON types; None for a value the lane declines (not one `/`, or a charset
    other than UTF-8). Cached: clients send few distinct values."""
    content_type = None if value is None else value.decode("latin-1")
    if content_type is not None and content_type.count("/") != 1:
        return None
    mime, encoding = split_content_type(content_type)
    if encoding not in _UTF8:
        return None
    json_typed = content_type is not None and is_json_mimetype(content_type)
    json_mime = mime is not None and mime.count("/") == 1 and is_json_mimetype(mime)
    return mime, json_typed, json_mime


@dataclass(frozen=True)
class Param:
    location: str  # query, path or header
    name: str
    definition: dict[str, t.Any]
    header: bytes  # the lower-case header name (header parameters only)
    valid: Predicate  # the (coerced) value passes `StructuredParameterValidator.validate_parameter`
    coerce: t.Callable[[str], t.Any] | None  # Connexion's `coerce_type` for this parameter (None: as is)

    @classmethod
    def of(cls, definition: dict[str, t.Any]) -> Param:
        location, name = definition["in"], definition["name"]
        valid = StructuredParameterValidator.compiled(definition) or _validate_parameter(definition)
        return cls(location, name, definition, name.lower().encode("latin-1"), valid, _coercion(definition))


_CONVERSIONS: dict[str, t.Callable[[str], t.Any]] = {"integer": int, "number": float, "boolean": boolean}


def _coercion(definition: dict[str, t.Any]) -> t.Callable[[str], t.Any] | None:
    """What `coerce_type(definition, value, ...)` does to a scalar parameter's text, without its
    per-call lookups (and the TypeError it raises and swallows for every string): the type's
    conversion (a ValueError where Connexion raises TypeValidationError), None for a string, and
    `coerce_type` itself for a nullable schema."""
    schema = definition.get("schema", definition)
    if is_nullable(schema):
        return lambda value: coerce_type(definition, value, "parameter", definition["name"])
    return _CONVERSIONS.get(schema.get("type", ""))


def _validate_parameter(definition: dict[str, t.Any]) -> Predicate:
    """`StructuredParameterValidator.validate_parameter` itself (jsonschema), for a schema the
    compiler refuses."""

    def valid(value: t.Any) -> bool:
        error = StructuredParameterValidator.validate_parameter(
            definition["in"], value, definition, definition["name"]
        )
        return not error

    return valid


def _compilable(param: dict[str, t.Any]) -> bool:
    """Scalar parameters in their default style, which is all the vendor specs use."""
    schema = param.get("schema", {})
    location = param.get("in")
    return (
        location in _DEFAULT_STYLE
        and schema.get("type") in _SCALARS
        and param.get("style", _DEFAULT_STYLE[location]) == _DEFAULT_STYLE[location]
        and "content" not in param
    )


class Route:
    """Connexion's route for one operation: the same regex and convertors as its router."""

    def __init__(self, operation: AbstractOperation, path: str) -> None:
        template = starlettify_path(path, operation.get_path_parameter_types())
        self.regex, _, self.convertors = compile_path(template)
        # Starlette's string convertor returns the text as it is: no conversion to run
        self.as_text = all(type(c) is StringConvertor for c in self.convertors.values())

    def match(self, path: str) -> dict[str, t.Any] | None:
        """The path parameters, converted, if `path` (the part after the API's base path) matches."""
        found = self.regex.match(path)
        if found is None:
            return None
        if self.as_text:
            return found.groupdict()
        return {name: self.convertors[name].convert(value) for name, value in found.groupdict().items()}


class OperationPlan:
    def __init__(self, operation: AbstractOperation, path: str, validator_map: dict[str, t.Any]) -> None:
        self.operation_id = str(operation.operation_id)
        self.route = Route(operation, path)
        parameters = list(operation.parameters)
        self.compiled = all(_compilable(param) for param in parameters)
        self.params = [Param.of(p) for p in parameters] if self.compiled else []
        self._operation = operation
        self._validator_map = validator_map
        self._consumes = list(operation.consumes)
        self._has_body = operation.is_request_body_defined
        self._body_checks: dict[str, Predicate] = {}
        self._body_schemas: dict[str, dict[str, t.Any]] = {}

    # parameters -----------------------------------------------------------------------------------
    def parameters_valid(
        self, query: dict[str, list[str]], path_params: dict[str, t.Any], headers: dict[bytes, list[bytes]]
    ) -> bool:
        for param in self.params:
            value: t.Any
            if param.location == "header":
                values = headers.get(param.header)
                if values is not None and len(values) > 1:
                    return False  # Starlette reads the first, a proxy might join them: let Connexion decide
                value = None if values is None else values[0].decode("latin-1")
            else:
                if param.location == "query":
                    raw = query.get(param.name)
                    value = None if raw is None else raw[-1]
                else:  # Starlette names a path parameter `event-id` `event_id`, which Connexion's
                    value = path_params.get(param.name.replace("-", "_"))  # parser then leaves uncoerced
                coerce = param.coerce
                if (
                    coerce is not None
                    and value is not None
                    and (param.location == "query" or "-" not in param.name)
                ):
                    try:
                        value = coerce(value)
                    except (TypeValidationError, ValueError):
                        return False
            if not param.valid(value):
                return False
        return True

    # body -----------------------------------------------------------------------------------------
    def body(self, content_types: list[bytes], raw: bytes) -> t.Any:
        """The body argument the handler gets (as Connexion's parameter decorator builds it), or
        `DECLINE`. `content_types` are the request's Content-Type header values."""
        if len(content_types) > 1:
            return DECLINE
        facts = _content_type(content_types[0] if content_types else None)
        if facts is None:
            return DECLINE
        mime, json_typed, json_mime = facts
        if raw.strip() and json_typed:
            try:
                parsed = _parse_json(raw)
            except (UnicodeDecodeError, json.JSONDecodeError):
                return DECLINE  # the Gate refuses it in the vendor's format
        elif raw.strip():
            parsed = DECLINE  # a body that is not JSON: only Connexion knows what to make of it
        else:
            parsed = None
        if not self._has_body:
            return None
        if mime is None or mime not in self._consumes:
            return DECLINE
        if parsed is DECLINE or not json_mime:
            return DECLINE
        check = self._body_check(mime)
        if check is None:
            return DECLINE
        if not check(parsed):
            return DECLINE
        schema = self._body_schema(mime)
        if is_nullable(schema) and is_null(parsed):
            return None
        if parsed is None:
            return deepcopy(schema.get("default", {}))
        return parsed

    def _body_check(self, mime: str) -> Predicate | None:
        """Whether a parsed body passes the `validator_map` class's `_validate` (None: no check)."""
        found = self._body_checks.get(mime)
        if found is None:
            operation = self._operation
            schema = self._body_schema(mime)
            try:
                validator_class = self._validator_map["body"][mime]
            except KeyError:
                return None
            if not schema:
                return None
            validator = validator_class(
                schema=schema,
                required=operation.request_body.get("required", False),
                nullable=is_nullable(operation.body_definition(mime)),
                encoding="utf-8",
                strict_validation=False,
                uri_parser=operation.uri_parser_class(operation.parameters, operation.body_definition()),
            )
            compiled = validator.compiled() if isinstance(validator, StructuredJSONBodyValidator) else None
            found = self._body_checks[mime] = compiled or _validates(validator)
        return found

    def _body_schema(self, mime: str) -> dict[str, t.Any]:
        """`operation.body_schema(mime)`, looked up once (Connexion rebuilds the lookup each call and
        returns the same dict)."""
        found = self._body_schemas.get(mime)
        if found is None:
            found = self._body_schemas[mime] = self._operation.body_schema(mime)
        return found


def _validates(validator: t.Any) -> Predicate:
    """The validator's own `_validate` (jsonschema), for a schema (or a `validator_map` class) the
    compiler does not reproduce."""

    def valid(body: t.Any) -> bool:
        try:
            validator._validate(body)
        except SchemaViolation:
            return False
        return True

    return valid
