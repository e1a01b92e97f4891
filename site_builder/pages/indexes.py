"""The archive's overview pages: home, all tags, all countries, people and each person,
the glossary, and the 404 page. Each is one template over a slice of the catalog.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from site_builder import urls
from site_builder.catalog import Catalog, Entry, Person
from site_builder.pages.context import RenderContext
from site_builder.pages.job import PageJob, fingerprint
from site_builder.tables import TAG_KINDS, TagInfo

LATEST = 12
BUSIEST = 15


@dataclass(frozen=True)
class Counted:
    """A named thing of the archive with its page and how many cables it has."""

    label: str
    url: str
    count: int
    note: str = ""


def _tags(catalog: Catalog) -> dict[str, list[Counted]]:
    """All tags by kind, each kind alphabetical."""
    kinds: dict[str, list[Counted]] = {kind: [] for kind in sorted(TAG_KINDS)}
    for code, entries in sorted(catalog.by_tag.items()):
        info: TagInfo = catalog.tables.tag_info(code)
        kinds[info.kind].append(Counted(code, urls.tag(code), len(entries), info.name))
    return {kind: items for kind, items in kinds.items() if items}


def _countries(catalog: Catalog) -> list[Counted]:
    found = [
        Counted(
            catalog.tables.countries[code].name,
            urls.country(catalog.tables.countries[code].slug),
            len(entries),
            code,
        )
        for code, entries in catalog.by_country.items()
    ]
    return sorted(found, key=lambda c: c.label)


def _posts(catalog: Catalog) -> list[Counted]:
    found = [
        Counted(entries[0].post, urls.origin(slug), len(entries))
        for slug, entries in catalog.by_post.items()
    ]
    return sorted(found, key=lambda c: (-c.count, c.label))


def _people(catalog: Catalog) -> list[Counted]:
    return [
        Counted(person.name, urls.person(person.slug), len(person.signed) + len(person.classified))
        for person in sorted(catalog.people.values(), key=lambda p: (p.name.lower(), p.slug))
    ]


def _home(catalog: Catalog) -> dict[str, object]:
    dated = [e.date for e in catalog.entries if e.date is not None]
    tags = sorted(
        (
            Counted(code, urls.tag(code), len(e), catalog.tables.tag_info(code).name)
            for code, e in catalog.by_tag.items()
        ),
        key=lambda c: (-c.count, c.label),
    )
    return {
        "cables": len(catalog.entries),
        "first": min(dated) if dated else None,
        "last": max(dated) if dated else None,
        "latest": catalog.entries[:LATEST],
        "busiest_tags": tags[:BUSIEST],
        "busiest_posts": _posts(catalog)[:BUSIEST],
        "counts": {
            "tags": len(catalog.by_tag),
            "countries": len(catalog.by_country),
            "posts": len(catalog.by_post),
            "people": len(catalog.people),
        },
        "years": sorted(catalog.by_year),
    }


def _person(person: Person) -> dict[str, object]:
    return {"person": person, "signed": list(person.signed), "classified": list(person.classified)}


Values = Callable[[Catalog], dict[str, object]]

# file, template, how the page's values come from the catalog
PAGES: dict[str, tuple[str, Values]] = {
    urls.HOME: ("home.html", _home),
    urls.TAGS: ("tags.html", lambda c: {"kinds": _tags(c)}),
    urls.COUNTRIES: ("countries.html", lambda c: {"countries": _countries(c), "posts": _posts(c)}),
    urls.PEOPLE: ("people.html", lambda c: {"people": _people(c)}),
    urls.GLOSSARY: (
        "glossary.html",
        lambda c: {"terms": sorted(c.tables.glossary, key=lambda t: t.term.lower())},
    ),
    urls.NOT_FOUND: ("404.html", lambda c: {}),
}


def _shown(values: dict[str, object]) -> object:
    """What a page shows, as plain data for its digest (entries by their listing)."""

    def plain(value: object) -> object:
        if isinstance(value, Entry):
            return value.listing
        if isinstance(value, list | tuple):
            return [plain(v) for v in value]
        if isinstance(value, dict):
            return sorted((k, plain(v)) for k, v in value.items())
        if isinstance(value, Person):
            return (value.slug, value.name, plain(value.signed), plain(value.classified))
        return repr(value)

    return plain(values)


def plan_indexes(context: RenderContext) -> Iterator[PageJob]:
    """The overview pages and a page per person."""
    for path, (template, values) in PAGES.items():
        digest = fingerprint(
            context.template(template), context.settings, _shown(values(context.catalog))
        )
        yield PageJob(urls.file_of(path), "index", (path,), digest, (f"index:{path}", template))
    template = context.template("person.html")
    for slug, person in context.catalog.people.items():
        digest = fingerprint(template, context.settings, _shown(_person(person)))
        path = urls.person(slug)
        yield PageJob(
            urls.file_of(path), "person", (slug,), digest, (f"person:{slug}", "person.html")
        )


def render_index(context: RenderContext, key: tuple[object, ...]) -> bytes:
    template, values = PAGES[str(key[0])]
    return context.render(template, **values(context.catalog))


def render_person(context: RenderContext, key: tuple[object, ...]) -> bytes:
    person = context.catalog.people[str(key[0])]
    return context.render("person.html", **_person(person))
