"""`build()`: content in, site out, in timed stages.

    check -> discover -> parse -> catalog -> plan -> render -> search -> write

Parsing and rendering run over all cores. Every page is planned with a digest of its
inputs before anything is rendered; only pages whose digest changed are rendered, the
rest are carried over from the current site, and the new site replaces the old one in
one atomic step. A build that changes nothing writes nothing; a one-off build first
checks whether anything changed at all (stages/unchanged.py), and stops there if not.
In the dev server's session, a batch of cable edits skips discovery and plans only the
pages that show those cables (incremental.py).
"""

from __future__ import annotations

import gc
import os
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import jinja2

from site_builder.build_state import PageRecord, load_state, note_changing, save_state
from site_builder.catalog import Entry, PeopleDirectory, build_catalog
from site_builder.collector import collector_paused
from site_builder.editorial.annotations import check_annotations
from site_builder.editorial.mentions import MentionIndex
from site_builder.incremental import Memory
from site_builder.layout import overfull_folders
from site_builder.model import Problem, Severity
from site_builder.output import InPlaceTree, OutputTree, SwapTree
from site_builder.pages.context import RenderContext, make_context
from site_builder.pages.job import PageJob, code_digest, fingerprint
from site_builder.planning import Plan, plan_pages, replan
from site_builder.progress import Progress
from site_builder.render.assets import collect_assets
from site_builder.rendering import render_pages, template_problem
from site_builder.report import BuildFailed, BuildReport
from site_builder.search.pagefind import (
    IndexingCancelled,
    IndexingFailed,
    index_shard,
    measure_folder,
)
from site_builder.search.shards import FOLDER as SEARCH_FOLDER
from site_builder.search.shards import Shard
from site_builder.session import Session
from site_builder.site import Site
from site_builder.stages.discover import Discovered, discover
from site_builder.stages.parse import ParseSettings, parse_entries
from site_builder.stages.parse_cache import ParseCache
from site_builder.stages.prepared_store import Location, PreparedStore
from site_builder.stages.unchanged import (
    LastBuild,
    forget_last_build,
    inputs_digest,
    remember_build,
    unchanged_since,
)

FEW_PAGES = 10  # a build changing at most one page in this many moves them in place


def build(
    site: Site, progress: Progress | None = None, session: Session | None = None
) -> BuildReport:
    """Build `site.content` into `site.out`; the table of contents of the whole tool.

    A long-running caller (the dev server) passes its `session` (see session.py).
    """
    report = BuildReport()
    progress = progress or Progress.quiet()
    timer = _Timer(report)
    if session is None:
        with timer("check"):
            inputs = inputs_digest(site)
            last = unchanged_since(site, inputs)
        if last is not None:
            return _as_last_time(site, last, report)
    edited = _plan_edits(site, session, report, timer) if session else None
    context, plan = edited or _plan_whole(site, report, progress, session, timer)
    with timer("render"):
        changes = _render(site, context, plan, report, progress, session)
    with timer("search"):
        _search(site, plan, changes, report, session)
    with timer("write"):
        _publish(site, changes, report, session)
        if session is None:
            remember_build(
                site, inputs, report.cables, report.pages, report.shards, report.problems
            )
    return report


def _plan_whole(
    site: Site, report: BuildReport, progress: Progress, session: Session | None, timer: _Timer
) -> tuple[RenderContext, Plan]:
    """Discover, parse, catalog and plan the whole site; a session remembers how."""
    if session:
        session.memory = None  # until this plan is whole
    with timer("discover"):
        found = discover(site, report.problems)
    found_problems = len(report.problems)
    with timer("parse"):
        parsed = _parse(site, found, report, progress, session)
    parse_problems = len(report.problems)
    with timer("catalog"):
        context = _catalog(site, found, parsed, report)
    with timer("plan"):
        plan = _plan(context, report, keep=session is not None)
    if session:
        problems = report.problems
        gc.unfreeze()  # the last plan's objects: collectable again
        session.memory = Memory(
            site,
            found,
            parsed.settings,
            context,
            plan,
            problems[:found_problems],
            problems[parse_problems:],
        )
        gc.freeze()  # kept for the session: no collection need look through them again
    return context, plan


