"""A JSON schema compiled to a plain predicate with exactly the verdict of a jsonschema validator.

`compile_schema(schema, validator_class, format_checker)` returns `is_valid(instance) -> bool`
giving the same answer as `validator_class(schema, format_checker=format_checker).is_valid(instance)`
for every value `json.loads` or Connexion's `coerce_type` produces, without jsonschema's
per-keyword generators, error objects and resolver bookkeeping (a request body: 25-60 µs → 1-3 µs).

It knows two validator classes, recognised by what they are made of rather than by name:
jsonschema's `Draft4Validator` and Connexion's `Draft4RequestValidator` (Draft 4, except that
`type` and `enum` let `None` pass when the schema says `x-nullable: true` or has a truthy
`nullable`). Any other class — different keywords, a keyword implemented by another function, another
type checker — is refused.

It knows the keywords the vendor specs use, with jsonschema's semantics (jsonschema/_keywords.py,
_legacy_keywords.py, _types.py):

- `type` (a name or a list of names): Draft 4's type checker. `bool` is neither an integer nor a
  number; `1.0` is a number but not an integer; `number` is any `numbers.Number` but `bool`.
- `enum`: jsonschema's `equal` (`True` is not `1`, `False` is not `0`, also inside lists).
- `format`: `format_checker.conforms(instance, format)` on every instance, as jsonschema does (each
  checker decides which types it looks at; formats it does not know pass).
- `properties`, `required`, `additionalProperties` (a boolean or a schema), `minProperties`,
  `maxProperties`: objects (`dict`) only. "Additional" means not named in `properties`.
- `items` (the one-schema form only), `minItems`, `maxItems`: arrays (`list`) only.
- `minLength`, `maxLength` (code points, `len`), `pattern` (`re.search`, unanchored): strings only.
- `minimum`, `maximum` with Draft 4's boolean `exclusiveMinimum` / `exclusiveMaximum`: numbers only,
  compared exactly as jsonschema compares (so NaN passes both, as it does there).
- Annotations, which no validator reads: `title`, `description`, `default`, `example`, `examples`,
  `readOnly`, `writeOnly` (only Connexion's *response* validator checks `writeOnly`), `deprecated`,
  `externalDocs`, `xml`, any `x-*`, `nullable` for plain Draft 4, and `components` at the root
  (Connexion attaches the spec's components to a body schema; only a `$ref` could reach them).

Anything else is refused: `$ref` and every other Draft 4 keyword (allOf, anyOf, oneOf, not,
patternProperties, dependencies, uniqueItems, multipleOf, additionalItems), unknown keywords, a
keyword whose value jsonschema would choke on or read in a surprising way (`required: "abc"` is
iterated letter by letter, `items: true` raises), an unknown type name, a pattern that does not
compile, a recursive schema. A refusal is not an error: the caller keeps jsonschema for that schema.

Keywords are checked grouped by the instance type they apply to, not in the schema's order. The
verdict is the same (it is a conjunction); only an exception from a format checker (none of the
Draft 4 checkers jsonschema registers raises on a JSON value, except what they declare) could
surface where jsonschema would have stopped earlier at another failed keyword.
"""

from __future__ import annotations

import numbers
import re
import typing as t
from collections.abc import Callable

from connexion.json_schema import NullableEnumValidator, NullableTypeValidator
from jsonschema import _keywords, _legacy_keywords, _types
from jsonschema._utils import equal

Predicate = Callable[[t.Any], bool]

__all__ = ["Predicate", "compile_schema", "refusal"]

