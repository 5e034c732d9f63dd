"""The application factory: one Connexion `AsyncApp`, one `add_api` per vendor spec under `/<vendor>`."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import Any

from connexion import AsyncApp
from connexion.middleware import ConnexionMiddleware, MiddlewarePosition
from connexion.middleware.security import SecurityMiddleware
from connexion.options import SwaggerUIOptions
from connexion.resolver import Resolver

from cancel_contracts import specs
from mockserver.http import docs
from mockserver.http.admin import admin_endpoint
from mockserver.http.collector import Collector
from mockserver.http.endpoints import vendor_endpoint
from mockserver.http.fastpath import FastPath
from mockserver.http.middleware import Gate, Recorder
from mockserver.http.rendering import ErrorRenderer, handled_exceptions
from mockserver.http.validation import VALIDATORS
from mockserver.service import MockService

NO_UI = SwaggerUIOptions(serve_spec=False, swagger_ui=False)
# Connexion would enforce `security` itself and answer in its own format; `Gate` authenticates
# each vendor's way instead, so Connexion's security middleware is left out of the stack.
MIDDLEWARES = [m for m in ConnexionMiddleware.default_middlewares if m is not SecurityMiddleware]


def create_app(
    vendors: Iterable[str] | None = None,
    fixtures: Iterable[Path] = (),
    *,
    service: MockService | None = None,
    fast_path: bool = True,
    collector: Collector | None = None,
) -> AsyncApp:
    """Build the mock. Pass `service` to share state with the caller (tests, the pytest plugin).

    `fast_path=False` leaves out the compiled lane (`mockserver.http.fastpath`), so every request
    takes Connexion's own stack: the reference the lane is tested against. `collector` is the
    garbage-collector policy of a serving process (`mockserver.http.collector`); tests leave it out.
    """
    service = service or MockService(vendors, fixtures)
    middlewares: list[Any] = list(MIDDLEWARES)
    if fast_path:  # outermost: a request it serves skips every layer below
        middlewares.insert(0, partial(FastPath, service=service, collector=collector))
    app = AsyncApp(
        "mockserver",
        specification_dir=str(specs.DIRECTORY),
        swagger_ui_options=NO_UI,
        middlewares=middlewares,
    )
    for name, vendor in service.vendors.items():
        app.add_api(
            specs.load(vendor.spec),  # parsed once per process (a private copy): Connexion mutates it
            base_path=f"/{name}",
            name=name,
            resolver=Resolver(function_resolver=lambda op, n=name: vendor_endpoint(service, n, op)),
            validator_map=VALIDATORS,
            validate_responses=False,
            swagger_ui_options=NO_UI,
        )
    app.add_api(
        specs.load("admin"),
        base_path="",
        name="admin",
        resolver=Resolver(function_resolver=lambda op: admin_endpoint(service, op)),
        validator_map=VALIDATORS,
        swagger_ui_options=NO_UI,
    )
    renderer = ErrorRenderer(service)
    for exception in handled_exceptions():
        app.add_error_handler(exception, renderer)
    app.add_middleware(
        Recorder, position=MiddlewarePosition.BEFORE_EXCEPTION, journal=service.journal, collector=collector
    )
    app.add_middleware(Gate, position=MiddlewarePosition.BEFORE_VALIDATION, service=service)
    app.service = service
    docs.install(app)
    if collector is not None:
        collector.start()
    return app


def service_of(app: AsyncApp) -> MockService:
    found: MockService = app.service
    return found
