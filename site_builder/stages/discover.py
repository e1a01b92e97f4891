"""Stage: discover the cable files of an archive (or of paths given on the command line)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

CABLE_SUFFIX = ".txt"


def cable_files(paths: Iterable[Path]) -> list[Path]:
    """Every cable file named, or found below the folders named, without repeats.

    Paths keep the order given; the files of a folder come sorted. Hidden files
    and folders (editor swap files, VCS folders) are skipped.
    """
    found: dict[Path, None] = {}
    for path in paths:
        if path.is_dir():
            found.update((Path(name), None) for name in sorted(_files_below(str(path))))
        elif path.is_file():
            found[path] = None
        else:
            raise FileNotFoundError(f"{path}: no such file or folder")
    return list(found)


def _files_below(folder: str) -> Iterator[str]:
    """The cable files below a folder, hidden files and folders skipped (a plain
    scandir walk: at a quarter of a million files, pathlib's glob costs seconds)."""
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_dir():
                yield from _files_below(entry.path)
            elif entry.name.endswith(CABLE_SUFFIX) and entry.is_file():
                yield entry.path


def display_path(path: Path | str) -> str:
    """A path as problems name it: relative to the working folder when under it."""
    if not os.path.isabs(path) and not str(path).startswith(".."):
        return os.path.normpath(path)  # already relative to the working folder
    absolute = os.path.abspath(path)
    here = os.getcwd()
    if absolute.startswith(here + os.sep):
        return absolute[len(here) + 1 :]
    return str(path)
