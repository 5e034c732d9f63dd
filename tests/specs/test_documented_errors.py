"""Every error each vendor document lists is a named example in that vendor's spec."""

from __future__ import annotations

import importlib
from typing import Any

import pytest

from cancel_contracts import specs
from cancel_contracts.specs import resolve
from tests.documented import DocumentedError

METHODS = ("get", "put", "post", "delete", "patch")
TABLES = {vendor: importlib.import_module(f"tests.documented.{vendor}").ERRORS for vendor in specs.VENDORS}
ROWS = [(vendor, row) for vendor, rows in TABLES.items() for row in rows]


def operation(spec: dict[str, Any], operation_id: str) -> dict[str, Any]:
    for item in spec["paths"].values():
        for method in METHODS:
            found = item.get(method)
            if isinstance(found, dict) and found.get("operationId") == operation_id:
                return found
    raise AssertionError(f"no operation {operation_id!r} in the spec")


def strings(value: Any) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        return set().union(*(strings(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(strings(v) for v in value)) if value else set()
    return set()


def test_every_vendor_has_a_table() -> None:
    for vendor, rows in TABLES.items():
        assert rows, f"{vendor}: empty documented-error table"


@pytest.mark.parametrize(
    ("vendor", "row"), ROWS, ids=[f"{v}-{r.status}-{r.code or r.message}" for v, r in ROWS]
)
def test_documented_error_is_an_example(vendor: str, row: DocumentedError) -> None:
    spec = specs.load(vendor)
    responses = operation(spec, row.operation)["responses"]
    assert str(row.status) in responses, f"{vendor} {row.operation}: no {row.status} response"
    response = resolve(spec, responses[str(row.status)])
    if row.content_type is None:
        assert not response.get("content"), f"{vendor} {row.status}: documented without a body"
        return
    content = response.get("content", {})
    assert row.content_type in content, f"{vendor} {row.status}: no {row.content_type} content"
    media = resolve(spec, content[row.content_type])
    examples = [resolve(spec, example).get("value") for example in (media.get("examples") or {}).values()]
    wanted = {text for text in (row.code, row.message) if text is not None}
    if row.content_type.startswith("text/"):
        matched = [value for value in examples if value == row.message]
    else:
        matched = [value for value in examples if wanted <= strings(value)]
    assert matched, f"{vendor} {row.status} {row.code!r} {row.message!r}: no named example carries it"
