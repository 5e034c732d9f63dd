"""`cancel-contracts serve` as a user runs it: a real process, real HTTP, every vendor."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from conformance.playback import play
from conformance.scenario import load
from mockserver.vendors import NAMES

pytestmark = pytest.mark.slow
COMMAND = shutil.which("cancel-contracts") or str(Path(sys.executable).with_name("cancel-contracts"))


def start(*args: str) -> tuple[subprocess.Popen[str], str, list[str]]:
    process = subprocess.Popen(
        [COMMAND, "serve", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert process.stdout is not None
    lines: list[str] = []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line.rstrip("\n"))
        if line.strip().startswith("admin"):
            match = re.search(r"listening on (http://\S+)", "\n".join(lines))
            assert match, lines
            return process, match.group(1), lines
    process.kill()
    stop(process)
    raise AssertionError("serve did not start:\n" + "\n".join(lines))


def stop(process: subprocess.Popen[str]) -> None:
    process.terminate()
    process.wait(timeout=10)
    if process.stdout is not None:
        process.stdout.close()


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, list[str]]]:
    process, root, lines = start()
    try:
        yield root, lines
    finally:
        stop(process)


def test_startup_prints_every_vendor_and_the_admin_url(server: tuple[str, list[str]]) -> None:
    root, lines = server
    printed = "\n".join(lines)
    for name in NAMES:
        assert f"{root}/{name}" in printed
    assert f"{root}/__admin" in printed
    assert httpx.get(f"{root}/__admin/health").json()["vendors"] == list(NAMES)


@pytest.mark.parametrize("vendor", NAMES)
async def test_every_scenario_over_real_http(server: tuple[str, list[str]], vendor: str) -> None:
    root, _ = server
    scenarios = load(vendor)
    assert scenarios, f"{vendor} has no scenarios"
    async with httpx.AsyncClient(timeout=10) as client:
        for scenario in scenarios:
            outcome = await play(client, scenario, base_url=f"{root}/{vendor}", admin_url=f"{root}/__admin")
            assert outcome.status == "passed", (scenario.name, outcome.problems, outcome.curl)


def test_a_bad_fixture_file_fails_startup_naming_file_record_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("meetbit:\n  events:\n    - {id: 77, calendar_id: 1, title: 5}\n")
    result = subprocess.run(
        [COMMAND, "serve", "--port", "0", "--fixtures", str(bad)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert f"{bad}: meetbit.events[0] (key 77) field title" in result.stderr, result.stderr


def test_vendor_subset_and_port_in_use() -> None:
    process, root, lines = start("--vendor", "zoho")
    try:
        assert httpx.get(f"{root}/__admin/health").json()["vendors"] == ["zoho"]
        assert not any("/graph" in line for line in lines)
        port = root.rsplit(":", 1)[1]
        clash = subprocess.run([COMMAND, "serve", "--port", port], capture_output=True, text=True, timeout=60)
        assert clash.returncode == 2 and f"Port {port}" in clash.stderr
    finally:
        stop(process)
