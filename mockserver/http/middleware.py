"""Two ASGI middlewares around Connexion's stack.

`Recorder` (outermost) writes the request journal. `Gate` (after routing, before validation)
authenticates the caller the vendor's way and rejects bodies that are too large, not UTF-8 or not
JSON — so a bad token is refused before the body is looked at, as the vendors do, and a broken
body never reaches a validator that would turn it into a 500.
"""

from __future__ import annotations

import json
import time
from collections.abc import MutableMapping
from datetime import UTC, datetime
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mockserver.core.clock import format_instant
from mockserver.core.errors import Failure, FailureKind
from mockserver.core.journal import Entry, Journal
from mockserver.http.admission import admit, call_of, lower_headers
from mockserver.http.collector import Collector
from mockserver.http.routing import ADMIN_PREFIX, prefix_of, session_of, vendor_of
from mockserver.http.validation import SchemaViolation
from mockserver.service import MockService

MAX_BODY_BYTES = 1024 * 1024
STATE_KEY = "cancel_contracts"


def _is_json(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or media.endswith("+json")


class Recorder:
    def __init__(self, app: ASGIApp, journal: Journal, collector: Collector | None = None) -> None:
        self.app = app
        self.journal = journal
        self.collector = collector

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        prefix = prefix_of(scope.get("path", "")) if scope["type"] == "http" else ADMIN_PREFIX
        if prefix in (ADMIN_PREFIX, "docs", ""):
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = [500]

        async def recording_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, recording_send)
        finally:
            record(self.journal, scope, prefix, status[0], started)
            if self.collector is not None:
                self.collector.tick()


def record(
    journal: Journal, scope: Scope, vendor: str, status: int, started: float, session: str | None = None
) -> None:
    """One journal entry for a vendor request that started at `started` (`time.perf_counter()`)."""
    # Entry(time, session, vendor, method, path, status, duration_ms), built as `Entry._make` does
    # without its Python-level length check: one per request
    journal.add(
        tuple.__new__(
            Entry,
            (
                _stamp(),
                session_of(scope) if session is None else session,
                vendor,
                scope.get("method", ""),
                scope.get("path", ""),
                status,
                (time.perf_counter() - started) * 1000,
            ),
        )
    )


_last_stamp: tuple[int, str] = (0, "")


def _stamp() -> str:
    """`format_instant(utcnow())`, formatted once per second."""
    global _last_stamp
    second = int(time.time())
    if _last_stamp[0] != second:
        _last_stamp = (second, format_instant(datetime.fromtimestamp(second, UTC)))
    return _last_stamp[1]


class Gate:
    def __init__(self, app: ASGIApp, service: MockService, max_body: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.service = service
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        vendor = vendor_of(scope["path"], self.service.vendors)
        if vendor is None:
            await self.app(scope, receive, send)
            return
        session = session_of(scope)
        headers = lower_headers(scope)
        routing: dict[str, Any] = scope.get("extensions", {}).get("connexion_routing", {})
        call = call_of(
            self.service,
            vendor,
            str(routing.get("operation_id", "")),
            scope,
            scope.get("path_params", {}),
            session=session,
            headers=headers,
        )
        principal = await admit(self.service, call)  # raises VendorError: fault, throttle, credentials
        state: MutableMapping[str, Any] = scope.setdefault("state", {})
        state[STATE_KEY] = (session, principal)
        body = await self._read_body(scope, receive, headers)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _read_body(self, scope: Scope, receive: Receive, headers: dict[str, str]) -> bytes:
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_body:
            raise SchemaViolation(
                Failure(FailureKind.BODY_TOO_LARGE, f"body of {declared} bytes exceeds {self.max_body}")
            )
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                raise SchemaViolation(
                    Failure(FailureKind.BODY_TOO_LARGE, f"body exceeds {self.max_body} bytes")
                )
            chunks.append(chunk)
            more = bool(message.get("more_body", False))
        body = b"".join(chunks)
        if body.strip() and _is_json(headers.get("content-type", "")):
            try:
                json.loads(body.decode("utf-8"))
            except UnicodeDecodeError as error:
                raise SchemaViolation(
                    Failure(FailureKind.MALFORMED_BODY, f"body is not UTF-8: {error}")
                ) from error
            except json.JSONDecodeError as error:
                raise SchemaViolation(
                    Failure(FailureKind.MALFORMED_BODY, f"body is not valid JSON: {error}")
                ) from error
        return body
