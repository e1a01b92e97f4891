"""The corpus site in a real browser: Debian's Chromium, driven by Playwright, over HTTP.

The test server sends a strict Content-Security-Policy, so an inline script or style
would show as a console error. Each page must load without console errors or failed
requests, pass axe-core with no serious or critical violation, keep its colour contrast
in dark mode, and fit a phone's width. Without Chromium these tests fail: never skip.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Request,
    Response,
    ViewportSize,
)

from tests.site_fixtures import describe_violations

SEED_CABLE = "/cable/2007/09/07GUATEMALA1906.html"
PAGES = {
    "home": "/",
    "cable": SEED_CABLE,
    "tag": "/tag/PGOV/",
    "country": "/country/guatemala/",
}
PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
Scheme = Literal["light", "dark"]


@dataclass
class Visit:
    """A page as loaded, with whatever went wrong while loading it."""

    page: Page
    axe_url: str
    problems: list[str] = field(default_factory=list)


class Visitor(Protocol):
    def __call__(
        self, path: str, color_scheme: Scheme = "light", viewport: ViewportSize = DESKTOP
    ) -> Visit: ...


@pytest.fixture
def visit(browser: Browser, site_server: str, axe_url: str) -> Iterator[Visitor]:
    """Opens a site path in a fresh context, recording console errors and failed requests."""
    contexts: list[BrowserContext] = []

    def open_page(
        path: str, color_scheme: Scheme = "light", viewport: ViewportSize = DESKTOP
    ) -> Visit:
        context = browser.new_context(viewport=viewport, color_scheme=color_scheme)
        contexts.append(context)
        page = context.new_page()
        seen = Visit(page, axe_url)

        def on_console(message: ConsoleMessage) -> None:
            if message.type == "error":
                seen.problems.append(f"console error: {message.text}")

        def on_failed(request: Request) -> None:
            seen.problems.append(f"request failed: {request.url} ({request.failure})")

        def on_response(response: Response) -> None:
            if response.status >= 400:
                seen.problems.append(f"HTTP {response.status}: {response.url}")

        page.on("console", on_console)
        page.on("pageerror", lambda error: seen.problems.append(f"page error: {error}"))
        page.on("requestfailed", on_failed)
        page.on("response", on_response)
        response = page.goto(site_server + path, wait_until="load")
        assert response is not None and response.status == 200, f"{path}: not served"
        return seen

    yield open_page
    for context in contexts:
        context.close()


def _axe(seen: Visit, options: dict[str, Any]) -> dict[str, Any]:
    """Run axe-core on the page (served from the site's own origin: the CSP lets it in)."""
    seen.page.add_script_tag(url=seen.axe_url)
    result: dict[str, Any] = seen.page.evaluate("options => axe.run(document, options)", options)
    return result


@pytest.mark.parametrize("name", PAGES)
def test_page_loads_without_errors(visit: Visitor, name: str) -> None:
    seen = visit(PAGES[name])
    seen.page.wait_for_load_state("networkidle")
    assert seen.page.locator("h1").count() == 1
    assert not seen.problems, "\n".join(seen.problems)


@pytest.mark.parametrize("name", PAGES)
def test_no_serious_accessibility_violations(visit: Visitor, name: str) -> None:
    seen = visit(PAGES[name])
    result = _axe(seen, {"resultTypes": ["violations"]})
    serious = [v for v in result["violations"] if v["impact"] in {"serious", "critical"}]
    assert not serious, describe_violations(serious)
    assert not seen.problems, "\n".join(seen.problems)


@pytest.mark.parametrize("name", PAGES)
def test_dark_mode_keeps_colour_contrast(visit: Visitor, name: str) -> None:
    seen = visit(PAGES[name], color_scheme="dark")
    background = seen.page.evaluate(
        "getComputedStyle(document.body).backgroundColor.match(/\\d+/g).slice(0, 3).map(Number)"
    )
    assert sum(background) < 3 * 80, f"dark mode did not darken the page: rgb{tuple(background)}"
    # The collapsed telegram and addressees are opened, so that their text is checked too.
    seen.page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    result = _axe(seen, {"runOnly": ["color-contrast"]})
    assert result["passes"], "axe found no text to check the contrast of"
    assert not result["violations"], describe_violations(result["violations"])


@pytest.mark.parametrize("name", PAGES)
def test_fits_a_phone_without_sideways_scrolling(visit: Visitor, name: str) -> None:
    seen = visit(PAGES[name], viewport=PHONE)
    overflow = seen.page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the page is {overflow}px wider than a {PHONE['width']}px phone"


def test_skip_link_comes_first_and_shows_when_focused(visit: Visitor) -> None:
    page = visit(SEED_CABLE).page
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "(() => { const a = document.activeElement; const r = a.getBoundingClientRect();"
        " return {href: a.getAttribute('href'), top: r.top, left: r.left, width: r.width,"
        " outline: getComputedStyle(a).outlineStyle}; })()"
    )
    assert focused["href"] == "#main", f"the first Tab lands on {focused}"
    assert focused["top"] >= 0 and focused["left"] >= 0 and focused["width"] > 0, focused
    assert focused["outline"] != "none", "the focused skip link has no visible focus ring"
    page.keyboard.press("Enter")
    page.wait_for_url("**#main", timeout=5_000)  # the jump to the anchor lands


def test_cable_page_reads_as_designed(visit: Visitor) -> None:
    """The seed: its title, the capitals as sent, anchored paragraphs, telegram collapsed."""
    page = visit(SEED_CABLE).page
    assert page.locator("h1").inner_text() == "Demarche on TIP Tier 2 Watch Action Plan (2007-08)"
    assert "DEMARCHE ON TIP TIER 2 WATCH ACTION PLAN (2007-08)" in page.inner_text(".cable-header")
    assert page.locator("#par1 .pilcrow").get_attribute("href") == "#par1"
    assert page.locator("details.original").get_attribute("open") is None
    assert not page.locator("details.original pre").is_visible()
    assert page.locator(".metadata").get_by_text("20 September 2007, 21:39 UTC").is_visible()
    assert page.get_by_role("link", name="Guatemala", exact=True).first.is_visible()
    characters = page.evaluate(
        "(() => { const p = document.querySelector('#par2 p');"
        " const lines = p.offsetHeight / parseFloat(getComputedStyle(p).lineHeight);"
        " return p.textContent.length / Math.max(1, Math.round(lines)); })()"
    )
    assert 45 <= characters <= 90, f"{characters:.0f} characters a line: not a reading measure"
    page.locator("details.original summary").click()
    assert page.locator("details.original pre").is_visible()
    assert "SUBJECT: DEMARCHE ON TIP TIER 2" in page.inner_text("details.original pre")


def test_colour_scheme_follows_the_reader(visit: Visitor) -> None:
    colours = {
        scheme: visit(SEED_CABLE, color_scheme=scheme).page.evaluate(
            "getComputedStyle(document.body).color"
        )
        for scheme in ("light", "dark")
    }
    assert colours["light"] != colours["dark"]
