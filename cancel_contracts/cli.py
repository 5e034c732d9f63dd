"""The `cancel-contracts` command: thin wiring around the mock, the suite and the specs."""

from __future__ import annotations

import socket
import sys
from pathlib import Path

import click

from cancel_contracts import specs
from conformance.cli import check
from conformance.lint import lint_file

VENDOR_NAMES = ("zoho", "graph", "meetbit", "cronofy", "meetergo")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="cancel-contracts")
def main() -> None:
    """Mock, check and document five vendors' cancel-a-meeting APIs."""


@main.command()
@click.argument("spec", nargs=-1, type=click.Path(path_type=Path))
def lint(spec: tuple[Path, ...]) -> None:
    """Validate specs (default: all shipped ones); one line per problem, exit 1 on any."""
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
    "--log-level",
    default="warning",
    show_default=True,
    type=click.Choice(["critical", "error", "warning", "info", "debug"]),
)
def serve(host: str, port: int, vendors: tuple[str, ...], fixtures: tuple[Path, ...], log_level: str) -> None:
    """Start the stateful mock of the vendors."""
    import uvicorn

    from mockserver.core.fixtures import FixtureError
    from mockserver.http.app import create_app

    for path in fixtures:
        if not path.is_file():
            raise click.BadParameter(f"{path} is not a file", param_hint="--fixtures")
    try:
        app = create_app(vendors or None, fixtures)
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
    config = uvicorn.Config(app, host=host, port=port, log_level=log_level, lifespan="off")
    server = uvicorn.Server(config)

    original_startup = server.startup

    async def startup(sockets: list[socket.socket] | None = None) -> None:
        await original_startup(sockets)
        bound = port
        for srv in server.servers:
            for sock in srv.sockets:
                bound = sock.getsockname()[1]
        root = f"http://{'[' + host + ']' if ':' in host else host}:{bound}"
        click.echo(f"cancel-contracts mock listening on {root}")
        for name in vendors or VENDOR_NAMES:
            click.echo(f"  {name:<9} {root}/{name}")
        click.echo(f"  admin     {root}/__admin")
        sys.stdout.flush()

    server.startup = startup  # type: ignore[method-assign]
    server.run()


main.add_command(check)
