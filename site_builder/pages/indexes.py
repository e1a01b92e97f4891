"""The archive's overview pages: home, all tags, all countries, people and each person,
the glossary, and the 404 page. Each is one template over a slice of the catalog.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from site_builder import urls
from site_builder.catalog import Catalog, Entry
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
        "annotated": [e for e in catalog.entries if e.canonical_id in catalog.annotated][:LATEST],
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


Values = Callable[[Catalog], dict[str, object]]

# file, template, how the page's values come from the catalog
PAGES: dict[str, tuple[str, Values]] = {
    urls.HOME: ("home.html", _home),
    urls.TAGS: ("tags.html", lambda c: {"kinds": _tags(c)}),
    urls.COUNTRIES: ("countries.html", lambda c: {"countries": _countries(c), "posts": _posts(c)}),
    urls.GLOSSARY: (
        "glossary.html",
        lambda c: {"terms": sorted(c.tables.glossary, key=lambda t: t.term.lower())},
    ),
    urls.NOT_FOUND: ("404.html", lambda c: {}),
}


def _shown(values: dict[str, object], catalog: Catalog) -> object:
    """What a page shows, as plain data for its digest (entries by their listing)."""

    def plain(value: object) -> object:
        if isinstance(value, Entry):
            return catalog.listing(value)
        if isinstance(value, list | tuple):
            return [plain(v) for v in value]
        if isinstance(value, dict):
            return sorted((k, plain(v)) for k, v in value.items())
        return repr(value)

    return plain(values)


def plan_indexes(context: RenderContext) -> Iterator[PageJob]:
    """The overview pages."""
    for path, (template, values) in PAGES.items():
        digest = fingerprint(
            context.template(template),
            context.settings,
            _shown(values(context.catalog), context.catalog),
        )
        yield PageJob(urls.file_of(path), "index", (path,), digest, (f"index:{path}", template))


def render_index(context: RenderContext, key: tuple[object, ...]) -> bytes:
    template, values = PAGES[str(key[0])]
    return context.render(template, **values(context.catalog))
