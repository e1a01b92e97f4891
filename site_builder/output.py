"""The output folder, written atomically: a build that fails or is killed at any moment
leaves the previous site whole.

A build that changes anything makes the new site in a folder beside the old one:
unchanged pages are hard-linked from the old site (no bytes written, inode kept), new
and changed pages are written, and at the end the two folders are exchanged in one
atomic step (`renameat2` with `RENAME_EXCHANGE` on Linux; two renames elsewhere).
The old site is then deleted. A build that changes nothing touches nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
from pathlib import Path

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


class OutputTree:
    """The new version of an output folder, being made beside the current one."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.staging = out.with_name(f".{out.name}.building")
        self.retired = out.with_name(f".{out.name}.old")
        self.written = 0
        self.kept = 0
        self._made: set[Path] = set()

    def begin(self) -> None:
        """Clear what a killed build may have left, and start an empty new tree."""
        for leftover in (self.staging, self.retired):
            if leftover.exists():
                shutil.rmtree(leftover)
        self.staging.mkdir(parents=True)
        self._made = {self.staging}

    def path(self, relative: str) -> Path:
        """Where a file of the new site goes (its folder made)."""
        target = self.staging / relative
        folder = target.parent
        if folder not in self._made:
            folder.mkdir(parents=True, exist_ok=True)
            self._made.add(folder)
        return target

    def keep(self, relative: str) -> bool:
        """Carry an unchanged file of the current site into the new one, by a hard link.

        Returns False when the current site does not have it (it must be written).
        """
        source = self.out / relative
        try:
            os.link(source, self.path(relative))
        except FileNotFoundError:
            return False
        except OSError:
            shutil.copy2(source, self.path(relative))
        self.kept += 1
        return True

    def keep_tree(self, relative: str) -> bool:
        """Carry an unchanged folder of the current site (a search shard) over, file by file."""
        source = self.out / relative
        if not source.is_dir():
            return False
        for folder, _, names in os.walk(source):
            for name in names:
                self.keep(os.path.relpath(os.path.join(folder, name), self.out))
        return True

    def write(self, relative: str, data: bytes) -> None:
        """Write a new or changed file of the new site.

        A file already in the new tree may be a hard link to the current site's: it is
        replaced, never written through (which would change the live site too).
        """
        target = self.path(relative)
        target.unlink(missing_ok=True)
        target.write_bytes(data)
        self.written += 1

    def commit(self) -> None:
        """Put the new site in place in one step, then delete the old one."""
        if self.out.exists():
            _exchange(self.staging, self.out)
            shutil.rmtree(self.staging)
        else:
            self.out.parent.mkdir(parents=True, exist_ok=True)
            os.rename(self.staging, self.out)

    def abort(self) -> None:
        """Forget the new site: the current one stays as it was."""
        shutil.rmtree(self.staging, ignore_errors=True)


def _exchange(new: Path, current: Path) -> None:
    """Swap two folders atomically where the system can; else with two renames."""
    libc_name = ctypes.util.find_library("c")
    if libc_name:
        libc = ctypes.CDLL(libc_name, use_errno=True)
        renameat2 = getattr(libc, "renameat2", None)
        if renameat2 is not None:
            result = renameat2(
                _AT_FDCWD, os.fsencode(new), _AT_FDCWD, os.fsencode(current), _RENAME_EXCHANGE
            )
            if result == 0:
                return
    retired = current.with_name(f".{current.name}.old")
    os.rename(current, retired)
    os.rename(new, current)
    os.rename(retired, new)
