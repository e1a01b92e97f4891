"""Parser figures over the corpus: throughput on one core and on all, and the cost of
finding curated people in every paragraph, against the cost of parsing."""

from __future__ import annotations

import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from benchmarks.table import Section
from site_builder.editorial.mentions import MentionIndex
from site_builder.editorial.people import CuratedPerson, read_people
from site_builder.parser import parse_bytes
from site_builder.stages.parse import mentions_in
from site_builder.tables import default_tables
from site_builder.workers import default_jobs

ROOT = Path(__file__).resolve().parents[1]


def parser_rows(files: list[Path], section: Section) -> None:
    _parse_all(files)  # warm the caches the parser keeps (station lookups)
    jobs = default_jobs()
    section.add("parse, 1 core", parse_throughput(files, 1), "cables/s")
    section.add(f"parse, {jobs} cores", parse_throughput(files, jobs), "cables/s")
    people_linking(files, section)


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


def generated_people(count: int) -> list[CuratedPerson]:
    """`count` made-up people with two-word names and a surname alias, deterministic."""
    syllables = ["ka", "ro", "mi", "sa", "te", "lu", "no", "vi", "da", "be", "zo", "ha"]
    people = []
    for number in range(count):
        first = "".join(syllables[(number >> shift) % 12] for shift in (0, 4)).title()
        last = "".join(syllables[(number * 7 >> shift) % 12] for shift in (0, 3, 6)).title()
        people.append(CuratedPerson(f"p{number}", f"{first} {last}", (last,), "", None, "", ""))
    return people


def people_linking(files: list[Path], section: Section) -> None:
    """Time to find 10,000 curated people (and the seed's real ones) in every
    paragraph of the corpus, against the time to parse it. As the parse stage does
    (`entry_of_file`), the people a cable could name are picked once for the cable
    (`MentionIndex.present`), then found paragraph by paragraph."""
    cables = [parse_bytes(path.read_bytes(), str(path)) for path in files]
    real = read_people(ROOT / "content", default_tables())[0]
    index = MentionIndex.of([*generated_people(10_000), *real])
    started = time.perf_counter()
    found = sum(len(mentions_in(cable, index.present(cable.body_text))) for cable in cables)
    seconds = time.perf_counter() - started
    started = time.perf_counter()
    _parse_all(files)
    parse_seconds = time.perf_counter() - started
    section.add(f"people linking, {10_000 + len(real):,} people", seconds, "s")
    section.add("people linking: mentions found", found, "mentions")
    section.add("people linking, as a share of parsing", 100 * seconds / parse_seconds, "%")