def _plan_edits(
    site: Site, session: Session, report: BuildReport, timer: _Timer
) -> tuple[RenderContext, Plan] | None:
    """Plan again only what a session's batch of cable edits shows (see incremental.py);
    None when the batch needs the whole site planned."""
    memory, session.memory = session.memory, None  # until this plan is whole
    changed = session.changed
    edits = memory.edited_files(site, changed) if memory and changed is not None else None
    if memory is None or edits is None:
        return None
    with timer("parse"):
        edited = memory.take(edits, session.cache)
    if edited is None:
        return None
    with timer("plan"):
        memory.plan = replan(memory.context, memory.plan, edited)
    report.problems = memory.problems(session.cache)
    report.cables, report.pages = len(memory.context.catalog.entries), len(memory.plan.jobs)
    report.shards = len(memory.plan.shards)
    session.memory = memory
    return memory.context, memory.plan


class Parsed(NamedTuple):
    """What the parse stage hands on: what it parsed with, the catalog's entries, and
    where each entry's prepared page part is (by source file)."""

    settings: ParseSettings
    entries: list[Entry]
    prepared: dict[str, Location]


def _parse(
    site: Site,
    found: Discovered,
    report: BuildReport,
    progress: Progress,
    session: Session | None,
) -> Parsed:
    """Parse the files not parsed before. They are remembered in the cache file beside
    the state (saved at once, whatever comes next), which a session reads once and then
    keeps in memory; so are the locations of the pages' own parts, which the store keeps
    (and no others)."""
    entries: list[Entry] = []
    prepared: dict[str, Location] = {}
    index = MentionIndex.of(found.people)
    digest = fingerprint(found.tables_digest, index.digest, site.base_url, code_digest())
    store = PreparedStore(site.prepared_folder)
    settings = ParseSettings(found.tables, index, site.url, digest, store)
    cold = session is None or session.records is None  # no build of this process yet
    cache = session.cache if session and not cold else ParseCache.load(site.parse_cache_file)
    if session is not None:
        session.cache = cache
    with progress.stage("parse", len(found.files)) as step, collector_paused():
        for parsed in parse_entries(found.files, settings, site.jobs, cache):
            report.problems.extend(parsed.problems)
            if parsed.entry is not None:
                entries.append(parsed.entry)
                if parsed.prepared is not None:
                    prepared[parsed.entry.source] = parsed.prepared
            step(1)
    if cold:
        cache.save(site.parse_cache_file)
    store.keep_only(cache.locations())
    return Parsed(settings, entries, prepared)


def _catalog(
    site: Site,
    found: Discovered,
    parsed: Parsed,
    report: BuildReport,
) -> RenderContext:
    directory = PeopleDirectory(found.people)
    catalog = build_catalog(parsed.entries, found.tables, directory, found.annotations)
    report.cables = len(catalog.entries)
    if not catalog.entries:
        raise BuildFailed(f"{site.content}/cables: no cable could be read", report)
    report.problems.extend(catalog.duplicates)
    report.problems.extend(check_annotations(found.annotations, catalog))
    assets = collect_assets(site.static_dirs, site.fingerprint_assets)
    return make_context(
        site,
        catalog,
        assets,
        found.tables_digest,
        found.annotations,
        parsed.settings.mentions,
        parsed.settings.store,
        parsed.prepared,
    )


def _plan(context: RenderContext, report: BuildReport, keep: bool) -> Plan:
    """Every page with its digest; a template that does not parse fails the build here."""
    try:
        plan = plan_pages(context, report.problems, keep)
    except jinja2.TemplateError as error:
        problem = template_problem(error, None)
        report.problems.append(problem)
        raise BuildFailed(f"{problem} (the site was not changed)", report) from error
    report.pages = len(plan.jobs)
    report.shards = len(plan.shards)
    overfull = overfull_folders((job.file for job in plan.jobs), plan.shards, context.site.out)
    if overfull:
        report.problems.extend(overfull)
        raise BuildFailed(f"{overfull[0]} (the site was not changed)", report)
    return plan


@dataclass
class Changes:
    """What this build makes: the new tree (None when nothing changed), the record of
    every output (pages, and search shards keyed by their folder with a trailing `/`),
    and the outputs unchanged since the last build."""

    tree: OutputTree | None
    records: dict[str, PageRecord]
    clean: set[str]
    stale: set[str]


