"""The event loop `cancel-contracts serve` runs on: uvloop, but accepting every waiting connection.

libuv (which uvloop bundles) accepts one connection per loop iteration since 1.45 and relies on
level-triggered polling for the next one. A serving iteration answers every request that is
ready, so under load a burst of new connections joins one connection per iteration: with 32
connections opened at once against the SQLite store (about 0.5 ms a request), their first requests
reached the app at 0, 2, 4, 6, 9, 12, 16 ... 296 ms — a growing wait that made the benchmark's p99
(measured with `benchmarks/run.py`; every load run opens its connections anew). asyncio's own loop
accepts up to `backlog` connections per readiness, but serves about 7 % fewer requests a second
here.

So this loop is uvloop with a listener of its own: when the listening socket is readable it
accepts every waiting connection (up to the backlog) and hands each to uvloop's
`connect_accepted_socket`. It does so for the listening sockets `serve` passes to uvicorn
(`sock=`, no TLS); anything else is uvloop's own `create_server`. Where uvloop is missing
(Windows), `new_event_loop` is asyncio's, which accepts in batches already.

Only for a socket that no other process accepts on: `serve` with one worker. Workers that share
one listening socket must not accept greedily — the first to wake would take every connection of
a burst (measured: two workers then served like one) — and there libuv's one connection per
iteration is what spreads the connections over them, so `serve --workers N` keeps uvloop's own.
"""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import Callable
from typing import Any

log = logging.getLogger("mockserver")

ProtocolFactory = Callable[[], asyncio.BaseProtocol]
RETRY_SECONDS = 1.0  # after accept() failed for want of resources (asyncio's ACCEPT_RETRY_DELAY)


class Listener:
    """What `create_server` returns here: the part of `asyncio.Server` uvicorn and `serve` use."""

    def __init__(
        self, loop: asyncio.AbstractEventLoop, sock: socket.socket, factory: ProtocolFactory, backlog: int
    ) -> None:
        self._loop = loop
        self._sock = sock
        self._factory = factory
        self._backlog = max(1, backlog)
        self._serving = True
        sock.listen(self._backlog)  # listening already (uvicorn's sockets): sets the backlog again
        sock.setblocking(False)
        loop.add_reader(sock.fileno(), self.accept)

    @property
    def sockets(self) -> tuple[socket.socket, ...]:
        return (self._sock,) if self._serving else ()

    def accept(self) -> int:
        """Accept every connection waiting (up to the backlog); how many were accepted."""
        accepted = 0
        while accepted < self._backlog:
            try:
                conn, _address = self._sock.accept()
            except (BlockingIOError, InterruptedError):
                break
            except ConnectionAbortedError:  # gone before it was accepted
                continue
            except OSError as error:  # e.g. out of file descriptors: pause, as asyncio's loop does
                log.warning("accepting connections failed (%s); trying again in %s s", error, RETRY_SECONDS)
                self._loop.remove_reader(self._sock.fileno())
                self._loop.call_later(RETRY_SECONDS, self._resume)
                break
            conn.setblocking(False)
            self._loop.create_task(self._connect(conn))
            accepted += 1
        return accepted

    def _resume(self) -> None:
        if self._serving:
            self._loop.add_reader(self._sock.fileno(), self.accept)

    async def _connect(self, conn: socket.socket) -> None:
        try:
            await self._loop.connect_accepted_socket(self._factory, conn)
        except OSError as error:  # reset before its transport was made
            log.debug("an accepted connection failed: %s", error)
            conn.close()

    def is_serving(self) -> bool:
        return self._serving

    def get_loop(self) -> asyncio.AbstractEventLoop:
        return self._loop

    def close(self) -> None:
        """Stop listening (connections already accepted go on), as `asyncio.Server.close` does."""
        if self._serving:
            self._serving = False
            self._loop.remove_reader(self._sock.fileno())
            self._sock.close()

    async def wait_closed(self) -> None:
        return None


try:
    import uvloop
except ImportError:  # pragma: no cover - no uvloop (Windows)
    new_event_loop: Callable[[], asyncio.AbstractEventLoop] = asyncio.new_event_loop
else:

    class Loop(uvloop.Loop):
        async def create_server(
            self,
            protocol_factory: ProtocolFactory,
            host: Any = None,
            port: Any = None,
            *,
            sock: socket.socket | None = None,
            backlog: int = 100,
            ssl: Any = None,
            **kwargs: Any,
        ) -> Any:
            if sock is None or ssl is not None or kwargs:
                return await super().create_server(
                    protocol_factory, host, port, sock=sock, backlog=backlog, ssl=ssl, **kwargs
                )
            return Listener(self, sock, protocol_factory, backlog)

    def new_event_loop() -> asyncio.AbstractEventLoop:
        return Loop()


LOOP = "mockserver.http.eventloop:new_event_loop"  # uvicorn's `loop` setting for it
