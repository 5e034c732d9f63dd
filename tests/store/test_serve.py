"""`cancel-contracts serve --workers N` and `--state FILE` as a user runs them: real processes, real HTTP."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml

from mockserver.core.sqlite_store import SqliteStore
from mockserver.vendors.zoho import VENDOR as ZOHO
from tests.http.test_atomicity import CASES

pytestmark = pytest.mark.slow
COMMAND = shutil.which("cancel-contracts") or str(Path(sys.executable).with_name("cancel-contracts"))
ZOHO_TOKEN = {"Authorization": "Zoho-oauthtoken 1000.mock.zoho.all"}
CANCEL = {"data": [{"send_cancelling_mail": False}]}


class Server:
    def __init__(self, *args: str) -> None:
        # A process group of its own, so SIGKILL reaches the workers too.
        self.process = subprocess.Popen(
            [COMMAND, "serve", "--port", "0", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
            start_new_session=True,
        )
        assert self.process.stdout is not None
        lines: list[str] = []
        for line in self.process.stdout:  # bounded by the pytest timeout
            lines.append(line.rstrip("\n"))
            if line.strip().startswith("admin"):
                break
        match = re.search(r"listening on (http://\S+)", "\n".join(lines))
        if not match:
            self.kill()
            raise AssertionError("serve did not start:\n" + "\n".join(lines))
        self.root = match.group(1)
        deadline = time.monotonic() + 60  # workers import and build the app after the socket listens
        while httpx.get(f"{self.root}/__admin/health", timeout=60).status_code != 200:
            assert time.monotonic() < deadline

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
        self._close()

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        self._close()

    def _close(self) -> None:
        if self.process.stdout is not None:
            self.process.stdout.close()


@pytest.fixture
def servers() -> Iterator[list[Server]]:
    started: list[Server] = []
    yield started
    for server in started:
        if server.process.poll() is None:
            server.kill()


def zoho_pool(path: Path, count: int) -> list[str]:
    """`count` cancellable Zoho events (copies of the default one), as a fixture file."""
    default = yaml.safe_load(ZOHO.fixtures.read_text())["zoho"]["events"][0]
    ids = [f"48768769{n:011d}" for n in range(count)]
    path.write_text(yaml.safe_dump({"zoho": {"events": [{**default, "id": event_id} for event_id in ids]}}))
    return ids


def cancel_path(event_id: str) -> str:
    return f"/zoho/crm/v8/Events/{event_id}/actions/cancel"


@pytest.mark.parametrize("vendor", list(CASES))
async def test_two_hundred_concurrent_cancels_with_two_workers(servers: list[Server], vendor: str) -> None:
    server = Server("--workers", "2", "--vendor", vendor)
    servers.append(server)
    case = CASES[vendor]
    limits = httpx.Limits(max_connections=200)
    async with httpx.AsyncClient(base_url=server.root, limits=limits, timeout=60) as client:
        responses = await asyncio.gather(
            *(
                client.request(case.method, case.path, json=case.body, headers=case.headers)
                for _ in range(200)
            )
        )
        outbox = (await client.get("/__admin/outbox")).json()["messages"]
        journal = (await client.get("/__admin/requests")).json()["requests"]
    statuses = [response.status_code for response in responses]
    assert statuses.count(case.success) == 1, sorted(set(statuses))
    assert statuses.count(case.refusal) == 199, sorted(set(statuses))
    assert len([m for m in outbox if m["kind"] == "mail.cancellation"]) <= 1
    assert len(journal) == 200  # the journal is shared by the workers too
    server.stop()


def test_state_file_keeps_every_cancellation_across_restarts(servers: list[Server], tmp_path: Path) -> None:
    state = tmp_path / "state.sqlite"
    pool = tmp_path / "pool.yaml"
    ids = zoho_pool(pool, 6)
    first = Server("--state", str(state), "--fixtures", str(pool))
    servers.append(first)
    for event_id in ids[:3]:
        assert (
            httpx.post(first.root + cancel_path(event_id), json=CANCEL, headers=ZOHO_TOKEN).status_code == 200
        )
    session = {"X-Mock-Session": "ci-1", **ZOHO_TOKEN}
    assert httpx.post(first.root + cancel_path(ids[5]), json=CANCEL, headers=session).status_code == 200
    first.stop()

    second = Server("--state", str(state), "--fixtures", str(pool), "--workers", "2")
    servers.append(second)
    for event_id in ids[:3]:
        again = httpx.post(second.root + cancel_path(event_id), json=CANCEL, headers=ZOHO_TOKEN)
        assert again.status_code == 400 and "already cancelled" in again.text
    assert httpx.post(second.root + cancel_path(ids[3]), json=CANCEL, headers=ZOHO_TOKEN).status_code == 200
    shown = httpx.get(f"{second.root}/zoho/crm/v8/Events/{ids[5]}", headers=session).json()
    assert shown["data"][0]["$event_cancelled"] is True
    second.stop()

    fresh = Server("--fixtures", str(pool))  # no --state: every start begins from the fixtures
    servers.append(fresh)
    assert httpx.post(fresh.root + cancel_path(ids[0]), json=CANCEL, headers=ZOHO_TOKEN).status_code == 200
    fresh.stop()


async def test_sigkill_mid_load_keeps_every_acknowledged_cancellation(
    servers: list[Server], tmp_path: Path
) -> None:
    state = tmp_path / "state.sqlite"
    pool = tmp_path / "pool.yaml"
    ids = zoho_pool(pool, 600)
    server = Server("--state", str(state), "--fixtures", str(pool), "--workers", "2")
    servers.append(server)
    acknowledged: list[str] = []
    half = asyncio.Event()

    async def cancel(client: httpx.AsyncClient, queue: asyncio.Queue[str]) -> None:
        while not queue.empty():
            event_id = queue.get_nowait()
            try:
                response = await client.post(cancel_path(event_id), json=CANCEL, headers=ZOHO_TOKEN)
            except httpx.HTTPError:
                return  # the server died under us
            if response.is_success:
                acknowledged.append(event_id)
                if len(acknowledged) >= 150:
                    half.set()

    queue: asyncio.Queue[str] = asyncio.Queue()
    for event_id in ids:
        queue.put_nowait(event_id)
    async with httpx.AsyncClient(base_url=server.root, timeout=30) as client:
        load = [asyncio.create_task(cancel(client, queue)) for _ in range(16)]
        await half.wait()
        server.kill()  # SIGKILL to the parent and both workers, with requests in flight
        await asyncio.gather(*load)
    assert 150 <= len(acknowledged) < len(ids), "the kill should land mid-load"

    with sqlite3.connect(state) as conn:  # opens cleanly: WAL recovered, no corruption
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    store = SqliteStore(state)
    events = store.snapshot("default", "zoho")["zoho"]["events"]
    store.close()
    assert all(events[event_id]["$event_cancelled"] is True for event_id in acknowledged)

    restarted = Server("--state", str(state), "--fixtures", str(pool))
    servers.append(restarted)
    for event_id in acknowledged[:20]:
        again = httpx.post(restarted.root + cancel_path(event_id), json=CANCEL, headers=ZOHO_TOKEN)
        assert again.status_code == 400, again.text
    restarted.stop()
