"""Every documented error of a vendor, read from its spec.

A documented error is a named example of a 4xx/5xx response (or, for a response documented without
a body, the response itself). Operations that share a response (Graph's ten cancel forms, the
shared `components.responses`) share one catalog entry that lists them all.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from typing import Any

from cancel_contracts import specs
from cancel_contracts.docs.provoke import Provocation, ScenarioStep, error_steps, provocation
from cancel_contracts.specs import resolve

METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: str
    path: str
    summary: str

    def matches_path(self, path: str) -> bool:
        pattern = "^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(self.path)) + "$"
        return re.match(pattern, path) is not None


@dataclass(frozen=True)
class CatalogEntry:
    """One documented error. `body` is the example value (None without a body)."""

    vendor: str
    status: int
    name: str | None
    summary: str
    content_type: str | None
    code: str | None
    message: str | None
    body: Any
    operations: tuple[str, ...]
    inferred: str | None
    provocations: tuple[Provocation, ...] = field(default=())

    @property
    def anchor(self) -> str:
        return f"e{self.status}-{self.name or 'no-body'}".replace(".", "-")

    def body_text(self) -> str:
        if self.body is None:
            return ""
        if isinstance(self.body, str):
            return self.body
        return json.dumps(self.body, indent=2, ensure_ascii=False)


def operations(spec: dict[str, Any]) -> list[tuple[Operation, dict[str, Any]]]:
    found: list[tuple[Operation, dict[str, Any]]] = []
    for path, item in spec.get("paths", {}).items():
        for method in METHODS:
            raw = item.get(method)
            if isinstance(raw, dict):
                operation = Operation(
                    str(raw.get("operationId", f"{method} {path}")),
                    method.upper(),
                    path,
                    str(raw.get("summary", "")),
                )
                found.append((operation, raw))
    return found


def code_and_message(value: Any) -> tuple[str | None, str | None]:
    """The vendor's error code and message in an example body, whatever the vendor's envelope.

    Zoho `{code, message}` (bare or inside `data[0]`), Graph `{error: {code, message}}`, meetergo
    `{error: "<reason>", message}`, Cronofy `{errors: {param: [{key, description}]}}`, Meetbit
    text/plain (the whole body is the message) or `{message, errors}`.
    """
    if isinstance(value, str):
        return None, value
    if not isinstance(value, dict):
        return None, None
    if isinstance(value.get("error"), dict):
        return code_and_message(value["error"])
    data = value.get("data")
    if isinstance(data, list) and data and isinstance(data[0], dict) and "code" in data[0]:
        return code_and_message(data[0])
    code = value.get("code") if isinstance(value.get("code"), str) else None
    if code is None and isinstance(value.get("error"), str):
        code = value["error"]
    message = value.get("message") if isinstance(value.get("message"), str) else None
    errors = value.get("errors")
    if code is None and message is None and isinstance(errors, dict):
        for problems in errors.values():
            if isinstance(problems, list) and problems and isinstance(problems[0], dict):
                first = problems[0]
                return (
                    str(first["key"]) if "key" in first else None,
                    str(first["description"]) if "description" in first else None,
                )
    return code, message


def _inferred(*nodes: Any) -> str | None:
    for node in nodes:
        if isinstance(node, dict) and node.get("x-inferred"):
            return str(node["x-inferred"]).strip()
    return None


def _first_line(text: Any) -> str:
    return str(text or "").strip().split("\n", 1)[0]


def _plain(value: Any) -> Any:
    """YAML may load dates and times as Python objects; the catalog shows them as the text they were."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def raw_entries(vendor: str) -> tuple[list[CatalogEntry], dict[str, Operation]]:
    """The catalog without provocations, and the vendor's operations by id."""
    spec = specs.load(vendor)
    by_key: dict[tuple[Any, ...], CatalogEntry] = {}
    order: list[tuple[Any, ...]] = []
    ops: dict[str, Operation] = {}
    for operation, raw in operations(spec):
        ops[operation.operation_id] = operation
        for status_text, response_ref in (raw.get("responses") or {}).items():
            if not str(status_text).isdigit() or int(status_text) < 400:
                continue
            status = int(status_text)
            response = resolve(spec, response_ref)
            content = response.get("content") or {}
            found: list[CatalogEntry] = []
            if not content:
                found.append(
                    CatalogEntry(
                        vendor,
                        status,
                        None,
                        _first_line(response.get("description")),
                        None,
                        None,
                        None,
                        None,
                        (),
                        _inferred(response),
                    )
                )
            for content_type, media_ref in content.items():
                media = resolve(spec, media_ref)
                for name, example_ref in (media.get("examples") or {}).items():
                    example = resolve(spec, example_ref)
                    value = _plain(example.get("value"))
                    code, message = code_and_message(value)
                    found.append(
                        CatalogEntry(
                            vendor,
                            status,
                            str(name),
                            str(example.get("summary") or _first_line(response.get("description"))),
                            str(content_type),
                            code,
                            message,
                            value,
                            (),
                            _inferred(example, media, response),
                        )
                    )
            for entry in found:
                key = (entry.status, entry.content_type, entry.name, json.dumps(entry.body, sort_keys=True))
                if key not in by_key:
                    by_key[key] = entry
                    order.append(key)
                known = by_key[key]
                if operation.operation_id not in known.operations:
                    by_key[key] = replace(known, operations=(*known.operations, operation.operation_id))
    entries = [by_key[key] for key in order]
    entries.sort(key=lambda entry: entry.status)  # stable: spec order within a status
    return entries, ops


