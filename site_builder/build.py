"""`build()`: content in, site out, in timed stages.

    check -> discover -> parse -> catalog -> plan -> render -> search -> write

Parsing and rendering run over all cores. Every page is planned with a digest of its
inputs before anything is rendered; only pages whose digest changed are rendered, the
rest are carried over from the current site, and the new site is published whole
(publishing.py: the render, search and write stages). A build that changes nothing
writes nothing; a one-off build first checks whether anything changed at all
(stages/unchanged.py), and stops there if not.
In the dev server's session, a batch of cable edits skips discovery and plans only the
pages that show those cables (incremental.py).
"""

from __future__ import annotations

import dataclasses
import gc
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import NamedTuple

import jinja2

from site_builder.catalog import Entry, PeopleDirectory, build_catalog
from site_builder.collector import collector_paused
from site_builder.editorial.annotations import check_annotations
from site_builder.incremental import Memory
from site_builder.layout import overfull_folders
from site_builder.pages.context import RenderContext, make_context
from site_builder.planning import Plan, plan_pages, replan
from site_builder.progress import Progress
from site_builder.publishing import (
    index_changes,
    publish,
    refuse_if_blocked,
    render_changes,
)
from site_builder.quick_edit import begin_store, dropped_on_failure, keep_store, quick_edit
from site_builder.render.assets import collect_assets
from site_builder.rendering import compile_templates, template_problem
from site_builder.report import BuildFailed, BuildReport
from site_builder.session import Session
from site_builder.site import Site
from site_builder.stages.discover import Discovered, discover
from site_builder.stages.parse import ParseSettings, parse_entries, settings_for
from site_builder.stages.parse_cache import ParseCache, Signature
from site_builder.stages.prepared_store import Location
from site_builder.stages.scan import scan_files
from site_builder.stages.unchanged import (
    LastBuild,
    inputs_digest,
    remember_build,
    unchanged_since,
)


def build(
    site: Site, progress: Progress | None = None, session: Session | None = None
) -> BuildReport:
    """Build `site.content` into `site.out`; the table of contents of the whole tool.

    A long-running caller (the dev server) passes its `session` (see session.py).
    """
    report = BuildReport()
    progress = progress or Progress.quiet()
    timer = _Timer(report)
    scan = None
    if session is None:
        with timer("check"):
            scan = scan_files(site.content.absolute())  # what discover finds, too
            inputs = inputs_digest(site, scan)
            last = unchanged_since(site, inputs.whole)
        if last is not None:
            return _as_last_time(site, last, report)
        with timer("edit"):
            if quick_edit(site, scan, inputs, report, progress):
                return report
    edited = _plan_edits(site, session, report, timer) if session else None
    context, plan = edited or _plan_whole(site, report, progress, session, timer, scan)
    draft = None
    if session is None:
        with timer("store"):
            draft = begin_store(site, context, plan, report)
        plan = dataclasses.replace(plan, memory=None)  # in the draft: not kept through the render
    with dropped_on_failure(draft):
        with timer("render"):
            changes = render_changes(site, context, plan, report, progress, session)
        with timer("search"):
            index_changes(site, plan, changes, report, session)
        with timer("write"):
            generation = publish(site, changes, report, session)
            if session is None:
                assert scan is not None and generation is not None
                keep_store(site, draft, plan, changes, (scan, inputs, generation))
                remember_build(
                    site, inputs.whole, report.cables, report.pages, report.shards, report.problems
                )
    return report


def _plan_whole(
    site: Site,
    report: BuildReport,
    progress: Progress,
    session: Session | None,
    timer: _Timer,
    scan: Mapping[str, Signature] | None,
) -> tuple[RenderContext, Plan]:
    """Discover (from the content's `scan`, if the check made one), parse, catalog and
    plan the whole site; a session remembers how."""
    if session:
        session.memory = None  # until this plan is whole
    with timer("discover"):
        found = discover(site, report.problems, scan)
    found_problems = len(report.problems)
    with timer("parse"):
        parsed = _parse(site, found, report, progress, session)
    parse_problems = len(report.problems)
    with collector_paused():  # they make hundreds of thousands of lasting objects
        with timer("catalog"):
            context = _catalog(site, found, parsed, report)
        with timer("plan"):
            plan = _plan(context, report)
    if session:
        compile_templates(context.environment)  # now, rather than on the first edit
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
    settings = settings_for(site, found)
    store = settings.store
    cold = session is None or session.records is None  # no build of this process yet
    cache = session.cache if session and not cold else ParseCache.load(site.parse_cache_file)
    if session is not None:
        session.cache = cache
    with collector_paused():
        with progress.stage("parse", len(found.files)) as step:
            for parsed in parse_entries(found.files, found.marks, settings, site.jobs, cache):
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
    assets = collect_assets(site.static_dirs, site.out if site.keep_asset_names else None)
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


def _plan(context: RenderContext, report: BuildReport) -> Plan:
    """Every page with its digest, and how each was made (for a session's edits, or the
    store a one-off edit plans from); a template that does not parse fails the build."""
    try:
        plan = plan_pages(context, report.problems, keep=True)
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


def _as_last_time(site: Site, last: LastBuild, report: BuildReport) -> BuildReport:
    """The report of a build that found nothing changed: what the last one found."""
    report.cables, report.pages, report.shards = last.cables, last.pages, last.shards
    report.problems = list(last.problems)
    refuse_if_blocked(site, None, report)
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
