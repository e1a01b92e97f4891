"""The HTTP server: one thread per request, the output folder, the lock and the channel."""

from __future__ import annotations

import errno
import os
import socket
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from site_builder.errors import UsageError
from site_builder.serve.handler import SiteHandler
from site_builder.serve.live import LiveChannel
from site_builder.serve.locks import ReadWriteLock

LOOPBACK = ("127.0.0.1", "::1", "localhost")


class DevServer(ThreadingHTTPServer):
    """Serves `root` under `base_path` to the handler's rules."""

    daemon_threads = True  # an open event stream must not hold the server's exit

    def __init__(
        self,
        host: str,
        port: int,
        root: Path,
        base_url: str,
        lock: ReadWriteLock,
        channel: LiveChannel,
    ) -> None:
        self.host = host
        self.root = os.path.realpath(root)
        self.base_path = base_path(base_url)
        self.lock = lock
        self.channel = channel
        if ":" in host:
            self.address_family = socket.AF_INET6
        try:
            super().__init__((host, port), SiteHandler)
        except OSError as error:
            raise UsageError(_bind_failure(host, port, error)) from error

    @property
    def url(self) -> str:
        host, port = self.host, self.server_address[1]
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{port}{self.base_path}"


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
