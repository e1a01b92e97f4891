"""Property-based tests (Hypothesis) of the parser and the renderer: any text, any bytes,
any file name never raise, never hang (each example has a deadline), and never put markup
from the content into the output.

Texts are arbitrary, and cable-shaped too: a real cable's skeleton with every field
replaced by generated text, so that the renderer is reached with odd values in each of
them. Pages are made by the real build of a small content folder (no search index); their
markup is held to what a build of benign content holds (tests/adversarial/markup.py).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from site_builder.cli import main
from site_builder.ids import is_safe_id
from site_builder.model import Cable
from site_builder.parser import parse_bytes, parse_cable, to_record
from site_builder.source import decode, normalise, split_front_matter
from site_builder.stages.discover import cable_files
from tests.adversarial.markup import (
    UNSHOWABLE,
    Vocabulary,
    site_markup,
    unreadable_xml,
    unshowable_characters,
)
from tests.adversarial.sites import allowed_markup, quick_build

# A hang is an example that takes longer than this (a normal one takes milliseconds).
PARSING = settings(max_examples=150, deadline=timedelta(seconds=5))
BUILDING = settings(
    max_examples=30,
    deadline=timedelta(seconds=20),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Pieces hostile content is made of: markup, template syntax, URLs that run code, the
# characters that break lines, terminals and directions, and the marks the parser reads.
HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "javascript:alert(1)",
    "data:text/html,<b>x</b>",
    "{{ 7*7 }}",
    "{% raw %}",
    "{#",
    '"',
    "'",
    "&amp;",
    "&#106;",
    "]]>",
    "<!--",
    "</pre>",
    "\x00",
    "\x1b[31m",
    "\r",
    "\r\n",
    "\n",
    "\n\n",
    "\t",
    "\u202e",
    "\u200b",
    "\ufeff",
    "\ufffe",
    "\u2028",
    "\x85",
    "¶",
    "[1](#)",
    "[B](#)",
    "(a+)+$",
    "---",
    "XXXXXXXX",
    "REF A",
    "para 1",
    "reftel",
    "08OSLO101",
    "08 OSLO 101",
    "1. (C) ",
    "SUBJECT: ",
    "../../",
    "%2e%2e",
]
# What Markdown makes markup of, for notes, people and pages.
MARKDOWN = [
    "[x](",
    "](",
    ")",
    "![",
    "<",
    ">",
    "`",
    "```",
    "*",
    "_",
    "# ",
    "## ¶1\n",
    "|",
    "| --- |",
    "> ",
    "- ",
    "1. ",
    "    ",
    "\\",
    "person:",
    "mailto:",
    "http://",
    "HTTPS://",
    "vbscript:",
    " javascript:",
    "<http://x>",
    "\n",
]

pieces = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=12))
field_text = st.lists(pieces, max_size=6).map("".join)
markdown_text = st.lists(st.one_of(pieces, st.sampled_from(MARKDOWN)), max_size=14).map("".join)


# A cable's skeleton: each `{}` is a field (or the end of one) that generated text fills.
SKELETON = (
    "P 121530Z MAR 08\nFM AMEMBASSY OSLO{}\nTO RUEHC/SECSTATE WASHDC {}\n\n"
    "UNCLAS OSLO 000101{}\n\n{}\n\nE.O. 12958: {}\nTAGS: PREL {} NO\nSUBJECT: {}\n\n"
    "REF: A. {}\nB. {}\n\nClassified By: {}\n\n1. ({}) {}\n\n2. (U) {}\n\n{}\n{}\n"
)


@st.composite
def cable_texts(draw: st.DrawFn) -> str:
    """A cable's skeleton with every field replaced by generated text."""
    return SKELETON.format(*(draw(field_text) for _ in range(SKELETON.count("{}"))))


texts = st.one_of(st.text(), cable_texts())
data = st.one_of(
    st.binary(),
    cable_texts().map(lambda text: text.encode("utf-8", "surrogatepass")),
    st.tuples(cable_texts(), st.binary(max_size=40)).map(
        lambda pair: pair[0].encode("cp1252", "replace") + pair[1]
    ),
)
# File names as the file system has them: any bytes but `/` and NUL, most of them with the
# suffix that makes a cable file.
file_names = (
    st.tuples(
        st.binary(max_size=40).map(lambda name: name.replace(b"/", b"_").replace(b"\x00", b"_")),
        st.sampled_from([b".txt", b".txt", b".txt", b".TXT", b".md", b""]),
    )
    .map(b"".join)
    .filter(lambda name: name not in (b"", b".", b".."))
)
# A problem as a terminal shows it: one line, naming a file and a line.
PROBLEM_LINE = re.compile(r"[^\n]+:\d+: (?:error|warning): [^\n]+")

_LINE_END = re.compile(r"\r\n|\r|\n")


def assert_well_formed(cable: Cable, source: str, lines: int) -> None:
    """What any parse must give: problems on one line each, naming the file and a line
    of it; IDs safe as paths; a record that is JSON."""
    for problem in cable.problems:
        assert problem.path == source
        assert 1 <= problem.line <= lines, problem
        assert "\n" not in str(problem) and str(problem).isprintable(), problem
    for value in (cable.reference_id, cable.canonical_id):
        assert value is None or is_safe_id(value), value
    json.dumps(to_record(cable), ensure_ascii=False)


@PARSING
@given(texts)
def test_any_text_parses_into_a_cable_or_problems(text: str) -> None:
    cable = parse_cable(text, "content/cables/x.txt")
    assert_well_formed(cable, "content/cables/x.txt", len(_LINE_END.split(text)))


