"""Two workers of our mock that share nothing: the scaling reference of `benchmarks/run.py`.

`cancel-contracts serve --workers 2 --state FILE` shares one SQLite file between its workers. To
tell what that sharing costs from what two processes of this server get out of the machine at
all, this starts the same app the same way (uvicorn's supervisor, the settings `serve` uses)
except that every worker opens a state file of its own (FILE-<pid>): no write lock to wait for, no
stale snapshot, no foreign commit to catch up with. A session's cancellations are then seen only
by the worker that made them, so this is a measurement, never a way to serve the mock; and the
work differs a little from the shared case: a read-back that lands on the other worker finds the
meeting not cancelled (Graph: 200 with the event where the shared store answers 404).

    python benchmarks/unshared.py PORT FIXTURES FILE [WORKERS]
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import uvicorn
from connexion import AsyncApp

HERE = Path(__file__).resolve().parent
OPTIONS = "CANCEL_CONTRACTS_UNSHARED"  # JSON: {"fixtures": [...], "state": FILE}


def app() -> AsyncApp:
    """The uvicorn factory of each worker: `serve`'s app on FILE-<this process's pid>."""
    from mockserver.http.serving import ServeOptions, build_app

    options = json.loads(os.environ[OPTIONS])
    return build_app(
        ServeOptions(fixtures=tuple(options["fixtures"]), state=f"{options['state']}-{os.getpid()}")
    )


def main() -> None:
    port, fixtures, state = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    workers = int(sys.argv[4]) if len(sys.argv) > 4 else 2
    os.environ[OPTIONS] = json.dumps({"fixtures": [fixtures], "state": state})
    # the workers import this module by name (spawned processes): from here and the project root
    path = [str(HERE), str(HERE.parent), os.environ.get("PYTHONPATH", "")]
    os.environ["PYTHONPATH"] = os.pathsep.join(part for part in path if part)
    from uvicorn.supervisors import Multiprocess

    from mockserver.http.eventloop import WORKER_LOOP, bind

    config = uvicorn.Config(  # as `serve --workers N` starts them (cancel_contracts/cli.py)
        "unshared:app",
        factory=True,
        host="127.0.0.1",
        port=port,
        workers=workers,
        log_level="warning",
        access_log=False,
        lifespan="off",
        loop=WORKER_LOOP,
    )
    sock = bind("127.0.0.1", port)
    sock.listen(config.backlog)
    Multiprocess(config, sockets=[sock]).run()


if __name__ == "__main__":
    main()
