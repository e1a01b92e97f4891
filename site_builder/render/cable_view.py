"""The view of one cable page: every value its template shows, from the page's own part
(prepared when its file was parsed, render/prepared.py) and the catalog (references
resolved, who cites it, its neighbours, its people, its tags' meanings), so that the
template only lays it out.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup

from site_builder import urls
from site_builder.catalog import Catalog, CitedRef, Entry
from site_builder.editorial.annotations import Annotation, Source
from site_builder.markdown import Links, render_markdown
from site_builder.people import normalise_name
from site_builder.render.prepared import BlockView, PreparedCable, fill_links
from site_builder.tables import Country, Post, TagInfo
from site_builder.titles import titlefy


@dataclass(frozen=True)
class TagView:
    info: TagInfo
    url: str


@dataclass(frozen=True)
class ReferenceView:
    """One REF item: a cable of the archive (linked), one it lacks, or another document."""

    letter: str | None
    text: str
    kind: str
    anchor: str
    id: str | None
    cited: Entry | None


@dataclass(frozen=True)
class PersonLink:
    name: str
    url: str


@dataclass(frozen=True)
class NotesView:
    """An annotation as the page shows it: the note on the whole cable, the notes by
    paragraph number, and the sources."""

    title: str | None
    note: Markup
    paragraphs: dict[str, Markup]
    sources: list[Source]


@dataclass(frozen=True)
class CableView:
    """What `cable.html` is given."""

    entry: Entry
    cable: PreparedCable
    title_case: str
    post: Post | None
    post_url: str
    country: Country | None
    country_url: str | None
    classification_url: str
    tags: list[TagView]
    references: list[ReferenceView]
    cited_by: Sequence[Entry]
    blocks: list[BlockView]
    older: Entry | None
    newer: Entry | None
    classified_by: list[PersonLink]
    signers: list[PersonLink]
    notes: NotesView | None


def cable_view(
    cable: PreparedCable,
    entry: Entry,
    catalog: Catalog,
    links: Links,
    url: Callable[[str], str],
    annotation: Annotation | None = None,
) -> CableView:
    """The view of a cable's page, its own part `cable` completed from the catalog, with
    its notes; `links` says where an ID or a person's slug leads, `url` puts a site path
    under the base URL."""
    tables = catalog.tables
    references = _references(entry.references, catalog)
    older, newer = catalog.neighbours(entry)
    post = tables.posts.get(entry.post_station)
    country_code = entry.country or (post.country if post else None)
    country = tables.countries.get(country_code) if country_code else None
    return CableView(
        entry=entry,
        cable=cable,
        title_case=titlefy(entry.subject),
        post=post,
        post_url=urls.origin(catalog.post_slug(entry.post_station)),
        country=country,
        country_url=urls.country(country.slug) if country else None,
        classification_url=urls.classification(entry.classification),
        tags=[TagView(tables.tag_info(code), urls.tag(code)) for code in entry.tags],
        references=references,
        cited_by=catalog.cited_by.get(entry.canonical_id, ()),
        blocks=_blocks(cable, references, links, url),
        older=older,
        newer=newer,
        classified_by=[_person(name, catalog) for name in entry.classified_by],
        signers=[_person(name, catalog) for name in entry.signers],
        notes=_notes(annotation, links) if annotation else None,
    )


def _person(name: str, catalog: Catalog) -> PersonLink:
    slug = catalog.directory.slug_for(name)
    person = catalog.people.get(slug)
    return PersonLink(person.name if person else normalise_name(name), urls.person(slug))


def _notes(annotation: Annotation, links: Links) -> NotesView:
    return NotesView(
        title=annotation.title,
        note=render_markdown(annotation.note, links) if annotation.note else Markup(""),
        paragraphs={p.number: render_markdown(p.text, links) for p in annotation.paragraphs},
        sources=list(annotation.sources),
    )


def _references(cited: tuple[CitedRef, ...], catalog: Catalog) -> list[ReferenceView]:
    views: list[ReferenceView] = []
    for index, ref in enumerate(cited):
        anchor = f"ref-{ref.letter.lower()}" if ref.letter else f"ref-{index + 1}"
        if any(v.anchor == anchor for v in views):
            anchor = f"{anchor}-{index + 1}"
        found = catalog.resolve(ref.id)
        views.append(ReferenceView(ref.letter, ref.text, ref.kind, anchor, ref.id, found))
    return views


def _blocks(
    cable: PreparedCable,
    references: list[ReferenceView],
    links: Links,
    url: Callable[[str], str],
) -> list[BlockView]:
    """The body's blocks with their links to other cables made: `Ref A` to the cited
    cable (or its entry on this page), reference IDs the archive holds to their pages."""
    targets: dict[str, str] = {}
    for ref in references:
        if ref.letter and ref.letter not in targets:
            targets[ref.letter] = url(ref.cited.url) if ref.cited else f"#{ref.anchor}"
    single = None
    if len(references) == 1:
        only = references[0]
        single = url(only.cited.url) if only.cited else f"#{only.anchor}"
    return fill_links(cable.blocks, targets, single, links.cable)
