"""Named, data-driven scenarios: the documented behaviours of each vendor.

Loaded from `conformance/scenarios/<vendor>.yaml`; the format is described in CONTRIBUTING.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

DIRECTORY = Path(__file__).resolve().parent / "scenarios"


class ScenarioFileError(ValueError):
    pass


@dataclass(frozen=True)
class Expectation:
    status: int
    content_type: str | None = None
    json: Any = None
    text: str | None = None
    empty: bool = False
    headers: dict[str, str] = field(default_factory=dict)
    has_json: bool = False


@dataclass(frozen=True)
class Step:
    method: str
    path: str
    headers: dict[str, str]
    json: Any
    body: str | None
    has_json: bool
    expect: Expectation
    save: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Scenario:
    name: str
    vendor: str
    summary: str
    source: str
    setup: dict[str, list[dict[str, Any]]]
    vars: dict[str, str]
    steps: tuple[Step, ...]

    @property
    def inferred(self) -> bool:
        return self.source.startswith("inferred")


def _expectation(raw: dict[str, Any], where: str) -> Expectation:
    if "status" not in raw:
        raise ScenarioFileError(f"{where}: expect needs a status")
    return Expectation(
        status=int(raw["status"]),
        content_type=raw.get("content_type"),
        json=raw.get("json"),
        text=raw.get("text"),
        empty=bool(raw.get("empty", False)),
        headers={str(k): str(v) for k, v in (raw.get("headers") or {}).items()},
        has_json="json" in raw,
    )


def _step(raw: dict[str, Any], where: str) -> Step:
    request = raw.get("request")
    if not isinstance(request, dict) or "method" not in request or "path" not in request:
        raise ScenarioFileError(f"{where}: a step needs request.method and request.path")
    return Step(
        method=str(request["method"]).upper(),
        path=str(request["path"]),
        headers={str(k): str(v) for k, v in (request.get("headers") or {}).items()},
        json=request.get("json"),
        body=request.get("body"),
        has_json="json" in request,
        expect=_expectation(raw.get("expect") or {}, where),
        save={str(k): str(v) for k, v in (raw.get("save") or {}).items()},
    )


def parse(document: Any, vendor: str, source: str) -> list[Scenario]:
    if not isinstance(document, list):
        raise ScenarioFileError(f"{source}: a scenario file is a list of scenarios")
    scenarios: list[Scenario] = []
    for index, raw in enumerate(document):
        where = f"{source}[{index}]"
        if not isinstance(raw, dict) or "name" not in raw:
            raise ScenarioFileError(f"{where}: a scenario needs a name")
        steps = raw.get("steps") or []
        scenarios.append(
            Scenario(
                name=str(raw["name"]),
                vendor=vendor,
                summary=str(raw.get("summary", "")),
                source=str(raw.get("source", "documented")),
                setup=dict(raw.get("setup") or {}),
                vars={str(k): str(v) for k, v in (raw.get("vars") or {}).items()},
                steps=tuple(_step(step, f"{where}.steps[{i}]") for i, step in enumerate(steps)),
            )
        )
    names = [scenario.name for scenario in scenarios]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise ScenarioFileError(f"{source}: duplicate scenario names {duplicates}")
    return scenarios


@cache
def _load(vendor: str) -> tuple[Scenario, ...]:
    path = DIRECTORY / f"{vendor}.yaml"
    if not path.exists():
        return ()
    with path.open(encoding="utf-8") as handle:
        return tuple(parse(yaml.safe_load(handle), vendor, str(path)))


def load(vendor: str) -> list[Scenario]:
    return list(_load(vendor))
