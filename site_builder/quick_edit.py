"""A one-off build after a few cables were edited: their pages, from the store.

The dev server keeps the catalog and the plan in memory between edits; a one-off build
has neither, and making them again costs tens of seconds at the size of the release.
When the last whole build left its store (stages/catalog_store.py) and the site is as
that build left it, a build that finds only a few cable files edited (each keeping its
cable where it was: same ID, date, tags, references, people, problems:
`catalog.same_place`) parses those files, plans their own pages and the pages that
listed them from the store (`stored_catalog`), renders what changed into the site in
place, indexes the search shards that hold them, and appends the pages' records to the
state's log. Anything else (another file changed, added or removed, a template, the
settings, the output touched) returns None: the whole build runs, and writes the store
again (`keep_store`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from itertools import compress
from operator import ne
from pathlib import Path

from site_builder.build_state import PageRecord, append_line, log_line, note_changing, settled
from site_builder.catalog import Entry, PeopleDirectory, same_place
from site_builder.model import Problem
from site_builder.output import InPlaceTree
from site_builder.pages.cable import plan_cables
from site_builder.pages.context import RenderContext, make_context
from site_builder.pages.job import PageJob, fingerprint
from site_builder.planning import Digests, Plan
from site_builder.progress import Progress
from site_builder.publishing import Changes, index_changes, refuse_if_blocked
from site_builder.render.assets import collect_assets
from site_builder.rendering import render_pages
from site_builder.report import BuildReport
from site_builder.search.shards import Shard
from site_builder.site import Site
from site_builder.stages.catalog_store import (
    BuildFacts,
    Store,
    discard_store,
    draft_store,
    finish_store,
    store_file,
)
from site_builder.stages.discover import Discovered, cables_in, discover_only
from site_builder.stages.parse import ParsedFile, ParseSettings, parse_one, settings_for
from site_builder.stages.parse_cache import Signature
from site_builder.stages.stored_catalog import stored_catalog
from site_builder.stages.unchanged import (
    Inputs,
    LastBuild,
    forget_last_build,
    load_last_build,
    mark_outputs,
    names_digest,
    outputs_unchanged,
    save_last_build,
)

MOST_FILES = 20  # edited cable files a one-off build takes from the store at most
_KINDS = frozenset({"cable", "list", "person", "mentions"})  # pages it makes again


@dataclass
class _Edit:
    """What an edit changes: the facts of the build it makes (the cable files'
    signatures now), the context, the edited entries, the jobs whose digests changed,
    and the shards to index."""

    facts: BuildFacts
    context: RenderContext
    edited: list[tuple[Entry, ParsedFile]]
    jobs: list[PageJob]
    shown: dict[str, str]  # what each job's page shows, the static files aside
    shards: list[Shard]


def quick_edit(
    site: Site,
    scan: Mapping[str, Signature],
    inputs: Inputs,
    report: BuildReport,
    progress: Progress,
) -> bool:
    """Publish the edits of a few cables from the store, if they allow it (see the
    module's text); False, with nothing changed, when the whole build must run."""
    last = load_last_build(site)
    store = Store.open(store_file(site), last.inputs) if last else None
    if last is None or store is None:
        return False
    try:
        new_places = _edit(site, scan, inputs, last, store, report, progress)
    finally:
        store.db.close()
    if new_places is None:
        return False
    outputs = mark_outputs(site.out, None if new_places else last.outputs, report.changed)
    save_last_build(site, replace(last, inputs=inputs.whole, outputs=outputs))
    return True


def _edit(
    site: Site,
    scan: Mapping[str, Signature],
    inputs: Inputs,
    last: LastBuild,
    store: Store,
    report: BuildReport,
    progress: Progress,
) -> bool | None:
    """Plan, publish and remember the edit in one transaction of the store; whether
    the site has files or folders it had not, or None when the whole build must run."""
    with store.db:
        edit = _plan(site, scan, inputs, last, store)
        if edit is None:
            return None
        records = {job.file: PageRecord(job.digest, job.inputs) for job in edit.jobs}
        shards = edit.shards
        records.update((s.path + "/", PageRecord(s.digest, (f"search:{s.path}",))) for s in shards)
        line = log_line(site.state_file, edit.facts.generation, records)
        if line is None:
            return None
        report.problems = list(last.problems)
        report.cables, report.pages, report.shards = last.cables, last.pages, last.shards
        refuse_if_blocked(site, None, report)
        new_places = _publish(site, edit, records, report, progress)
        if new_places is None:
            report.problems = []
            return None
        append_line(site.state_file, line)
        settled(site.state_file)
        _remember(store, edit, inputs.whole)
    return new_places


def _plan(
    site: Site, scan: Mapping[str, Signature], inputs: Inputs, last: LastBuild, store: Store
) -> _Edit | None:
    """The pages an edit changes, if the store can plan them; else None."""
    facts = store.facts()
    changed = _changed_cables(site, scan, inputs, facts)
    if not changed or not outputs_unchanged(site.out, last.outputs):
        return None
    found = discover_only(site, [], changed, scan)
    settings = settings_for(site, found)
    edited = _parse(found, changed, settings, store)
    if edited is None:
        return None
    directory = PeopleDirectory(found.people)
    catalog = stored_catalog(store, found.tables, directory, (new for _, new, _ in edited))
    assets = collect_assets(site.static_dirs, None)
    locations = {new.source: parsed.prepared for _, new, parsed in edited if parsed.prepared}
    context = make_context(
        site,
        catalog,
        assets,
        found.tables_digest,
        found.annotations,
        settings.mentions,
        settings.store,
        locations,
    )
    marks = list(scan.values())  # each file's signature now
    return _replan(store, replace(facts, marks=marks), context, edited)


def _changed_cables(
    site: Site, scan: Mapping[str, Signature], inputs: Inputs, facts: BuildFacts
) -> list[str]:
    """The cable files changed since the store's build, when nothing else changed and
    they are few; else none. The content's files are compared as the scans list them
    (the same order every time), by C loops: a quarter of a million in milliseconds."""
    if facts.others != inputs.others or names_digest(scan) != facts.names:
        return []  # another input changed, or a file was added, removed or renamed
    changed = list(compress(scan, map(ne, scan.values(), facts.marks)))
    cables = cables_in(changed, str(site.content.absolute() / "cables"))
    return cables if len(cables) == len(changed) <= MOST_FILES else []


def _parse(
    found: Discovered, changed: list[str], settings: ParseSettings, store: Store
) -> list[tuple[Entry, Entry, ParsedFile]] | None:
    """Each edited file's new entry and parse, if each leaves its cable in place."""
    shown = dict(found.files)
    edited = []
    for path in changed:
        parsed = parse_one(path, shown[path], settings)
        row = store.row_of(shown[path])
        if row is None or parsed.entry is None:
            return None  # a file the catalog left out (a duplicate), or no longer a cable
        old, _, problems = row
        if not same_place(old, parsed.entry) or list(parsed.problems) != problems:
            return None
        edited.append((old, parsed.entry, parsed))
    settings.store.flush()
    return edited


def _replan(
    store: Store,
    facts: BuildFacts,
    context: RenderContext,
    edited: list[tuple[Entry, Entry, ParsedFile]],
) -> _Edit | None:
    """Plan the edited cables' pages, and the pages that listed them if what a list
    shows of them changed; keep the jobs whose digests changed, and the shards."""
    digests = Digests(context, keep=True)
    own = list(digests.fold(plan_cables(context, [new for _, new, _ in edited])))
    readers = {
        file
        for old, new, _ in edited
        if old.listing != new.listing
        for file in store.readers(new.canonical_id)
    }
    stored = store.pages([*(job.file for job in own), *readers])
    jobs = [
        job for job in own if job.file not in stored or stored[job.file][0].digest != job.digest
    ]
    for file in sorted(readers - {job.file for job in own}):
        if file not in stored:
            return None
        job, base, reads, _ = stored[file]
        if job.kind not in _KINDS:
            return None  # an overview page or the feed: drawn from the whole catalog
        made = digests.made(job, base, context.catalog.listings_of(reads))
        if made.digest != job.digest:
            jobs.append(made)
    cables = (job.inputs[0] for job in jobs if job.kind == "cable")
    context.prepared.update(store.locations(c for c in cables if c not in context.prepared))
    shown = {job.file: digests.shown[job.file] for job in jobs}
    shards = _shards(store, facts, shown) if context.site.search else []
    return _Edit(facts, context, [(new, parsed) for _, new, parsed in edited], jobs, shown, shards)


def _shards(store: Store, facts: BuildFacts, shown: dict[str, str]) -> list[Shard]:
    """The search shards holding pages that now show something else, with new digests."""
    changed = []
    for shard in facts.shards:
        if shown.keys().isdisjoint(shard.files):
            continue
        stored = store.shown_of(shard.files)
        now = [shown.get(file, was) for file, was in zip(shard.files, stored, strict=True)]
        digest = fingerprint(shard.path, now)
        if digest != shard.digest:
            changed.append(replace(shard, digest=digest))
    return changed


def _publish(
    site: Site, edit: _Edit, records: dict[str, PageRecord], report: BuildReport, progress: Progress
) -> bool | None:
    """Render the changed pages, index the changed shards, and move them into the site;
    whether a file or folder the site did not have is among them (a shard's index is a
    new folder). None, with nothing changed, when a page fails to render."""
    tree = InPlaceTree(site.out)
    tree.begin()
    failures = render_pages(edit.context, edit.jobs, tree, 1, report.problems, progress)
    if failures.pages:
        tree.abort()  # the whole build makes them again, and reports what fails as usual
        return None
    forget_last_build(site)  # until the site is whole again
    note_changing(site.state_file, records)
    dirty = set(records)
    index_changes(
        site, Plan([], edit.shards), Changes(tree, records, dirty, set(), {}), report, None
    )
    new_places = bool(edit.shards) or any(not (site.out / name).exists() for name in tree.changed)
    tree.commit()
    report.published = True
    report.changed = tree.changed
    report.written, report.kept = tree.written, tree.kept
    return new_places


def _remember(store: Store, edit: _Edit, inputs: str) -> None:
    """Bring the store up to date with what the edit changed."""
    indexed = {shard.path: shard for shard in edit.shards}
    shards = [indexed.get(shard.path, shard) for shard in edit.facts.shards]
    store.update(
        [(new, parsed.prepared, list(parsed.problems)) for new, parsed in edit.edited],
        [(job, edit.shown[job.file]) for job in edit.jobs],
        replace(edit.facts, inputs=inputs, shards=shards),
    )


def begin_store(site: Site, context: RenderContext, plan: Plan, report: BuildReport) -> Path | None:
    """Draft the store a one-off edit plans from: the catalog and the plan of a whole
    build, with each file's problems (`catalog_store.draft_store`). A store that cannot
    be written (a full disk) is left out: the next edit builds whole, and the build
    meets the disk's limit where it writes the site, and says so there."""
    assert plan.memory is not None, "a one-off build keeps how it planned"
    catalog = context.catalog
    sources = {entry.source for entry in catalog.entries}
    problems: dict[str, list[Problem]] = {}
    for problem in report.problems:
        if problem.path in sources:
            problems.setdefault(problem.path, []).append(problem)
    try:
        return draft_store(site, catalog, plan.memory, plan.jobs, context.prepared, problems)
    except (sqlite3.Error, OSError):
        discard_store(site)
        return None


@contextmanager
def dropped_on_failure(draft: Path | None) -> Iterator[None]:
    """Remove the `draft` store if the build fails or is stopped before it is put in
    place: the site was not changed, so the last build's store still tells what it is made
    from, and the draft (as large as the store) would otherwise wait on the disk for the
    next whole build."""
    try:
        yield
    except BaseException:
        if draft is not None:
            draft.unlink(missing_ok=True)
        raise


def keep_store(
    site: Site,
    draft: Path | None,
    plan: Plan,
    changes: Changes,
    made: tuple[Mapping[str, Signature], Inputs, str],
) -> None:
    """Put the drafted store in place, with what the build was `made` from (the
    content's scan, the digest of its inputs, the state's generation). A site with
    pages the build could not make has none: the next build must try them again, and
    only a whole build does."""
    scan, inputs, generation = made
    if draft is None or any(job.file not in changes.records for job in plan.jobs):
        discard_store(site)
        return
    facts = BuildFacts(
        inputs.whole,
        inputs.others,
        names_digest(scan),
        list(scan.values()),
        generation,
        plan.shards,
    )
    finish_store(site, draft, facts)
