"""The second half of a build: the planned pages whose inputs changed are rendered into
a new tree, the search shards whose pages changed are indexed into it, and the tree is
published (or thrown away, the site left as it was) with the state written after.

Which tree depends on who builds and how much changes (`_new_tree`): the dev server's
session, and a one-off build that changes few pages of a site already built, move the
changed files into the site; any other build makes a whole new folder and exchanges it
with the old at once (output.py).
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from site_builder.build_state import PageRecord, load_state, note_changing, save_state
from site_builder.model import Problem, Severity
from site_builder.output import InPlaceTree, OutputTree, SwapTree
from site_builder.pages.context import RenderContext
from site_builder.pages.job import PageJob
from site_builder.planning import Plan
from site_builder.progress import Progress
from site_builder.rendering import render_pages
from site_builder.report import BuildFailed, BuildReport
from site_builder.search.pagefind import (
    IndexingCancelled,
    IndexingFailed,
    index_shards,
    measure_folder,
)
from site_builder.search.shards import FOLDER as SEARCH_FOLDER
from site_builder.search.shards import Shard
from site_builder.session import Session
from site_builder.site import Site
from site_builder.stages.unchanged import forget_last_build

FEW_PAGES = 10  # a build changing at most one page in this many moves them in place


@dataclass
class Changes:
    """What this build makes: the new tree (None when nothing changed), the record of
    every output (pages, and search shards keyed by their folder with a trailing `/`),
    the outputs made from other inputs than last time, and those no longer made; and
    the records the build started from (a one-off build logs what changed since)."""

    tree: OutputTree | None
    records: dict[str, PageRecord]
    dirty: set[str]
    stale: set[str]
    last: dict[str, PageRecord]


def render_changes(
    site: Site,
    context: RenderContext,
    plan: Plan,
    report: BuildReport,
    progress: Progress,
    session: Session | None,
) -> Changes:
    """Render the pages whose inputs changed into a new tree."""
    old = _last_records(site, session)
    own = session is not None and session.records is not None  # the folder it keeps itself
    in_step = session.records_of_last_plan() if session else None
    if in_step is not None and plan.remade is not None:
        # After a replan of the plan the published records were made from, only the jobs
        # it made again can differ (and the pages the last build could not make are tried
        # again): at the size of the release, a few dozen records rather than 282,000.
        jobs = [*plan.remade, *(job for job in plan.jobs if job.file not in in_step)]
        made, dirty = _record_all(site, plan, jobs, in_step, own)
        records = {**in_step, **made}
        stale: set[str] = set()
    else:
        records, dirty = _record_all(site, plan, plan.jobs, old, own)
        stale = {name for name in old if name not in records and (site.out / name).exists()}
    if (not dirty and not stale) or _blocking(site, session, report):
        return Changes(None, records, dirty, stale, old)  # nothing to do, or may not publish
    tree = _new_tree(site, session, len(dirty), len(records))
    tree.begin()
    unchanged = [job.file for job in plan.jobs if job.file not in dirty]
    missing = set(tree.keep_unchanged(unchanged))
    jobs = [job for job in plan.jobs if job.file in dirty or job.file in missing]
    failures = render_pages(context, jobs, tree, site.jobs, report.problems, progress)
    if failures.templates:
        tree.abort()  # a broken template breaks every page it makes: keep the last good site
        raise BuildFailed(f"{failures.templates[0]} (the site was not changed)", report)
    for name in failures.pages:
        records.pop(name, None)
        tree.keep(name)
    report.written, report.kept = tree.written, tree.kept
    report.removed = len(stale)
    return Changes(tree, records, dirty, stale, old)


def _record_all(
    site: Site,
    plan: Plan,
    jobs: Iterable[PageJob],
    old: dict[str, PageRecord],
    trusted: bool,
) -> tuple[dict[str, PageRecord], set[str]]:
    """The records of `jobs` and of the plan's shards, and the names of those not made
    from the same inputs last time (or not there any more)."""
    made = {job.file: _record(old.get(job.file), job) for job in jobs}
    made.update(
        (shard.path + "/", PageRecord(shard.digest, (f"search:{shard.path}",)))
        for shard in plan.shards
    )
    out = str(site.out)
    dirty = {
        name for name, record in made.items() if not _unchanged(out, old, name, record, trusted)
    }
    return made, dirty


def _record(last: PageRecord | None, job: PageJob) -> PageRecord:
    """A page's record: the last one itself when it says the same (so a session's rebuild
    of a large site makes a record only for each changed page)."""
    if last is not None and last.digest == job.digest and last.inputs == job.inputs:
        return last
    return PageRecord(job.digest, job.inputs)


def _last_records(site: Site, session: Session | None) -> dict[str, PageRecord]:
    if session and session.records is not None:
        return session.records
    return load_state(site.state_file)


def _new_tree(site: Site, session: Session | None, changing: int, pages: int) -> OutputTree:
    """Where the new site is made. In a session serving the site already, the changed
    files are moved into the live folder under its lock; so are they when a build
    changes a few pages of a site that is there (at most one in `FEW_PAGES`: an edit
    costs its pages, not a link to every file of the site). Otherwise a whole new
    folder is made and exchanged with the old at once."""
    if session and session.records is not None:
        return InPlaceTree(site.out, session.lock)
    if site.out.is_dir() and changing * FEW_PAGES <= pages:
        return InPlaceTree(site.out)
    return SwapTree(site.out)


def _blocking(site: Site, session: Session | None, report: BuildReport) -> list[Problem]:
    """The problems that keep this build from being published: any under --strict; in
    a session, errors the site being served did not have."""
    if site.strict:
        return report.problems
    return session.new_errors(report.problems) if session else []


def _unchanged(
    out: str, old: dict[str, PageRecord], name: str, record: PageRecord, trusted: bool
) -> bool:
    """Made from the same inputs last time, and still there (a shard: its entry file);
    a page of a folder the session keeps itself is `trusted` to be."""
    last = old.get(name)
    if last is None or last.digest != record.digest:
        return False
    if name.endswith("/"):
        return os.path.exists(os.path.join(out, name, "pagefind-entry.json"))
    return trusted or os.path.exists(os.path.join(out, name))


def index_changes(
    site: Site, plan: Plan, changes: Changes, report: BuildReport, session: Session | None
) -> None:
    """Index the shards whose pages changed; carry the others over from the current site.

    A session may defer them: the shard stays as it is, unrecorded, so that the search
    pass (a build that does not defer) finds it still to index.
    """
    tree = changes.tree
    if tree is None:
        return
    work = []
    for shard in plan.shards:
        if shard.path + "/" not in changes.dirty and tree.keep_tree(shard.path):
            continue
        if session and session.defer_search:
            tree.keep_tree(shard.path)
            changes.records.pop(shard.path + "/")
            report.search_pending.append(shard.path)
            continue
        work.append((shard, tree.new_folder(shard.path)))
    if not work:
        return
    _index(work, site, tree, report, session.cancel if session else None)
    if report.shards_indexed:
        whole = measure_folder(tree.current(SEARCH_FOLDER))
        report.search_files, report.search_bytes = whole.files, whole.size


def _index(
    work: list[tuple[Shard, Path]],
    site: Site,
    tree: OutputTree,
    report: BuildReport,
    cancel: threading.Event | None,
) -> None:
    """Index the shards into their new folders; on failure, the new tree is forgotten."""
    scratch = site.out.with_name(f".{site.out.name}.search")
    try:
        index_shards(work, tree.current, scratch, cancel)
    except IndexingCancelled:
        tree.abort()
        raise
    except IndexingFailed as error:
        tree.abort()
        report.problems.append(Problem(error.shard, 1, Severity.ERROR, f"search index: {error}"))
        raise BuildFailed(f"{error.shard}: the search index failed: {error}", report) from error
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    report.shards_indexed += len(work)


def publish(
    site: Site, changes: Changes, report: BuildReport, session: Session | None
) -> str | None:
    """Publish the new tree (if any) and write the state; the generation of the state
    written (a one-off build's), or None (a session's, written when it stops)."""
    try:
        refuse_if_blocked(site, session, report)
    except BuildFailed:
        if changes.tree is not None:
            changes.tree.abort()
        raise
    if changes.tree is not None:
        if session is None:
            forget_last_build(site)  # until the site is whole again
        note_changing(site.state_file, changes.tree.changed)
        changes.tree.commit(sorted(changes.stale))
        report.published = True
        report.changed = changes.tree.changed + sorted(changes.stale)
    if session:
        session.published(changes.records, report.problems)
        forget_last_build(site)  # the session changes the output in place from now on
        return None
    return save_state(site.state_file, changes.records, changes.last).generation


def refuse_if_blocked(site: Site, session: Session | None, report: BuildReport) -> None:
    blocking = _blocking(site, session, report)
    if blocking:
        why = "--strict: the content has problems" if site.strict else str(blocking[0])
        raise BuildFailed(f"{why}; the site was not changed", report)
