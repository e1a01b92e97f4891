"""The search page in a real browser (Debian's Chromium, driven by Playwright), over HTTP.

The corpus and the seed are built three times: with one search index; with the index cut
into shards of 300 cable pages (4 shards), which the page searches one after another; and
so cut, for a site served below a path (`--base-url /archive/`), where every script,
index file and result must be found under it. Every test runs against every build.
Expected counts come from the built cable pages' own filter spans, the values Pagefind
indexed. The server sends the site's strict Content-Security-Policy, so an inline script
or style shows as a console error, and every test fails on console errors. Without
Chromium these tests fail: never skip.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, ViewportSize

from site_builder.build import build
from site_builder.site import load_site
from tests.conftest import FIGURES
from tests.search_pages import (
    DESKTOP,
    Cable,
    Opener,
    SearchSite,
    Tab,
    first_filter,
    query_of,
    searched,
    total,
    wait_for_search,
)
from tests.site_fixtures import (
    AXE,
    AXE_PATH,
    CORPUS_CABLES,
    SEED,
    CompressingHostHandler,
    describe_violations,
    static_host,
)

PHONE: ViewportSize = {"width": 390, "height": 844}
SEED_ID = "07GUATEMALA1906"
# Cable pages per search shard (None: the default, one index for the corpus), and the path
# the site is served under.
BUILDS = {
    "one index": (None, "/"),
    "4 shards": (300, "/"),
    "4 shards under /archive/": (300, "/archive/"),
}
FILTER_SPAN = re.compile(r'<span data-pagefind-filter="([a-z]+)">([^<]*)</span>')
META_SPAN = re.compile(r'<span data-pagefind-meta="reference">([^<]*)</span>')
# The first query may download this much at most before its first results show.
FIRST_QUERY_BUDGET = 300_000


def _content(folder: Path) -> Path:
    """The corpus (read in place, through symlinks), the seed, its notes and people."""
    corpus = sorted(CORPUS_CABLES.glob("*.txt"))
    if not corpus:
        pytest.fail(f"no corpus cables in {CORPUS_CABLES} (set CABLE_SHARED to the shared folder)")
    content = folder / "content"
    cables = content / "cables"
    cables.mkdir(parents=True)
    for path in corpus:
        (cables / path.name).symlink_to(path)
    for path in sorted((SEED / "cables").glob("*.txt")):
        (cables / f"seed-{path.name}").symlink_to(path)
    for part in ("annotations", "people", "pages", "data"):
        if (SEED / part).is_dir():
            shutil.copytree(SEED / part, content / part)
    return content


def _catalog(out: Path) -> list[Cable]:
    """Every cable page's reference and filter values, read from the built page."""
    cables = []
    for page in sorted((out / "cable").rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        filters: dict[str, list[str]] = {}
        for key, value in FILTER_SPAN.findall(text):
            filters.setdefault(key, []).append(html.unescape(value))
        reference = META_SPAN.search(text)
        assert reference is not None, f"{page}: no reference meta"
        cited = 'class="cited-by"' in text
        cables.append(Cable(html.unescape(reference.group(1)), filters, cited))
    return cables


@pytest.fixture(scope="session", params=list(BUILDS), ids=list(BUILDS))
def site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SearchSite]:
    """The corpus built with one index, or with 4 shards (at the root, or below a path),
    and served with the site's CSP."""
    name: str = request.param
    shard_size, base = BUILDS[name]
    folder = tmp_path_factory.mktemp("search-site")
    out = folder / "public"
    build(load_site(_content(folder), out, base_url=base, search_shard_size=shard_size))
    manifest = json.loads((out / "search" / "shards.json").read_text())
    expected = 1 if shard_size is None else 4
    assert len(manifest["shards"]) == expected, f"{name}: {len(manifest['shards'])} shards"
    with static_host(out, CompressingHostHandler, base=base) as host:
        url = host + base.rstrip("/")
        yield SearchSite(name, out, url, manifest["shards"], _catalog(out))


