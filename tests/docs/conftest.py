"""Shared fixtures of the docs tests: the site built by the CLI, served on 127.0.0.1."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cancel_contracts.cli import main


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """`cancel-contracts docs --out <tmp>/site`: the directory and what the command printed."""
    out = tmp_path_factory.mktemp("docs") / "site"
    result = CliRunner().invoke(main, ["docs", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out, result.output


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def static_site(built_site: tuple[Path, str]) -> Iterator[str]:
    """The built site served by a plain http.server on a free 127.0.0.1 port; yields its root URL."""
    handler = functools.partial(_Quiet, directory=str(built_site[0]))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
