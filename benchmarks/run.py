"""One command, one run: the same cancel-then-read workload, the same load generator, six targets.

    .venv/bin/python benchmarks/run.py [--duration 5] [--connections 32] [--pool 64] [--no-prism]
                                       [--only TARGET,...] [--rounds N] [--autogroup-nice -10]
                                       [--server-cpus 1-2] [--wrk-cpus 0]

Targets: our mock with one worker (`cancel-contracts serve`, request validation on, stateful; in
memory, and again with `--state FILE`, the SQLite store) and with two (`--workers 2 --state FILE`:
the same SQLite store, shared by the workers; and, as the reference for that scaling figure, two
workers that share nothing, each on a SQLite file of its own: `benchmarks/unshared.py`), Stoplight Prism (`prism mock specs/<vendor>.yaml`,
one process per vendor, installed from the npm registry into a temporary directory) and a bare
Starlette app doing the same state changes without validation (`benchmarks/ceiling.py`, the
Python ceiling). The load generator is
`wrk` (C, one thread; installed with apt-get when missing and running as root) with a Lua script
per vendor: 32 connections, each request pair "cancel meeting i, read meeting i" over a pool of
cancellable meetings (see `benchmarks/workload.py`). Loopback only; every run is bounded by
`--duration` seconds per vendor and target (after a 1 s warm-up). All targets are up at once and
take turns vendor by vendor; `--rounds N` repeats that and keeps each target's best run per
vendor, and `--autogroup-nice -10` keeps other sessions on a shared machine from capping a target
(see `raise_autogroup`). `--server-cpus 1-2 --wrk-cpus 0` pins the targets (with their workers)
and `wrk` to CPUs of their own: on a machine with three or more, the load generator then takes
none of the workers' time, which the scaling figure needs (on two it cannot). Each row also shows
the server's CPU time per request (Linux /proc).
A run in which the ceiling's CPU per request differs by more than 1.35x between vendors is flagged
(the machine was busy with other work during part of it).

Prints req/s, p50 and p99 per vendor and target, the ratios ours/Prism and ours/ceiling, the cold
start (process start to first successful request with all five specs loaded) and the scaling
figure: 2 workers / 1 worker with the same SQLite store (like with like), plus 2 workers (SQLite) /
1 worker (memory) for information, and the reference: 2 workers sharing nothing / 1 worker (what
two processes of this server get out of the machine without any sharing). `--only
ours-1-worker-sqlite,ours-2-workers,ours-2-workers-unshared` drives just those.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
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
    server_cpu: float = 0.0  # CPU seconds (user + system) of the target's processes during the run
    wrk_cpu: float = 0.0  # CPU seconds of wrk during the run

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
            sum(v.server_cpu for v in values),
            sum(v.wrk_cpu for v in values),
        )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def tree_cpu(root: int | None) -> float:
    """CPU seconds (user + system) used so far by `root` and every process below it (Linux /proc;
    0 elsewhere). The workers of `serve --workers N` are children of the process started here."""
    if root is None or not Path("/proc").is_dir():
        return 0.0
    parent: dict[int, int] = {}
    ticks: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        parent[int(entry.name)] = int(fields[1])  # fields after the name: state, ppid, ...
        ticks[int(entry.name)] = int(fields[11]) + int(fields[12])  # utime, stime
    family, frontier = {root}, [root]
    while frontier:
        current = frontier.pop()
        for pid, ppid in parent.items():
            if ppid == current and pid not in family:
                family.add(pid)
                frontier.append(pid)
    return sum(ticks.get(pid, 0) for pid in family) / TICKS


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def wrk(
    url: str, script: str, seconds: float, connections: int, workdir: Path, server: int | None = None
) -> Result:
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
    server_before, wrk_before = tree_cpu(server), children_cpu()
    child = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=pinned(WRK_CPUS),
    )
    raise_autogroup(child.pid)
    stdout, stderr = child.communicate(timeout=seconds + 60)
    server_cpu, wrk_cpu = tree_cpu(server) - server_before, children_cpu() - wrk_before
    if child.returncode:
        raise RuntimeError(f"wrk failed ({child.returncode}):\n{stdout}\n{stderr}")
    match = re.search(r"^RESULT (.*)$", stdout, re.MULTILINE)
    if not match:
        raise RuntimeError(f"wrk printed no result:\n{stdout}\n{stderr}")
    data = json.loads(match.group(1))
    return Result(
        data["requests"],
        data["duration_us"] / 1e6,
        data["p50_us"] / 1000,
        data["p99_us"] / 1000,
        data["statuses"],
        data["socket_errors"],
        server_cpu,
        wrk_cpu,
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


AUTOGROUP_NICE: int | None = None  # --autogroup-nice
SERVER_CPUS: frozenset[int] | None = None  # --server-cpus: the CPUs every target runs on
WRK_CPUS: frozenset[int] | None = None  # --wrk-cpus: the CPUs wrk runs on


def cpu_list(text: str) -> frozenset[int]:
    """`0`, `1,2`, `0-3,6` (taskset's list form) as a set of CPU numbers this process may use."""
    cpus: set[int] = set()
    for part in text.split(","):
        first, _, last = part.strip().partition("-")
        if not first.isdigit() or (last and not last.isdigit()):
            raise argparse.ArgumentTypeError(f"not a CPU list: {text!r} (e.g. 0 or 1,2 or 1-3)")
        cpus.update(range(int(first), int(last or first) + 1))
    if not cpus:
        raise argparse.ArgumentTypeError(f"not a CPU list: {text!r}")
    allowed = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else set(cpus)
    if not cpus <= allowed:
        raise argparse.ArgumentTypeError(
            f"CPUs {sorted(cpus - allowed)} are not available here (available: {sorted(allowed)})"
        )
    return frozenset(cpus)


def pinned(cpus: frozenset[int] | None) -> Callable[[], None] | None:
    """A `preexec_fn` that pins the child (and whatever it starts: uvicorn's workers) to `cpus`."""
    if cpus is None:
        return None
    return lambda: os.sched_setaffinity(0, cpus)


def raise_autogroup(pid: int) -> None:
    """Give the session (autogroup) of `pid` the nice value of `--autogroup-nice`.

    With Linux's autogroup scheduling (`/proc/sys/kernel/sched_autogroup_enabled`), the CPU is
    shared fairly between sessions first, whatever the nice values inside them. Every target and
    every wrk run here starts a session of its own, so any other busy session on the machine (a
    test run, a browser) caps a target at one session's share: two workers then get one core
    between them, and the scaling figure measures the neighbours. A negative value (root only)
    lets the benchmark's sessions take the CPU first."""
    if AUTOGROUP_NICE is None:
        return
    try:
        Path(f"/proc/{pid}/autogroup").write_text(str(AUTOGROUP_NICE))
    except OSError as error:
        sys.exit(f"--autogroup-nice: cannot set the autogroup of {pid}: {error}")


@contextmanager
def process(command: list[str], **kwargs: object) -> Iterator[subprocess.Popen[bytes]]:
    child = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        preexec_fn=pinned(SERVER_CPUS),
        **kwargs,  # type: ignore[call-overload]
    )
    raise_autogroup(child.pid)  # its workers, started later in the same session, share it
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


