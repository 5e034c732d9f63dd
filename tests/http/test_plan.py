"""What a fast-lane plan reads off a request exactly as Connexion would (mockserver/http/plan.py)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mockserver.http.plan import _parse_json

EDGE_BODIES = [
    b"-0",
    b"-0.0",
    b'{"a":1,"a":2}',
    b"  {}  ",
    b"1E-7",
    b"9" * 19,
    b"9" * 30,
    b"18446744073709551616",
    b'{"a":"\\ud800"}',
    b"NaN",
    b"[Infinity]",
    b"1e400",
    b"\xef\xbb\xbf{}",
    b'{"a":"\xe9"}',
    b"[1,]",
    b'{"a":1}x',
    b'"\\u00e9"',
]


def _outcome(parse: Any, raw: bytes) -> Any:
    try:
        value = parse(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        return type(error).__name__
    return ("value", json.dumps(value, sort_keys=True), repr(value))


@pytest.mark.parametrize("raw", EDGE_BODIES)
def test_body_parsing_is_connexions_json_loads(raw: bytes) -> None:
    """The lane parses bodies with orjson where that gives exactly `json.loads`'s result, and with
    `json.loads` itself everywhere else (big integers, NaN, lone surrogates, invalid UTF-8)."""
    assert _outcome(_parse_json, raw) == _outcome(lambda b: json.loads(b.decode("utf-8")), raw)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(JSON_VALUES)
def test_any_json_body_parses_as_json_loads_parses_it(value: Any) -> None:
    raw = json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass")
    assert _outcome(_parse_json, raw) == _outcome(lambda b: json.loads(b.decode("utf-8")), raw)
