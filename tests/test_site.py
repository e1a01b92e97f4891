"""The built site: the seed cable's page field by field, every page of the URL table, no
broken link or anchor anywhere, "cited by", deterministic output, and builds that write
only what changed."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from site_builder.build import build
from site_builder.build_state import note_changing
from site_builder.report import BuildFailed, BuildReport
from site_builder.site import load_site
from site_builder.stages.unchanged import forget_last_build
from tests.conftest import CORPUS
from tests.site_crawl import broken_links, html_pages, read_page
from tests.test_nothing_lost import leftovers
from tests.test_parser import SEED, WRAPPED


def make_content(folder: Path, cables: dict[str, str] | None = None, corpus: bool = True) -> Path:
    """A content folder: the corpus (linked in place, never copied) plus the seed."""
    target = folder / "content" / "cables"
    target.mkdir(parents=True)
    if corpus:
        for path in sorted((CORPUS / "cables").glob("*.txt")):
            (target / path.name).symlink_to(path)
    (target / SEED.name).write_bytes(SEED.read_bytes())
    for name, text in (cables or {}).items():
        (target / name).write_text(text, encoding="utf-8")
    return folder / "content"


def run_build(content: Path, out: Path, **options: object) -> BuildReport:
    return build(load_site(content, out, **options))  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def corpus_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildReport]:
    folder = tmp_path_factory.mktemp("corpus-site")
    content = make_content(folder)
    out = folder / "public"
    return out, run_build(content, out)


def test_the_seed_cable_page_has_every_field(corpus_site: tuple[Path, BuildReport]) -> None:
    out, _ = corpus_site
    page = out / "cable" / "2007" / "09" / "07GUATEMALA1906.html"
    html = page.read_text(encoding="utf-8")
    text = " ".join(" ".join(read_page(page).text).split())
    assert re.search(r"<h1[^>]*>Demarche on TIP Tier 2 Watch Action Plan \(2007-08\)</h1>", html)
    assert "DEMARCHE ON TIP TIER 2 WATCH ACTION PLAN (2007-08)" in text
    assert "20 September 2007, 21:39 UTC" in text
    assert '<a href="/origin/embassy-guatemala/">Embassy Guatemala</a>' in html
    assert '<a href="/country/guatemala/">Guatemala</a>' in html
    assert "UNCLASSIFIED" in text and "SIPDIS" in text
    for code, meaning in [
        ("KCRM", "Criminal"),
        ("PGOV", "Internal Governmental Affairs"),
        ("PREL", "External Political Relations"),
        ("GT", "Guatemala"),
    ]:
        assert f'href="/tag/{code}/"' in html and meaning in text
    assert re.search(r"07STATE116186\s*<span class=\"missing\">not in this archive</span>", html)
    assert re.search(r"07STATE78791\s*<span class=\"missing\">not in this archive</span>", html)
    assert [f"par{n}" for n in range(1, 6)] == sorted(
        i for i in read_page(page).ids if i.startswith("par")
    )
    assert '<a href="/person/derham/">Derham</a>' in html
    assert '<a href="#ref-a">Ref A</a>' in html, "Ref A in the text points at the reference"
    assert re.search(r'<abbr [^>]*title="[^"]+">Poloff</abbr>', html), "jargon is explained"
    assert "[1](#)" not in html, "the original telegram is shown without link residue"
    assert "Migoya noted, however" in html


URL_TABLE = [
    "index.html",
    "cable/2007/09/07GUATEMALA1906.html",
    "tag/PGOV/index.html",
    "tag/PGOV/page/2/index.html",
    "tags/index.html",
    "country/guatemala/index.html",
    "countries/index.html",
    "origin/embassy-guatemala/index.html",
    "person/derham/index.html",
    "people/index.html",
    "glossary/index.html",
    "date/2007/index.html",
    "date/2007/09/index.html",
    "classification/unclassified/index.html",
    "classification/secret-noforn/index.html",
    "404.html",
    "sitemap.xml",
    "feed.xml",
    "robots.txt",
]


@pytest.mark.parametrize("name", URL_TABLE)
def test_every_page_of_the_url_table_exists(
    corpus_site: tuple[Path, BuildReport], name: str
) -> None:
    out, _ = corpus_site
    assert (out / name).is_file()


def test_no_broken_internal_link_or_anchor(corpus_site: tuple[Path, BuildReport]) -> None:
    out, _ = corpus_site
    broken = broken_links(out)
    assert not broken, broken[:20]


def test_a_cited_cable_lists_the_cables_that_cite_it(corpus_site: tuple[Path, BuildReport]) -> None:
    out, _ = corpus_site
    found = 0
    for page in (out / "cable").rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        if 'id="cited-heading"' not in html:
            continue
        section = html.split('id="cited-heading"', 1)[1].split("</section>", 1)[0]
        citing = re.findall(r'href="(/cable/[^"]+)"', section)
        assert citing
        for link in citing:
            cited_id = page.stem
            assert cited_id in (out / link.lstrip("/")).read_text(encoding="utf-8")
        found += 1
    assert found >= 20, "the corpus holds many cables cited by others"


def test_lists_are_newest_first_and_paginated_at_100(corpus_site: tuple[Path, BuildReport]) -> None:
    out, _ = corpus_site
    first = (out / "tag" / "PGOV" / "index.html").read_text(encoding="utf-8")
    dates = re.findall(r'<td class="date">(\d{4}-\d{2}-\d{2})</td>', first)
    assert len(dates) == 100
    assert dates == sorted(dates, reverse=True)
    assert 'href="/tag/PGOV/page/2/"' in first
    assert "<svg" in first and "<rect" in first, "tag pages open with a timeline"


def test_the_summary_line(corpus_site: tuple[Path, BuildReport]) -> None:
    _, report = corpus_site
    assert re.fullmatch(
        r"986 cables, [\d,]+ pages, search index [\d.]+ MB in [\d,]+ files"
        r" \(1 of 1 shards indexed in \d+\.\d s\), \d+ warnings, 0 errors in \d+\.\d s",
        report.summary(),
    )


def _snapshot(out: Path, search: bool = True) -> dict[str, tuple[int, int, bytes]]:
    """Every file of a built site (but for Pagefind's own files, with `search=False`)."""
    return {
        str(p.relative_to(out)): (p.stat().st_ino, p.stat().st_mtime_ns, p.read_bytes())
        for p in sorted(out.rglob("*"))
        if p.is_file() and (search or not str(p.relative_to(out)).startswith("pagefind/"))
    }


def test_two_builds_of_the_same_content_are_byte_identical(tmp_path: Path) -> None:
    content = make_content(tmp_path, corpus=False, cables={"berlin.txt": WRAPPED})
    run_build(content, tmp_path / "one")
    run_build(content, tmp_path / "two")
    # Pagefind's own files are exempt (design.md): its output is not deterministic.
    one, two = _snapshot(tmp_path / "one", False), _snapshot(tmp_path / "two", False)
    assert one.keys() == two.keys()
    assert all(one[name][2] == two[name][2] for name in one)


def test_a_second_build_writes_nothing(tmp_path: Path) -> None:
    content = make_content(tmp_path, corpus=False, cables={"berlin.txt": WRAPPED})
    out = tmp_path / "public"
    first = run_build(content, out)
    assert first.published and first.written == first.pages
    before = _snapshot(out)
    again = run_build(content, out)
    assert (again.written, again.kept, again.removed, again.published) == (0, 0, 0, False)
    assert _snapshot(out) == before, "not one file touched"


def test_an_edit_rewrites_the_cable_and_the_lists_that_show_it(tmp_path: Path) -> None:
    other = WRAPPED.replace("BERLIN 001767", "BERLIN 001780").replace("191047Z", "211047Z")
    content = make_content(tmp_path, corpus=False, cables={"a.txt": WRAPPED, "b.txt": other})
    out = tmp_path / "public"
    run_build(content, out)
    before = _snapshot(out, False)
    edited = WRAPPED.replace("has given Germany", "has given all of Germany")
    (content / "cables" / "a.txt").write_text(edited, encoding="utf-8")
    run_build(content, out)
    after = _snapshot(out, False)
    changed = sorted(name for name in after if after[name] != before.get(name))
    assert changed == ["cable/2007/09/07BERLIN1767.html"], "a body edit: only its page"
    # (and the search index is made again, since an indexed page changed)
    (content / "cables" / "a.txt").write_text(
        edited.replace("HOMEGROWN", "HOME-GROWN"), encoding="utf-8"
    )
    run_build(content, out)
    rewritten = {name for name, value in _snapshot(out, False).items() if value != after.get(name)}
    assert "cable/2007/09/07BERLIN1767.html" in rewritten
    assert "tag/PTER/index.html" in rewritten and "date/2007/09/index.html" in rewritten
    assert "glossary/index.html" not in rewritten and "404.html" not in rewritten
    assert all(not name.startswith("cable/") or "07BERLIN17" in name for name in rewritten)


def test_a_few_changed_pages_move_into_the_site_and_many_replace_it(tmp_path: Path) -> None:
    other = WRAPPED.replace("BERLIN 001767", "BERLIN 001780").replace("191047Z", "211047Z")
    content = make_content(tmp_path, corpus=False, cables={"a.txt": WRAPPED, "b.txt": other})
    out = tmp_path / "public"
    run_build(content, out, search=False)
    folder, before = out.stat().st_ino, _snapshot(out)
    edited = WRAPPED.replace("has given Germany", "has given all of Germany")
    (content / "cables" / "a.txt").write_text(edited, encoding="utf-8")
    report = run_build(content, out, search=False)
    after = _snapshot(out)
    assert out.stat().st_ino == folder, "one page of many: the same folder, changed in place"
    moved = sorted(name for name in after if after[name][0] != before[name][0])
    assert moved == ["cable/2007/09/07BERLIN1767.html"] and report.written == 1
    run_build(content, tmp_path / "clean", search=False)
    clean = _snapshot(tmp_path / "clean")
    assert {name: value[2] for name, value in after.items()} == {
        name: value[2] for name, value in clean.items()
    }
    assert leftovers(out) == []
    (content.parent / "site.toml").write_text('title = "Another title"\n', encoding="utf-8")
    report = run_build(content, out, search=False)
    assert report.written * 2 > report.pages, "the title is on every page"
    assert out.stat().st_ino != folder, "most pages changed: a new folder"


def test_the_state_does_not_vouch_for_pages_a_killed_build_was_changing(tmp_path: Path) -> None:
    content = make_content(tmp_path, corpus=False, cables={"a.txt": WRAPPED})
    out = tmp_path / "public"
    run_build(content, out, search=False)
    page = out / "cable/2007/09/07BERLIN1767.html"
    good = page.read_bytes()
    # A build of other content was killed after it moved this page in, before its state.
    site = load_site(content, out)
    forget_last_build(site)
    note_changing(site.state_file, ["cable/2007/09/07BERLIN1767.html"])
    note_changing(site.state_file, ["404.html"])
    with site.state_file.with_name(site.state_file.name + ".changing").open("a") as note:
        note.write('"index.ht')  # killed while noting: a line cut short names no page
    page.write_bytes(b"<p>the killed build's page")
    report = run_build(content, out, search=False)
    assert report.written == 2 and page.read_bytes() == good, "the page and 404.html"
    again = run_build(content, out, search=False)
    assert again.written == 0, "the state written after says what the page is"


def test_a_removed_cable_takes_its_pages_with_it(tmp_path: Path) -> None:
    content = make_content(tmp_path, corpus=False, cables={"berlin.txt": WRAPPED})
    out = tmp_path / "public"
    run_build(content, out)
    assert (out / "cable" / "2007" / "09" / "07BERLIN1767.html").exists()
    (content / "cables" / "berlin.txt").unlink()
    report = run_build(content, out)
    assert not (out / "cable" / "2007" / "09" / "07BERLIN1767.html").exists()
    assert not (out / "tag" / "KHLS").exists()
    assert report.removed > 0


def test_a_broken_template_leaves_the_site_as_it_was(tmp_path: Path) -> None:
    content = make_content(tmp_path, corpus=False)
    out = tmp_path / "public"
    run_build(content, out)
    before = _snapshot(out)
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "cable.html").write_text("{% extends 'base.html' %}\n{% block main %}{{ oops(\n")
    with pytest.raises(BuildFailed) as failure:
        run_build(content, out)
    assert re.search(r"templates/cable\.html:\d+: error: TemplateSyntaxError", str(failure.value))
    assert _snapshot(out) == before
    assert not any(p.name.startswith(".public") for p in tmp_path.iterdir())


