"""Microseconds per call of `MockService` alone: no HTTP, no framework, no validation.

    .venv/bin/python benchmarks/service.py [--requests 20000] [--pool 64] [--vendor zoho] [--repeat 3]
    .venv/bin/python benchmarks/service.py --sqlite     # the same against a SqliteStore file

The benchmark workload (`benchmarks/workload.py`: cancel meeting i, read meeting i back, a new
`X-Mock-Session` per pass over the pool) as the fast lane drives the service for each request:
the wall clock for the `Call` (the transaction applies a frozen session clock), then faults, `authenticate` and the handler in one transaction,
`serve_unscreened` (see `serve` in mockserver/http/admission.py). Prints, per vendor, the µs per
request of the whole sequence and of that transaction alone (best of `--repeat` runs). Every vendor gets
sessions of its own, seeded on their first call, so each vendor's figure includes its share of
seeding (one new session every 2 * pool requests).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
from workload import VENDORS, Workload, workloads, write_pool  # noqa: E402

from mockserver.core.clock import utcnow  # noqa: E402
from mockserver.core.errors import VendorError  # noqa: E402
from mockserver.core.exchange import Call  # noqa: E402
from mockserver.core.faults import Decision  # noqa: E402
from mockserver.service import MockService  # noqa: E402

# (vendor, HTTP method of the workload step) -> operationId
OPERATIONS: dict[tuple[str, str], str] = {
    ("zoho", "POST"): "cancelMeeting",
    ("zoho", "GET"): "getMeeting",
    ("graph", "POST"): "me.events.cancel",
    ("graph", "GET"): "me.events.get",
    ("meetbit", "POST"): "cancelEvent",
    ("meetbit", "GET"): "getEvent",
    ("cronofy", "DELETE"): "cancelMeetingAgent",
    ("cronofy", "POST"): "scheduleMeetingAgent",
    ("meetergo", "POST"): "cancelAppointment",
    ("meetergo", "GET"): "getAppointment",
}


@dataclass(frozen=True)
class Request:
    """One request as the HTTP layer hands it to the service (everything but the clock)."""

    vendor: str
    operation_id: str
    method: str
    path: str
    path_params: dict[str, str]
    headers: dict[str, str]
    body: Any
    session: str

    def call(self, principal: Any = None) -> Call:
        return Call(
            vendor=self.vendor,
            operation_id=self.operation_id,
            method=self.method,
            path=self.path,
            path_params=self.path_params,
            query={},
            headers=self.headers,
            body=self.body,
            session=self.session,
            now=utcnow(),  # as the fast lane does (mockserver/http/fastpath.py)
            principal=principal,
        )


def _path_params(vendor: str, ident: str) -> dict[str, str]:
    return {
        "zoho": {"version": "v8", "event_id": ident},
        "graph": {"event_id": ident},
        "meetbit": {"calendar_id": "1001", "event_id": ident},
        "cronofy": {},
        "meetergo": {"id": ident},
    }[vendor]


def requests_for(workload: Workload, count: int, session_prefix: str) -> list[Request]:
    """`count` requests: cancel i then read i, a new session (of this vendor's) per pass over the pool."""
    out = []
    headers = {name.lower(): value for name, value in workload.headers.items()}
    for n in range(count):
        step = workload.first if n % 2 == 0 else workload.second
        pair = n // 2
        ident = workload.id_format % (pair % workload.pool)
        session = f"{session_prefix}-{workload.vendor}-{pair // workload.pool}"
        body = json.loads(step.body.replace("%s", ident)) if step.body else None
        out.append(
            Request(
                vendor=workload.vendor,
                operation_id=OPERATIONS[(workload.vendor, step.method)],
                method=step.method,
                path=step.path.replace("%s", ident),
                path_params=_path_params(workload.vendor, ident),
                headers={**headers, "x-mock-session": session, "host": "127.0.0.1"},
                body=body,
                session=session,
            )
        )
    return out


def serve(service: MockService, request: Request) -> tuple[int, float]:
    """One request through the service as the fast lane runs it (`admission.serve`): one
    transaction for faults, credentials and handler (`serve_unscreened`), unless a fault concerns
    the call. Returns (status, seconds in that transaction)."""
    call = request.call()
    started = time.perf_counter()
    try:
        outcome = service.serve_unscreened(call)
    except VendorError as error:
        return error.reply.status, time.perf_counter() - started
    spent = time.perf_counter() - started
    if isinstance(outcome, Decision):  # the workload sets no faults; kept for completeness
        refusal = service.faults.refusal(call, outcome)
        if refusal is not None:
            return refusal.reply.status, spent
        try:
            outcome = service.serve(call)
        except VendorError as error:
            return error.reply.status, spent
    return outcome.status, spent


def measure(service: MockService, batch: list[Request]) -> tuple[float, float, dict[int, int]]:
    """(µs per request, µs in the transaction, statuses) for one run of `batch`."""
    statuses: dict[int, int] = {}
    in_handle = 0.0
    started = time.perf_counter()
    for request in batch:
        status, spent = serve(service, request)
        in_handle += spent
        statuses[status] = statuses.get(status, 0) + 1
    elapsed = time.perf_counter() - started
    return elapsed / len(batch) * 1e6, in_handle / len(batch) * 1e6, statuses


def build(pool_file: Path, sqlite: Path | None) -> MockService:
    if sqlite is None:
        return MockService(fixture_files=[pool_file])
    from mockserver.core.sqlite_store import SqliteStore

    return MockService(fixture_files=[pool_file], store=SqliteStore(sqlite))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=20000, help="requests per vendor and run")
    parser.add_argument("--pool", type=int, default=64)
    parser.add_argument("--vendor", choices=VENDORS, action="append")
    parser.add_argument("--repeat", type=int, default=3, help="runs per vendor; the best is shown")
    parser.add_argument("--sqlite", action="store_true", help="use a SqliteStore in a temporary file")
    args = parser.parse_args()
    vendors = tuple(args.vendor or VENDORS)
    loads = workloads(args.pool)
    with tempfile.TemporaryDirectory() as scratch:
        pool_file = write_pool(Path(scratch) / "pool.json", args.pool)
        service = build(pool_file, Path(scratch) / "state.db" if args.sqlite else None)
        print(f"{'vendor':<10} {'µs/request':>11} {'µs/serve':>10}   statuses")
        for vendor in vendors:
            measure(service, requests_for(loads[vendor], 2 * args.pool, "warm"))
            runs = [
                measure(service, requests_for(loads[vendor], args.requests, f"run{n}"))
                for n in range(args.repeat)
            ]
            per, handle, statuses = min(runs, key=lambda run: run[0])
            print(f"{vendor:<10} {per:11.1f} {handle:10.1f}   {dict(sorted(statuses.items()))}")


if __name__ == "__main__":
    main()
