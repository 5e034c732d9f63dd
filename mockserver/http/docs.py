"""The API docs (`cancel_contracts.docs`) served by the mock at `/docs/`.

The site is rendered from the specs on the first request, in memory, for the origin the request
came to (the error catalogs' curl lines name it), and kept for later requests. `/docs` redirects
to `/docs/` so the pages' relative links resolve under it.
"""

from __future__ import annotations

import mimetypes
from functools import lru_cache

import anyio.to_thread
from connexion import AsyncApp
from connexion.middleware import MiddlewarePosition
from starlette.types import ASGIApp, Receive, Scope, Send

from cancel_contracts.docs import render_site

PREFIX = "/docs"
_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".css": "text/css; charset=utf-8",
}


@lru_cache(maxsize=8)
def _site(origin: str) -> dict[str, bytes]:
    return render_site(origin)


def _content_type(path: str) -> str:
    for suffix, media in _TYPES.items():
        if path.endswith(suffix):
            return media
    guessed = mimetypes.guess_type(path)[0] or "application/octet-stream"
    return f"{guessed}; charset=utf-8" if guessed.startswith("text/") else guessed


def _origin(scope: Scope) -> str:
    headers = {
        name.decode("latin-1").lower(): value.decode("latin-1") for name, value in scope.get("headers", ())
    }
    host = headers.get("host")
    if not host:
        server = scope.get("server") or ("127.0.0.1", 8000)
        host = f"{server[0]}:{server[1]}"
    return f"{scope.get('scheme', 'http')}://{host}"


class DocsPages:
    """ASGI middleware: answers GET/HEAD under `/docs`, passes everything else on."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if path != PREFIX and not path.startswith(PREFIX + "/"):
            await self.app(scope, receive, send)
            return
        if scope["method"] not in ("GET", "HEAD"):
            await self._send(
                send,
                scope,
                405,
                b"The docs are read-only: use GET.\n",
                "text/plain; charset=utf-8",
                [(b"allow", b"GET, HEAD")],
            )
            return
        if path == PREFIX:
            query = scope.get("query_string", b"")
            location = PREFIX + "/" + ("?" + query.decode("latin-1") if query else "")
            await self._send(
                send, scope, 307, b"", "text/plain; charset=utf-8", [(b"location", location.encode())]
            )
            return
        relative = path[len(PREFIX) + 1 :] or "index.html"
        site = await anyio.to_thread.run_sync(_site, _origin(scope))  # the first render takes ~1 s
        content = site.get(relative)
        if content is None:
            known = ", ".join(sorted(name for name in site if name.endswith(".html")))
            message = f"No docs page {relative!r}; pages: {known}.\n".encode()
            await self._send(send, scope, 404, message, "text/plain; charset=utf-8")
            return
        await self._send(send, scope, 200, content, _content_type(relative))

    @staticmethod
    async def _send(
        send: Send,
        scope: Scope,
        status: int,
        body: bytes,
        content_type: str,
        extra: list[tuple[bytes, bytes]] | None = None,
    ) -> None:
        headers = [
            (b"content-type", content_type.encode()),
            (b"content-length", str(len(body)).encode()),
            (b"cache-control", b"no-cache"),
            *(extra or []),
        ]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body})


def install(app: AsyncApp) -> None:
    """Serve the docs from `app` at `/docs/` (outside the vendors' error handling and journal)."""
    app.add_middleware(DocsPages, position=MiddlewarePosition.BEFORE_EXCEPTION)
