"""Progress of long stages on a terminal; silence when the output is not a terminal."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

_EVERY = 0.2  # seconds between redraws


class Progress:
    """Draws `parse  12,345/251,287` on one line of a terminal while a stage runs."""

    def __init__(self, stream: TextIO | None) -> None:
        self.stream = stream

    @classmethod
    def quiet(cls) -> Progress:
        return cls(None)

    @classmethod
    def for_stream(cls, stream: TextIO) -> Progress:
        """Drawn only when `stream` is a terminal."""
        return cls(stream if stream.isatty() else None)

    @contextmanager
    def stage(self, name: str, total: int) -> Iterator[Callable[[int], None]]:
        """A stage of `total` steps; call the yielded function as steps complete."""
        done = 0
        shown = 0.0
        stream = self.stream

        def step(count: int = 1) -> None:
            nonlocal done, shown
            done += count
            now = time.monotonic()
            if stream is not None and (now - shown >= _EVERY or done == total):
                stream.write(f"\r{name:<8} {done:>9,}/{total:,}")
                stream.flush()
                shown = now

        try:
            yield step
        finally:
            if stream is not None and shown:
                stream.write("\r\x1b[2K")
                stream.flush()


def stderr_progress() -> Progress:
    return Progress.for_stream(sys.stderr)