@dataclass
class Running:
    """A target whose processes are up: where to send each vendor's requests."""

    target: Target
    bases: dict[str, str]  # vendor -> base URL
    prefix_by_vendor: bool  # our mock serves every vendor under /<vendor>; Prism one per port
    pid: int | None = None  # the process (tree) whose CPU is counted


def drive(runnings: list[Running], args: argparse.Namespace, workdir: Path) -> None:
    """Every vendor on every target, `--rounds` times, the targets taking turns vendor by vendor so
    that whatever else the machine does falls on all of them alike; each target keeps the best run
    per vendor (something else on the machine only ever makes a run slower)."""
    for round_ in range(args.rounds):
        for vendor, workload in workloads(args.pool).items():
            for running in runnings:
                prefix = f"/{vendor}" if running.prefix_by_vendor else ""
                base = running.bases[vendor]
                wrk(
                    base, lua_script(workload, prefix, f"warm{round_}-{vendor}"), 1, args.connections, workdir
                )
                script = lua_script(workload, prefix, f"bench{round_}-{vendor}")
                result = wrk(base, script, args.duration, args.connections, workdir, running.pid)
                results = running.target.results
                if vendor not in results or result.rps > results[vendor].rps:
                    results[vendor] = result
                print(f"  {running.target.name:<20} {vendor:<9} {result.rps:8.0f} req/s", flush=True)


def ours(stack: ExitStack, name: str, pool: Path, *extra: str) -> Running:
    port = free_port()
    root = f"http://127.0.0.1:{port}"
    child = stack.enter_context(
        process([MOCK, "serve", "--port", str(port), "--fixtures", str(pool), *extra])
    )
    wait_until(lambda: httpx.get(f"{root}/__admin/health").status_code == 200, 300)
    return Running(Target(name), dict.fromkeys(VENDORS, root), True, child.pid)


def unshared(stack: ExitStack, pool: Path, state: Path) -> Running:
    """Two workers of our mock, each on a SQLite file of its own (`benchmarks/unshared.py`)."""
    port = free_port()
    root = f"http://127.0.0.1:{port}"
    child = stack.enter_context(
        process([PYTHON, str(HERE / "unshared.py"), str(port), str(pool), str(state)])
    )
    wait_until(lambda: httpx.get(f"{root}/__admin/health").status_code == 200, 300)
    return Running(Target("ours-2-workers-unshared"), dict.fromkeys(VENDORS, root), True, child.pid)


