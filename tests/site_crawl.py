"""Reading a built site as a crawler does: the links, sources and ids of its pages, and
every link or anchor that leads nowhere, for a site served at `/` or below a base path.

Shared by the whole-site tests (tests/test_site.py) and the base-URL tests
(tests/test_base_url.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class Page(HTMLParser):
    """The links, sources and ids of an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("href", "src"):
            if values.get(name):
                self.links.append(str(values[name]))
        if values.get("id"):
            self.ids.add(str(values["id"]))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def read_page(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def html_pages(out: Path) -> Iterator[Path]:
    yield from sorted(out.rglob("*.html"))


def broken_links(out: Path, base: str = "/") -> list[str]:
    """Every link or source of every page of the site in `out`, served under `base`, that
    leads to no file, or to a page without the anchor it names: `page -> link` each."""
    pages = {path: read_page(path) for path in html_pages(out)}
    ids = {path.resolve(): page.ids for path, page in pages.items()}
    broken: list[str] = []
    for path, page in pages.items():
        for link in page.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith("mailto:"):
                continue
            target = path if not parts.path else target_file(out, path, unquote(parts.path), base)
            if target is None or not target.is_file():
                broken.append(f"{path.relative_to(out)} -> {link}")
            elif parts.fragment and parts.fragment not in ids.get(target.resolve(), set()):
                broken.append(f"{path.relative_to(out)} -> {link} (no such anchor)")
    return broken


def target_file(out: Path, page: Path | None, path: str, base: str = "/") -> Path | None:
    """The file a link's path leads to, from `page` (None for a path that must be absolute),
    in a site served under `base`; None when it leads out of the site."""
    if path.startswith("/"):
        if not path.startswith(base):
            return None
        folder, path = out, path[len(base) :]
    elif page is None:
        return None
    else:
        folder = page.parent
    target = (folder / path).resolve()
    if not target.is_relative_to(out.resolve()):
        return None
    return target / "index.html" if path.endswith("/") or target.is_dir() else target
