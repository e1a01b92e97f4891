"""A site served below a path (`--base-url /archive/`), as on a host's project pages.

The corpus, the seed and its notes, people and pages, built under `/archive/`: every link
and source of every page, every URL of the feed, the sitemap and robots.txt, the search
page's files and `_redirects` lead under the path, to files that exist. The search itself
runs in Chromium under `/archive/` as the third build of tests/test_search_browser.py.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from site_builder.deploy.redirects import FILE, read_rules
from tests.site_crawl import broken_links, html_pages, read_page, target_file
from tests.test_parser import SEED
from tests.test_redirects import landing, old_addresses
from tests.test_site import make_content, run_build

BASE = "/archive/"
SEED_CONTENT = SEED.parents[1]


@pytest.fixture(scope="module")
def archive_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The corpus and the seed's whole content, built to be served under /archive/."""
    folder = tmp_path_factory.mktemp("archive-site")
    content = make_content(folder)
    for part in ("annotations", "people", "pages"):
        if (SEED_CONTENT / part).is_dir():
            shutil.copytree(SEED_CONTENT / part, content / part)
    out = folder / "public"
    run_build(content, out, base_url=BASE)
    return out


def _internal(links: list[str]) -> list[str]:
    return [link for link in links if not urlsplit(link).scheme and not link.startswith("#")]


def test_every_link_leads_under_the_base_path_to_a_page(archive_site: Path) -> None:
    links = [link for page in html_pages(archive_site) for link in read_page(page).links]
    assert len(_internal(links)) > 10_000
    broken = broken_links(archive_site, BASE)
    assert not broken, broken[:20]


def test_the_404_page_links_by_paths_that_work_at_any_depth(archive_site: Path) -> None:
    """The host serves 404.html for any missing path: a relative link would be wrong."""
    links = _internal(read_page(archive_site / "404.html").links)
    assert links and all(link.startswith(BASE) for link in links), links


def _located(out: Path, urls: list[str]) -> list[str]:
    """The URLs that are not under the base path, or lead to no file."""
    return [
        url
        for url in urls
        if (found := target_file(out, None, urlsplit(url).path, BASE)) is None
        or not found.is_file()
    ]


def test_the_feed_sitemap_and_robots_lead_under_the_base_path(archive_site: Path) -> None:
    sitemap = (archive_site / "sitemap.xml").read_text(encoding="utf-8")
    listed = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    pages = [page for page in html_pages(archive_site) if page.name != "404.html"]
    assert len(listed) == len(pages)
    assert not _located(archive_site, listed)
    feed = (archive_site / "feed.xml").read_text(encoding="utf-8")
    feed_urls = re.findall(r'href="([^"]+)"', feed) + re.findall(r"<id>([^<]+)</id>", feed)
    assert len(feed_urls) > 50
    assert not _located(archive_site, feed_urls)
    robots = (archive_site / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {BASE}sitemap.xml" in robots.splitlines()


def test_the_search_page_finds_its_files_under_the_base_path(archive_site: Path) -> None:
    html = (archive_site / "search" / "index.html").read_text(encoding="utf-8")
    assert f'data-search-root="{BASE}"' in html
    assert f'action="{BASE}search/"' in html
    scripts = re.findall(r'<script[^>]* src="([^"]+)"', html)
    assert scripts and not _located(archive_site, scripts)
    manifest = (archive_site / "search" / "shards.json").read_text(encoding="utf-8")
    folders = re.findall(r'"path": "([^"]+)"', manifest)
    # Relative to the root the page names, as search.js reads them.
    assert folders and all((archive_site / f / "pagefind-entry.json").is_file() for f in folders)


def test_redirects_lead_from_and_to_the_base_path(archive_site: Path) -> None:
    rules = read_rules((archive_site / FILE).read_text(encoding="utf-8"))
    assert rules and all(r.path.startswith(BASE) and r.target.startswith(BASE) for r in rules)
    wrong = []
    for address in old_addresses():
        url, _, problem = landing(archive_site, BASE, address)
        if problem or not url.startswith(BASE):
            wrong.append(f"{address} -> {url}: {problem}")
    assert not wrong, wrong[:20]


def test_a_full_base_url_keeps_redirects_to_its_path(tmp_path: Path) -> None:
    content = make_content(tmp_path, corpus=False)
    out = tmp_path / "public"
    run_build(content, out, base_url="https://example.org/archive/", search=False)
    links = [link for link in read_page(out / "index.html").links if not link.startswith("#")]
    assert links and all(link.startswith("https://example.org/archive/") for link in links)
    rules = read_rules((out / FILE).read_text(encoding="utf-8"))
    assert rules and all(r.path.startswith(BASE) and r.target.startswith(BASE) for r in rules)


@pytest.mark.parametrize("bases", [("/", BASE), (BASE, "/")])
def test_sites_built_one_after_another_keep_their_own_base(
    tmp_path: Path, bases: tuple[str, str]
) -> None:
    """A process compiles each template once and keeps it (the dev server builds again
    and again), and compiling works out a constant link (`'/tags/'|url`): a site built
    after another with a different base URL must not get the other's links."""
    content = make_content(tmp_path, corpus=False)
    for number, base in enumerate(bases):
        out = tmp_path / f"public-{number}"
        run_build(content, out, base_url=base, search=False, jobs=1)
        links = read_page(out / "cable" / "2007" / "09" / "07GUATEMALA1906.html").links
        assert base + "tags/" in links and base + "feed.xml" in links
        assert all(link.startswith(base) for link in _internal(links)), links
