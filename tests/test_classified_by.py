"""The `Classified By` rule: titles of every shape, names with initials and suffixes,
words the wrap split, two people, where the reasons begin; `normalise_name`; then every
`Classified By` line of the corpus, and hostile input that must not slow the rule."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest

from site_builder.model import Cable
from site_builder.parser import parse_cable
from site_builder.parser.rules import RULES
from site_builder.parser.rules.classified_by import mend_split_words, parse_classified_by
from site_builder.parser.state import ParseState
from site_builder.people import normalise_name
from site_builder.tables import default_tables
from tests.conftest import FIGURES, corpus_files_matching

HEADER = (
    "R 010101Z JAN 09\nFM AMEMBASSY ANKARA\nTO SECSTATE WASHDC\n\nCONFIDENTIAL ANKARA 000001\n\n"
)
BODY = "\n\n1. (C) The first paragraph.\n\n2. (C) The second.\n"


def _cable(line: str) -> Cable:
    return parse_cable(HEADER + "SUBJECT: A SUBJECT\n\n" + line + BODY, "09ANKARA1.txt")


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("Classified By: Ambassador Ross Wilson for reasons 1.4 (b) and (d)", ["Ross Wilson"]),
        ("Classified By: Amb. Jackie Sanders. E.O 12958. Reasons 1.4 (B&D).", ["Jackie Sanders"]),
        ("Classified By: Ambassadro Glyn T. Davies, reasons 1.4 (b) and (d)", ["Glyn T. Davies"]),
        ("Classified By: AMBSSADOR JOHN F. TEFFT.  REASONS:  1.4 (B) AND (D).", ["JOHN F. TEFFT"]),
        (
            "Classified By: Charge d'Affaires, a.i., Arnold A. Chacon for reasons 1.4 (b)",
            ["Arnold A. Chacon"],
        ),
        (
            "Classified By: Charge d' Affairs Patricia Butenis, reasons 1.4 (d)",
            ["Patricia Butenis"],
        ),
        ("Classified By: DCM Doug Silliman for reasons 1.4(b and d)", ["Doug Silliman"]),
        ("Classified By: Acting DCM Lisa Carle for reasons 1.4(b) and (d)", ["Lisa Carle"]),
        ("Classified By: ADCM Susan Elliott for reasons 1.4 (b) and (d).", ["Susan Elliott"]),
        ("Classified By: PolOff Rachael Doherty, reasons 1.4 (b,d).", ["Rachael Doherty"]),
        ("Classified By: ECONOFF T. SCOTT BROWN FOR REASONS 1.4 (B) and (D)", ["T. SCOTT BROWN"]),
        (
            "Classified By: Pol/Econ Couns Drew G. Blakeney for reasons 1.4 (b&d).",
            ["Drew G. Blakeney"],
        ),
        ("Classified By: PolMinCouns Scott Bellard, reason 1.4 (d)", ["Scott Bellard"]),
        ("Classified By: CONSUL GENERAL SEAN MURPHY", ["SEAN MURPHY"]),
        ("Classified By: NEA A/S Jeffrey Feltman for reasons 1.4(b,d)", ["Jeffrey Feltman"]),
        (
            "Classified By: AF PDAS Michael Ranneberger.  Reasons 1.5 (b) and (d).",
            ["Michael Ranneberger"],
        ),
        (
            "Classified By: T U/S Ellen O. Tauscher for Reasons 1.4 a,b,and d.",
            ["Ellen O. Tauscher"],
        ),
        (
            "Classified By: Under Secretary Maria Otero for reasons 1.4 (B) and (D).",
            ["Maria Otero"],
        ),
        (
            "Classified By: Classified by DCM Liz Dibble for reasons 1.4 (b) and (d).",
            ["Liz Dibble"],
        ),
        ("Classified By: DOS CLASSIFICATION GUIDE BY MARY TOWNSWICK", ["MARY TOWNSWICK"]),
        ("CLASSIFIED BY AMBASSADOR TO SUDAN TIMOTHY CARNEY.\nREASON 1.5(D).", ["TIMOTHY CARNEY"]),
        (
            "Classified By: Acting Assistant Secretary for Diplomatic Security Gregory B. Starr"
            " for E.O. 12958 reasons 1.4 (c) and (d).",
            ["Gregory B. Starr"],
        ),
        (
            "Classified By: PRT Kirkuk Governance Section Head Rachna Korhonen, 1.4 (d)",
            ["Rachna Korhonen"],
        ),
        ("Classified By: A/PolAd A. “Hoot” Baez. Reasons: 1.4 (b) and (d).", ["A. “Hoot” Baez"]),
        ("Classified By: AMB:RCROCKER, Reasons 1.4 (b) and (c)", ["RCROCKER"]),
    ],
)
def test_titles_of_every_shape(line: str, names: list[str]) -> None:
    assert list(_cable(line).classified_by) == names


@pytest.mark.parametrize(
    ("line", "names"),
    [
        (
            "Classified By: Ambassador Clark T. Randt, Jr. Reasons 1.4 (b/d).",
            ["Clark T. Randt, Jr."],
        ),
        (
            "Classified By: AMBASSADOR EDUARDO AGUIRRE, JR., REASONS 1.4(B),(D).",
            ["EDUARDO AGUIRRE, JR."],
        ),
        (
            "Classified By: Ambassador Richard L. Baltimore, III.\nReasons: 1.4 (b).",
            ["Richard L. Baltimore, III"],
        ),
        (
            "Classified By: Conoff Walter Parrs III for Reasons 1.4 (b) and (d)",
            ["Walter Parrs III"],
        ),
        (
            "Classified By: Charge Mary Thompson-Jones for reasons 1.4 (b) and (d).",
            ["Mary Thompson-Jones"],
        ),
        ("Classified By: POL Counselor Daniel O'Grady, reasons 1.4 (b,d)", ["Daniel O'Grady"]),
        (
            "Classified By: Charge de'Affairs ai. Mary Grace McGeehan for reasons 1.4",
            ["Mary Grace McGeehan"],
        ),
        ("(U) CLASSIFIED BY AMBASSAD0R R0BIN L. RAPHEL BASED 0N 1.5 (B)", ["R0BIN L. RAPHEL"]),
        (
            "1. (U) CLASSIFIED BY LEE 0. COLDREN, DIRECTOR, SA/PAB. REASON: 1.5(D).",
            ["LEE 0. COLDREN"],
        ),
    ],
)
def test_initials_suffixes_and_spellings_kept_as_written(line: str, names: list[str]) -> None:
    assert list(_cable(line).classified_by) == names


@pytest.mark.parametrize(
    ("line", "names"),
    [
        (
            "CLASSIFIED BY: Rose E. Gottemoeller, Assistant Secretary, Department of State, VCI;"
            " REASON: 1.4(B), (D)",
            ["Rose E. Gottemoeller"],
        ),
        (
            "CLASSIFIED BY: Gene A. Cretz, Ambassador, U.S. Embassy Tripoli, Department of State."
            " REASON: 1.4 (b), (d)",
            ["Gene A. Cretz"],
        ),
        (
            "CLASSIFIED BY: Martinez, Vilma, Ambassador, DOS, EXEC; REASON: 1.4(B), (D)",
            ["Vilma Martinez"],
        ),
        ("CLASSIFIED BY: DUDDY, AMBASSADOR, DOS, AMB; REASON: 1.4(B), (D)", ["DUDDY"]),
    ],
)
def test_the_name_first_form(line: str, names: list[str]) -> None:
    assert list(_cable(line).classified_by) == names


def test_a_name_the_wrap_split_is_joined_in_a_cable() -> None:
    line = (
        "Classified By: Interagency Provincial Affairs Deputy Coordinator Hoyt Y \nee for reasons"
    )
    assert list(_cable(line + " 1.4 (b) and (d)").classified_by) == ["Hoyt Yee"]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Deputy Political Counselor Charles O. Blah \na, E.O. 12958, 1.4", "Charles O. Blaha"),
        ("Section Head Rachna Korhonen for r \neasons 1.4 (b) and (d).", "Rachna Korhonen"),
        ("MINISTER COUNSELOR FOR ECONOMIC AFFAIR \nS ROBERT LUKE; REASON 1.4", "ROBERT LUKE"),
        (
            "Acting Counselor for Political-Military Affiars Margaret \n H. Nardi, 1.4",
            "Margaret H. Nardi",
        ),
        (
            "Political Minister-Counselor Christopher R. Davis for re \nason 1.4",
            "Christopher R. Davis",
        ),
    ],
)
def test_words_the_wrap_split_are_joined(text: str, name: str) -> None:
    # The telegrams wrap at column 71: a full line followed by one that does not begin
    # with a space was cut inside a word; `Margaret` / ` H. Nardi` was cut between words.
    column = 71 - len(text.split("\n")[0].rstrip())
    assert parse_classified_by(mend_split_words(text, column)) == [name]


def test_mend_split_words_joins_only_full_lines() -> None:
    assert mend_split_words("x" * 70 + "Y\nee for", 0) == "x" * 70 + "Yee for"
    assert mend_split_words("x" * 68 + " Y\nee for", 0) == "x" * 68 + " Y\nee for"
    assert mend_split_words("x" * 70 + "Y\n ee for", 0) == "x" * 70 + "Y\n ee for"
    assert mend_split_words("x" * 60 + "Y\nee", 10) == "x" * 60 + "Yee"


@pytest.mark.parametrize(
    "reasons",
    [
        " for reasons 1.4 (b) and (d)",
        " for Reasons 1.4(b) and (d)",
        " for rasons 1.4 (b) and (d)",
        " for reaons 1.4 (b) & (d)",
        " for Reas (b) and (d)",
        " for for reasons 1.4 b and d.",
        " for 1.4 (b) and (d)",
        " for E.O. 12958 reasons 1.4 (c) and (d)",
        ", reasons 1.4 (b,d)",
        "; Reason: 1.4 (d)",
        ". Reason s 1.4(b) and (d).",
        "-reasons 1.4(b/d)",
        " per 1.4 (b) and (d)",
        " under Section 1.4 b/d",
        " based on E.O. 12958 reasons 1.4 (b) and (d)",
        " BASED UPON REASONS 1.5 (B) AND (D)",
        ": 1.4 (d).",
        " - 1.5 B,D.",
        " 1.4 (b) and (d)",
        " by reasons 1.4 (b) and (d)",
    ],
)
def test_the_name_ends_where_the_reasons_begin(reasons: str) -> None:
    names = parse_classified_by(" Ambassador Ryan C. Crocker" + reasons)
    assert names == ["Ryan C. Crocker"]


def test_two_people_in_one_line() -> None:
    line = "Classified By: Ambassador Robert Tuttle and DCM Richard LeBaron, reasons 1.4 (b,d)"
    assert list(_cable(line).classified_by) == ["Robert Tuttle", "Richard LeBaron"]


def test_and_inside_a_title_is_no_second_person() -> None:
    line = (
        "Classified by: Minister Counselor for Economic and\n"
        "Political Affairs William R. Stewart for reasons 1.4(b) and\n(d)."
    )
    assert list(_cable(line).classified_by) == ["William R. Stewart"]


@pytest.mark.parametrize(
    "line",
    [
        "Classified By: Ambassador for reasons 1.4 (b) and (d)",
        "Classified By: Charge d'Affaires, for reasons 1.4 (b) and (d)",
        "Classified By: Derived from Multiple Sources",
        "CLASSIFIED BY: XXXXXXXXXXXX, Ambassador, U.S. Embassy Tripoli, Department of State.",
        "Classified By: xxxxx for Reasons 1.4 (b) and (d)",
    ],
)
def test_a_line_without_a_name_gives_none(line: str) -> None:
    assert _cable(line).classified_by == ()


def test_classified_by_in_a_sentence_or_declassified_by_is_no_label() -> None:
    text = HEADER + "E.O. 12958: DECL: DECLASSIFIED BY NARA 09/02/2009\nSUBJECT: X\n"
    text += "\n1. (C) The study remains highly classified by the GOQ.\n"
    assert parse_cable(text, "x.txt").classified_by == ()


def test_the_span_covers_the_reasons_and_the_body_starts_after() -> None:
    cable = _cable("Classified By: Ambassador Ross Wilson for reasons 1.4 (b)\nand (d).")
    span = cable.spans["classified_by"]
    assert span.end == span.start + 1
    assert all("and (d)" not in block.text for block in cable.body)


@pytest.mark.parametrize(
    ("name", "readable"),
    [
        ("THOMAS W. SIMONS, JR.", "Thomas W. Simons, Jr."),
        ("LEE 0. COLDREN", "Lee O. Coldren"),
        ("R0BIN L. RAPHEL", "Robin L. Raphel"),
        ("RICHARD L. BALTIMORE, III", "Richard L. Baltimore, III"),
        ("TOM MCDONALD", "Tom McDonald"),
        ("PIERRE-RICHARD PROSPER", "Pierre-Richard Prosper"),
        ("DE PREE", "De Pree"),
        ("Joseph LeBaron", "Joseph LeBaron"),
        ("  Ryan   C. Crocker ", "Ryan C. Crocker"),
    ],
)
def test_normalise_name(name: str, readable: str) -> None:
    assert normalise_name(name) == readable


# The line a cable gives its classifier on, as a reader would spot it.
_LABEL_LINE = re.compile(
    r"^[ \t]*(?:\[1\]\(#\))?(?:\d\.\s*)?(?:\([A-Z]{1,4}\)\s*)?Classified\s+By\b",
    re.IGNORECASE | re.MULTILINE,
)
_NOT_IN_NAMES = re.compile(r"reason|1\.4|\bfor\b|\d", re.IGNORECASE)
NAMED_BAR = 0.985  # the lines below it name nobody: "Ambassador, reason 1.4", redactions


def test_every_corpus_line_yields_clean_names(
    corpus_cables: dict[str, Cable], manifest: list[dict[str, Any]]
) -> None:
    with_line = corpus_files_matching(manifest, _LABEL_LINE)
    named = [name for name in with_line if corpus_cables[name].classified_by]
    rate = len(named) / len(with_line)
    FIGURES.append(
        f"corpus classified_by named: {rate:.2%} ({len(named)}/{len(with_line)}),"
        f" bar {NAMED_BAR:.1%}"
    )
    assert rate >= NAMED_BAR, sorted(set(with_line) - set(named))
    for cable in corpus_cables.values():
        for name in cable.classified_by:
            assert not _NOT_IN_NAMES.search(name), (cable.source, name)
            assert len(name.split()) <= 5, (cable.source, name)


# Hostile input: each must leave the rules' work bounded.
HOSTILE: dict[str, str] = {
    "nested parentheses": "Classified By: "
    + "(" * 50_000
    + ")" * 50_000
    + "\nSUMMARY: "
    + "(" * 50_000,
    "a 5 MB line": "Classified By: Ambassador " + "Hoyt Y. Yee and " * 320_000 + "SUMMARY: x " * 20,
    "a 20 MB file": ("1. (C) Summary: text of the paragraph\n" * 540_000) + "CONFIDENTIAL\n" * 1000,
    "NUL bytes": "Classified By: \x00Amb\x00 " * 100_000 + "\x00\n" * 100_000 + "CLINTON\x00",
    "words of one letter": "CLASSIFIED BY " + "A. " * 1_000_000 + "\n" + "A\n" * 100_000,
    "SUMMARY a million times": "SUMMARY " * 1_000_000 + "\nEND " * 100_000,
}
TIME_BOUND = 0.5  # seconds for one rule on one input; the rules take milliseconds


def hostile_state(body: str) -> ParseState:
    """A cable around hostile text, with the landmarks the earlier rules leave."""
    state = ParseState(source="<hostile>", text=HEADER + body, tables=default_tables())
    rules = dict(RULES)
    for name in ("partial", "banner", "body_start"):
        rules[name](state)
    return state


def seconds_for(rule_name: str, state: ParseState) -> float:
    rule = dict(RULES)[rule_name]
    start = time.perf_counter()
    rule(state)
    return time.perf_counter() - start


@pytest.mark.parametrize("body", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_input_keeps_the_rule_bounded(body: str) -> None:
    assert seconds_for("classified_by", hostile_state(body)) < TIME_BOUND
