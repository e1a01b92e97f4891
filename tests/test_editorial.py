"""The editorial layer: curated people and their mentions, people found in the cables,
annotations beside their paragraphs, and jargon explained."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from site_builder.editorial.mentions import MentionIndex
from site_builder.editorial.people import CuratedPerson
from site_builder.report import BuildReport
from tests.site_crawl import read_page
from tests.test_parser import WRAPPED
from tests.test_site import make_content, run_build

ROOT = Path(__file__).resolve().parents[1]
SEED_PAGE = Path("cable/2007/09/07GUATEMALA1906.html")


def with_editorial(content: Path) -> Path:
    """Add the repository's people and annotations to a test content folder."""
    for folder in ("people", "annotations"):
        shutil.copytree(ROOT / "content" / folder, content / folder)
    return content


@pytest.fixture(scope="module")
def editorial_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildReport]:
    folder = tmp_path_factory.mktemp("editorial")
    content = with_editorial(make_content(folder))
    out = folder / "public"
    return out, run_build(content, out)


def person(slug: str, name: str, *aliases: str) -> CuratedPerson:
    return CuratedPerson(slug, name, aliases, "", None, "", f"{slug}.md")


def test_mentions_whole_words_case_aware_longest_first() -> None:
    index = MentionIndex.of([person("alma-de-migoya", "Alma de Migoya", "Migoya")])
    text = "to Alma de Migoya, who (Migoya) met MIGOYA; not Migoyas, migoya or www.migoya.com"
    found = [text[f.start : f.end] for f in index.find(text)]
    assert found == ["Alma de Migoya", "Migoya", "MIGOYA"]


def test_hostile_aliases_are_text_not_patterns() -> None:
    hostile = person("x", "<script>alert(1)</script>", "", ".*", "(a+)+$", "a" * 50)
    index = MentionIndex.of([hostile])
    text = "a" * 5000 + "! .* here; (a+)+$ there and <script>alert(1)</script>."
    started = time.perf_counter()
    found = [text[f.start : f.end] for f in index.find(text)]
    assert time.perf_counter() - started < 0.5
    assert found == [".*", "(a+)+$", "<script>alert(1)</script>"]


def test_the_seed_page_links_its_people(editorial_site: tuple[Path, BuildReport]) -> None:
    out, _ = editorial_site
    html = (out / SEED_PAGE).read_text(encoding="utf-8")
    links = re.findall(r'<a href="/person/([a-z-]+)/">([^<]+)</a>', html)
    assert ("alma-de-migoya", "Alma de Migoya") in links
    assert ("alma-de-migoya", "Migoya") in links, "the later surname alone links too"
    assert ("alexander-colop", "Alexander Colop") in links
    assert ("james-m-derham", "James M. Derham") in links, "the signer Derham is curated"


def test_the_seed_page_shows_its_notes(editorial_site: tuple[Path, BuildReport]) -> None:
    out, _ = editorial_site
    page = read_page(out / SEED_PAGE)
    html = (out / SEED_PAGE).read_text(encoding="utf-8")
    assert "Tier 2 Watch" in html and "Decree 9-2009" in html
    assert {"note-par1", "note-par4", "note-par5"} <= page.ids
    note = html.split('id="note-par4"', 1)[1].split("</div>", 1)[0]
    assert "Article 194" in note
    assert 'href="https://www.congress.gov/bill/106th-congress/house-bill/3244"' in html
    assert '<a href="/person/alma-de-migoya/">Alma de Migoya</a> led' in html


def test_the_seed_page_explains_its_jargon(editorial_site: tuple[Path, BuildReport]) -> None:
    out, _ = editorial_site
    html = (out / SEED_PAGE).read_text(encoding="utf-8")
    for term in ("Poloff", "TIP", "G/TIP"):
        assert re.search(rf'<abbr [^>]*title="[^"]+">{re.escape(term)}</abbr>', html), term
    first = html.split('id="par1"', 1)[1].split('id="par2"', 1)[0]
    assert first.count(">TIP</abbr>") == 1, "explained once per paragraph"


def test_person_pages(editorial_site: tuple[Path, BuildReport]) -> None:
    out, _ = editorial_site
    migoya = (out / "person" / "alma-de-migoya" / "index.html").read_text(encoding="utf-8")
    assert (
        "Prosecutor&#39;s Office for Women" in migoya or "Prosecutor's Office for Women" in migoya
    )
    assert 'href="/cable/2007/09/07GUATEMALA1906.html#par3"' in migoya
    assert "Migoya noted, however, the many challenges" in migoya, "the sentence is shown"
    derham = (out / "person" / "james-m-derham" / "index.html").read_text(encoding="utf-8")
    assert "United States Ambassador to Guatemala" in derham and "Signed" in derham
    people = (out / "people" / "index.html").read_text(encoding="utf-8")
    assert "Guatemala" in people and "United States" in people
    assert people.index("Alma de Migoya") < people.index("United States")


