"""The pytest plugin: the README shows the fixture exactly as `test_pytest_plugin.py` uses it;
each test gets its own session on one shared mock; nothing starts unless a test asks for it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import httpx

from cancel_contracts.pytest_plugin import MockSession

HERE = Path(__file__).resolve().parent
README = HERE.parents[1] / "README.md"


def test_readme_shows_the_fixture_test_word_for_word() -> None:
    text = README.read_text(encoding="utf-8")
    start = text.index("### The pytest fixture")
    (shown,) = re.findall(r"```python\n(.*?)```", text[start : text.index("\n## ", start)], flags=re.DOTALL)
    assert shown == (HERE / "test_pytest_plugin.py").read_text(encoding="utf-8")


def test_every_test_gets_a_fresh_session(cancel_contracts_mock: MockSession) -> None:
    mock = cancel_contracts_mock
    assert mock.headers == {"X-Mock-Session": mock.session}
    assert set(mock.urls) == {"zoho", "graph", "meetbit", "cronofy", "meetergo"}
    assert mock.url.startswith("http://127.0.0.1:") and mock.admin_url == mock.url + "/__admin"
    # The same event the README test cancels is still cancellable here: another session.
    response = httpx.post(
        mock.urls["zoho"] + "/crm/v8/Events/4876876000001081142/actions/cancel",
        headers={**mock.headers, "Authorization": "Zoho-oauthtoken 1000.mock.zoho.all"},
        json={"data": [{"send_cancelling_mail": False}]},
    )
    assert response.status_code == 200, response.text
    health = httpx.get(mock.admin_url + "/health").json()
    assert health["status"] == "ok"


def test_sessions_differ_between_tests(cancel_contracts_mock: MockSession) -> None:
    first = cancel_contracts_mock.session
    assert first.startswith("pytest-")
    state = httpx.get(cancel_contracts_mock.admin_url + "/state/zoho", headers=cancel_contracts_mock.headers)
    assert state.status_code == 200


def test_the_plugin_starts_nothing_when_unused(tmp_path: Path) -> None:
    (tmp_path / "test_plain.py").write_text(
        "import threading\n\n"
        "def test_plain():\n"
        "    assert not [t for t in threading.enumerate() if t.name == 'cancel-contracts-mock']\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--rootdir",
            str(tmp_path),
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed" in done.stdout
