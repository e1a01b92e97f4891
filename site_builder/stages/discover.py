"""Stage: discover the cable files of an archive (or of paths given on the command line)."""

from __future__ import annotations

import os
from collections.abc import Iterable
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
            for file in sorted(path.rglob(f"*{CABLE_SUFFIX}")):
                relative = file.relative_to(path)
                if file.is_file() and not any(p.startswith(".") for p in relative.parts):
                    found[file] = None
        elif path.is_file():
            found[path] = None
        else:
            raise FileNotFoundError(f"{path}: no such file or folder")
    return list(found)


def display_path(path: Path | str) -> str:
    """A path as problems name it: relative to the working folder when under it."""
    absolute = os.path.abspath(path)
    here = os.getcwd()
    if absolute.startswith(here + os.sep):
        return absolute[len(here) + 1 :]
    return str(path)
