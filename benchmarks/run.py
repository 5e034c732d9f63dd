"""One command, one run: the same cancel-then-read workload, the same load generator, four targets.

    .venv/bin/python benchmarks/run.py [--duration 5] [--connections 32] [--pool 1000] [--no-prism]

Targets: our mock with one worker and with two (`cancel-contracts serve`, request validation on,
stateful), Stoplight Prism (`prism mock specs/<vendor>.yaml`, one process per vendor, installed
from the npm registry into a temporary directory) and a bare Starlette app doing the same state
changes without validation (`benchmarks/ceiling.py`, the Python ceiling). The load generator is
`wrk` (C, one thread; installed with apt-get when missing and running as root) with a Lua script
per vendor: 32 connections, each request pair "cancel meeting i, read meeting i" over a pool of
cancellable meetings (see `benchmarks/workload.py`). Loopback only; every run is bounded by
`--duration` seconds per vendor and target (after a 1 s warm-up).

Prints req/s, p50 and p99 per vendor and target, the ratios ours/Prism and ours/ceiling, the cold
start (process start to first successful request with all five specs loaded) and 2 workers vs 1.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from workload import POOL, ROOT, VENDORS, Workload, workloads, write_pool  # noqa: E402

PYTHON = sys.executable
MOCK = str(Path(PYTHON).with_name("cancel-contracts"))
PRISM_PACKAGE = "@stoplight/prism-cli@5"

LUA = r"""
local fmt = [==[%(id_format)s]==]
local pool = %(pool)d
local prefix = [==[%(prefix)s]==]
local headers = %(headers)s
local steps = {
  {method = [==[%(m1)s]==], path = [==[%(p1)s]==], body = %(b1)s},
  {method = [==[%(m2)s]==], path = [==[%(p2)s]==], body = %(b2)s},
}
counter = 0
statuses = {}
local threads = {}
local session = [==[%(session)s]==]

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function request()
  local step = steps[counter %% 2 + 1]
  local pair = math.floor(counter / 2)
  local id = string.format(fmt, pair %% pool)
  counter = counter + 1
  -- a new session per pass over the pool: every cancel changes state
  headers["X-Mock-Session"] = session .. "-" .. tid .. "-" .. math.floor(pair / pool)
  local body = nil
  if step.body then body = string.gsub(step.body, "%%%%s", id) end
  return wrk.format(step.method, prefix .. string.gsub(step.path, "%%%%s", id), headers, body)
end

function response(status, hdrs, body)
  local key = tostring(status)
  statuses[key] = (statuses[key] or 0) + 1
end

function done(summary, latency, requests)
  local parts = {}
  for _, thread in ipairs(threads) do
    for code, n in pairs(thread:get("statuses")) do table.insert(parts, '"' .. code .. '":' .. n) end
  end
  io.write(string.format(
    'RESULT {"requests":%%d,"duration_us":%%d,"p50_us":%%d,"p99_us":%%d,"socket_errors":%%d,"statuses":{%%s}}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    table.concat(parts, ",")))
end
"""


def lua_string(text: str | None) -> str:
    return "nil" if text is None else f"[==[{text}]==]"


def lua_script(workload: Workload, prefix: str, session: str) -> str:
    headers = dict(workload.headers)
    table = "{" + ", ".join(f"[ {lua_string(k)} ] = {lua_string(v)}" for k, v in headers.items()) + "}"
    return LUA % {
        "session": session,
        "id_format": workload.id_format,
        "pool": workload.pool,
        "prefix": prefix,
        "headers": table,
        "m1": workload.first.method,
        "p1": workload.first.path,
        "b1": lua_string(workload.first.body),
        "m2": workload.second.method,
        "p2": workload.second.path,
        "b2": lua_string(workload.second.body),
    }


@dataclass
class Result:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    statuses: dict[str, int]
    socket_errors: int

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


@dataclass
class Target:
    name: str
    results: dict[str, Result] = field(default_factory=dict)

    def total(self) -> Result:
        values = list(self.results.values())
        statuses: dict[str, int] = {}
        for value in values:
            for code, count in value.statuses.items():
                statuses[code] = statuses.get(code, 0) + count
        return Result(
            sum(v.requests for v in values),
            sum(v.seconds for v in values),
            statistics.median(v.p50_ms for v in values),
            max(v.p99_ms for v in values),
            statuses,
            sum(v.socket_errors for v in values),
        )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wrk(url: str, script: str, seconds: float, connections: int, workdir: Path) -> Result:
    path = workdir / "workload.lua"
    path.write_text(script)
    command = [
        "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "10s",
        "-s",
        str(path),
        url,
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=True)
    match = re.search(r"^RESULT (.*)$", done.stdout, re.MULTILINE)
    if not match:
        raise RuntimeError(f"wrk printed no result:\n{done.stdout}\n{done.stderr}")
    data = json.loads(match.group(1))
    return Result(
        data["requests"],
        data["duration_us"] / 1e6,
        data["p50_us"] / 1000,
        data["p99_us"] / 1000,
        data["statuses"],
        data["socket_errors"],
    )


def wait_until(check: object, timeout: float) -> float:
    """Poll `check()` (truthy = ready) every 5 ms; returns the seconds it took."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        try:
            if check():  # type: ignore[operator]
                return time.perf_counter() - started
        except httpx.HTTPError:
            pass
        time.sleep(0.005)
    raise TimeoutError(f"not ready after {timeout} s")


@contextmanager
def process(command: list[str], **kwargs: object) -> Iterator[subprocess.Popen[bytes]]:
    child = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        **kwargs,  # type: ignore[call-overload]
    )
    try:
        yield child
    finally:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGTERM)
            try:
                child.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)
                child.wait()