# Every keyword jsonschema's Draft4Validator has; a validator class with another set is refused.
DRAFT4_KEYWORDS: t.Final = frozenset(
    {
        "$ref",
        "additionalItems",
        "additionalProperties",
        "allOf",
        "anyOf",
        "dependencies",
        "enum",
        "format",
        "items",
        "maxItems",
        "maxLength",
        "maxProperties",
        "maximum",
        "minItems",
        "minLength",
        "minProperties",
        "minimum",
        "multipleOf",
        "not",
        "oneOf",
        "pattern",
        "patternProperties",
        "properties",
        "required",
        "type",
        "uniqueItems",
    }
)
# The keywords compiled here, and the jsonschema function whose semantics each one reproduces.
MODELLED: t.Final[dict[str, t.Any]] = {
    "additionalProperties": _keywords.additionalProperties,
    "enum": _keywords.enum,
    "format": _keywords.format,
    "items": _legacy_keywords.items_draft3_draft4,
    "maxItems": _keywords.maxItems,
    "maxLength": _keywords.maxLength,
    "maxProperties": _keywords.maxProperties,
    "maximum": _legacy_keywords.maximum_draft3_draft4,
    "minItems": _keywords.minItems,
    "minLength": _keywords.minLength,
    "minProperties": _keywords.minProperties,
    "minimum": _legacy_keywords.minimum_draft3_draft4,
    "pattern": _keywords.pattern,
    "properties": _keywords.properties,
    "required": _keywords.required,
    "type": _keywords.type,
}
# Read by other keywords, nothing alone: `exclusiveMinimum`/`exclusiveMaximum` by `minimum`/`maximum`
# (Draft 4's boolean form), `nullable` by `type`/`enum` (the request validator only; `x-nullable`
# is an `x-*` key).
_MODIFIERS = frozenset({"exclusiveMinimum", "exclusiveMaximum", "nullable"})
ANNOTATIONS: t.Final = frozenset(
    {
        "title",
        "description",
        "default",
        "example",
        "examples",
        "readOnly",
        "writeOnly",
        "deprecated",
        "externalDocs",
        "xml",
    }
)
_MAX_DEPTH = 64


class Refused(Exception):
    """The schema (or validator class) is outside what this module reproduces exactly."""


# instance types -----------------------------------------------------------------------------------
def _anything(instance: t.Any) -> bool:
    return True


def _nothing(instance: t.Any) -> bool:
    return False


def _is_object(instance: t.Any) -> bool:
    return isinstance(instance, dict)


def _is_array(instance: t.Any) -> bool:
    return isinstance(instance, list)


def _is_string(instance: t.Any) -> bool:
    return isinstance(instance, str)


def _is_boolean(instance: t.Any) -> bool:
    return isinstance(instance, bool)


def _is_null(instance: t.Any) -> bool:
    return instance is None


def _is_integer(instance: t.Any) -> bool:
    return isinstance(instance, int) and not isinstance(instance, bool)


def _is_number(instance: t.Any) -> bool:
    kind = type(instance)
    if kind is int or kind is float:
        return True
    return isinstance(instance, numbers.Number) and not isinstance(instance, bool)


_TYPES: dict[str, Predicate] = {
    "object": _is_object,
    "array": _is_array,
    "string": _is_string,
    "boolean": _is_boolean,
    "null": _is_null,
    "integer": _is_integer,
    "number": _is_number,
}
# The group of keywords that applies to the instances of each type (None: no keyword but the
# type-independent ones, `enum` and `format`).
_GROUP_OF_TYPE: dict[str, str | None] = {
    "object": "object",
    "array": "array",
    "string": "string",
    "integer": "number",
    "number": "number",
    "boolean": None,
    "null": None,
}
_GROUP_GUARDS: dict[str, Predicate] = {
    "object": _is_object,
    "array": _is_array,
    "string": _is_string,
    "number": _is_number,
}


# combinators --------------------------------------------------------------------------------------
def _all_of(predicates: list[Predicate]) -> Predicate:
    checks = [p for p in predicates if p is not _anything]
    if any(p is _nothing for p in checks):
        return _nothing
    if not checks:
        return _anything
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks

        def both(instance: t.Any) -> bool:
            return first(instance) and second(instance)

        return both
    frozen = tuple(checks)

    def every(instance: t.Any) -> bool:
        for check in frozen:  # noqa: SIM110 -- all(generator) costs more than the checks
            if not check(instance):
                return False
        return True

    return every


