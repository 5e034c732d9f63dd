"""The admin API at `/__admin` (described by specs/admin.yaml): one small function per route."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from connexion import context
from connexion.lifecycle import ConnexionResponse

from mockserver.core.clock import format_instant, parse_instant
from mockserver.core.exchange import Reply
from mockserver.core.faults import FaultSpecError
from mockserver.core.fixtures import FixtureError
from mockserver.http.rendering import admin_error, to_response
from mockserver.http.routing import session_of
from mockserver.service import MockService

AdminOperation = Callable[[MockService, str, Any], Reply]


def health(service: MockService, _session: str, _body: Any) -> Reply:
    return Reply(
        200, {"status": "ok", "vendors": list(service.vendors), "sessions": service.store.sessions()}
    )


def reset(service: MockService, session: str, _body: Any) -> Reply:
    service.store.reset(session)
    service.journal.clear(session)
    return Reply(200, {"reset": session})


def add_fixtures(service: MockService, session: str, body: Any) -> Reply:
    text = body if isinstance(body, str) else json.dumps(body)
    try:
        added = service.add_fixtures(session, text)
    except FixtureError as error:
        return admin_error(400, "fixtures_invalid", str(error))
    return Reply(200, {"added": added})


def get_state(service: MockService, session: str, _body: Any) -> Reply:
    return Reply(200, service.state(session))


def get_vendor_state(service: MockService, session: str, body: Any) -> Reply:
    vendor = str(body)
    if vendor not in service.vendors:
        return admin_error(
            404, "vendor_not_served", f"{vendor} is not served; served: {', '.join(service.vendors)}"
        )
    return Reply(200, service.state(session, vendor))


def get_requests(service: MockService, session: str, _body: Any) -> Reply:
    return Reply(200, {"requests": [entry.as_dict() for entry in service.journal.entries(session)]})


def clear_requests(service: MockService, session: str, _body: Any) -> Reply:
    service.journal.clear(session)
    return Reply.empty(204)


def get_outbox(service: MockService, session: str, _body: Any) -> Reply:
    return Reply(200, {"messages": [entry.as_dict() for entry in service.store.outbox(session)]})


def clear_outbox(service: MockService, session: str, _body: Any) -> Reply:
    service.store.clear_outbox(session)
    return Reply.empty(204)


def _clock(service: MockService, session: str) -> Reply:
    frozen = service.store.frozen_at(session)
    return Reply(200, {"now": format_instant(service.now(session)), "frozen": frozen is not None})


def get_clock(service: MockService, session: str, _body: Any) -> Reply:
    return _clock(service, session)


def set_clock(service: MockService, session: str, body: Any) -> Reply:
    value = body.get("now") if isinstance(body, dict) else None
    try:
        instant = None if value is None else parse_instant(str(value))
    except ValueError:
        return admin_error(400, "clock_invalid", f"now must be an RFC 3339 date-time or null, got {value!r}")
    service.store.freeze(session, instant)
    return _clock(service, session)


def get_faults(service: MockService, session: str, _body: Any) -> Reply:
    return Reply(200, {"rules": service.faults.rules(session)})


def add_faults(service: MockService, session: str, body: Any) -> Reply:
    try:
        added = service.faults.add(session, body if isinstance(body, list) else [body])
    except FaultSpecError as error:
        return admin_error(400, "fault_invalid", str(error))
    return Reply(201, {"rules": added})


def clear_faults(service: MockService, session: str, _body: Any) -> Reply:
    service.faults.remove(session)
    return Reply.empty(204)


def delete_fault(service: MockService, session: str, body: Any) -> Reply:
    if not service.faults.remove(session, str(body)):
        return admin_error(404, "fault_not_found", f"no fault rule {body!r} in session {session!r}")
    return Reply.empty(204)


OPERATIONS: dict[str, AdminOperation] = {
    "getFaults": get_faults,
    "addFaults": add_faults,
    "clearFaults": clear_faults,
    "deleteFault": delete_fault,
    "health": health,
    "reset": reset,
    "addFixtures": add_fixtures,
    "getState": get_state,
    "getVendorState": get_vendor_state,
    "getRequests": get_requests,
    "clearRequests": clear_requests,
    "getOutbox": get_outbox,
    "clearOutbox": clear_outbox,
    "getClock": get_clock,
    "setClock": set_clock,
}


def admin_endpoint(service: MockService, operation_id: str) -> Callable[..., Awaitable[ConnexionResponse]]:
    operation = OPERATIONS[operation_id]

    async def endpoint() -> ConnexionResponse:
        # No **kwargs: Connexion then leaves the body alone and we read it once, here.
        request = context.request
        session = session_of(request.scope)
        body: Any = None
        if request.method in ("POST", "PUT"):
            raw = await request.body()
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                return to_response(admin_error(400, "body_invalid", "the body must be UTF-8 JSON or YAML"))
            if operation_id == "addFixtures":
                body = text
            else:
                try:
                    body = json.loads(text) if text.strip() else None
                except json.JSONDecodeError as error:
                    return to_response(admin_error(400, "body_invalid", f"the body is not JSON: {error}"))
        return to_response(operation(service, session, body))

    async def vendor_endpoint(vendor: str) -> ConnexionResponse:
        return to_response(operation(service, session_of(context.request.scope), vendor))

    async def rule_endpoint(rule_id: str) -> ConnexionResponse:
        return to_response(operation(service, session_of(context.request.scope), rule_id))

    chosen = {"getVendorState": vendor_endpoint, "deleteFault": rule_endpoint}.get(operation_id, endpoint)
    chosen.__name__ = f"admin_{operation_id}"
    return chosen
