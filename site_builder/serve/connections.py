"""Connections, bounded: whatever clients do, the server keeps a thread for each page.

A thread per connection lets a client hold a thread by connecting and saying nothing,
or one byte at a time (slowloris), and a few hundred of them stop the server. Here:

- one thread (`Intake`) reads the request head of every new connection at once, without
  blocking on any; a head must come whole within `HEAD_SECONDS` and `HEAD_BYTES` (else
  408, 414 or 431, and the connection is closed), so a slow or silent client costs a
  socket and a buffer, never a thread;
- a request read whole goes to a fixed set of threads (`Workers`), whose reads and
  writes each time out after `IO_SECONDS`, so a client that stops reading its answer
  frees its thread too;
- the connections open at once are bounded too (`CONNECTIONS`): past that, new ones are
  answered 503 and closed.
"""

from __future__ import annotations

import contextlib
import io
import queue
import selectors
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

HEAD_BYTES = 64 * 1024  # a request line and its headers, at most
HEAD_SECONDS = 10.0  # to send them, from connecting
IO_SECONDS = 10.0  # for each read or write while answering
CONNECTIONS = 512  # open at once
LINGER_SECONDS = 1.0  # reading what a refused client still sends, so that it reads why
_CHUNK = 16 * 1024
_TICK = 0.25  # how often deadlines are looked at
_HEAD_ENDS = (b"\r\n\r\n", b"\n\n")

Address = Any  # what `accept()` gives: a host and port, and more for IPv6
Answer = Callable[[socket.socket, bytes, Address], None]


class Received(socket.socket):
    """A connection whose request head was read already: the handler reads the head
    from memory, and writes its answer to the socket as usual."""

    head = b""

    @classmethod
    def of(cls, connection: socket.socket, head: bytes) -> Received:
        received = cls(connection.family, connection.type, connection.proto, connection.detach())
        received.head = head
        return received

    def makefile(self, *args: Any, **options: Any) -> Any:
        mode = args[0] if args else options.get("mode", "r")
        if "r" in mode:
            return io.BytesIO(self.head)
        return super().makefile(*args, **options)


class Workers:
    """A fixed number of threads, answering the requests put to them in turn."""

    def __init__(self, count: int, answer: Answer) -> None:
        self._queue: queue.SimpleQueue[tuple[socket.socket, bytes, Address] | None]
        self._queue = queue.SimpleQueue()
        self._threads = [
            threading.Thread(target=self._run, args=(answer,), name=f"http-{n}", daemon=True)
            for n in range(count)
        ]
        for thread in self._threads:
            thread.start()

    def put(self, connection: socket.socket, head: bytes, address: Address) -> None:
        self._queue.put((connection, head, address))

    def close(self) -> None:
        """Let each thread end once it is done with what it holds."""
        for _ in self._threads:
            self._queue.put(None)

    def _run(self, answer: Answer) -> None:
        while (item := self._queue.get()) is not None:
            answer(*item)


@dataclass
class _Pending:
    """A connection whose head is still coming (or, refused, whose client is told why)."""

    address: Address
    deadline: float
    head: bytearray = field(default_factory=bytearray)
    refused: bool = False


