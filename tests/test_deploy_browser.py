"""The site under the host's headers, in a real browser (Debian's Chromium, headless):
`site-builder preview` serves the built corpus with netlify.toml's headers, and the home
page, a cable page and a filtered search run with no Content-Security-Policy violation
and nothing on the console. Without Chromium these tests fail: never skip.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Response

from site_builder.deploy.netlify import HostHeaders, load_headers
from tests.search_pages import Opener, SearchSite, Tab, first_filter, query_of, searched, total
from tests.serve_fixtures import SEED_PAGE, Served
from tests.site_fixtures import NETLIFY_TOML, BuiltSite

VIOLATION = "policy violation: "
# Reports every violation of the policy, from any page the tab opens, to the test.
REPORT_VIOLATIONS = """
document.addEventListener('securitypolicyviolation', (event) => {
  window.reportViolation(
    `${event.violatedDirective} blocked ${event.blockedURI || 'inline'}`
    + ` at ${event.sourceFile}:${event.lineNumber}`);
});
"""


@pytest.fixture(scope="module")
def headers() -> HostHeaders:
    loaded, problems = load_headers(NETLIFY_TOML)
    assert not problems, [str(problem) for problem in problems]
    return loaded


@pytest.fixture
def tab(browser: Browser, previewed: Served, corpus_site: BuiltSite) -> Iterator[Tab]:
    """A tab on the preview that counts policy violations among its problems and records
    every page it loads; the test fails on any problem (a violation, a console error or
    warning, a failed request) or a page sent without the policy."""
    opener = Opener(browser, SearchSite("preview", corpus_site.out, previewed.url, [], []))
    opened = opener()
    documents: list[Response] = []
    opened.page.expose_function(
        "reportViolation", lambda text: opened.problems.append(VIOLATION + text)
    )
    opened.page.add_init_script(REPORT_VIOLATIONS)
    opened.page.on(
        "response",
        lambda response: (
            documents.append(response) if response.request.resource_type == "document" else None
        ),
    )
    try:
        yield opened
        assert documents, "no page was loaded"
        for response in documents:
            policy = response.headers.get("content-security-policy")
            assert policy, f"{response.url}: sent without the host's policy"
        opened.no_problems()
    finally:
        opener.close()


def test_the_policy_is_the_hosts_and_is_enforced(tab: Tab, headers: HostHeaders) -> None:
    """The preview sends netlify.toml's policy, and Chromium enforces it: an inline
    script is refused (and the refusal reaches the test)."""
    page = tab.open("/")
    response = page.request.get(tab.site.url + "/")
    assert response.headers["content-security-policy"] == headers.value(
        "/", "Content-Security-Policy"
    )
    page.evaluate(
        "() => { const script = document.createElement('script');"
        " script.textContent = 'window.ranInline = true'; document.body.append(script); }"
    )
    refused = VIOLATION + "script-src"
    for _ in range(100):
        if any(problem.startswith(refused) for problem in tab.problems):
            break
        page.wait_for_timeout(50)
    else:
        raise AssertionError(f"the inline script's refusal was not reported: {tab.problems}")
    assert page.evaluate("window.ranInline") is None
    tab.problems.clear()  # the refusal was meant: its report and console line are no fault


def test_the_home_page(tab: Tab) -> None:
    page = tab.open("/")
    page.wait_for_load_state("networkidle")
    assert page.locator("main").count() == 1


def test_a_cable_page_with_its_searched_words_marked(tab: Tab) -> None:
    page = tab.open(f"{SEED_PAGE}?highlight=trafficking")
    page.locator("main mark").first.wait_for()
    assert "traffick" in page.locator("main mark").first.inner_text().lower()
    page.wait_for_load_state("networkidle")


def test_a_search_with_a_filter(tab: Tab) -> None:
    page = tab.open("/search/?q=trafficking")
    everything = total(page)
    box, value = first_filter(page, "tag")
    searched(page, box.check)
    assert query_of(page.url) == {"q": ["trafficking"], "tag": [value]}
    assert 0 < total(page) < everything
    page.wait_for_load_state("networkidle")
