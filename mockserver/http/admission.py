"""What every vendor request goes through before its handler, whichever lane carries it.

`call_of` turns the raw ASGI scope into the vendor-neutral `Call`; `screen` applies the session's
fault rules (and the `X-Mock-Fault` header), waits any injected latency and refuses with the
vendor's documented error when a fault or throttle says so; `admit` screens, then authenticates the
caller the vendor's way.
`Gate` (the Connexion lane) and `FastPath` (the compiled lane) both call these, so the order —
faults, then credentials, then the body — is the same on both. The fast lane's `serve` does all
of it in one store transaction when no fault concerns the call.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, TypeVar
from urllib.parse import parse_qsl

from starlette.types import Scope

from mockserver.core.errors import VendorError
from mockserver.core.exchange import Call, Reply
from mockserver.core.faults import Decision, FaultSpecError
from mockserver.http.routing import vendor_path
from mockserver.service import MockService

T = TypeVar("T")


def read_headers(scope: Scope) -> tuple[dict[bytes, list[bytes]], dict[str, str]]:
    """The headers as sent (name -> every value, in order) and as `Call.headers` holds them (names
    lower-cased; a repeated header keeps its last value), in one pass."""
    sent: dict[bytes, list[bytes]] = {}
    lowered: dict[str, str] = {}
    for name, value in scope.get("headers", ()):
        sent.setdefault(name, []).append(value)
        lowered[name.decode("latin-1").lower()] = value.decode("latin-1")
    return sent, lowered


def lower_headers(scope: Scope) -> dict[str, str]:
    """Header names lower-cased; a repeated header keeps its last value."""
    return read_headers(scope)[1]


def query_of(scope: Scope) -> dict[str, str]:
    raw = scope.get("query_string", b"").decode("latin-1")
    return dict(parse_qsl(raw, keep_blank_values=True))


def call_of(
    service: MockService,
    vendor: str,
    operation_id: str,
    scope: Scope,
    path_params: Mapping[str, Any],
    *,
    session: str,
    body: Any = None,
    principal: Any = None,
    headers: dict[str, str] | None = None,
    query: dict[str, str] | None = None,
    now: datetime | None = None,
) -> Call:
    """The `Call` for a request at `now` (default: the session's clock, `MockService.now`). The
    fast lane passes the wall clock and spares the store a read: `MockService.serve` serves the
    call at the session's frozen clock if its transaction finds one."""
    return Call(
        vendor=vendor,
        operation_id=operation_id,
        method=scope["method"],
        path=vendor_path(scope["path"], vendor),
        path_params={str(k): str(v) for k, v in path_params.items()},
        query=query_of(scope) if query is None else query,
        headers=lower_headers(scope) if headers is None else headers,
        body=body,
        session=session,
        now=service.now(session) if now is None else now,
        principal=principal,
    )


async def admit(service: MockService, call: Call) -> Any:
    """Faults, latency and credentials for `call`; returns the vendor's principal or raises
    `VendorError` with the vendor's documented refusal."""
    await screen(service, call)
    return service.authenticate(call)


async def screen(service: MockService, call: Call) -> None:
    """Faults and latency for `call`: raises `VendorError` with the vendor's documented refusal when
    a fault or throttle decides so."""
    await _obey(service, call, _readable(lambda: service.faults.decide(call)))


async def serve(service: MockService, call: Call) -> Reply:
    """The fast lane's whole call, for a body already read and valid: `screen`, then credentials
    and the handler (`MockService.serve`) — one store transaction when no fault concerns the call
    (`MockService.serve_unscreened`). Raises `VendorError` with the vendor's refusal."""
    outcome = _readable(lambda: service.serve_unscreened(call))
    if isinstance(outcome, Reply):
        return outcome
    call = call.at(
        service.now(call.session), call.principal
    )  # a refusal shows the session's clock (a frozen one)
    await _obey(service, call, outcome)
    return service.serve(call)


def _readable(decide: Callable[[], T]) -> T:
    """`decide()`, with an `X-Mock-Fault` header it cannot read refused as the mock's 400."""
    try:
        return decide()
    except FaultSpecError as error:
        raise VendorError(Reply(400, {"error": "fault_invalid", "message": str(error)}), "fault") from error


async def _obey(service: MockService, call: Call, decision: Decision) -> None:
    if decision.latency_ms:
        await asyncio.sleep(decision.latency_ms / 1000)
    refusal = service.faults.refusal(call, decision)
    if refusal is not None:
        raise refusal
