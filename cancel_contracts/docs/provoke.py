"""How to provoke a documented error on the mock: the named scenarios, as curl lines.

The scenarios (`conformance/scenarios/<vendor>.yaml`, format in CONTRIBUTING.md) are read here as
plain YAML data: the docs are served by the mock, and the mock never imports the conformance
suite. A provocation is the scenario replayed by hand in a session of its own: reset the session,
seed the scenario's `setup` records through the admin API, then every request up to the one that
answers the error.
"""

from __future__ import annotations

import importlib.util
import json
import re
import shlex
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

SESSION_HEADER = "X-Mock-Session"
_VAR = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True)
class Expect:
    status: int
    json: Any
    has_json: bool
    text: str | None
    empty: bool


@dataclass(frozen=True)
class ScenarioStep:
    """One request of a scenario, its `{vars}` filled (values saved from earlier responses stay `<name>`)."""

    method: str
    path: str
    headers: dict[str, str]
    json: Any
    has_json: bool
    body: str | None
    expect: Expect
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class Scenario:
    name: str
    summary: str
    source: str
    setup: dict[str, Any]
    steps: tuple[ScenarioStep, ...]


@dataclass(frozen=True)
class Provocation:
    """`commands` are shell lines (curl) to run in order; the last one answers the error.

    `runnable` is False when a request needs a value from an earlier response (shown as `<name>`).
    """

    scenario: str
    summary: str
    source: str
    commands: tuple[str, ...]
    runnable: bool


def scenario_directory() -> Path | None:
    """Where the scenario files are installed, found without importing the conformance package."""
    found = importlib.util.find_spec("conformance")
    if found is None or not found.submodule_search_locations:
        return None
    for location in found.submodule_search_locations:
        candidate = Path(location) / "scenarios"
        if candidate.is_dir():
            return candidate
    return None


def _fill(value: Any, variables: dict[str, str]) -> Any:
    if isinstance(value, str):
        return _VAR.sub(lambda m: variables.get(m.group(1), f"<{m.group(1)}>"), value)
    if isinstance(value, dict):
        return {_fill(str(k), variables): _fill(v, variables) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(item, variables) for item in value]
    return value


def _step(raw: dict[str, Any], variables: dict[str, str]) -> ScenarioStep:
    request = raw.get("request") or {}
    expect = raw.get("expect") or {}
    return ScenarioStep(
        method=str(request.get("method", "GET")).upper(),
        path=_fill(str(request.get("path", "/")), variables),
        headers={str(k): str(v) for k, v in _fill(request.get("headers") or {}, variables).items()},
        json=_fill(request.get("json"), variables),
        has_json="json" in request,
        body=None if request.get("body") is None else _fill(str(request["body"]), variables),
        expect=Expect(
            status=int(expect.get("status", 0)),
            json=_fill(expect.get("json"), variables),
            has_json="json" in expect,
            text=None if expect.get("text") is None else _fill(str(expect["text"]), variables),
            empty=bool(expect.get("empty", False)),
        ),
        missing=tuple(sorted(set(_VAR.findall(json.dumps(request, default=str))) - set(variables))),
    )


@cache
def load_scenarios(vendor: str) -> tuple[Scenario, ...]:
    """The vendor's scenarios, or none when the scenario files are not installed."""
    directory = scenario_directory()
    path = directory / f"{vendor}.yaml" if directory else None
    if path is None or not path.is_file():
        return ()
    with path.open(encoding="utf-8") as handle:
        document = yaml.safe_load(handle) or []
    scenarios: list[Scenario] = []
    for raw in document:
        variables = {str(k): str(v) for k, v in (raw.get("vars") or {}).items()}
        scenarios.append(
            Scenario(
                name=str(raw.get("name", "")),
                summary=str(raw.get("summary", "")),
                source=str(raw.get("source", "documented")),
                setup=dict(raw.get("setup") or {}),
                steps=tuple(_step(step, variables) for step in raw.get("steps") or ()),
            )
        )
    return tuple(scenarios)


def curl(method: str, url: str, headers: dict[str, str], data: str | None) -> str:
    parts = ["curl", "-i", "-X", method, shlex.quote(url)]
    for name, value in headers.items():
        parts += ["-H", shlex.quote(f"{name}: {value}")]
    if data is not None:
        parts += ["--data-binary", shlex.quote(data)]
    return " ".join(parts)


def _request_line(vendor: str, mock_url: str, session: str, step: ScenarioStep) -> str:
    headers = {SESSION_HEADER: session, **step.headers}
    data: str | None = None
    if step.has_json:
        data = json.dumps(step.json, ensure_ascii=False)
        if not any(name.lower() == "content-type" for name in headers):
            headers["Content-Type"] = "application/json"
    elif step.body is not None:
        data = step.body
    return curl(step.method, f"{mock_url}/{vendor}{step.path}", headers, data)


def commands(vendor: str, mock_url: str, scenario: Scenario, last: int) -> tuple[str, ...]:
    """Reset a session named after the scenario, seed its setup, then its requests up to `last`."""
    session = scenario.name
    admin = f"{mock_url}/__admin"
    lines = [
        curl("POST", f"{admin}/reset", {SESSION_HEADER: session}, None).replace(
            "curl -i", "curl -s -w '\\n'", 1
        )
    ]
    if scenario.setup:
        seed = json.dumps({vendor: scenario.setup}, ensure_ascii=False, default=str)
        lines.append(
            curl(
                "POST",
                f"{admin}/fixtures",
                {SESSION_HEADER: session, "Content-Type": "application/json"},
                seed,
            ).replace("curl -i", "curl -s -w '\\n'", 1)
        )
    lines += [_request_line(vendor, mock_url, session, step) for step in scenario.steps[: last + 1]]
    return tuple(lines)


def error_steps(vendor: str) -> list[tuple[Scenario, int]]:
    """(scenario, step index) of every scenario step that expects an error response."""
    return [
        (scenario, index)
        for scenario in load_scenarios(vendor)
        for index, step in enumerate(scenario.steps)
        if step.expect.status >= 400
    ]


def provocation(vendor: str, mock_url: str, scenario: Scenario, index: int) -> Provocation:
    return Provocation(
        scenario.name,
        scenario.summary,
        scenario.source,
        commands(vendor, mock_url.rstrip("/"), scenario, index),
        runnable=not any(step.missing for step in scenario.steps[: index + 1]),
    )