@pytest.fixture
def opener(browser: Browser, site: SearchSite) -> Iterator[Opener]:
    """Opens tabs in Chromium (the session's, from tests/site_fixtures.py)."""
    opened = Opener(browser, site)
    yield opened
    opened.close()


@pytest.fixture
def tab(opener: Opener) -> Iterator[Tab]:
    opened = opener()
    yield opened
    opened.no_problems()


# ---------------------------------------------------------------- reading the page


def results(page: Page) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = page.eval_on_selector_all(
        "#search-results > li",
        """items => items.map(item => ({
            href: item.querySelector('h3 a')?.getAttribute('href'),
            title: item.querySelector('h3')?.textContent,
            reference: item.querySelector('.search-result-meta .id')?.textContent,
            date: item.querySelector('.search-result-meta time')?.getAttribute('datetime'),
            badge: item.querySelector('.search-result-meta .badge')?.textContent,
            excerpt: item.querySelector('.search-result-excerpt')?.textContent,
            marks: [...item.querySelectorAll('mark')]
                .map(m => m.textContent),
            subs: [...item.querySelectorAll('.search-subresult a')]
                .map(a => a.getAttribute('href')),
        }))""",
    )
    return found


def every_result(page: Page) -> list[dict[str, Any]]:
    """All the results, pressing "More results" until there are no more."""
    more = page.locator("#search-more")
    while more.is_visible():
        before = page.locator("#search-results > li").count()
        more.click()
        page.wait_for_function(
            "n => document.querySelectorAll('#search-results > li').length > n", arg=before
        )
    return results(page)


def shown_count(page: Page, key: str, value: str) -> int:
    """The count the filter panel shows beside a value."""
    box = page.locator(f'input[name="{key}"][value="{value}"]')
    text = page.locator(f'label[for="{box.get_attribute("id")}"] .count').inner_text()
    return int(text.replace(",", ""))


def most_common(cables: list[Cable], key: str) -> str:
    counts = Counter(value for cable in cables for value in cable.filters.get(key, []))
    return counts.most_common(1)[0][0]


# ---------------------------------------------------------------- the tests


def test_trafficking_finds_the_seed_cable(tab: Tab) -> None:
    page = tab.open("/search/?q=trafficking")
    found = every_result(page)
    assert total(page) == len(found) > 1
    seed = [result for result in found if result["reference"] == SEED_ID]
    assert seed, f"{SEED_ID} is not among the {len(found)} results"
    result = seed[0]
    cable = re.escape(tab.site.path(f"/cable/2007/09/{SEED_ID}.html"))
    assert re.fullmatch(rf"{cable}\?highlight=trafficking.*", result["href"])
    assert result["title"] == "Demarche on TIP Tier 2 Watch Action Plan (2007-08)"
    assert result["date"] == "2007-09-20"
    assert result["badge"] == "UNCLASSIFIED"
    assert any(mark.lower().startswith("traffick") for mark in result["marks"]), result
    assert all(re.search(r"#par\d+$", href) for href in result["subs"]), result["subs"]
    # Every result shows its reference, date, post and classification.
    meta = page.locator(".search-result-meta").all_inner_texts()
    assert len(meta) == len(found)
    assert all(re.search(r"\d{2}[A-Z]+\d+", text) for text in meta)


def test_a_tag_and_a_year_filter_count_the_catalog(tab: Tab, site: SearchSite) -> None:
    """Without words, the filters alone: the counts are exactly the catalog's."""
    tagged = [cable for cable in site.cables if cable.has("tag", "PGOV")]
    year = most_common(tagged, "year")
    both = [cable for cable in tagged if cable.has("year", year)]
    assert 0 < len(both) < len(tagged)

    page = tab.open("/search/?tag=PGOV")
    assert total(page) == len(tagged)
    assert shown_count(page, "tag", "PGOV") == len(tagged)
    assert shown_count(page, "year", year) == len(both)
    # The other values of a group say what ticking them would add.
    for other, count in Counter(
        v for c in site.cables for v in c.filters.get("tag", [])
    ).most_common(3):
        if other != "PGOV":
            assert shown_count(page, "tag", other) == count

    searched(page, lambda: page.locator(f'input[name="year"][value="{year}"]').check())
    assert query_of(page.url) == {"tag": ["PGOV"], "year": [year]}
    assert total(page) == len(both)
    assert len(every_result(page)) == len(both)
    in_year = [cable for cable in site.cables if cable.has("year", year)]
    assert shown_count(page, "tag", "PGOV") == len(both)
    # The year group counts leave out the year's own tick: every PGOV cable of that year.
    assert shown_count(page, "year", year) == len(both)

    searched(page, lambda: page.locator('input[name="tag"][value="PGOV"]').uncheck())
    assert query_of(page.url) == {"year": [year]}
    assert total(page) == len(in_year)


