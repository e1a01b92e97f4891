"""The parser as a whole: the seed cable field by field, every form a cable comes in,
and broken input (each problem one clear `path:line` line, nothing hangs)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from site_builder import canonical_id, parse_text
from site_builder.ids import is_safe_id
from site_builder.model import Severity
from site_builder.parser import parse_bytes, parse_cable

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "content" / "cables" / "000_55eda599993d17d9.txt"

RECORD_FIELDS = [
    "source",
    "reference_id",
    "canonical_id",
    "date",
    "precedence",
    "origin",
    "station",
    "country",
    "classification",
    "caveats",
    "tags",
    "subject",
    "references",
    "recipients",
    "info_recipients",
    "classified_by",
    "declassify_on",
    "summary",
    "paragraphs",
    "signers",
    "partial",
    "errors",
]


def seed_record() -> dict[str, object]:
    return parse_text(SEED.read_text(encoding="utf-8"), source="content/cables/seed.txt")


def test_record_has_exactly_the_design_fields() -> None:
    assert list(seed_record()) == RECORD_FIELDS


def test_seed_cable_every_field() -> None:
    record = seed_record()
    assert record["reference_id"] == "07GUATEMALA1906"
    assert record["canonical_id"] == "07GUATEMALA1906"
    assert record["date"] == "2007-09-20T21:39:00Z"
    assert record["precedence"] == "PRIORITY"
    assert record["origin"] == "AMEMBASSY GUATEMALA"
    assert record["station"] == "GUATEMALA"
    assert record["country"] == "GT"
    assert record["classification"] == "UNCLASSIFIED"
    assert record["caveats"] == ["SIPDIS"]
    assert record["tags"] == ["KCRM", "KPAO", "KWMN", "PGOV", "PHUM", "PREL", "SMIG", "GT"]
    assert record["subject"] == "DEMARCHE ON TIP TIER 2 WATCH ACTION PLAN (2007-08)"
    assert record["references"] == [
        {"id": "07STATE116186", "letter": "A", "kind": "cable", "text": "STATE 116186"},
        {"id": "07STATE78791", "letter": "B", "kind": "cable", "text": "STATE 78791"},
    ]
    assert record["recipients"] == ["SECSTATE WASHDC"]
    assert record["info_recipients"] == []
    assert record["declassify_on"] is None
    assert record["paragraphs"] == [{"number": str(n), "marking": None} for n in range(1, 6)]
    assert record["signers"] == ["Derham"]
    assert record["partial"] is False
    assert record["errors"] == []


def test_seed_spans_point_at_the_lines_read() -> None:
    cable = parse_cable(SEED.read_text(encoding="utf-8"))
    lines = SEED.read_text(encoding="utf-8").split("\n")
    assert lines[cable.spans["subject"].start - 1].startswith("SUBJECT:")
    assert lines[cable.spans["tags"].start - 1].startswith("TAGS:")
    assert lines[cable.spans["date"].start - 1] == "P 202139Z SEP 07"
    third = cable.paragraphs[2]
    assert lines[third.span.start - 1].startswith("[1](#)3. Migoya noted")
    assert third.text.startswith("Migoya noted, however")


def test_canonical_id_of_a_mangled_id() -> None:
    assert canonical_id("09SECTION01OF03SANJOSE525") == "09SANJOSE525"
    assert canonical_id("09EFTOLONDON2468") == "09LONDON2468"
    assert canonical_id("09AMEMBASSYHANOI1284") == "09HANOI1284"
    assert canonical_id("90STATE255577TOSEC140323") == "90STATE255577"


WRAPPED = """\
P 191047Z SEP 07
FM AMEMBASSY BERLIN
TO RUEHC/SECSTATE WASHDC PRIORITY 9307

C O N F I D E N T I A L SECTION 01 OF 03 BERLIN 001767

SIPDIS

