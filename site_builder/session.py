"""What a long-running caller (the dev server) keeps from one build to the next.

A one-off `build` starts cold: it reads the last build's records from disk, parses every
file, indexes search before it publishes and exchanges the whole output folder. The dev
server instead keeps a `Session`: parsed files and page records stay in memory, changes
are moved into the live folder under the lock its requests hold, the search index is
brought up to date later (in a pass of its own, which an edit may cancel), and an edit
that brings in new errors is not published at all, so the last good site stays up.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from site_builder.build_state import PageRecord
from site_builder.model import Problem, Severity
from site_builder.stages.parse_cache import ParseCache

if TYPE_CHECKING:
    from site_builder.incremental import Memory


@dataclass
class Session:
    """State carried between builds, and how the dev server wants them made."""

    cache: ParseCache = field(default_factory=ParseCache)
    lock: Callable[[], AbstractContextManager[object]] = contextlib.nullcontext  # held to commit
    defer_search: bool = True  # leave changed search shards for a later search pass
    cancel: threading.Event = field(default_factory=threading.Event)  # set: stop indexing
    records: dict[str, PageRecord] | None = None  # the published site's, once there is one
    accepted: frozenset[Problem] | None = None  # the errors the published site was built with
    changed: frozenset[Path] | None = None  # the sources changed since the last build, if known
    memory: Memory | None = None  # how the last build planned, to plan only what edits show
    plan_published: bool = False  # the records are of the plan the memory holds

    def records_of_last_plan(self) -> dict[str, PageRecord] | None:
        """The published records, if they were made from the plan that the coming build
        planned again in part (so only what it made again can differ from them); from
        now until this build is published, they are not."""
        last, self.plan_published = self.plan_published, False
        return self.records if last else None

    def new_errors(self, problems: Iterable[Problem]) -> list[Problem]:
        """Errors the published site did not have: an edit broke something. The first
        build accepts the archive as it is."""
        if self.accepted is None:
            return []
        return [p for p in problems if p.severity is Severity.ERROR and p not in self.accepted]

    def published(self, records: dict[str, PageRecord], problems: Iterable[Problem]) -> None:
        """Remember what the site being served was made from."""
        self.records = records
        self.plan_published = True
        self.accepted = frozenset(p for p in problems if p.severity is Severity.ERROR)
