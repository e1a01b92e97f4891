"""The adversarial content folder (tests/adversarial/content) built for real: for each case
of the table below, the exact lines of the report, what is built and what is not, and
that nothing from the content became markup. The table is the spec;
tests/adversarial/README.md lists the cases in words.
"""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

from site_builder.cli import main
from site_builder.report import BuildReport
from tests.adversarial.markup import site_markup, unreadable_xml, unshowable_characters
from tests.adversarial.sites import ADVERSARIAL, allowed_markup, copy_content, quick_build

# ../../escaped with its dots encoded: a name starting with a dot is hidden, no source.
ESCAPED = "%2E%2E%2F%2E%2E%2Fescaped"
CABLES, NOTES = "content/cables", "content/annotations"
PEOPLE, PAGES = "content/people", "content/pages"
# The 20 MB single-line cable is written at run time (it is no file to commit). It is
# named by its ID: a line that long holds no banner at a line start to read one from.
HUGE, HUGE_SIZE = "08OSLO118.txt", 20_000_000
BUILD_BOUND = 90.0  # seconds for the whole folder, the 20 MB cable included (about 3 here)
# What the YAML loader says of a tag that would construct a Python object.
OBJECT_TAG = (
    "front matter is not valid YAML: could not determine a constructor for the tag"
    " 'tag:yaml.org,2002:python/object/apply:os.mkdir'"
)
NOT_CLOSED = "front matter is not closed by a '---' line"
SIGNER_PAGE = "person/whitney/index.html"  # the signer of every cable of the folder


def cable(serial: int) -> str:
    """The page of cable 08OSLO<serial> (every cable of the folder is of 12 March 2008)."""
    return f"cable/2008/03/08OSLO{serial}.html"


@dataclass(frozen=True)
class Case:
    """One hostile input: the report lines it brings, and what is built and what is not."""

    name: str
    lines: tuple[str, ...] = ()  # exactly as the build reports them
    built: tuple[str, ...] = ()  # output files that exist
    not_built: tuple[str, ...] = ()  # output files that do not
    shows: tuple[tuple[str, str], ...] = ()  # (page, what a reader sees on it, as text)
    hides: tuple[tuple[str, str], ...] = ()  # (page, what its source never holds)
    links: tuple[tuple[str, str], ...] = ()  # (page, a link it has)
    nowhere: tuple[str, ...] = ()  # what no page holds (content that is not published)


