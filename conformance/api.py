"""The suite as a library, for a team's own pytest run:

```python
from conformance.api import check

def test_our_graph_clone_keeps_the_contract() -> None:
    report = check("graph", "http://127.0.0.1:8000/graph", max_examples=5)
    assert report.ok, report.describe()
```
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from conformance.engine import DEFAULT_SEED, Options, run
from conformance.events import Event, Layer, Result, RunFinished, Status
from conformance.report.console import counts


@dataclass(frozen=True)
class Report:
    results: tuple[Result, ...]
    seconds: float

    @property
    def ok(self) -> bool:
        return not self.failures

    @property
    def failures(self) -> list[Result]:
        return [r for r in self.results if r.status is Status.FAILED]

    def find(self, *, layer: Layer | None = None, vendor: str | None = None) -> list[Result]:
        return [
            r
            for r in self.results
            if (layer is None or r.layer is layer) and (vendor is None or r.vendor == vendor)
        ]

    def describe(self) -> str:
        lines = [counts(self.results)]
        for result in self.failures:
            lines.append(f"{result.vendor} [{result.layer.value}] {result.name}")
            lines += [f"  {p.check}: {p.message}\n    {p.curl}" for p in result.problems]
        return "\n".join(lines)


def check(
    vendors: str | Sequence[str],
    url: str,
    *,
    admin_url: str | None = None,
    fixtures_map: Path | None = None,
    headers: dict[str, str] | None = None,
    max_examples: int = 10,
    seed: int | None = DEFAULT_SEED,
    workers: int = 1,
    layers: Sequence[Layer] = (Layer.SPEC, Layer.ENVELOPE, Layer.SCENARIOS),
    listener: Callable[[Event], None] | None = None,
) -> Report:
    """Run the suite; raises engine.TargetError for bad configuration or an unreachable target."""
    names = (vendors,) if isinstance(vendors, str) else tuple(vendors)
    options = Options(
        vendors=names,
        url=url,
        admin_url=admin_url,
        fixtures_map=fixtures_map,
        headers=dict(headers or {}),
        max_examples=max_examples,
        seed=seed,
        workers=workers,
        layers=tuple(layers),
    )
    for event in run(options):
        if listener is not None:
            listener(event)
        if isinstance(event, RunFinished):
            return Report(event.results, event.seconds)
    raise RuntimeError("the engine stopped without finishing the run")
