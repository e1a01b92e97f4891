"""People pages: `/people/` (everyone, with counts, by country) and `/person/<slug>/`
(who they are, and the cables they signed, classified or appear in, each mention with
its sentence, linked to its paragraph)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from markupsafe import Markup

from site_builder import urls
from site_builder.catalog import Catalog, Entry, Person
from site_builder.markdown import render_markdown
from site_builder.pages.context import RenderContext
from site_builder.pages.job import PageJob, fingerprint

_CABLE_ID = re.compile(r"\b\d{2}[A-Z]{2,20}\d{1,7}\b")
ELSEWHERE = "Country not known"


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
        "signed": list(person.signed),
        "classified": list(person.classified),
        "mentioned": list(person.mentioned),
    }


def _shown(context: RenderContext, person: Person) -> object:
    """A person page's inputs, as plain data (the cables by their listing)."""
    curated = person.curated
    body = curated.body if curated else ""
    links = sorted({(i, context.cable_url(i)) for i in _CABLE_ID.findall(body)})

    def listing(entries: tuple[Entry, ...]) -> list[str]:
        return [context.catalog.listing(e) for e in entries]

    return (
        person.name,
        curated,
        links,
        country_of(person, context.catalog),
        listing(person.signed),
        listing(person.classified),
        [(context.catalog.listing(e), m) for e, m in person.mentioned],
    )


def plan_people(context: RenderContext) -> Iterator[PageJob]:
    """`/people/` and a page per person."""
    everyone = people_by_country(context.catalog)
    digest = fingerprint(context.template("people.html"), context.settings, everyone)
    yield PageJob(urls.file_of(urls.PEOPLE), "people", (), digest, ("index:people", "people.html"))
    template = context.template("person.html")
    for slug, person in context.catalog.people.items():
        path = urls.person(slug)
        digest = fingerprint(template, context.settings, _shown(context, person))
        inputs = (person.curated.source if person.curated else f"person:{slug}", "person.html")
        yield PageJob(urls.file_of(path), "person", (slug,), digest, inputs)


def render_people(context: RenderContext, key: tuple[object, ...]) -> bytes:
    return context.render("people.html", groups=people_by_country(context.catalog))


def render_person(context: RenderContext, key: tuple[object, ...]) -> bytes:
    person = context.catalog.people[str(key[0])]
    return context.render("person.html", **person_values(context, person))
