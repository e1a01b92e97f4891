"""Every URL of the site, in one place (design.md's URL table).

Paths are site-relative and start with `/`; the render layer prefixes the base URL.
A page's file is its path, with `index.html` for paths that end in `/`. Cable pages
keep the original WikiLeaks path (`/cable/2007/09/07GUATEMALA1906.html`), so that an
old link maps by changing the host.
"""

from __future__ import annotations

import re
from datetime import datetime

from site_builder.tables import slugify

_CODE = re.compile(r"[A-Z0-9]{1,12}")


def cable(reference_id: str, date: datetime | None) -> str:
    """`/cable/YYYY/MM/<ID>.html`; a cable of unknown date goes under its ID's year, month 00."""
    if date is not None:
        return f"/cable/{date.year:04d}/{date.month:02d}/{reference_id}.html"
    year = int(reference_id[:2])
    return f"/cable/{1900 + year if year >= 66 else 2000 + year}/00/{reference_id}.html"


def paged(base: str, page: int) -> str:
    """Page 1 of a list is its own URL; page n is `<base>page/n/`."""
    return base if page <= 1 else f"{base}page/{page}/"


def tag(code: str) -> str:
    """`/tag/PGOV/`; a person tag (`STEINBERG, JAMES B.`) gets a lower-case slug."""
    return f"/tag/{code if _CODE.fullmatch(code) else slugify(code) or 'tag'}/"


def country(slug: str) -> str:
    return f"/country/{slug}/"


def origin(slug: str) -> str:
    return f"/origin/{slug}/"


def person(slug: str) -> str:
    return f"/person/{slug}/"


def person_role(slug: str, role: str) -> str:
    """`/person/<slug>/signed/`: every cable a person signed, classified or is named in
    (`signed`, `classified`, `named`), for the people with more than a page of them."""
    return f"/person/{slug}/{role}/"


def year(value: int) -> str:
    return f"/date/{value:04d}/"


def month(year_value: int, month_value: int) -> str:
    return f"/date/{year_value:04d}/{month_value:02d}/"


def classification(marking: str) -> str:
    """`SECRET//NOFORN` -> `/classification/secret-noforn/`."""
    return f"/classification/{slugify(marking)}/"


def page(name: str) -> str:
    """A plain page of `content/pages/<name>.md`."""
    return f"/{name}/"


def file_of(path: str) -> str:
    """The output file (relative to the output folder) for a site path."""
    relative = path.lstrip("/")
    return relative + "index.html" if relative.endswith("/") or not relative else relative


def path_of(file: str) -> str:
    """The site path of an output file: `file_of` read backwards (`tag/X/index.html` ->
    `/tag/X/`)."""
    folder, _, leaf = file.rpartition("/")
    if leaf == "index.html":
        return f"/{folder}/" if folder else "/"
    return "/" + file


HOME = "/"
TAGS = "/tags/"
COUNTRIES = "/countries/"
PEOPLE = "/people/"
GLOSSARY = "/glossary/"
SEARCH = "/search/"
NOT_FOUND = "/404.html"
FEED = "/feed.xml"
SITEMAP = "/sitemap.xml"
ROBOTS = "/robots.txt"
