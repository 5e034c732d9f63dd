"""`cancel-contracts lint` passes on the shipped specs and names file and JSON path on a broken copy."""

from __future__ import annotations

from pathlib import Path

import yaml
from click.testing import CliRunner

from cancel_contracts import specs
from cancel_contracts.cli import main


def test_shipped_specs_pass() -> None:
    result = CliRunner().invoke(main, ["lint"])
    assert result.exit_code == 0, result.output
    assert "6 spec(s) OK" in result.output


def _broken_copy(tmp_path: Path, vendor: str, breaks: dict[str, object]) -> Path:
    spec = yaml.safe_load(specs.path(vendor).read_text())
    spec.update(breaks)
    target = tmp_path / f"{vendor}.yaml"
    target.write_text(yaml.safe_dump(spec, sort_keys=False))
    return target


def test_openapi_31_is_refused_with_file_and_path(tmp_path: Path) -> None:
    broken = _broken_copy(tmp_path, "zoho", {"openapi": "3.1.0"})
    result = CliRunner().invoke(main, ["lint", str(broken)])
    assert result.exit_code == 1
    assert f"{broken}: $.openapi: must be 3.0.x" in result.output


def test_schema_error_and_missing_operation_id_are_named(tmp_path: Path) -> None:
    spec = yaml.safe_load(specs.path("meetbit").read_text())
    route, item = next(iter(spec["paths"].items()))
    method = next(m for m in item if m in ("get", "post", "delete"))
    del item[method]["operationId"]
    item[method]["responses"]["200"] = {"content": {}}  # description is required
    target = tmp_path / "meetbit.yaml"
    target.write_text(yaml.safe_dump(spec, sort_keys=False))
    result = CliRunner().invoke(main, ["lint", str(target)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert any(
        line.startswith(f"{target}: $.paths['{route}'].{method}: every operation needs an operationId")
        for line in lines
    ), result.output
    assert any(
        line.startswith(f"{target}: $.paths['{route}'].{method}.responses[200]: ") for line in lines
    ), result.output


def test_error_without_example_and_server_with_path(tmp_path: Path) -> None:
    spec = yaml.safe_load(specs.path("meetergo").read_text())
    spec["servers"] = [{"url": "https://api.meetergo.com/v4"}]
    target = tmp_path / "meetergo.yaml"
    target.write_text(yaml.safe_dump(spec, sort_keys=False))
    result = CliRunner().invoke(main, ["lint", str(target)])
    assert result.exit_code == 1
    assert f"{target}: $.servers[0].url: servers hold the vendor's origin only" in result.output


def test_unreadable_and_non_yaml(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("openapi: [unclosed")
    result = CliRunner().invoke(main, ["lint", str(bad), str(tmp_path / "missing.yaml")])
    assert result.exit_code == 1
    assert f"{bad}: $: not valid YAML" in result.output
    assert "missing.yaml: $: cannot read" in result.output