def drive(
    target: Target, bases: dict[str, str], prefix_by_vendor: bool, args: argparse.Namespace, workdir: Path
) -> None:
    for vendor, workload in workloads(args.pool).items():
        prefix = f"/{vendor}" if prefix_by_vendor else ""
        warm = lua_script(workload, prefix, f"warm-{vendor}")
        wrk(bases[vendor], warm, 1, args.connections, workdir)
        script = lua_script(workload, prefix, f"bench-{vendor}")
        target.results[vendor] = wrk(bases[vendor], script, args.duration, args.connections, workdir)
        print(f"  {target.name:<14} {vendor:<9} {target.results[vendor].rps:8.0f} req/s", flush=True)


def ours(name: str, args: argparse.Namespace, workdir: Path, pool: Path, *extra: str) -> Target:
    target = Target(name)
    port = free_port()
    root = f"http://127.0.0.1:{port}"
    with process([MOCK, "serve", "--port", str(port), "--fixtures", str(pool), *extra]):
        wait_until(lambda: httpx.get(f"{root}/__admin/health").status_code == 200, 300)
        drive(target, dict.fromkeys(VENDORS, root), True, args, workdir)
    return target


def ceiling(args: argparse.Namespace, workdir: Path) -> Target:
    target = Target("ceiling")
    port = free_port()
    root = f"http://127.0.0.1:{port}"
    with process([PYTHON, str(HERE / "ceiling.py"), str(port), str(args.pool)]):
        wait_until(lambda: httpx.get(f"{root}/__admin/health").status_code == 200, 60)
        drive(target, dict.fromkeys(VENDORS, root), True, args, workdir)
    return target