def test_filters_narrow_a_query_by_the_counts_they_show(tab: Tab) -> None:
    page = tab.open("/search/?q=trafficking")
    everything = total(page)
    tag, value = first_filter(page, "tag")
    expected = shown_count(page, "tag", value)
    assert 0 < expected < everything
    searched(page, tag.check)
    assert query_of(page.url) == {"q": ["trafficking"], "tag": [value]}
    assert total(page) == expected

    year, year_value = first_filter(page, "year")
    expected = shown_count(page, "year", year_value)
    searched(page, year.check)
    assert query_of(page.url) == {"q": ["trafficking"], "tag": [value], "year": [year_value]}
    assert total(page) == expected
    dates = [result["date"] for result in every_result(page)]
    assert dates and all(date.startswith(year_value) for date in dates)


@pytest.mark.parametrize("order", ["newest", "oldest"])
def test_sorting_by_date_orders_every_result(tab: Tab, site: SearchSite, order: str) -> None:
    page = tab.open(f"/search/?q=trafficking&sort={order}")
    assert page.input_value("#search-sort") == order
    found = every_result(page)
    assert len(found) == total(page) > 20
    # Undated cables (a few in the corpus) sort as the oldest.
    dates = [result["date"] or "" for result in found]
    assert dates == sorted(dates, reverse=order == "newest")
    # In the sharded build the results come from several shards, one after another.
    spanned = {
        shard["path"]
        for shard in site.shards
        for date in dates
        if date and shard["first"] is not None and shard["first"] <= date <= shard["last"]
    }
    assert len(spanned) >= min(3, len(site.shards)), spanned


def test_a_sub_result_opens_its_paragraph_with_the_words_marked(tab: Tab) -> None:
    page = tab.open("/search/?q=trafficking")
    sub = page.locator(".search-subresult").first
    link = sub.locator("a")
    href = link.get_attribute("href")
    assert href is not None
    anchor = href.rsplit("#", 1)[1]
    assert re.fullmatch(r"par\d+", anchor), href
    assert link.inner_text().startswith("¶")
    word = sub.locator("mark").first.inner_text().strip(" ,.;:()\"'").lower()
    with page.expect_navigation():
        link.click()
    assert urlsplit(page.url).fragment == anchor
    assert "trafficking" in query_of(page.url)["highlight"]
    marks = page.locator(f"#{anchor} mark")
    marks.first.wait_for()
    assert any(word in text.lower() for text in marks.all_inner_texts()), (word, anchor)
    # The paragraph is on screen, where the link pointed.
    box = page.locator(f"#{anchor}").bounding_box()
    assert box is not None and 0 <= box["y"] < DESKTOP["height"]


@pytest.mark.parametrize("typed", ["07GUATEMALA1906", "07guatemala1906", "07 GUATEMALA 1906"])
def test_a_reference_id_comes_first(tab: Tab, typed: str) -> None:
    page = tab.open("/search/")
    page.fill("#search-q", typed)
    searched(page, lambda: page.press("#search-q", "Enter"))
    first = results(page)[0]
    assert first["reference"] == SEED_ID, first
    assert first["href"].startswith(tab.site.path(f"/cable/2007/09/{SEED_ID}.html"))


