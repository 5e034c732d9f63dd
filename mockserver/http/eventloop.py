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

Only for a socket that no other process accepts on. Workers that share one listening socket must
not accept greedily — the first to wake would take every connection of a burst (measured: two
workers then served like one) — and libuv's one connection per iteration does not spread them
evenly either: a burst of 32 connections was seen split 20/12 and 15/17, and in one benchmark
run two workers served no faster than one (meetbit, 2370 req/s against 2342), as if one worker
had taken them all. So where the kernel can spread connections
(`BALANCED`: Linux), `serve --workers N` binds its address open to other sockets (`bind`:
SO_REUSEPORT) and each worker's loop (`new_worker_loop`) listens on a socket of its own on it,
accepting greedily there, besides the shared socket, which it serves with uvloop's own accept.
The kernel hands each new connection to one of those listening sockets by a hash of its
addresses: about an equal part to every worker (measured with `ss`: 12/20, 19/13, 18/14, 19/13 of
32), never all to one. The shared socket listens from the start, so a connection made before the
workers are up waits in its backlog, as before, and a worker that dies takes only its own
socket's waiting connections with it.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import sys
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


# Where the kernel spreads the connections of one address over the listening sockets bound to it
# with SO_REUSEPORT (Linux: by a hash of each connection's addresses). Elsewhere the option means
# something else (the BSDs and macOS: the last socket bound takes them all), so workers share one.
BALANCED = sys.platform == "linux" and hasattr(socket, "SO_REUSEPORT")


def bind(host: str, port: int) -> socket.socket:
    """The listening address of `serve` (not listening yet): what uvicorn's `Config.bind_socket`
    makes, and where `BALANCED`, open to the sockets of its workers (`SO_REUSEPORT`)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if BALANCED:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((host, port))
    except BaseException:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def own_socket(shared: socket.socket, backlog: int) -> socket.socket | None:
    """A worker's own listening socket on the address of `shared` (None: not `BALANCED`, or the
    address is not open to it)."""
    if (
        not BALANCED
        or shared.type != socket.SOCK_STREAM
        or shared.family not in (socket.AF_INET, socket.AF_INET6)
    ):
        return None
    if not shared.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT):
        return None
    sock = socket.socket(shared.family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind(shared.getsockname()[:2])
        sock.listen(backlog)
    except OSError as error:
        log.warning("a worker could not listen on a socket of its own (%s); sharing one", error)
        sock.close()
        return None
    return sock


class Servers:
    """Several listeners as one (what `create_server` returns to uvicorn)."""

    def __init__(self, *servers: Any) -> None:
        self._servers = servers

    @property
    def sockets(self) -> tuple[socket.socket, ...]:
        return tuple(sock for server in self._servers for sock in server.sockets)

    def is_serving(self) -> bool:
        return any(server.is_serving() for server in self._servers)

    def get_loop(self) -> asyncio.AbstractEventLoop:
        loop: asyncio.AbstractEventLoop = self._servers[0].get_loop()
        return loop

    def close(self) -> None:
        for server in self._servers:
            server.close()

    async def wait_closed(self) -> None:
        for server in self._servers:
            await server.wait_closed()


try:
    import uvloop
except ImportError:  # pragma: no cover - no uvloop (Windows)
    new_event_loop: Callable[[], asyncio.AbstractEventLoop] = asyncio.new_event_loop
    new_worker_loop: Callable[[], asyncio.AbstractEventLoop] = asyncio.new_event_loop
else:

    class Loop(uvloop.Loop):
        worker = False  # one of several processes accepting on the socket `serve` passes

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
            if not self.worker:
                return Listener(self, sock, protocol_factory, backlog)
            shared = await super().create_server(protocol_factory, sock=sock, backlog=backlog)
            own = own_socket(sock, backlog)
            if own is None:
                return shared
            return Servers(shared, Listener(self, own, protocol_factory, backlog))

    class WorkerLoop(Loop):
        worker = True

    def new_event_loop() -> asyncio.AbstractEventLoop:
        return Loop()

    def new_worker_loop() -> asyncio.AbstractEventLoop:
        return WorkerLoop()


LOOP = "mockserver.http.eventloop:new_event_loop"  # uvicorn's `loop` setting for it
WORKER_LOOP = "mockserver.http.eventloop:new_worker_loop"  # ... for each of several workers
