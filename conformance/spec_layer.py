"""Layers 1 and 2: Schemathesis over one vendor spec, with the vendor checks from `checks`.

Every phase runs (examples, coverage, fuzzing, stateful where links exist or can be inferred).
Results are one testcase per spec operation and layer: layer 1 for Schemathesis' generic checks
and their vendor replacements, layer 2 for the vendor error envelope.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import Status as EngineStatus
from schemathesis.engine import events as engine_events
from schemathesis.engine import from_schema

from cancel_contracts import specs
from conformance.checks import ENVELOPE_CHECKS, REPLACED, VENDOR_KEY
from conformance.events import Layer, Problem, Result, Status

STATEFUL = "Stateful tests"
# Checks outside the list stay off: they judge things no vendor document promises.
DISABLED = ("allow_header_conformance", "object_level_authorization")
MAX_PROBLEMS = 5


@dataclass(frozen=True)
class SpecRun:
    vendor: str
    base_url: str
    headers: dict[str, str]
    parameters: dict[str, Any] = field(default_factory=dict)
    max_examples: int = 10
    seed: int | None = None
    workers: int = 1
    sanitize: bool = False  # hide credentials in curl lines (real targets)


def config(run: SpecRun) -> SchemathesisConfig:
    checks: dict[str, Any] = {name: {"enabled": False} for name in (*DISABLED, *REPLACED)}
    data: dict[str, Any] = {
        "base-url": run.base_url,
        "headers": run.headers,
        "parameters": run.parameters,
        "workers": run.workers,
        "request-timeout": 15,
        "generation": {"max-examples": run.max_examples, "database": "none"},
        "checks": checks,
        "phases": {"stateful": {"max-steps": 6}},
        "output": {"sanitization": {"enabled": run.sanitize}},
        "warnings": False,
        # No state left behind in the user's working directory (.schemathesis/, .hypothesis/).
        "cache": {"enabled": False},
    }
    if run.seed is not None:
        data["seed"] = run.seed
    return SchemathesisConfig.from_dict(data)


def schema(run: SpecRun) -> Any:
    document = {**specs.load(run.vendor), VENDOR_KEY: run.vendor}
    return schemathesis.openapi.from_dict(document, config=config(run))


@dataclass
class _Tally:
    problems: dict[Layer, dict[tuple[str, str], Problem]] = field(default_factory=dict)
    ran: bool = False
    skip_reasons: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def add(self, layer: Layer, problem: Problem) -> None:
        found = self.problems.setdefault(layer, {})
        key = (problem.check, problem.message.split("\n", 1)[0])
        if key not in found and len(found) < MAX_PROBLEMS:
            found[key] = problem


def _failure_text(failure: Any) -> str:
    title = str(getattr(failure, "title", "") or type(failure).__name__)
    message = str(getattr(failure, "message", "") or "").strip()
    return f"{title}: {message}" if message and message not in title else title


def _collect(tally: _Tally, recorder: Any) -> None:
    for checks in recorder.checks.values():
        for node in checks:
            info = node.failure_info
            if info is None:
                continue
            layer = Layer.ENVELOPE if node.name in ENVELOPE_CHECKS else Layer.SPEC
            tally.add(layer, Problem(node.name, _failure_text(info.failure), info.code_sample))


def run_spec(run: SpecRun) -> Iterator[Result]:
    """Yield one Result per operation and layer (and one for the stateful phase)."""
    tallies: dict[str, _Tally] = {}
    phase_notes: dict[str, str] = {}
    errors: list[Problem] = []
    loaded = schema(run)
    labels = [op.ok().label for op in loaded.get_all_operations() if op.ok() is not None]
    for label in labels:
        tallies[label] = _Tally()
    started = time.monotonic()
    for event in from_schema(loaded).execute():
        if isinstance(event, engine_events.ScenarioFinished):
            tally = tallies.setdefault(event.recorder.label, _Tally())
            tally.seconds += event.elapsed_time
            if event.status == EngineStatus.SKIP:
                if event.skip_reason:
                    tally.skip_reasons.append(f"{event.phase.value}: {event.skip_reason}")
            else:
                tally.ran = True
            _collect(tally, event.recorder)
        elif isinstance(event, engine_events.PhaseFinished) and event.phase.skip_reason is not None:
            phase_notes[event.phase.name.value] = str(event.phase.skip_reason.value)
        elif isinstance(event, engine_events.NonFatalError):
            errors.append(
                Problem("error", f"{event.label}: {event.info.title}: {event.info.message}".strip())
            )
        elif isinstance(event, engine_events.FatalError):
            errors.append(Problem("error", f"Schemathesis stopped: {event.exception}"))
    for label, tally in tallies.items():
        for layer in (Layer.SPEC, Layer.ENVELOPE):
            problems = tuple(tally.problems.get(layer, {}).values())
            if layer is Layer.SPEC:
                problems += tuple(p for p in errors if p.message.startswith(label + ":"))
            if problems:
                status = Status.FAILED
            elif tally.ran:
                status = Status.PASSED
            else:
                status = Status.SKIPPED
            reason = "; ".join(tally.skip_reasons) or ("" if tally.ran else "no phase ran a test for it")
            yield Result(
                run.vendor,
                layer,
                label,
                status,
                problems,
                reason if status is Status.SKIPPED else "",
                tally.seconds,
            )
    if STATEFUL not in tallies:
        reason = phase_notes.get("stateful", "did not run")
        yield Result(
            run.vendor,
            Layer.SPEC,
            STATEFUL,
            Status.SKIPPED,
            reason=f"stateful phase {reason}: the spec has no OpenAPI links and none could be inferred",
        )
    leftover = tuple(p for p in errors if not any(p.message.startswith(label + ":") for label in tallies))
    if leftover:
        yield Result(
            run.vendor, Layer.SPEC, "run", Status.FAILED, leftover, seconds=time.monotonic() - started
        )
