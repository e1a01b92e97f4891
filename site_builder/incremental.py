"""Planning again after a few cables were edited, from what a session planned last.

The dev server's common case is a maintainer saving one cable. When every file of a
batch of changes is a cable file that was there before, and each edit leaves its cable
where it was (same ID, date, tags, references, people: `catalog.same_place`), the
catalog takes the new entries in place and only the pages that showed the old ones are
planned again: the cable's own page, and the pages whose digests took its listing
(`rendering.replan`). Anything else (a file added or removed, a template, a table, a
curated person, an ID or a tag edited) plans the whole site again.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from site_builder.catalog import Entry, same_place
from site_builder.model import Problem
from site_builder.pages.context import RenderContext
from site_builder.planning import Plan
from site_builder.site import Site
from site_builder.stages.discover import Discovered
from site_builder.stages.parse import ParsedFile, ParseSettings, reparse_files
from site_builder.stages.parse_cache import ParseCache


@functools.lru_cache(maxsize=4096)
def _real_folder(folder: str) -> str:
    return os.path.realpath(folder)


def _watched(path: Path | str) -> str:
    """A file's path as a watcher names it: its folder's real path, then its own name
    (a linked file stays itself, a linked folder does not)."""
    folder, name = os.path.split(os.path.abspath(path))
    return os.path.join(_real_folder(folder), name)


@dataclass
class Memory:
    """What a session keeps of its last whole plan: the sources found, what they were
    parsed with, the render context (with its catalog), the plan, and the problems
    found before parsing (`found_problems`) and after it (`later_problems`)."""

    site: Site
    found: Discovered
    settings: ParseSettings
    context: RenderContext
    plan: Plan
    found_problems: list[Problem]
    later_problems: list[Problem]

    def __post_init__(self) -> None:
        self._files = {_watched(path): (path, name) for path, name in self.found.files}
        self._problems: list[Problem] | None = None  # made by `problems`, until they change

    def edited_files(self, site: Site, changed: Iterable[Path]) -> list[tuple[str, str]] | None:
        """The cable files of a batch of changes, if that is all the batch holds and
        each was there before and still is; None when the whole site must be planned."""
        if site != self.site:
            return None
        edited = []
        for path in changed:
            known = self._files.get(_watched(path))
            if known is None or not os.path.isfile(known[0]):
                return None
            edited.append(known)
        return edited

    def take(self, files: Sequence[tuple[str, str]], cache: ParseCache) -> list[Entry] | None:
        """Parse `files` again (the cache learns them whatever comes next) and put their
        new entries in the catalog, if every one leaves its cable in place; else None."""
        catalog = self.context.catalog
        last = [cache.files[path][1] for path, _ in files]
        parsed = reparse_files(files, self.settings, cache)
        if any(old.problems != new.problems for old, new in zip(last, parsed, strict=True)):
            self._problems = None
        before = [result.entry for result in last]
        after = [result.entry for result in parsed]
        pairs = list(zip(before, after, strict=True))
        for old, new in pairs:
            if old is None or new is None or not same_place(old, new):
                return None
            if catalog.by_id.get(old.canonical_id) is not old:  # a duplicate, left out
                return None
        for (old, new), result in zip(pairs, parsed, strict=True):
            assert old is not None and new is not None and result.prepared is not None
            catalog.replace(old, new)
            self.context.prepared[new.source] = result.prepared
        return [new for _, new in pairs if new is not None]

    def problems(self, cache: ParseCache) -> list[Problem]:
        """Every problem of the content, in the order a whole build reports them: made
        again only when an edit changed a file's problems (the list is the caller's)."""
        if self._problems is None:
            parsed: list[ParsedFile] = [cache.files[path][1] for path, _ in self.found.files]
            self._problems = [
                *self.found_problems,
                *(problem for result in parsed for problem in result.problems),
                *self.later_problems,
            ]
        return list(self._problems)
