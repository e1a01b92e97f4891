"""Plan every file of the site with a digest of what it shows, before anything is rendered.

Each planner (`pages/`) yields the jobs of one kind of page. Their digests are folded
here with two things that many pages share: the listings of the cables a page lists
(`Catalog.recording` notes which, so that a session can plan again only the pages that
list an edited cable: `replan`), and the static files every page links (kept out of
the digests the search shards follow, since the index never holds them: a stylesheet
edit re-renders pages but re-indexes nothing).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from site_builder.catalog import Entry
from site_builder.model import Problem, Severity
from site_builder.pages.cable import plan_cables
from site_builder.pages.content import plan_content, read_pages
from site_builder.pages.context import RenderContext
from site_builder.pages.feeds import plan_feeds, sitemap_paths
from site_builder.pages.indexes import plan_indexes
from site_builder.pages.job import PageJob, fingerprint
from site_builder.pages.lists import plan_lists
from site_builder.pages.people import plan_people
from site_builder.pages.redirects import plan_redirects
from site_builder.pages.search import plan_search_pages
from site_builder.search.shards import Shard, plan_shards


@dataclass(frozen=True, slots=True)
class Planned:
    """How a page's digest was made: its planner's digest (with the cables it listed
    standing for their listings) and the cables whose listings were folded in after."""

    base: str
    reads: tuple[str, ...]


@dataclass(frozen=True)
class Plan:
    """Every file of the new site, and the search shards that index its cable pages;
    for a session, how each digest was made (so that an edit plans only what it shows)."""

    jobs: list[PageJob]
    shards: list[Shard]
    memory: PlanMemory | None = None
    remade: list[PageJob] | None = None  # after `replan`: the jobs it made again


@dataclass
class PlanMemory:
    """What a session keeps of a plan: how each digest was made, what each page shows
    with the static files aside (`shown`), and which pages list each cable."""

    planned: dict[str, Planned]
    shown: dict[str, str]
    readers: dict[str, list[str]]


class Digests:
    """Makes the pages' digests from their planners' digests (see the module's text)."""

    def __init__(self, context: RenderContext, keep: bool) -> None:
        self.context = context
        self.look = context.assets.digest
        self.shown: dict[str, str] = {}
        self.planned: dict[str, Planned] | None = {} if keep else None

    def fold(self, jobs: Iterable[PageJob]) -> Iterator[PageJob]:
        """The jobs of a planner, each with the listings its digest read folded in."""
        source = iter(jobs)
        while True:
            with self.context.catalog.recording() as reads:
                job = next(source, None)
            if job is None:
                return
            if self.planned is not None:
                self.planned[job.file] = Planned(job.digest, tuple(e.canonical_id for e in reads))
            yield self.made(job, job.digest, self.context.catalog.listings(reads))

    def made(self, job: PageJob, base: str, listings: list[str]) -> PageJob:
        """The job with its digest: `base` with the `listings` it read, and the look."""
        shown = fingerprint(base, listings) if listings else base
        self.shown[job.file] = shown
        return job.with_digest(fingerprint(shown, self.look))

    def shards(self, jobs: list[PageJob]) -> tuple[list[Shard], list[PageJob]]:
        """The search shards, by what their cable pages show, and the search pages."""
        context = self.context
        if not context.site.search:
            return [], []
        shards = plan_shards(context.catalog.entries, self.shown, context.site.search_shard_size)
        context.memo["shards"] = shards
        return shards, list(self.fold(plan_search_pages(context, shards)))

    def memory(self) -> PlanMemory | None:
        if self.planned is None:
            return None
        readers: dict[str, list[str]] = {}
        for file, made in self.planned.items():
            for cable in set(made.reads):
                readers.setdefault(cable, []).append(file)
        return PlanMemory(self.planned, self.shown, readers)


def plan_pages(context: RenderContext, problems: list[Problem], keep: bool = False) -> Plan:
    """Every page and file of the site, each with the digest of its inputs; with `keep`,
    the plan remembers how each digest was made (see `replan`)."""
    pages, page_problems = read_pages(context.site.content, str(context.site.content))
    problems.extend(page_problems)
    context.memo["content_pages"] = {page.name: page for page in pages}
    digests = Digests(context, keep)
    jobs = [
        *digests.fold(plan_cables(context)),
        *digests.fold(plan_lists(context)),
        *digests.fold(plan_indexes(context)),
        *digests.fold(plan_people(context)),
        *digests.fold(plan_content(context, pages)),
    ]
    shards, search_pages = digests.shards(jobs)
    jobs.extend(search_pages)
    context.memo["sitemap_paths"] = sitemap_paths(context, jobs)
    jobs.extend(digests.fold(plan_feeds(context, jobs)))
    jobs.extend(digests.fold(plan_redirects(context, jobs)))
    jobs.extend(
        PageJob(asset.published, "asset", (name,), fingerprint(asset.data), (str(asset.source),))
        for name, asset in sorted(context.assets.files.items())
    )
    return Plan(_one_per_file(jobs, problems), shards, digests.memory())


def replan(context: RenderContext, plan: Plan, edited: Sequence[Entry]) -> Plan:
    """The plan after `edited` cables took the place of their last versions in the
    catalog (`Catalog.replace`): their own pages are planned again, the pages that listed
    them get their digests made again from how they were made, the shards follow."""
    memory = plan.memory
    assert memory is not None, "plan_pages(keep=True) made the plan"
    digests = Digests(context, keep=True)
    digests.planned, digests.shown = memory.planned, memory.shown
    again = {file for entry in edited for file in memory.readers.get(entry.canonical_id, ())}
    own = {job.file: job for job in digests.fold(plan_cables(context, edited))}
    jobs = []
    remade = []
    for job in plan.jobs:
        if job.file in own:
            job = own[job.file]
            remade.append(job)
        elif job.file in again:
            made = memory.planned[job.file]
            job = digests.made(job, made.base, context.catalog.listings_of(made.reads))
            remade.append(job)
        jobs.append(job)
    shards, search_pages = digests.shards(jobs)
    if search_pages:  # else a pass over every job for nothing (0.1 s at 251,287 cables)
        search = {job.file: job for job in search_pages}
        jobs = [search.get(job.file, job) for job in jobs]
    return Plan(jobs, shards, memory, remade + search_pages)


def _one_per_file(jobs: list[PageJob], problems: list[Problem]) -> list[PageJob]:
    """Two pages must never share a file: the first planned stands, the other is reported."""
    taken: dict[str, PageJob] = {}
    for job in jobs:
        first = taken.setdefault(job.file, job)
        if first is not job:
            source = job.inputs[0] if job.inputs else job.file
            problems.append(
                Problem(
                    source,
                    1,
                    Severity.ERROR,
                    f"{job.file} would also be made from {first.inputs[0]}: skipped",
                )
            )
    return list(taken.values())
