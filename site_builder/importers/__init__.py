"""`site-builder import {wikileaks-html,cables-csv,text} SRC [--into DIR]`.

Three readers turn a source (the WikiLeaks cable pages, the `cables.csv` dump,
loose cable texts) into cables; one writer (`writer.py`) names, writes and
checks their files, so that the forms cannot drift apart. A record that cannot
be read is one reported line and the import goes on; a summary line closes it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from site_builder.errors import EXIT_CONTENT, EXIT_OK, UsageError
from site_builder.importers.cables_csv import read_rows
from site_builder.importers.text import read_texts
from site_builder.importers.wikileaks_html import read_pages
from site_builder.importers.writer import ArchiveWriter, CableText, Outcome, prepare_all
from site_builder.model import Problem, Severity
from site_builder.workers import default_jobs

Reader = Callable[[Path], Iterable[CableText | Problem]]

READERS: dict[str, Reader] = {
    "wikileaks-html": read_pages,
    "cables-csv": read_rows,
    "text": read_texts,
}


@dataclass
class ImportTally:
    """What an import did, counted for its summary line."""

    written: int = 0
    unchanged: int = 0
    conflicts: int = 0
    errors: int = 0

    @property
    def imported(self) -> int:
        return self.written + self.unchanged + self.conflicts

    def count(self, outcome: Outcome) -> None:
        if outcome is Outcome.WRITTEN:
            self.written += 1
        elif outcome is Outcome.UNCHANGED:
            self.unchanged += 1
        elif outcome is Outcome.CONFLICT:
            self.conflicts += 1

    def summary(self) -> str:
        return (
            f"{self.imported:,} cables imported ({self.written:,} written,"
            f" {self.unchanged:,} unchanged, {self.conflicts:,} conflicts), {self.errors:,} errors"
        )


def run_import(form: str, src: Path, into: Path, out: TextIO, jobs: int | None = None) -> int:
    """Import every cable of `src` (in `form`) into the folder `into`; report to `out`.

    `jobs` processes decide the files' texts (one per core by default). Exit code 0,
    or 1 when not one cable could be imported.
    """
    reader = READERS.get(form)
    if reader is None:
        raise UsageError(f"unknown import form {form!r}: one of {', '.join(READERS)}")
    _check_paths(form, src, into)
    writer = ArchiveWriter(into)
    tally = ImportTally()
    for item in prepare_all(reader(src), jobs or default_jobs()):
        if isinstance(item, Problem):
            _report(item, tally, out)
            continue
        stored = writer.store(item)
        tally.count(stored.outcome)
        for problem in stored.problems:
            _report(problem, tally, out)
    out.write(tally.summary() + "\n")
    return EXIT_OK if tally.imported else EXIT_CONTENT


def _report(problem: Problem, tally: ImportTally, out: TextIO) -> None:
    if problem.severity is Severity.ERROR:
        tally.errors += 1
    out.write(f"{problem}\n")


def _check_paths(form: str, src: Path, into: Path) -> None:
    """Refuse, before anything is written, a source that is not there or not of its kind."""
    if not src.exists():
        raise UsageError(f"{src}: no such file or folder")
    if form == "cables-csv" and not src.is_file():
        raise UsageError(f"{src}: not a file (cables-csv reads one CSV file)")
    if into.exists() and not into.is_dir():
        raise UsageError(f"{into}: not a folder (--into names the folder cables go to)")