def ceiling(stack: ExitStack, args: argparse.Namespace) -> Running:
    port = free_port()
    root = f"http://127.0.0.1:{port}"
    child = stack.enter_context(process([PYTHON, str(HERE / "ceiling.py"), str(port), str(args.pool)]))
    wait_until(lambda: httpx.get(f"{root}/__admin/health").status_code == 200, 60)
    return Running(Target("ceiling"), dict.fromkeys(VENDORS, root), True, child.pid)


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
        drive([Running(target, {v: f"http://127.0.0.1:{p}" for v, p in ports.items()}, False)], args, workdir)
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
    cpu = (
        f"{result.server_cpu / result.requests * 1e6:9.0f}"
        if result.requests and result.server_cpu
        else " " * 9
    )
    return f"  {name:<10} {result.rps:9.0f} {result.p50_ms:9.2f} {result.p99_ms:9.2f} {cpu}   {codes}{errors}"


def report(
    targets: list[Target], cold: float | None, prism_cold: float | None, args: argparse.Namespace
) -> None:
    print()
    print(
        f"workload: cancel then read, {args.connections} connections, {args.duration:g} s per vendor, "
        f"{args.pool} meetings per vendor and session, a new session per pass; wrk -t1; {os.cpu_count()} CPUs"
        + ("" if args.rounds == 1 else f"; best of {args.rounds} rounds")
        + ("" if args.autogroup_nice is None else f"; autogroup nice {args.autogroup_nice}")
        + ("" if args.server_cpus is None else f"; targets on CPUs {sorted(args.server_cpus)}")
        + ("" if args.wrk_cpus is None else f"; wrk on CPUs {sorted(args.wrk_cpus)}")
    )
    for target in targets:
        print(
            f"\n{target.name}\n  {'vendor':<10} {'req/s':>9} {'p50 ms':>9} {'p99 ms':>9} {'CPU µs':>9}   statuses"
        )
        for vendor, result in target.results.items():
            print(row(vendor, result))
        print(row("all", target.total()))
        total = target.total()
        if total.server_cpu and total.requests:
            cores = os.cpu_count() or 1
            print(
                f"  of {cores} cores busy: server {total.server_cpu / total.seconds / cores:.0%}, "
                f"wrk {total.wrk_cpu / total.seconds / cores:.0%} (CPU µs: the server's user + system "
                "time per request)"
            )
    busy = busy_note(targets)
    if busy:
        print(f"\n{busy}")
    by_name = {target.name: target.total() for target in targets}
    one = by_name.get("ours-1-worker")
    one_sqlite = by_name.get("ours-1-worker-sqlite")
    two = by_name.get("ours-2-workers")
    print("\nratios (all vendors: total requests / total seconds; p50 = median, p99 = worst vendor)")
    if one is not None and "prism" in by_name:
        print(
            f"  ours / Prism                             {one.rps / by_name['prism'].rps:6.2f}x   (target >= 3)"
        )
    if one is not None and "ceiling" in by_name:
        print(
            f"  ours / ceiling                           {one.rps / by_name['ceiling'].rps:6.2f}    (target >= 0.50)"
        )
    if two is not None and one_sqlite is not None:
        # like with like: the same store (one SQLite file), one process against two
        print(
            f"  2 workers / 1 worker (same SQLite store) {two.rps / one_sqlite.rps:6.2f}x   (target >= 1.7)"
        )
    unshared_two = by_name.get("ours-2-workers-unshared")
    if unshared_two is not None and one_sqlite is not None:
        # the same two processes without the sharing: what the machine allows them
        print(
            f"  2 workers sharing nothing / 1 worker     {unshared_two.rps / one_sqlite.rps:6.2f}x   "
            "(reference: each worker its own SQLite file)"
        )
    if two is not None and unshared_two is not None:
        print(
            f"  2 workers sharing / sharing nothing      {two.rps / unshared_two.rps:6.2f}    "
            "(what sharing one file costs)"
        )
    if two is not None and one is not None:
        print(f"  2 workers (SQLite) / 1 worker (memory)   {two.rps / one.rps:6.2f}x   (informative)")
    if one is not None:
        print(f"  ours p99                                 {one.p99_ms:6.2f} ms (target < 10)")
    if cold is not None:
        print(f"  cold start (ours)                        {cold:6.2f} s  (target < 1.5; median of 3)")
    if prism_cold is not None:
        print(
            f"  cold start (Prism)                       {prism_cold:6.2f} s  (five processes, one per spec)"
        )


