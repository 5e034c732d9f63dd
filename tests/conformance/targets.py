"""Targets for the suite's own tests: the mock served on a free port, and thin wrappers that break it."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import uvicorn

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Any]
Send = Callable[[Message], Any]
App = Callable[[Scope, Receive, Send], Any]


@dataclass
class Exchange:
    """One request and the mock's answer, which a broken target may change."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    status: int
    response_headers: dict[str, str]
    content: bytes

    def json(self) -> Any:
        try:
            return json.loads(self.content)
        except ValueError:
            return None

    def answer(
        self, status: int, content: bytes | Any, content_type: str | None = "application/json"
    ) -> None:
        self.status = status
        self.content = content if isinstance(content, bytes) else json.dumps(content).encode()
        self.response_headers.pop("content-type", None)
        if content_type is not None:
            self.response_headers["content-type"] = content_type


class Broken:
    """Wraps the mock app; `rewrite` may change each exchange, `inject` the request headers."""

    def __init__(
        self,
        app: App,
        rewrite: Callable[[Exchange], None],
        inject: Callable[[dict[str, str]], dict[str, str]] | None = None,
    ) -> None:
        self.app, self.rewrite, self.inject = app, rewrite, inject

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        if self.inject is not None:
            headers = self.inject(headers)
            scope = {
                **scope,
                "headers": [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()],
            }
        chunks: list[bytes] = []
        while True:
            message = await receive()
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        body = b"".join(chunks)
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            await asyncio.sleep(3600)
            return {"type": "http.disconnect"}

        start: Message = {}
        parts: list[bytes] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                parts.append(message.get("body", b""))

        await self.app(scope, replay, capture)
        response_headers = {
            k.decode("latin-1").lower(): v.decode("latin-1") for k, v in start.get("headers", [])
        }
        exchange = Exchange(
            scope["method"], scope["path"], headers, body, start["status"], response_headers, b"".join(parts)
        )
        self.rewrite(exchange)
        exchange.response_headers["content-length"] = str(len(exchange.content))
        raw = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in exchange.response_headers.items()]
        await send({"type": "http.response.start", "status": exchange.status, "headers": raw})
        await send({"type": "http.response.body", "body": exchange.content})


@contextmanager
def serving(app: App) -> Iterator[str]:
    """Serve an ASGI app with uvicorn in a thread on a free 127.0.0.1 port; yields its root URL."""
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="error", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
