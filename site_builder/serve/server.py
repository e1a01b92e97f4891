"""The HTTP servers: the output folder, to a bounded number of threads; the dev server
adds the live channel and shares the rebuild's lock.

Connections are read and answered as `connections.py` says: no client, however slow,
silent or numerous, holds more than a socket until its request is whole; requests are
answered by `WORKERS` threads, and event streams, which last, by `STREAMS` more threads
of their own, so that open pages never take the threads that answer requests. A client
that goes away or times out is no error: nothing is printed.
"""

from __future__ import annotations

import contextlib
import errno
import os
import socket
import sys
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from site_builder.errors import UsageError
from site_builder.serve.connections import (
    CONNECTIONS,
    IO_SECONDS,
    Address,
    Intake,
    Received,
    Workers,
    refusal,
)
from site_builder.serve.handler import SiteHandler
from site_builder.serve.live import LiveChannel
from site_builder.serve.locks import ReadWriteLock
from site_builder.site import Site

LOOPBACK = ("127.0.0.1", "::1", "localhost")
WORKERS = 16  # threads that answer requests for files
STREAMS = 64  # event streams open at once (each holds a thread while it lasts)


class SiteServer(HTTPServer):
    """Serves `root` under `base_path` to the handler's rules: what the dev server and the
    preview share (binding, its one-line failures, the URL, the bounded threads)."""

    request_queue_size = 128  # connections the system holds until they are accepted
    threads = WORKERS

    def __init__(
        self,
        host: str,
        port: int,
        root: Path,
        base_url: str,
        handler: type[BaseHTTPRequestHandler],
        lock: ReadWriteLock,
    ) -> None:
        self.host = host
        self.root = os.path.realpath(root)
        self.base_path = base_path(base_url)
        self.lock = lock
        if ":" in host:
            self.address_family = socket.AF_INET6
        self._open = threading.BoundedSemaphore(CONNECTIONS)
        self._workers = Workers(self.threads, self._answer)
        self._intake = Intake(self._workers.put, self._close)
        try:
            super().__init__((host, port), handler)  # a failure closes the server
        except OSError as error:
            raise UsageError(_bind_failure(host, port, error)) from error

    def process_request(self, request: socket.socket, client_address: Address) -> None:  # type: ignore[override]
        """A new connection (from `serve_forever`): its head is read without a thread of
        its own; past `CONNECTIONS` open at once, it is turned away at once."""
        if not self._open.acquire(blocking=False):
            with contextlib.suppress(OSError):  # a few bytes, sent without waiting
                request.setblocking(False)
                request.send(refusal(HTTPStatus.SERVICE_UNAVAILABLE))
            self.shutdown_request(request)
            return
        self._intake.add(request, client_address)

    def handle_error(self, request: object, client_address: Address) -> None:
        """A client that went away or was too slow is no error of ours: say nothing."""
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]

    def server_close(self) -> None:
        super().server_close()
        self._intake.close()
        self._workers.close()

    def _answer(self, connection: socket.socket, head: bytes, address: Address) -> None:
        """Answer one request read whole (in a worker thread)."""
        received = Received.of(connection, head)
        received.settimeout(IO_SECONDS)
        try:
            self.finish_request(received, address)
        except Exception:
            self.handle_error(received, address)
        finally:
            self._close(received)

    def _close(self, connection: socket.socket) -> None:
        self.shutdown_request(connection)
        self._open.release()

    @property
    def url(self) -> str:
        host, port = self.host, self.server_address[1]
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{port}{self.base_path}"


class DevServer(SiteServer):
    """The dev server: the site's files (its output folder, under its base URL), and the
    live channel to every open page."""

    threads = WORKERS + STREAMS

    def __init__(
        self, host: str, port: int, site: Site, lock: ReadWriteLock, channel: LiveChannel
    ) -> None:
        self.channel = channel
        self.streams = threading.BoundedSemaphore(STREAMS)
        super().__init__(host, port, site.out, site.base_url, SiteHandler, lock)


def base_path(base_url: str) -> str:
    """The path part of the base URL, with its slashes: `/`, `/archive/`."""
    path = urlsplit(base_url).path or "/"
    return path if path.endswith("/") else path + "/"


def _bind_failure(host: str, port: int, error: OSError) -> str:
    if error.errno == errno.EADDRINUSE:
        return f"port {port} on {host} is busy: stop what uses it, or try --port {port + 1}"
    if error.errno == errno.EACCES:
        return f"port {port} on {host}: permission denied; ports below 1024 need privileges"
    if isinstance(error, socket.gaierror) or error.errno == errno.EADDRNOTAVAIL:
        return f"--host {host}: not an address of this machine"
    return f"cannot serve on {host}:{port}: {error.strerror or error}"
