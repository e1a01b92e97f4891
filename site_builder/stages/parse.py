"""Stage: parse cable files, in parallel over all cores.

Workers read the files themselves (only paths cross the process boundary on the
way in), so that the main process never holds the raw texts.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from site_builder.model import Cable, Problem, Severity
from site_builder.parser import parse_bytes

# Below this many files, starting worker processes costs more than it saves.
_PARALLEL_FROM = 64


def default_jobs() -> int:
    """One worker per core the process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


def parse_file(path: Path, display: str | None = None) -> Cable:
    """Read and parse one file; an unreadable file becomes a cable holding one error."""
    source = display or str(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        problem = Problem(source, 1, Severity.ERROR, f"cannot read: {error.strerror or error}")
        return Cable(source=source, reference_id=None, canonical_id=None, problems=(problem,))
    return parse_bytes(data, source)


def _parse_chunk(chunk: Sequence[tuple[Path, str]]) -> list[Cable]:
    return [parse_file(path, display) for path, display in chunk]


def parse_files(files: Sequence[tuple[Path, str]], jobs: int | None = None) -> Iterator[Cable]:
    """Parse (path, display name) pairs; yields cables in the order of `files`."""
    jobs = jobs or default_jobs()
    if jobs <= 1 or len(files) < _PARALLEL_FROM:
        for path, display in files:
            yield parse_file(path, display)
        return
    size = max(16, min(256, len(files) // (jobs * 8) or 1))
    chunks = [files[i : i + size] for i in range(0, len(files), size)]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for cables in pool.map(_parse_chunk, chunks):
            yield from cables
