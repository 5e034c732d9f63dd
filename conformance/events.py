"""What the engine tells its listeners (console, JUnit, pytest): typed events, nothing else."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Layer(StrEnum):
    SPEC = "spec"  # Schemathesis over the vendor spec: generic checks and their vendor replacements
    ENVELOPE = "envelope"  # the vendor's error envelope on every error answer
    SCENARIOS = "scenarios"  # the documented behaviours, played from conformance/scenarios/*.yaml
    RESILIENCE = "resilience"  # forced errors, throttling and latency (only with --resilience)


class Status(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class Problem:
    """One broken contract point, with the request that shows it."""

    check: str
    message: str
    curl: str = ""


@dataclass(frozen=True)
class Result:
    """One testcase: a spec operation in a layer, or a named scenario."""

    vendor: str
    layer: Layer
    name: str
    status: Status
    problems: tuple[Problem, ...] = ()
    reason: str = ""
    seconds: float = 0.0


@dataclass(frozen=True)
class RunStarted:
    vendors: tuple[str, ...]
    url: str
    admin_url: str | None
    setup: str  # how scenarios get their records, in words


@dataclass(frozen=True)
class LayerStarted:
    vendor: str
    layer: Layer


@dataclass(frozen=True)
class CaseFinished:
    result: Result


@dataclass(frozen=True)
class LayerFinished:
    vendor: str
    layer: Layer
    results: tuple[Result, ...]
    seconds: float


@dataclass(frozen=True)
class RunFinished:
    results: tuple[Result, ...]
    seconds: float
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def failed(self) -> bool:
        return any(result.status is Status.FAILED for result in self.results)


Event = RunStarted | LayerStarted | CaseFinished | LayerFinished | RunFinished
