"""The view of one cable page: every value its template shows, worked out from the parsed
cable and the catalog (references resolved, who cites it, its neighbours, its tags'
meanings), so that the template only lays it out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup

from site_builder import urls
from site_builder.catalog import Catalog, Entry
from site_builder.editorial.annotations import Annotation, Source
from site_builder.editorial.mentions import MentionIndex
from site_builder.ids import canonical_id, is_safe_id
from site_builder.markdown import Links, render_markdown
from site_builder.model import BlockKind, Cable, Recipient
from site_builder.people import normalise_name
from site_builder.render.body import inline, render_text
from site_builder.render.marks import Linker, terms_in
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
class BlockView:
    kind: str  # paragraph, heading, text
    number: str | None
    marking: str | None
    html: Markup
    first_line: int
    anchor: str | None  # `par3`; None for a number the cable repeats (the first has it)
    in_summary: bool = False  # within the summary: it weighs more in search


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
    cable: Cable
    title_case: str
    post: Post | None
    post_url: str
    country: Country | None
    country_url: str | None
    classification_url: str
    tags: list[TagView]
    references: list[ReferenceView]
    cited_by: list[Entry]
    blocks: list[BlockView]
    original: str
    older: Entry | None
    newer: Entry | None
    recipients: list[Recipient]
    info_recipients: list[Recipient]
    classified_by: list[PersonLink]
    signers: list[PersonLink]
    notes: NotesView | None
    handling: list[Markup]  # instructions under the banner, jargon explained


def cable_view(
    cable: Cable,
    entry: Entry,
    catalog: Catalog,
    original: str,
    annotation: Annotation | None = None,
    people: MentionIndex | None = None,
    links: Links | None = None,
    url: Callable[[str], str] = str,
) -> CableView:
    """The view of `cable` (already parsed) as the catalog sees it, with its notes."""
    tables = catalog.tables
    references = _references(cable, catalog)
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
        cited_by=catalog.cited_by.get(entry.canonical_id, []),
        blocks=_blocks(cable, references, catalog, people or MentionIndex(), url),
        original=original,
        older=older,
        newer=newer,
        recipients=list(cable.recipients),
        info_recipients=list(cable.info_recipients),
        classified_by=[_person(name, catalog) for name in cable.classified_by],
        signers=[_person(name, catalog) for name in cable.signers],
        notes=_notes(annotation, links) if annotation else None,
        handling=_handling(cable, catalog),
    )


def _handling(cable: Cable, catalog: Catalog) -> list[Markup]:
    """The handling lines (`DEPT FOR G/TIP`), their jargon explained like the body's."""
    if not cable.handling:
        return []
    terms = terms_in("\n".join(cable.handling), catalog.tables)
    linker = Linker({}, None, lambda value: None, frozenset(), terms)
    return [inline(line, linker) for line in cable.handling]


def _person(name: str, catalog: Catalog) -> PersonLink:
    slug = catalog.directory.slug_for(name)
    person = catalog.people.get(slug)
    return PersonLink(person.name if person else normalise_name(name), urls.person(slug))


def _notes(annotation: Annotation, links: Links | None) -> NotesView:
    return NotesView(
        title=annotation.title,
        note=render_markdown(annotation.note, links) if annotation.note else Markup(""),
        paragraphs={p.number: render_markdown(p.text, links) for p in annotation.paragraphs},
        sources=list(annotation.sources),
    )


def _references(cable: Cable, catalog: Catalog) -> list[ReferenceView]:
    views: list[ReferenceView] = []
    for index, ref in enumerate(cable.references):
        anchor = f"ref-{ref.letter.lower()}" if ref.letter else f"ref-{index + 1}"
        if any(v.anchor == anchor for v in views):
            anchor = f"{anchor}-{index + 1}"
        cited = catalog.resolve(ref.id)
        views.append(ReferenceView(ref.letter, ref.text, ref.kind, anchor, ref.id, cited))
    return views


def _blocks(
    cable: Cable,
    references: list[ReferenceView],
    catalog: Catalog,
    people: MentionIndex,
    url: Callable[[str], str],
) -> list[BlockView]:
    """The body's blocks as HTML; every link they hold carries the base URL (`url`)."""
    targets: dict[str, str] = {}
    for ref in references:
        if ref.letter and ref.letter not in targets:
            targets[ref.letter] = url(ref.cited.url) if ref.cited else f"#{ref.anchor}"
    body_text = "\n".join(block.text for block in cable.body)
    single = None
    if len(references) == 1:
        only = references[0]
        single = url(only.cited.url) if only.cited else f"#{only.anchor}"
    linker = Linker(
        references=targets,
        single_reference=single,
        resolve_id=lambda value: _cable_url(value, catalog, url),
        paragraphs=frozenset(p.number for p in cable.paragraphs if p.number),
        terms=terms_in(body_text, catalog.tables),
        people=people.present(body_text),
        person_url=lambda slug: url(urls.person(slug)) if slug in catalog.people else None,
    )
    views: list[BlockView] = []
    anchored: set[str] = set()
    summary = cable.spans.get("summary")
    for block in cable.body:
        html = (
            inline(block.text, linker)
            if block.kind is BlockKind.HEADING
            else render_text(block.text, linker)
        )
        anchor = f"par{block.number}" if block.number else None
        if anchor in anchored:
            anchor = None
        elif anchor:
            anchored.add(anchor)
        in_summary = bool(summary and summary.start <= block.span.start <= summary.end)
        views.append(
            BlockView(
                block.kind.value,
                block.number,
                block.marking,
                html,
                block.span.start,
                anchor,
                in_summary,
            )
        )
    return views


def _cable_url(value: str, catalog: Catalog, url: Callable[[str], str]) -> str | None:
    if not is_safe_id(value):
        return None
    entry = catalog.resolve(canonical_id(value, catalog.tables))
    return url(entry.url) if entry else None
