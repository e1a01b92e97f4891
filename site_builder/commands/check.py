"""`site-builder check`: parse and validate the whole archive, write nothing.

Reports, one line each (`path:line: error|warning: message`): problems in the site's
tables, people and annotation files, what the parser met (with the site's tables), files
with no recognisable cable, and reference IDs held by two files. A
summary line closes the report; `--json` prints one JSON object per problem and
a summary object instead.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from site_builder.catalog import duplicate_id
from site_builder.editorial.annotations import read_annotations
from site_builder.editorial.candidates import titled_names
from site_builder.editorial.mentions import MentionIndex
from site_builder.editorial.people import CuratedPerson, read_people
from site_builder.errors import EXIT_CONTENT, EXIT_OK, UsageError
from site_builder.model import Cable, Problem, Severity
from site_builder.stages.discover import cable_files, display_path
from site_builder.stages.parse import parse_files
from site_builder.tables import load_tables


@dataclass
class CheckReport:
    """What a check found: the cables read and every problem, in file order."""

    cables: int = 0
    references: int = 0
    missing_references: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(p.severity is Severity.ERROR for p in self.problems)

    @property
    def warnings(self) -> int:
        return sum(p.severity is Severity.WARNING for p in self.problems)


def check_cables(cables: Iterable[Cable]) -> CheckReport:
    """Validate parsed cables: their own problems, duplicate IDs, references to nowhere."""
    report = CheckReport()
    owners: dict[str, Cable] = {}
    cited: list[str] = []
    for cable in cables:
        report.cables += 1
        report.problems.extend(cable.problems)
        if cable.canonical_id is None:
            continue
        first = owners.get(cable.canonical_id)
        if first is not None:
            line, reference_id = cable.first_line("reference_id"), str(cable.reference_id)
            report.problems.append(duplicate_id(cable.source, line, reference_id, first.source))
            continue
        owners[cable.canonical_id] = cable
        cited.extend(r.id for r in cable.cable_references if r.id)
    report.references = len(cited)
    report.missing_references = sum(1 for ref in cited if ref not in owners)
    return report


def run_check(
    content: Path, out: TextIO, as_json: bool = False, strict: bool = False, people: bool = False
) -> int:
    """Check `content/cables`; exit 1 on errors (and on warnings under `--strict`).

    With `people`, list instead the titled names the bodies hold that no curated person
    covers yet, with counts, most frequent first.
    """
    folder = content / "cables"
    if not folder.is_dir():
        raise UsageError(f"{folder}: no such folder (is --content right?)")
    started = time.perf_counter()
    tables, table_problems = load_tables(content / "data")
    files = cable_files([folder])
    cables = parse_files([(path, display_path(path)) for path in files], tables=tables)
    curated, people_problems = read_people(content, tables)
    if people:
        return _list_candidates(curated, cables, out)
    report = check_cables(cables)
    _, note_problems = read_annotations(content)
    report.problems[:0] = [*table_problems, *people_problems, *note_problems]
    elapsed = time.perf_counter() - started
    summary = (
        f"{report.cables:,} cables, {report.references:,} references "
        f"({report.missing_references:,} to cables not in this archive), "
        f"{report.warnings:,} warnings, {report.errors:,} errors in {elapsed:.1f} s"
    )
    if as_json:
        for problem in report.problems:
            out.write(json.dumps(_problem_json(problem), ensure_ascii=False) + "\n")
        out.write(
            json.dumps(
                {
                    "summary": summary,
                    "cables": report.cables,
                    "warnings": report.warnings,
                    "errors": report.errors,
                }
            )
            + "\n"
        )
    else:
        for problem in report.problems:
            out.write(f"{problem}\n")
        out.write(summary + "\n")
    failed = report.errors > 0 or (strict and report.warnings > 0)
    return EXIT_CONTENT if failed else EXIT_OK


def _list_candidates(curated: list[CuratedPerson], cables: Iterable[Cable], out: TextIO) -> int:
    counts = titled_names(cables, MentionIndex.of(curated))
    for name, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        out.write(f"{count:>7,}  {name}\n")
    out.write(f"{len(counts):,} candidates for content/people/\n")
    return EXIT_OK


def _problem_json(problem: Problem) -> dict[str, object]:
    return {
        "path": problem.path,
        "line": problem.line,
        "severity": problem.severity.value,
        "message": problem.message,
    }
