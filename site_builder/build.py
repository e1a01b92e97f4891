"""`build()`: content in, site out, in timed stages.

    discover -> parse -> catalog -> plan -> render -> write

Parsing and rendering run over all cores. Every page is planned with a digest of its
inputs before anything is rendered; only pages whose digest changed are rendered, the
rest are carried over from the current site, and the new site replaces the old one in
one atomic step. A build that changes nothing writes nothing.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from site_builder.build_state import PageRecord, load_state, save_state
from site_builder.catalog import Entry, PeopleDirectory, build_catalog
from site_builder.editorial.annotations import Annotation, check_annotations, read_annotations
from site_builder.editorial.mentions import MentionIndex
from site_builder.editorial.people import CuratedPerson, read_people
from site_builder.model import Problem, Severity
from site_builder.output import OutputTree
from site_builder.pages.context import RenderContext, make_context
from site_builder.pages.job import PageJob, fingerprint
from site_builder.progress import Progress
from site_builder.render.assets import collect_assets
from site_builder.rendering import plan_pages, render_pages, template_problem
from site_builder.site import Site
from site_builder.stages.discover import cable_files, display_path
from site_builder.stages.parse import parse_entries
from site_builder.tables import Tables, load_tables


@dataclass
class BuildReport:
    """What a build did, for the closing summary line and for tests and benchmarks."""

    cables: int = 0
    pages: int = 0
    written: int = 0
    kept: int = 0
    removed: int = 0
    problems: list[Problem] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    published: bool = False

    def count(self, severity: Severity) -> int:
        return sum(p.severity is severity for p in self.problems)

    def summary(self) -> str:
        seconds = sum(self.timings.values())
        return (
            f"{self.cables:,} cables, {self.pages:,} pages, {self.count(Severity.WARNING):,} "
            f"warnings, {self.count(Severity.ERROR):,} errors in {seconds:.1f} s"
        )


class BuildFailed(Exception):
    """The site could not be built (nothing to build, a broken template...)."""

    def __init__(self, message: str, report: BuildReport) -> None:
        super().__init__(message)
        self.report = report


def build(site: Site, progress: Progress | None = None) -> BuildReport:
    """Build `site.content` into `site.out`; the table of contents of the whole tool."""
    report = BuildReport()
    progress = progress or Progress.quiet()
    timer = _Timer(report)
    with timer("discover"):
        found = _discover(site, report)
    with timer("parse"):
        entries = _parse(site, found, report, progress)
    with timer("catalog"):
        context = _catalog(site, found, entries, report)
    with timer("plan"):
        jobs = _plan(context, report)
    with timer("render"):
        tree, records = _render(site, context, jobs, report, progress)
    with timer("write"):
        _publish(site, tree, records, report)
    return report


@dataclass
class Discovered:
    """What the content holds before any cable is parsed: the cable files, the tables,
    the curated people and the annotations."""

    files: list[tuple[Path, str]]
    tables: Tables
    tables_digest: str
    people: list[CuratedPerson]
    annotations: dict[str, Annotation]


def _discover(site: Site, report: BuildReport) -> Discovered:
    folder = site.content / "cables"
    paths = cable_files([folder]) if folder.is_dir() else []
    tables, problems = load_tables(site.content / "data")
    report.problems.extend(problems)
    people, problems = read_people(site.content, tables)
    report.problems.extend(problems)
    annotations, problems = read_annotations(site.content)
    report.problems.extend(problems)
    digest = fingerprint(
        sorted(tables.tags.items()),
        sorted(tables.countries.items()),
        sorted(tables.posts.items()),
        sorted(tables.station_aliases.items()),
        tables.glossary,
    )
    files = [(path, display_path(path)) for path in paths]
    return Discovered(files, tables, digest, people, annotations)


def _parse(site: Site, found: Discovered, report: BuildReport, progress: Progress) -> list[Entry]:
    entries: list[Entry] = []
    index = MentionIndex.of(found.people)
    with progress.stage("parse", len(found.files)) as step:
        for parsed in parse_entries(found.files, site.jobs, index):
            report.problems.extend(parsed.problems)
            if parsed.entry is not None:
                entries.append(parsed.entry)
            step(1)
    return entries


def _catalog(
    site: Site, found: Discovered, entries: list[Entry], report: BuildReport
) -> RenderContext:
    directory = PeopleDirectory(found.people)
    catalog = build_catalog(entries, found.tables, directory, found.annotations)
    report.cables = len(catalog.entries)
    if not catalog.entries:
        raise BuildFailed(f"{site.content}/cables: no cable could be read", report)
    report.problems.extend(check_annotations(found.annotations, catalog))
    assets = collect_assets(site.static_dirs)
    return make_context(
        site, catalog, assets, found.tables_digest, found.annotations, MentionIndex.of(found.people)
    )


def _plan(context: RenderContext, report: BuildReport) -> list[PageJob]:
    """Every page with its digest; a template that does not parse fails the build here."""
    try:
        jobs = plan_pages(context, report.problems)
    except jinja2.TemplateError as error:
        problem = template_problem(error, None)
        report.problems.append(problem)
        raise BuildFailed(f"{problem} (the site was not changed)", report) from error
    report.pages = len(jobs)
    return jobs


def _render(
    site: Site, context: RenderContext, jobs: list[PageJob], report: BuildReport, progress: Progress
) -> tuple[OutputTree | None, dict[str, PageRecord]]:
    """Render the pages whose inputs changed into a new tree; None when nothing changed."""
    old = load_state(site.state_file)
    tree = OutputTree(site.out)
    clean = {
        job.file
        for job in jobs
        if old.get(job.file, PageRecord("")).digest == job.digest and (site.out / job.file).exists()
    }
    wanted = {job.file for job in jobs}
    stale = {name for name in old if name not in wanted and (site.out / name).exists()}
    records = {job.file: PageRecord(job.digest, job.inputs) for job in jobs}
    if len(clean) == len(jobs) and not stale:
        return None, records
    if site.strict and report.problems:
        return None, records  # the build fails; nothing is rendered
    tree.begin()
    dirty = [job for job in jobs if job.file not in clean]
    for name in sorted(clean):
        if not tree.keep(name):
            dirty.append(next(job for job in jobs if job.file == name))
    failures = render_pages(context, dirty, tree, site.jobs, report.problems, progress)
    if failures.templates:
        tree.abort()  # a broken template breaks every page it makes: keep the last good site
        raise BuildFailed(f"{failures.templates[0]} (the site was not changed)", report)
    for name in failures.pages:
        records.pop(name, None)
        tree.keep(name)
    report.written, report.kept = tree.written, tree.kept
    report.removed = len(stale)
    return tree, records


def _publish(
    site: Site, tree: OutputTree | None, records: dict[str, PageRecord], report: BuildReport
) -> None:
    if site.strict and report.problems:
        if tree is not None:
            tree.abort()
        raise BuildFailed("--strict: the content has problems; the site was not changed", report)
    if tree is not None:
        tree.commit()
        report.published = True
    save_state(site.state_file, records)


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