def _any_of(predicates: list[Predicate]) -> Predicate:
    if not predicates:
        return _nothing
    if len(predicates) == 1:
        return predicates[0]
    frozen = tuple(predicates)

    def some(instance: t.Any) -> bool:
        for check in frozen:  # noqa: SIM110 -- any(generator) costs more than the checks
            if check(instance):
                return True
        return False

    return some


def _guarded(guard: Predicate, check: Predicate) -> Predicate:
    """`check` for the instances `guard` admits; every other instance passes."""

    def applies(instance: t.Any) -> bool:
        return not guard(instance) or check(instance)

    return applies


# keyword values -----------------------------------------------------------------------------------
def _bound(schema: dict[str, t.Any], keyword: str) -> int | float | None:
    if keyword not in schema:
        return None
    value = schema[keyword]
    if type(value) not in (int, float):
        raise Refused(f"{keyword} is not a number: {value!r}")
    return t.cast(int | float, value)


def _names(value: t.Any, keyword: str) -> list[str]:
    if not isinstance(value, list) or not all(type(name) is str for name in value):
        raise Refused(f"{keyword} is not a list of strings: {value!r}")
    return list(value)


# the compiler ---------------------------------------------------------------------------------------
def _dialect(validator_class: t.Any) -> bool:
    """Whether `validator_class` is Draft 4 with OpenAPI's nullable `type`/`enum` (True) or plain
    Draft 4 (False); `Refused` if it is anything else."""
    validators = getattr(validator_class, "VALIDATORS", None)
    if not isinstance(validators, dict) or set(validators) != DRAFT4_KEYWORDS:
        raise Refused(f"{validator_class!r} does not have Draft 4's keywords")
    if getattr(validator_class, "TYPE_CHECKER", None) is not _types.draft4_type_checker:
        raise Refused(f"{validator_class!r} does not use Draft 4's type checker")
    nullable = validators["type"] is NullableTypeValidator and validators["enum"] is NullableEnumValidator
    for keyword, function in MODELLED.items():
        if nullable and keyword in ("type", "enum"):
            continue
        if validators[keyword] is not function:
            raise Refused(f"{validator_class!r} implements {keyword!r} differently")
    return nullable


