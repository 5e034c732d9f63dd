"""Console reporter: progress while running, then per vendor and layer counts and each failure."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from conformance.events import (
    CaseFinished,
    Event,
    Layer,
    LayerFinished,
    Result,
    RunFinished,
    RunStarted,
    Status,
)

_MARK = {Status.PASSED: ".", Status.FAILED: "F", Status.SKIPPED: "s"}


def counts(results: tuple[Result, ...] | list[Result]) -> str:
    tally = {status: sum(1 for r in results if r.status is status) for status in Status}
    return f"{tally[Status.PASSED]} passed, {tally[Status.FAILED]} failed, {tally[Status.SKIPPED]} skipped"


@dataclass
class Console:
    echo: Callable[[str], None]
    verbose: bool = False
    _line: list[str] = field(default_factory=list)

    def handle(self, event: Event) -> None:
        if isinstance(event, RunStarted):
            self.echo(f"cancel-contracts check: {', '.join(event.vendors)} at {event.url}")
            self.echo(f"  setup: {event.setup}")
        elif isinstance(event, CaseFinished):
            self._line.append(_MARK[event.result.status])
        elif isinstance(event, LayerFinished):
            marks = "".join(self._line)
            self._line.clear()
            self.echo(
                f"  {event.vendor:<9} {event.layer.value:<9} {marks:<24} "
                f"{counts(event.results)} ({event.seconds:.1f}s)"
            )
        elif isinstance(event, RunFinished):
            self._summary(event)

    def _summary(self, event: RunFinished) -> None:
        failures = [r for r in event.results if r.status is Status.FAILED]
        skipped = [r for r in event.results if r.status is Status.SKIPPED]
        if skipped:
            self.echo("\nSkipped:")
            for result in skipped:
                self.echo(f"  {result.vendor} {result.layer.value} {result.name}: {result.reason}")
        if failures:
            self.echo("\nFailures:")
            for result in failures:
                self.echo(f"  FAILED {result.vendor} [{result.layer.value}] {result.name}")
                for problem in result.problems:
                    self.echo(f"    {problem.check}: {problem.message.strip()}".replace("\n", "\n      "))
                    if problem.curl:
                        self.echo(f"      reproduce: {problem.curl}".replace("\n", " "))
        self.echo("\nSummary:")
        vendors = list(dict.fromkeys(r.vendor for r in event.results))
        for vendor in vendors:
            for layer in Layer:
                mine = [r for r in event.results if r.vendor == vendor and r.layer is layer]
                if mine:
                    self.echo(f"  {vendor:<9} {layer.value:<9} {counts(mine)}")
        verdict = "FAILED" if event.failed else "PASSED"
        self.echo(f"{verdict}: {counts(event.results)} in {event.seconds:.1f}s")