class _Markup(HTMLParser):
    """Every element and attribute of a page, and its text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str]] = []
        self.text: list[str] = []
        self.scripts: list[str] = []  # the sources of <script> elements
        self.inline_script = ""  # any text inside a <script>
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend((name, value or "") for name, value in attrs)
        if tag == "script":
            self.scripts.append(dict(attrs).get("src") or "")
            self._in_script = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.inline_script += data
        else:
            self.text.append(data)


def test_hostile_content_comes_out_as_text(tmp_path: Path) -> None:
    hostile = (
        WRAPPED.replace("TERRORISM ARRESTS", "<script>alert(1)</script> {{ 7*7 }} ARRESTS")
        .replace("TAGS: PTER", "TAGS: PTER <img src=x onerror=alert(1)>")
        .replace(
            "has given Germany", 'has given <a href="javascript:alert(1)">Germany</a> {% raw %}'
        )
    )
    content = make_content(tmp_path, corpus=False, cables={"evil.txt": hostile})
    out = tmp_path / "public"
    run_build(content, out)
    for page in html_pages(out):
        markup = _Markup()
        markup.feed(page.read_text(encoding="utf-8"))
        assert "img" not in markup.tags, page
        assert markup.scripts == [] or all(s.startswith("/static/") for s in markup.scripts), page
        assert markup.inline_script == "", page
        assert not [n for n, _ in markup.attributes if n.startswith("on")], page
        urls = [v for n, v in markup.attributes if n in ("href", "src")]
        assert not [u for u in urls if not re.match(r"^(/|#|https?://|mailto:)", u)], page
    cable = _Markup()
    cable.feed((out / "cable" / "2007" / "09" / "07BERLIN1767.html").read_text(encoding="utf-8"))
    text = " ".join(cable.text)
    assert "<script>alert(1)</script> {{ 7*7 }}" in text, "shown as text, templates not run"
    assert '<a href="javascript:alert(1)">Germany</a> {% raw %}' in text


def test_the_sitemap_becomes_an_index_past_its_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("site_builder.pages.feeds.SITEMAP_LIMIT", 10)
    content = make_content(tmp_path, corpus=False, cables={"berlin.txt": WRAPPED})
    out = tmp_path / "public"
    run_build(content, out)
    index = (out / "sitemap.xml").read_text(encoding="utf-8")
    parts = re.findall(r"<loc>/(sitemap-\d+\.xml)</loc>", index)
    assert "<sitemapindex" in index and len(parts) >= 3
    listed = [
        loc
        for part in parts
        for loc in re.findall(r"<loc>([^<]+)</loc>", (out / part).read_text(encoding="utf-8"))
    ]
    assert all(len(re.findall("<url>", (out / p).read_text())) <= 10 for p in parts)
    pages = {"/" + str(p.relative_to(out)).removesuffix("index.html") for p in out.rglob("*.html")}
    assert set(listed) == pages - {"/404.html"}


def test_a_site_overrides_the_tools_static_files(tmp_path: Path) -> None:
    content = make_content(tmp_path, corpus=False)
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "site.css").write_text("body { color: black; }\n")
    out = tmp_path / "public"
    run_build(content, out)
    [css] = (out / "static").glob("site.*.css")
    assert css.read_text() == "body { color: black; }\n"
    assert f'href="/static/{css.name}"' in (out / "index.html").read_text(encoding="utf-8")
