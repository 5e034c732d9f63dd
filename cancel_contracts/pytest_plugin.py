"""pytest plugin (registered through the `pytest11` entry point): the mock, in process, for your tests.

    def test_cancel(cancel_contracts_mock):
        url = cancel_contracts_mock.urls["zoho"] + "/crm/v8/Events/4876876000001081142/actions/cancel"
        ...

`cancel_contracts_mock` (function scope) gives each test a fresh `X-Mock-Session` on one mock that
is started once per test session, on a free port of 127.0.0.1, the first time a test asks for it
(uvicorn in a background thread; nothing starts when no test uses it). Override the session-scoped
`cancel_contracts_fixture_files` fixture to load your own fixture files.
"""

from __future__ import annotations

import socket
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

SESSION_HEADER = "X-Mock-Session"
VENDORS = ("zoho", "graph", "meetbit", "cronofy", "meetergo")
START_TIMEOUT = 30.0


@dataclass(frozen=True)
class MockServer:
    """The running mock: `url` is its root (`http://127.0.0.1:<port>`); `service` its in-process state."""

    url: str
    service: Any
    app: Any


@dataclass(frozen=True)
class MockSession:
    """One test's view of the mock.

    `urls[vendor]` replaces the vendor's origin (`http://127.0.0.1:<port>/zoho`); `admin_url` is the
    admin API; `headers` carries this test's `X-Mock-Session` — send it with every request (vendor
    or admin) so the test sees only its own state.
    """

    url: str
    session: str
    urls: dict[str, str]
    admin_url: str
    headers: dict[str, str] = field(default_factory=dict)
    server: MockServer | None = None


class _ServerThread:
    def __init__(self, app: Any) -> None:
        import uvicorn

        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind(("127.0.0.1", 0))
        self.port: int = self._socket.getsockname()[1]
        config = uvicorn.Config(
            app, log_level="warning", lifespan="off", ws="none", http="h11", access_log=False
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run,
            kwargs={"sockets": [self._socket]},
            name="cancel-contracts-mock",
            daemon=True,
        )

    def start(self) -> None:
        self._thread.start()
        deadline = time.monotonic() + START_TIMEOUT
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(
                    f"the cancel-contracts mock did not start on 127.0.0.1:{self.port} within "
                    f"{START_TIMEOUT:.0f} s; run `cancel-contracts serve` by hand to see why"
                )
            time.sleep(0.01)

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._socket.close()


@pytest.fixture(scope="session")
def cancel_contracts_fixture_files() -> Sequence[Path]:
    """Extra fixture files for the mock (default: none). Override in your conftest.py."""
    return ()


@pytest.fixture(scope="session")
def cancel_contracts_server(cancel_contracts_fixture_files: Sequence[Path]) -> Iterator[MockServer]:
    """The mock of all five vendors, started once per test session on a free 127.0.0.1 port."""
    from mockserver.http.app import create_app, service_of

    app = create_app(None, tuple(Path(path) for path in cancel_contracts_fixture_files))
    thread = _ServerThread(app)
    thread.start()
    try:
        yield MockServer(url=f"http://127.0.0.1:{thread.port}", service=service_of(app), app=app)
    finally:
        thread.stop()


@pytest.fixture
def cancel_contracts_mock(cancel_contracts_server: MockServer) -> MockSession:
    """A fresh `X-Mock-Session` on the shared mock, with each vendor's base URL and the admin URL."""
    root = cancel_contracts_server.url
    session = f"pytest-{uuid.uuid4()}"
    return MockSession(
        url=root,
        session=session,
        urls={name: f"{root}/{name}" for name in VENDORS},
        admin_url=f"{root}/__admin",
        headers={SESSION_HEADER: session},
        server=cancel_contracts_server,
    )