def _render(
    site: Site,
    context: RenderContext,
    plan: Plan,
    report: BuildReport,
    progress: Progress,
    session: Session | None,
) -> Changes:
    """Render the pages whose inputs changed into a new tree."""
    old = _last_records(site, session)
    records = {job.file: _record(old.get(job.file), job) for job in plan.jobs}
    for shard in plan.shards:
        records[shard.path + "/"] = PageRecord(shard.digest, (f"search:{shard.path}",))
    out = str(site.out)
    own = session is not None and session.records is not None  # the folder it keeps itself
    clean = {name for name, record in records.items() if _unchanged(out, old, name, record, own)}
    stale = {name for name in old if name not in records and (site.out / name).exists()}
    if (len(clean) == len(records) and not stale) or _blocking(site, session, report):
        return Changes(None, records, clean, stale)  # nothing to do, or it may not publish
    tree = _new_tree(site, session, len(records) - len(clean), len(records))
    tree.begin()
    dirty = [job for job in plan.jobs if job.file not in clean]
    missing = set(tree.keep_unchanged([job.file for job in plan.jobs if job.file in clean]))
    dirty.extend(job for job in plan.jobs if job.file in missing)
    failures = render_pages(context, dirty, tree, site.jobs, report.problems, progress)
    if failures.templates:
        tree.abort()  # a broken template breaks every page it makes: keep the last good site
        raise BuildFailed(f"{failures.templates[0]} (the site was not changed)", report)
    for name in failures.pages:
        records.pop(name, None)
        tree.keep(name)
    report.written, report.kept = tree.written, tree.kept
    report.removed = len(stale)
    return Changes(tree, records, clean, stale)


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


def _search(
    site: Site, plan: Plan, changes: Changes, report: BuildReport, session: Session | None
) -> None:
    """Index the shards whose pages changed; carry the others over from the current site.

    A session may defer them: the shard stays as it is, unrecorded, so that the search
    pass (a build that does not defer) finds it still to index.
    """
    tree = changes.tree
    if tree is None:
        return
    scratch = site.out.with_name(f".{site.out.name}.search")
    try:
        for shard in plan.shards:
            if shard.path + "/" in changes.clean and tree.keep_tree(shard.path):
                continue
            if session and session.defer_search:
                tree.keep_tree(shard.path)
                changes.records.pop(shard.path + "/")
                report.search_pending.append(shard.path)
                continue
            _index(shard, tree, scratch, report, session.cancel if session else None)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if report.shards_indexed:
        whole = measure_folder(tree.current(SEARCH_FOLDER))
        report.search_files, report.search_bytes = whole.files, whole.size


def _index(
    shard: Shard,
    tree: OutputTree,
    scratch: Path,
    report: BuildReport,
    cancel: threading.Event | None,
) -> None:
    try:
        index_shard(shard, tree.current, tree.new_folder(shard.path), scratch, cancel)
    except IndexingCancelled:
        tree.abort()
        raise
    except (IndexingFailed, OSError) as error:
        tree.abort()
        report.problems.append(Problem(shard.path, 1, Severity.ERROR, f"search index: {error}"))
        raise BuildFailed(f"{shard.path}: the search index failed: {error}", report) from error
    report.shards_indexed += 1


def _publish(site: Site, changes: Changes, report: BuildReport, session: Session | None) -> None:
    try:
        _refuse_if_blocked(site, session, report)
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
    else:
        save_state(site.state_file, changes.records)


def _refuse_if_blocked(site: Site, session: Session | None, report: BuildReport) -> None:
    blocking = _blocking(site, session, report)
    if blocking:
        why = "--strict: the content has problems" if site.strict else str(blocking[0])
        raise BuildFailed(f"{why}; the site was not changed", report)


def _as_last_time(site: Site, last: LastBuild, report: BuildReport) -> BuildReport:
    """The report of a build that found nothing changed: what the last one found."""
    report.cables, report.pages, report.shards = last.cables, last.pages, last.shards
    report.problems = list(last.problems)
    _refuse_if_blocked(site, None, report)
    return report


class _Timer:
    def __init__(self, report: BuildReport) -> None:
        self.report = report

    @contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.report.timings[stage] = time.perf_counter() - started
