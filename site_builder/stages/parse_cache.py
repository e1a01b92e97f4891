"""Parsed files remembered between builds, so that a file nobody touched is not parsed again.

A file is known when its size, modification time and inode are what they were, and it
was parsed with the same settings (tables, curated people, the tool's code). The dev
server keeps one cache in memory for its whole run; a one-off build loads it from beside
the state file and writes it back when it changed, which is what makes a rebuild of a
large archive with nothing changed cost a `stat` per file instead of a parse.

The file is a pickle the build itself wrote in its own state folder (`.site-builder/`,
beside the output), never anything from content; one that does not read, or was written
by another version, is no cache (a cold build).
"""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from site_builder.atomic import replacing
from site_builder.collector import collector_paused

if TYPE_CHECKING:
    from site_builder.stages.parse import ParsedFile
    from site_builder.stages.prepared_store import Location

Signature = tuple[int, int, int]
_FORMAT = 2


def signature(path: Path) -> Signature:
    """What tells a file changed without reading it: time, size and inode."""
    try:
        stat = path.stat()
    except OSError:
        return (0, 0, 0)
    return (stat.st_mtime_ns, stat.st_size, stat.st_ino)


class ParseCache:
    """The parsed files of the last build, by path, with the settings they were parsed with."""

    def __init__(self) -> None:
        self.settings = ""
        self.files: dict[str, tuple[Signature, ParsedFile]] = {}
        self.changed = False  # since it was loaded or saved

    def known(self, path: Path, mark: Signature, settings: str) -> ParsedFile | None:
        """The parse of `path` if it is unchanged (`mark`) and was made with `settings`."""
        if self.settings != settings:
            self.settings, self.files, self.changed = settings, {}, True
        cached = self.files.get(str(path))
        return cached[1] if cached and cached[0] == mark else None

    def replace(self, files: dict[str, tuple[Signature, ParsedFile]], parsed: int) -> None:
        """Keep exactly the files of this build (`parsed` of them parsed afresh): files gone
        from the content leave the cache."""
        if parsed or len(files) != len(self.files):
            self.changed = True
        self.files = files

    def locations(self) -> Iterator[Location]:
        """Where the pages' own parts of the files it knows are kept."""
        for _, parsed in self.files.values():
            if parsed.prepared is not None:
                yield parsed.prepared

    def learn(self, path: Path, mark: Signature, parsed: ParsedFile) -> None:
        """Remember one file parsed afresh."""
        self.files[str(path)] = (mark, parsed)
        self.changed = True

    @classmethod
    def load(cls, path: Path) -> ParseCache:
        """The cache saved at `path`; an empty one when there is none or it does not read."""
        cache = cls()
        try:
            with path.open("rb") as stream, collector_paused():
                stored = pickle.load(stream)
        except Exception:  # any unreadable cache (truncated, older classes) is no cache
            return cache
        if isinstance(stored, tuple) and len(stored) == 3 and stored[0] == _FORMAT:
            cache.settings, cache.files = stored[1], stored[2]
        return cache

    def save(self, path: Path) -> None:
        """Write the cache (whole, or not at all) if it changed since it was read."""
        if not self.changed:
            return
        with replacing(path) as stream:
            pickle.dump((_FORMAT, self.settings, self.files), stream, pickle.HIGHEST_PROTOCOL)
        self.changed = False
