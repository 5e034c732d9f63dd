"""The mock's own request and response: what a vendor rule sees and returns.

The HTTP layer converts to and from these; vendor code never touches a socket or a framework.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import orjson

from mockserver.core.values import fast_init


def encode_json(value: Any) -> bytes:
    """Compact UTF-8 JSON, as the vendors send it (`{"a":1}`). orjson writes it about ten times
    faster than the standard library; what orjson refuses (an integer beyond 64 bits, a type it
    does not know) is written by the standard library instead. A key that is not a string is
    written as the standard library writes it (`OPT_NON_STR_KEYS`); that option is asked for only
    when needed, as it makes orjson check every key (a meetergo answer: 2.3 -> 3.9 µs)."""
    try:
        return orjson.dumps(value)
    except TypeError:  # orjson.JSONEncodeError is a TypeError
        pass
    try:
        return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS)
    except TypeError:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


@fast_init
@dataclass(frozen=True, slots=True)
class Call:
    """One vendor request, already routed, authenticated and validated against the spec."""

    vendor: str
    operation_id: str
    method: str
    path: str
    path_params: Mapping[str, str]
    query: Mapping[str, str]
    headers: Mapping[str, str]  # lower-case names
    body: Any
    session: str
    # The session's clock (a frozen one, else the wall clock). `MockService` serves a call at the
    # frozen clock its store transaction reads, if any (`Transaction.frozen`: the records' snapshot).
    now: datetime
    principal: Any = None

    def header(self, name: str, default: str | None = None) -> str | None:
        return self.headers.get(name.lower(), default)

    def with_principal(self, principal: Any) -> Call:
        """This call, made by `principal` (what `dataclasses.replace` does, without its lookups)."""
        return self.at(self.now, principal)

    def at(self, now: datetime, principal: Any = None) -> Call:
        """This call at the clock `now`, made by `principal` (None: not authenticated yet)."""
        return Call(
            self.vendor,
            self.operation_id,
            self.method,
            self.path,
            self.path_params,
            self.query,
            self.headers,
            self.body,
            self.session,
            now,
            principal,
        )


@fast_init
@dataclass(frozen=True, slots=True)
class Reply:
    """A finished response. `body` is JSON-able data, text, bytes, or None for no body."""

    status: int
    body: Any = None
    content_type: str | None = "application/json"
    headers: Mapping[str, str] = field(default_factory=dict)

    def encoded(self) -> bytes:
        if self.body is None:
            return b""
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str) and not (self.content_type or "").endswith("json"):
            return self.body.encode("utf-8")
        return encode_json(self.body)

    @staticmethod
    def text(status: int, text: str, headers: Mapping[str, str] | None = None) -> Reply:
        return Reply(status, text, "text/plain; charset=UTF-8", dict(headers or {}))

    @staticmethod
    def empty(status: int, headers: Mapping[str, str] | None = None) -> Reply:
        return Reply(status, None, None, dict(headers or {}))
