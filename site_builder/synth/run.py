"""Write a synthetic archive: check the request, plan it, render and write it in parallel.

The plan is made in this process (it needs the whole archive in view); the texts
are made and written by worker processes, each handed the corpus model once and
then chunks of the plan, and each cable seeded by its own index, so the bytes are
the same whatever the number of workers.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from site_builder.errors import UsageError
from site_builder.synth.corpus import Corpus, load_corpus
from site_builder.synth.plan import Planned, plan_archive
from site_builder.synth.render import render_cable, sent_at
from site_builder.workers import default_jobs, start_worker

# Below this many cables, starting worker processes costs more than it saves.
_PARALLEL_FROM = 2_000
_CHUNK = 500  # cables per task: few enough tasks to cost nothing, enough to balance


@dataclass(frozen=True)
class SynthReport:
    """What a run wrote, for its summary line."""

    cables: int
    size: int  # bytes written
    seconds: float
    into: Path

    def summary(self) -> str:
        rate = self.cables / self.seconds if self.seconds > 0 else float(self.cables)
        return (
            f"{self.cables:,} cables written to {self.into} in {self.seconds:.1f} s"
            f" ({rate:,.0f}/s), {self.size / 1_000_000:,.0f} MB"
        )


def synthesize(
    count: int,
    into: Path,
    seed: int = 0,
    source: Path = Path("content/cables"),
    jobs: int | None = None,
) -> SynthReport:
    """Write `count` synthetic cables derived from the cables in `source` into `into`,
    as `<year>/<month>/<ID>.txt`; the same seed and source give the same bytes."""
    started = time.perf_counter()
    check_request(count, into)
    corpus = load_corpus(source)
    size = write_archive(corpus, count, into, seed, jobs)
    return SynthReport(count, size, time.perf_counter() - started, into)


def write_archive(
    corpus: Corpus, count: int, into: Path, seed: int = 0, jobs: int | None = None
) -> int:
    """Plan `count` cables from `corpus` and write them below `into`; the bytes written."""
    plan = plan_archive(corpus, count, seed)
    for folder in sorted({cable_folder(planned) for planned in plan}):
        (into / folder).mkdir(parents=True, exist_ok=True)
    return sum(_write_all(corpus, plan, seed, into, jobs or default_jobs()))


def check_request(count: int, into: Path) -> None:
    """Refuse, before anything is read or written, what synth cannot do."""
    if count < 1:
        raise UsageError(f"N must be 1 or more, not {count}")
    if into.exists() and not into.is_dir():
        raise UsageError(f"{into}: not a folder (--into names the folder to write cables to)")
    if into.is_dir() and next(into.rglob("*.txt"), None) is not None:
        raise UsageError(
            f"{into}: already holds cables (*.txt); synth writes only into a new or empty folder"
        )


def cable_folder(planned: Planned) -> str:
    """`2007/09`: a folder per month keeps every folder far below 50,000 entries."""
    return f"{sent_at(planned):%Y/%m}"


def _write_all(
    corpus: Corpus, plan: list[Planned], seed: int, into: Path, jobs: int
) -> Iterator[int]:
    """The sizes of the files written, chunk by chunk; over a process pool when it pays."""
    chunks = [plan[i : i + _CHUNK] for i in range(0, len(plan), _CHUNK)]
    if jobs <= 1 or len(plan) < _PARALLEL_FROM:
        _use(corpus, seed, into)
        yield from map(_write_chunk, chunks)
        return
    pool = ProcessPoolExecutor(jobs, initializer=_start_synth_worker, initargs=(corpus, seed, into))
    try:
        yield from pool.map(_write_chunk, chunks)
    finally:
        pool.shutdown(cancel_futures=True)


# What each worker writes with, set once per worker (see `_write_all`).
_worker: tuple[Corpus, int, Path] | None = None


def _start_synth_worker(corpus: Corpus, seed: int, into: Path) -> None:
    start_worker()
    _use(corpus, seed, into)


def _use(corpus: Corpus, seed: int, into: Path) -> None:
    global _worker
    _worker = (corpus, seed, into)


def _write_chunk(chunk: Sequence[Planned]) -> int:
    """Render and write a chunk of the plan; the bytes written."""
    assert _worker is not None, "_use runs first"
    corpus, seed, into = _worker
    size = 0
    for planned in chunk:
        data = render_cable(corpus, planned, seed).encode("utf-8")
        (into / cable_folder(planned) / f"{planned.reference_id}.txt").write_bytes(data)
        size += len(data)
    return size
