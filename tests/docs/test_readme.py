"""The README's quickstart curls and CI recipe, run as written (against a mock on a free port)."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import uuid
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
import yaml

from cancel_contracts.pytest_plugin import MockSession

README = Path(__file__).resolve().parents[2] / "README.md"
BIN = Path(sys.executable).parent
CURL = shutil.which("curl")
needs_curl = pytest.mark.skipif(CURL is None, reason="curl is not installed (the README's commands use it)")


def section(title: str) -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def blocks(text: str, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", text, flags=re.DOTALL)


def quickstart_commands() -> list[tuple[str, int, str]]:
    """(label, expected status, curl line) of the quickstart's curl block."""
    block = next(b for b in blocks(section("Quickstart for frontend developers"), "sh") if "curl" in b)
    found: list[tuple[str, int, str]] = []
    label = ""
    for line in block.splitlines():
        match = re.match(r"# (.+) → (\d{3})$", line)
        if match:
            label = match.group(1)
            expected = int(match.group(2))
        elif line.startswith("curl "):
            found.append((label, expected, line))
    return found


QUICKSTART = quickstart_commands()


def test_quickstart_has_a_success_and_an_error_per_vendor() -> None:
    for vendor in ("zoho", "graph", "meetbit", "cronofy", "meetergo"):
        statuses = [status for label, status, _ in QUICKSTART if label.startswith(f"{vendor}:")]
        assert any(s < 300 for s in statuses) and any(s >= 400 for s in statuses), (vendor, statuses)


@pytest.mark.slow
@needs_curl
def test_quickstart_curls_answer_as_commented(cancel_contracts_mock: MockSession) -> None:
    session = f"readme-{uuid.uuid4()}"
    for label, expected, line in QUICKSTART:
        command = line.replace("http://127.0.0.1:8000", cancel_contracts_mock.url).replace(
            "X-Mock-Session: quickstart", f"X-Mock-Session: {session}"
        )
        command += " -s -o /dev/null -w '%{http_code}'"
        done = subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=30)
        assert done.stdout == str(expected), (
            f"{label}: expected {expected}, got {done.stdout!r} {done.stderr}"
        )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def recipe_steps() -> list[dict[str, object]]:
    (block,) = blocks(section("CI recipe"), "yaml")
    job = yaml.safe_load(block)["jobs"]["contracts"]
    steps: list[dict[str, object]] = job["steps"]
    return steps


def test_recipe_installs_like_the_test_command_and_keeps_the_report() -> None:
    steps = recipe_steps()
    names = [step.get("name") for step in steps]
    assert names[-4:] == ["Install", "Start the mock", "Check", "Keep the JUnit report"]
    assert steps[-4]["run"] == "python -m pip install -e ."
    assert "pip install" in (README.parent / "scripts" / "test").read_text()  # the same installer CI runs
    keep = steps[-1]
    assert keep["if"] == "always()" and "report.xml" in str(keep["with"]["path"])  # type: ignore[index]


@pytest.mark.slow
@needs_curl
def test_recipe_runs_as_written(tmp_path: Path) -> None:
    """The `run:` steps after the install, in one shell, in a fresh directory, with the installed CLI."""
    steps = recipe_steps()
    port = str(free_port())
    script = "\n".join(str(step["run"]) for step in steps[-3:-1]).replace("8000", port)
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    # `$!` is the mock the recipe started in the background: stop it when the script ends.
    wrapped = "set -e\ntrap 'kill $! 2>/dev/null || true' EXIT\n" + script
    process = subprocess.Popen(
        ["bash", "-c", wrapped],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        stdout, stderr = process.communicate(timeout=600)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGTERM)
        stdout, stderr = process.communicate(timeout=30)
    done = subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    report = tmp_path / "report.xml"
    assert report.is_file(), "check did not write report.xml"
    root = ElementTree.parse(report).getroot()
    cases = root.iter("testcase")
    assert any(True for _ in cases), "report.xml has no test case"
