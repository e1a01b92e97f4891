"""Search figures over one archive: a cold build with the search index (indexing time,
its peak memory, the index's size, files and shards), then what a reader's first query
costs in Chromium.

The first query: the built site is served over HTTP as a static host serves it (the
search tests' host: the site's CSP, HTML, CSS, scripts and JSON gzip-compressed for a
browser that accepts it, Pagefind's index files as they are, compressed already), and a
fresh browser context (an empty cache) opens `/search/?q=<word>`. The bytes are those
Chromium's network layer received (CDP `Network.loadingFinished` `encodedDataLength`:
headers and body as sent), summed over every response that had ended when the first
result appeared (the page's `search-results` performance mark; when each response ended
comes from the Resource Timing entries of its URL). The time is that mark: from
navigation to the first result.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from playwright.sync_api import Browser, BrowserContext

from benchmarks.archive import Workspace
from benchmarks.measure import measure_build
from benchmarks.table import GB, KB, MB, Section
from site_builder.search.shards import FOLDER as SEARCH_FOLDER
from tests.site_fixtures import CHROMIUM, CompressingHostHandler, chromium, static_host

BUILD = "build with search"
BUILD_TIME = f"{BUILD}: wall time"
BUILD_MEMORY = f"{BUILD}: peak memory"
INDEXING_MEMORY = "search: indexing peak memory"
# Words of the real cables the synthetic ones are made from: one in three cables in
# four, one in about one in forty.
WORDS = ("government", "piracy")
_WAIT_MS = 120_000  # for the first result, at the largest archive

# In the page, once the first result is shown: when it was shown, and the URL of every
# response that had ended by then (the page itself included).
_ENDED_BEFORE_RESULTS = """() => {
    const shown = performance.getEntriesByName('search-results', 'mark')[0].startTime;
    const ended = performance.getEntries()
        .filter(e => e.entryType === 'navigation' || e.entryType === 'resource')
        .filter(e => e.responseEnd <= shown)
        .map(e => e.name);
    return {shown, ended, results: document.querySelectorAll('#search-results > li').length};
}"""


def first_bytes_row(word: str) -> str:
    return f"first query '{word}': downloaded until the first result"


def first_time_row(word: str) -> str:
    return f"first query '{word}': time to the first result"


def search_rows(site: Workspace, section: Section) -> None:
    """A cold build with the index, then each word's first query; the output stays as
    the site's `public/`, for the dev server's measurements to start from (serve.py)."""
    out = site.served
    run = measure_build(site.content, out)
    section.add(BUILD_TIME, run.seconds, "s")
    section.add(BUILD_MEMORY, run.peak_bytes / GB, "GB")
    section.add("search: indexing time", run.timings["search"], "s")
    section.add(INDEXING_MEMORY, run.stage_peak_bytes["search"] / GB, "GB")
    section.add("search: index size", run.count("search_bytes") / MB, "MB")
    section.add("search: index files", run.count("search_files"), "files")
    section.add("search: shards", run.count("shards"), "shards")
    if not CHROMIUM.is_file():
        raise RuntimeError(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    with static_host(out, CompressingHostHandler) as url, chromium() as browser:
        for word in WORDS:
            first = _first_query(browser, f"{url}/search/?q={word}")
            section.add(first_bytes_row(word), first.total / KB, "KB")
            section.add(f"first query '{word}': of which Pagefind's files", first.index / KB, "KB")
            section.add(first_time_row(word), first.milliseconds, "ms")


@dataclass(frozen=True)
class FirstQuery:
    """What a first query cost until its first result: bytes (Pagefind's among them)
    and milliseconds from navigation."""

    total: int
    index: int
    milliseconds: float


def _first_query(browser: Browser, url: str) -> FirstQuery:
    context = browser.new_context()
    try:
        received = _NetworkLog(context)
        page = received.page
        page.add_init_script("performance.setResourceTimingBufferSize(100000)")
        page.goto(url)
        page.wait_for_function(
            "() => performance.getEntriesByName('search-results', 'mark').length > 0",
            timeout=_WAIT_MS,
        )
        shown: dict[str, Any] = page.evaluate(_ENDED_BEFORE_RESULTS)
        if not shown["results"]:
            raise RuntimeError(f"{url}: no result, so no figure for a first query")
        sizes = received.sizes(Counter(shown["ended"]), page.wait_for_timeout)
    finally:
        context.close()
    index = sum(size for address, size in sizes if f"/{SEARCH_FOLDER}/" in address)
    return FirstQuery(sum(size for _, size in sizes), index, float(shown["shown"]))


class _NetworkLog:
    """A page whose requests are recorded over CDP: each one's URL, in the order sent,
    and its encoded length once it has finished."""

    def __init__(self, context: BrowserContext) -> None:
        self.page = context.new_page()
        self.urls: dict[str, str] = {}
        self.lengths: dict[str, int] = {}
        session = context.new_cdp_session(self.page)
        session.on("Network.requestWillBeSent", self._sent)
        session.on("Network.loadingFinished", self._finished)
        session.send("Network.enable")

    def _sent(self, event: dict[str, Any]) -> None:
        self.urls[event["requestId"]] = event["request"]["url"]

    def _finished(self, event: dict[str, Any]) -> None:
        self.lengths[event["requestId"]] = int(event["encodedDataLength"])

    def sizes(self, ended: Counter[str], pause: Callable[[float], None]) -> list[tuple[str, int]]:
        """(URL, bytes) of the first requests of each URL, as many as `ended` counts;
        `pause(ms)` lets late CDP events arrive (up to 5 s)."""
        for _ in range(100):
            wanted = Counter(ended)
            found = []
            for request, address in self.urls.items():
                if wanted[address] > 0 and request in self.lengths:
                    wanted[address] -= 1
                    found.append((address, self.lengths[request]))
            if not +wanted:
                return found
            pause(50)
        raise RuntimeError(f"no network record for {sorted(+wanted)}")
