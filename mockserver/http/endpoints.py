"""Connexion endpoints: one generated function per operationId, all alike.

Each turns the framework request into a `Call`, runs the vendor's handler inside one store
transaction, and turns the `Reply` back into a response.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from connexion import context
from connexion.lifecycle import ConnexionResponse

from mockserver.core.exchange import Call
from mockserver.http.middleware import STATE_KEY, lower_headers, query_of
from mockserver.http.rendering import to_response
from mockserver.http.routing import vendor_path
from mockserver.service import MockService

Endpoint = Callable[..., Awaitable[ConnexionResponse]]


def vendor_endpoint(service: MockService, vendor: str, operation_id: str) -> Endpoint:
    if operation_id not in service.vendors[vendor].operations:
        raise LookupError(f"{vendor}: operationId {operation_id!r} has no handler in handlers.OPERATIONS")

    async def endpoint(*_args: Any, **kwargs: Any) -> ConnexionResponse:
        scope = context.request.scope
        session, principal = scope["state"][STATE_KEY]
        call = Call(
            vendor=vendor,
            operation_id=operation_id,
            method=scope["method"],
            path=vendor_path(scope["path"], vendor),
            path_params={str(k): str(v) for k, v in scope.get("path_params", {}).items()},
            query=query_of(scope),
            headers=lower_headers(scope),
            body=kwargs.get("body"),
            session=session,
            now=service.now(session),
            principal=principal,
        )
        return to_response(service.handle(call))

    endpoint.__name__ = f"{vendor}_{operation_id}".replace(".", "_")
    return endpoint
