"""The output folder, written so that nobody sees a half-built site.

Two ways, one interface:

- `SwapTree` (every `build`): a build that changes anything makes the new site in a
  folder beside the old one. Unchanged pages are hard-linked from the old site (no
  bytes written, inode kept), new and changed pages are written, and at the end the two
  folders are exchanged in one atomic step (`renameat2` with `RENAME_EXCHANGE` on Linux;
  two renames elsewhere). A build that fails or is killed at any moment leaves the
  previous site whole.
- `InPlaceTree` (the dev server): only new and changed files are written, beside the
  site, then moved into it, and removed pages deleted, while the server holds its lock,
  so that no request sees the site half-changed. An edit costs its few files, not a
  walk over the whole site.

A build that changes nothing touches nothing, either way.

Because the output folder is replaced whole, it must be a folder of its own:
`refuse_unsafe_output` turns away one that is, holds or lies inside the sources.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import shutil
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from pathlib import Path

from site_builder.errors import UsageError
from site_builder.site import Site
from site_builder.stages.discover import display_path

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def refuse_unsafe_output(site: Site) -> None:
    """Refuse an output folder the build could not replace without deleting sources.

    Each build exchanges the whole output folder and deletes the old one, so `--out`
    must not be, hold or lie inside `content/` or a templates or static folder (which
    also rules out the site's own folder and anything above it), nor be a file.
    """
    out = site.out.resolve()
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {site.out}: is a file, not a folder")
    for source in (site.content, *site.template_dirs, *site.static_dirs):
        folder = source.resolve()
        if out == folder:
            relation = "is"
        elif out in folder.parents:
            relation = "holds"
        elif folder in out.parents:
            relation = "lies inside"
        else:
            continue
        raise UsageError(
            f"--out {site.out}: {relation} {display_path(source)}, which each build would replace;"
            " give the site a folder of its own, such as public"
        )


def within_site(relative: str) -> bool:
    """Whether a path relative to the site stays inside it: not absolute, no `.` or `..`
    segment, no backslash or NUL. Names read from outside (a state file, a URL) must be,
    before anything is read, written or deleted under them."""
    return (
        not relative.startswith("/")
        and "\\" not in relative
        and "\0" not in relative
        and not any(part in (".", "..") for part in relative.split("/"))
    )


def staging_folder(out: Path) -> Path:
    """Where a build makes the new site, beside the current one."""
    return out.with_name(f".{out.name}.building")


def recover_unfinished(out: Path) -> None:
    """Undo what a build that failed or was killed left beside the output folder.

    Where folders cannot be exchanged in one step, a build killed between its two
    renames leaves the site under its retired name: it is put back. Then the staging
    and retired folders go (as far as they can: what is left goes next time).
    """
    retired = _retired(out)
    if retired.is_dir() and not out.exists():
        os.rename(retired, out)
    for leftover in (staging_folder(out), retired):
        shutil.rmtree(leftover, ignore_errors=True)


class OutputTree:
    """The new version of an output folder, being made beside the current one."""

    def __init__(self, out: Path) -> None:
        self.out = Path(os.path.realpath(out))  # a symlinked output folder: its target
        self.staging = staging_folder(self.out)
        self.written = 0
        self.kept = 0
        self.changed: list[str] = []  # what this build writes, relative to the folder
        self._made: set[Path] = set()

    def begin(self) -> None:
        """Clear what a killed build may have left, and start an empty new tree."""
        recover_unfinished(self.out)
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
        """Keep an unchanged file of the current site; False when it has none (write it)."""
        raise NotImplementedError

    def keep_tree(self, relative: str) -> bool:
        """Keep an unchanged folder of the current site (a search shard)."""
        raise NotImplementedError

    def keep_unchanged(self, names: list[str]) -> list[str]:
        """Keep the files found unchanged (and present); the names that could not be."""
        return [name for name in names if not self.keep(name)]

    def new_folder(self, relative: str) -> Path:
        """A folder made anew whole (a search shard's index), to write into."""
        self.changed.append(relative + "/")
        return self.staging / relative

    def current(self, relative: str) -> Path:
        """A file of the new site as it stands now: written by this build, or kept."""
        staged = self.staging / relative
        return staged if staged.exists() else self.out / relative

    def write(self, relative: str, data: bytes) -> None:
        """Write a new or changed file of the new site.

        A file already in the new tree may be a hard link to the current site's: it is
        replaced, never written through (which would change the live site too).
        """
        target = self.path(relative)
        target.unlink(missing_ok=True)
        target.write_bytes(data)
        self.wrote([relative])

    def wrote(self, names: list[str]) -> None:
        """Count files written into the new tree (here, or by render workers)."""
        self.written += len(names)
        self.changed.extend(names)

    def commit(self, removed: Iterable[str] = ()) -> None:
        """Put the new site in place; `removed` names outputs the site no longer has."""
        raise NotImplementedError

    def abort(self) -> None:
        """Forget the new site: the current one stays as it was."""
        shutil.rmtree(self.staging, ignore_errors=True)


class SwapTree(OutputTree):
    """A complete new site, hard-linked where unchanged, exchanged with the old at once."""

    def keep(self, relative: str) -> bool:
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
        source = self.out / relative
        if not source.is_dir():
            return False
        for folder, _, names in os.walk(source):
            for name in names:
                self.keep(os.path.relpath(os.path.join(folder, name), self.out))
        return True

    def commit(self, removed: Iterable[str] = ()) -> None:
        """Exchange the folders in one step, then delete the old site (and with it, what
        the new one no longer has); what cannot be deleted now goes next time."""
        if self.out.exists():
            _exchange(self.staging, self.out)
            shutil.rmtree(self.staging, ignore_errors=True)
        else:
            self.out.parent.mkdir(parents=True, exist_ok=True)
            os.rename(self.staging, self.out)


class InPlaceTree(OutputTree):
    """Only what changed, moved into the live site under the server's lock."""

    def __init__(
        self, out: Path, lock: Callable[[], AbstractContextManager[object]] = contextlib.nullcontext
    ) -> None:
        super().__init__(out)
        self.lock = lock
        self._folders: list[str] = []

    def keep(self, relative: str) -> bool:
        if (self.out / relative).exists():
            self.kept += 1
            return True
        return False

    def keep_tree(self, relative: str) -> bool:
        return (self.out / relative).is_dir()

    def keep_unchanged(self, names: list[str]) -> list[str]:
        """Nothing to do: they are in the live folder already (the build just saw them)."""
        self.kept += len(names)
        return []

    def new_folder(self, relative: str) -> Path:
        """A folder made anew replaces the live one whole, when the build commits."""
        self._folders.append(relative)
        return super().new_folder(relative)

    def commit(self, removed: Iterable[str] = ()) -> None:
        with self.lock():
            for folder in self._folders:
                _swap_folder(self.staging / folder, self.out / folder)
            for root, _, names in os.walk(self.staging):
                for name in names:
                    staged = Path(root, name)
                    target = self.out / staged.relative_to(self.staging)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    os.replace(staged, target)
            for name in removed:
                _remove(self.out / name.rstrip("/"), self.out)
        shutil.rmtree(self.staging, ignore_errors=True)


def _swap_folder(new: Path, live: Path) -> None:
    live.parent.mkdir(parents=True, exist_ok=True)
    if live.exists():
        _exchange(new, live)
        shutil.rmtree(new)
    else:
        os.rename(new, live)


def _remove(path: Path, root: Path) -> None:
    """Delete a file or folder of the site, and the folders it leaves empty (never `root`)."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)
    parent = path.parent
    with contextlib.suppress(OSError):
        while parent != root and parent.is_relative_to(root) and not any(parent.iterdir()):
            parent.rmdir()  # a list's last page gone leaves no empty folders behind
            parent = parent.parent


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
    retired = _retired(current)
    os.rename(current, retired)
    os.rename(new, current)  # killed before this: `recover_unfinished` puts it back
    os.rename(retired, new)


def _retired(out: Path) -> Path:
    return out.with_name(f".{out.name}.old")
