"""`mockserver.http.verdict` gives jsonschema's verdict, exactly, or refuses to compile.

The differential tests take every request-body schema (and every schema nested in one) and every
parameter schema of the vendor specs, as Connexion resolves them, and compare the compiled
predicate with jsonschema's `is_valid` — `Draft4RequestValidator` for bodies, `Draft4Validator` for
parameters, both with `Draft4Validator.FORMAT_CHECKER`, as `mockserver.http.validation` builds them —
on generated instances: valid ones (Schemathesis, from the schema), Schemathesis' own invalid ones,
mutations of valid ones (a key dropped or added, a value of another type, a long string, a bool for
an int, 1.0 for 1) and arbitrary JSON values. `VERDICT_EXAMPLES=<n>` scales the example counts
(default 0.3, about 2,300 comparisons; `VERDICT_EXAMPLES=10` ran 77,200 with no difference).
"""

from __future__ import annotations

import copy
import json
import math
import os
from collections.abc import Iterator
from functools import cache
from typing import Any

import pytest
import schemathesis
from connexion.http_facts import METHODS
from connexion.json_schema import Draft4RequestValidator, Draft4ResponseValidator
from connexion.resolver import Resolver
from connexion.spec import Specification
from connexion.validators import VALIDATOR_MAP
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft4Validator, Draft7Validator
from jsonschema.validators import extend
from schemathesis import GenerationMode

from cancel_contracts import specs
from mockserver.http import verdict
from mockserver.http.plan import DECLINE, OperationPlan
from mockserver.http.validation import (
    VALIDATORS,
    SchemaViolation,
    StructuredJSONBodyValidator,
    StructuredParameterValidator,
)
from mockserver.http.verdict import compile_schema, refusal

FORMATS = Draft4Validator.FORMAT_CHECKER
SCALE = float(os.environ.get("VERDICT_EXAMPLES", "0.3"))


def _examples(count: int) -> int:
    return max(1, int(count * SCALE))


# the vendor schemas, as Connexion resolves them -------------------------------------------------------
def _operations() -> Iterator[tuple[str, Any]]:
    resolver = Resolver(function_resolver=lambda _: lambda: None)
    for vendor in specs.VENDORS:
        specification = Specification.load(specs.load(vendor))
        for path, methods in specification.get("paths", {}).items():
            for method in methods:
                if method in METHODS:
                    yield (
                        vendor,
                        specification.operation_cls.from_spec(
                            specification, path=path, method=method, resolver=resolver
                        ),
                    )


def _plain(schema: Any) -> Any:
    """The schema without the `components` Connexion attaches (only a `$ref` could reach them)."""
    return {k: v for k, v in schema.items() if k != "components"} if isinstance(schema, dict) else schema


def _key(schema: Any) -> str:
    return json.dumps(_plain(schema), sort_keys=True, default=repr)


def _nested(schema: Any) -> Iterator[Any]:
    if not isinstance(schema, dict):
        return
    for sub in (schema.get("properties") or {}).values():
        yield sub
        yield from _nested(sub)
    for keyword in ("items", "additionalProperties"):
        if isinstance(schema.get(keyword), dict):
            yield schema[keyword]
            yield from _nested(schema[keyword])


def _collect() -> tuple[dict[str, Any], dict[str, Any], dict[str, dict[str, Any]]]:
    bodies: dict[str, Any] = {}
    nested: dict[str, Any] = {}
    parameters: dict[str, dict[str, Any]] = {}
    for _vendor, operation in _operations():
        for param in operation.parameters:
            parameters.setdefault(_key(param), param)
        if not operation.is_request_body_defined:
            continue
        for mime in operation.consumes:
            schema = operation.body_schema(mime)
            bodies.setdefault(_key(schema), schema)
            for sub in _nested(schema):
                nested.setdefault(_key(sub), sub)
    return bodies, nested, parameters


BODIES, NESTED, PARAMETERS = _collect()
BODY_CASES = [pytest.param(schema, id=f"body{n}") for n, schema in enumerate(BODIES.values())]
NESTED_CASES = [
    pytest.param(schema, id=f"nested{n}-{_key(schema)[:40]}") for n, schema in enumerate(NESTED.values())
]
PARAMETER_CASES = [
    pytest.param(param, id=f"{param['in']}-{param['name']}-{n}")
    for n, param in enumerate(PARAMETERS.values())
]
PARAMETER_SCHEMAS = {
    _key(param.get("schema", param)): param.get("schema", param) for param in PARAMETERS.values()
}
PARAMETER_SCHEMA_CASES = [
    pytest.param(schema, id=f"parameter{n}-{_key(schema)[:40]}")
    for n, schema in enumerate(PARAMETER_SCHEMAS.values())
]


