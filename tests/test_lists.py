"""List pages: the window of pages their pagination links, the pagination of a built
list of many pages (every page reachable, every link alive, the page count followed by
incremental builds), and the classification badge the lists' rows show."""

from __future__ import annotations

from datetime import datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest

from site_builder import urls
from site_builder.build import build
from site_builder.pages import lists
from site_builder.pages.lists import PageLink, page_window, pagination
from site_builder.render.assets import collect_assets
from site_builder.render.environment import classification_badge, make_environment
from site_builder.site import TOOL_ROOT, load_site
from tests.site_crawl import broken_links
from tests.tiny_cables import tiny_cable, write_archive

# ---------------------------------------------------------------- the window of pages


@pytest.mark.parametrize(
    ("page", "pages", "window"),
    [
        (1, 1, [1]),
        (1, 2, [1, 2]),
        (2, 2, [1, 2]),
        (1, 10, [1, 2, 3, None, 10]),
        (2, 10, [1, 2, 3, 4, None, 10]),
        (10, 10, [1, None, 8, 9, 10]),
        (9, 10, [1, None, 7, 8, 9, 10]),
        (6, 20, [1, None, 4, 5, 6, 7, 8, None, 20]),
        # a single page skipped is shown, not an ellipsis
        (5, 20, [1, 2, 3, 4, 5, 6, 7, None, 20]),
        (16, 20, [1, None, 14, 15, 16, 17, 18, 19, 20]),
        (4, 7, [1, 2, 3, 4, 5, 6, 7]),
        (1250, 2500, [1, None, 1248, 1249, 1250, 1251, 1252, None, 2500]),
    ],
)
def test_the_window_holds_the_ends_and_two_pages_either_side(
    page: int, pages: int, window: list[int | None]
) -> None:
    assert page_window(page, pages) == window


@pytest.mark.parametrize("pages", range(1, 40))
def test_every_window_is_short_and_skips_only_where_it_says(pages: int) -> None:
    for page in range(1, pages + 1):
        window = page_window(page, pages)
        numbers = [n for n in window if n is not None]
        assert numbers == sorted(set(numbers)), "each page once, in order"
        assert numbers[0] == 1 and numbers[-1] == pages
        assert set(range(max(1, page - 2), min(pages, page + 2) + 1)) <= set(numbers)
        assert len(window) <= 9, "never more than 7 pages and 2 gaps, however long the list"
        for before, item, after in zip(window, window[1:], window[2:], strict=False):
            if item is None:
                assert before is not None and after is not None and after - before > 2
            elif before is not None:
                assert item == before + 1, f"{before} to {item} with no gap between"


def test_the_pagination_links_the_pages_at_their_urls() -> None:
    pager = pagination("/tag/PGOV/", 3, 8)
    assert (pager.newer, pager.older) == ("/tag/PGOV/page/2/", "/tag/PGOV/page/4/")
    assert pager.links == [
        PageLink(1, "/tag/PGOV/"),
        PageLink(2, "/tag/PGOV/page/2/"),
        PageLink(3, "/tag/PGOV/page/3/"),
        PageLink(4, "/tag/PGOV/page/4/"),
        PageLink(5, "/tag/PGOV/page/5/"),
        None,
        PageLink(8, "/tag/PGOV/page/8/"),
    ]
    first, last = pagination("/tag/PGOV/", 1, 8), pagination("/tag/PGOV/", 8, 8)
    assert first.newer is None and first.older == "/tag/PGOV/page/2/"
    assert last.newer == "/tag/PGOV/page/7/" and last.older is None


# ---------------------------------------------------------------- a built list of many pages


class NavReader(HTMLParser):
    """The pagination navs of a page, each as its label and its items: `("prev", href)`,
    `("next", href)`, `("page", number, href)`, `("current", number)`, `("gap",)`."""

    def __init__(self) -> None:
        super().__init__()
        self.navs: list[tuple[str, list[tuple[str, ...]]]] = []
        self.inside = False
        self.gap_hidden: list[bool] = []
        self._href: str | None = None
        self._rel: str | None = None
        self._current = False
        self._gap = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "nav" and values.get("class") == "pagination":
            self.inside = True
            self.navs.append((str(values.get("aria-label")), []))
        elif self.inside and tag == "a":
            self._href, self._rel = values.get("href"), values.get("rel")
        elif self.inside and tag == "span" and values.get("aria-current") == "page":
            self._current = True
        elif self.inside and tag == "li" and values.get("class") == "gap":
            self._gap = True
            self.gap_hidden.append(values.get("aria-hidden") == "true")

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav":
            self.inside = False
        elif tag == "a":
            self._href = self._rel = None
        elif tag == "span":
            self._current = False
        elif tag == "li":
            self._gap = False

    def handle_data(self, data: str) -> None:
        if not self.inside or not data.strip():
            return
        items = self.navs[-1][1]
        if self._gap:
            items.append(("gap",))
        elif self._rel in ("prev", "next") and self._href and data.strip() in ("Newer", "Older"):
            items.append((self._rel, self._href))
        elif self._href and data.strip().isdigit():
            items.append(("page", data.strip(), self._href))
        elif self._current:
            items.append(("current", data.strip()))


