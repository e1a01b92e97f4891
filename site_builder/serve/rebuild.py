"""Rebuilding as sources change, one batch at a time, in one background thread.

Each batch of changes runs the ordinary build in the server's session: only pages
whose inputs changed are rendered, they are moved into the live folder under the
write lock, and the live channel tells the open pages (reload, or a stylesheet swap
when only stylesheets changed). A build that fails, or that brings in new errors, is
not published: its problems go to the terminal and over the page, and the last good
site stays up. Once edits pause, a search pass brings the search index up to date;
an edit arriving meanwhile cancels it and is built first.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterable
from typing import TextIO

from site_builder import urls
from site_builder.build import build
from site_builder.build_state import Records, save_state
from site_builder.errors import UsageError
from site_builder.model import Problem
from site_builder.report import BuildFailed, BuildReport
from site_builder.search.pagefind import IndexingCancelled
from site_builder.serve.live import LiveChannel
from site_builder.serve.server import base_path
from site_builder.serve.watch import CONFIG_NAME, Batch, describe
from site_builder.session import Session
from site_builder.site import Site

# The search index is brought up to date once no edit has come for this long.
SEARCH_AFTER_SECONDS = 1.0
# How often the thread looks whether it should stop.
TICK_SECONDS = 0.2
# Past this many changed pages, every open page reloads rather than a listed few.
LISTED_PATHS = 500


class Rebuilder:
    """Turns batches of changed sources into builds and live events."""

    def __init__(
        self,
        make_site: Callable[[], Site],
        session: Session,
        channel: LiveChannel,
        out: TextIO,
        err: TextIO,
    ) -> None:
        self.make_site = make_site
        self.site = make_site()
        self.session = session
        self.channel = channel
        self.out, self.err = out, err
        self.batches: queue.SimpleQueue[Batch] = queue.SimpleQueue()
        self.search_pending = False
        self._shown: set[Problem] = set()
        self._saved: Records | None = None  # the records the state holds, once saved

    def start(self, report: BuildReport) -> None:
        """Take over after the first build (its problems already printed)."""
        self._shown = set(report.problems)
        if report.search_pending:
            self.search_pending = True
            self.channel.search("stale")

    def receive(self, batch: Batch) -> None:
        """Queue a batch (from a watcher thread); an edit cancels a search pass."""
        self.batches.put(batch)
        self.session.cancel.set()

    def run(self, stop: threading.Event) -> None:
        """Build each batch as it comes, until `stop`; search when edits pause."""
        while not stop.is_set():
            wait = SEARCH_AFTER_SECONDS if self.search_pending else TICK_SECONDS
            try:
                batch = self.batches.get(timeout=wait)
            except queue.Empty:
                if self.search_pending and not stop.is_set():
                    self.update_search()
                continue
            while not self.batches.empty():
                later = self.batches.get()
                batch = Batch(batch.paths | later.paths, batch.seen)
            self.rebuild(batch)

    def rebuild(self, batch: Batch) -> BuildReport | None:
        """Build after a batch of changes; the report when the site was published."""
        self.session.cancel.clear()
        what = describe(batch.paths, self.site)
        if any(path.name == CONFIG_NAME for path in batch.paths):
            try:
                self.site = self.make_site()
            except UsageError as error:
                self._broken([f"{CONFIG_NAME}:1: error: {error}"], what)
                return None
        self.session.changed = batch.paths
        try:
            report = build(self.site, None, self.session)
        except BuildFailed as failure:
            new = self.session.new_errors(failure.report.problems)
            self._broken([str(p) for p in new] or [str(failure)], what)
            return None
        except Exception as error:  # the server lives on, whatever one edit did
            self._broken([f"{what}:1: error: {type(error).__name__}: {error}"], what)
            return None
        self._announce(report, batch, what)
        return report

    def update_search(self) -> None:
        """Index the shards that edits left stale; an edit arriving meanwhile wins."""
        self.session.cancel.clear()
        if not self.batches.empty():
            return
        self.session.defer_search = False
        self.session.changed = frozenset()
        try:
            report = build(self.site, None, self.session)
        except IndexingCancelled:
            return
        except BuildFailed as failure:
            self.search_pending = False  # the next good edit defers the shards again
            self._print(self.err, f"search index not updated: {failure}")
            return
        finally:
            self.session.defer_search = True
        self.search_pending = False
        self.channel.search("fresh")
        self.save()
        seconds = report.timings.get("search", 0.0)
        shards = report.shards_indexed
        self._print(self.out, f"search index updated ({shards} shards, {seconds:.1f} s)")

    def save(self) -> None:
        """Write down what the served site was made from, for the next start or build."""
        if self.session.records is not None:
            self._saved = save_state(self.site.state_file, self.session.records, self._saved)

    def _announce(self, report: BuildReport, batch: Batch, what: str) -> None:
        self._print_new_problems(report.problems)
        if report.changed:
            paths = url_paths(report.changed, base_path(self.site.base_url))
            stylesheets_only = all(name.endswith(".css") for name in report.changed)
            self.channel.published(paths, stylesheets_only)
        else:
            self.channel.recovered()
        if report.search_pending:
            self.search_pending = True
            self.channel.search("stale")
        milliseconds = (time.perf_counter() - batch.seen) * 1000
        written = f"{report.written:,} files written, {report.removed:,} removed"
        self._print(self.out, f"{what}: {written} in {milliseconds:.0f} ms")

    def _broken(self, lines: list[str], what: str) -> None:
        for line in lines:
            self._print(self.err, line)
        self._print(self.err, f"{what}: not published; the last good site is still served")
        self.channel.broken(lines)

    def _print_new_problems(self, problems: Iterable[Problem]) -> None:
        current = set(problems)
        for problem in sorted(current - self._shown, key=str):
            self._print(self.err, str(problem))
        self._shown = current

    def _print(self, stream: TextIO, line: str) -> None:
        stream.write(line + "\n")
        stream.flush()


def url_paths(files: list[str], base: str) -> list[str] | None:
    """The URL paths (under the served `base` path) of changed output files, as pages
    compare them with their own; None when there are too many to list."""
    if len(files) > LISTED_PATHS:
        return None
    return [base.rstrip("/") + urls.path_of(name) for name in files]
