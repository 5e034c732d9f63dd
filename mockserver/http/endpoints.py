"""Connexion endpoints: one generated function per operationId, all alike.

Each turns the framework request into a `Call`, runs the vendor's handler inside one store
transaction, and turns the `Reply` back into a response.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from connexion import context
from connexion.lifecycle import ConnexionResponse

from mockserver.http.admission import call_of
from mockserver.http.middleware import STATE_KEY
from mockserver.http.rendering import to_response
from mockserver.service import MockService

Endpoint = Callable[..., Awaitable[ConnexionResponse]]


def vendor_endpoint(service: MockService, vendor: str, operation_id: str) -> Endpoint:
    if operation_id not in service.vendors[vendor].operations:
        raise LookupError(f"{vendor}: operationId {operation_id!r} has no handler in handlers.OPERATIONS")

    async def endpoint(*_args: Any, **kwargs: Any) -> ConnexionResponse:
        scope = context.request.scope
        session, principal = scope["state"][STATE_KEY]
        call = call_of(
            service,
            vendor,
            operation_id,
            scope,
            scope.get("path_params", {}),
            session=session,
            body=_parsed(kwargs.get("body")),
            principal=principal,
        )
        return to_response(service.handle(call))

    endpoint.__name__ = f"{vendor}_{operation_id}".replace(".", "_")
    return endpoint


def _parsed(body: Any) -> Any:
    """Connexion validates a body sent with no Content-Type (or `Application/JSON`) as the JSON the
    operation consumes, then hands it over as bytes: parse it, as the vendors would."""
    if isinstance(body, bytes | bytearray):
        return json.loads(body)
    return body