def read_navs(path: Path) -> NavReader:
    reader = NavReader()
    reader.feed(path.read_text(encoding="utf-8"))
    return reader


def list_page(out: Path, base: str, page: int) -> Path:
    return out / urls.file_of(urls.paged(base, page))


def write_cables(folder: Path, count: int, newest: datetime) -> Path:
    """`count` cables tagged PREL, a day apart back from `newest`."""
    return write_archive(
        folder,
        (tiny_cable(1000 + n, newest - timedelta(days=n), ["PREL"]) for n in range(count)),
    )


@pytest.fixture
def small_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Three cables a page, so that a few dozen cables make a list of many pages."""
    monkeypatch.setattr(lists, "PAGE_SIZE", 3)


@pytest.mark.usefixtures("small_pages")
def test_a_long_lists_pages_link_a_window_and_reach_every_page(tmp_path: Path) -> None:
    content = write_cables(tmp_path, 36, datetime(2008, 12, 31, 12, 0))
    out = tmp_path / "public"
    build(load_site(content, out, search=False, jobs=1))
    base = "/tag/PREL/"

    def page(n: int) -> str:
        return urls.paged(base, n)

    sixth = read_navs(list_page(out, base, 6))
    expected = [
        ("prev", page(5)),
        ("page", "1", page(1)),
        ("gap",),
        *(("page", str(n), page(n)) for n in (4, 5)),
        ("current", "6"),
        *(("page", str(n), page(n)) for n in (7, 8)),
        ("gap",),
        ("page", "12", page(12)),
        ("next", page(7)),
    ]
    assert sixth.navs == [("Pages of this list", expected), ("More pages of this list", expected)]
    assert sixth.gap_hidden == [True] * 4, "the ellipses are hidden from screen readers"
    assert "36 cables, page 6 of 12." in list_page(out, base, 6).read_text(encoding="utf-8")

    first, last = read_navs(list_page(out, base, 1)), read_navs(list_page(out, base, 12))
    assert first.navs[0][1][0] == ("current", "1") and first.navs[0][1][-1] == ("next", page(2))
    assert last.navs[0][1][0] == ("prev", page(11)) and last.navs[0][1][-1] == ("current", "12")

    seen, at = [], 1
    while at:
        seen.append(at)
        items = read_navs(list_page(out, base, at)).navs[0][1]
        older = [item[1] for item in items if item[0] == "next"]
        at = int(older[0].rstrip("/").rsplit("/", 1)[1]) if older else 0
    assert seen == list(range(1, 13)), "Older leads through every page once"
    assert sorted((out / "tag" / "PREL").rglob("index.html")) == sorted(
        list_page(out, base, n) for n in range(1, 13)
    )
    assert not broken_links(out), "every page a pagination links exists"


@pytest.mark.usefixtures("small_pages")
def test_a_list_page_follows_its_lists_new_length(tmp_path: Path) -> None:
    """Cables older than all others leave the first page's cables as they were, but not
    its pagination: an incremental build must make it again."""
    content = write_cables(tmp_path, 30, datetime(2008, 12, 31, 12, 0))
    out = tmp_path / "public"
    build(load_site(content, out, search=False, jobs=1))
    first = list_page(out, "/tag/PREL/", 1)
    assert read_navs(first).navs[0][1][-2] == ("page", "10", "/tag/PREL/page/10/")

    cables = content / "cables"
    for n in range(6):
        text = tiny_cable(5000 + n, datetime(2001, 1, 1, 12, 0) - timedelta(days=n), ["PREL"])
        (cables / f"older-{n}.txt").write_text(text, encoding="ascii")
    build(load_site(content, out, search=False, jobs=1))
    assert read_navs(first).navs[0][1][-2] == ("page", "12", "/tag/PREL/page/12/")
    assert "36 cables, page 1 of 12." in first.read_text(encoding="utf-8")


# ---------------------------------------------------------------- the classification badge


def test_the_badge_is_coloured_by_level_and_breaks_after_slashes() -> None:
    assert classification_badge("SECRET//NOFORN") == (
        '<span class="badge badge-secret">SECRET//<wbr>NOFORN</span>'
    )
    assert classification_badge("UNCLASSIFIED") == (
        '<span class="badge badge-unclassified">UNCLASSIFIED</span>'
    )


def test_the_badge_escapes_the_marking_once(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    site = load_site(tmp_path / "content", tmp_path / "public")
    environment = make_environment(site, collect_assets([TOOL_ROOT / "static"]))
    shown = environment.from_string("{{ marking|badge }}").render(
        marking='CONFIDENTIAL//<script>"x"&</script>'
    )
    assert shown == (
        '<span class="badge badge-confidential">CONFIDENTIAL//<wbr>'
        "&lt;script&gt;&#34;x&#34;&amp;&lt;/script&gt;</span>"
    )
