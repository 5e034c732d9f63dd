"""`cancel-contracts check` as a user runs it: exit codes 0 / 1 / 2, JUnit, and `serve` over HTTP."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner

from cancel_contracts.cli import main
from tests.conformance.targets import Broken, Exchange, serving

CLI = Path(sys.executable).with_name("cancel-contracts")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _graph_202_becomes_200(x: Exchange) -> None:
    if x.status == 202:
        x.status = 200


def test_passes_with_exit_0_and_writes_junit(mock_url: str, tmp_path: Path) -> None:
    junit = tmp_path / "report.xml"
    result = CliRunner().invoke(
        main,
        [
            "check",
            "--vendor",
            "meetergo",
            "--url",
            f"{mock_url}/meetergo",
            "--max-examples",
            "2",
            "--junit",
            str(junit),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "meetergo  scenarios" in result.output and "PASSED" in result.output
    suites = {s.get("name"): s for s in ElementTree.parse(junit).getroot()}
    assert set(suites) == {"meetergo.spec", "meetergo.envelope", "meetergo.scenarios"}
    names = [case.get("name") for case in suites["meetergo.scenarios"]]
    assert "meetergo.cancel.group_needs_target" in names
    assert "POST /v4/appointment/{id}/cancel" in [case.get("name") for case in suites["meetergo.spec"]]


def test_a_broken_contract_exits_1_with_a_curl_line(mock_app: Any, tmp_path: Path) -> None:
    junit = tmp_path / "report.xml"
    with serving(Broken(mock_app, _graph_202_becomes_200)) as root:
        result = CliRunner().invoke(
            main,
            [
                "check",
                "--vendor",
                "graph",
                "--url",
                f"{root}/graph",
                "--max-examples",
                "2",
                "--junit",
                str(junit),
            ],
        )
    assert result.exit_code == 1, result.output
    assert "FAILED graph [scenarios] graph.cancel.success" in result.output
    assert re.search(r"reproduce: curl .*-X POST .*/graph/v1\.0/", result.output)
    failures = ElementTree.parse(junit).getroot().findall(".//failure")
    assert failures and any("status: expected 202, got 200" in (f.text or "") for f in failures)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--vendor", "zoho", "--url", "http://127.0.0.1:{port}/zoho"], "unreachable"),
        (["--vendor", "zoho", "--url", "ftp://example.com"], "not an http(s) URL"),
        (["--vendor", "nobody", "--url", "http://127.0.0.1:1"], "Invalid value for '--vendor'"),
        (["--vendor", "zoho", "--url", "http://x", "-H", "no-colon"], "is not 'Name: value'"),
    ],
)
def test_usage_errors_and_unreachable_targets_exit_2(args: list[str], message: str) -> None:
    port = _free_port()
    result = CliRunner().invoke(main, ["check", *[a.format(port=port) for a in args]])
    assert result.exit_code == 2, result.output
    assert message in result.output


def test_a_bad_fixtures_map_exits_2(mock_url: str, tmp_path: Path) -> None:
    bad = tmp_path / "map.yaml"
    bad.write_text("zoho: {tokens: []}\n", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["check", "--vendor", "zoho", "--url", mock_url, "--fixtures-map", str(bad)]
    )
    assert result.exit_code == 2 and "unknown keys ['tokens']" in result.output


def test_a_missing_admin_url_exits_2(mock_url: str) -> None:
    result = CliRunner().invoke(
        main, ["check", "--vendor", "zoho", "--url", mock_url, "--admin-url", f"{mock_url}/nope"]
    )
    assert result.exit_code == 2 and "admin API unreachable" in result.output


def test_without_admin_api_scenarios_are_skipped_not_passed(mock_url: str, tmp_path: Path) -> None:
    fixtures = tmp_path / "map.yaml"
    fixtures.write_text(
        "meetbit:\n  headers: {X-Access-Key-Id: mbk_default, X-Access-Key-Secret: mbs_default_secret}\n"
        "  scenarios:\n    meetbit.cancel.note_too_long: {}\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        main,
        [
            "check",
            "--vendor",
            "meetbit",
            "--url",
            f"{mock_url}/meetbit",
            "--fixtures-map",
            str(fixtures),
            "--max-examples",
            "2",
        ],
    )
    assert "meetbit   scenarios" in result.output
    assert re.search(r"meetbit   scenarios 1 passed, 0 failed, \d+ skipped", result.output), result.output
    assert "fixtures map names no ids for it" in result.output
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def served() -> Iterator[str]:
    port = _free_port()
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    process = subprocess.Popen(
        [str(CLI), "serve", "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError("cancel-contracts serve did not start")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(10)
        if process.stdout is not None:
            process.stdout.close()


@pytest.mark.slow
def test_check_all_against_cancel_contracts_serve(served: str) -> None:
    done = subprocess.run(
        [str(CLI), "check", "--vendor", "all", "--url", served, "--max-examples", "3"],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    for vendor in ("zoho", "graph", "meetbit", "cronofy", "meetergo"):
        assert re.search(rf"{vendor}\s+scenarios \d+ passed, 0 failed, 0 skipped", done.stdout)