CASES = [
    Case("empty file", (f"{CABLES}/empty.txt:1: error: empty file: no cable in it",)),
    Case(
        "whitespace-only file", (f"{CABLES}/whitespace.txt:1: error: empty file: no cable in it",)
    ),
    Case(
        "binary file (the bytes 0 to 255)",
        (
            # 0x80, the first byte UTF-8 refuses, comes after 0x0A: line 2.
            f"{CABLES}/binary.txt:2: warning: not UTF-8: read as cp1252",
            # 29 C0 controls (all but tab, LF, CR), DEL, and the 5 bytes cp1252 leaves
            # undefined, read as C1 controls.
            f"{CABLES}/binary.txt:1: warning: 35 control character(s) replaced by spaces",
            f"{CABLES}/binary.txt:1: error: no reference ID: no banner, routing line or"
            " ID-shaped file name",
        ),
    ),
    Case(
        "NUL and control characters",
        (f"{CABLES}/controls.txt:15: warning: 3 control character(s) replaced by spaces",),
        built=(cable(103),),
        shows=((cable(103), "The talks went on [31m in red."),),
        hides=((cable(103), "\x00"), (cable(103), "\x07"), (cable(103), "\x1b")),
    ),
    Case(
        "Latin-1 bytes",
        (f"{CABLES}/latin1.txt:15: warning: not UTF-8: read as cp1252",),
        built=(cable(104),),
        shows=((cable(104), "The delegation flew to Tromsø and Ålesund."),),
    ),
    Case(
        "cp1252 bytes",
        (f"{CABLES}/cp1252.txt:15: warning: not UTF-8: read as cp1252",),
        built=(cable(105),),
        shows=((cable(105), "The minister called it \u201ca fair deal\u201d \u2013 for now."),),
    ),
    Case(
        "BOM and CRLF",
        built=(cable(106),),
        shows=((cable(106), "A FILE WITH A BOM AND CRLF"),),
        hides=((cable(106), "\r"), (cable(106), "\ufeff")),
    ),
    Case(
        "markup and template syntax in every field of a cable",
        # The TAGS line's pieces are tags, named as written; the signer line is no name.
        built=(cable(107), "tag/script-alert/index.html", "tag/script-7-7/index.html"),
        shows=(
            (
                cable(107),
                "<script>alert(2)</script> {{ 7*7 }} {% raw %} <img src=x onerror=alert(3)>",
            ),
            (cable(107), "<SCRIPT>ALERT"),
            (cable(107), '<iframe src="data:text/html,<script>alert(5)</script>"> E-MAIL'),
            (cable(107), "{{ config.items() }} {% for x in range(9) %}x{% endfor %} javascript:"),
            (cable(107), "<SCRIPT>ALERT(11)</SCRIPT>"),
        ),
        links=((cable(107), "/cable/2008/03/08OSLO112.html"),),
    ),
    Case(
        "markup and template syntax in a note",
        (
            f"{NOTES}/08OSLO107.md:1: warning: source 'javascript:alert(22)' is not an http(s)"
            " link: left out",
            f"{NOTES}/08OSLO107.md:1: warning: source 'data:text/html,<script>alert(25)</script>'"
            " is not an http(s) link: left out",
            f"{NOTES}/08OSLO107.md:20: warning: 08OSLO107 has no paragraph 9: note not shown",
            f"{NOTES}/08OSLO107.md:1: warning: no person 'no-such-person': the link is shown as"
            " text",
        ),
        built=(cable(107),),
        shows=(
            (cable(107), "<script>alert(20)</script> {{ 7*7 }}"),
            (cable(107), "<script>alert(26)</script> [click](javascript:alert(27))"),
            (cable(107), "<b onclick=alert(23)>press</b> {{ 7*7 }}"),
            (cable(107), '<iframe src="javascript:alert(31)"></iframe> [x](JaVaScRiPt:alert(32))'),
        ),
        links=((cable(107), "/person/ola-nordmann/"),),
        nowhere=("A note on a paragraph the cable lacks.",),
    ),
    Case(
        "markup and template syntax in a person",
        (
            f"{PEOPLE}/ola-nordmann.md:1: warning: country is yes/no to YAML (NO unquoted is"
            " false): write the code in quotes",
        ),
        built=("person/ola-nordmann/index.html",),
        shows=(
            ("person/ola-nordmann/index.html", 'Ola <b onmouseover="alert(7)">Nordmann</b>'),
            ("person/ola-nordmann/index.html", "<i>minister</i> {% raw %} javascript:alert(42)"),
            ("person/ola-nordmann/index.html", "<script>alert(40)</script>, {{ 7*7 }}, javascr"),
            ("person/ola-nordmann/index.html", "<script>alert(43)</script> [x](javascript:alert"),
            (cable(107), 'Ola <b onmouseover="alert(7)">Nordmann</b> met'),
        ),
        links=(("person/ola-nordmann/index.html", "/cable/2008/03/08OSLO107.html#par1"),),
    ),
    Case(
        "markup and template syntax in a page",
        built=("hostile/index.html",),
        shows=(
            ("hostile/index.html", "<script>alert(50)</script> {{ 7*7 }}"),
            ("hostile/index.html", "{% raw %} <img src=x onerror=alert(53)> ![y](data:image/"),
        ),
    ),
    Case(
        "direction overrides and zero-width characters in a subject and an ID",
        (
            f"{CABLES}/invisible.txt:5: warning: 4 invisible character(s) removed (direction or"
            " zero-width)",
        ),
        built=(cable(108),),
        shows=((cable(108), "SLAT SEIRETSIF AND QUOTAS"),),
        hides=((cable(108), "\u202e"), (cable(108), "\u202c"), (cable(108), "\u200b")),
    ),
    Case(
        "regular-expression bombs as aliases",
        built=("person/regex-bomb/index.html", cable(119)),
        shows=(("person/regex-bomb/index.html", ".*, (a+)+$, (x|x)*y, a{1,99999}, [^ ]*"),),
        links=(("person/regex-bomb/index.html", "/cable/2008/03/08OSLO119.html#par1"),),
    ),
    Case(
        "YAML that constructs objects",
        (
            f"{CABLES}/yaml-object.txt:1: warning: {OBJECT_TAG}",
            f"{NOTES}/08OSLO109.md:1: error: {OBJECT_TAG}: not published",
            f"{PEOPLE}/yaml-object.md:1: warning: {OBJECT_TAG}: not published",
            f"{PAGES}/yaml-object.md:1: warning: {OBJECT_TAG}: the title is the file's name",
        ),
        built=(cable(109), "yaml-object/index.html"),
        not_built=("person/yaml-object/index.html",),
        nowhere=("A note whose front matter builds objects.", "A person whose front matter"),
    ),
    Case(
        "front matter that does not close",
        (
            f"{CABLES}/unclosed.txt:1: warning: {NOT_CLOSED}",
            f"{NOTES}/08OSLO110.md:1: error: {NOT_CLOSED}: not published",
            f"{PEOPLE}/unclosed.md:1: warning: {NOT_CLOSED}: not published",
            f"{PAGES}/unclosed.md:1: warning: {NOT_CLOSED}: the title is the file's name",
        ),
        built=(cable(110), "unclosed/index.html"),
        not_built=("person/unclosed/index.html",),
        shows=(("unclosed/index.html", "title: A page whose front matter never closes"),),
        nowhere=("The text of a note left open.", "A person whose front matter never closes."),
    ),
    Case(
        "a note and a person for cables the archive lacks",
        (
            f"{NOTES}/99NOWHERE1.md:1: error: no cable 99NOWHERE1 in the archive: the note is"
            " not published",
        ),
        built=("person/nobody-anywhere/index.html",),
        shows=(("person/nobody-anywhere/index.html", "Named in no cable of the archive"),),
        nowhere=("A note on a cable the archive lacks.",),
    ),
    Case(
        "duplicate IDs (the first file by name is built)",
        (
            f"{CABLES}/duplicate-b.txt:5: error: duplicate reference ID 08OSLO111: also in"
            f" {CABLES}/duplicate-a.txt",
        ),
        built=(cable(111),),
        shows=((cable(111), "THE FIRST OF TWO FILES"),),
        nowhere=("THE SECOND OF TWO FILES",),
    ),
    Case(
        "a reference cycle and a self-reference (dropped)",
        built=(cable(112), cable(113), cable(114)),
        hides=((cable(114), 'class="references"'), (cable(114), "/08OSLO114.html")),
        links=(
            (cable(112), "/cable/2008/03/08OSLO113.html"),
            (cable(113), "/cable/2008/03/08OSLO112.html"),
        ),
    ),
    Case(
        "400 references on one REF line",
        built=(cable(115),),
        shows=tuple((cable(115), f"08OSLO{n} not in this archive") for n in range(5001, 5401)),
    ),
    Case("a 20 MB single-line cable", built=(cable(118),)),
    Case(
        "a paragraph number of 20 digits",
        built=(cable(116),),
        shows=((cable(116), "12345678901234567890. (C) A paragraph numbered with twenty"),),
        hides=((cable(116), 'id="par12345678901234567890"'),),
    ),
    Case(
        "an ID shaped like a path",
        (
            f"{CABLES}/path-id.txt:1: warning: front matter reference_id '../../../escaped' is"
            " not a reference ID",
            f"{NOTES}/{ESCAPED}.md:1: error: '{ESCAPED}' is not a reference ID",
            f"{PAGES}/{ESCAPED}.md:1: warning: page name '{ESCAPED}' is not usable as"
            f" /{ESCAPED}/: skipped",
        ),
        built=(cable(117),),
        nowhere=("A note whose name is shaped like a path.", "A page whose name is shaped"),
    ),
]