def install_prism(workdir: Path) -> Path:
    print(f"installing {PRISM_PACKAGE} from the npm registry into {workdir} ...", flush=True)
    subprocess.run(
        ["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(workdir), PRISM_PACKAGE],
        check=True,
        timeout=600,
    )
    return workdir / "node_modules" / ".bin" / "prism"


def prism(args: argparse.Namespace, workdir: Path, binary: Path) -> tuple[Target, float]:
    target = Target("prism")
    ports = {vendor: free_port() for vendor in VENDORS}
    started = time.perf_counter()
    with contextmanager_all(
        [
            [str(binary), "mock", "-h", "127.0.0.1", "-p", str(ports[v]), str(ROOT / "specs" / f"{v}.yaml")]
            for v in VENDORS
        ]
    ):
        for vendor in VENDORS:
            wait_until(lambda v=vendor: httpx.get(f"http://127.0.0.1:{ports[v]}/").status_code > 0, 120)
        cold = time.perf_counter() - started
        drive(target, {v: f"http://127.0.0.1:{p}" for v, p in ports.items()}, False, args, workdir)
    return target, cold


@contextmanager
def contextmanager_all(commands: list[list[str]]) -> Iterator[None]:
    managers = [process(command) for command in commands]
    entered = []
    try:
        for manager in managers:
            manager.__enter__()
            entered.append(manager)
        yield
    finally:
        for manager in reversed(entered):
            manager.__exit__(None, None, None)


def cold_start(runs: int = 3) -> float:
    """Median seconds from `cancel-contracts serve` starting to a successful request to each vendor."""
    times = []
    for _ in range(runs):
        port = free_port()
        root = f"http://127.0.0.1:{port}"
        started = time.perf_counter()
        with process([MOCK, "serve", "--port", str(port)]):

            def ready(root: str = root) -> bool:
                health = httpx.get(f"{root}/__admin/health")
                return health.status_code == 200 and len(health.json()["vendors"]) == len(VENDORS)

            wait_until(ready, 120)
            event = httpx.get(
                f"{root}/zoho/crm/v8/Events/4876876000001081142",
                headers={"Authorization": "Zoho-oauthtoken 1000.mock.zoho.all"},
            )
            assert event.status_code == 200, event.text
            times.append(time.perf_counter() - started)
    return statistics.median(times)


def ensure_wrk() -> None:
    if shutil.which("wrk"):
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("installing Debian's wrk ...", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, env=env, timeout=600)
        return
    sys.exit("wrk is missing: install it (Debian: apt-get install wrk) and run again")


def row(name: str, result: Result) -> str:
    codes = " ".join(f"{code}:{count}" for code, count in sorted(result.statuses.items()))
    errors = f"  socket errors {result.socket_errors}" if result.socket_errors else ""
    return f"  {name:<10} {result.rps:9.0f} {result.p50_ms:9.2f} {result.p99_ms:9.2f}   {codes}{errors}"


def report(targets: list[Target], cold: float, prism_cold: float | None, args: argparse.Namespace) -> None:
    print()
    print(
        f"workload: cancel then read, {args.connections} connections, {args.duration:g} s per vendor, "
        f"{args.pool} meetings per vendor and session, a new session per pass; wrk -t1; {os.cpu_count()} CPUs"
    )
    for target in targets:
        print(f"\n{target.name}\n  {'vendor':<10} {'req/s':>9} {'p50 ms':>9} {'p99 ms':>9}   statuses")
        for vendor, result in target.results.items():
            print(row(vendor, result))
        print(row("all", target.total()))
    by_name = {target.name: target.total() for target in targets}
    one = by_name["ours-1-worker"]
    print("\nratios (all vendors: total requests / total seconds; p50 = median, p99 = worst vendor)")
    if "prism" in by_name:
        print(f"  ours / Prism          {one.rps / by_name['prism'].rps:6.2f}x   (target >= 3)")
    print(f"  ours / ceiling        {one.rps / by_name['ceiling'].rps:6.2f}    (target >= 0.50)")
    if "ours-2-workers" in by_name:
        print(f"  2 workers / 1 worker  {by_name['ours-2-workers'].rps / one.rps:6.2f}x   (target >= 1.7)")
    print(f"  ours p99              {one.p99_ms:6.2f} ms (target < 10)")
    print(f"  cold start (ours)     {cold:6.2f} s  (target < 1.5; median of 3)")
    if prism_cold is not None:
        print(f"  cold start (Prism)    {prism_cold:6.2f} s  (five processes, one per spec, in parallel)")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per vendor and target")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--pool", type=int, default=POOL, help="meetings per vendor and session")
    parser.add_argument("--no-prism", action="store_true", help="skip Prism (no npm registry access)")
    args = parser.parse_args()
    ensure_wrk()
    with tempfile.TemporaryDirectory(prefix="cancel-contracts-bench-") as scratch:
        workdir = Path(scratch)
        pool = write_pool(workdir / "pool.json", args.pool)
        binary = None if args.no_prism else install_prism(workdir / "prism")
        print("cold start ...", flush=True)
        cold = cold_start()
        print("driving load ...", flush=True)
        targets = [
            ours("ours-1-worker", args, workdir, pool),
            ours("ours-2-workers", args, workdir, pool, "--workers", "2"),
            ceiling(args, workdir),
        ]
        prism_cold = None
        if binary is not None:
            target, prism_cold = prism(args, workdir, binary)
            targets.append(target)
    report(targets, cold, prism_cold, args)


if __name__ == "__main__":
    main()
