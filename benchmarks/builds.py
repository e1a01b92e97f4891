"""Build figures over one archive: a cold build without search, stage by stage (its time,
memory and cores busy: where the time goes); then a rebuild after one cable is edited,
and one with nothing changed, over that output.

Each build runs in its own process, as `site-builder build` does, so that the wall
time includes start-up and the memory is that of the whole process tree.
"""

from __future__ import annotations

import shutil

from benchmarks.archive import Workspace, edited_text
from benchmarks.measure import measure_build, output_size
from benchmarks.table import GB, MB, Section

COLD = "build, no search"
COLD_TIME = f"{COLD}: wall time"
COLD_MEMORY = f"{COLD}: peak memory"
EDITED = "rebuild, one cable edited"
EDITED_TIME = f"{EDITED}: wall time"
UNCHANGED = "rebuild, nothing changed"
UNCHANGED_TIME = f"{UNCHANGED}: wall time"
UNCHANGED_WRITTEN = f"{UNCHANGED}: pages written"


def build_rows(site: Workspace, section: Section) -> None:
    """Cold build, one-cable edit, no change; the output is removed afterwards."""
    out = site.folder / "out-pages"
    cold = measure_build(site.content, out, "--no-search")
    for stage, seconds in cold.timings.items():
        section.add(f"{COLD}: {stage}", seconds, "s")
    section.add(COLD_TIME, cold.seconds, "s")
    section.add(f"{COLD}: pages per second", cold.count("pages") / cold.seconds, "pages/s")
    section.add(COLD_MEMORY, cold.peak_bytes / GB, "GB")
    for stage, peak in cold.stage_peak_bytes.items():
        section.add(f"{COLD_MEMORY} in {stage}", peak / GB, "GB")
    section.add(f"{COLD}: processor time", cold.cpu_seconds, "s")
    per_cable = 1e6 * cold.cpu_seconds / max(cold.count("cables"), 1)
    section.add(f"{COLD}: processor time per cable", per_cable, "µs")
    for stage, cores in cold.stage_cores.items():
        section.add(f"{COLD}: cores busy in {stage}", cores, "cores")
    size, files = output_size(out)
    section.add(f"{COLD}: output size", size / MB, "MB")
    section.add(f"{COLD}: output files", files, "files")
    original = site.edited.read_text(encoding="utf-8")
    site.edited.write_text(edited_text(original, 0), encoding="utf-8")
    _rebuild_rows(EDITED, site, section)
    _rebuild_rows(UNCHANGED, site, section)
    shutil.rmtree(out)


def _rebuild_rows(label: str, site: Workspace, section: Section) -> None:
    """A rebuild over the last build: where its time went, and the pages it wrote."""
    run = measure_build(site.content, site.folder / "out-pages", "--no-search")
    for stage, seconds in run.timings.items():
        section.add(f"{label}: {stage}", seconds, "s")
    section.add(f"{label}: wall time", run.seconds, "s")
    section.add(f"{label}: pages written", run.count("written"), "pages")
