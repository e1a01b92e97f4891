"""`_redirects`: the original WikiLeaks site's addresses lead to pages of ours.

Every address the 120 original pages link to (read in place from the shared corpus), of
every form the archive had, is resolved with the rules of the corpus build, as Netlify
resolves them (`deploy/redirects.py`), and must land on a page that exists, at an anchor
it has; an old `/cable/<ID>.html` address opens the cable, in Chromium. The reader and
matcher follow Netlify's rules, and the file stays bounded: measured at 50,000 cables.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Callable, Iterable, Iterator
from http import HTTPStatus
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from playwright.sync_api import Browser

from site_builder.catalog import build_catalog, make_entry
from site_builder.deploy.redirects import FILE, Rule, read_rules, resolve
from site_builder.editorial.mentions import MentionIndex
from site_builder.model import Cable, Problem, Severity
from site_builder.pages.context import make_context
from site_builder.planning import plan_pages
from site_builder.render.assets import collect_assets
from site_builder.rendering import RENDERERS
from site_builder.site import load_site
from site_builder.tables import load_tables
from tests.conftest import CORPUS, FIGURES
from tests.site_crawl import read_page, target_file
from tests.site_fixtures import BuiltSite, StaticHostHandler, static_host

ORIGINAL_PAGES = CORPUS / "wikileaks-html"
HREF = re.compile(r"""href=["']?(/[^"'\s>]*)""")
# The archive's own forms; the WikiLeaks site's articles, support page and static files
# (`/articles/...`, `/support.html`, `/static/...`) were never part of it.
ARCHIVE_FORM = re.compile(r"/(cable|tag|origin|date|reldate|classification)/[^/]|/index\.html$")
FORMS = {"cable", "tag", "origin", "date", "reldate", "classification"}
SEED_PAGE = "/cable/2007/09/07GUATEMALA1906.html"
# The size of the file for 50,000 cables may not pass this (it measures 13 KB).
BOUND_50K = 40_000


def old_addresses() -> list[str]:
    """Every address of the archive's forms that the original pages link to, each page's
    own address, and each cable's address without its year and month."""
    found: set[str] = set()
    for page in sorted(ORIGINAL_PAGES.rglob("*.html")):
        own = "/" + page.relative_to(ORIGINAL_PAGES).as_posix()
        found.update({own, f"/cable/{page.name}"})
        for link in HREF.findall(page.read_text(encoding="utf-8", errors="replace")):
            path = urlsplit(link).path
            if ARCHIVE_FORM.match(path):
                found.add(path)
    return sorted(found)


def landing(out: Path, base: str, address: str) -> tuple[str, int | None, str | None]:
    """Where an old address (a site path) lands on the site in `out` served under `base`:
    the final URL, the redirect's status (None: served as it is), and what is wrong with
    the page it lands on (None: it exists, with the anchor the URL names)."""
    rules = read_rules((out / FILE).read_text(encoding="utf-8"))
    path = base.rstrip("/") + address
    found = resolve(rules, path, functools.partial(exists, out, base))
    url, status = (path, None) if found is None else found
    parts = urlsplit(url)
    page = target_file(out, None, unquote(parts.path), base)
    if page is None or not page.is_file():
        return url, status, "no such page"
    if parts.fragment and parts.fragment not in read_page(page).ids:
        return url, status, f"no #{parts.fragment} on the page"
    return url, status, None


def exists(out: Path, base: str, path: str) -> bool:
    """A file of the site answers the path (a folder's `index.html` does)."""
    page = target_file(out, None, path, base)
    return page is not None and page.is_file()


def test_every_old_address_lands_on_a_page(corpus_site: BuiltSite) -> None:
    addresses = old_addresses()
    assert {address.split("/")[1] for address in addresses} >= FORMS
    assert "/index.html" in addresses
    wrong, redirected = [], 0
    for address in addresses:
        url, status, problem = landing(corpus_site.out, "/", address)
        if problem:
            wrong.append(f"{address} -> {url}: {problem}")
        redirected += status is not None
        assert status in (None, HTTPStatus.MOVED_PERMANENTLY), (address, status)
    assert not wrong, wrong[:20]
    FIGURES.append(
        f"redirects: {len(addresses):,} old addresses of the original pages all land on a page"
        f" ({redirected:,} through _redirects, the others served as they are)"
    )


def test_old_list_pages_land_on_the_same_list(corpus_site: BuiltSite) -> None:
    """An old list's first page (the one the old pages link to) is ours; the original cable
    pages need no rule."""
    out = corpus_site.out
    assert landing(out, "/", "/tag/PGOV_0.html") == ("/tag/PGOV/", 301, None)
    assert landing(out, "/", "/date/2007-09_0.html") == ("/date/2007/09/", 301, None)
    assert landing(out, "/", SEED_PAGE) == (SEED_PAGE, None, None)
    # A deeper old page (its order and length were not ours), or a list we do not have:
    # the index of such lists.
    assert landing(out, "/", "/tag/PGOV_1.html") == ("/tags/", 301, None)
    assert landing(out, "/", "/date/1950-01_0.html") == ("/#by-year", 301, None)
    assert landing(out, "/", "/cable/07GUATEMALA1906.html") == (
        "/search/?q=07GUATEMALA1906.html",
        301,
        None,
    )


class _RedirectingHost(StaticHostHandler):
    """A static host that applies the site's `_redirects` to paths it has no file for."""

    def do_GET(self) -> None:
        out = Path(self.directory)
        rules = read_rules((out / FILE).read_text(encoding="utf-8"))
        found = resolve(rules, urlsplit(self.path).path, functools.partial(exists, out, "/"))
        if found is None:
            super().do_GET()
            return
        self.send_response(found[1])
        self.send_header("Location", found[0])
        self.end_headers()


@pytest.fixture(scope="module")
def redirecting_host(corpus_site: BuiltSite) -> Iterator[str]:
    with static_host(corpus_site.out, _RedirectingHost) as url:
        yield url


@pytest.mark.parametrize(
    ("old", "ours"),
    [
        ("/cable/07GUATEMALA1906.html", SEED_PAGE),
        # A partial extract, dated only by its ID here: its page is under month 00.
        ("/cable/2004/03/04MADRID974.html", "/cable/2004/00/04MADRID974.html"),
    ],
)
def test_an_old_cable_address_opens_the_cable(
    browser: Browser, redirecting_host: str, old: str, ours: str
) -> None:
    """An old cable address we have no page at -> the search for its ID -> its cable,
    with the search left out of the history."""
    context = browser.new_context()
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(redirecting_host + "/glossary/")
        page.goto(redirecting_host + old)
        page.wait_for_url(redirecting_host + ours, timeout=30_000)
        assert Path(ours).stem in page.locator("main").inner_text()
        page.go_back()
        page.wait_for_url(redirecting_host + "/glossary/")
        assert not errors, errors
    finally:
        context.close()


# ---------------------------------------------------------------- Netlify's rules


def _exists_in(*files: str) -> Callable[[str], bool]:
    return lambda path: path in files


def test_the_first_rule_that_matches_wins() -> None:
    rules = read_rules("/tag/PGOV_0.html /tag/PGOV/\n/tag/:file /tags/ 302\n")
    assert resolve(rules, "/tag/PGOV_0.html", _exists_in()) == ("/tag/PGOV/", 301)
    assert resolve(rules, "/tag/XX_3.html", _exists_in()) == ("/tags/", 302)
    assert resolve(rules, "/tag/a/b.html", _exists_in()) is None, ":file is one segment"
    assert resolve(rules, "/other", _exists_in()) is None


def test_a_file_shadows_a_rule_unless_it_is_forced() -> None:
    rules = read_rules("/a/:x /found/:x 301\n/b/* /forced/:splat 200!\n")
    assert resolve(rules, "/a/page.html", _exists_in("/a/page.html")) is None
    assert resolve(rules, "/a/page.html", _exists_in()) == ("/found/page.html", 301)
    assert resolve(rules, "/b/c/d", _exists_in("/b/c/d")) == ("/forced/c/d", 200)


def test_placeholders_and_splats_fill_the_target() -> None:
    rules = read_rules(
        "/news/:year/:month/:slug /blog/:year-:month/:slug\n"
        "/cable/:file /search/?q=:file\n"
        "/old/* https://example.org/new/:splat 302\n"
    )
    none = _exists_in()
    assert resolve(rules, "/news/2009/03/x", none) == ("/blog/2009-03/x", 301)
    assert resolve(rules, "/cable/07X1.html", none) == ("/search/?q=07X1.html", 301)
    assert resolve(rules, "/old/a/b/c", none) == ("https://example.org/new/a/b/c", 302)
    assert resolve(rules, "/old", none) == ("https://example.org/new/", 302), "* may be empty"
    assert resolve(rules, "/news/2009/03/x/", none) == ("/blog/2009-03/x", 301), "trailing /"


def test_the_reader_skips_comments_and_reports_what_it_cannot_apply() -> None:
    problems: list[Problem] = []
    rules = read_rules(
        "# the old site\n"
        "\n"
        "/a /b 302! # forced\n"
        "/c\n"
        "/store id=:id /shop/:id\n"
        "/d /e 302 Country=fr\n"
        "no-slash /f\n",
        problems,
        "public/_redirects",
    )
    assert rules == [Rule("/a", "/b", 302, True)]
    assert [(p.path, p.line, p.severity) for p in problems] == [
        ("public/_redirects", line, Severity.WARNING) for line in (4, 5, 6, 7)
    ]
    assert all(str(p).endswith(": rule left out") for p in problems)


def test_the_written_rules_read_back_the_same(corpus_site: BuiltSite) -> None:
    text = (corpus_site.out / FILE).read_text(encoding="utf-8")
    problems: list[Problem] = []
    rules = read_rules(text, problems)
    assert not problems
    assert "".join(rule.line() + "\n" for rule in rules) == text


# ---------------------------------------------------------------- the bound


def _copies(cables: Iterable[Cable], count: int) -> Iterator[Cable]:
    """`count` cables: the corpus again and again, each copy with IDs of its own, so that
    tags and dates are spread as in the real release."""
    real = [cable for cable in cables if cable.reference_id and cable.canonical_id]
    for number in range(count):
        cable = real[number % len(real)]
        suffix = f"{number // len(real):02d}"
        yield dataclasses.replace(
            cable,
            reference_id=f"{cable.reference_id}{suffix}",
            canonical_id=f"{cable.canonical_id}{suffix}",
        )


def test_the_file_is_bounded_at_50000_cables(
    tmp_path: Path, corpus_cables: dict[str, Cable]
) -> None:
    """One rule per tag and per month, and seven patterns: never one per cable. The file
    the build plans for 50,000 cables, measured."""
    (tmp_path / "content").mkdir()
    site = load_site(tmp_path / "content", tmp_path / "public", search=False)
    tables, _ = load_tables()
    entries = [make_entry(cable, "") for cable in _copies(corpus_cables.values(), 50_000)]
    catalog = build_catalog([e for e in entries if e is not None], tables)
    assets = collect_assets(site.static_dirs)
    context = make_context(site, catalog, assets, "", {}, MentionIndex())
    plan = plan_pages(context, [])
    text = RENDERERS["redirects"](context, ()).decode("utf-8")
    lines = text.count("\n")
    lists = sum(
        1
        for job in plan.jobs
        if job.kind == "list" and job.key[0] in ("tag", "month") and job.key[2] == 1
    )
    patterns = sum(1 for rule in read_rules(text) if ":" in rule.path)
    assert patterns == 7
    assert lines <= lists + patterns
    FIGURES.append(
        f"redirects at {len(catalog.entries):,} cables: {lines:,} rules, {len(text):,} bytes"
        f" ({lists:,} tag and month lists; bound {BOUND_50K:,} bytes)"
    )
    assert len(catalog.entries) == 50_000
    assert len(text) < BOUND_50K