def catalog(vendor: str, mock_url: str = "http://127.0.0.1:8000") -> list[CatalogEntry]:
    """Every documented error of `vendor` with the scenarios that provoke it on the mock at `mock_url`.

    Each scenario step that expects an error is attached to the documented errors its expected
    response matches (same status, an operation at that path, the expected body a subset of the
    example). When several match, the ones whose code and message the expectation names win, then
    the ones whose example name shares words with the scenario's name.
    """
    entries, ops = raw_entries(vendor)
    found: dict[int, list[Provocation]] = {i: [] for i in range(len(entries))}
    for scenario, index in error_steps(vendor):
        step = scenario.steps[index]
        hits = [i for i, entry in enumerate(entries) if _hit(entry, entries, ops, step)]
        if not hits:
            continue
        scores = {i: _score(entries[i], scenario.name, step) for i in hits}
        best = max(scores.values())
        for i in hits:
            if scores[i] == best and all(p.scenario != scenario.name for p in found[i]):
                found[i].append(provocation(vendor, mock_url, scenario, index))
    return [
        replace(entry, provocations=tuple(sorted(found[i], key=lambda p: len(p.commands))))
        for i, entry in enumerate(entries)
    ]


def _words(text: str) -> set[str]:
    return {word for word in re.split(r"[^a-z0-9]+", text.lower()) if word}


def _score(entry: CatalogEntry, scenario: str, step: ScenarioStep) -> tuple[int, int]:
    named = _strings(step.expect.json) | ({step.expect.text} if step.expect.text else set())
    told = sum(1 for text in (entry.code, entry.message) if text is not None and text in named)
    last = scenario.rsplit(".", 1)[-1]
    return told, len(_words(last) & _words(entry.name or ""))


def _strings(value: Any) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        return {text for item in value.values() for text in _strings(item)}
    if isinstance(value, list):
        return {text for item in value for text in _strings(item)}
    return set()


def _hit(
    entry: CatalogEntry, entries: list[CatalogEntry], ops: dict[str, Operation], step: ScenarioStep
) -> bool:
    """Whether a scenario step's expected response can be this documented error."""
    expect = step.expect
    if expect.status != entry.status:
        return False
    targets = {
        op.operation_id for op in ops.values() if op.matches_path(step.path) and op.method == step.method
    }
    if not targets:
        targets = {op.operation_id for op in ops.values() if op.matches_path(step.path)}
    if targets and not targets & set(entry.operations):
        return False
    if expect.text is not None:
        return bool(entry.body == expect.text)
    if expect.has_json:
        return entry.content_type is not None and not _subset_problems(expect.json, entry.body)
    if expect.empty:
        return entry.body is None
    # Only the status is expected: that names this error when it is the only one of its status.
    siblings = [
        other
        for other in entries
        if other.status == entry.status and (not targets or targets & set(other.operations))
    ]
    return entry.body is None or len(siblings) == 1


def _subset_problems(expected: Any, actual: Any) -> bool:
    """True when `actual` does NOT carry everything `expected` gives (the scenario format's subset match)."""
    if isinstance(expected, dict):
        return not isinstance(actual, dict) or any(
            key not in actual or _subset_problems(value, actual[key]) for key, value in expected.items()
        )
    if isinstance(expected, list):
        return (
            not isinstance(actual, list)
            or len(expected) > len(actual)
            or any(_subset_problems(item, actual[i]) for i, item in enumerate(expected))
        )
    return bool(expected != actual)
