"""Microseconds per request with no server and no socket: the benchmark workload sent straight to
the ASGI apps, for profiling what the app itself costs (uvicorn's share is the same for every app).

    .venv/bin/python benchmarks/inprocess.py [--requests 20000] [--profile out.prof] [--vendor zoho]

Prints µs per request for our mock (`create_app`) and the bare-Starlette ceiling, and their ratio.
With `--profile FILE` our mock runs under cProfile and the stats go to FILE (view with
`python -m pstats FILE` or snakeviz).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
from workload import VENDORS, Workload, workloads, write_pool  # noqa: E402

App = Callable[[dict[str, Any], Any, Any], Awaitable[None]]


def requests_for(workload: Workload, count: int, session_prefix: str) -> list[tuple[dict[str, Any], bytes]]:
    """`count` (scope, body) pairs: cancel i then read i, a new session per pass over the pool."""
    out = []
    for n in range(count):
        step = workload.first if n % 2 == 0 else workload.second
        pair = n // 2
        ident = workload.id_format % (pair % workload.pool)
        session = f"{session_prefix}-{pair // workload.pool}"
        body = (step.body.replace("%s", ident) if step.body else "").encode()
        headers = [(k.lower().encode(), v.encode()) for k, v in workload.headers.items()]
        headers += [(b"x-mock-session", session.encode()), (b"host", b"127.0.0.1")]
        if body:
            headers.append((b"content-length", str(len(body)).encode()))
        path = f"/{workload.vendor}" + step.path.replace("%s", ident)
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": step.method,
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "root_path": "",
            "query_string": b"",
            "headers": headers,
            "client": ("127.0.0.1", 5000),
            "server": ("127.0.0.1", 8000),
        }
        out.append((scope, body))
    return out


async def drive(app: App, batch: list[tuple[dict[str, Any], bytes]]) -> dict[int, int]:
    statuses: dict[int, int] = {}
    for scope, body in batch:
        sent = False

        async def receive(body: bytes = body) -> dict[str, Any]:
            nonlocal sent
            if sent:
                await asyncio.sleep(3600)
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                statuses[message["status"]] = statuses.get(message["status"], 0) + 1

        await app(dict(scope), receive, send)
    return statuses


def measure(app: App, count: int, label: str, vendors: tuple[str, ...], pool: int) -> float:
    loop = asyncio.new_event_loop()
    loads = workloads(pool)
    warm = [item for v in vendors for item in requests_for(loads[v], 200, f"warm-{label}")]
    loop.run_until_complete(drive(app, warm))
    batch = [item for v in vendors for item in requests_for(loads[v], count // len(vendors), f"run-{label}")]
    with GcClock() as collecting:
        started = time.perf_counter()
        statuses = loop.run_until_complete(drive(app, batch))
        elapsed = time.perf_counter() - started
    loop.close()
    per = elapsed / len(batch) * 1e6
    gc_per = collecting.seconds / len(batch) * 1e6
    print(
        f"  {label:<10} {per:8.1f} µs/request  (of which gc {gc_per:5.1f})   "
        f"statuses {dict(sorted(statuses.items()))}"
    )
    return per


class GcClock:
    """Seconds spent in the garbage collector while the block runs (`gc.callbacks`)."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._started = 0.0

    def _tick(self, phase: str, _info: dict[str, Any]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.seconds += time.perf_counter() - self._started

    def __enter__(self) -> GcClock:
        gc.callbacks.append(self._tick)
        return self

    def __exit__(self, *_exc: object) -> None:
        gc.callbacks.remove(self._tick)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=20000)
    parser.add_argument("--pool", type=int, default=64)
    parser.add_argument("--vendor", choices=VENDORS, action="append")
    parser.add_argument("--profile", type=Path)
    args = parser.parse_args()
    vendors = tuple(args.vendor or VENDORS)

    import ceiling

    from mockserver.http.app import create_app
    from mockserver.http.collector import Collector

    collector = Collector()  # the garbage-collector policy `serve` runs with
    with tempfile.TemporaryDirectory() as scratch:
        pool = write_pool(Path(scratch) / "pool.json", args.pool)
        ours = create_app(fixtures=[pool], collector=collector)
    collector.start()
    bare = ceiling.build(args.pool)
    top = measure(bare, args.requests, "ceiling", vendors, args.pool)
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
    mine = measure(ours, args.requests, "ours", vendors, args.pool)
    if args.profile:
        profiler.disable()
        profiler.dump_stats(args.profile)
    print(f"  ours / ceiling (time per request, lower is better): {mine / top:.2f}")


if __name__ == "__main__":
    main()
