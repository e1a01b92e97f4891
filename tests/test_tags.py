"""The TAGS rule: labels and their typos, separators, continuation lines, glued codes,
person tags and written-out tags; and how every header-field rule of this family
(TAGS, SUBJECT, TO, INFO, E.O.) holds up against hostile input."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from site_builder.model import Cable
from site_builder.parser import parse_cable
from site_builder.parser.rules.declassify import read_declassify_on
from site_builder.parser.rules.recipients import read_info_recipients, read_recipients
from site_builder.parser.rules.subject import read_subject
from site_builder.parser.rules.tags import read_tags, split_tags
from site_builder.parser.state import ParseState
from site_builder.tables import default_tables

HEADER = "R 010101Z JAN 09\nFM AMEMBASSY ANKARA\nTO SECSTATE WASHDC\n\nUNCLAS ANKARA 000001\n\n"


def _cable(fields: str) -> Cable:
    return parse_cable(HEADER + fields + "\n\n1. Text.\n", "09ANKARA1.txt")


def _split(value: str) -> list[str]:
    return split_tags(value, default_tables())


# --- the label and the field's extent -----------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "TAGS: PREL, TU",
        "TAGS PREL TU",
        "TAG: PREL, TU",
        "TAGES:  PREL, TU",
        "TAS: PREL, TU",
        "TABS: PREL, TU",
        "TAGS; PREL, TU",
        "Tags: prel, tu",
        "E.O. 12958: N/A TAGS: PREL TU",
        "DECL: 08/22/2017 AGS: PREL, TU",
    ],
)
def test_label_and_its_typos(line: str) -> None:
    assert _cable(line + "\nSUBJECT: X").tags == ("PREL", "TU")


def test_a_word_inside_the_text_is_no_label() -> None:
    assert _cable("A STATE TAGS ALONG.\nSUBJECT: X").tags == ()
    assert _cable("HOSTAGES: PREL\nSUBJECT: X").tags == ()


def test_the_field_ends_at_a_subject_on_the_same_line() -> None:
    cable = _cable("E.o. 12958: decl: 01/07/2014 Tags: prel, pgov, tu Subject: turkish p.m.")
    assert cable.tags == ("PREL", "PGOV", "TU")


def test_continuation_lines_and_their_span() -> None:
    cable = _cable("TAGS: PREL PGOV KPAL\nNATO, UK, CN\nSUBJECT: X")
    assert cable.tags == ("PREL", "PGOV", "KPAL", "NATO", "UK", "CN")
    assert cable.spans["tags"].end == cable.spans["tags"].start + 1


def test_a_continuation_may_run_into_the_subject() -> None:
    cable = _cable("TAGS: PREL PGOV\nECON, PHUM, UK SUBJECT: MILIBAND'S TRIP REF: LONDON 1")
    assert cable.tags == ("PREL", "PGOV", "ECON", "PHUM", "UK")
    assert cable.subject == "MILIBAND'S TRIP"


def test_a_line_in_lower_case_continues_only_an_open_list() -> None:
    assert _cable("TAGS: something\nhere").tags == ("SOMETHING",)
    assert _cable("TAGS: something,\nhere").tags == ("SOMETHING", "HERE")


def test_a_banner_line_is_no_continuation() -> None:
    assert _cable("TAGS: PREL, TU\nC O N F I D E N T I A L\nSUBJECT: X").tags == ("PREL", "TU")


def test_the_first_field_wins_and_the_body_is_not_searched() -> None:
    assert _cable("TAGS: PREL\nSUBJECT: X\n\n2. Text.\nTAGS: ECON").tags == ("PREL",)
    assert parse_cable(HEADER + "1. Text.\nTAGS: ECON\n", "x.txt").tags == ()


# --- splitting a value -----------------------------------------------------------------------


def test_separators_order_and_duplicates() -> None:
    assert _split("PREL, PGOV PREL;ECON ; TU") == ["PREL", "PGOV", "ECON", "TU"]


def test_sipdis_and_page_banners_are_dropped() -> None:
    assert _split("ECON ETRD CA MX SIPDIS") == ["ECON", "ETRD", "CA", "MX"]
    value = "PREL, IT   SECRET   PAGE 02   ROME  03067  211833Z PGOV, IT"
    assert _split(value) == ["PREL", "IT"]


def test_glued_codes_are_split_by_known_codes() -> None:
    assert _split("KFRDKIRFCVISCMGTKOCIASECPHUMSMIGEG") == [
        "KFRD",
        "KIRF",
        "CVIS",
        "CMGT",
        "KOCI",
        "ASEC",
        "PHUM",
        "SMIG",
        "EG",
    ]
    assert _split("KCRM KWMN ASEC PHUMBA") == ["KCRM", "KWMN", "ASEC", "PHUM", "BA"]
    assert _split("PHUM, IT, ITPHUM, VEPREL") == ["PHUM", "IT", "VE", "PREL"]


def test_a_name_made_of_country_codes_is_not_unglued() -> None:
    # GA + SP + AR are all country codes, but no glued list is made of those alone.
    assert "GA" not in _split("PM GASPAR CONSULAR AFFAIRS")


def test_person_tags_in_parentheses_keep_their_place() -> None:
    assert _split("OVIP (STEINBERG, JAMES B.), PREL, PARM") == [
        "OVIP",
        "STEINBERG, JAMES B.",
        "PREL",
        "PARM",
    ]


def test_a_visitors_bare_name_after_ovip() -> None:
    assert _split("OVIP BIDEN JOSEPH PREL ECON EU") == [
        "OVIP",
        "BIDEN, JOSEPH",
        "PREL",
        "ECON",
        "EU",
    ]
    # Two unknown code-shaped words are no name.
    assert _split("OVIP ABCD EFGH PREL") == ["OVIP", "ABCD", "EFGH", "PREL"]


def test_written_out_tags() -> None:
    assert _split("PHUM, OPRC, IT, HUMAN RIGHTS") == ["PHUM", "OPRC", "IT", "HUMAN RIGHTS"]
    assert _split("ECON PTER PM ECONOMIC AFFAIRS") == ["ECON", "PTER", "PM", "ECONOMIC AFFAIRS"]
    assert _split("JO IS ECONOMY AND FINANCE") == ["JO", "IS", "ECONOMY AND FINANCE"]
    assert _split("KJUS TIP IN TURKEY") == ["KJUS", "TIP IN TURKEY"]
    assert _split("IS GAZA DISENGAGEMENT ISRAELI PALESTINIAN AFFAIRS") == [
        "IS",
        "GAZA DISENGAGEMENT",
        "ISRAELI PALESTINIAN AFFAIRS",
    ]


def test_a_written_out_tag_between_commas_is_one_tag() -> None:
    assert _split("PGOV, HUMAN RIGHTS AND DEMOCRACY, TU") == [
        "PGOV",
        "HUMAN RIGHTS AND DEMOCRACY",
        "TU",
    ]
    assert _split("PREL, PGOV, USEU BRUSSELS") == ["PREL", "PGOV", "USEU BRUSSELS"]


def test_words_the_table_lists_one_by_one_stay_apart_in_a_space_list() -> None:
    # The release's pages linked these words one by one, and the corpus follows them.
    assert _split("PINR PREL YE COUNTER TERRORISM") == [
        "PINR",
        "PREL",
        "YE",
        "COUNTER",
        "TERRORISM",
    ]


def test_a_written_out_tag_may_wrap() -> None:
    cable = _cable("TAGS: OREP AMGT KU COUNTRY\nCLEARANCE\nSUBJECT: X")
    assert cable.tags == ("OREP", "AMGT", "KU", "COUNTRY CLEARANCE")


# --- hostile input ----------------------------------------------------------------------

_BIG = 5_000_000
HOSTILE: dict[str, str] = {
    "nested parentheses": "TAGS: "
    + "(" * 50_000
    + "PREL"
    + ")" * 50_000
    + "\nSUBJECT: "
    + "(" * 50_000,
    "5 MB line of codes": "TAGS: " + "PREL " * (_BIG // 5),
    "5 MB line of phrases": "TAGS: " + "PREL, HUMAN RIGHTS AND " * (_BIG // 23),
    "5 MB glued word": "TAGS: " + "PREL" * (_BIG // 4),
    "5 MB subject": "SUBJECT: " + "A " * (_BIG // 2),
    "5 MB of blanks": "SUBJECT: X" + " " * _BIG + "Y\nTO " + " " * _BIG + "X",
    "5 MB addressee": "FM X\nTO " + "A " * (_BIG // 2) + "\nINFO XMT " + "B" * _BIG,
    "5 MB after E.O.": "E.O. " + "E" * _BIG + "\nE.O. 12958" + " " * _BIG,
    "labels everywhere": "TAGS TAG TAS: SUBJ UBJECT E.O. INFO TO " * (_BIG // 40),
    "NUL bytes": "TAGS: PREL\x00PGOV\x00\nSUBJECT: \x00\x00 X\x00\nTO \x00\n" * 10_000,
}
RULES: dict[str, Callable[[ParseState], None]] = {
    "tags": read_tags,
    "subject": read_subject,
    "recipients": read_recipients,
    "info_recipients": read_info_recipients,
    "declassify_on": read_declassify_on,
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_the_header_field_rules_stay_fast_on_hostile_input(name: str) -> None:
    state = ParseState(source="hostile.txt", text=HOSTILE[name], tables=default_tables())
    state.header_end = min(len(state.lines), 400)
    for rule_name, rule in RULES.items():
        started = time.perf_counter()
        rule(state)
        assert time.perf_counter() - started < 1.0, f"{rule_name} on {name}"
