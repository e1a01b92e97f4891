"""The dev server's edit latency: from saving a one-cable edit to the reload event, and
to the search index being up to date again.

`site-builder serve` runs in its own process over the archive, as a maintainer runs it,
starting from the site the search measurement built and indexed (search.py), as a
maintainer's `public/` is after a build; an event-stream client listens, a cable's
subject is rewritten on disk, and the time until the `reload` event arrives is taken,
over several edits (the median counts). The start itself is timed too: from the
command to the site served. Edits start as soon as the site is served, as
a maintainer's do. After the last one, the time until the search index is reported
fresh again: its shard re-indexed in the background.
"""

from __future__ import annotations

import shutil
import statistics
import time
from pathlib import Path

from benchmarks.archive import Workspace, edited_text
from benchmarks.table import Section
from tests.serve_fixtures import Events, serving

EDITS = 5
SETTLE_SECONDS = 1.5  # between edits, as a person pauses between saves
RELOAD_MEDIAN = "serve: save to reload (median)"
SEARCH_REFRESHED = "serve: search index fresh after the last edit"
SEARCH_SECONDS = 600  # the longest wait for the index before giving up


def serve_rows(site: Workspace, section: Section) -> None:
    """The start (its first build finds every page as the build left it), save-to-reload
    of one-cable edits, median and worst; then save-to-fresh-index of the last one. The
    served output is removed afterwards."""
    started = time.perf_counter()
    with serving(site.folder, startup=3600) as served:
        section.add("serve: start, after a build", time.perf_counter() - started, "s")
        events = Events(served.url)
        try:
            events.wait_for("hello")
            seconds = reload_latency(events, site.edited)
        finally:
            events.close()
        section.add(RELOAD_MEDIAN, statistics.median(seconds) * 1000, "ms")
        section.add("serve: save to reload (worst)", max(seconds) * 1000, "ms")
        section.add(SEARCH_REFRESHED, seconds[-1] + _until_fresh(served.url), "s")
    shutil.rmtree(site.served, ignore_errors=True)


def reload_latency(events: Events, cable: Path, edits: int = EDITS) -> list[float]:
    """Seconds from each save of `cable` to its page's reload event; the cable is left
    with its last edit, saved when the list is returned."""
    original = cable.read_text(encoding="utf-8")
    seconds = []
    for number in range(edits):
        if number:
            time.sleep(SETTLE_SECONDS)
        started = time.perf_counter()
        cable.write_text(edited_text(original, number + 1), encoding="utf-8")
        events.wait_for("reload", timeout=120)
        seconds.append(time.perf_counter() - started)
    return seconds


def _until_fresh(url: str) -> float:
    """Seconds from now to the index reported fresh, as a page that opens now hears it
    (its first event says how the index is; a later one when that changes)."""
    started = time.perf_counter()
    time.sleep(0.1)  # the edit's build reports the index stale just after its reload
    events = Events(url)
    try:
        _, hello = events.wait_for("hello")
        state = hello.get("search")
        while state != "fresh":
            _, data = events.wait_for("search", timeout=SEARCH_SECONDS)
            state = data.get("state")
    finally:
        events.close()
    return time.perf_counter() - started
