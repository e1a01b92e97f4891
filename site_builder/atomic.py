"""Files a build keeps for the next one (the state, the parse cache, the last-build
record), written whole or not at all: a build killed while writing one leaves the last
version, never half of a new one. Beside the state and the parse cache, a log takes a
few changes at a time (each module says how a line cut short is read)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO


@contextmanager
def replacing(path: Path) -> Iterator[BinaryIO]:
    """A stream to write the new `path` into; it is written beside it, then renamed over
    it once the block ends (its folder made if need be)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    with temporary.open("wb") as stream:
        yield stream
    os.replace(temporary, path)


def log_of(path: Path) -> Path:
    """The log beside a kept file, which a build appends a few changes to rather than
    write the file whole (the parse cache, the state)."""
    return path.with_name(path.name + ".log")
