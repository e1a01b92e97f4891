"""List pages: the cables of a tag, a country, a post, a year, a month, a classification,
and those a person signed or classified when there are more than a person's page shows.

Every list is newest first, grouped by year, 100 cables a page at stable URLs
(`/tag/PGOV/`, `/tag/PGOV/page/2/`); tag and country lists open with a timeline.
A list's pages link a window of its other pages, never all of them: the longest lists
of the whole release run to thousands of pages.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import Any, NamedTuple, TypeVar

from site_builder import urls
from site_builder.catalog import Catalog, Entry
from site_builder.pages.context import RenderContext
from site_builder.pages.job import PageJob, fingerprint
from site_builder.pages.timeline import timeline_svg, year_counts
from site_builder.render.environment import MONTHS

PAGE_SIZE = 100
T = TypeVar("T")
TEMPLATE = "list.html"
NEIGHBOURS = 2  # pages linked either side of the current one
_PERSON_ROLES = ("signed", "classified")  # a person's lists: the `Person` fields they list


@dataclass(frozen=True)
class Listing:
    """One list of cables and how its pages are headed."""

    family: str
    key: object
    base: str
    title: str
    description: str
    entries: Sequence[Entry]
    timeline: bool = False
    parent: tuple[str, str] | None = None  # (label, URL) of the page above this one


def listings(catalog: Catalog) -> Iterator[Listing]:
    """Every list of the site."""
    for family, index in _indexes(catalog):
        for key in sorted(index):
            yield listing_for(catalog, family, key)
    for slug, person in sorted(catalog.people.items()):
        for role in _PERSON_ROLES:
            if page_count(len(getattr(person, role))) > 1:
                yield listing_for(catalog, role, slug)


def _indexes(catalog: Catalog) -> Iterator[tuple[str, Mapping[Any, Sequence[Entry]]]]:
    """The catalog's indexes that are lists, by the family of their lists."""
    yield "tag", catalog.by_tag
    yield "country", catalog.by_country
    yield "origin", catalog.by_post
    yield "year", catalog.by_year
    yield "month", catalog.by_month
    yield "classification", catalog.by_classification


def listing_for(catalog: Catalog, family: str, key: Any) -> Listing:
    """One list, by its family and key: a list page finds its own, not all of them."""
    if family in _PERSON_ROLES:
        return _person_listing(catalog, family, key)
    entries = dict(_indexes(catalog))[family][key]
    return _MAKERS[family](catalog, key, entries)


def _tag_listing(catalog: Catalog, code: str, entries: Sequence[Entry]) -> Listing:
    info = catalog.tables.tag_info(code)
    meaning = f"{code}: {info.name}" if info.name else code
    description = f"Cables tagged {code} ({info.kind})."
    return Listing("tag", code, urls.tag(code), meaning, description, entries, True, _TAGS)


def _country_listing(catalog: Catalog, code: str, entries: Sequence[Entry]) -> Listing:
    country = catalog.tables.countries[code]
    description = f"Cables from posts in {country.name}, and cables tagged {code}."
    base = urls.country(country.slug)
    return Listing("country", code, base, country.name, description, entries, True, _COUNTRIES)


def _year_listing(catalog: Catalog, year: int, entries: Sequence[Entry]) -> Listing:
    description = f"Cables created in {year}, by month below."
    return Listing("year", year, urls.year(year), f"Cables of {year}", description, entries)


def _month_listing(catalog: Catalog, key: tuple[int, int], entries: Sequence[Entry]) -> Listing:
    year, month = key
    name = f"{MONTHS[month - 1]} {year}"
    return Listing(
        "month",
        key,
        urls.month(year, month),
        f"Cables of {name}",
        f"Cables created in {name}.",
        entries,
        parent=(str(year), urls.year(year)),
    )


def _classification_listing(catalog: Catalog, marking: str, entries: Sequence[Entry]) -> Listing:
    description = f"Cables classified {marking}."
    base = urls.classification(marking)
    return Listing("classification", marking, base, marking, description, entries)


def _person_listing(catalog: Catalog, role: str, slug: str) -> Listing:
    """The cables a person signed or classified, for roles longer than the page of them
    the person's own page shows (`/person/<slug>/signed/`)."""
    person = catalog.people[slug]
    return Listing(
        role,
        slug,
        urls.person_role(slug, role),
        f"Cables {role} by {person.name}",
        f"Every cable {person.name} {role}, newest first.",
        getattr(person, role),
        True,
        (person.name, urls.person(slug)),
    )


