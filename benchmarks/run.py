"""`make bench` and `make bench-full`: measure archives, print a table, write it as JSON.

    python -m benchmarks.run                 # the corpus, then 50,000 synthetic cables
    python -m benchmarks.run --cables 2000   # the same, with 2,000 synthetic cables
    python -m benchmarks.run --full          # 251,287 synthetic cables (the release's size)

Every archive goes through the same measurements (builds, search, the dev server), each
figure beside the target the issues set for that size. The table is written to
`bench-results/<run>.json` with the commit and the machine, to compare versions. The
corpus is read from `../shared/corpus` (or `CABLE_SHARED`); archives are written under
the temporary folder (`TMPDIR`).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from benchmarks import builds, search, serve
from benchmarks.archive import Archive, Workspace, corpus_archive, synthetic_archive, workspace
from benchmarks.parsing import parser_rows
from benchmarks.table import Row, Section, Target, at_most, below
from site_builder.workers import default_jobs

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("CABLE_SHARED", ROOT.parent / "shared"))
CORPUS = SHARED / "corpus" / "cables"
RESULTS = ROOT / "bench-results"
QUICK_CABLES = 50_000
FULL_CABLES = 251_287

# In this order: the dev server starts from the indexed site the search measurement
# leaves, as a maintainer's `serve` starts from the last build.
MEASUREMENTS: list[Callable[[Workspace, Section], None]] = [
    builds.build_rows,
    search.search_rows,
    serve.serve_rows,
]

# Targets from the issues, by row name; times in s and ms, memory in GB, downloads in KB.
EVERY_SIZE = {
    search.INDEXING_MEMORY: below(5),
    builds.UNCHANGED_WRITTEN: at_most(0),
}
BY_SIZE: dict[int, dict[str, Target]] = {
    QUICK_CABLES: {
        builds.COLD_TIME: below(30),
        serve.RELOAD_MEDIAN: below(2000),
        **{search.first_bytes_row(word): below(300) for word in search.WORDS},
    },
    FULL_CABLES: {
        builds.COLD_TIME: below(150),
        builds.COLD_MEMORY: below(2),
        search.BUILD_TIME: below(20 * 60),
        search.BUILD_MEMORY: below(6),
        builds.EDITED_TIME: below(3),
        serve.RELOAD_MEDIAN: below(3000),
        serve.SEARCH_REFRESHED: below(30),
        builds.UNCHANGED_TIME: below(20),
        **{search.first_bytes_row(word): below(1000) for word in search.WORDS},
        **{search.first_time_row(word): below(2000) for word in search.WORDS},
    },
}
CORPUS_TARGETS = {builds.COLD_TIME: below(5), serve.RELOAD_MEDIAN: below(300)}


def measure_archive(archive: Archive) -> Section:
    """Every measurement over one archive, in a folder of its own."""
    with workspace(archive) as site:
        section = Section(f"{archive.name} ({site.cables:,} cables)", archive.targets)
        for measurement in MEASUREMENTS:
            measurement(site, section)
    return section


def synthetic(count: int) -> Archive:
    return synthetic_archive(count, CORPUS, {**EVERY_SIZE, **BY_SIZE.get(count, {})})


def main(arguments: list[str] | None = None) -> None:
    options = _options(arguments)
    files = sorted(CORPUS.glob("*.txt"))
    if not files:
        raise SystemExit(f"no corpus cables in {CORPUS} (set CABLE_SHARED to the shared folder)")
    run = Results(_run_name(options))
    print(
        f"{run.name}: commit {run.commit}, {run.machine['cores']} cores, "
        f"{run.machine['memory_gb']} GB memory"
    )
    if options.full:
        run.add(measure_archive(synthetic(FULL_CABLES)))
    else:
        parser = Section(f"parser ({len(files)} corpus cables)", {})
        parser_rows(files, parser)
        run.add(parser)
        run.add(measure_archive(corpus_archive(CORPUS, {**EVERY_SIZE, **CORPUS_TARGETS})))
        run.add(measure_archive(synthetic(options.cables)))
    missed = [row.name for rows in run.tables.values() for row in rows if row.met is False]
    print(f"\n{len(missed)} targets NOT met; written to {run.path.relative_to(ROOT)}")


def _run_name(options: argparse.Namespace) -> str:
    """`full`, `quick`, or `quick-N` for another synthetic size: the JSON file's name."""
    if options.full:
        return "full"
    return "quick" if options.cables == QUICK_CABLES else f"quick-{options.cables}"


def _options(arguments: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--full", action="store_true", help=f"{FULL_CABLES:,} cables only")
    size.add_argument(
        "--cables",
        type=int,
        default=QUICK_CABLES,
        metavar="N",
        help=f"the quick run's synthetic archive size (default {QUICK_CABLES:,})",
    )
    return parser.parse_args(arguments)


class Results:
    """The run's JSON file, written again after each archive, so that a run that fails
    late keeps the figures it has: when, which commit, on what machine, every row."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.path = RESULTS / f"{name}.json"
        self.commit = _commit()
        self.machine = _machine()
        self.started = time.perf_counter()
        self.tables: dict[str, list[Row]] = {}

    def add(self, section: Section) -> None:
        self.tables[section.title] = section.close()
        document = {
            "run": self.name,
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "commit": self.commit,
            "uncommitted_changes": _uncommitted_changes(),
            "machine": self.machine,
            "seconds": round(time.perf_counter() - self.started, 1),
            "sections": [
                {"title": title, "rows": [row.as_json() for row in rows]}
                for title, rows in self.tables.items()
            ],
        }
        RESULTS.mkdir(exist_ok=True)
        self.path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")


def _git(*arguments: str) -> subprocess.CompletedProcess[str]:
    """A read-only git command; optional locks off, so that git does not even refresh
    its index while others work in the same checkout."""
    environment = dict(os.environ, GIT_OPTIONAL_LOCKS="0")
    return subprocess.run(
        ["git", *arguments], cwd=ROOT, capture_output=True, text=True, env=environment
    )


def _commit() -> str:
    done = _git("rev-parse", "HEAD")
    return done.stdout.strip() if done.returncode == 0 else "unknown"


def _uncommitted_changes() -> bool | None:
    """Whether tracked files differ from the commit (None: not a git checkout)."""
    return {0: False, 1: True}.get(_git("diff", "--quiet", "HEAD").returncode)


def _machine() -> dict[str, object]:
    """What the figures depend on: cores the build may use, memory, CPU, system."""
    meminfo = Path("/proc/meminfo").read_text()
    total_kb = int(meminfo.split("MemTotal:")[1].split()[0])
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return {
        "cores": default_jobs(),
        "memory_gb": round(total_kb * 1024 / 1e9, 1),
        "cpu": model,
        "system": platform.platform(),
        "python": platform.python_version(),
    }


if __name__ == "__main__":
    main()
