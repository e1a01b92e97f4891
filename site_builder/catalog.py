"""The whole archive in memory: one compact `Entry` per cable, and the indexes the index
pages are drawn from (by tag, country, post, person, date, classification), with the
references resolved through canonical IDs and the reverse "cited by" graph.

An `Entry` holds what lists, links and indexes need, never the cable's text: the
parse workers make entries, and the main process keeps only those.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from site_builder import urls
from site_builder.editorial.people import CuratedPerson
from site_builder.ids import canonical_id
from site_builder.model import Cable, Mention, Problem, Severity
from site_builder.people import normalise_name
from site_builder.records import compact
from site_builder.tables import Tables, slugify

_OLDEST = datetime.min.replace(tzinfo=UTC)


@compact("letter", "kind")
@dataclass(frozen=True, slots=True)
class CitedRef:
    """A reference as the catalog keeps it (`id` is canonical, or None for non-cables)."""

    id: str | None
    letter: str | None
    kind: str
    text: str


@compact(
    "station",
    "post",
    "post_station",
    "country",
    "classification",
    "tags",
    "signers",
    "classified_by",
    "paragraphs",
)
@dataclass(frozen=True, slots=True)
class Entry:
    """One cable as the catalog keeps it: enough to list, link and index it."""

    reference_id: str
    canonical_id: str
    source: str  # the path problems are reported with
    digest: str  # of the file's bytes: a page is rebuilt when this changes
    url: str
    date: datetime | None
    station: str
    post: str
    post_station: str
    country: str | None
    classification: str
    tags: tuple[str, ...]
    subject: str
    references: tuple[CitedRef, ...]
    signers: tuple[str, ...]
    classified_by: tuple[str, ...]
    partial: bool
    paragraphs: tuple[str, ...]  # the numbers of its paragraphs, in order
    mentions: tuple[Mention, ...] = ()
    # A digest of what a list shows of this cable: a list page changes when it does.
    listing: str = ""
    id_line: int = 1  # the line its reference ID was read from

    @property
    def sort_key(self) -> tuple[datetime, str]:
        return (self.date or _OLDEST, self.reference_id)


def make_entry(cable: Cable, digest: str, mentions: tuple[Mention, ...] = ()) -> Entry | None:
    """The catalog's record of a parsed cable; None for a file with no reference ID."""
    if cable.reference_id is None or cable.canonical_id is None:
        return None
    url = urls.cable(cable.reference_id, cable.date)
    post = cable.post or cable.station or ""
    classification = cable.classification or "UNKNOWN"
    subject = cable.subject or "(no subject)"
    shown = (url, cable.reference_id, cable.date, post, classification, subject)
    return Entry(
        reference_id=cable.reference_id,
        canonical_id=cable.canonical_id,
        source=cable.source,
        digest=digest,
        url=url,
        date=cable.date,
        station=cable.station or "",
        post=post,
        post_station=cable.post_station or cable.station or "",
        country=cable.country,
        classification=classification,
        tags=cable.tags,
        subject=subject,
        references=tuple(CitedRef(r.id, r.letter, r.kind, r.text) for r in cable.references),
        signers=cable.signers,
        classified_by=cable.classified_by,
        partial=cable.partial,
        paragraphs=tuple(p.number for p in cable.paragraphs if p.number),
        mentions=mentions,
        listing=hashlib.blake2b(repr(shown).encode(), digest_size=8).hexdigest(),
        id_line=cable.first_line("reference_id"),
    )


def duplicate_id(source: str, line: int, reference_id: str, first_source: str) -> Problem:
    """A file whose reference ID an earlier file (in file order) holds: the first stands."""
    message = f"duplicate reference ID {reference_id}: also in {first_source}"
    return Problem(source, line, Severity.ERROR, message)


