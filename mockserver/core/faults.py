"""Fault rules: when a call is delayed, fails with a documented error, or is throttled.

Pure decisions over plain data, so the same rules, seed and sequence of calls always give the same
outcome (a CI run repeats exactly), and so the rule state can live in any `Store` and be shared
by worker processes. Which error body is sent is the vendor's business, not this module's.
"""

from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from mockserver.core.clock import format_instant, parse_instant
from mockserver.core.values import fast_init

HEADER = "x-mock-fault"
_LATENCY = re.compile(r"^(\d{1,6})\s*(ms)?$")


class FaultSpecError(ValueError):
    """A fault header or rule that cannot be understood; the message says what to write instead."""


@dataclass(frozen=True, slots=True)
class HeaderFault:
    error: str | None = None
    latency_ms: int = 0


def parse_header(text: str) -> HeaderFault:
    """`error=DAILY_LIMIT_EXCEEDED; latency=250ms` (also `status=429`, `latency=250`)."""
    error: str | None = None
    latency = 0
    for part in re.split(r"[;,]", text):
        if not part.strip():
            continue
        key, _, value = part.partition("=")
        key, value = key.strip().lower(), value.strip()
        if key in ("error", "status", "code") and value:
            error = value
        elif key == "latency":
            match = _LATENCY.match(value.lower())
            if not match:
                raise FaultSpecError(f"latency must be milliseconds, e.g. latency=250ms (got {value!r})")
            latency = int(match.group(1))
        else:
            raise FaultSpecError(
                f"cannot read {part.strip()!r} in X-Mock-Fault; write error=<name|code|status> and/or latency=<ms>"
            )
    return HeaderFault(error, latency)


@fast_init
@dataclass(frozen=True, slots=True)
class Decision:
    error: str | None = None
    latency_ms: int = 0
    throttle: tuple[int, int, int, int] | None = None  # limit, remaining, reset_seconds, retry_after


NONE = Decision()


def _int(raw: dict[str, Any], key: str, low: int, high: int, default: int | None = None) -> int | None:
    value = raw.get(key, default)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise FaultSpecError(f"{key} must be a whole number from {low} to {high} (got {value!r})")
    return value


def normalise_rule(raw: Any, rule_id: str) -> dict[str, Any]:
    """Check a rule as posted to /__admin/faults and return its stored form (with counters)."""
    if not isinstance(raw, dict):
        raise FaultSpecError("a fault rule is a JSON object")
    known = {"vendor", "operation", "error", "percent", "latency_ms", "throttle", "seed", "description"}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise FaultSpecError(f"unknown field(s) {', '.join(unknown)}; a rule has {', '.join(sorted(known))}")
    if not isinstance(raw.get("vendor"), str):
        raise FaultSpecError("vendor is required (zoho, graph, meetbit, cronofy or meetergo)")
    throttle = raw.get("throttle")
    if throttle is not None:
        if not isinstance(throttle, dict):
            raise FaultSpecError("throttle is an object {limit, window_seconds}")
        limit = _int(throttle, "limit", 0, 1_000_000)
        window = _int(throttle, "window_seconds", 1, 86_400)
        if limit is None or window is None:
            raise FaultSpecError("throttle needs limit and window_seconds")
        throttle = {"limit": limit, "window_seconds": window}
    error = raw.get("error")
    if error is not None and (not isinstance(error, str | int) or isinstance(error, bool)):
        raise FaultSpecError("error is a documented error's name, code or HTTP status")
    latency = _int(raw, "latency_ms", 0, 60_000, 0) or 0
    if error is None and not latency and throttle is None:
        raise FaultSpecError("a rule needs at least one of error, latency_ms or throttle")
    operation = raw.get("operation", "*")
    if not isinstance(operation, str):
        raise FaultSpecError("operation is an operationId from the vendor's spec, or * for all")
    return {
        "id": rule_id,
        "vendor": raw["vendor"],
        "operation": operation,
        "error": None if error is None else str(error),
        "percent": _int(raw, "percent", 0, 100, 100),
        "latency_ms": latency,
        "throttle": throttle,
        "seed": _int(raw, "seed", 0, 2**31, 0),
        "description": str(raw.get("description", "")),
        "calls": 0,
        "window_start": None,
        "window_count": 0,
    }


def applies(rule: dict[str, Any], vendor: str, operation: str) -> bool:
    return bool(rule["vendor"] == vendor and rule["operation"] in ("*", operation))


def step(rule: dict[str, Any], now: datetime) -> tuple[dict[str, Any], Decision]:
    """Count one matching call against `rule`; return the updated rule and what happens to the call."""
    updated = dict(rule)
    updated["calls"] = calls = int(rule["calls"]) + 1
    error: str | None = None
    if rule["error"] is not None:
        draw = random.Random(f"{rule['seed']}:{calls}").random() * 100
        if draw < int(rule["percent"]):
            error = str(rule["error"])
    throttle: tuple[int, int, int, int] | None = None
    spec = rule.get("throttle")
    if spec:
        window = int(spec["window_seconds"])
        start = parse_instant(rule["window_start"]) if rule.get("window_start") else None
        if start is None or (now - start).total_seconds() >= window:
            start, count = now, 0
        else:
            count = int(rule["window_count"])
        count += 1
        updated["window_start"], updated["window_count"] = format_instant(start), count
        limit = int(spec["limit"])
        reset = max(1, math.ceil(window - (now - start).total_seconds()))
        if count > limit:
            throttle = (limit, 0, reset, reset)
    return updated, Decision(error, int(rule["latency_ms"]), throttle)


def combine(decisions: list[Decision]) -> Decision:
    if not decisions:
        return NONE
    error = next((d.error for d in decisions if d.error is not None), None)
    throttle = next((d.throttle for d in decisions if d.throttle is not None), None)
    return Decision(error, sum(d.latency_ms for d in decisions), throttle)
