"""Every answer the mock sends goes through here: vendor replies, failures, admin errors.

Exceptions from Connexion and Starlette (validation problems, unknown paths, wrong methods,
unsupported media types, anything unexpected) become a vendor-neutral `Failure`, which the
vendor owning the path renders in its own documented format. Nothing here writes a vendor body.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from connexion.exceptions import (
    BadRequestProblem,
    ExtraParameterProblem,
    ProblemException,
    UnsupportedMediaTypeProblem,
)
from connexion.lifecycle import ConnexionRequest, ConnexionResponse
from starlette.exceptions import HTTPException
from starlette.types import Message

from mockserver.core.errors import Failure, FailureKind, VendorError
from mockserver.core.exchange import Reply
from mockserver.http.routing import ADMIN_PREFIX, prefix_of, vendor_path
from mockserver.http.validation import SchemaViolation
from mockserver.service import MockService

log = logging.getLogger("mockserver")


def to_response(reply: Reply) -> ConnexionResponse:
    return ConnexionResponse(
        status_code=reply.status,
        body=reply.encoded(),
        content_type=reply.content_type,
        headers=dict(reply.headers),
    )


def to_messages(reply: Reply) -> tuple[Message, Message]:
    """The two ASGI messages Connexion sends for `to_response(reply)` — on the normal path
    (`connexion_to_framework_response`) and the error path (its exception middleware) alike:
    `ConnexionResponse` adds `Content-Type`, Starlette lower-cases the names and appends
    `content-length`. The fast lane sends these without building either response object."""
    body = reply.encoded()
    if reply.headers:
        headers = dict(reply.headers)
        if reply.content_type:
            headers["Content-Type"] = reply.content_type
        raw = [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers.items()]
    else:  # the common case: only the content type
        raw = [(b"content-type", reply.content_type.encode("latin-1"))] if reply.content_type else []
    status = reply.status
    if not (status < 200 or status in (204, 304)) and all(name != b"content-length" for name, _ in raw):
        raw.append((b"content-length", str(len(body)).encode("latin-1")))
    return (
        {"type": "http.response.start", "status": status, "headers": raw},
        {"type": "http.response.body", "body": body},
    )


def admin_error(status: int, code: str, message: str) -> Reply:
    return Reply(status, {"error": code, "message": message})


def failure_of(exc: BaseException, method: str, path: str) -> Failure:
    if isinstance(exc, SchemaViolation):
        return exc.failure
    if isinstance(exc, UnsupportedMediaTypeProblem):
        return Failure(FailureKind.UNSUPPORTED_MEDIA_TYPE, str(exc.detail))
    if isinstance(exc, ExtraParameterProblem):
        return Failure(
            FailureKind.INVALID_PARAMETER, str(exc.detail), reason="additionalProperties", location="query"
        )
    if isinstance(exc, BadRequestProblem):
        detail = str(exc.detail or "")
        kind = (
            FailureKind.MISSING_BODY
            if "required" in detail.lower() and "body" in detail.lower()
            else FailureKind.INVALID_BODY
        )
        return Failure(kind, detail)
    if isinstance(exc, ProblemException) and exc.status == 415:
        return Failure(FailureKind.UNSUPPORTED_MEDIA_TYPE, str(exc.detail))
    if isinstance(exc, HTTPException) and exc.status_code == 404:
        return Failure(FailureKind.UNKNOWN_PATH, f"no operation at {method} {path}")
    if isinstance(exc, HTTPException) and exc.status_code == 405:
        return Failure(FailureKind.METHOD_NOT_ALLOWED, f"{method} is not allowed on {path}")
    if isinstance(exc, HTTPException) and exc.status_code == 413:
        return Failure(FailureKind.BODY_TOO_LARGE, "request body too large")
    if isinstance(exc, HTTPException) and 400 <= exc.status_code < 500:
        return Failure(FailureKind.INVALID_BODY, str(exc.detail))
    return Failure(FailureKind.INTERNAL, f"{type(exc).__name__}: {exc}")


class ErrorRenderer:
    """One Connexion error handler for every exception type."""

    def __init__(self, service: MockService) -> None:
        self._service = service

    def reply_for(self, exc: BaseException, method: str, path: str) -> Reply:
        if isinstance(exc, VendorError):
            return exc.reply
        failure = failure_of(exc, method, path)
        if failure.kind is FailureKind.INTERNAL:
            log.error("unexpected error on %s %s", method, path, exc_info=exc)
        prefix = prefix_of(path)
        vendor = self._service.vendors.get(prefix)
        if vendor is not None:
            allowed = _allowed_methods(exc)
            failure = replace(failure, method=method, path=vendor_path(path, prefix), allowed=allowed)
            try:
                reply = vendor.failure(failure)
            except Exception:  # a vendor renderer must never turn an error into a traceback
                log.exception("vendor %s failed to render %s", prefix, failure.kind)
                return admin_error(500, "internal", "the mock failed to render an error")
            if reply.status == 405 and allowed and "allow" not in {k.lower() for k in reply.headers}:
                reply = replace(reply, headers={**reply.headers, "Allow": ", ".join(allowed)})
            return reply
        status = {
            FailureKind.UNKNOWN_PATH: 404,
            FailureKind.METHOD_NOT_ALLOWED: 405,
            FailureKind.UNSUPPORTED_MEDIA_TYPE: 415,
            FailureKind.BODY_TOO_LARGE: 413,
            FailureKind.INTERNAL: 500,
        }.get(failure.kind, 400)
        if prefix != ADMIN_PREFIX and failure.kind is FailureKind.UNKNOWN_PATH:
            known = ", ".join(f"/{name}" for name in self._service.vendors)
            return admin_error(
                404, failure.kind.value, f"{failure.message}; vendors are served under {known}"
            )
        return admin_error(status, failure.kind.value, failure.message)

    async def __call__(self, request: ConnexionRequest, exc: Exception) -> ConnexionResponse:
        return to_response(self.reply_for(exc, request.method, request.url.path))


def _allowed_methods(exc: BaseException) -> tuple[str, ...]:
    headers = getattr(exc, "headers", None) or {}
    allow = str(headers.get("Allow") or headers.get("allow") or "")
    return tuple(method.strip() for method in allow.split(",") if method.strip())


def handled_exceptions() -> list[Any]:
    return [Exception, HTTPException, ProblemException, VendorError]
