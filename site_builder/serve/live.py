"""The live channel: what every open page is told, as Server-Sent Events.

Events (each `data` is JSON):

- `hello` on connecting: the site's version, the problems of a broken edit (if any) and
  the state of the search index, so that a page loaded or reconnected at any moment
  knows as much as one open all along (a page whose version is older reloads);
- `reload`: pages changed (`paths`: the URL paths written or removed, or null for all);
- `css`: only stylesheets changed (`paths`), swapped in place without a reload;
- `problems`: an edit broke the build (`lines`: `path:line: severity: message`), the
  last good site is still served; `ok`: the build is good again;
- `search`: the search index is `stale` (being updated after edits) or `fresh`.
"""

from __future__ import annotations

import json
import queue
import secrets
import threading
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Event:
    """One Server-Sent Event."""

    name: str
    data: dict[str, object]

    def encode(self) -> bytes:
        return f"event: {self.name}\ndata: {json.dumps(self.data)}\n\n".encode()


class LiveChannel:
    """Fans events out to every connected page; remembers what a newcomer must know."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pages: set[queue.SimpleQueue[Event | None]] = set()
        self._instance = secrets.token_hex(4)  # a restarted server makes pages reload
        self._builds = 0
        self._problems: list[str] = []
        self._search = "fresh"
        self.closed = threading.Event()

    def connect(self) -> queue.SimpleQueue[Event | None]:
        """A new page's queue, starting with its `hello`; None in it means: stop."""
        page: queue.SimpleQueue[Event | None] = queue.SimpleQueue()
        with self._lock:
            page.put(Event("hello", self._hello()))
            self._pages.add(page)
        return page

    def disconnect(self, page: queue.SimpleQueue[Event | None]) -> None:
        with self._lock:
            self._pages.discard(page)

    @property
    def connected(self) -> int:
        with self._lock:
            return len(self._pages)

    def published(self, paths: list[str] | None, stylesheets_only: bool) -> None:
        """A build changed the site: `paths` (URL paths; None: too many to list)."""
        with self._lock:
            self._builds += 1
            self._problems = []
            data: dict[str, object] = {"paths": paths, "version": self._version()}
            self._send(Event("css" if stylesheets_only else "reload", data))
            self._send(Event("ok", {}))

    def broken(self, lines: list[str]) -> None:
        """An edit broke the build; the last good site is still served."""
        with self._lock:
            self._problems = lines
            self._send(Event("problems", {"lines": lines}))

    def recovered(self) -> None:
        """A build succeeded without changing any file: clear a broken edit's problems."""
        with self._lock:
            if self._problems:
                self._problems = []
                self._send(Event("ok", {}))

    def search(self, state: str) -> None:
        """The search index is `stale` or `fresh`."""
        with self._lock:
            if state != self._search:
                self._search = state
                self._send(Event("search", {"state": state}))

    def close(self) -> None:
        """Ask every page's stream to end (the server is stopping)."""
        with self._lock:
            self.closed.set()
            for page in self._pages:
                page.put(None)
            self._pages.clear()

    def _version(self) -> str:
        return f"{self._instance}-{self._builds}"

    def _hello(self) -> dict[str, object]:
        return {"version": self._version(), "problems": self._problems, "search": self._search}

    def _send(self, event: Event) -> None:
        for page in self._pages:
            page.put(event)