def test_a_reference_id_from_an_old_shard_comes_first(tab: Tab, site: SearchSite) -> None:
    """An ID of the oldest shard's last year, that other cables cite, typed with spaces."""
    year = str(site.shards[-1]["years"][-1])
    wanted = next(
        cable.reference
        for cable in site.cables
        if cable.has("year", year) and cable.cited and cable.reference != SEED_ID
    )
    spaced = re.sub(r"^(\d{2})([A-Z]+)(\d+)$", r"\1 \2 \3", wanted).lower()
    page = tab.open("/search/")
    page.fill("#search-q", spaced)
    searched(page, lambda: page.press("#search-q", "Enter"))
    assert results(page)[0]["reference"] == wanted


def test_the_url_holds_the_search_and_history_restores_it(tab: Tab) -> None:
    page = tab.open("/search/?q=trafficking")
    first = total(page)

    page.fill("#search-q", "guatemala")
    searched(page, lambda: page.click(".search-row button"))
    assert query_of(page.url) == {"q": ["guatemala"]}
    second = total(page)
    assert second != first

    searched(page, lambda: page.select_option("#search-sort", "newest"))
    assert query_of(page.url) == {"q": ["guatemala"], "sort": ["newest"]}

    box, country = first_filter(page, "country")
    searched(page, box.check)
    assert query_of(page.url) == {"q": ["guatemala"], "sort": ["newest"], "country": [country]}
    third = total(page)

    # Reloading restores everything from the URL.
    searched(page, page.reload)
    assert page.input_value("#search-q") == "guatemala"
    assert page.input_value("#search-sort") == "newest"
    assert page.locator(f'input[name="country"][value="{country}"]').is_checked()
    assert total(page) == third

    # Back: the filter goes, then the order, then the first query.
    searched(page, page.go_back)
    assert query_of(page.url) == {"q": ["guatemala"], "sort": ["newest"]}
    assert total(page) == second
    assert not page.locator(f'input[name="country"][value="{country}"]').is_checked()
    searched(page, page.go_back)
    assert query_of(page.url) == {"q": ["guatemala"]}
    assert page.input_value("#search-sort") == "relevance"
    searched(page, page.go_back)
    assert query_of(page.url) == {"q": ["trafficking"]}
    assert page.input_value("#search-q") == "trafficking"
    assert total(page) == first
    searched(page, page.go_forward)
    assert query_of(page.url) == {"q": ["guatemala"]}


def test_a_new_search_replaces_one_still_running(tab: Tab) -> None:
    page = tab.open("/search/?q=guatemala")
    expected = [result["reference"] for result in results(page)]
    page.fill("#search-q", "trafficking")
    page.press("#search-q", "Enter")
    page.fill("#search-q", "guatemala")
    page.press("#search-q", "Enter")  # before the first has finished
    wait_for_search(page)
    assert query_of(page.url) == {"q": ["guatemala"]}
    assert [result["reference"] for result in results(page)] == expected
    assert page.inner_text("#search-status").endswith("match “guatemala”.")


def test_the_header_search_box_leads_to_the_search(tab: Tab) -> None:
    page = tab.open(f"/cable/2007/09/{SEED_ID}.html")
    page.fill("#site-search-q", "trafficking")
    with page.expect_navigation():
        page.press("#site-search-q", "Enter")
    wait_for_search(page)
    assert query_of(page.url) == {"q": ["trafficking"]}
    assert total(page) > 0


def test_a_year_filter_searches_only_the_shards_of_that_year(opener: Opener) -> None:
    tab = opener()
    fetched: list[str] = []
    tab.page.on("request", lambda request: fetched.append(request.url))
    page = tab.open("/search/?q=trafficking&year=2007")
    assert total(page) > 0
    holding = {shard["path"] for shard in tab.site.shards if 2007 in shard["years"]}
    # Pagefind's script comes from the first shard listed; its index files from each shard searched.
    index = [url for url in fetched if not url.endswith("/pagefind.js")]
    used = {
        shard["path"] for shard in tab.site.shards if any(f"/{shard['path']}/" in u for u in index)
    }
    assert used == holding, f"searched {sorted(used)}, expected {sorted(holding)}"
    tab.no_problems()


