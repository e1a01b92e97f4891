"""List pages: the cables of a tag, a country, a post, a year, a month, a classification,
and those a person signed or classified when there are more than a person's page shows.

Every list is newest first, grouped by year, 100 cables a page at stable URLs
(`/tag/PGOV/`, `/tag/PGOV/page/2/`); tag and country lists open with a timeline.
A list's pages link a window of its other pages, never all of them: the longest lists
of the whole release run to thousands of pages.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import NamedTuple, TypeVar

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
_LISTINGS = "listings"  # the render context's memo of every listing by key
_PERSON_ROLES = ("signed", "classified")  # a person's lists: the `Person` fields they list


@dataclass(frozen=True)
class Listing:
    """One list of cables and how its pages are headed."""

    family: str
    key: object
    base: str
    title: str
    description: str
    entries: list[Entry]
    timeline: bool = False
    parent: tuple[str, str] | None = None  # (label, URL) of the page above this one


def listings(catalog: Catalog) -> Iterator[Listing]:
    """Every list of the site."""
    tables = catalog.tables
    for code, entries in sorted(catalog.by_tag.items()):
        info = tables.tag_info(code)
        meaning = f"{code}: {info.name}" if info.name else code
        yield Listing(
            "tag",
            code,
            urls.tag(code),
            meaning,
            f"Cables tagged {code} ({info.kind}).",
            entries,
            True,
            ("Tags", urls.TAGS),
        )
    for code, entries in sorted(catalog.by_country.items()):
        country = tables.countries[code]
        yield Listing(
            "country",
            code,
            urls.country(country.slug),
            country.name,
            f"Cables from posts in {country.name}, and cables tagged {code}.",
            entries,
            True,
            ("Countries", urls.COUNTRIES),
        )
    for slug, entries in sorted(catalog.by_post.items()):
        yield _post_listing(catalog, slug, entries)
    for year, entries in sorted(catalog.by_year.items()):
        yield Listing(
            "year",
            year,
            urls.year(year),
            f"Cables of {year}",
            f"Cables created in {year}, by month below.",
            entries,
        )
    for (year, month), entries in sorted(catalog.by_month.items()):
        yield Listing(
            "month",
            (year, month),
            urls.month(year, month),
            f"Cables of {MONTHS[month - 1]} {year}",
            f"Cables created in {MONTHS[month - 1]} {year}.",
            entries,
            parent=(str(year), urls.year(year)),
        )
    for marking, entries in sorted(catalog.by_classification.items()):
        yield Listing(
            "classification",
            marking,
            urls.classification(marking),
            marking,
            f"Cables classified {marking}.",
            entries,
        )
    yield from _person_listings(catalog)


def _person_listings(catalog: Catalog) -> Iterator[Listing]:
    """The cables each person signed and classified, for roles longer than the page of
    them the person's own page shows (`/person/<slug>/signed/`)."""
    for slug, person in sorted(catalog.people.items()):
        for role in _PERSON_ROLES:
            entries = getattr(person, role)
            if page_count(len(entries)) > 1:
                yield Listing(
                    role,
                    slug,
                    urls.person_role(slug, role),
                    f"Cables {role} by {person.name}",
                    f"Every cable {person.name} {role}, newest first.",
                    list(entries),
                    True,
                    (person.name, urls.person(slug)),
                )


def _post_listing(catalog: Catalog, slug: str, entries: list[Entry]) -> Listing:
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
        head = (listing.title, listing.description, listing.parent, pages)
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


def _by_key(context: RenderContext) -> dict[tuple[object, object], Listing]:
    """Every listing by (family, key), made once per process (see `renew_person_listings`)."""
    found = context.memo.get(_LISTINGS)
    if isinstance(found, dict):
        return found
    made = _keyed(listings(context.catalog))
    context.memo[_LISTINGS] = made
    return made


def _keyed(made: Iterable[Listing]) -> dict[tuple[object, object], Listing]:
    return {(item.family, item.key): item for item in made}


def renew_person_listings(context: RenderContext) -> None:
    """Make the lists of each person's cables again, after the catalog took edited entries
    in: they are drawn from `Person` objects that the catalog replaces. The other lists
    are the catalog's own, changed in place, and stay (making them all again cost a dev
    server's edit 0.1 s at 251,287 cables)."""
    found = context.memo.get(_LISTINGS)
    if not isinstance(found, dict):
        return
    kept = {key: item for key, item in found.items() if key[0] not in _PERSON_ROLES}
    context.memo[_LISTINGS] = kept | _keyed(_person_listings(context.catalog))


def render_list(context: RenderContext, key: tuple[object, ...]) -> bytes:
    """A page of a list, found again from its family and key."""
    family, wanted, page = key
    listing = _by_key(context)[(family, wanted)]
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
