"""Where the prepared part of each cable page waits to be rendered: append-only files on
disk, one per process that parses, in the build's state folder.

The parse stage's workers write the records (render/prepared.py) and hand the main
process only where each one is: (file name, offset, length). The render workers read
them back with `pread`. So the main process never holds the pages' text, and a page
rendered again later (a neighbour of an edited cable) needs no parse. The locations
live in the parse cache; a store file that no location names any more is deleted after
the parse stage (`keep_only`). Names are never reused, so a location never points into
a file rewritten since; a record is checked against its file's digest when read. Files
are held open as file objects, closed when the store is dropped (a dev server makes a
new store with each whole plan).
"""

from __future__ import annotations

import contextlib
import io
import os
import secrets
from collections.abc import Iterable
from pathlib import Path

Location = tuple[str, int, int]  # a store file's name, the record's offset and length


class PreparedStore:
    """The store folder, the file this process appends to, and the files it reads."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._writing: tuple[int, str, io.BufferedWriter] | None = None  # pid, name, file
        self._pending: list[bytes] = []
        self._end = 0  # where the next record starts in the file being written
        self._reading: dict[str, io.FileIO] = {}

    def add(self, record: bytes) -> Location:
        """Queue `record` for this process's file (written at `flush`); where it will be."""
        name = self._own_file()
        location = (name, self._end, len(record))
        self._pending.append(record)
        self._end += len(record)
        return location

    def flush(self) -> None:
        """Write the queued records (before anyone may read them)."""
        if self._pending and self._writing is not None:
            self._writing[2].write(b"".join(self._pending))
            self._writing[2].flush()
        self._pending.clear()

    def read(self, location: Location) -> bytes | None:
        """The record at `location`; None when its file is gone or too short."""
        name, offset, length = location
        try:
            file = self._reading.get(name)
            if file is None:
                file = self._reading[name] = io.FileIO(self.folder / name, "r")
            data = os.pread(file.fileno(), length, offset)
        except OSError:
            return None
        return data if len(data) == length else None

    def keep_only(self, live: Iterable[Location]) -> None:
        """Delete every store file no location in `live` names."""
        wanted = {name for name, _, _ in live}
        if self._writing is not None and self._writing[0] == os.getpid():
            wanted.add(self._writing[1])
        try:
            present = os.listdir(self.folder)
        except OSError:
            return
        for name in present:
            if name not in wanted:
                file = self._reading.pop(name, None)
                if file is not None:
                    file.close()
                with contextlib.suppress(OSError):
                    os.unlink(self.folder / name)

    def _own_file(self) -> str:
        """This process's file, opened on first use (a forked worker opens its own)."""
        pid = os.getpid()
        if self._writing is None or self._writing[0] != pid:
            self.folder.mkdir(parents=True, exist_ok=True)
            name = f"{pid}-{secrets.token_hex(6)}.records"
            self._writing = (pid, name, open(self.folder / name, "xb"))  # noqa: SIM115
            self._pending, self._end = [], 0
        return self._writing[1]