@dataclass(frozen=True, slots=True)
class Person:
    """Someone of the archive: curated (written about in `content/people/`) or found
    automatically as a signer or classifier; with the cables they signed, classified
    and appear in (each mention with its paragraph and sentence)."""

    slug: str
    name: str
    curated: CuratedPerson | None = None
    signed: Sequence[Entry] = ()
    classified: Sequence[Entry] = ()
    mentioned: Sequence[tuple[Entry, Mention]] = ()

    def replacing(self, old: Entry, new: Entry) -> Person:
        """This person with `new` wherever `old` was."""

        def swap(entries: Sequence[Entry]) -> tuple[Entry, ...]:
            return tuple(new if e is old else e for e in entries)

        mentioned = tuple((new if e is old else e, m) for e, m in self.mentioned)
        return replace(
            self, signed=swap(self.signed), classified=swap(self.classified), mentioned=mentioned
        )

    @property
    def cables(self) -> int:
        """How many cables this person signed, classified or appears in."""
        ids = {e.canonical_id for e in (*self.signed, *self.classified)}
        ids.update(entry.canonical_id for entry, _ in self.mentioned)
        return len(ids)


def person_slug(name: str) -> str:
    """The URL slug of a name as a cable writes it."""
    return slugify(normalise_name(name)) or "unnamed"


class PeopleDirectory:
    """Curated people, and which of them a signer or classifier's name stands for.

    A signed surname (`DERHAM`) or a classifier's name matches a curated person whose
    name or alias is that name, in any case; a name two people share matches neither.
    """

    def __init__(self, people: Sequence[CuratedPerson]) -> None:
        self.people = {person.slug: person for person in people}
        owners: dict[str, set[str]] = {}
        for person in people:
            for name in person.names:
                owners.setdefault(normalise_name(name).lower(), set()).add(person.slug)
        self._by_name = {name: next(iter(s)) for name, s in owners.items() if len(s) == 1}
        self._slugs: dict[str, str] = {}  # answers so far: an archive repeats its signers

    def slug_for(self, name: str) -> str:
        """The curated person a cable's name stands for, else a slug of its own."""
        slug = self._slugs.get(name)
        if slug is None:
            slug = self._by_name.get(normalise_name(name).lower()) or person_slug(name)
            self._slugs[name] = slug
        return slug


