"""Answering one request: a file of the output folder, the live channel, or an error.

`StaticHandler` answers with the output folder's files, and is shared with the preview
(`commands/preview.py`), which adds the host's headers and redirects; `SiteHandler` is
the dev server's, which adds the live channel.

Only files inside the output folder are served: the path is decoded once, any `.` or
`..` segment (however encoded) is refused, and the file's real path (symlinks followed)
must still lie inside the folder. Files are read whole under the server's read lock, so
that a rebuild moving files in never hands out half a site. HTML pages get the live
script before `</body>` as they are sent; the files on disk never hold it.
"""

from __future__ import annotations

import os
import posixpath
import queue
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from importlib import resources
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from site_builder.output import within_site

if TYPE_CHECKING:
    from site_builder.serve.server import DevServer, SiteServer

LIVE_PREFIX = "/__live/"
LIVE_SCRIPT = b'<script type="module" src="/__live/live.js"></script>\n'
KEEPALIVE_SECONDS = 15.0
# Served when the site has no 404 page (yet): enough for the live script to run.
NOT_FOUND_PAGE = b"<!doctype html><title>Not found</title><p>Not found.</p></body>"

MEDIA_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".wasm": "application/wasm",
    ".webmanifest": "application/manifest+json",
    # Pagefind's index: compressed binary fragments, metadata and filters.
    ".pf_fragment": "application/octet-stream",
    ".pf_index": "application/octet-stream",
    ".pf_meta": "application/octet-stream",
    ".pf_filter": "application/octet-stream",
}


class Refused(Exception):
    """A request for something outside the site; carries the status to answer with."""

    def __init__(self, status: HTTPStatus) -> None:
        super().__init__(status.phrase)
        self.status = status


class StaticHandler(BaseHTTPRequestHandler):
    """Files of the output folder and nothing else: safe paths, media types, `404.html`.
    Subclasses add the headers every answer carries (`_headers`)."""

    server: SiteServer
    server_version = "site-builder"

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def log_message(self, format: str, *args: object) -> None:
        """Requests are not logged: the terminal is for what the maintainer must see."""

    def _answer(self, send_body: bool) -> None:
        self._answer_file(urlsplit(self.path).path, send_body)

    def _answer_file(self, path: str, send_body: bool, found: HTTPStatus = HTTPStatus.OK) -> None:
        """Send the file at `path` with the status `found` (a redirect rule may ask 404
        with its own page), or the site's 404 page."""
        try:
            relative = self._site_path(path)
            file = self._file_for(relative) if relative is not None else None
        except Refused as refused:
            self._send(refused.status, ".txt", f"{refused}\n".encode(), send_body)
            return
        if file is None:
            self._redirect(self.server.base_path + (relative + "/" if relative else ""))
            return
        with self.server.lock.reading():
            data = _read(file)
            if data is None:
                data = _read(os.path.join(self.server.root, "404.html")) or NOT_FOUND_PAGE
                file = "404.html"
                status = HTTPStatus.NOT_FOUND
            else:
                status = found
        self._send(status, posixpath.splitext(file)[1], data, send_body)

    def _site_path(self, path: str) -> str | None:
        """The path below the base path, decoded and checked; None: the bare base path
        without its slash (redirected)."""
        try:
            decoded = unquote(path, errors="strict")
        except UnicodeDecodeError as error:
            raise Refused(HTTPStatus.BAD_REQUEST) from error
        if "\\" in decoded or any(ord(char) < 32 or char == "\x7f" for char in decoded):
            raise Refused(HTTPStatus.BAD_REQUEST)  # NUL, CR, LF...: no file name, no header
        base = self.server.base_path
        if decoded + "/" == base:
            return None
        if not decoded.startswith(base):
            raise Refused(HTTPStatus.NOT_FOUND)
        relative = decoded[len(base) :]
        if not within_site(relative):
            raise Refused(HTTPStatus.FORBIDDEN)
        return relative

    def _file_for(self, relative: str) -> str | None:
        """The file to send (a folder's `index.html`); None: a folder named without its
        slash. Raises Refused for a path whose real place is outside the site."""
        root = self.server.root
        candidate = os.path.join(root, *[p for p in relative.split("/") if p])
        if os.path.isdir(candidate):
            if relative and not relative.endswith("/"):
                return None
            candidate = os.path.join(candidate, "index.html")
        real = os.path.realpath(candidate)
        if real != root and not real.startswith(root + os.sep):
            raise Refused(HTTPStatus.FORBIDDEN)
        return real

    def _send(self, status: HTTPStatus, suffix: str, data: bytes, send_body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", MEDIA_TYPES.get(suffix, "application/octet-stream"))
        self.send_header("Content-Length", str(len(data)))
        for name, value in self._headers():
            self.send_header(name, value)
        self.end_headers()
        if send_body:
            self.wfile.write(data)

    def _headers(self) -> list[tuple[str, str]]:
        """The headers sent with every file besides its type and length."""
        return []

    def _redirect(self, location: str, status: HTTPStatus = HTTPStatus.MOVED_PERMANENTLY) -> None:
        self.send_response(status)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()


class SiteHandler(StaticHandler):
    """The dev server's request handler: the site's files, never cached, each page with
    the live script; and the live channel."""

    server: DevServer

    def _answer(self, send_body: bool) -> None:
        path = urlsplit(self.path).path
        if path == LIVE_PREFIX + "events":
            self._stream_events()
        elif path == LIVE_PREFIX + "live.js":
            script = resources.files("site_builder.serve").joinpath("live.js").read_bytes()
            self._send(HTTPStatus.OK, ".js", script, send_body)
        else:
            super()._answer(send_body)

    def _send(self, status: HTTPStatus, suffix: str, data: bytes, send_body: bool) -> None:
        if suffix == ".html":
            data = _with_live_script(data)
        super()._send(status, suffix, data, send_body)

    def _headers(self) -> list[tuple[str, str]]:
        return [("Cache-Control", "no-store"), ("X-Content-Type-Options", "nosniff")]

    def _stream_events(self) -> None:
        """Hold the connection open and write each event as it comes, if one of the
        server's places for streams is free (else 503: the page is served, not updated)."""
        if not self.server.streams.acquire(blocking=False):
            message = b"too many pages are listening: reload this one once others are closed\n"
            self._send(HTTPStatus.SERVICE_UNAVAILABLE, ".txt", message, send_body=True)
            return
        try:
            self._send_events()
        finally:
            self.server.streams.release()

    def _send_events(self) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        channel = self.server.channel
        page = channel.connect()
        try:
            while not channel.closed.is_set():
                try:
                    event = page.get(timeout=KEEPALIVE_SECONDS)
                except queue.Empty:
                    self.wfile.write(b": still here\n\n")  # finds pages that went away
                    self.wfile.flush()
                    continue
                if event is None:
                    return
                self.wfile.write(event.encode())
                self.wfile.flush()
        except OSError:  # the page went away, or stopped reading
            return
        finally:
            channel.disconnect(page)


def _read(file: str) -> bytes | None:
    try:
        with open(file, "rb") as handle:
            return handle.read()
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return None


def _with_live_script(page: bytes) -> bytes:
    """The page with the live script before its last `</body>` (or at its end)."""
    at = page.rfind(b"</body>")
    if at < 0:
        return page + LIVE_SCRIPT
    return page[:at] + LIVE_SCRIPT + page[at:]
