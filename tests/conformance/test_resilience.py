"""The resilience layer (`check --resilience`): the mock keeps every contract under forced errors,
throttling and latency; a target that mangles its fault answers is caught, by name."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from cancel_contracts.specs import VENDORS
from conformance.api import check
from conformance.events import Layer, Status
from tests.conformance.targets import Broken, Exchange, serving


def test_the_mock_keeps_its_contracts_under_faults(mock_url: str) -> None:
    report = check(VENDORS, mock_url, layers=[Layer.RESILIENCE])
    assert report.ok, report.describe()
    for vendor in VENDORS:
        passed = [r for r in report.find(vendor=vendor) if r.status is Status.PASSED]
        assert passed, f"{vendor}: no operation was driven through faults"
    skipped = [r for r in report.results if r.status is Status.SKIPPED]
    assert all(r.reason for r in skipped)  # a skip always says why


def test_resilience_is_off_by_default(mock_url: str) -> None:
    report = check("meetbit", f"{mock_url}/meetbit", max_examples=2)
    assert not report.find(layer=Layer.RESILIENCE)


def drop_retry_after(x: Exchange) -> None:
    if x.status == 429:
        x.response_headers = {k: v for k, v in x.response_headers.items() if k.lower() != "retry-after"}


def ignore_the_fault_header(x: Exchange) -> None:
    if "x-mock-fault" in x.headers and x.status >= 400:
        x.answer(200, {"message": "ok", "data": {}})


def test_a_429_without_retry_after_is_caught(mock_app: Any) -> None:
    with serving(Broken(mock_app, drop_retry_after)) as url:
        report = check("graph", f"{url}/graph", admin_url=f"{url}/__admin", layers=[Layer.RESILIENCE])
    assert not report.ok
    messages = [p.message for r in report.failures for p in r.problems]
    assert any("Retry-After" in m for m in messages), messages


def test_a_target_that_ignores_forced_errors_is_caught(mock_app: Any) -> None:
    with serving(Broken(mock_app, ignore_the_fault_header)) as url:
        report = check("meetbit", f"{url}/meetbit", admin_url=f"{url}/__admin", layers=[Layer.RESILIENCE])
    assert not report.ok
    checks = {p.check for r in report.failures for p in r.problems}
    assert "fault_status" in checks, report.describe()


def test_cli_flag_runs_the_layer(mock_url: str) -> None:
    command = str(Path(sys.executable).with_name("cancel-contracts"))
    result = subprocess.run(
        [
            command,
            "check",
            "--vendor",
            "cronofy",
            "--url",
            f"{mock_url}/cronofy",
            "--admin-url",
            f"{mock_url}/__admin",
            "--max-examples",
            "2",
            "--resilience",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "resilience" in result.stdout
