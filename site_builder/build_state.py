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
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from site_builder.collector import collector_paused
from site_builder.output import within_site

VERSION = 1


@dataclass(frozen=True, slots=True)
class PageRecord:
    """One output file: the digest of its inputs, and what those inputs were."""

    digest: str
    inputs: tuple[str, ...] = ()


def load_state(path: Path) -> dict[str, PageRecord]:
    """The last build's records; empty when there is none or it cannot be read."""
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
        return {
            name: PageRecord(str(value[0]), tuple(str(item) for item in value[1]))
            for name, value in pages.items()
            if name and within_site(name) and _is_record(value)
        }


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
        if path.read_bytes() == data:
            return False
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)
    return True