def test_every_signer_has_a_page(editorial_site: tuple[Path, BuildReport]) -> None:
    out, _ = editorial_site
    signed = 0
    for page in (out / "cable").rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        if "<dt>Signed</dt>" not in html:
            continue
        signed += 1
        field = html.split("<dt>Signed</dt>", 1)[1].split("</dd>", 1)[0]
        links = re.findall(r'href="(/person/[^"]+)"', field)
        assert links, page
        assert all((out / link.lstrip("/") / "index.html").is_file() for link in links), page
    assert signed >= 900, "the parser finds a signer in 947 of the corpus' cables"


def test_no_person_link_inside_a_word_or_an_address(
    editorial_site: tuple[Path, BuildReport],
) -> None:
    out, _ = editorial_site
    for page in (out / "cable").rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for match in re.finditer(r'<a href="/person/[^"]+/">([^<]+)</a>', html):
            before, after = html[match.start() - 1], html[match.end()]
            assert not before.isalnum() and not after.isalnum(), page
            assert "://" not in html[max(0, match.start() - 40) : match.start()], page


def test_annotated_cables_are_marked_and_listed(editorial_site: tuple[Path, BuildReport]) -> None:
    out, _ = editorial_site
    home = (out / "index.html").read_text(encoding="utf-8")
    assert 'id="annotated"' in home and "07GUATEMALA1906" in home
    tag = (out / "tag" / "KCRM" / "index.html").read_text(encoding="utf-8")
    row = tag.split("07GUATEMALA1906", 1)[1].split("</tr>", 1)[0]
    assert 'class="annotated"' in row
    assert "07GUATEMALA1906" in (out / "feed.xml").read_text(encoding="utf-8")


def test_check_people_lists_candidates_with_counts(tmp_path: Path) -> None:
    content = make_content(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "site_builder.cli", "check", "--content", str(content), "--people"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    counts = [int(line.split()[0].replace(",", "")) for line in lines[:-1]]
    assert counts == sorted(counts, reverse=True) and counts[0] > 50
    assert any(line.endswith("President Obama") for line in lines)
    assert re.fullmatch(r"[\d,]+ candidates for content/people/", lines[-1])


def test_bad_editorial_files_are_one_line_each(tmp_path: Path) -> None:
    content = make_content(tmp_path, corpus=False, cables={"berlin.txt": WRAPPED})
    notes, people = content / "annotations", content / "people"
    notes.mkdir()
    people.mkdir()
    (notes / "99NOWHERE1.md").write_text("A note on a cable the archive lacks.\n")
    (notes / "07BERLIN1767.md").write_text("---\ntitle: [unclosed\n---\nText.\n")
    (notes / "07GUATEMALA1906.md").write_text(
        "---\nsources: !!python/object/apply:os.system ['true']\n---\nText.\n"
    )
    (people / "evil.md").write_text(
        "---\nname: <script>alert(1)</script>\naliases: ['', '.*', '(a+)+$']\n---\nBody.\n"
    )
    (people / "broken.md").write_text("---\nname: [oops\n---\n")
    (notes / ".07BERLIN1767.md").write_text("An editor's copy: no annotation.\n")
    (people / ".evil.md").write_text("---\nname: A draft\n---\n")
    (content / "pages").mkdir()
    (content / "pages" / ".draft.md").write_text("---\ntitle: A draft\n---\nNot yet.\n")
    report = run_build(content, tmp_path / "public")
    said = "\n".join(str(p) for p in report.problems)
    assert "annotations/99NOWHERE1.md:1: error: no cable 99NOWHERE1" in said
    assert "annotations/07BERLIN1767.md:1: error: front matter is not valid YAML" in said
    assert "annotations/07GUATEMALA1906.md:1: error: front matter" in said
    assert "people/broken.md:1: warning: front matter is not valid YAML" in said
    assert said.count("people/evil.md:1: warning: alias") == 1, "only '' is no name"
    assert "/." not in said and not (tmp_path / "public" / "person" / "a-draft").exists()
    assert not list((tmp_path / "public").glob("*draft*"))
    assert report.published and report.cables == 2
    evil = (tmp_path / "public" / "person" / "evil" / "index.html").read_text(encoding="utf-8")
    assert "<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>" in evil


def test_a_large_index_finds_what_a_small_one_finds() -> None:
    """Past a few dozen people, `present` narrows the index by the text's words rather than
    alias by alias: both ways find the same mentions."""
    migoya = person("alma-de-migoya", "Alma de Migoya", "Migoya")
    crowd = [person(f"p{n}", f"Given{n} Family{n}") for n in range(200)]
    small, large = MentionIndex.of([migoya]), MentionIndex.of([migoya, *crowd])
    for text in (
        "Alma de Migoya met MIGOYA and Given7 Family7, not Given8 Family9.",
        "Nobody here: Almade Migoyas, Given Family.",
        "migoya in lower case, and ALMA DE MIGOYA in capitals",
    ):
        found = [(f.start, f.end, f.slug) for f in large.present(text).find(text)]
        assert [m for m in found if m[2] == migoya.slug] == [
            (f.start, f.end, f.slug) for f in small.present(text).find(text)
        ]
        assert [m[2] for m in found if m[2] != migoya.slug] == (["p7"] if "Given7" in text else [])
