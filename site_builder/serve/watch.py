"""Watching the site's sources, and naming what changed.

Watched: `content/` (cables, annotations, people, pages, the site's data tables), the
template and static folders (the site's and the tool's), the tool's shipped tables, and
`site.toml`. The configuration file is watched through its folder, without descending
into it (the site folder may hold the output, a virtualenv and node_modules), so that an
editor that saves by replacing the file is still seen. Ignored: the output folder and the
build's own working folders, hidden files, editor swap and backup files, VCS folders.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import watchfiles

from site_builder.site import Site
from site_builder.source_names import IGNORED_NAME
from site_builder.tables import SHIPPED_DATA

CONFIG_NAME = "site.toml"
# Changes are gathered until none has come for STEP ms (at most DEBOUNCE ms), so that an
# editor's save (write, rename) or a `git checkout` arrives as one batch.
STEP_MS = 20
DEBOUNCE_MS = 400
# How often a watcher looks at its stop event.
TIMEOUT_MS = 200


@dataclass(frozen=True)
class Batch:
    """Changed sources, and when the watcher saw them (for latency figures)."""

    paths: frozenset[Path]
    seen: float


class SourceFilter(watchfiles.DefaultFilter):
    """Skips what a build or an editor writes, so that neither starts a rebuild."""

    def __init__(self, ignored: Iterable[Path]) -> None:
        super().__init__(ignore_paths=[str(p) for p in ignored])

    def __call__(self, change: watchfiles.Change, path: str) -> bool:
        if IGNORED_NAME.match(Path(path).name):
            return False
        return super().__call__(change, path)


class ConfigFilter(watchfiles.DefaultFilter):
    """Of the site folder's own entries, only its configuration file."""

    def __call__(self, change: watchfiles.Change, path: str) -> bool:
        return Path(path).name == CONFIG_NAME


def watched_folders(site: Site) -> list[Path]:
    """The source folders a change in which may change the site."""
    folders = [site.content, *site.template_dirs, *site.static_dirs, SHIPPED_DATA]
    unique: dict[Path, None] = {}
    for folder in folders:
        if folder.is_dir():
            unique[folder.resolve()] = None
    return list(unique)


def ignored_paths(site: Site) -> list[Path]:
    """The output folder and the build's working folders beside it."""
    out = site.out.resolve()
    return [out, out.parent / ".site-builder", *out.parent.glob(f".{out.name}.*")]


def start_watching(site: Site, receive: Callable[[Batch], None], stop: threading.Event) -> None:
    """Watch in two background threads, handing each batch of changes to `receive`."""
    sources = (watched_folders(site), SourceFilter(ignored_paths(site)), True)
    config = ([site.folder], ConfigFilter(), False)
    for folders, accept, recursive in (sources, config):
        thread = threading.Thread(
            target=_watch,
            args=(folders, accept, recursive, receive, stop),
            name="watch",
            daemon=True,
        )
        thread.start()


def _watch(
    folders: list[Path],
    accept: watchfiles.DefaultFilter,
    recursive: bool,
    receive: Callable[[Batch], None],
    stop: threading.Event,
) -> None:
    for changes in watchfiles.watch(
        *folders,
        watch_filter=accept,
        debounce=DEBOUNCE_MS,
        step=STEP_MS,
        stop_event=stop,
        rust_timeout=TIMEOUT_MS,
        yield_on_timeout=False,
        recursive=recursive,
        raise_interrupt=False,
    ):
        paths = frozenset(
            Path(path) for change, path in changes if not _passing(change, path, changes)
        )
        if paths:
            receive(Batch(paths, time.perf_counter()))


def _passing(
    change: watchfiles.Change, path: str, changes: set[tuple[watchfiles.Change, str]]
) -> bool:
    """A file made and removed within one batch (a tool's temporary file): no change."""
    return (watchfiles.Change.added, path) in changes and not os.path.exists(path)


def describe(paths: Iterable[Path], site: Site) -> str:
    """`content/cables/07X.txt` for one change, `3 files (content/cables/...)` for more."""
    names = sorted(_shown(path, site) for path in paths)
    if len(names) == 1:
        return names[0]
    return f"{len(names)} files ({names[0]}, ...)"


def _shown(path: Path, site: Site) -> str:
    try:
        return path.relative_to(site.folder).as_posix()
    except ValueError:
        return str(path)
