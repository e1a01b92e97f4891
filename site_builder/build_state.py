"""What each page of the last build was made from, so the next build rewrites only the
pages whose inputs changed.

For every output file the state records the digest of its inputs (the source files
and catalog slices it shows, the templates it used, the settings), and the names of
those inputs so a person can read why a page was rebuilt. The state is written after
the new site is in place: a state that is behind the site only costs extra work,
never a stale page. It is written whole or not at all (a new file renamed over the
old), so a build killed at any moment leaves a state the next build can read; a state
that does not read is no state (a cold build), and a name in it that would lead out
of the output folder is dropped, as the build deletes the files its pages no longer
make.

A build that is killed after it has begun to change the site but before it writes the
state would leave a state that vouches for pages it no longer describes (had they been
made from other inputs, the next build, from the old ones again, would keep them). So
before the site changes, the names of the pages about to change are noted beside the
state (`note_changing`); the state read back does not vouch for them, and writing the
state clears the note.

A one-off build that changed a few pages appends their records (and the names no longer
made) as one line to a log beside the state, rather than writing 282,000 records again
(so does the dev server, from its second save on); a build that changed more than the
log can hold (an eighth of the state) writes the state whole. Each whole state has a
generation of its own, and a log line applies only to the generation it was written
against, so a log left beside a newer state is never applied to it. A line cut short by
a kill ends the log: the pages it would have vouched for are still noted as changing
(the note is cleared only once the line is written), so they are made again; the next
build writes the state whole.
"""

from __future__ import annotations

import contextlib
import json
import operator
import os
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from site_builder.atomic import apply_changes, changes_between, log_of, replacing
from site_builder.collector import collector_paused
from site_builder.output import within_site

VERSION = 1


@dataclass(frozen=True, slots=True)
class PageRecord:
    """One output file: the digest of its inputs, and what those inputs were."""

    digest: str
    inputs: tuple[str, ...] = ()


class Records(dict[str, PageRecord]):
    """Records as read from a state file, with that file's generation (see the module's
    text): the log a build appends to must be for the state it read."""

    generation = ""


def load_state(path: Path) -> dict[str, PageRecord]:
    """The last build's records (the state, then its log), but for the pages a killed
    build was changing; empty when there is none or it cannot be read."""
    with collector_paused():
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(raw, dict) or raw.get("version") != VERSION:
            return {}
        pages = raw.get("pages")
        if not isinstance(pages, dict):
            return {}
        generation = raw.get("generation")
        if isinstance(generation, str) and generation:
            _apply_log(path, generation, pages)
        unsure = _changing(path)
        records = Records(
            (name, PageRecord(str(value[0]), tuple(str(item) for item in value[1])))
            for name, value in pages.items()
            if name and within_site(name) and _is_record(value) and name not in unsure
        )
        records.generation = generation if isinstance(generation, str) else ""
        return records


def _apply_log(path: Path, generation: str, pages: dict[str, object]) -> None:
    """Apply the whole lines of the log written against `generation`, in order, up to
    the first that does not read; lines left from an older state are passed over."""
    try:
        lines = log_of(path).read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError):
        return
    for line in lines[:-1]:  # what follows the last line end was cut short, or is empty
        try:
            logged = json.loads(line)
        except ValueError:
            return
        changes = logged.get("pages") if isinstance(logged, dict) else None
        if not isinstance(changes, dict):
            return
        if logged.get("generation") != generation:
            continue
        apply_changes(pages, changes)


def note_changing(path: Path, names: Iterable[str]) -> None:
    """Note, beside the state at `path`, the pages a build is about to change. The note
    grows by its names (one JSON string a line) until a state is written: a dev server's
    edit adds its few pages, not the whole note again. With no state there, no page is
    vouched for, and a first build need not note its 282,000 pages."""
    if not path.exists():
        return
    journal = _journal(path)
    journal.parent.mkdir(parents=True, exist_ok=True)
    with journal.open("a", encoding="utf-8") as stream:
        stream.write("".join(json.dumps(name) + "\n" for name in names))


def _changing(path: Path) -> set[str]:
    """The pages noted as changing beside the state at `path` (a line cut short by a
    kill names no page)."""
    try:
        lines = _journal(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return set()
    names = set()
    for line in lines:
        with contextlib.suppress(ValueError):
            name = json.loads(line)
            if isinstance(name, str):
                names.add(name)
    return names


def _journal(path: Path) -> Path:
    return path.with_name(path.name + ".changing")


def _is_record(value: object) -> bool:
    return isinstance(value, list) and len(value) == 2 and isinstance(value[1], list)


def save_state(
    path: Path, pages: dict[str, PageRecord], last: Mapping[str, PageRecord] | None = None
) -> Records:
    """Write the records: as a line of the log, what changed since `last` (the records
    last read from or written to `path`), when the log can take it; else the whole
    state (atomically). Either way the note of pages changing is then cleared. The
    records as the state now holds them, for the next save to log against."""
    generation = getattr(last, "generation", "")
    if last is None or not _logged(path, pages, last):
        generation = secrets.token_hex(8)
        state = {
            "version": VERSION,
            "generation": generation,
            "pages": {k: _value(v) for k, v in sorted(pages.items())},
        }
        with replacing(path) as stream:
            stream.write(json.dumps(state, separators=(",", ":")).encode())
        log_of(path).unlink(missing_ok=True)  # written against an older generation
    settled(path)
    saved = Records(pages)
    saved.generation = generation
    return saved


def _logged(path: Path, pages: dict[str, PageRecord], last: Mapping[str, PageRecord]) -> bool:
    """Append what changed since `last` to the log, if the log can take it (`log_line`)."""
    changes = changes_between(last, pages, operator.eq)
    changes.update(dict.fromkeys(_changing(path) - pages.keys()))  # noted, no longer made
    if not changes:
        return True
    line = log_line(path, getattr(last, "generation", ""), changes)
    if line is None:
        return False
    append_line(path, line)
    return True


def log_line(path: Path, generation: str, changes: Mapping[str, PageRecord | None]) -> bytes | None:
    """The log line of `changes` (records, or None for pages no longer made) to the
    state of `generation` at `path`, if the log is for that state, ends with a whole
    line and stays within an eighth of the state's size with it; else None."""
    values = {name: None if r is None else _value(r) for name, r in sorted(changes.items())}
    line = json.dumps({"generation": generation, "pages": values}, separators=(",", ":"))
    data = (line + "\n").encode()
    log = log_of(path)
    try:
        size, logged = path.stat().st_size, log.stat().st_size if log.exists() else 0
        whole_lines = logged == 0 or _last_byte(log) == b"\n"
    except OSError:
        return None
    if not generation or not whole_lines or logged + len(data) > size // 8:
        return None
    return data


def append_line(path: Path, line: bytes) -> None:
    """Append a line made by `log_line` to the log of the state at `path`."""
    with log_of(path).open("ab") as stream:
        stream.write(line)


def settled(path: Path) -> None:
    """The state at `path` says what every page is: clear the note of pages changing."""
    _journal(path).unlink(missing_ok=True)


def _last_byte(path: Path) -> bytes:
    with path.open("rb") as stream:
        stream.seek(-1, os.SEEK_END)
        return stream.read(1)


def _value(record: PageRecord) -> list[object]:
    return [record.digest, list(record.inputs)]
