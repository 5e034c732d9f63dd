"""The Cronofy spec, its documented-error table, handlers, fixtures and scenarios agree."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from openapi_spec_validator import validate

from mockserver.service import MockService
from mockserver.vendors.cronofy import VENDOR
from tests.documented.cronofy import ERRORS

ROOT = Path(__file__).resolve().parents[3]
SPEC: dict[str, Any] = yaml.safe_load((ROOT / "specs" / "cronofy.yaml").read_text(encoding="utf-8"))
SCENARIOS: list[dict[str, Any]] = yaml.safe_load(
    (ROOT / "conformance" / "scenarios" / "cronofy.yaml").read_text(encoding="utf-8")
)
METHODS = ("get", "put", "post", "delete", "patch")


def operations() -> dict[str, dict[str, Any]]:
    return {
        op["operationId"]: op
        for item in SPEC["paths"].values()
        for method, op in item.items()
        if method in METHODS
    }


def resolve(node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        found: Any = SPEC
        for part in node["$ref"].lstrip("#/").split("/"):
            found = found[part]
        node = found
    return node


def strings(value: Any) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        return set().union(*(strings(item) for item in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(strings(item) for item in value)) if value else set()
    return set()


def test_the_spec_is_valid_openapi_3_0() -> None:
    assert SPEC["openapi"] == "3.0.3"
    validate(SPEC)


def test_every_operation_has_a_handler_and_back() -> None:
    assert set(operations()) == set(VENDOR.operations)


def test_every_documented_error_is_in_the_spec() -> None:
    ops = operations()
    for row in ERRORS:
        response = resolve(ops[row.operation]["responses"][str(row.status)])
        if row.content_type is None:
            assert "content" not in response, row
            continue
        examples = response["content"][row.content_type]["examples"].values()
        assert any({row.code, row.message} <= strings(example["value"]) for example in examples), row


def test_every_documented_status_is_in_the_table() -> None:
    table = {(row.operation, row.status) for row in ERRORS}
    for operation_id, op in operations().items():
        for status in op["responses"]:
            assert status.startswith("2") or (operation_id, int(status)) in table, (operation_id, status)


def test_default_fixtures_load_against_the_spec() -> None:
    state = MockService(["cronofy"]).state("default", "cronofy")["cronofy"]
    assert set(state) == set(VENDOR.collections)
    assert all(state[name] for name in VENDOR.collections)


def test_scenarios_are_named_sourced_and_unique() -> None:
    names = [scenario["name"] for scenario in SCENARIOS]
    assert len(names) == len(set(names))
    for scenario in SCENARIOS:
        assert scenario["name"].startswith("cronofy."), scenario["name"]
        source = scenario["source"]
        assert source == "documented" or source.startswith("inferred: "), scenario["name"]
        assert set(scenario.get("setup", {})) <= set(VENDOR.collections), scenario["name"]