@dataclass
class Catalog:
    """The archive's cables, newest first, and every index over them.

    Pages only read it, through these mappings and sequences: built in memory they are
    dicts and lists (`build_catalog`); a one-off edit reads them from the store the last
    build left (`stages/catalog_store.py`), only as far as its pages look.
    """

    tables: Tables
    entries: Sequence[Entry] = ()
    by_id: Mapping[str, Entry] = field(default_factory=dict)
    by_tag: Mapping[str, Sequence[Entry]] = field(default_factory=dict)
    by_country: Mapping[str, Sequence[Entry]] = field(default_factory=dict)
    by_post: Mapping[str, Sequence[Entry]] = field(default_factory=dict)  # by the post's slug
    by_year: Mapping[int, Sequence[Entry]] = field(default_factory=dict)
    by_month: Mapping[tuple[int, int], Sequence[Entry]] = field(default_factory=dict)
    by_classification: Mapping[str, Sequence[Entry]] = field(default_factory=dict)
    cited_by: Mapping[str, Sequence[Entry]] = field(default_factory=dict)
    people: Mapping[str, Person] = field(default_factory=dict)
    annotated: frozenset[str] = frozenset()  # canonical IDs of the cables with notes
    duplicates: list[Problem] = field(default_factory=list)  # files left out: ID taken
    directory: PeopleDirectory = field(default_factory=lambda: PeopleDirectory([]))
    post_rank: Mapping[str, int] = field(default_factory=dict)  # place in its post's list
    # While pages are planned: the cables whose listing a digest took (see `recording`).
    _reads: list[Entry] | None = None

    def resolve(self, canonical_id: str | None) -> Entry | None:
        """The archive's cable for a reference, if the archive holds it."""
        return self.by_id.get(canonical_id) if canonical_id else None

    def listing(self, entry: Entry) -> str:
        """What a list shows of a cable (`Entry.listing`), and whether it has notes.

        While `recording`, the cable's ID stands in for it and the read is noted: a page's
        digest is then its planner's digest with the listings it read folded in after
        (`folded`), so that an edit that changes one listing finds the pages to plan again.
        """
        return self.listings((entry,))[0]

    def listings(self, entries: Iterable[Entry]) -> list[str]:
        """`listing` of each cable, in one call: a list page's digest reads a hundred, and
        a page of the release's lists is planned 35,000 times."""
        if self._reads is not None:
            entries = list(entries)
            self._reads.extend(entries)
            return [entry.canonical_id for entry in entries]
        annotated = self.annotated
        return [e.listing + "+notes" if e.canonical_id in annotated else e.listing for e in entries]

    @contextmanager
    def recording(self) -> Iterator[list[Entry]]:
        """Note the cables whose listings are read until the end of the block, in the
        list given."""
        reads: list[Entry] = []
        self._reads = reads
        try:
            yield reads
        finally:
            self._reads = None

    def listings_of(self, ids: Iterable[str]) -> list[str]:
        """The listings of cables by ID, as `listing` gives them outside `recording`."""
        by_id = self.by_id
        return self.listings([by_id[i] for i in ids])

    def replace(self, old: Entry, new: Entry) -> None:
        """Put `new` where `old` stands in every index: an edit that leaves the cable where
        it was (same ID, date, tags, people...: see `same_place`). Only a catalog built in
        memory (`build_catalog`: dicts and lists) takes edits."""
        assert same_place(old, new) and self.by_id[old.canonical_id] is old
        assert isinstance(self.by_id, dict) and isinstance(self.people, dict)
        self.by_id[new.canonical_id] = new
        _swap(self.entries, old, new)
        for name, key in memberships(self.tables, old):
            index = getattr(self, name)
            if key in index:
                _swap(index[key], old, new)
        slugs = {self.directory.slug_for(n) for n in (*old.signers, *old.classified_by)}
        slugs.update(mention.slug for mention in old.mentions)
        for slug in slugs & self.people.keys():
            self.people[slug] = self.people[slug].replacing(old, new)

    def post_slug(self, station: str) -> str:
        """The slug of a post's page: its table slug, else the station in lower case."""
        return post_slug(self.tables, station)

    def neighbours(self, entry: Entry) -> tuple[Entry | None, Entry | None]:
        """The previous (older) and next (newer) cable of the same post."""
        cables = self.by_post.get(self.post_slug(entry.post_station), [])
        at = self.post_rank.get(entry.canonical_id, -1)
        older = cables[at + 1] if 0 <= at < len(cables) - 1 else None
        newer = cables[at - 1] if at > 0 else None
        return older, newer


def newest_first(entries: Iterable[Entry]) -> list[Entry]:
    """Newest first; cables of the same date (or of no date, last) by reference ID."""
    by_id = sorted(entries, key=lambda e: e.reference_id)
    return sorted(by_id, key=lambda e: e.sort_key[0], reverse=True)


def post_slug(tables: Tables, station: str) -> str:
    """The slug of a post's page: its table slug, else the station in lower case."""
    post = tables.posts.get(station)
    return post.slug if post else station.lower()


# The catalog's indexes that `memberships` names, each a dict of lists when built.
INDEXES = (
    "by_tag",
    "by_country",
    "by_post",
    "by_year",
    "by_month",
    "by_classification",
    "cited_by",
)