E.O. 12958: DECL: 09/17/2017
TAGS: PTER PGOV PREL KHLS KJUS GM
SUBJECT: TERRORISM ARRESTS DEMONSTRATE THREAT OF HOMEGROWN
ISLAMIC EXTREMISM

REF: A. BERLIN 1681
B. BERLIN 1398

Classified By: DCM John M. Koenig for Reasons 1.4(b) and (d).

1. (C) The September 4 arrests of three terrorist suspects
has given Germany its first case.

BERLIN 00001767  002 OF 003

2. (U) The arrests have sent shockwaves
through Germany.
KOENIG
"""


@pytest.mark.parametrize(
    "encoded",
    [
        WRAPPED.encode("utf-8"),
        WRAPPED.replace("\n", "\r\n").encode("utf-8"),
        b"\xef\xbb\xbf" + WRAPPED.encode("utf-8"),
        WRAPPED.replace("sent shockwaves", "sent shockwaves \u2013").encode("cp1252"),
    ],
    ids=["plain", "crlf", "bom", "cp1252"],
)
def test_plain_wrapped_text_in_every_encoding(encoded: bytes) -> None:
    cable = parse_bytes(encoded, "berlin.txt")
    assert cable.reference_id == "07BERLIN1767"
    assert cable.classification == "CONFIDENTIAL"
    assert cable.subject == "TERRORISM ARRESTS DEMONSTRATE THREAT OF HOMEGROWN ISLAMIC EXTREMISM"
    assert [r.id for r in cable.references] == ["07BERLIN1681", "07BERLIN1398"]
    assert [(p.number, p.marking) for p in cable.paragraphs] == [("1", "C"), ("2", "U")]
    assert "00001767" not in cable.paragraphs[0].text, "page banners are not text"
    assert cable.signers == ("KOENIG",)
    assert cable.declassify_on is not None and cable.declassify_on.isoformat() == "2017-09-17"


def test_cp1252_bytes_are_read_and_said() -> None:
    cable = parse_bytes(WRAPPED.replace("shockwaves", "shock\u2013waves").encode("cp1252"), "x.txt")
    assert "shock\u2013waves" in cable.paragraphs[1].text
    warnings = [str(p) for p in cable.problems]
    assert warnings == ["x.txt:24: warning: not UTF-8: read as cp1252"]


def test_pilcrow_paragraphs_of_the_csv_form() -> None:
    text = WRAPPED.replace("1. (C) The", "\u00b61. (C) The").replace("2. (U)", "\u00b62. (U)")
    assert [p.number for p in parse_cable(text).paragraphs] == ["1", "2"]


def test_year_at_a_line_start_is_not_a_paragraph() -> None:
    text = WRAPPED.replace("has given Germany", "happened on May 2,\n[1](#)2007. Germany")
    assert [p.number for p in parse_cable(text).paragraphs] == ["1", "2"]


# Broken input: every case is one clear line naming the file and line, and no hang.


def _problems(data: bytes, name: str = "content/cables/bad.txt") -> list[str]:
    started = time.perf_counter()
    cable = parse_bytes(data, name)
    assert time.perf_counter() - started < 10, "parsing must never hang"
    return [str(p) for p in cable.problems]


def test_empty_file() -> None:
    assert _problems(b"") == ["content/cables/bad.txt:1: error: empty file: no cable in it"]
    assert _problems(b"  \n\n\t\n") == [
        "content/cables/bad.txt:1: error: empty file: no cable in it"
    ]


def test_binary_junk() -> None:
    problems = _problems(bytes(range(256)) * 40)
    assert any(
        p.endswith("error: no reference ID: no banner, routing line or ID-shaped file name")
        for p in problems
    )
    assert all(p.startswith("content/cables/bad.txt:") for p in problems)


def test_a_file_with_no_cable_in_it() -> None:
    problems = _problems(b"Shopping list\n\nmilk, eggs\n")
    assert problems == [
        "content/cables/bad.txt:1: error: no reference ID: no banner, routing line or"
        " ID-shaped file name"
    ]


def test_nul_and_control_characters_are_blanked_and_said() -> None:
    data = WRAPPED.replace("has given", "has\x00 given\x07").encode()
    cable = parse_bytes(data, "x.txt")
    assert cable.reference_id == "07BERLIN1767"
    assert [str(p) for p in cable.problems] == [
        "x.txt:20: warning: 2 control character(s) replaced by spaces"
    ]
    assert "\x00" not in cable.paragraphs[0].text


def test_five_megabyte_single_line_paragraph() -> None:
    line = "1. (C) " + "word " * 1_000_000
    cable = parse_bytes(WRAPPED.replace("1. (C) The September", line + "\nThe").encode(), "x.txt")
    assert cable.reference_id == "07BERLIN1767"
    assert len(cable.paragraphs[0].text) > 5_000_000


def test_fifty_thousand_nested_parentheses() -> None:
    nested = "(" * 50_000 + ")" * 50_000
    text = WRAPPED.replace("SUBJECT: TERRORISM", f"SUBJECT: {nested} TERRORISM").replace(
        "REF: A. BERLIN 1681", f"REF: A. BERLIN 1681 {nested}"
    )
    started = time.perf_counter()
    cable = parse_cable(text + "\n3. " + nested + "\n")
    assert time.perf_counter() - started < 10
    assert cable.reference_id == "07BERLIN1767"


def test_a_file_larger_than_a_cable_is_cut_and_said() -> None:
    problems = _problems(WRAPPED.encode() + b"x" * 33_000_000)
    assert any("text too long: read up to 32 MB" in p for p in problems)


def test_an_id_shaped_like_a_path_never_becomes_one() -> None:
    text = WRAPPED.replace("BERLIN 001767", "../../x 001767").replace("FM AMEMBASSY BERLIN", "")
    cable = parse_bytes(text.encode(), "../../etc/passwd")
    assert cable.reference_id is None or is_safe_id(cable.reference_id)
    front = "---\nreference_id: ../../x\n---\n" + WRAPPED
    cable = parse_bytes(front.encode(), "x.txt")
    assert cable.reference_id == "07BERLIN1767"
    assert any("is not a reference ID" in str(p) for p in cable.problems)


@pytest.mark.parametrize(
    "value", ["../../x", "07BERLIN1767/../x", "07BERLIN1767.html", "7BERLIN1", "07BERLIN", ""]
)
def test_safe_id_rejects_anything_not_id_shaped(value: str) -> None:
    assert not is_safe_id(value)


def test_front_matter_that_does_not_close_is_one_warning() -> None:
    cable = parse_bytes(b"---\nreference_id: 07BERLIN1767\n" + WRAPPED.encode(), "x.txt")
    assert cable.reference_id == "07BERLIN1767"
    assert "x.txt:1: warning: front matter is not closed by a '---' line" in [
        str(p) for p in cable.problems
    ]


def test_front_matter_supplies_what_the_text_lacks() -> None:
    partial = (
        "---\nreference_id: 04ANKARA348\ndate: 2004-01-20T12:12:00Z\n---\n\n"
        "This record is a partial extract of the original cable.\n\n"
        "C O N F I D E N T I A L ANKARA 000348\n\nSUBJECT: A TEST\n\n1. (C) Text.\n"
    )
    cable = parse_cable(partial, "partial.txt")
    assert cable.partial
    assert cable.reference_id == "04ANKARA348"
    assert cable.date is not None and cable.date.isoformat() == "2004-01-20T12:12:00+00:00"
    assert cable.spans["subject"].start == 10, "front matter keeps the file's line numbers"


def test_yaml_that_tries_to_build_objects_is_refused() -> None:
    hostile = "---\nreference_id: !!python/object/apply:os.system ['true']\n---\n" + WRAPPED
    cable = parse_cable(hostile, "x.txt")
    assert cable.reference_id == "07BERLIN1767"
    assert any(
        p.severity is Severity.WARNING and "front matter" in p.message for p in cable.problems
    )
