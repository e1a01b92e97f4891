"""The dev server in a real browser (Debian's Chromium): an open page follows the edits.

A marker set on the page's `window` tells a reload (the marker is gone) from a change
made in place (the marker stays).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from tests.serve_fixtures import SEED_FILE, SEED_PAGE, Served, edited

SUBJECT = "SUBJECT: DEMARCHE ON TIP TIER 2 WATCH ACTION PLAN (2007-08)"
WAIT_MS = 30_000


@pytest.fixture
def open_page(browser: Browser, dev_site: Served) -> Iterator[Page]:
    """The seed cable's page, open and listening to the server, with a marker set."""
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(dev_site.url + SEED_PAGE, wait_until="load")
    page.wait_for_selector("html[data-live-version]", state="attached", timeout=WAIT_MS)
    page.evaluate("window.__marker = 'still the same page'")
    yield page
    context.close()
    assert not errors, errors


def _marker(page: Page) -> object:
    return page.evaluate("window.__marker ?? null")


def test_an_open_page_reloads_by_itself_and_shows_the_new_text(
    open_page: Page, dev_site: Served
) -> None:
    cable = dev_site.content / "cables" / SEED_FILE
    with edited(cable, SUBJECT, "SUBJECT: A SUBJECT WRITTEN DURING THE TEST"):
        open_page.wait_for_function(
            "document.querySelector('h1').textContent.toUpperCase().includes('WRITTEN DURING')",
            timeout=WAIT_MS,
        )
        assert _marker(open_page) is None, "the page was reloaded"
    open_page.wait_for_function(
        "!document.querySelector('h1').textContent.toUpperCase().includes('WRITTEN DURING')",
        timeout=WAIT_MS,
    )


def test_a_stylesheet_edit_restyles_the_page_without_a_reload(
    open_page: Page, dev_site: Served
) -> None:
    stylesheet = dev_site.folder / "static" / "site.css"
    css = stylesheet.read_text()
    with edited(stylesheet, css, css + "\nbody { background-color: rgb(1, 2, 3); }\n"):
        open_page.wait_for_function(
            "getComputedStyle(document.body).backgroundColor === 'rgb(1, 2, 3)'", timeout=WAIT_MS
        )
        assert _marker(open_page) == "still the same page", "restyled in place, not reloaded"
    open_page.wait_for_function(
        "getComputedStyle(document.body).backgroundColor !== 'rgb(1, 2, 3)'", timeout=WAIT_MS
    )
    assert _marker(open_page) == "still the same page"


def test_a_broken_template_shows_the_overlay_until_it_is_fixed(
    open_page: Page, dev_site: Served
) -> None:
    template = dev_site.folder / "templates" / "cable.html"
    with edited(template, "{% block main %}", "{% block main %}{% endfor %}"):
        overlay = open_page.locator("#site-builder-problems")
        overlay.wait_for(state="visible", timeout=WAIT_MS)
        assert "templates/cable.html:" in overlay.inner_text()
        assert overlay.get_attribute("role") == "alert"
        assert "DEMARCHE" in open_page.locator("h1").inner_text().upper(), "the last good page"
    open_page.locator("#site-builder-problems").wait_for(state="detached", timeout=WAIT_MS)
    assert _marker(open_page) == "still the same page", "nothing changed: no reload needed"