def build_catalog(
    entries: Iterable[Entry],
    tables: Tables,
    directory: PeopleDirectory | None = None,
    annotated: Iterable[str] = (),
) -> Catalog:
    """Index every entry; entries come in any order, lists come out newest first.

    Of two files with one reference ID, the first (in file order) stands; the other is
    left out and recorded in `duplicates`.
    """
    unique: dict[str, Entry] = {}
    duplicates = []
    for entry in entries:
        first = unique.setdefault(entry.canonical_id, entry)
        if first is not entry:
            duplicates.append(
                duplicate_id(entry.source, entry.id_line, entry.reference_id, first.source)
            )
    ordered = newest_first(unique.values())
    by_id = {entry.canonical_id: entry for entry in ordered}
    indexes: dict[str, dict[Any, list[Entry]]] = {name: {} for name in INDEXES}
    for entry in ordered:
        for name, key in memberships(tables, entry):
            indexes[name].setdefault(key, []).append(entry)
    indexes["cited_by"] = {k: v for k, v in indexes["cited_by"].items() if k in by_id}
    directory = directory or PeopleDirectory([])
    post_rank: dict[str, int] = {}
    for cables in indexes["by_post"].values():
        post_rank.update((e.canonical_id, rank) for rank, e in enumerate(cables))
    notes = (canonical_id(i, tables) for i in annotated)
    return Catalog(
        tables,
        ordered,
        by_id,
        by_tag=indexes["by_tag"],
        by_country=indexes["by_country"],
        by_post=indexes["by_post"],
        by_year=indexes["by_year"],
        by_month=indexes["by_month"],
        by_classification=indexes["by_classification"],
        cited_by=indexes["cited_by"],
        people=_people(ordered, directory),
        annotated=frozenset(canonical for canonical in notes if canonical in by_id),
        duplicates=duplicates,
        directory=directory,
        post_rank=post_rank,
    )


def memberships(tables: Tables, entry: Entry) -> Iterator[tuple[str, Any]]:
    """Every index an entry belongs in (its name in `INDEXES`), with its key there."""
    for tag in entry.tags:
        yield "by_tag", tag
    countries = {entry.country} if entry.country else set()
    countries.update(t for t in entry.tags if tables.tag_info(t).kind == "country")
    for code in sorted(c for c in countries if c in tables.countries):
        yield "by_country", code
    # One post may send under two stations (KIEV, KYIV): its slug joins them.
    yield "by_post", post_slug(tables, entry.post_station)
    if entry.date is not None:
        yield "by_year", entry.date.year
        yield "by_month", (entry.date.year, entry.date.month)
    yield "by_classification", entry.classification
    for cited in dict.fromkeys(r.id for r in entry.references if r.id):
        yield "cited_by", cited


def _swap(entries: Sequence[Entry], old: Entry, new: Entry) -> None:
    """Replace `old` (the very object) in a list."""
    assert isinstance(entries, list)
    for position, entry in enumerate(entries):
        if entry is old:
            entries[position] = new
            return


def same_place(old: Entry, new: Entry) -> bool:
    """Whether an edit leaves a cable where it was in every index and on every page but
    its own: all but its bytes' digest and its subject (which only its listing shows)."""
    return replace(old, digest="", subject="", listing="") == replace(
        new, digest="", subject="", listing=""
    )


def _people(entries: Sequence[Entry], directory: PeopleDirectory) -> dict[str, Person]:
    """Everyone: curated people, signers and classifiers, with the cables of each role."""
    names = {slug: person.name for slug, person in directory.people.items()}
    roles: dict[str, dict[str, list[Entry]]] = {"signed": {}, "classified": {}}
    mentioned: dict[str, list[tuple[Entry, Mention]]] = {}
    for entry in entries:
        for role, people in (("signed", entry.signers), ("classified", entry.classified_by)):
            for name in people:
                slug = directory.slug_for(name)
                names.setdefault(slug, normalise_name(name))
                roles[role].setdefault(slug, []).append(entry)
        for mention in entry.mentions:
            if mention.slug in directory.people:
                mentioned.setdefault(mention.slug, []).append((entry, mention))
    return {
        slug: Person(
            slug,
            names[slug],
            directory.people.get(slug),
            tuple(roles["signed"].get(slug, ())),
            tuple(roles["classified"].get(slug, ())),
            tuple(mentioned.get(slug, ())),
        )
        for slug in sorted(names)
    }
