"""The serving process's garbage-collector policy (`mockserver.http.collector`).

Freezing survivors is only safe if the request paths leave no cyclic garbage behind: such garbage
would be frozen and never reclaimed. Each lane is driven in a fresh interpreter (so no test code's
cycles are counted) through raw ASGI calls — valid requests, every edge request of the fast-lane
test, errors of every kind — with the policy on; then everything is unfrozen and a full
collection must find nothing to reclaim.
"""

from __future__ import annotations

import gc
import json
import subprocess
import sys
from pathlib import Path

import pytest

from mockserver.http.collector import Collector

ROOT = Path(__file__).resolve().parents[2]

DRIVER = r"""
import asyncio, gc, json, sys
from urllib.parse import unquote
from mockserver.http.app import create_app
from mockserver.http.collector import Collector
from tests.http.test_fastpath import EDGES

def scope_of(method, url, headers, body, session):
    path, _, query = url.partition("?")
    raw = [(k.lower().encode(), v.encode()) for k, v in {**headers, "X-Mock-Session": session}.items()]
    if body:
        raw.append((b"content-length", str(len(body)).encode()))
    return {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
            "scheme": "http", "path": unquote(path), "raw_path": path.encode(), "root_path": "",
            "query_string": query.encode(), "headers": raw, "client": ("127.0.0.1", 1),
            "server": ("127.0.0.1", 80)}

async def drive(app, rounds):
    statuses = {}
    for n in range(rounds):
        for _name, method, url, headers, body in EDGES:
            sent = False
            async def receive(body=body):
                nonlocal sent
                if sent:
                    await asyncio.sleep(3600)
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            async def send(message):
                if message["type"] == "http.response.start":
                    statuses[message["status"]] = statuses.get(message["status"], 0) + 1
            await app(scope_of(method, url, headers, body, f"s{n % 7}"), receive, send)
    return statuses

gc.collect()
collector = Collector(every=25)
app = create_app(fast_path=sys.argv[1] == "fast", collector=collector)
statuses = asyncio.run(drive(app, 40))
gc.collect()  # what is not frozen is collected as usual
frozen = gc.get_freeze_count()
gc.unfreeze()
print(json.dumps({"leaked": gc.collect(), "frozen": frozen, "statuses": statuses}))
"""


@pytest.mark.parametrize("lane", ["fast", "connexion"])
def test_the_request_paths_leave_no_cyclic_garbage_to_freeze(lane: str) -> None:
    done = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", DRIVER, lane],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["frozen"] > 0  # the policy ran
    assert {"200", "202", "400", "401", "404", "429"} <= set(result["statuses"])  # errors included
    assert result["leaked"] == 0, result


def test_a_collector_freezes_every_so_many_requests() -> None:
    collector = Collector(every=3)
    try:
        gc.unfreeze()
        collector.tick()
        collector.tick()
        assert gc.get_freeze_count() == 0
        collector.tick()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
