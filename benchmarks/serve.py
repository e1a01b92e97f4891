"""The dev server's edit latency: from saving a one-cable edit to the reload event.

`site-builder serve` runs in its own process over a copy of the archive, as a maintainer
runs it; an event-stream client listens, a cable's subject is rewritten on disk, and the
time until the `reload` event arrives is taken, over several edits (the median counts).
Edits start as soon as the site is served, as a maintainer's do: an edit that comes
while the search index is being made in the background cancels it.
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


def reload_latency(folder: Path, cable: Path, edits: int = EDITS) -> list[float]:
    """Seconds from each save of `cable` (under `folder`) to its page's reload event."""
    with serving(folder, startup=3600) as served:
        events = Events(served.url)
        events.wait_for("hello")
        original = cable.read_text(encoding="utf-8")
        seconds = []
        try:
            for number in range(edits):
                text = edited_text(original, number + 1)
                started = time.perf_counter()
                cable.write_text(text, encoding="utf-8")
                events.wait_for("reload", timeout=120)
                seconds.append(time.perf_counter() - started)
                time.sleep(SETTLE_SECONDS)
        finally:
            cable.write_text(original, encoding="utf-8")
            events.close()
    return seconds


def serve_rows(site: Workspace, section: Section) -> None:
    """Save-to-reload of a one-cable edit, median and worst; the served output is removed."""
    seconds = reload_latency(site.folder, site.edited)
    section.add("serve: save to reload (median)", statistics.median(seconds) * 1000, "ms")
    section.add("serve: save to reload (worst)", max(seconds) * 1000, "ms")
    shutil.rmtree(site.folder / "public", ignore_errors=True)
