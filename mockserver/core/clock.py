"""Time as the mock sees it: real time, or a frozen instant per session; relative fixture times."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from functools import lru_cache

_RELATIVE = re.compile(r"^now(?:\s*([+-])\s*(\d+)\s*([smhdw]))?$|^([+-])(\d+)([smhdw])$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def utcnow() -> datetime:
    return datetime.now(UTC)


@lru_cache(maxsize=4096)
def parse_instant(text: str) -> datetime:
    """Parse RFC 3339 / ISO 8601 (a trailing Z allowed); naive values are taken as UTC. The last
    4096 texts are kept: records are read far more often than written (an API key's expiry, a
    meeting's start and end, on every request), and a `datetime` is immutable."""
    value = datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=UTC)


_last_instant: tuple[tuple[int, int, int, int, int, int], str] = ((0, 0, 0, 0, 0, 0), "")


def format_instant(value: datetime) -> str:
    """RFC 3339 in UTC with a Z, to the second: the canonical time format of fixtures.

    The text of the last second formatted is kept: a request formats its own instant several times
    (a record's stamps, an error body, the outbox) and its neighbours mostly fall in the same
    second, while the formatting costs several times the fields (one tuple swap: thread-safe)."""
    global _last_instant
    fields = utc_fields(value)
    last = _last_instant
    if last[0] == fields:
        return last[1]
    text = "{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}Z".format(*fields)
    _last_instant = (fields, text)
    return text


def utc_fields(value: datetime) -> tuple[int, int, int, int, int, int]:
    """Year, month, day, hour, minute, second in UTC (naive values are local time, as `astimezone`
    takes them): what the formats of instants are written from, faster than `strftime`."""
    if value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    return value.year, value.month, value.day, value.hour, value.minute, value.second


def is_relative(text: str) -> bool:
    """Whether `relative(text, now)` gives an instant (for any `now`)."""
    return _RELATIVE.match(text.strip()) is not None


def relative(text: str, now: datetime) -> datetime | None:
    """`now`, `now+2h`, `+2h`, `-30m`, `+1d` → an instant relative to `now`; anything else → None."""
    match = _RELATIVE.match(text.strip())
    if not match:
        return None
    sign, amount, unit = (match.group(1), match.group(2), match.group(3))
    if sign is None and match.group(4):
        sign, amount, unit = match.group(4), match.group(5), match.group(6)
    if sign is None:
        return now
    delta = timedelta(**{_UNITS[unit]: int(amount)})
    return now + delta if sign == "+" else now - delta