class _Compiler:
    def __init__(self, nullable_aware: bool, format_checker: t.Any) -> None:
        self.nullable_aware = nullable_aware
        self.format_checker = format_checker
        self.active: set[int] = set()
        self.done: dict[int, Predicate] = {}

    def schema(self, schema: t.Any, depth: int = 0, root: bool = False) -> Predicate:
        if schema is True:
            return _anything
        if schema is False:
            return _nothing
        if not isinstance(schema, dict):
            raise Refused(f"a schema is neither an object nor a boolean: {schema!r}")
        key = id(schema)
        if key in self.active:
            raise Refused("recursive schema")
        if depth > _MAX_DEPTH:
            raise Refused("schema nested too deeply")
        found = self.done.get(key)
        if found is not None and not root:
            return found
        self.active.add(key)
        try:
            compiled = self._node(schema, depth, root)
        finally:
            self.active.discard(key)
        if not root:
            self.done[key] = compiled
        return compiled

    def _node(self, schema: dict[str, t.Any], depth: int, root: bool) -> Predicate:
        for keyword in schema:
            if not isinstance(keyword, str):
                raise Refused(f"keyword {keyword!r} is not a string")
            if keyword in MODELLED or keyword in _MODIFIERS or keyword in ANNOTATIONS:
                continue
            if keyword.startswith("x-") or (root and keyword == "components"):
                continue
            raise Refused(f"keyword {keyword!r}")
        # Connexion's nullable `type`/`enum`: `schema.get("x-nullable") is True or schema.get("nullable")`
        nullable = self.nullable_aware and (schema.get("x-nullable") is True or bool(schema.get("nullable")))

        checks: list[Predicate] = []
        types: list[str] | None = None
        if "type" in schema:
            raw = schema["type"]
            types = [raw] if isinstance(raw, str) else _names(raw, "type")
            for name in types:
                if name not in _TYPES:
                    raise Refused(f"unknown type {name!r}")
            type_check = _any_of([_TYPES[name] for name in dict.fromkeys(types)])
            checks.append(_or_null(type_check) if nullable else type_check)
        if "enum" in schema:
            checks.append(self._enum(schema["enum"], nullable))
        if "format" in schema:
            checks.append(self._format(schema["format"]))

        groups = {
            "object": self._object(schema, depth),
            "array": self._array(schema, depth),
            "string": self._string(schema),
            "number": self._number(schema),
        }
        # A `type` keyword decides which groups can apply to an instance that passes it: drop the
        # others, and skip the guard when every admitted instance is of that one group.
        possible = set(_GROUP_GUARDS) if types is None else {_GROUP_OF_TYPE[name] for name in types}
        unguarded = (
            types is not None
            and not nullable
            and len(possible) == 1
            and all(_GROUP_OF_TYPE[name] is not None for name in types)
        )
        for group, check in groups.items():
            if check is None or group not in possible:
                continue
            checks.append(check if unguarded else _guarded(_GROUP_GUARDS[group], check))
        return _all_of(checks)

    # type-independent keywords -------------------------------------------------------------------
    def _enum(self, members: t.Any, nullable: bool) -> Predicate:
        if not isinstance(members, list):
            raise Refused(f"enum is not a list: {members!r}")
        frozen = tuple(members)
        # `equal(member, instance)` between a string and anything is `==`, which for an exact `str`
        # instance is membership among the string members.
        strings = frozenset(member for member in frozen if type(member) is str)

        def one_of(instance: t.Any) -> bool:
            if type(instance) is str:
                return instance in strings
            if nullable and instance is None:
                return True
            return any(equal(member, instance) for member in frozen)

        return one_of

    def _format(self, name: t.Any) -> Predicate:
        if not isinstance(name, str):
            raise Refused(f"format is not a string: {name!r}")
        checker = self.format_checker
        if checker is None:
            return _anything
        conforms = checker.conforms

        def formatted(instance: t.Any) -> bool:
            return bool(conforms(instance, name))

        return formatted

    # object keywords -----------------------------------------------------------------------------
    def _object(self, schema: dict[str, t.Any], depth: int) -> Predicate | None:
        properties: dict[t.Any, Predicate] = {}
        if "properties" in schema:
            raw = schema["properties"]
            if not isinstance(raw, dict):
                raise Refused(f"properties is not an object: {raw!r}")
            properties = {name: self.schema(sub, depth + 1) for name, sub in raw.items()}
        additional: Predicate | None = None  # None: extra properties are not looked at
        if "additionalProperties" in schema:
            raw = schema["additionalProperties"]
            if raw is True:
                additional = None
            elif raw is False:
                additional = _nothing
            elif isinstance(raw, dict):
                additional = self.schema(raw, depth + 1)
                if additional is _anything:
                    additional = None
            else:
                raise Refused(f"additionalProperties is neither a boolean nor a schema: {raw!r}")
        required = frozenset(_names(schema["required"], "required")) if "required" in schema else frozenset()
        least = _bound(schema, "minProperties")
        most = _bound(schema, "maxProperties")
        checked = {name: check for name, check in properties.items() if check is not _anything}
        if not checked and additional is None and not required and least is None and most is None:
            return None
        walk = bool(checked) or additional is not None
        known = properties  # "additional" = not named in `properties`, whatever its schema

        def object_valid(instance: dict[t.Any, t.Any]) -> bool:
            if required and not instance.keys() >= required:
                return False
            if least is not None and len(instance) < least:
                return False
            if most is not None and len(instance) > most:
                return False
            if walk:
                for name, value in instance.items():
                    check = known.get(name)
                    if check is None:
                        if additional is not None and not additional(value):
                            return False
                    elif check is not _anything and not check(value):
                        return False
            return True

        return object_valid

    # array keywords ------------------------------------------------------------------------------
    def _array(self, schema: dict[str, t.Any], depth: int) -> Predicate | None:
        item: Predicate | None = None
        if "items" in schema:
            raw = schema["items"]
            if not isinstance(raw, dict):  # jsonschema zips a list form, and raises on a boolean
                raise Refused(f"items is not a schema: {raw!r}")
            item = self.schema(raw, depth + 1)
            if item is _anything:
                item = None
        least = _bound(schema, "minItems")
        most = _bound(schema, "maxItems")
        if item is None and least is None and most is None:
            return None

        def array_valid(instance: list[t.Any]) -> bool:
            if least is not None and len(instance) < least:
                return False
            if most is not None and len(instance) > most:
                return False
            if item is not None:
                for element in instance:
                    if not item(element):
                        return False
            return True

        return array_valid

    # string keywords -----------------------------------------------------------------------------
    def _string(self, schema: dict[str, t.Any]) -> Predicate | None:
        least = _bound(schema, "minLength")
        most = _bound(schema, "maxLength")
        search: Callable[[str], t.Any] | None = None
        if "pattern" in schema:
            raw = schema["pattern"]
            if not isinstance(raw, str):
                raise Refused(f"pattern is not a string: {raw!r}")
            try:
                search = re.compile(raw).search  # jsonschema: re.search(pattern, instance)
            except re.error as error:
                raise Refused(f"pattern does not compile: {error}") from error
        if least is None and most is None and search is None:
            return None

        def string_valid(instance: str) -> bool:
            if least is not None and len(instance) < least:
                return False
            if most is not None and len(instance) > most:
                return False
            return search is None or search(instance) is not None

        return string_valid

    # number keywords -----------------------------------------------------------------------------
    def _number(self, schema: dict[str, t.Any]) -> Predicate | None:
        low = _bound(schema, "minimum")
        high = _bound(schema, "maximum")
        if low is None and high is None:
            return None
        # jsonschema reads `schema.get("exclusiveMinimum", False)` for its truth value, and fails
        # `instance <= minimum` (exclusive) or `instance < minimum`; written the same way here so
        # that NaN, which compares false to everything, passes as it does there.
        low_exclusive = bool(schema.get("exclusiveMinimum", False))
        high_exclusive = bool(schema.get("exclusiveMaximum", False))

        def number_valid(instance: t.Any) -> bool:
            if low is not None and (instance <= low if low_exclusive else instance < low):
                return False
            return not (high is not None and (instance >= high if high_exclusive else instance > high))

        return number_valid


def _or_null(check: Predicate) -> Predicate:
    def nullable(instance: t.Any) -> bool:
        return instance is None or check(instance)

    return nullable


# entry points -------------------------------------------------------------------------------------
def _compile(schema: t.Any, validator_class: t.Any, format_checker: t.Any) -> Predicate:
    nullable_aware = _dialect(validator_class)
    if not isinstance(schema, dict):
        raise Refused(f"the root schema is not an object: {schema!r}")
    return _Compiler(nullable_aware, format_checker).schema(schema, root=True)


def compile_schema(schema: t.Any, validator_class: t.Any, format_checker: t.Any) -> Predicate | None:
    """`validator_class(schema, format_checker=format_checker).is_valid` as a plain predicate, or
    None when the schema or the class is outside what this module reproduces exactly."""
    try:
        return _compile(schema, validator_class, format_checker)
    except Refused:
        return None


def refusal(schema: t.Any, validator_class: t.Any, format_checker: t.Any) -> str | None:
    """Why `compile_schema` refuses this schema (None: it compiles)."""
    try:
        _compile(schema, validator_class, format_checker)
    except Refused as refused:
        return str(refused)
    return None
