"""`make bench`: measure the parser (and, as they land, the build stages) and print a table.

Figures are also written to `bench-results/latest.json` so that two versions can be
compared. The corpus is read in place from `../shared/corpus` (or `CABLE_SHARED`).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from site_builder.parser import parse_bytes
from site_builder.stages.parse import default_jobs

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("CABLE_SHARED", ROOT.parent / "shared"))
RESULTS = ROOT / "bench-results"


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
    value = measure()
    print(f"{name:<44} {value:>12,.0f} {unit}", flush=True)
    return name, value, unit


def main() -> None:
    files = sorted((SHARED / "corpus" / "cables").glob("*.txt"))
    _parse_all(files)  # warm the caches the parser keeps (station lookups)
    jobs = default_jobs()
    print(f"corpus: {len(files)} cables, {jobs} cores\n")
    rows = [
        _row("parse, 1 core", lambda: parse_throughput(files, 1), "cables/s"),
        _row(f"parse, {jobs} cores", lambda: parse_throughput(files, jobs), "cables/s"),
    ]
    RESULTS.mkdir(exist_ok=True)
    figures = {name: {"value": round(value, 1), "unit": unit} for name, value, unit in rows}
    (RESULTS / "latest.json").write_text(json.dumps(figures, indent=2) + "\n")
    print(f"\nwritten to {(RESULTS / 'latest.json').relative_to(ROOT)}")


if __name__ == "__main__":
    main()
