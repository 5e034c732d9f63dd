"""The `cancel-contracts` command: thin wiring around the mock, the suite and the specs."""

from __future__ import annotations

import os
import socket
import sys
import warnings
from pathlib import Path

import click

# Connexion 3.3 imports starlette.testclient, which warns at import under Starlette 1.x; the
# warning is about Connexion's test helper, not about anything a user of this command can change.
warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")

from cancel_contracts import specs  # noqa: E402  (after the warning filter)

VENDOR_NAMES = ("zoho", "graph", "meetbit", "cronofy", "meetergo")


class _Commands(click.Group):
    """Imports `check` (the conformance suite: Schemathesis and the rest, ~0.3 s) only when it is run
    or listed, so `serve` starts without it; `lint` imports openapi-spec-validator (~0.25 s) itself."""

    LAZY = "check"

    def _add_lazy(self) -> None:
        if self.LAZY not in self.commands:
            from conformance.cli import check

            self.add_command(check)

    def list_commands(self, ctx: click.Context) -> list[str]:
        self._add_lazy()
        return super().list_commands(ctx)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name == self.LAZY:
            self._add_lazy()
        return super().get_command(ctx, cmd_name)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="cancel-contracts")
def main() -> None:
    """Mock, check and document five vendors' cancel-a-meeting APIs."""


@main.command()
@click.argument("spec", nargs=-1, type=click.Path(path_type=Path))
def lint(spec: tuple[Path, ...]) -> None:
    """Validate specs (default: all shipped ones); one line per problem, exit 1 on any."""
    from conformance.lint import lint_file

    files = list(spec) or [specs.path(name) for name in (*VENDOR_NAMES, "admin")]
    problems = [problem for path in files for problem in lint_file(path)]
    for problem in problems:
        click.echo(str(problem))
    if problems:
        click.echo(f"{len(problems)} problem(s) in {len(files)} spec(s)", err=True)
        sys.exit(1)
    click.echo(f"{len(files)} spec(s) OK")


def _port_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option(
    "--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port (0 = any free port)."
)
@click.option(
    "--vendor",
    "vendors",
    multiple=True,
    type=click.Choice(VENDOR_NAMES),
    help="Serve only these (repeatable).",
)
@click.option(
    "--fixtures",
    "fixtures",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Extra fixture file (repeatable).",
)
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Worker processes; with more than one, state is shared through a SQLite file.",
)
@click.option(
    "--state",
    "state",
    type=click.Path(path_type=Path, dir_okay=False),
    help="SQLite file holding the state: shared by workers, kept across restarts; the request "
    "journal goes to FILE.requests next to it (default: memory with one worker, a temporary file "
    "with several).",
)
@click.option(
    "--log-level",
    default="warning",
    show_default=True,
    type=click.Choice(["critical", "error", "warning", "info", "debug"]),
)
def serve(
    host: str,
    port: int,
    vendors: tuple[str, ...],
    fixtures: tuple[Path, ...],
    workers: int,
    state: Path | None,
    log_level: str,
) -> None:
    """Start the stateful mock of the vendors."""
    import tempfile

    import uvicorn

    from mockserver.core.fixtures import FixtureError
    from mockserver.http.eventloop import LOOP, WORKER_LOOP, bind
    from mockserver.http.serving import ENVIRONMENT_VARIABLE, FACTORY, ServeOptions, build_app, check_options

    for path in fixtures:
        if not path.is_file():
            raise click.BadParameter(f"{path} is not a file", param_hint="--fixtures")
    scratch = tempfile.TemporaryDirectory(prefix="cancel-contracts-") if workers > 1 and not state else None
    state_file = state or (Path(scratch.name) / "state.sqlite" if scratch else None)
    options = ServeOptions(
        vendors, tuple(str(path) for path in fixtures), str(state_file) if state_file else None
    )
    try:
        # One worker serves this app; with several, this checks the fixtures before any starts.
        app = build_app(options) if workers == 1 else None
        if app is None:
            check_options(options)
    except FixtureError as error:
        click.echo("Fixtures are invalid; nothing was started:", err=True)
        for problem in error.problems:
            click.echo(f"  {problem}", err=True)
        sys.exit(2)
    if port and not _port_free(host, port):
        click.echo(
            f"Port {port} on {host} is in use; pick another with --port (or --port 0 for any free one).",
            err=True,
        )
        sys.exit(2)

    # uvicorn formats every access line before its logger drops it below `info`: no access log then.
    access_log = log_level in ("info", "debug")

    def announce(bound: int) -> None:
        root = f"http://{'[' + host + ']' if ':' in host else host}:{bound}"
        click.echo(f"cancel-contracts mock listening on {root}")
        for name in vendors or VENDOR_NAMES:
            click.echo(f"  {name:<9} {root}/{name}")
        click.echo(f"  admin     {root}/__admin")
        sys.stdout.flush()

    if workers > 1:
        from uvicorn.supervisors import Multiprocess

        os.environ[ENVIRONMENT_VARIABLE] = options.to_environment()
        config = uvicorn.Config(
            FACTORY,
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level=log_level,
            access_log=access_log,
            lifespan="off",
            loop=WORKER_LOOP,
        )  # each worker listens on a socket of its own besides this one (`mockserver.http.eventloop`)
        try:
            sock = bind(host, port)
        except OSError as error:
            click.echo(f"Cannot listen on {host}:{port}: {error.strerror or error}.", err=True)
            sys.exit(2)
        sock.listen(config.backlog)  # from now on, requests wait in the backlog until a worker is up
        announce(sock.getsockname()[1])
        try:
            Multiprocess(config, sockets=[sock]).run()
        finally:
            if scratch is not None:
                scratch.cleanup()
        return

    assert app is not None
    config = uvicorn.Config(
        app, host=host, port=port, log_level=log_level, access_log=access_log, lifespan="off", loop=LOOP
    )
    sock = config.bind_socket()
    sock.listen(config.backlog)
    announce(sock.getsockname()[1])
    uvicorn.Server(config).run(sockets=[sock])


@main.command()
@click.option(
    "--out",
    required=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="Directory to write the site into (created if missing; same-named files are replaced).",
)
@click.option(
    "--mock-url",
    default="http://127.0.0.1:8000",
    show_default=True,
    help="Root URL of the mock that the error catalogs' curl lines target.",
)
def docs(out: Path, mock_url: str) -> None:
    """Write the static API docs: index, Swagger UI reference and error catalog per vendor (offline)."""
    from cancel_contracts.docs import DocsError, build_site

    if not mock_url.startswith(("http://", "https://")):
        raise click.BadParameter(
            f"{mock_url!r} is not an http(s) URL; pass the mock's root, e.g. http://127.0.0.1:8000",
            param_hint="--mock-url",
        )
    try:
        build_site(out, mock_url, progress=click.echo)
    except DocsError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(2)
