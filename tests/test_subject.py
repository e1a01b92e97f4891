"""The SUBJECT rule: its labels, how far a wrapped subject runs, what is glued onto it,
and its marking; then every subject of the corpus."""

from __future__ import annotations

import re
from typing import Any

import pytest

from site_builder.model import Cable
from site_builder.parser import parse_cable
from tests.conftest import CORPUS

HEADER = "R 010101Z JAN 09\nFM AMEMBASSY ANKARA\nTO SECSTATE WASHDC\n\nUNCLAS ANKARA 000001\n\n"


def _cable(fields: str) -> Cable:
    return parse_cable(HEADER + "TAGS: PREL, TU\n" + fields + "\n", "09ANKARA1.txt")


@pytest.mark.parametrize(
    "line",
    [
        "SUBJECT: NEW CABINET SWORN IN",
        "SUBJ: NEW CABINET SWORN IN",
        "SUBJECT NEW CABINET SWORN IN",
        "UBJECT: NEW CABINET SWORN IN",
        "Subject:   NEW CABINET SWORN IN  ",
    ],
)
def test_the_label_and_its_variants(line: str) -> None:
    assert _cable(line).subject == "NEW CABINET SWORN IN"


def test_a_label_after_the_tags_on_the_same_line() -> None:
    cable = parse_cable(HEADER + "Tags: prel, tu Subject: turkish p.m. Erdogan\n", "x.txt")
    assert cable.subject == "turkish p.m. Erdogan"


def test_the_word_subject_in_the_text_is_no_label() -> None:
    text = HEADER + "TAGS: PREL\n\n1. (C) This is the subject of close cooperation.\n"
    assert parse_cable(text, "x.txt").subject is None
    text = HEADER + "TAGS: PREL\nNOTE: SUBJECT TO CHANGE\n"
    assert parse_cable(text, "x.txt").subject is None


def test_a_wrapped_subject_is_joined_up_to_a_blank_line() -> None:
    cable = _cable("SUBJECT: SUBJECT WHICH HAS a \nSECOND LINE \n\nREF: STATE 1")
    assert cable.subject == "SUBJECT WHICH HAS a SECOND LINE"
    assert cable.spans["subject"].end == cable.spans["subject"].start + 1


@pytest.mark.parametrize(
    "after",
    [
        "REF: A. RIYADH 1579",
        "REF A. RIYADH 1579",
        "Classified By: Ambassador Eric Edelman for reasons 1.4 (b) and (d)",
        "1.(SBU) Summary: text",
        "1. (C) Text.",
        "-----------",
        "GENEVA 00002654  001.2 OF 004",
        "This is an Action request. Please see para 2.",
        "E.O. 12958: N/A",
        "S E C R E T SECTION 01 OF 02 ISLAMABAD 003037",
        "SIPDIS",
    ],
)
def test_what_ends_a_wrapped_subject(after: str) -> None:
    assert _cable("SUBJECT: SAG AGREES TO PROTECT\nOIL FACILITIES\n" + after).subject == (
        "SAG AGREES TO PROTECT OIL FACILITIES"
    )


@pytest.mark.parametrize(
    "line",
    [
        "SUBJECT: WHO WOULD REPLACE GORDON BROWN AS UK PRIMEREF: A. LONDON 1939",
        "SUBJECT: WHO WOULD REPLACE GORDON BROWN AS UK PRIME REF: (A) 05 LONDON 405",
        "SUBJECT: WHO WOULD REPLACE GORDON BROWN AS UK PRIME REFS: A) LONDON 1",
        "SUBJECT: WHO WOULD REPLACE GORDON BROWN AS UK PRIMEClassified By: DCM X",
        "SUBJECT: WHO WOULD REPLACE GORDON BROWN AS UK PRIME CLASSIFIED BY AMB. X",
    ],
)
def test_fields_glued_onto_the_subject_line(line: str) -> None:
    assert _cable(line).subject == "WHO WOULD REPLACE GORDON BROWN AS UK PRIME"


def test_an_empty_label_line_with_the_text_after_it() -> None:
    cable = _cable("SUBJECT:\n\nCooperation and Coordination Busts Fraud Ring\n1.(SBU) Summary")
    assert cable.subject == "Cooperation and Coordination Busts Fraud Ring"


def test_line_end_backslashes_are_no_text() -> None:
    cable = _cable(
        "SUBJECT: LITTLE PROGRESS \\\nAT THE COUNCIL \\\n \\\nGENEVA 00002654  001.2 OF 004"
    )
    assert cable.subject == "LITTLE PROGRESS AT THE COUNCIL"


def test_html_entities_are_decoded() -> None:
    assert _cable("SUBJECT: Bla &#8217; bla &amp; bla").subject == "Bla ’ bla & bla"


@pytest.mark.parametrize(
    ("line", "subject", "marking"),
    [
        ("SUBJECT: (C) GERMANY ACTS", "GERMANY ACTS", "C"),
        ("SUBJECT: (S//NF) GERMANY ACTS", "GERMANY ACTS", "S//NF"),
        ("SUBJECT: (C/NF) GERMANY ACTS", "GERMANY ACTS", "C/NF"),
        ("SUBJECT: (S/REL UK) GERMANY ACTS", "GERMANY ACTS", "S/REL UK"),
        ("SUBJECT: (sbu) Germany acts", "Germany acts", "SBU"),
        ("SUBJECT: GERMANY ACTS ON SHIPMENT (S)", "GERMANY ACTS ON SHIPMENT", "S"),
        ("SUBJECT: GERMANY JOINS THE REGIME (MTCR)", "GERMANY JOINS THE REGIME (MTCR)", None),
        ("SUBJECT: (MTCR) GERMANY JOINS", "(MTCR) GERMANY JOINS", None),
    ],
)
def test_the_subjects_marking(line: str, subject: str, marking: str | None) -> None:
    cable = _cable(line)
    assert (cable.subject, cable.subject_marking) == (subject, marking)


def test_a_cable_without_subject_has_none() -> None:
    assert _cable("REF: STATE 1\n\n1. Text.").subject is None


# --- the corpus ----------------------------------------------------------------------------

_SUBJECT_LINE = re.compile(r"^\s*SUBJ(?:ECT)?\b", re.IGNORECASE | re.MULTILINE)
_MARKING_START = re.compile(r"^\((?:U|C|S|TS|SBU|LOU|FOUO)(?:[/-][^)]*)?\)", re.IGNORECASE)


def test_every_corpus_subject_is_clean(
    corpus_cables: dict[str, Cable], manifest: list[dict[str, Any]]
) -> None:
    with_line = [
        entry["file"]
        for entry in manifest
        if _SUBJECT_LINE.search((CORPUS / entry["file"]).read_text(encoding="utf-8"))
    ]
    assert len(with_line) > 950
    subjects = {name: corpus_cables[name].subject or "" for name in with_line}
    assert [name for name, subject in subjects.items() if not subject] == []
    assert [s for s in subjects.values() if re.search(r"REFS?:|Classified By", s, re.I)] == []
    assert [s for s in subjects.values() if _MARKING_START.match(s)] == []