def _post_listing(catalog: Catalog, slug: str, entries: Sequence[Entry]) -> Listing:
    post = catalog.tables.posts.get(entries[0].post_station)
    name = post.name if post else entries[0].post
    country = catalog.tables.countries.get(post.country) if post and post.country else None
    parent = (country.name, urls.country(country.slug)) if country else None
    where = f" in {country.name}" if country else ""
    return Listing(
        "origin",
        slug,
        urls.origin(slug),
        name,
        f"Cables sent by {name}{where}.",
        entries,
        parent=parent,
    )


_TAGS = ("Tags", urls.TAGS)
_COUNTRIES = ("Countries", urls.COUNTRIES)
_MAKERS: dict[str, Callable[[Catalog, Any, Sequence[Entry]], Listing]] = {
    "tag": _tag_listing,
    "country": _country_listing,
    "origin": _post_listing,
    "year": _year_listing,
    "month": _month_listing,
    "classification": _classification_listing,
}


class PageLink(NamedTuple):
    """A page of a list as the pagination links it."""

    number: int
    path: str  # a site path, `/tag/PGOV/page/2/`


@dataclass(frozen=True)
class Pagination:
    """What a list page's pagination shows: the pages before and after it, and its window
    of numbered pages (None where pages are skipped)."""

    page: int
    pages: int
    newer: str | None
    older: str | None
    links: list[PageLink | None]


def page_window(page: int, pages: int, neighbours: int = NEIGHBOURS) -> list[int | None]:
    """The page numbers a list's pagination shows: the first and the last, the current
    page and `neighbours` either side, and None for each run of pages skipped. A run of
    a single page is shown instead: an ellipsis would take its place and say less.

    A reader needs a way forward, back and to either end, not a link to every page: a
    list of 2,500 pages linking them all would repeat 5,000 links on each of them.
    """
    near = range(max(1, page - neighbours), min(pages, page + neighbours) + 1)
    window: list[int | None] = []
    last = 0
    for number in sorted({1, pages, *near}):
        if number - last == 2:
            window.append(last + 1)
        elif number - last > 2:
            window.append(None)
        window.append(number)
        last = number
    return window


def page_count(items: int) -> int:
    """How many pages a list of `items` takes (an empty list still has its first)."""
    return max(1, math.ceil(items / PAGE_SIZE))


def page_of(items: Sequence[T], page: int) -> Sequence[T]:
    """The items page `page` (from 1) of a list shows."""
    return items[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]


def pagination(base: str, page: int, pages: int) -> Pagination:
    """The pagination of page `page` of the `pages` of the list at `base`."""
    return Pagination(
        page,
        pages,
        urls.paged(base, page - 1) if page > 1 else None,
        urls.paged(base, page + 1) if page < pages else None,
        [
            None if number is None else PageLink(number, urls.paged(base, number))
            for number in page_window(page, pages)
        ],
    )


def plan_lists(context: RenderContext) -> Iterator[PageJob]:
    """A job per page of every list, its digest from what the page shows."""
    template = context.template(TEMPLATE)
    for listing in listings(context.catalog):
        pages = page_count(len(listing.entries))
        head = (listing.title, listing.description, listing.parent, pages, len(listing.entries))
        timeline = year_counts(listing.entries) if listing.timeline else []
        for page in range(1, pages + 1):
            shown = page_of(listing.entries, page)
            digest = fingerprint(
                template,
                context.settings,
                head,
                page,
                timeline if page == 1 else None,
                context.catalog.listings(shown),
            )
            yield PageJob(
                urls.file_of(urls.paged(listing.base, page)),
                "list",
                (listing.family, listing.key, page),
                digest,
                (f"{listing.family}:{listing.key}", TEMPLATE),
            )


def render_list(context: RenderContext, key: tuple[object, ...]) -> bytes:
    """A page of a list, found again from its family and key."""
    family, wanted, page = key
    assert isinstance(family, str)
    listing = listing_for(context.catalog, family, wanted)
    assert isinstance(page, int)
    pages = page_count(len(listing.entries))
    shown = page_of(listing.entries, page)
    years = [
        (year, list(group))
        for year, group in groupby(shown, key=lambda e: e.date.year if e.date else None)
    ]
    timeline = (
        timeline_svg(year_counts(listing.entries), f"Cables per year: {listing.title}")
        if listing.timeline and page == 1
        else None
    )
    return context.render(
        TEMPLATE,
        listing=listing,
        page=page,
        pages=pages,
        pager=pagination(listing.base, page, pages),
        years=years,
        timeline=timeline,
        total=len(listing.entries),
    )