class Intake:
    """Reads every new connection's request head in one thread; hands on each whole one
    (`ready`) and gives up on the rest (`drop`, after telling the client why)."""

    def __init__(self, ready: Answer, drop: Callable[[socket.socket], None]) -> None:
        self._ready, self._drop = ready, drop
        self._selector = selectors.DefaultSelector()
        self._arrivals: queue.SimpleQueue[tuple[socket.socket, Address]] = queue.SimpleQueue()
        self._wake_up, self._waker = socket.socketpair()
        for end in (self._wake_up, self._waker):
            end.setblocking(False)
        self._selector.register(self._wake_up, selectors.EVENT_READ, None)
        self._closed = threading.Event()
        self._thread = threading.Thread(target=self._run, name="http-intake", daemon=True)
        self._thread.start()

    def add(self, connection: socket.socket, address: Address) -> None:
        """Take a new connection (from the accepting thread)."""
        connection.setblocking(False)
        self._arrivals.put((connection, address))
        self._wake()

    def close(self) -> None:
        """Stop reading; the connections still being read are closed."""
        self._closed.set()
        self._wake()
        self._thread.join(timeout=5)

    def _wake(self) -> None:
        with contextlib.suppress(BlockingIOError):  # a wake-up is pending already
            self._waker.send(b"\0")

    def _run(self) -> None:
        next_look = time.monotonic()
        while not self._closed.is_set():
            for key, _ in self._selector.select(timeout=_TICK):
                if key.data is None:
                    self._take_arrivals()
                else:
                    self._read(key.fileobj, key.data)  # type: ignore[arg-type]
            now = time.monotonic()
            if now >= next_look:
                self._expire(now)
                next_look = now + _TICK
        for key in list(self._selector.get_map().values()):
            if key.data is not None:
                self._forget(key.fileobj)  # type: ignore[arg-type]
        self._selector.close()
        self._wake_up.close()
        self._waker.close()

    def _take_arrivals(self) -> None:
        with contextlib.suppress(BlockingIOError):
            while self._wake_up.recv(4096):
                pass
        deadline = time.monotonic() + HEAD_SECONDS
        while not self._arrivals.empty():
            connection, address = self._arrivals.get()
            self._selector.register(connection, selectors.EVENT_READ, _Pending(address, deadline))

    def _read(self, connection: socket.socket, pending: _Pending) -> None:
        try:
            chunk = connection.recv(_CHUNK)
        except BlockingIOError:
            return
        except OSError:
            chunk = b""
        if not chunk:
            self._forget(connection)
        elif not pending.refused:
            self._add_to_head(connection, pending, chunk)

    def _add_to_head(self, connection: socket.socket, pending: _Pending, chunk: bytes) -> None:
        searched_from = max(0, len(pending.head) - 3)
        pending.head += chunk
        if any(pending.head.find(end, searched_from) >= 0 for end in _HEAD_ENDS):
            self._selector.unregister(connection)
            self._ready(connection, bytes(pending.head), pending.address)
        elif len(pending.head) > HEAD_BYTES:
            line_done = b"\n" in pending.head
            too_long = (
                HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                if line_done
                else (HTTPStatus.REQUEST_URI_TOO_LONG)
            )
            self._refuse(connection, pending, too_long)

    def _expire(self, now: float) -> None:
        for key in list(self._selector.get_map().values()):
            pending = key.data
            if pending is None or now < pending.deadline:
                continue
            if pending.refused:
                self._forget(key.fileobj)  # type: ignore[arg-type]
            else:
                self._refuse(key.fileobj, pending, HTTPStatus.REQUEST_TIMEOUT)  # type: ignore[arg-type]

    def _refuse(self, connection: socket.socket, pending: _Pending, status: HTTPStatus) -> None:
        """Answer `status` and stop sending; read on (a moment) what the client still
        sends, as closing with unread bytes would reset the connection before the client
        reads the answer."""
        try:
            connection.send(refusal(status))
            connection.shutdown(socket.SHUT_WR)
        except OSError:
            self._forget(connection)
            return
        pending.refused = True
        pending.deadline = time.monotonic() + LINGER_SECONDS

    def _forget(self, connection: socket.socket) -> None:
        self._selector.unregister(connection)
        self._drop(connection)


def refusal(status: HTTPStatus) -> bytes:
    """A whole answer that says no, and why, in a few bytes (sent without waiting)."""
    text = f"{status.value} {status.phrase}\n".encode()
    return (
        f"HTTP/1.0 {status.value} {status.phrase}\r\nContent-Type: text/plain\r\n"
        f"Content-Length: {len(text)}\r\nConnection: close\r\n\r\n"
    ).encode() + text