@PARSING
@given(data)
def test_any_bytes_parse_into_a_cable_or_problems(raw: bytes) -> None:
    cable = parse_bytes(raw, "x.txt")
    assert_well_formed(cable, "x.txt", raw.count(b"\n") + raw.count(b"\r") + 1)


@PARSING
@given(data)
def test_cleaning_keeps_every_line_and_drops_what_cannot_show(raw: bytes) -> None:
    decoded = decode(raw).text
    cleaned = normalise(decoded).text
    assert cleaned.count("\n") == len(_LINE_END.findall(decoded.removeprefix("\ufeff")))
    assert UNSHOWABLE.search(cleaned) is None
    _, rest = split_front_matter(cleaned)
    assert rest.count("\n") == cleaned.count("\n"), "front matter keeps the lines it took"


@pytest.fixture(scope="module")
def allowed(tmp_path_factory: pytest.TempPathFactory) -> Vocabulary:
    return allowed_markup(tmp_path_factory.mktemp("benign"))


def front_matter(values: dict[str, object]) -> str:
    return "---\n" + yaml.safe_dump(values, allow_unicode=True) + "---\n"


def assert_safe_site(folder: Path, lines: list[str], allowed: Vocabulary) -> None:
    """Problems on one line each; nothing beyond the benign markup; XML that parses;
    nothing written outside the output folder."""
    assert all(PROBLEM_LINE.fullmatch(line) and line.isprintable() for line in lines), lines
    foreign = site_markup(folder / "public").beyond(allowed)
    assert foreign == [], foreign
    assert unreadable_xml(folder / "public") == []
    assert unshowable_characters(folder / "public") == []
    assert {p.name for p in folder.iterdir()} <= {"content", "public", ".site-builder"}


@BUILDING
@given(
    cable=cable_texts(),
    note=markdown_text,
    title=field_text,
    person=st.tuples(field_text, st.lists(field_text, max_size=3), field_text, markdown_text),
    page=markdown_text,
)
def test_odd_values_in_every_field_never_become_markup(
    allowed: Vocabulary,
    cable: str,
    note: str,
    title: str,
    person: tuple[str, list[str], str, str],
    page: str,
) -> None:
    name, aliases, role, about = person
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        content = folder / "content"
        for part in ("cables", "annotations", "people", "pages"):
            (content / part).mkdir(parents=True)
        (content / "cables" / "08OSLO101.txt").write_text(cable, encoding="utf-8")
        note_file = content / "annotations" / "08OSLO101.md"
        note_text = front_matter({"title": title, "sources": [title]}) + note
        note_file.write_text(note_text, encoding="utf-8")
        people = front_matter({"name": name or "x", "aliases": aliases, "role": role})
        (content / "people" / "odd-person.md").write_text(people + about, encoding="utf-8")
        page_file = content / "pages" / "odd-page.md"
        page_file.write_text(front_matter({"title": title}) + page, encoding="utf-8")
        report = quick_build(content, folder / "public")
        assert report.cables == 1, "a file named by its ID always holds a cable"
        assert_safe_site(folder, [str(p) for p in report.problems], allowed)


@BUILDING
@given(st.lists(file_names, min_size=1, max_size=6, unique=True), st.data())
def test_any_file_name_is_found_built_and_reported_on_one_line(
    allowed: Vocabulary, names: list[bytes], choices: st.DataObject
) -> None:
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        cables = folder / "content" / "cables"
        cables.mkdir(parents=True)
        serials = iter(range(101, 200))
        for name in names:
            cable = choices.draw(st.sampled_from(["", cable_text(next(serials))]))
            with open(os.path.join(os.fsencode(cables), name), "wb") as file:
                file.write(cable.encode())
        wanted = {n for n in names if n.endswith(b".txt") and not n.startswith(b".")}
        assert {os.fsencode(p.name) for p in cable_files([cables])} == wanted
        with pytest.MonkeyPatch.context() as patch:
            patch.chdir(folder)
            checked = _check_lines()
            if not any((cables / os.fsdecode(n)).stat().st_size for n in wanted):
                return  # nothing to build: the build says so (BuildFailed), check said the rest
            report = quick_build(Path("content"), Path("public"))
        assert_safe_site(folder, [*map(str, report.problems), *checked], allowed)


def cable_text(serial: int) -> str:
    """A small cable that parses with no problem, named by nothing but its text."""
    return (
        f"P 121530Z MAR 08\nFM AMEMBASSY OSLO\nTO RUEHC/SECSTATE WASHDC PRIORITY {serial}\n\n"
        f"UNCLAS OSLO {serial:06d}\n\nE.O. 12958: N/A\nTAGS: PREL NO\nSUBJECT: TALKS\n\n"
        "1. (U) The talks went on.\n\nWHITNEY\n"
    )


def _check_lines() -> list[str]:
    """`site-builder check` in the working folder: its problem lines, written to a strict
    UTF-8 stream as a terminal would take them."""
    stream = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict")
    with contextlib.redirect_stdout(stream):
        main(["check", "--content", "content"])
    stream.flush()
    buffer = stream.buffer
    assert isinstance(buffer, io.BytesIO)
    return buffer.getvalue().decode("utf-8").splitlines()[:-1]


def test_every_character_the_source_cleans_is_unprintable() -> None:
    """`normalise` skips its cleaning when a text is all printable: that is sound only if
    every character it would blank or remove is unprintable, which this holds it to."""
    cleaned = [
        chr(point)
        for point in range(0x110000)
        if not 0xD800 <= point <= 0xDFFF and normalise(f"a{chr(point)}b").text != f"a{chr(point)}b"
    ]
    assert cleaned and "\u200b" in cleaned and "\x07" in cleaned
    assert not [c for c in cleaned if c.isprintable()]
