"""The compiled lane: vendor requests that pass validation, served without Connexion's per-request work.

Connexion builds a parameter validator and a body validator for every request and passes each
request through eight ASGI layers and a parameter decorator (profiled: ~80 % of a request's time).
`FastPath` is a Connexion spec middleware placed first in Connexion's stack: for every vendor API
Connexion registers, it compiles one `OperationPlan` per operation from Connexion's own operation
object, once. A request whose route, parameters, content type and body its plan accepts is
served by `admission.serve` — faults and latency (what the Connexion lane's `Gate` decides), then
the vendor's `authenticate` and handler (as `Gate` and the endpoint run them), in one store
transaction when no fault concerns the call — then answered and journaled here; any
exception is rendered by the `ErrorRenderer` the Connexion lane's exception handler uses. Every
other request — admin, docs, an unknown path, a wrong method, anything invalid or unusual —
continues down Connexion's stack untouched (with its body replayed), and Connexion validates it and
produces the error.

Nothing the lane does is observable: tests/http/test_fastpath.py sends the same requests to an
app with the lane and one without it and compares status, headers and body.
"""

from __future__ import annotations

import time
import typing as t
from urllib.parse import parse_qsl

from connexion.http_facts import METHODS
from connexion.middleware.abstract import SpecMiddleware
from connexion.spec import Specification
from connexion.validators import VALIDATOR_MAP
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mockserver.core.clock import utcnow
from mockserver.core.exchange import Reply
from mockserver.http.admission import call_of, read_headers, serve
from mockserver.http.collector import Collector
from mockserver.http.middleware import MAX_BODY_BYTES, record
from mockserver.http.plan import DECLINE, OperationPlan
from mockserver.http.rendering import ErrorRenderer, to_messages
from mockserver.http.routing import SESSION_HEADER_BYTES, session_from
from mockserver.service import MockService


class FastPath(SpecMiddleware):  # type: ignore[misc]
    def __init__(
        self,
        app: ASGIApp,
        service: MockService,
        max_body: int = MAX_BODY_BYTES,
        collector: Collector | None = None,
    ) -> None:
        self.app = app
        self.service = service
        self.collector = collector
        self.max_body = max_body
        self.renderer = ErrorRenderer(service)
        self.plans: dict[str, dict[str, list[OperationPlan]]] = {}  # vendor -> METHOD -> in spec order

    def add_api(self, specification: Specification, **kwargs: t.Any) -> None:
        vendor = str(kwargs.get("base_path") or "").strip("/")
        custom_parsing = kwargs.get("uri_parser_class") is not None or kwargs.get("strict_validation")
        if vendor not in self.service.vendors or custom_parsing:
            return  # the admin API, or options this lane does not reproduce: Connexion serves it
        validator_map = {**VALIDATOR_MAP, **(kwargs.get("validator_map") or {})}
        plans: dict[str, list[OperationPlan]] = {}
        for path, methods in specification.get("paths", {}).items():
            for method in methods:
                if method not in METHODS:
                    continue
                operation = specification.operation_cls.from_spec(
                    specification, path=path, method=method, resolver=kwargs.get("resolver")
                )
                plans.setdefault(method.upper(), []).append(OperationPlan(operation, path, validator_map))
        self.plans[vendor] = plans

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")
        if scope["type"] != "http" or scope.get("root_path") or "\n" in path:  # Starlette's Mount: `.*`
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        slash = path.find("/", 1)  # `/vendor/rest`: the vendor's plans match `/rest`
        vendor = path[1:slash] if slash > 0 and path[0] == "/" else ""  # no vendor is named ""
        by_method = self.plans.get(vendor)
        plans = by_method.get(scope["method"]) if by_method is not None else None
        if plans is None:
            await self.app(scope, receive, send)
            return
        rest = path[slash:]
        for plan in plans:  # Connexion's router takes the first route that matches, in spec order
            path_params = plan.route.match(rest)
            if path_params is not None:
                break
        else:
            await self.app(scope, receive, send)
            return
        headers, lowered = read_headers(scope)  # as sent (the plan's checks), as `Call.headers`
        declared = headers.get(b"content-length", [b""])[-1]
        if not plan.compiled or (declared.isdigit() and int(declared) > self.max_body):
            await self.app(scope, receive, send)
            return
        received, raw = await self._read(receive)
        if raw is None:
            await self.app(scope, _replay(received, receive), send)
            return
        query: dict[str, list[str]] = {}
        query_string = scope.get("query_string", b"")
        if query_string:
            for key, value in parse_qsl(query_string.decode("latin-1"), keep_blank_values=True):
                query.setdefault(key, []).append(value)
        body = (
            plan.body(headers.get(b"content-type", []), raw)
            if plan.parameters_valid(query, path_params, headers)
            else DECLINE
        )
        if body is DECLINE:
            await self.app(scope, _replay(received, receive), send)
            return
        session = session_from(headers.get(SESSION_HEADER_BYTES))
        last = {key: values[-1] for key, values in query.items()} if query else {}
        head, tail = to_messages(
            await self._serve(scope, vendor, plan, session, path_params, last, lowered, body)
        )
        try:
            await send(head)
            await send(tail)
        finally:
            record(self.service.journal, scope, vendor, head["status"], started, session)
            if self.collector is not None:
                self.collector.tick()

    async def _read(self, receive: Receive) -> tuple[list[Message], bytes | None]:
        """Every message of the body, and the body (None: too large or cut short — let Connexion
        see exactly what arrived)."""
        received: list[Message] = []
        size = 0
        while True:
            message = await receive()
            received.append(message)
            if message["type"] != "http.request":
                return received, None
            size += len(message.get("body", b""))
            if size > self.max_body:
                return received, None
            if not message.get("more_body", False):
                if len(received) == 1:  # the common case: the whole body in one message
                    return received, message.get("body", b"")
                return received, b"".join(m.get("body", b"") for m in received)

    async def _serve(
        self,
        scope: Scope,
        vendor: str,
        plan: OperationPlan,
        session: str,
        path_params: dict[str, t.Any],
        query: dict[str, str],
        headers: dict[str, str],
        body: t.Any,
    ) -> Reply:
        """The reply to an accepted request: its path parameters, query (last values), headers (as
        `Call.headers` holds them) and body argument."""
        service = self.service
        try:
            call = call_of(
                service,
                vendor,
                plan.operation_id,
                scope,
                path_params,
                session=session,
                body=body,
                headers=headers,
                query=query,
                now=utcnow(),  # `serve` applies a frozen session clock in its transaction
            )
            return await serve(service, call)
        except Exception as error:  # VendorError, or a bug: rendered as the Connexion lane renders it
            # (its exception middleware hands every exception to the same `ErrorRenderer`)
            return self.renderer.reply_for(error, scope["method"], scope["path"])


def _replay(received: list[Message], receive: Receive) -> Receive:
    """A `receive` that hands out the messages already read, then reads on."""
    pending = list(received)

    async def replay() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replay
