"""People pages: `/people/` (everyone, with counts, by country) and `/person/<slug>/`
(who they are, and the cables they signed, classified or appear in, each mention with
its sentence, linked to its paragraph).

A person's page shows a list page's worth of each role, newest first: the Secretary of
State signs thousands of cables of the release, which on one page would run to
megabytes. A longer role has its own paginated list, linked from the page: signed and
classified cables are lists like a tag's (lists.py); the paragraphs naming a person
have pages of their own here (`/person/<slug>/named/`), each with its sentence."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from markupsafe import Markup

from site_builder import urls
from site_builder.catalog import Catalog, Entry, Person
from site_builder.markdown import render_markdown
from site_builder.model import Mention
from site_builder.pages.context import RenderContext
from site_builder.pages.job import PageJob, fingerprint
from site_builder.pages.lists import page_count, page_of, pagination

_CABLE_ID = re.compile(r"\b\d{2}[A-Z]{2,20}\d{1,7}\b")
ELSEWHERE = "Country not known"
MENTIONS_TEMPLATE = "mentions.html"


@dataclass(frozen=True)
class PersonItem:
    """A person on `/people/`."""

    name: str
    url: str
    count: int
    note: str
    curated: bool


def country_of(person: Person, catalog: Catalog) -> str:
    """The country a person is filed under: their own, else that of most of their cables."""
    if person.curated and person.curated.country:
        return catalog.tables.countries[person.curated.country].name
    counts = Counter(
        entry.country
        for entry in (*person.signed, *person.classified)
        if entry.country in catalog.tables.countries
    )
    if not counts:
        return ELSEWHERE
    code = sorted(counts.items(), key=lambda item: (-item[1], item[0] or ""))[0][0]
    return catalog.tables.countries[code or ""].name


def people_by_country(catalog: Catalog) -> list[tuple[str, list[PersonItem]]]:
    """Everyone, grouped by country (A to Z, unknown last), each group by name."""
    groups: dict[str, list[PersonItem]] = {}
    for person in catalog.people.values():
        role = person.curated.role if person.curated else "found in the cables"
        item = PersonItem(
            person.name, urls.person(person.slug), person.cables, role, person.curated is not None
        )
        groups.setdefault(country_of(person, catalog), []).append(item)
    ordered = sorted(groups, key=lambda name: (name == ELSEWHERE, name))
    return [(name, sorted(groups[name], key=lambda p: (p.name.lower(), p.url))) for name in ordered]


def person_values(context: RenderContext, person: Person) -> dict[str, object]:
    """What `person.html` shows."""
    body = person.curated.body if person.curated else ""
    return {
        "person": person,
        "about": render_markdown(body, context.links) if body.strip() else Markup(""),
        "country": country_of(person, context.catalog),
        "signed": page_of(person.signed, 1),
        "classified": page_of(person.classified, 1),
        "mentioned": page_of(person.mentioned, 1),
        "more": _longer_roles(person),
    }


def _longer_roles(person: Person) -> dict[str, str]:
    """The roles with more cables than a person's page shows, and the URL of each list."""
    counts = {
        "signed": len(person.signed),
        "classified": len(person.classified),
        "named": len(person.mentioned),
    }
    return {
        role: urls.person_role(person.slug, role)
        for role, count in counts.items()
        if page_count(count) > 1
    }


def _shown(context: RenderContext, person: Person) -> object:
    """A person page's inputs, as plain data (the cables by their listing, and how many
    each role has in all)."""
    curated = person.curated
    body = curated.body if curated else ""
    links = sorted({(i, context.cable_url(i)) for i in _CABLE_ID.findall(body)})
    return (
        person.name,
        curated,
        links,
        country_of(person, context.catalog),
        context.catalog.listings(page_of(person.signed, 1)),
        context.catalog.listings(page_of(person.classified, 1)),
        _mentions_shown(context, page_of(person.mentioned, 1)),
        (len(person.signed), len(person.classified), len(person.mentioned)),
    )


def _mentions_shown(context: RenderContext, mentioned: Sequence[tuple[Entry, Mention]]) -> object:
    listings = context.catalog.listings(entry for entry, _ in mentioned)
    return list(zip(listings, (mention for _, mention in mentioned), strict=True))


def plan_people(context: RenderContext) -> Iterator[PageJob]:
    """`/people/`, a page per person, and the pages of the paragraphs naming a person
    when there are more than their page shows."""
    everyone = people_by_country(context.catalog)
    digest = fingerprint(context.template("people.html"), context.settings, everyone)
    yield PageJob(urls.file_of(urls.PEOPLE), "people", (), digest, ("index:people", "people.html"))
    template = context.template("person.html")
    for slug, person in context.catalog.people.items():
        path = urls.person(slug)
        digest = fingerprint(template, context.settings, _shown(context, person))
        source = person.curated.source if person.curated else f"person:{slug}"
        yield PageJob(urls.file_of(path), "person", (slug,), digest, (source, "person.html"))
        if page_count(len(person.mentioned)) > 1:
            yield from _plan_mentions(context, person, source)


def _plan_mentions(context: RenderContext, person: Person, source: str) -> Iterator[PageJob]:
    template = context.template(MENTIONS_TEMPLATE)
    pages = page_count(len(person.mentioned))
    base = urls.person_role(person.slug, "named")
    for page in range(1, pages + 1):
        shown = _mentions_shown(context, page_of(person.mentioned, page))
        digest = fingerprint(
            template, context.settings, person.name, len(person.mentioned), page, shown
        )
        file = urls.file_of(urls.paged(base, page))
        yield PageJob(file, "mentions", (person.slug, page), digest, (source, MENTIONS_TEMPLATE))


def render_people(context: RenderContext, key: tuple[object, ...]) -> bytes:
    return context.render("people.html", groups=people_by_country(context.catalog))


def render_person(context: RenderContext, key: tuple[object, ...]) -> bytes:
    person = context.catalog.people[str(key[0])]
    return context.render("person.html", **person_values(context, person))


def render_mentions(context: RenderContext, key: tuple[object, ...]) -> bytes:
    """A page of the paragraphs naming a person."""
    slug, page = key
    assert isinstance(page, int)
    person = context.catalog.people[str(slug)]
    pages = page_count(len(person.mentioned))
    return context.render(
        MENTIONS_TEMPLATE,
        person=person,
        person_page=urls.person(person.slug),
        mentioned=page_of(person.mentioned, page),
        page=page,
        pages=pages,
        pager=pagination(urls.person_role(person.slug, "named"), page, pages),
    )
