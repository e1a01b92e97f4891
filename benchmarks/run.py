"""`make bench`: measure the parser (and, as they land, the build stages) and print a table.

Figures are also written to `bench-results/latest.json` so that two versions can be
compared. The corpus is read in place from `../shared/corpus` (or `CABLE_SHARED`).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from benchmarks.measure import measure_build, output_size
from benchmarks.serve import median_ms, reload_latency
from site_builder.editorial.mentions import MentionIndex
from site_builder.editorial.people import CuratedPerson, read_people
from site_builder.parser import parse_bytes
from site_builder.stages.parse import mentions_in
from site_builder.synth.run import synthesize
from site_builder.tables import default_tables
from site_builder.workers import default_jobs

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("CABLE_SHARED", ROOT.parent / "shared"))
RESULTS = ROOT / "bench-results"
SYNTHETIC = 50_000  # cables in the synthetic archive of `make bench`


def _parse_all(files: list[Path]) -> int:
    for path in files:
        parse_bytes(path.read_bytes(), str(path))
    return len(files)


def parse_throughput(files: list[Path], jobs: int, rounds: int = 3) -> float:
    """Cables parsed per second with `jobs` warm processes, best of `rounds`.

    Each round parses the corpus four times over (files read each time), so that
    the figure is the parser's pace, not the cost of starting processes.
    """
    work = files * 4
    chunks = [work[i :: jobs * 8] for i in range(jobs * 8)]
    best = float("inf")
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(_parse_all, [files[:50]] * jobs))  # start and warm every worker
        for _ in range(rounds):
            started = time.perf_counter()
            sum(pool.map(_parse_all, chunks))
            best = min(best, time.perf_counter() - started)
    return len(work) / best


def _row(name: str, measure: Callable[[], float], unit: str) -> tuple[str, float, str]:
    return _show(name, measure(), unit)


def build_figures(files: list[Path]) -> list[tuple[str, float, str]]:
    """A cold build of the corpus (no search), then one cable edited, then no change."""
    rows: list[tuple[str, float, str]] = []
    with tempfile.TemporaryDirectory() as folder:
        content = Path(folder) / "content"
        (content / "cables").mkdir(parents=True)
        for path in files:
            (content / "cables" / path.name).symlink_to(path)
        out = Path(folder) / "public"
        cold = measure_build(content, out, "--no-search")
        size, count = output_size(out)
        timings = cold.report["timings"]
        assert isinstance(timings, dict)
        for stage, seconds in timings.items():
            rows.append(_show(f"build: {stage}", seconds, "s"))
        rows.append(_show("build: total (wall, with start-up)", cold.seconds, "s"))
        pages = float(str(cold.report["pages"]))
        rows.append(_show("build: pages per second", pages / cold.seconds, "pages/s"))
        rows.append(_show("build: peak memory, process tree", cold.peak_rss_mb, "MB"))
        rows.append(_show("build: output size", size / 1e6, "MB"))
        rows.append(_show("build: output files", count, "files"))
        edited = content / "cables" / files[0].name
        text = files[0].read_text(encoding="utf-8")
        edited.unlink()
        edited.write_text(text.replace("\n\n", "\n\nEdited for the benchmark.\n\n", 1))
        rows += _rebuild_rows("rebuild, one cable edited", content, out)
        rows += _rebuild_rows("rebuild, nothing changed", content, out)
    return rows


def _rebuild_rows(label: str, content: Path, out: Path) -> list[tuple[str, float, str]]:
    """A rebuild over the last build: its time and the pages it wrote."""
    run = measure_build(content, out, "--no-search")
    written = float(str(run.report["written"]))
    return [_show(label, run.seconds, "s"), _show(f"{label}: pages written", written, "pages")]


def serve_figures(files: list[Path]) -> list[tuple[str, float, str]]:
    """`site-builder serve` over a copy of the corpus, then over 50,000 synthetic cables:
    save-to-reload time of a one-cable edit."""
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        cables = Path(folder) / "content" / "cables"
        cables.mkdir(parents=True)
        for path in files:
            shutil.copyfile(path, cables / path.name)
        rows += _latency_rows("corpus", reload_latency(Path(folder), cables / files[0].name))
    with tempfile.TemporaryDirectory() as folder:
        cables = Path(folder) / "content" / "cables"
        synthesize(SYNTHETIC, cables, source=files[0].parent)
        edited = max(cables.rglob("*.txt"))
        rows += _latency_rows(f"{SYNTHETIC:,}", reload_latency(Path(folder), edited, edits=3))
    return rows


def _latency_rows(archive: str, seconds: list[float]) -> list[tuple[str, float, str]]:
    return [
        _show(f"serve, {archive}: save to reload (median)", median_ms(seconds), "ms"),
        _show(f"serve, {archive}: save to reload (worst)", max(seconds) * 1000, "ms"),
    ]


def generated_people(count: int) -> list[CuratedPerson]:
    """`count` made-up people with two-word names and a surname alias, deterministic."""
    syllables = ["ka", "ro", "mi", "sa", "te", "lu", "no", "vi", "da", "be", "zo", "ha"]
    people = []
    for number in range(count):
        first = "".join(syllables[(number >> shift) % 12] for shift in (0, 4)).title()
        last = "".join(syllables[(number * 7 >> shift) % 12] for shift in (0, 3, 6)).title()
        people.append(CuratedPerson(f"p{number}", f"{first} {last}", (last,), "", None, "", ""))
    return people


def people_linking(files: list[Path]) -> list[tuple[str, float, str]]:
    """Time to find 10,000 curated people (and the seed's three real ones) in every
    paragraph of the corpus, against the time to parse it."""
    cables = [parse_bytes(path.read_bytes(), str(path)) for path in files]
    real = read_people(ROOT / "content", default_tables())[0]
    index = MentionIndex.of([*generated_people(10_000), *real])
    started = time.perf_counter()
    found = sum(len(mentions_in(cable, index)) for cable in cables)
    seconds = time.perf_counter() - started
    started = time.perf_counter()
    for path in files:
        parse_bytes(path.read_bytes(), str(path))
    parse_seconds = time.perf_counter() - started
    return [
        _show("people linking, 10,003 people, corpus", seconds, "s"),
        _show("people linking: mentions found", found, "mentions"),
        _show("people linking, as a share of parsing", 100 * seconds / parse_seconds, "%"),
    ]


def _show(name: str, value: float, unit: str) -> tuple[str, float, str]:
    decimals = 2 if unit == "s" else 0
    print(f"{name:<44} {value:>12,.{decimals}f} {unit}", flush=True)
    return name, value, unit


def main() -> None:
    files = sorted((SHARED / "corpus" / "cables").glob("*.txt"))
    _parse_all(files)  # warm the caches the parser keeps (station lookups)
    jobs = default_jobs()
    print(f"corpus: {len(files)} cables, {jobs} cores\n")
    rows = [
        _row("parse, 1 core", lambda: parse_throughput(files, 1), "cables/s"),
        _row(f"parse, {jobs} cores", lambda: parse_throughput(files, jobs), "cables/s"),
        *people_linking(files),
        *build_figures(files),
        *serve_figures(files),
    ]
    RESULTS.mkdir(exist_ok=True)
    figures = {name: {"value": round(value, 2), "unit": unit} for name, value, unit in rows}
    (RESULTS / "latest.json").write_text(json.dumps(figures, indent=2) + "\n")
    print(f"\nwritten to {(RESULTS / 'latest.json').relative_to(ROOT)}")


if __name__ == "__main__":
    main()
