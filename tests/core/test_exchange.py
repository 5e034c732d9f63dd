"""`encode_json`: compact JSON as the standard library writes it, whichever encoder writes it."""

from __future__ import annotations

import json
from typing import Any

import pytest

from mockserver.core.exchange import encode_json


def stdlib(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


@pytest.mark.parametrize(
    "value",
    [
        {"a": 1, "b": [True, None, 1.5], "c": {"d": "ü\r\n"}},  # orjson, plain
        {1: "one", "two": {3: [4]}},  # keys that are not strings: orjson with OPT_NON_STR_KEYS
        {"big": 2**70, "list": [-(2**65)]},  # integers beyond 64 bits: the standard library
        {2: 2**70},  # both
        [],
        "text",
    ],
)
def test_writes_what_the_standard_library_writes(value: Any) -> None:
    assert encode_json(value) == stdlib(value)


def test_a_type_no_encoder_knows_is_refused() -> None:
    with pytest.raises(TypeError):
        encode_json({"a": object()})