def test_no_serious_accessibility_violations_with_results(tab: Tab) -> None:
    page = tab.open("/search/?q=trafficking&tag=PGOV")
    page.locator(".filter-toggle").first.click()  # a long list, shown in full
    _add_axe(tab)
    result: dict[str, Any] = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    serious = [v for v in result["violations"] if v["impact"] in {"serious", "critical"}]
    assert not serious, describe_violations(serious)


def test_dark_mode_keeps_colour_contrast(opener: Opener) -> None:
    tab = opener(color_scheme="dark")
    page = tab.open("/search/?q=trafficking")
    _add_axe(tab)
    result: dict[str, Any] = page.evaluate("axe.run(document, {runOnly: ['color-contrast']})")
    assert result["passes"], "axe found no text to check the contrast of"
    assert not result["violations"], describe_violations(result["violations"])
    tab.no_problems()


def test_fits_a_phone_with_the_filters_folded(opener: Opener) -> None:
    tab = opener(viewport=PHONE)
    page = tab.open("/search/?q=trafficking")
    assert page.locator("#search-filter-panel").get_attribute("open") is None
    overflow = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    assert page.evaluate(overflow) <= 0
    page.locator("#search-filter-panel summary").click()
    assert page.locator('input[name="tag"]').first.is_visible()
    assert page.evaluate(overflow) <= 0
    tab.no_problems()


def test_without_javascript_the_page_says_so(opener: Opener) -> None:
    tab = opener(javascript=False)
    page = tab.open("/search/")
    notice = page.locator("main .notice")
    assert "needs JavaScript" in notice.inner_text()
    assert notice.locator(f'a[href="{tab.site.path("/tags/")}"]').count() == 1
    tab.no_problems()


def test_first_query_download(opener: Opener) -> None:
    """What a reader downloads for a first query: until its first results, and in all."""
    tab = opener()
    page = tab.open("/search/")
    page.wait_for_load_state("networkidle")
    page.evaluate("performance.setResourceTimingBufferSize(5000)")
    started: float = page.evaluate("performance.now()")
    page.fill("#search-q", "trafficking")
    page.press("#search-q", "Enter")
    wait_for_search(page)
    page.wait_for_load_state("networkidle")
    # Pagefind runs on the page's thread (no worker), so its fetches are the page's own.
    sizes: dict[str, float] = page.evaluate(
        """started => {
            const shown = performance.getEntriesByName('search-results', 'mark')
                .filter(mark => mark.startTime >= started)[0].startTime;
            const resources = performance.getEntriesByType('resource');
            const entries = resources.filter(e => e.startTime >= started);
            const sum = list => list.reduce((bytes, e) => bytes + e.transferSize, 0);
            const before = resources.filter(e => e.startTime < started);
            const page = performance.getEntriesByType('navigation')[0].transferSize;
            const raw = list => list.reduce((bytes, e) => bytes + e.decodedBodySize, 0);
            const first = entries.filter(e => e.responseEnd <= shown);
            return {first: sum(first), all: sum(entries), page: page + sum(before),
                    firstRaw: raw(first), allRaw: raw(entries)};
        }""",
        started,
    )
    parts = len(tab.site.shards)
    kb = {name: f"{value / 1000:.0f} KB" for name, value in sizes.items()}
    FIGURES.append(
        f"search ({tab.site.name}, {sum(s['cables'] for s in tab.site.shards)} cables):"
        f" the page {kb['page']}; a first query {kb['first']} until its first results"
        f" ({kb['firstRaw']} uncompressed), {kb['all']} with all {parts} part(s) searched"
        f" ({kb['allRaw']} uncompressed)"
    )
    assert 0 < sizes["first"] < FIRST_QUERY_BUDGET, sizes
    tab.no_problems()


def _add_axe(tab: Tab) -> None:
    """axe-core, served by the test server from the site's own origin (the CSP lets it in)."""
    if not AXE.is_file():
        pytest.fail(f"axe-core is missing at {AXE}: run `npm ci` (make test does)")
    tab.page.add_script_tag(url=tab.site.url + AXE_PATH)
