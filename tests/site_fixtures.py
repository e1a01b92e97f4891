"""The corpus site, built once per test session, and served over real HTTP.

Shared by the HTML validity tests and the browser tests (conftest.py loads this module
as a plugin): the whole shared corpus plus the seed cable (and the seed's notes,
people and pages, when there are any), built with the real build into a temporary folder.
Its static hosts (`static_host`, with the handler a test needs) and its Chromium
(`chromium`) serve every browser test, and the search benchmark too.
"""

from __future__ import annotations

import functools
import gzip
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, sync_playwright

from site_builder.build import build
from site_builder.deploy.netlify import load_headers
from site_builder.site import load_site

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("CABLE_SHARED", ROOT.parent / "shared"))
CORPUS_CABLES = SHARED / "corpus" / "cables"
SEED = ROOT / "content"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_PATH = "/__tests__/axe.min.js"  # where the test server serves axe-core, same origin

NETLIFY_TOML = ROOT / "netlify.toml"


def _content_security_policy() -> str:
    """The policy the host sets for this site, as netlify.toml gives it to pages: nothing
    inline, nothing foreign (Pagefind's WebAssembly aside)."""
    policy = load_headers(NETLIFY_TOML)[0].value("/", "Content-Security-Policy")
    assert policy, f"{NETLIFY_TOML} sets no Content-Security-Policy for pages"
    return policy


CONTENT_SECURITY_POLICY = _content_security_policy()


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@contextmanager
def chromium() -> Iterator[Browser]:
    """Debian's Chromium, headless, driven by Playwright: as the browser tests and the
    search benchmark run it."""
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Chromium for the session's browser tests; missing Chromium fails the test."""
    if not CHROMIUM.is_file():
        pytest.fail(
            f"Chromium is not installed at {CHROMIUM}: the browser tests need Debian's "
            "chromium (apt-get install chromium; .ci/run installs it)"
        )
    with chromium() as launched:
        yield launched


@dataclass(frozen=True)
class BuiltSite:
    """The corpus site: where its pages are, and how many cables went into it."""

    out: Path
    cables: int

    def html_files(self) -> list[Path]:
        return sorted(self.out.rglob("*.html"))


@pytest.fixture(scope="session")
def corpus_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The shared corpus and the seed, built once into a temporary folder."""
    corpus = sorted(CORPUS_CABLES.glob("*.txt"))
    if not corpus:
        pytest.fail(f"no corpus cables in {CORPUS_CABLES} (set CABLE_SHARED to the shared folder)")
    folder = tmp_path_factory.mktemp("corpus-site")
    content = folder / "content"
    cables = content / "cables"
    cables.mkdir(parents=True)
    for path in corpus:
        shutil.copyfile(path, cables / path.name)
    for path in sorted((SEED / "cables").glob("*.txt")):
        shutil.copyfile(path, cables / f"seed-{path.name}")
    for part in ("annotations", "people", "pages", "data"):
        if (SEED / part).is_dir():
            shutil.copytree(SEED / part, content / part)
    out = folder / "public"
    report = build(load_site(content, out))
    assert (out / "index.html").is_file(), "the build wrote no home page"
    return BuiltSite(out, report.cables)


class StaticHostHandler(SimpleHTTPRequestHandler):
    """Serves the built site as a static host would, with a strict CSP on every answer."""

    def __init__(self, *args: Any, directory: str, **kwargs: Any) -> None:
        super().__init__(*args, directory=directory, **kwargs)

    def translate_path(self, path: str) -> str:
        if path.split("?", 1)[0] == AXE_PATH:
            return str(AXE)
        return super().translate_path(path)

    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


class CompressingHostHandler(StaticHostHandler):
    """Serves the site as a static host does, below its base path (nothing outside it):
    with the CSP, and text files gzip-compressed for a browser that accepts it (Pagefind's
    index files are compressed already)."""

    COMPRESSED = frozenset({".html", ".css", ".js", ".json", ".xml", ".svg", ".txt"})

    def __init__(self, *args: Any, base: str = "/", **kwargs: Any) -> None:
        self.base = base  # set first: the request is answered within __init__
        super().__init__(*args, **kwargs)

    def translate_path(self, path: str) -> str:
        if not path.startswith(self.base):
            return str(Path(self.directory) / "__outside_the_base_path__")
        return super().translate_path("/" + path[len(self.base) :])

    def do_GET(self) -> None:
        route = urlsplit(self.path).path
        path = Path(self.translate_path(self.path))
        if path.is_dir() and route.endswith("/"):
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.suffix in self.COMPRESSED and path.is_file()):
            super().do_GET()
            return
        body = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextmanager
def static_host(
    folder: Path, handler: type[StaticHostHandler] = StaticHostHandler, **options: str
) -> Iterator[str]:
    """`folder` over HTTP on a free local port, each request answered by `handler` (made
    with `options`), until the block ends: yields the base URL, `http://127.0.0.1:<port>`."""
    answer = functools.partial(handler, directory=str(folder), **options)
    server = ThreadingHTTPServer(("127.0.0.1", 0), answer)
    thread = threading.Thread(target=server.serve_forever, name="static-host", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def site_server(corpus_site: BuiltSite) -> Iterator[str]:
    """The corpus site over HTTP on a free local port: yields its base URL."""
    with static_host(corpus_site.out) as url:
        yield url


@pytest.fixture(scope="session")
def axe_url(site_server: str) -> str:
    """Where the test server serves axe-core (same origin: the CSP lets it run)."""
    if not AXE.is_file():
        pytest.fail(f"axe-core is missing at {AXE}: run `npm ci` (make test does)")
    return site_server + AXE_PATH


def describe_violations(violations: list[dict[str, Any]]) -> str:
    """axe-core's violations, one line each, for an assertion message."""
    lines = []
    for violation in violations:
        targets = [", ".join(node["target"]) for node in violation["nodes"][:5]]
        lines.append(
            f"{violation['id']} ({violation['impact']}): {violation['help']}"
            f" - {len(violation['nodes'])} elements, e.g. {targets}"
        )
    return "\n".join(lines)
