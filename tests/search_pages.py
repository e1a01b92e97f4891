"""The search page as the browser tests open and read it: a built site served over HTTP
(`SearchSite`), tabs that gather whatever goes wrong in them (`Opener`, `Tab`), and the
readings of the page the search tests and the deploy tests both make.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Locator,
    Page,
    Request,
    Response,
    ViewportSize,
)

DESKTOP: ViewportSize = {"width": 1280, "height": 900}
Scheme = Literal["light", "dark"]


@dataclass(frozen=True)
class Cable:
    """A cable page as the search index sees it: its reference and its filter values."""

    reference: str
    filters: dict[str, list[str]]
    cited: bool  # other cables of the archive cite it

    def has(self, key: str, value: str) -> bool:
        return value in self.filters.get(key, [])


@dataclass(frozen=True)
class SearchSite:
    """One build of the corpus, served over HTTP."""

    name: str
    out: Path
    url: str  # where the site is served: its base path included, without its last /
    shards: list[dict[str, Any]] = field(repr=False)
    cables: list[Cable] = field(repr=False)

    def path(self, site_path: str) -> str:
        """A site path as the pages link it: `/tags/` (`/archive/tags/` below a path)."""
        return urlsplit(self.url).path + site_path


@dataclass
class Tab:
    """A page of one site, with whatever went wrong in it."""

    page: Page
    site: SearchSite = field(repr=False)
    problems: list[str] = field(default_factory=list)

    def open(self, path: str) -> Page:
        response = self.page.goto(self.site.url + path, wait_until="load")
        assert response is not None and response.status == 200, f"{path}: not served"
        if path.startswith("/search/") and "?" in path:
            wait_for_search(self.page)
        return self.page

    def no_problems(self) -> None:
        assert not self.problems, "\n".join(self.problems)


class Opener:
    def __init__(self, browser: Browser, site: SearchSite) -> None:
        self.browser = browser
        self.site = site
        self.contexts: list[BrowserContext] = []

    def __call__(
        self,
        viewport: ViewportSize = DESKTOP,
        color_scheme: Scheme = "light",
        javascript: bool = True,
    ) -> Tab:
        context = self.browser.new_context(
            viewport=viewport,
            color_scheme=color_scheme,
            java_script_enabled=javascript,
        )
        self.contexts.append(context)
        tab = Tab(context.new_page(), self.site)

        def on_console(message: ConsoleMessage) -> None:
            if message.type in {"error", "warning"}:
                tab.problems.append(f"console {message.type}: {message.text}")

        def on_failed(request: Request) -> None:
            # A navigation (reload, back) aborts what the page was still loading: no fault.
            if request.failure != "net::ERR_ABORTED":
                tab.problems.append(f"request failed: {request.url} ({request.failure})")

        def on_response(response: Response) -> None:
            if response.status >= 400:
                tab.problems.append(f"HTTP {response.status}: {response.url}")

        tab.page.on("console", on_console)
        tab.page.on("pageerror", lambda error: tab.problems.append(f"page error: {error}"))
        tab.page.on("requestfailed", on_failed)
        tab.page.on("response", on_response)
        return tab

    def close(self) -> None:
        for context in self.contexts:
            context.close()


def wait_for_search(page: Page) -> None:
    """Until the search the URL asks for has searched every shard it needs."""
    page.wait_for_function(
        "() => { const list = document.getElementById('search-results');"
        " return list.dataset.state === 'done' && list.dataset.query === location.search; }",
        timeout=30_000,
    )


def searched(page: Page, action: Callable[[], object]) -> None:
    """Do something that starts a search (click, back, reload), and wait for its end."""
    action()
    wait_for_search(page)


def total(page: Page) -> int:
    value = page.get_attribute("#search-results", "data-total")
    assert value is not None, "the page reported no total"
    return int(value)


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def first_filter(page: Page, key: str) -> tuple[Locator, str]:
    """The first box of a filter group (`tag`, `year`, ...) and the value it ticks."""
    box = page.locator(f'input[name="{key}"]').first
    value = box.get_attribute("value")
    assert value is not None, f"the first {key} box has no value"
    return box, value
