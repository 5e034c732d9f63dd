"""`cancel-contracts check`: thin wiring of options → engine → reporters → exit code."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from cancel_contracts.specs import VENDORS
from conformance.engine import DEFAULT_SEED, Options, TargetError, execute, plan
from conformance.events import Event, Layer, RunFinished
from conformance.report.console import Console
from conformance.report.junit import JUnit


def _headers(values: tuple[str, ...]) -> dict[str, str]:
    headers: dict[str, str] = {}
    for value in values:
        name, sep, content = value.partition(":")
        if not sep or not name.strip():
            raise click.BadParameter(f"{value!r} is not 'Name: value'", param_hint="-H/--header")
        headers[name.strip()] = content.strip()
    return headers


@click.command("check")
@click.option(
    "--vendor", "vendor", required=True, type=click.Choice([*VENDORS, "all"]), help="Vendor to judge, or all."
)
@click.option("--url", required=True, help="Replaces the vendor origin (with --vendor all: the mock's root).")
@click.option(
    "--admin-url", default=None, help="Admin API for setup (default: /__admin at the target's root)."
)
@click.option(
    "--fixtures-map",
    type=click.Path(path_type=Path),
    default=None,
    help="YAML: credentials and ids of a real target.",
)
@click.option("-H", "--header", "header", multiple=True, help="Extra header 'Name: value' (repeatable).")
@click.option(
    "--junit", type=click.Path(path_type=Path, dir_okay=False), default=None, help="Write a JUnit XML report."
)
@click.option(
    "--max-examples",
    default=10,
    show_default=True,
    type=click.IntRange(1),
    help="Generated cases per operation.",
)
@click.option("--seed", default=DEFAULT_SEED, show_default=True, type=int, help="Generation seed.")
@click.option(
    "--workers", default=1, show_default=True, type=click.IntRange(1, 64), help="Schemathesis workers."
)
@click.option(
    "--resilience",
    is_flag=True,
    default=False,
    help="Also drive every operation through forced errors, throttling and latency (X-Mock-Fault, "
    "/__admin/faults); only for targets that implement the mock's fault injection.",
)
def check(
    vendor: str,
    url: str,
    admin_url: str | None,
    fixtures_map: Path | None,
    header: tuple[str, ...],
    junit: Path | None,
    max_examples: int,
    seed: int,
    workers: int,
    resilience: bool,
) -> None:
    """Judge an implementation against the vendor contracts: exit 0 passed, 1 failed, 2 not run."""
    if fixtures_map is not None and not fixtures_map.is_file():
        raise click.BadParameter(f"{fixtures_map} is not a file", param_hint="--fixtures-map")
    options = Options(
        vendors=VENDORS if vendor == "all" else (vendor,),
        url=url,
        admin_url=admin_url,
        fixtures_map=fixtures_map,
        headers=_headers(header),
        max_examples=max_examples,
        seed=seed,
        workers=workers,
        layers=(Layer.SPEC, Layer.ENVELOPE, Layer.SCENARIOS, *((Layer.RESILIENCE,) if resilience else ())),
    )
    try:
        resolved = plan(options)
    except TargetError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(2)
    handlers = [Console(click.echo)]
    junit_handler = JUnit(junit) if junit is not None else None
    failed = False

    def handle(event: Event) -> None:
        nonlocal failed
        for handler in handlers:
            handler.handle(event)
        if junit_handler is not None:
            junit_handler.handle(event)
        if isinstance(event, RunFinished):
            failed = event.failed

    for event in execute(resolved):
        handle(event)
    sys.exit(1 if failed else 0)
