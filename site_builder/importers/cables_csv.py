"""Import the Cablegate `cables.csv` dump: one cable per CSV record, streamed.

The layout (no header row, every field quoted): row number, created
`MM/DD/YYYY HH:MM`, reference ID, origin, classification, referenced IDs,
header text, body text. The full dump is 251,287 records and about 1.5 GB, so
it is read a line at a time and never held whole. The body keeps its `¶1.`
paragraph marks, which the parser reads as it reads the web pages' residue.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from site_builder.importers.writer import CableText, seed_form
from site_builder.model import Problem, Severity
from site_builder.source import decode

FIELDS = 8
_ID, _CREATED, _HEADER, _BODY = 2, 1, 6, 7
_CREATED_FORMAT = "%m/%d/%Y %H:%M"
# Far above any cable (the parser reads 32 MB at most), yet a stray quote that would
# swallow the rest of the dump into one field stops here instead of filling memory.
FIELD_LIMIT = 64 * 1024 * 1024


def read_rows(src: Path) -> Iterator[CableText | Problem]:
    """Every record of the CSV file at `src`: a cable, or the reason it is not one.

    A record that the csv module cannot split is reported at the line it starts on,
    and reading goes on with the next line.
    """
    with src.open("rb") as raw, _field_limit(FIELD_LIMIT):
        reader = csv.reader(_lines(raw))
        first_line = 1
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                yield Problem(str(src), first_line, Severity.ERROR, f"malformed CSV: {error}")
            else:
                if row:
                    yield from _cable(row, str(src), first_line)
            first_line = reader.line_num + 1


def _lines(raw: BinaryIO) -> Iterable[str]:
    """The file's lines as text, a line at a time: UTF-8, or cp1252 for a line that is
    not (as the parser reads files); a leading byte-order mark goes."""
    lines = iter(raw)
    yield decode(next(lines, b"")).text
    for line in lines:
        try:
            yield line.decode("utf-8")
        except UnicodeDecodeError:
            yield decode(line).text


@contextmanager
def _field_limit(limit: int) -> Iterator[None]:
    """Set the csv module's field size limit (128 KB by default) while a dump is read."""
    previous = csv.field_size_limit(limit)
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def _cable(row: list[str], path: str, line: int) -> Iterator[CableText | Problem]:
    """The cable of one record, or why the record holds none."""
    if len(row) != FIELDS:
        message = f"malformed row: {len(row)} fields, not {FIELDS}"
        yield Problem(path, line, Severity.ERROR, message)
        return
    reference_id = row[_ID].strip()
    if not reference_id:
        yield Problem(path, line, Severity.ERROR, "no reference ID in the row")
        return
    text = seed_form(row[_HEADER], row[_BODY])
    if not text.strip():
        yield Problem(path, line, Severity.ERROR, f"{reference_id}: no text in the row")
        return
    try:
        created: datetime | None = datetime.strptime(row[_CREATED].strip(), _CREATED_FORMAT)
    except ValueError:
        created = None
        shown = row[_CREATED][:40]
        message = f"created {shown!r} is not MM/DD/YYYY HH:MM: imported without it"
        yield Problem(path, line, Severity.WARNING, message)
    when = created.replace(tzinfo=UTC) if created else None
    yield CableText(reference_id, text, when, path, line)
