"""The serving event loop accepts every waiting connection at once (libuv alone: one per iteration)."""

from __future__ import annotations

import asyncio
import socket
from typing import cast

import pytest

from mockserver.http import eventloop
from mockserver.http.eventloop import Listener

uvloop = pytest.importorskip("uvloop", reason="the loop is uvloop's; without it serve runs asyncio's")


class Recorder(asyncio.Protocol):
    made: list[Recorder] = []

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        Recorder.made.append(self)
        self.transport = cast(asyncio.WriteTransport, transport)  # uvloop's: not asyncio's class

    def data_received(self, data: bytes) -> None:
        self.transport.write(data.upper())


def listening() -> socket.socket:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    return sock


def test_every_waiting_connection_is_accepted_at_the_first_readiness(monkeypatch: pytest.MonkeyPatch) -> None:
    counts: list[int] = []
    accept = Listener.accept

    def counted(self: Listener) -> int:
        counts.append(accept(self))
        return counts[-1]

    monkeypatch.setattr(Listener, "accept", counted)
    Recorder.made = []
    loop = eventloop.new_event_loop()
    sock = listening()
    clients = []
    try:
        server = loop.run_until_complete(loop.create_server(Recorder, sock=sock, backlog=64))
        assert isinstance(server, Listener)
        # 20 clients connect (the kernel completes them) before the loop runs again
        clients = [socket.create_connection(sock.getsockname()) for _ in range(20)]
        while len(Recorder.made) < 20:
            loop.run_until_complete(asyncio.sleep(0.01))
        assert counts[0] == 20  # all at the first readiness, not one per iteration
        # and they are served: each echoes upper-cased
        for client in clients:
            client.sendall(b"ping")
        for _ in range(20):  # the loop reads and answers them
            loop.run_until_complete(asyncio.sleep(0.01))
        replies = []
        for client in clients:
            client.settimeout(5)
            replies.append(client.recv(16))
        assert replies == [b"PING"] * 20
        server.close()
        assert server.sockets == () and not server.is_serving()
        assert sock.fileno() == -1  # closed, as asyncio.Server.close closes its sockets
        loop.run_until_complete(server.wait_closed())
    finally:
        for client in clients:
            client.close()
        for made in Recorder.made:
            made.transport.close()
        loop.run_until_complete(asyncio.sleep(0))
        loop.close()


def test_what_it_does_not_handle_goes_to_uvloop() -> None:
    """A host and port (no socket) is uvloop's own `create_server`: `serve` passes sockets."""
    loop = eventloop.new_event_loop()
    try:
        server = loop.run_until_complete(loop.create_server(Recorder, "127.0.0.1", 0))
        assert not isinstance(server, Listener)
        assert server.sockets
        server.close()
        loop.run_until_complete(server.wait_closed())
    finally:
        loop.close()


class FailingSocket:
    """A listening socket whose accept() fails for want of file descriptors."""

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock
        self.accepts = 0

    def __getattr__(self, name: str) -> object:
        return getattr(self._sock, name)

    def accept(self) -> tuple[socket.socket, object]:
        self.accepts += 1
        raise OSError(24, "Too many open files")


def test_out_of_file_descriptors_pauses_listening_instead_of_spinning(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(eventloop, "RETRY_SECONDS", 0.05)
    loop = eventloop.new_event_loop()
    sock = listening()
    failing = FailingSocket(sock)
    client = socket.create_connection(sock.getsockname())  # waiting: the socket stays readable
    try:
        server = Listener(loop, failing, Recorder, 8)  # type: ignore[arg-type]
        loop.run_until_complete(asyncio.sleep(0.03))
        assert failing.accepts == 1  # not once per iteration: the reader is removed
        loop.run_until_complete(asyncio.sleep(0.1))
        assert 2 <= failing.accepts <= 3  # and put back after the pause
        server.close()
        loop.run_until_complete(asyncio.sleep(0.1))
        assert failing.accepts <= 3  # a closed listener does not come back
    finally:
        client.close()
        sock.close()
        loop.close()


linux_only = pytest.mark.skipif(
    not eventloop.BALANCED, reason="only Linux spreads connections over sockets sharing a port (SO_REUSEPORT)"
)


@linux_only
def test_bind_opens_the_address_to_the_workers_sockets() -> None:
    sock = eventloop.bind("127.0.0.1", 0)
    try:
        assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT)
        assert not sock.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN)  # bound, not listening yet
        own = eventloop.own_socket(sock, 8)
        assert own is not None
        try:
            assert own.getsockname() == sock.getsockname()
            assert own.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN)
        finally:
            own.close()
    finally:
        sock.close()


def test_a_socket_not_open_to_workers_gets_no_socket_of_their_own() -> None:
    """uvicorn's own `bind_socket` (no SO_REUSEPORT): the workers share it, as uvicorn's do."""
    sock = listening()
    try:
        assert eventloop.own_socket(sock, 8) is None
    finally:
        sock.close()


@linux_only
def test_workers_each_listen_on_a_socket_of_their_own_and_share_the_connections() -> None:
    """Two worker loops (as in two `serve --workers 2` processes) on one address: the kernel spreads
    64 connections over their sockets and the shared one, so each worker gets a part of them, and
    every connection is served."""
    shared = eventloop.bind("127.0.0.1", 0)
    shared.listen(64)
    loops = [eventloop.new_worker_loop(), eventloop.new_worker_loop()]
    made: list[list[asyncio.BaseTransport]] = [[], []]
    servers = []
    clients: list[socket.socket] = []

    def factory(index: int) -> type[asyncio.Protocol]:
        class Echo(asyncio.Protocol):
            def connection_made(self, transport: asyncio.BaseTransport) -> None:
                made[index].append(transport)
                self.transport = cast(asyncio.WriteTransport, transport)

            def data_received(self, data: bytes) -> None:
                self.transport.write(data.upper())

        return Echo

    try:
        for index, loop in enumerate(loops):
            worker_sock = shared.dup()  # each process has the shared one
            servers.append(
                loop.run_until_complete(loop.create_server(factory(index), sock=worker_sock, backlog=64))
            )
        assert all(len(server.sockets) == 2 for server in servers)  # the shared one and its own
        clients = [socket.create_connection(shared.getsockname()) for _ in range(64)]
        for client in clients:
            client.sendall(b"ping")
        for _ in range(30):
            for loop in loops:
                loop.run_until_complete(asyncio.sleep(0.005))
            if sum(map(len, made)) == 64:
                break
        assert sum(map(len, made)) == 64
        assert all(len(accepted) >= 8 for accepted in made), [len(m) for m in made]
        for _ in range(10):
            for loop in loops:
                loop.run_until_complete(asyncio.sleep(0.005))
        for client in clients:
            client.settimeout(5)
            assert client.recv(16) == b"PING"
    finally:
        for client in clients:
            client.close()
        for server, loop in zip(servers, loops, strict=False):  # servers: as many as were made
            server.close()
            loop.run_until_complete(server.wait_closed())
        for accepted, loop in zip(made, loops, strict=True):
            for transport in accepted:
                transport.close()
            loop.run_until_complete(asyncio.sleep(0))
            loop.close()
        shared.close()