# strategies ---------------------------------------------------------------------------------------------
def _operation(schema: Any) -> Any:
    """The schema as the JSON request body of a one-operation OpenAPI document, for Schemathesis."""
    body = {"required": True, "content": {"application/json": {"schema": _plain(schema)}}}
    document = {
        "openapi": "3.0.3",
        "info": {"title": "verdict", "version": "1"},
        "paths": {"/x": {"post": {"requestBody": body, "responses": {"200": {"description": "ok"}}}}},
    }
    return next(iter(schemathesis.openapi.from_dict(document).get_all_operations())).ok()


_POOLS: dict[tuple[str, GenerationMode], list[Any]] = {}


def _schemathesis(schema: Any, mode: GenerationMode, count: int = 30) -> st.SearchStrategy[Any]:
    """Bodies Schemathesis generates for the schema (as an OpenAPI body, so it reads `nullable`):
    valid by its reading in positive mode, invalid in negative mode. Drawn once per schema into a
    pool (Schemathesis spends ~50 ms on a Graph event), then sampled."""
    key = (_key(schema), mode)
    if key not in _POOLS:
        pool: list[Any] = []
        strategy = _operation(schema).as_strategy(mode)

        @settings(max_examples=count, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        @given(strategy)
        def collect(case: Any) -> None:
            pool.append(case.body)

        collect()
        _POOLS[key] = pool
    return st.sampled_from(_POOLS[key])


def _datetimes() -> st.SearchStrategy[str]:
    offsets = st.sampled_from(["Z", "z", "+00:00", "-05:30", "+23:59"])
    fractions = st.sampled_from(["", ".5", ".123456"])
    return st.builds(
        lambda moment, fraction, offset: moment.strftime("%Y-%m-%dT%H:%M:%S") + fraction + offset,
        st.datetimes(),
        fractions,
        offsets,
    )


_FORMATS: dict[str, st.SearchStrategy[str]] = {
    "date-time": _datetimes(),
    "uuid": st.uuids().map(str),
    "email": st.emails(),
}


def _conforming(schema: Any) -> st.SearchStrategy[Any]:
    """Values built to satisfy the schema (the keyword subset the vendor specs use), quickly; not
    trusted — the oracle decides — only aimed at the valid side of the boundary."""
    if schema is True or not isinstance(schema, dict):
        return _json(())
    if schema is False:
        return st.nothing()
    nullable = schema.get("nullable") or schema.get("x-nullable") is True
    if "enum" in schema:
        options = st.sampled_from(schema["enum"])
        return st.one_of(st.none(), options) if nullable else options
    types = schema.get("type", ["object", "array", "string", "integer", "number", "boolean", "null"])
    types = [types] if isinstance(types, str) else types
    built = [_typed(schema, name) for name in types]
    if nullable:
        built.append(st.none())
    return st.one_of(built)


def _typed(schema: dict[str, Any], name: str) -> st.SearchStrategy[Any]:
    if name == "object":
        properties = schema.get("properties") or {}
        required = [k for k in schema.get("required", []) if isinstance(k, str)]
        base = st.fixed_dictionaries(
            {k: _conforming(properties.get(k, {})) for k in required},
            optional={k: _conforming(v) for k, v in properties.items() if k not in required},
        )
        extra = schema.get("additionalProperties", True)
        if extra is not False:
            extras = st.dictionaries(
                st.text(max_size=6).filter(lambda k: k not in properties),
                _conforming(extra) if isinstance(extra, dict) else _json(()),
                max_size=2,
            )
            base = st.builds(lambda known, more: {**more, **known}, base, extras)
        most = schema.get("maxProperties")
        least = schema.get("minProperties", 0)
        return base.filter(lambda d: least <= len(d) and (most is None or len(d) <= most))
    if name == "array":
        return st.lists(
            _conforming(schema.get("items", {})),
            min_size=schema.get("minItems", 0),
            max_size=min(schema.get("maxItems", 5), 5),
        )
    if name == "string":
        least, most = schema.get("minLength", 0), schema.get("maxLength")
        if "format" in schema and schema["format"] in _FORMATS:
            text = _FORMATS[schema["format"]]
        elif "pattern" in schema:
            text = st.from_regex(schema["pattern"])
        else:
            text = st.text(min_size=least, max_size=most if most is not None else 40)
        return text.filter(lambda v: least <= len(v) and (most is None or len(v) <= most))
    if name in ("integer", "number"):
        low, high = schema.get("minimum"), schema.get("maximum")
        integers = st.integers(
            min_value=None if low is None else math.ceil(low),
            max_value=None if high is None else math.floor(high),
        )
        if name == "integer":
            return integers
        return st.one_of(
            integers, st.floats(min_value=low, max_value=high, allow_nan=low is None and high is None)
        )
    if name == "boolean":
        return st.booleans()
    return st.none()


def _names(schema: Any) -> tuple[str, ...]:
    """Property names and enum strings anywhere in the schema: keys and values worth trying."""
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            found.update(k for k in (node.get("properties") or {}) if isinstance(k, str))
            found.update(m for m in node.get("enum") or () if isinstance(m, str))
            for sub in _nested(node):
                walk(sub)

    walk(_plain(schema))
    return tuple(sorted(found))


SPECIAL_VALUES = [
    None,
    True,
    False,
    0,
    1,
    -1,
    0.0,
    1.0,
    -0.0,
    1.5,
    2**64,
    -(2**70),
    1e308,
    math.inf,
    -math.inf,
    math.nan,
    "",
    " ",
    "\n",
    "a\n",
    "null",
    "None",
    "x" * 256,
    "x" * 501,
    "😀",
    "\ud800",
    "2099-01-25T15:30:00Z",
    "2099-01-25t15:30:00z",
    "2099-01-25T15:30:00Z\n",
    "2099-02-30T15:30:00Z",
    "0000-01-01T00:00:00Z",
    "a1000000-0000-4000-8000-000000000000",
    [],
    {},
    [None],
    {"": None},
]


@cache
def _scalars(names: tuple[str, ...]) -> st.SearchStrategy[Any]:
    return st.one_of(
        st.sampled_from(SPECIAL_VALUES),
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(),
        st.text(max_size=20),
        st.text(min_size=250, max_size=600),
        *([st.sampled_from(names)] if names else []),
    )


@cache
def _json(names: tuple[str, ...]) -> st.SearchStrategy[Any]:
    keys = st.one_of(st.text(max_size=8), st.sampled_from(names)) if names else st.text(max_size=8)
    return st.recursive(
        _scalars(names),
        lambda children: st.one_of(
            st.lists(children, max_size=4), st.dictionaries(keys, children, max_size=5)
        ),
        max_leaves=12,
    )


def _paths(value: Any, here: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield here
    if isinstance(value, dict):
        for key, sub in value.items():
            yield from _paths(sub, (*here, key))
    elif isinstance(value, list):
        for index, sub in enumerate(value):
            yield from _paths(sub, (*here, index))


def _replaced(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    copied = copy.copy(value)
    copied[path[0]] = _replaced(value[path[0]], path[1:], new)
    return copied


def _other_values(node: Any, names: tuple[str, ...]) -> st.SearchStrategy[Any]:
    """What a node could be mutated into."""
    options: list[st.SearchStrategy[Any]] = [_scalars(names), _json(names)]
    if isinstance(node, bool):
        options.append(st.sampled_from([int(node), float(node), str(node).lower(), not node]))
    elif isinstance(node, int):
        options.append(st.sampled_from([float(node), bool(node), str(node), node + 1, node - 1, -node]))
    elif isinstance(node, float):
        options.append(st.sampled_from([node + 1, node - 1, -node, math.nan, str(node)]))
    elif isinstance(node, str):
        options.append(
            st.sampled_from(
                [node + "\n", node * 40, "", " " + node, node.upper(), node[:-1], node + "x", node[1:]]
            )
        )
    elif isinstance(node, dict):
        extra_keys = st.one_of(st.text(max_size=8), st.sampled_from(names)) if names else st.text(max_size=8)
        options.append(
            st.tuples(extra_keys, _scalars(names)).map(lambda kv, node=node: {**node, kv[0]: kv[1]})
        )
        if node:
            options.append(
                st.sampled_from(sorted(node)).map(
                    lambda gone, node=node: {k: v for k, v in node.items() if k != gone}
                )
            )
    elif isinstance(node, list):
        options.append(st.just([*node, *node]))
        options.append(st.just(node[:-1]))
        options.append(_json(names).map(lambda extra, node=node: [*node, extra]))
    return st.one_of(options)


def _mutations(value: Any, names: tuple[str, ...]) -> st.SearchStrategy[Any]:
    paths = list(_paths(value))
    return st.sampled_from(paths).flatmap(
        lambda path: _other_values(_at(value, path), names).map(lambda new: _replaced(value, path, new))
    )


def _at(value: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        value = value[step]
    return value


def _instances(schema: Any, schemathesis: bool = True) -> st.SearchStrategy[Any]:
    names = _names(schema)
    valid = _conforming(schema)
    generated: list[st.SearchStrategy[Any]] = []
    if schemathesis:
        valid = st.one_of(valid, _schemathesis(schema, GenerationMode.POSITIVE))
        generated.append(_schemathesis(schema, GenerationMode.NEGATIVE))
    return st.one_of(
        valid,
        *generated,
        valid.flatmap(lambda value: _mutations(value, names)),
        valid.flatmap(lambda value: _mutations(value, names)).flatmap(lambda value: _mutations(value, names)),
        _json(names),
    )


def _differential(schema: Any, validator_class: Any, examples: int, schemathesis: bool = True) -> None:
    compiled = compile_schema(schema, validator_class, FORMATS)
    assert compiled is not None, refusal(schema, validator_class, FORMATS)
    oracle = validator_class(schema, format_checker=FORMATS)
    verdicts = {True: 0, False: 0}

    @settings(
        max_examples=_examples(examples),
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    @given(_instances(schema, schemathesis))
    def check(instance: Any) -> None:
        expected = oracle.is_valid(instance)
        verdicts[expected] += 1
        assert compiled(instance) is expected, instance

    check()
    print(f"verdicts: {verdicts[True]} valid, {verdicts[False]} invalid")  # shown with -s
    assert verdicts[True] and verdicts[False], "the instances should land on both sides"


# differential: every vendor schema -------------------------------------------------------------------
@pytest.mark.parametrize("schema", BODY_CASES)
def test_body_schemas_get_jsonschemas_verdict(schema: Any) -> None:
    _differential(schema, Draft4RequestValidator, 300)


@pytest.mark.parametrize("schema", NESTED_CASES)
def test_nested_body_schemas_get_jsonschemas_verdict(schema: Any) -> None:
    """Each schema nested in a body schema, as a root (Schemathesis' pools only for the roots)."""
    _differential(schema, Draft4RequestValidator, 40, schemathesis=False)


@pytest.mark.parametrize("schema", PARAMETER_SCHEMA_CASES)
def test_parameter_schemas_get_jsonschemas_verdict(schema: dict[str, Any]) -> None:
    _differential(schema, Draft4Validator, 300)


@pytest.mark.parametrize("param", PARAMETER_CASES)
def test_compiled_parameter_check_is_validate_parameter(param: dict[str, Any]) -> None:
    """The whole parameter rule (nullable, required, then the schema) as `validate_parameter` has it."""
    compiled = StructuredParameterValidator.compiled(param)
    assert compiled is not None
    schema = param.get("schema", param)

    @settings(
        max_examples=_examples(100), deadline=None, suppress_health_check=list(HealthCheck), database=None
    )
    @given(st.one_of(st.none(), st.sampled_from(["null", "None", " null "]), _instances(schema)))
    def check(value: Any) -> None:
        error = StructuredParameterValidator.validate_parameter(param["in"], value, param, param["name"])
        assert compiled(value) is (error is None), value

    check()


@pytest.mark.parametrize("schema", BODY_CASES)
def test_compiled_body_check_is_validate(schema: Any) -> None:
    """The whole body rule (absent and optional, absent and nullable, then the schema) as
    `StructuredJSONBodyValidator._validate` has it, for every `required` and `nullable`."""
    validators = [
        StructuredJSONBodyValidator(
            schema=schema, required=required, nullable=nullable, encoding="utf-8", strict_validation=False
        )
        for required in (False, True)
        for nullable in (False, True)
    ]
    compiled = [validator.compiled() for validator in validators]
    assert None not in compiled

    @settings(
        max_examples=_examples(100), deadline=None, suppress_health_check=list(HealthCheck), database=None
    )
    @given(st.one_of(st.none(), _instances(schema)))
    def check(body: Any) -> None:
        for validator, valid in zip(validators, compiled, strict=True):
            try:
                validator._validate(body)
            except SchemaViolation:
                expected = False
            else:
                expected = True
            assert valid is not None and valid(body) is expected, (
                body,
                validator._required,
                validator._nullable,
            )

    check()


def test_every_vendor_schema_compiles() -> None:
    """Otherwise the plan silently keeps jsonschema for it (correct, but slow)."""
    assert len(BODIES) >= 10 and len(PARAMETERS) >= 8
    for schema in BODIES.values():
        assert refusal(schema, Draft4RequestValidator, FORMATS) is None
    for param in PARAMETERS.values():
        assert StructuredParameterValidator.compiled(param) is not None


# keywords, one at a time ---------------------------------------------------------------------------
def _agree(schema: dict[str, Any], instance: Any, validator_class: Any = Draft4RequestValidator) -> bool:
    compiled = compile_schema(schema, validator_class, FORMATS)
    assert compiled is not None, refusal(schema, validator_class, FORMATS)
    expected = validator_class(schema, format_checker=FORMATS).is_valid(instance)
    assert compiled(instance) is expected, (schema, instance)
    return expected


EDGES: list[tuple[dict[str, Any], Any, bool]] = [
    # type: Draft 4's checker
    ({"type": "integer"}, 1, True),
    ({"type": "integer"}, 1.0, False),  # Draft 4: a float is never an integer
    ({"type": "integer"}, True, False),  # bool is not an integer
    ({"type": "integer"}, 2**80, True),
    ({"type": "number"}, True, False),
    ({"type": "number"}, 1, True),
    ({"type": "number"}, math.nan, True),
    ({"type": "number"}, math.inf, True),
    ({"type": "boolean"}, 0, False),
    ({"type": "string"}, None, False),
    ({"type": "null"}, None, True),
    ({"type": "object"}, [], False),
    ({"type": "array"}, {}, False),
    ({"type": ["string", "null"]}, None, True),
    ({"type": ["integer", "boolean"]}, True, True),
    ({"type": ["integer", "boolean"], "minimum": 5}, True, True),  # minimum does not look at a bool
    ({"type": []}, None, False),
    # nullable: only `type` and `enum` (request validator), `x-nullable` only when it `is True`
    ({"type": "string", "nullable": True}, None, True),
    ({"type": "string", "nullable": False}, None, False),
    ({"type": "string", "nullable": "false"}, None, True),  # a truthy string
    ({"type": "string", "x-nullable": True}, None, True),
    ({"type": "string", "x-nullable": 1}, None, False),
    ({"enum": ["a"], "nullable": True}, None, True),
    ({"enum": ["a"]}, None, False),
    ({"type": "object", "nullable": True, "required": ["a"]}, None, True),
    ({"type": "string", "nullable": True, "minLength": 3}, None, True),
    # enum: jsonschema's `equal`
    ({"enum": [1]}, True, False),
    ({"enum": [True]}, 1, False),
    ({"enum": [0]}, False, False),
    ({"enum": [1.0]}, 1, True),
    ({"enum": [1]}, 1.0, True),
    ({"enum": [[1]]}, [True], False),
    ({"enum": [[1]]}, [1.0], True),
    ({"enum": [{"a": 1}]}, {"a": True}, False),
    ({"enum": [{"a": 1}]}, {"a": 1}, True),
    ({"enum": ["1"]}, 1, False),
    ({"enum": [None]}, None, True),
    ({"enum": []}, "a", False),
    ({"enum": ["a", 1]}, "a", True),
    # strings: code points, unanchored search, `$` before a final newline
    ({"minLength": 2}, "😀", False),
    ({"maxLength": 1}, "😀", True),
    ({"maxLength": 1}, "e\u0301", False),  # e + combining accent: two code points
    ({"maxLength": 1}, "\ud800", True),
    ({"minLength": 1}, 5, True),  # not a string: minLength does not apply
    ({"pattern": "\\S"}, "  a ", True),
    ({"pattern": "\\S"}, " \t\n", False),
    ({"pattern": "^[^/\\x00-\\x1F\\x7F]+$"}, "abc\n", True),
    ({"pattern": "^[^/\\x00-\\x1F\\x7F]+$"}, "a/c", False),
    ({"pattern": "^a"}, ["a"], True),
    ({"minLength": 1.5}, "a", False),
    # numbers: Draft 4's boolean exclusive bounds; bool is not a number
    ({"minimum": 1}, 1, True),
    ({"minimum": 1, "exclusiveMinimum": True}, 1, False),
    ({"maximum": 1, "exclusiveMaximum": True}, 1, False),
    ({"maximum": 1, "exclusiveMaximum": False}, 1, True),
    ({"exclusiveMaximum": True}, 5, True),  # alone it does nothing
    ({"minimum": 5}, True, True),
    ({"minimum": 5}, "1", True),
    ({"minimum": 0}, math.nan, True),
    ({"maximum": 0, "exclusiveMaximum": True}, math.nan, True),
    ({"maximum": 1000}, math.inf, False),
    ({"minimum": 1, "maximum": 1000}, 1000.0, True),
    # objects
    ({"required": ["a"]}, {}, False),
    ({"required": ["a"]}, {"a": None}, True),
    ({"required": ["a"]}, ["a"], True),  # not an object: required does not apply
    ({"required": []}, {}, True),
    ({"additionalProperties": False}, {"a": 1}, False),
    ({"additionalProperties": False, "properties": {"a": {}}}, {"a": 1}, True),
    ({"additionalProperties": False, "properties": {"a": False}}, {"a": 1}, False),
    ({"additionalProperties": False, "properties": {"a": True}}, {"a": 1}, True),
    ({"additionalProperties": True}, {"a": 1}, True),
    ({"additionalProperties": {}}, {"a": 1}, True),
    ({"additionalProperties": {"type": "string"}, "properties": {"a": {}}}, {"a": 1, "b": "x"}, True),
    ({"additionalProperties": {"type": "string"}, "properties": {"a": {}}}, {"a": 1, "b": 2}, False),
    ({"properties": {"a": {"type": "string"}}}, {"a": 1}, False),
    ({"properties": {"a": {"type": "string"}}}, {"b": 1}, True),
    ({"properties": {"1": {"type": "string"}}}, {"1": 1}, False),
    ({"maxProperties": 1}, {"a": 1, "b": 2}, False),
    ({"minProperties": 1}, {}, False),
    ({"minProperties": 1}, "", True),
    # arrays
    ({"items": {"type": "integer"}}, [1, 2.0], False),
    ({"items": {"type": "integer"}}, [], True),
    ({"items": {"type": "integer"}}, {"a": 1.5}, True),
    ({"minItems": 1}, [], False),
    ({"maxItems": 1}, [1, 2], False),
    ({"maxItems": 1}, "ab", True),
    # format: the very FORMAT_CHECKER, on every type
    ({"format": "date-time"}, "2099-01-25T15:30:00Z", True),
    ({"format": "date-time"}, "2099-01-25t15:30:00z", True),  # the checker upper-cases
    ({"format": "date-time"}, "2099-01-25T15:30:00Z\n", True),  # its regex ends in `$`
    ({"format": "date-time"}, "2099-02-30T15:30:00Z", False),
    ({"format": "date-time"}, "0000-01-01T00:00:00Z", False),
    ({"format": "date-time"}, 5, True),
    ({"format": "email"}, "no-at-sign", False),
    ({"format": "uuid"}, "not a uuid", True),  # Draft 4 has no uuid checker
    ({"format": "uri"}, "not a uri", True),  # nor a uri one without rfc3987
    # annotations
    ({"type": "string", "readOnly": True}, "a", True),
    ({"type": "string", "writeOnly": True}, "a", True),  # only the response validator checks it
    ({"type": "object", "default": {"a": 1}, "required": ["a"]}, {}, False),
    (
        {"type": "string", "example": 5, "description": "d", "title": "t", "x-anything": {"$ref": "#/x"}},
        "a",
        True,
    ),
    ({"type": "object", "components": {"schemas": {"A": {"$ref": "#/components/schemas/A"}}}}, {}, True),
]


@pytest.mark.parametrize(("schema", "instance", "expected"), EDGES, ids=[repr(e)[:70] for e in EDGES])
def test_keyword_edges(schema: dict[str, Any], instance: Any, expected: bool) -> None:
    assert _agree(schema, instance) is expected


@pytest.mark.parametrize(
    ("schema", "instance", "expected"),
    [
        ({"type": "string", "nullable": True}, None, False),  # plain Draft 4: nullable is an annotation
        ({"enum": ["a"], "nullable": True}, None, False),
        ({"type": "string", "x-nullable": True}, None, False),
        ({"type": "integer", "minimum": 1, "maximum": 1000}, 1000, True),
        ({"type": "string", "enum": ["v2", "v2.1"]}, "v2.1", True),
    ],
)
def test_plain_draft4_edges(schema: dict[str, Any], instance: Any, expected: bool) -> None:
    assert _agree(schema, instance, Draft4Validator) is expected


@given(_json(("a", "b")))
@settings(max_examples=_examples(300), deadline=None, database=None)
def test_a_schema_using_every_keyword(instance: Any) -> None:
    schema = {
        "type": ["object", "array", "string", "number", "null"],
        "nullable": True,
        "required": ["a"],
        "properties": {"a": {"type": ["integer", "boolean", "string"], "enum": [1, True, "a", None]}},
        "additionalProperties": {"type": "array", "items": {"minimum": 0, "exclusiveMinimum": True}},
        "minProperties": 1,
        "maxProperties": 3,
        "items": {"type": "string", "minLength": 1, "maxLength": 3, "pattern": "a"},
        "minItems": 1,
        "maxItems": 2,
        "minLength": 1,
        "maxLength": 10,
        "pattern": "^[ab]",
        "minimum": -5,
        "maximum": 5,
        "format": "date-time",
    }
    _agree(schema, instance)
    _agree(schema, instance, Draft4Validator)


# refusals -----------------------------------------------------------------------------------------------
REFUSED: list[dict[str, Any]] = [
    {"$ref": "#/components/schemas/A"},
    {"properties": {"a": {"$ref": "#/components/schemas/A"}}},
    {"allOf": [{}]},
    {"anyOf": [{}]},
    {"oneOf": [{}]},
    {"not": {}},
    {"patternProperties": {"a": {}}},
    {"dependencies": {"a": ["b"]}},
    {"uniqueItems": True},
    {"multipleOf": 2},
    {"additionalItems": False},
    {"discriminator": {"propertyName": "a"}},
    {"unknownKeyword": 1},
    {"$schema": "http://json-schema.org/draft-04/schema#"},
    {"id": "http://example.com/a"},
    {"items": [{}]},  # the list form
    {"items": True},  # jsonschema raises on it
    {"required": "a"},  # iterated letter by letter
    {"required": [1]},
    {"enum": "ab"},
    {"type": "any"},
    {"type": ["string", "file"]},
    {"type": {"a": 1}},
    {"pattern": "("},
    {"pattern": 5},
    {"format": ["date-time"]},
    {"minimum": "5"},
    {"maxLength": True},
    {"properties": []},
    {"additionalProperties": None},
    {"properties": {"a": None}},
    {"properties": {"a": {"components": {}}}},  # components only at the root
    {1: {}},
]


@pytest.mark.parametrize("schema", REFUSED, ids=[repr(s)[:60] for s in REFUSED])
def test_refuses_what_it_does_not_reproduce(schema: dict[str, Any]) -> None:
    assert compile_schema(schema, Draft4RequestValidator, FORMATS) is None
    assert refusal(schema, Draft4RequestValidator, FORMATS)


def test_refuses_recursive_and_deep_schemas() -> None:
    recursive: dict[str, Any] = {"type": "object", "properties": {}}
    recursive["properties"]["self"] = recursive
    assert refusal(recursive, Draft4RequestValidator, FORMATS) == "recursive schema"
    deep: dict[str, Any] = {}
    for _ in range(100):
        deep = {"items": deep}
    assert refusal(deep, Draft4RequestValidator, FORMATS) == "schema nested too deeply"
    assert refusal(True, Draft4RequestValidator, FORMATS)


def test_a_shared_subschema_is_not_recursion() -> None:
    shared = {"type": "string", "minLength": 1}
    schema = {"properties": {"a": shared, "b": shared}, "items": shared}
    assert _agree(schema, {"a": "x", "b": ""}) is False
    assert _agree(schema, ["x"]) is True


def test_knows_only_the_two_validator_classes() -> None:
    assert compile_schema({}, Draft4Validator, FORMATS) is not None
    assert compile_schema({}, Draft4RequestValidator, FORMATS) is not None
    assert compile_schema({}, Draft4ResponseValidator, FORMATS) is None  # it checks writeOnly
    assert compile_schema({}, Draft7Validator, FORMATS) is None

    def stricter(validator: Any, minimum: Any, instance: Any, schema: Any) -> Iterator[Any]:
        yield from ()

    assert compile_schema({}, extend(Draft4Validator, {"minimum": stricter}), FORMATS) is None
    assert compile_schema({}, object, FORMATS) is None


def test_what_the_compiler_models_is_what_jsonschema_runs() -> None:
    """The keyword functions the module reproduces are the ones jsonschema's Draft 4 uses (a new
    jsonschema that changes one makes every schema refuse until this module is revisited)."""
    assert set(Draft4Validator.VALIDATORS) == verdict.DRAFT4_KEYWORDS
    for keyword, function in verdict.MODELLED.items():
        assert Draft4Validator.VALIDATORS[keyword] is function


def test_format_checks_call_the_format_checker() -> None:
    calls: list[tuple[Any, str]] = []

    class Recording:
        def conforms(self, instance: Any, format: str) -> bool:
            calls.append((instance, format))
            return instance != "bad"

    compiled = compile_schema({"format": "anything"}, Draft4Validator, Recording())
    assert compiled is not None
    assert compiled("good") and not compiled("bad") and compiled(5)
    assert calls == [("good", "anything"), ("bad", "anything"), (5, "anything")]
    no_checker = compile_schema({"format": "date-time"}, Draft4Validator, None)
    assert no_checker is not None and no_checker("not a date")


def test_body_check_falls_back_for_a_subclass_with_its_own_validate() -> None:
    class Custom(StructuredJSONBodyValidator):  # type: ignore[misc]
        def _validate(self, body: Any) -> None:
            return None

    validator = Custom(schema={"type": "object"}, required=True, encoding="utf-8", strict_validation=False)
    assert validator.compiled() is None


# the plan keeps jsonschema for what does not compile -------------------------------------------------
def _plan(body_schema: dict[str, Any], parameter_schema: dict[str, Any]) -> OperationPlan:
    document = {
        "openapi": "3.0.3",
        "info": {"title": "fallback", "version": "1"},
        "paths": {
            "/things": {
                "post": {
                    "operationId": "postThing",
                    "parameters": [{"name": "n", "in": "query", "schema": parameter_schema}],
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": body_schema}},
                    },
                    "responses": {"200": {"description": "ok"}},
                }
            }
        },
    }
    specification = Specification.load(document)
    operation = specification.operation_cls.from_spec(
        specification,
        path="/things",
        method="post",
        resolver=Resolver(function_resolver=lambda _: lambda: None),
    )
    return OperationPlan(operation, "/things", {**VALIDATOR_MAP, **VALIDATORS})


@pytest.mark.parametrize("compiles", [True, False])
def test_plan_checks_bodies_and_parameters_with_or_without_the_compiler(compiles: bool) -> None:
    extra: dict[str, Any] = {} if compiles else {"multipleOf": 1}  # refused: jsonschema checks it
    plan = _plan(
        {"type": "object", "required": ["a"], "properties": {"a": {"type": "integer", **extra}}},
        {"type": "integer", "maximum": 5, **extra},
    )
    body_check = plan._body_check("application/json")
    assert body_check is not None
    fallbacks = {"_validates.<locals>.valid", "_validate_parameter.<locals>.valid"}
    assert (body_check.__qualname__ in fallbacks) is not compiles
    assert (plan.params[0].valid.__qualname__ in fallbacks) is not compiles
    json_type = [b"application/json"]
    assert plan.body(json_type, b'{"a": 1}') == {"a": 1}
    assert plan.body(json_type, b'{"a": 1.0}') is DECLINE
    assert plan.body(json_type, b'{"a": true}') is DECLINE
    assert plan.body(json_type, b"{}") is DECLINE
    assert plan.body(json_type, b"") is DECLINE  # required
    assert plan.parameters_valid({"n": ["5"]}, {}, {})
    assert plan.parameters_valid({}, {}, {})
    assert not plan.parameters_valid({"n": ["6"]}, {}, {})
    assert not plan.parameters_valid({"n": ["x"]}, {}, {})