# In quiet runs the ceiling's CPU per request differs by up to 1.25x from vendor to vendor (84-107
# µs on the development machine); when something else kept the machine busy during part of a run,
# by 1.7x (85-148 µs).
BUSY_SPREAD = 1.35


def busy_note(targets: list[Target]) -> str | None:
    """A warning when the ceiling, which no change to the mock touches, was much slower for some
    vendors than for others: the machine was busy with other work during part of the run."""
    ceiling = next((target for target in targets if target.name == "ceiling"), None)
    if ceiling is None:
        return None
    costs = {
        vendor: result.server_cpu / result.requests * 1e6
        for vendor, result in ceiling.results.items()
        if result.requests and result.server_cpu
    }
    if len(costs) < 2 or max(costs.values()) <= BUSY_SPREAD * min(costs.values()):
        return None
    slow = max(costs, key=lambda vendor: costs[vendor])
    return (
        f"note: the ceiling's CPU per request ranged {min(costs.values()):.0f}-{costs[slow]:.0f} µs over the "
        f"vendors ({slow} slowest; more than {BUSY_SPREAD}x): the machine was busy with other work during "
        "part of this run, so its figures are not comparable with a quiet run's; run it again"
    )


TARGETS = (
    "ours-1-worker",
    "ours-1-worker-sqlite",
    "ours-2-workers",
    "ours-2-workers-unshared",
    "ceiling",
    "prism",
)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per vendor and target")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--pool", type=int, default=POOL, help="meetings per vendor and session")
    parser.add_argument("--no-prism", action="store_true", help="skip Prism (no npm registry access)")
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="drive every vendor on every target this many times, taking turns; the best run counts",
    )
    parser.add_argument(
        "--only",
        default=",".join(TARGETS),
        help=f"comma-separated targets to drive (default: all of {', '.join(TARGETS)}); "
        "the cold start is measured with ours-1-worker",
    )
    parser.add_argument(
        "--autogroup-nice",
        type=int,
        help="nice value (-20..19) for the sessions of the targets and of wrk (Linux autogroup "
        "scheduling; negative needs root): -10 keeps other busy sessions on the machine from "
        "capping a target at one session's share of the CPU",
    )
    parser.add_argument(
        "--server-cpus",
        type=cpu_list,
        help="pin every target (and its workers) to these CPUs, e.g. 1-2 (Linux)",
    )
    parser.add_argument(
        "--wrk-cpus",
        type=cpu_list,
        help="pin wrk to these CPUs, e.g. 0: with 3 or more CPUs, a core of its own keeps the load "
        "generator from taking the workers' CPU time (on 2 CPUs it shares them: see the README)",
    )
    args = parser.parse_args()
    global AUTOGROUP_NICE, SERVER_CPUS, WRK_CPUS
    AUTOGROUP_NICE = args.autogroup_nice
    SERVER_CPUS, WRK_CPUS = args.server_cpus, args.wrk_cpus
    only = {name.strip() for name in args.only.split(",") if name.strip()}
    unknown = only - set(TARGETS)
    if unknown:
        parser.error(f"unknown targets: {', '.join(sorted(unknown))}; known: {', '.join(TARGETS)}")
    ensure_wrk()
    with tempfile.TemporaryDirectory(prefix="cancel-contracts-bench-") as scratch:
        workdir = Path(scratch)
        pool = write_pool(workdir / "pool.json", args.pool)
        use_prism = "prism" in only and not args.no_prism
        binary = install_prism(workdir / "prism") if use_prism else None
        cold = None
        if "ours-1-worker" in only:
            print("cold start ...", flush=True)
            cold = cold_start()
        print("driving load ...", flush=True)
        with ExitStack() as stack:  # every target up at once; each SQLite one with a file of its own
            starts: dict[str, Callable[[], Running]] = {
                "ours-1-worker": lambda: ours(stack, "ours-1-worker", pool),
                "ours-1-worker-sqlite": lambda: ours(
                    stack, "ours-1-worker-sqlite", pool, "--state", str(workdir / "one-worker.sqlite")
                ),
                "ours-2-workers": lambda: ours(
                    stack,
                    "ours-2-workers",
                    pool,
                    "--workers",
                    "2",
                    "--state",
                    str(workdir / "two-workers.sqlite"),
                ),
                "ours-2-workers-unshared": lambda: unshared(stack, pool, workdir / "unshared.sqlite"),
                "ceiling": lambda: ceiling(stack, args),
            }
            runnings = [start() for name, start in starts.items() if name in only]
            drive(runnings, args, workdir)
        targets = [running.target for running in runnings]
        prism_cold = None
        if binary is not None:
            target, prism_cold = prism(args, workdir, binary)
            targets.append(target)
    report(targets, cold, prism_cold, args)


if __name__ == "__main__":
    main()
