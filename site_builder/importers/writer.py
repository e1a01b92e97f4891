"""Write imported cables into the archive: the one place that names, writes and checks files.

All three import forms end here, so that every form gets the same file names
(`<REFERENCE_ID>.txt`), the same text (the seed's form), the same front-matter
rule and the same guarantees: an ID that is not ID-shaped never becomes a path,
a file that already holds the same text is not touched, and a file that holds
other text is never overwritten (the import goes beside it, marked as a conflict).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from itertools import islice
from pathlib import Path

from site_builder.ids import canonical_id, is_safe_id
from site_builder.model import Cable, Problem, Severity
from site_builder.parser import parse_cable
from site_builder.source import normalise
from site_builder.workers import start_worker

# Parsing under this name tells what the text alone yields: it is no file name,
# so the parser cannot take an ID from it.
TEXT_ALONE = "<import>"
CABLE_SUFFIX = ".txt"
# Cables read ahead while the workers parse (bounds memory), and sent to a worker at once.
BATCH, CHUNK = 2048, 32
ERROR, WARNING = Severity.ERROR, Severity.WARNING


@dataclass(frozen=True, slots=True)
class CableText:
    """One cable as an importer read it: its text and what its source knew besides.

    `reference_id` is the published ID (the page's metadata, the CSV column);
    `created` the published creation time, used only where the text has no DTG;
    `path` and `line` say where it was read, for the messages.
    """

    reference_id: str
    text: str
    created: datetime | None
    path: str
    line: int


class Outcome(StrEnum):
    WRITTEN = "written"
    UNCHANGED = "unchanged"
    CONFLICT = "conflict"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class CableFile:
    """A cable's file as it is to be stored: its ID, its bytes (None when it must not be
    written), where the cable was read, and the lines to report about it."""

    reference_id: str
    data: bytes | None
    path: str
    line: int
    problems: tuple[Problem, ...] = ()


@dataclass(frozen=True, slots=True)
class Stored:
    """What storing one cable did, and the lines to report about it."""

    outcome: Outcome
    problems: tuple[Problem, ...] = ()


def seed_form(header: str, body: str) -> str:
    """The archive's text form: two blank lines, the header, a blank line, the body.

    Line ends become LF and trailing blanks go, as in the seed and the corpus; a
    missing header leaves just the body after the two blank lines.
    """
    parts = [_tidy(part) for part in (header, body)]
    return "\n\n" + "\n\n".join(part for part in parts if part)


def _tidy(text: str) -> str:
    lines = [line.rstrip() for line in normalise(text).text.split("\n")]
    return "\n".join(lines).strip("\n")


def prepare(cable: CableText) -> CableFile:
    """Decide a cable's file: refuse an ID that is not ID-shaped, else its bytes.

    The bytes are a front-matter block when the text alone cannot carry the
    published ID or a date, then the text. Deciding parses the text, which is most
    of an import's work, so this runs in worker processes (see `prepare_all`).
    """
    if not is_safe_id(cable.reference_id):
        message = f"reference ID {cable.reference_id[:60]!r} is not ID-shaped: skipped"
        return CableFile(
            cable.reference_id, None, cable.path, cable.line, (_at(cable, ERROR, message),)
        )
    read = parse_cable(cable.text, TEXT_ALONE)
    front: list[str] = []
    if read.reference_id != cable.reference_id:
        front.append(f"reference_id: {cable.reference_id}")
    if read.date is None and cable.created is not None:
        front.append(f"date: {cable.created.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}")
    text = "---\n" + "\n".join(front) + "\n---\n" + cable.text if front else cable.text
    problems = () if _agrees(read, cable) else (_disagreement(read, cable),)
    return CableFile(cable.reference_id, text.encode("utf-8"), cable.path, cable.line, problems)


def _agrees(read: Cable, cable: CableText) -> bool:
    """True unless the text reads an ID that is not a form of the published one."""
    return read.reference_id is None or (
        canonical_id(read.reference_id) == canonical_id(cable.reference_id)
    )


def _disagreement(read: Cable, cable: CableText) -> Problem:
    message = (
        f"the text reads {read.reference_id}, not the published {cable.reference_id}:"
        f" stored as {cable.reference_id}{CABLE_SUFFIX}"
    )
    return _at(cable, WARNING, message)


def _at(where: CableText | CableFile, severity: Severity, message: str) -> Problem:
    return Problem(where.path, where.line, severity, message)


def prepare_all(items: Iterable[CableText | Problem], jobs: int) -> Iterator[CableFile | Problem]:
    """`prepare` every cable, in order, on `jobs` processes; problems pass through.

    Sources are read a batch at a time, and the next batch is read while the
    workers parse the last, so memory stays bounded however long the source is.
    """
    if jobs <= 1:
        yield from (prepare(item) if isinstance(item, CableText) else item for item in items)
        return
    source = iter(items)
    with ProcessPoolExecutor(max_workers=jobs, initializer=start_worker) as pool:
        waiting: tuple[list[CableText | Problem], Iterator[CableFile]] | None = None
        while batch := list(islice(source, BATCH)):
            cables = [item for item in batch if isinstance(item, CableText)]
            started = (batch, pool.map(prepare, cables, chunksize=CHUNK))
            if waiting is not None:
                yield from _in_order(*waiting)
            waiting = started
        if waiting is not None:
            yield from _in_order(*waiting)


def _in_order(
    batch: list[CableText | Problem], files: Iterator[CableFile]
) -> Iterator[CableFile | Problem]:
    for item in batch:
        yield next(files) if isinstance(item, CableText) else item


class ArchiveWriter:
    """Stores cables as `<REFERENCE_ID>.txt` in one folder, writing only what is new."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder

    def store(self, cable: CableFile) -> Stored:
        """Write the cable's file unless it is there already; keep both on a conflict."""
        if cable.data is None:
            return Stored(Outcome.REJECTED, cable.problems)
        target = self.folder / f"{cable.reference_id}{CABLE_SUFFIX}"
        outcome = _put(target, cable.data)
        if outcome is not Outcome.CONFLICT:
            return Stored(outcome, cable.problems)
        beside = target.with_name(conflict_name(target.name, cable.data))
        _put(beside, cable.data)
        message = (
            f"conflict: {target} holds other text for {cable.reference_id};"
            f" kept it, and stored this import as {beside}"
        )
        return Stored(Outcome.CONFLICT, (*cable.problems, _at(cable, WARNING, message)))


