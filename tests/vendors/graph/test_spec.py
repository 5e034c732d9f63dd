"""The Graph spec: valid, complete for the ten path forms, every documented error a named example."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from openapi_spec_validator import validate

from mockserver.vendors.graph import VENDOR, handlers
from tests.documented.graph import CANCEL_OPERATIONS, ERRORS

SPEC_PATH = Path(__file__).resolve().parents[3] / "specs" / "graph.yaml"
METHODS = ("get", "put", "post", "delete", "patch")


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    return loaded


def _resolve(spec: dict[str, Any], node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        target: Any = spec
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        node = target
    return node


def _operations(spec: dict[str, Any]) -> dict[str, tuple[str, dict[str, Any]]]:
    return {
        op["operationId"]: (path, op)
        for path, item in spec["paths"].items()
        for method, op in item.items()
        if method in METHODS
    }


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


def test_the_spec_is_valid_openapi_3_0_3(spec: dict[str, Any]) -> None:
    assert spec["openapi"] == "3.0.3"
    validate(spec)
    assert spec["servers"][0]["url"] == "https://graph.microsoft.com"


def test_all_ten_cancel_forms_and_handlers(spec: dict[str, Any]) -> None:
    operations = _operations(spec)
    assert set(operations) == set(handlers.OPERATIONS) == set(VENDOR.operations)
    cancels = {op_id: path for op_id, (path, _) in operations.items() if path.endswith("/cancel")}
    assert set(cancels) == set(CANCEL_OPERATIONS) == set(handlers.CANCEL_FORMS)
    assert all(path.startswith("/v1.0/") for path in cancels.values())


def test_cancel_operations_share_their_answers(spec: dict[str, Any]) -> None:
    operations = _operations(spec)
    first = operations[CANCEL_OPERATIONS[0]][1]
    for op_id in CANCEL_OPERATIONS:
        op = operations[op_id][1]
        assert op["responses"] == first["responses"]
        assert op["requestBody"] == {"$ref": "#/components/requestBodies/cancel"}
        assert "content" not in _resolve(spec, op["responses"]["202"])
        assert {"bearerAuth": []} in op["security"]


@pytest.mark.parametrize("row", ERRORS, ids=lambda row: f"{row.operation}-{row.status}-{row.code}")
def test_documented_errors_are_named_examples(spec: dict[str, Any], row: Any) -> None:
    _, operation = _operations(spec)[row.operation]
    response = _resolve(spec, operation["responses"][str(row.status)])
    examples = response["content"][row.content_type]["examples"]
    matching = [
        name
        for name, example in examples.items()
        if row.message in _strings(example["value"])
        and (row.code is None or row.code in _strings(example["value"]))
    ]
    assert matching, f"{row.operation} {row.status}: no example with {row.code} / {row.message}"


def test_inferred_examples_say_so(spec: dict[str, Any]) -> None:
    for name, response in spec["components"]["responses"].items():
        for example_name, example in (
            response.get("content", {}).get("application/json", {}).get("examples", {})
        ).items():
            assert "x-inferred" in example or "x-inferred" in response, f"{name}.{example_name}"


def test_the_429_and_503_answers_declare_retry_after(spec: dict[str, Any]) -> None:
    for name in ("tooManyRequests", "serviceUnavailable"):
        assert "Retry-After" in spec["components"]["responses"][name]["headers"]
