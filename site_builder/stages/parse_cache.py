"""Parsed files remembered between builds, so that a file nobody touched is not parsed again.

A file is known when its size, modification time and inode are what they were, and it
was parsed with the same settings (tables, curated people, the tool's code). The dev
server keeps one cache in memory for its whole run; a one-off build loads it from beside
the state file and writes it back when it changed, which is what makes a rebuild of a
large archive with nothing changed cost a `stat` per file instead of a parse.

The file is a pickle the build itself wrote in its own state folder (`.site-builder/`,
beside the output), never anything from content; one that does not read, or was written
by another version, is no cache (a cold build).

A build that parsed a few files appends them (and the files gone) to a log beside it
rather than writing 251,287 entries again (8 s); the log is folded into a new whole
file once it holds an eighth as many files as the cache. A log record cut short, or
one left from an older cache, costs only parsing again: a file is taken from the cache
only when its signature is the one recorded.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from site_builder.atomic import apply_changes, changes_between, log_of, replacing
from site_builder.collector import collector_paused

if TYPE_CHECKING:
    from site_builder.stages.parse import ParsedFile
    from site_builder.stages.prepared_store import Location

Signature = tuple[int, int, int]
_FORMAT = 2


def signature(path: Path | str) -> Signature:
    """What tells a file changed without reading it: time, size and inode."""
    try:
        return signature_of(os.stat(path))
    except OSError:
        return (0, 0, 0)


def signature_of(stat: os.stat_result) -> Signature:
    """The signature of a file whose status is at hand (a walk's `DirEntry.stat()`)."""
    return (stat.st_mtime_ns, stat.st_size, stat.st_ino)


class ParseCache:
    """The parsed files of the last build, by path, with the settings they were parsed with."""

    def __init__(self) -> None:
        self.settings = ""
        self.files: dict[str, tuple[Signature, ParsedFile]] = {}
        self.changed = False  # since it was loaded or saved
        self._stored: tuple[str, dict[str, tuple[Signature, ParsedFile]]] = ("", {})
        self._logged = 0  # files in the log beside the whole file
        self._appendable = False  # a whole file with these settings, its log read to the end

    def known(self, path: str, mark: Signature, settings: str) -> ParsedFile | None:
        """The parse of `path` if it is unchanged (`mark`) and was made with `settings`."""
        if self.settings != settings:
            self.settings, self.files, self.changed = settings, {}, True
        cached = self.files.get(path)
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

    def learn(self, path: str, mark: Signature, parsed: ParsedFile) -> None:
        """Remember one file parsed afresh."""
        self.files[path] = (mark, parsed)
        self.changed = True

    @classmethod
    def load(cls, path: Path) -> ParseCache:
        """The cache saved at `path` and its log; an empty one when there is none or it
        does not read."""
        cache = cls()
        try:
            with path.open("rb") as stream, collector_paused():
                stored = pickle.load(stream)
        except Exception:  # any unreadable cache (truncated, older classes) is no cache
            return cache
        if isinstance(stored, tuple) and len(stored) == 3 and stored[0] == _FORMAT:
            cache.settings, cache.files = stored[1], stored[2]
            cache._logged, cache._appendable = _apply_log(log_of(path), cache.settings, cache.files)
        cache._stored = (cache.settings, dict(cache.files))
        return cache

    def save(self, path: Path) -> None:
        """Write what changed since it was read: to the log, or the cache whole (or not at
        all) when there is no whole file to log against or the log has grown."""
        if not self.changed:
            return
        settings, stored = self._stored
        changes = changes_between(stored, self.files, _same_parse)
        log = log_of(path)
        small = self._logged + len(changes) <= len(self.files) // 8
        if self._appendable and settings == self.settings and small:
            with log.open("ab") as stream:
                pickle.dump((_FORMAT, self.settings, changes), stream, pickle.HIGHEST_PROTOCOL)
            self._logged += len(changes)
        else:
            log.unlink(missing_ok=True)  # first: a log never applies to a newer whole file
            with replacing(path) as stream:
                pickle.dump((_FORMAT, self.settings, self.files), stream, pickle.HIGHEST_PROTOCOL)
            self._logged, self._appendable = 0, True
        self._stored = (self.settings, dict(self.files))
        self.changed = False


Changes = dict[str, "tuple[Signature, ParsedFile] | None"]


def _same_parse(before: tuple[Signature, ParsedFile], now: tuple[Signature, ParsedFile]) -> bool:
    """The file was not parsed again since (the cache hands on the parse it had)."""
    return before[1] is now[1] and before[0] == now[0]


def _apply_log(
    log: Path, settings: str, files: dict[str, tuple[Signature, ParsedFile]]
) -> tuple[int, bool]:
    """Apply the log's records, in order, to `files`, up to the first that does not read
    (cut short by a killed build); records made with other settings are left out. The
    number of files they named, and whether the log read to its end (if not, records
    appended after the break would never be read: the cache is then written whole)."""
    logged = 0
    try:
        with log.open("rb") as stream, collector_paused():
            size = os.fstat(stream.fileno()).st_size
            while stream.tell() < size:
                record = pickle.load(stream)
                if record[0] == _FORMAT and record[1] == settings:
                    changes: Changes = record[2]
                    apply_changes(files, changes)
                    logged += len(changes)
        return logged, True
    except FileNotFoundError:
        return 0, True
    except Exception:  # a record cut short, or not ours: what came before stands
        return logged, False
