"""Files a build keeps for the next one (the state, the parse cache, the last-build
record), written whole or not at all: a build killed while writing one leaves the last
version, never half of a new one. Beside the state and the parse cache, a log takes a
few changes at a time (each module says how a line cut short is read)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, TypeVar

Value = TypeVar("Value")


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


def changes_between(
    before: Mapping[str, Value], after: Mapping[str, Value], same: Callable[[Value, Value], bool]
) -> dict[str, Value | None]:
    """What a log record holds to make `before` into `after`: the names added or changed,
    with their values, and the names gone, as None."""
    changes: dict[str, Value | None] = {name: None for name in before.keys() - after.keys()}
    for name, value in after.items():
        old = before.get(name)
        if old is None or not same(old, value):
            changes[name] = value
    return changes


def apply_changes(target: dict[str, Value], changes: Mapping[str, Value | None]) -> None:
    """Apply a log record (see `changes_between`) to `target`."""
    for name, value in changes.items():
        if value is None:
            target.pop(name, None)
        else:
            target[name] = value
