"""What every vendor's error answer has in common, and the shape of a vendor's rules.

A vendor module (`checks/<vendor>.py`) says three things about its error answers: which codes a
response carries (`codes`), what is wrong with its envelope (`envelope`), and which refusals of a
schema-valid request are documented business rules (`refusal`). The documented set of codes is
read from the spec's named error examples with the same `codes` function, so the suite and the
spec can never disagree about what a code is.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from cancel_contracts import specs
from cancel_contracts.specs import resolve as _resolve

PROBLEM_JSON = "application/problem+json"


@dataclass(frozen=True)
class Answer:
    """An HTTP answer reduced to what the checks look at."""

    status: int
    media_type: str
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self) -> Any:
        """The parsed body, or None when it is not JSON."""
        try:
            return json.loads(self.body)
        except ValueError:
            return None


Codes = Callable[[Answer], list[str]]
Envelope = Callable[[Answer], list[str]]
Refusal = Callable[[Answer], bool]


@dataclass(frozen=True)
class VendorRules:
    """One vendor's error contract, as the checks need it."""

    name: str
    codes: Codes
    envelope: Envelope
    refusal: Refusal
    # The vendor's answer to a method the path does not have: status and code (None = any code).
    wrong_method: tuple[int, str | None]
    # Codes the suite accepts although the spec has no example for them, each with its reason.
    inferred: dict[int, dict[str, str]] = field(default_factory=dict)


def media_type(value: str | None) -> str:
    return (value or "").split(";", 1)[0].strip().lower()


def _examples(spec: dict[str, Any]) -> list[tuple[int, str, Any]]:
    """(status, media type, example value) of every documented error; bodiless ones as (status, '', None)."""
    found: list[tuple[int, str, Any]] = []
    for item in (spec.get("paths") or {}).values():
        for operation in item.values() if isinstance(item, dict) else ():
            if not isinstance(operation, dict):
                continue
            for code, response in (operation.get("responses") or {}).items():
                if not str(code).startswith(("4", "5")):
                    continue
                response = _resolve(spec, response)
                content = response.get("content") or {}
                if not content:
                    found.append((int(code), "", None))
                for media, body in content.items():
                    body = _resolve(spec, body)
                    values = [_resolve(spec, ex).get("value") for ex in (body.get("examples") or {}).values()]
                    if "example" in body:
                        values.append(body["example"])
                    found += [(int(code), media_type(media), value) for value in values]
    return found


def _as_answer(status: int, media: str, value: Any) -> Answer:
    if value is None:
        return Answer(status, media, b"")
    body = value.encode() if isinstance(value, str) and media == "text/plain" else json.dumps(value).encode()
    return Answer(status, media, body)


@cache
def documented_codes(vendor: str, rules_codes: Codes) -> dict[int, frozenset[str]]:
    """status → the codes the vendor's spec documents for it (from the named error examples)."""
    table: dict[int, set[str]] = {}
    for status, media, value in _examples(specs.load(vendor)):
        table.setdefault(status, set()).update(rules_codes(_as_answer(status, media, value)))
    return {status: frozenset(codes) for status, codes in table.items()}


@cache
def documented_media(vendor: str) -> dict[int, frozenset[str]]:
    """status → the media types the spec documents for its errors ('' = no body)."""
    table: dict[int, set[str]] = {}
    for status, media, _ in _examples(specs.load(vendor)):
        table.setdefault(status, set()).add(media)
    return {status: frozenset(media) for status, media in table.items()}


def error_problems(rules: VendorRules, answer: Answer) -> list[str]:
    """Everything wrong with one error answer: content type, envelope, and an undocumented code."""
    if answer.status < 400:
        return []
    if answer.media_type == PROBLEM_JSON:
        return [f"{answer.status} sent as {PROBLEM_JSON}; {rules.name} never answers with problem+json"]
    media = documented_media(rules.name)
    allowed_media = set(media.get(answer.status) or set().union(*media.values()))
    if answer.media_type not in allowed_media and not ("" in allowed_media and not answer.body):
        shown = sorted(m or "no body" for m in allowed_media)
        return [
            f"{answer.status} has content type {answer.media_type or 'none'!r}; "
            f"{rules.name} sends {shown} for it"
        ]
    problems = rules.envelope(answer)
    if problems:
        return problems
    documented = set(documented_codes(rules.name, rules.codes).get(answer.status, frozenset()))
    documented |= set(rules.inferred.get(answer.status, {}))
    for code in rules.codes(answer):
        if code not in documented:
            listed = ", ".join(sorted(documented)) or "none"
            problems.append(
                f"{answer.status} carries code {code!r}, "
                f"not one {rules.name} documents for {answer.status} ({listed})"
            )
    return problems


def dig(document: Any, *path: str | int) -> Any:
    """document[path...] or None when any step is missing."""
    for part in path:
        if isinstance(part, int):
            if not isinstance(document, list) or len(document) <= part:
                return None
        elif not isinstance(document, dict):
            return None
        document = document[part] if isinstance(part, int) else document.get(part)
    return document
