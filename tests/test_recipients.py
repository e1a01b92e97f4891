"""The header's addressees (TO and INFO: routing indicators, precedences, message
control numbers, XMT exclusions, page banners inside the lists) and its E.O. line."""

from __future__ import annotations

import datetime as dt

import pytest

from site_builder.model import Cable, Recipient
from site_builder.parser import parse_cable
from site_builder.parser.rules.declassify import parse_declassify_date

DTG = "R 010101Z JAN 09\nFM AMEMBASSY ANKARA\n"


def _cable(header: str) -> Cable:
    return parse_cable(DTG + header + "\n\nUNCLAS ANKARA 000001\n\n1. Text.\n", "09ANKARA1.txt")


def _fields(recipients: tuple[Recipient, ...]) -> list[tuple[object, ...]]:
    return [(r.route, r.name, r.precedence, r.mcn, r.excluded) for r in recipients]


def test_route_name_precedence_and_number() -> None:
    cable = _cable("TO RUEHC/SECSTATE WASHDC PRIORITY 0872\nRUEHAK/AMEMBASSY ANKARA 1234")
    assert _fields(cable.recipients) == [
        ("RUEHC", "SECSTATE WASHDC", "PRIORITY", "0872", ()),
        ("RUEHAK", "AMEMBASSY ANKARA", None, "1234", ()),
    ]
    assert [r.span.start for r in cable.recipients] == [3, 4]
    assert cable.spans["recipients"] == (3, 4)


def test_two_word_precedence_and_names_with_digits() -> None:
    cable = _cable(
        "TO SPECIAL EMBASSY PROGRAM NIACT IMMEDIATE\n"
        "INFO RUEHTH/AMEMBASSY ATHENS 0121\nRUEUITH/DET 1 39LG ANKARA TU"
    )
    assert _fields(cable.recipients) == [
        (None, "SPECIAL EMBASSY PROGRAM", "NIACT IMMEDIATE", None, ())
    ]
    assert _fields(cable.info_recipients) == [
        ("RUEHTH", "AMEMBASSY ATHENS", None, "0121", ()),
        ("RUEUITH", "DET 1 39LG ANKARA TU", None, None, ()),
    ]


def test_the_info_block_ends_the_to_block() -> None:
    cable = _cable("TO AMEMBASSY NEW DELHI PRIORITY\nINFO AMEMBASSY PANAMA")
    assert [r.name for r in cable.recipients] == ["AMEMBASSY NEW DELHI"]
    assert [r.name for r in cable.info_recipients] == ["AMEMBASSY PANAMA"]


def test_xmt_excludes_posts_from_the_collective_above() -> None:
    cable = _cable(
        "TO ALL AMERICAN REPUBLIC DIPLOMATIC POSTS IMMEDIATE\n"
        "INFO ALL DIPLOMATIC AND CONSULAR POSTS PRIORITY\nXMT USINT HAVANA\nXMT AMEMBASSY MOSCOW"
    )
    assert _fields(cable.info_recipients) == [
        (
            None,
            "ALL DIPLOMATIC AND CONSULAR POSTS",
            "PRIORITY",
            None,
            ("USINT HAVANA", "AMEMBASSY MOSCOW"),
        )
    ]


def test_an_xmt_line_with_no_collective_above_means_nothing() -> None:
    assert _cable("TO SECSTATE WASHDC\nINFO XMT FOOBAR").info_recipients == ()


def test_page_banners_in_the_list_are_skipped() -> None:
    cable = parse_cable(
        "P 182318Z FEB 09\nFM SECSTATE WASHDC\nTO PAGE 02        STATE   015113  182333Z \n"
        "ALL DIPLOMATIC POSTS COLLECTIVE PRIORITY\nAMEMBASSY TRIPOLI PRIORITY\n\n"
        "UNCLAS STATE 015113\n\n1. Text.\n",
        "09STATE15113.txt",
    )
    assert [r.name for r in cable.recipients] == [
        "ALL DIPLOMATIC POSTS COLLECTIVE",
        "AMEMBASSY TRIPOLI",
    ]


def test_a_line_after_the_banner_is_no_addressee() -> None:
    text = DTG + "\nUNCLAS ANKARA 000001\n\nTO SUMMARIZE, THE TALKS FAILED.\n"
    assert parse_cable(text, "09ANKARA1.txt").recipients == ()


def test_a_word_that_starts_with_the_label_is_no_label() -> None:
    assert _cable("TOKYO WASHDC\nINFORMATION ONLY").recipients == ()
    assert _cable("TOKYO WASHDC\nINFORMATION ONLY").info_recipients == ()


# --- the E.O. line --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("DECL: 09/17/2017", dt.date(2017, 9, 17)),
        ("decl: 06/30/08", dt.date(2008, 6, 30)),
        ("DECL 2020/02/23", dt.date(2020, 2, 23)),
        ("DECL: 12/31/68", dt.date(1968, 12, 31)),
        ("N/A", None),
        ("DECL: OADR", None),
        ("DECL: X1, X5", None),
        ("DECL: 02/30/2019", None),
        ("DECL: AFTER KOREAN UNIFICATION", None),
    ],
)
def test_the_declassification_date(value: str, expected: dt.date | None) -> None:
    assert parse_declassify_date(value) == expected


def test_the_eo_line_is_read_after_the_banner_only_as_a_word() -> None:
    text = "R 010101Z JAN 09\nFM AMEMBASSY ANKARA\nTO SECSTATE WASHDC\n\nUNCLAS ANKARA 000001\n\n"
    cable = parse_cable(
        text + "NOTE.O. 12958: DECL: 01/01/2001\nE.O. 12958: DECL: 09/17/2017\n", "x.txt"
    )
    assert cable.declassify_on == dt.date(2017, 9, 17)
    assert cable.spans["declassify_on"].start == 8
