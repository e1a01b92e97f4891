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
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from site_builder.atomic import replacing
from site_builder.collector import collector_paused
from site_builder.output import within_site

VERSION = 1


@dataclass(frozen=True, slots=True)
class PageRecord:
    """One output file: the digest of its inputs, and what those inputs were."""

    digest: str
    inputs: tuple[str, ...] = ()


def load_state(path: Path) -> dict[str, PageRecord]:
    """The last build's records, but for the pages a killed build was changing; empty
    when there is none or it cannot be read."""
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
        unsure = _changing(path)
        return {
            name: PageRecord(str(value[0]), tuple(str(item) for item in value[1]))
            for name, value in pages.items()
            if name and within_site(name) and _is_record(value) and name not in unsure
        }


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


def save_state(path: Path, pages: dict[str, PageRecord]) -> bool:
    """Write the records (atomically) unless they are what the file already holds."""
    data = json.dumps(
        {
            "version": VERSION,
            "pages": {k: [v.digest, list(v.inputs)] for k, v in sorted(pages.items())},
        },
        separators=(",", ":"),
    ).encode()
    try:
        same = path.read_bytes() == data
    except OSError:
        same = False
    if not same:
        with replacing(path) as stream:
            stream.write(data)
    _journal(path).unlink(missing_ok=True)  # the state now says what every page is
    return not same
