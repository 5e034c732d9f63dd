"""`cancel-contracts check`: placeholder until the conformance engine lands (issue #4)."""

from __future__ import annotations

import click


@click.command("check")
def check() -> None:
    """Judge an implementation against the vendor contracts (not built yet)."""
    raise click.UsageError("`check` is not built yet (issue #4)")