@dataclass(frozen=True)
class Built:
    """The adversarial folder built in `folder`: its report and how long it took."""

    folder: Path
    report: BuildReport
    seconds: float

    @property
    def out(self) -> Path:
        return self.folder / "public"

    @functools.cached_property
    def lines(self) -> list[str]:
        return [str(problem) for problem in self.report.problems]


def huge_single_line() -> str:
    """A cable of 20 MB on one line: header, subject and paragraph run together, with
    markup and template syntax repeated all along."""
    head = "P 121530Z MAR 08 FM AMEMBASSY OSLO UNCLAS OSLO 000118 SUBJECT: ONE LINE 1. (U) "
    filler = "word <b>bold</b> {{ x }} XXXX REF A para 1 "
    return head + filler * ((HUGE_SIZE - len(head)) // len(filler) + 1)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The folder copied (with the 20 MB cable added) and built, from inside its folder so
    that the report names `content/...` as a maintainer would see it."""
    folder = tmp_path_factory.mktemp("adversarial")
    content = copy_content(folder, ADVERSARIAL)
    (content / "cables" / HUGE).write_text(huge_single_line(), encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        started = time.perf_counter()
        report = quick_build(Path("content"), Path("public"), jobs=None)
        return Built(folder, report, time.perf_counter() - started)


class _Text(HTMLParser):
    """A page's text, piece by piece, as a reader sees it; and its links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.links.update(value for name, value in attrs if name == "href" and value)

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


@functools.cache
def read_page(path: Path) -> _Text:
    page = _Text()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def shown(path: Path) -> str:
    return " ".join("".join(read_page(path).parts).split())


def page_sources(out: Path) -> dict[Path, str]:
    return {path: path.read_text(encoding="utf-8") for path in sorted(out.rglob("*.html"))}


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_case(built: Built, case: Case) -> None:
    missing = [line for line in case.lines if line not in built.lines]
    assert not missing, "not in the report:\n" + "\n".join(missing)
    assert [name for name in case.built if not (built.out / name).is_file()] == []
    assert [name for name in case.not_built if (built.out / name).exists()] == []
    for page, text in case.shows:
        assert " ".join(text.split()) in shown(built.out / page), (page, text)
    for page, raw in case.hides:
        assert raw not in (built.out / page).read_text(encoding="utf-8"), (page, raw)
    for page, link in case.links:
        assert link in read_page(built.out / page).links, (page, link)
    if case.nowhere:
        sources = page_sources(built.out).items()
        assert [(p, t) for p, source in sources for t in case.nowhere if t in source] == []


def test_the_report_is_the_table_and_nothing_else(built: Built) -> None:
    expected = sorted(line for case in CASES for line in case.lines)
    assert sorted(built.lines) == expected
    assert all("\n" not in line for line in built.lines)


def test_the_cable_and_person_pages_are_those_of_the_table(built: Built) -> None:
    made = {str(path.relative_to(built.out)) for path in built.out.glob("cable/*/*/*.html")}
    made |= {str(path.relative_to(built.out)) for path in built.out.glob("person/*/index.html")}
    named = {name for case in CASES for name in case.built}
    assert made == {n for n in named if n.startswith(("cable/", "person/"))} | {SIGNER_PAGE}
    assert built.report.cables == len([n for n in made if n.startswith("cable/")])


def test_nothing_from_the_content_becomes_markup(
    built: Built, tmp_path_factory: pytest.TempPathFactory
) -> None:
    allowed = allowed_markup(tmp_path_factory.mktemp("benign"))
    foreign = site_markup(built.out).beyond(allowed)
    assert foreign == [], foreign
    assert unreadable_xml(built.out) == []
    assert unshowable_characters(built.out) == []


def test_nothing_is_written_outside_the_output_folder(built: Built) -> None:
    written = {
        path.relative_to(built.folder).parts[0]
        for path in built.folder.rglob("*")
        if not path.is_relative_to(built.folder / "content")
    }
    assert written <= {"public", ".site-builder"}, written
    assert not [p for p in built.folder.rglob("*") if p.name in ("yaml-ran", "escaped")]
    committed = sorted(p.relative_to(ADVERSARIAL) for p in ADVERSARIAL.rglob("*") if p.is_file())
    for name in committed:
        assert (built.folder / "content" / name).read_bytes() == (ADVERSARIAL / name).read_bytes()


def test_the_build_is_bounded_in_time(built: Built) -> None:
    assert built.seconds < BUILD_BOUND
    assert (built.out / cable(118)).stat().st_size > HUGE_SIZE


def test_check_reports_what_the_build_reports_of_the_same_files(
    built: Built, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(built.folder)
    assert main(["check", "--content", "content"]) == 1  # errors: exit 1
    *lines, summary = capsys.readouterr().out.splitlines()
    files = len(list((built.folder / CABLES).glob("*.txt")))
    assert summary.startswith(f"{files} cables"), "check reads every file, cable or not"
    assert set(lines) <= set(built.lines)
    assert {line for line in built.lines if line.startswith(CABLES)} <= set(lines)