def conflict_name(name: str, data: bytes) -> str:
    """The name an import's other text is kept under, beside the file `name`.

    It is still a cable file, so that every build and check reports the two texts of
    one ID until an editor settles them; and it sorts after `name`, so that the file
    already there is the one the site shows (of two files with one ID, the first in
    file order stands). The digest tells two different imports apart.
    """
    return f"{name}.conflict-{hashlib.sha256(data).hexdigest()[:8]}{CABLE_SUFFIX}"


def _put(path: Path, data: bytes) -> Outcome:
    """Create `path` holding `data`, unless it exists: then say whether it holds the same.

    The file is created exclusively, so that nothing (not even another import running
    at the same time) is ever overwritten; a failed write (a full disk) removes its
    partial file, and its error names the file, as the system's does not.
    """
    try:
        existing = path.read_bytes()
    except FileNotFoundError:
        pass
    else:
        return Outcome.UNCHANGED if existing == data else Outcome.CONFLICT
    try:
        file = path.open("xb")
    except FileExistsError:
        return _put(path, data)
    try:
        with file:
            file.write(data)
    except BaseException as error:
        path.unlink(missing_ok=True)
        if isinstance(error, OSError) and error.filename is None:
            error.filename = str(path)
        raise
    return Outcome.WRITTEN
