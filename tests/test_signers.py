"""The signers rule: the surname line(s) at the end, past the trailer; a signer glued to
the last sentence; what is never a signer; then every cable of the corpus, and hostile
input that must not slow the rule."""

from __future__ import annotations

from typing import Any

import pytest

from site_builder.model import Cable
from site_builder.parser import parse_bytes, parse_cable
from tests.conftest import FIGURES, ROOT
from tests.test_classified_by import HOSTILE, TIME_BOUND, hostile_state, seconds_for

HEADER = (
    "R 010101Z JAN 09\nFM AMEMBASSY ANKARA\nTO SECSTATE WASHDC\n\nCONFIDENTIAL ANKARA 000001\n\n"
)
TEXT = "SUBJECT: A SUBJECT\n\n1. (C) The first paragraph.\n\n2. (C) The last paragraph ends here.\n"


def _signers(end: str) -> list[str]:
    return list(parse_cable(HEADER + TEXT + end, "09ANKARA1.txt").signers)


def test_the_seed_cable_is_signed_derham() -> None:
    path = ROOT / "content" / "cables" / "000_55eda599993d17d9.txt"
    cable = parse_bytes(path.read_bytes(), str(path))
    assert cable.signers == ("Derham",)
    assert all("Derham" not in block.text for block in cable.body)


@pytest.mark.parametrize(
    ("end", "signers"),
    [
        ("DERHAM\n", ["DERHAM"]),
        ("\nTIMKEN JR\n", ["TIMKEN JR"]),
        ("Timken jr\n", ["Timken jr"]),
        ("\n\nO'DONOHUE", ["O'DONOHUE"]),
        ("STRAUSZ-HUPE\n", ["STRAUSZ-HUPE"]),
        ("\nDE PREE\n", ["DE PREE"]),
        ("GILLESPIE##\n", ["GILLESPIE"]),
        ("MANZANARES .\n", ["MANZANARES"]),
        ("SOBEL 2008-01-08\n", ["SOBEL"]),
        ("\nKUBISKE KUBISKE\n", ["KUBISKE"]),
        ("Huntsman\nhuntsman\n", ["Huntsman"]),
        ("\nRICE\nGATES\n", ["RICE", "GATES"]),
    ],
)
def test_a_signer_line(end: str, signers: list[str]) -> None:
    assert _signers(end) == signers


@pytest.mark.parametrize(
    "trailer",
    [
        "\nCONFIDENTIAL\n",
        "\nNNNN\n",
        "\nLIMITED OFFICIAL USE\nNNNN",
        "\nCONFIDENTIAL\n\nSIPDIS\n\nPAGE 03        SOFIA  03382  111320Z\n",
        "\nBRUSSELS 00003382  003 OF 003\n.\n",
        "\nGP-3\n",
        "\n\nDeclassified/Released US Department of State EO Systematic\nReview 30 JUN 2006\n",
        "\nNNNN\nEnd Cable Text\n",
        "\nSELECT * FROM `cable` WHERE `id` = '90016' ORDER BY `date` ASC\n",
        "\n\nEPET @ EL PAÍS\n",
        "\nDANIEL ORTEGA AN...\n",
        '\n\n"Visit Ankara\'s Classified Web Site at http://www.intelink.s\ngov.gov/wiki/Portal:Turkey"\n',
    ],
)
def test_the_trailer_after_the_signer_is_skipped(trailer: str) -> None:
    assert _signers("JEFFREY" + trailer) == ["JEFFREY"]


@pytest.mark.parametrize(
    ("last", "signer"),
    [
        ("REPORTING IN RESPONSE TO THE ABOVE QUESTIONS. CLINTON", "CLINTON"),
        ("including by depriving it of arms markets. Burns", "Burns"),
        ("a convenient whipping boy for ZANU-PF. END COMMENT RAY", "RAY"),
        ("the ANA TF. END TEXT HEFFERN", "HEFFERN"),
        ("a much-needed radical restructuring. .FARRAR", "FARRAR"),
        ('wherever they may come from." CLINTON UNQUOTE CLINTON', "CLINTON"),
        ("the North Korean people. XXXXXXXXXXX STEPHENS", "STEPHENS"),
        ("rings true for South Africa in 2009. LA LIME", "LA LIME"),
        ("the economic outlook. RIO DE JAN 00000285 002 OF 002 HEARNE", "HEARNE"),
        (
            "Visit London’s Classified Website: http://www.state.sgov.gov/p/eur/london/index."
            " cfm Tuttle",
            "Tuttle",
        ),
    ],
)
def test_a_signer_glued_to_the_last_sentence(last: str, signer: str) -> None:
    assert _signers(last + "\n") == [signer]


def test_a_lower_case_signer_after_a_row_of_stars() -> None:
    end = "http://www.state.sgov.gov/p/nea/kuwait/\n*******************************\nmisenheimer\n"
    assert _signers(end) == ["misenheimer"]


@pytest.mark.parametrize(
    "end",
    [
        "CONFIDENTIAL\n",
        "UNCLASSIFIED\n",
        "END\n",
        "End Comment.\n",
        "SIPDIS\n",
        "XXXXXXXXXXXX\n",
        "The talks went on until the\nevening and other\nissues\n",
        "as efforts to expand support for victims in the interior\nof the country.\n",
        "The monthly inflation rate for March was 5.6 percent. The",
        "Point of contact is RSO\nPeshawar, David J. Hazarian\n",
        "Visit Embassy Kiev's classified website at:\nwww.state.sgov.gov/p/eur/kiev.\n",
        "Conakry and Tripoli minimize considered.\n...",
    ],
)
def test_no_signer(end: str) -> None:
    assert _signers(end) == []


def test_a_list_of_names_above_the_signer_is_not_a_second_signer() -> None:
    assert _signers("Russian Embassy\nAlexei Markov\nMaxim Elovik\nCLINTON\n") == ["CLINTON"]


def test_the_body_stops_before_the_signer_lines() -> None:
    cable = parse_cable(HEADER + TEXT + "\nRICE\nGATES\n", "09ANKARA1.txt")
    span = cable.spans["signers"]
    assert span.end == span.start + 1
    assert [block.number for block in cable.paragraphs] == ["1", "2"]
    assert all("RICE" not in block.text for block in cable.body)


_NEVER_SIGNERS = {"UNCLASSIFIED", "CONFIDENTIAL", "SECRET", "END", "SIPDIS", "NOFORN", "NNNN"}
SIGNED_BAR = 0.955  # of the full (not partial) cables; most of the rest end with no name


def test_every_corpus_signer_is_a_short_name(
    corpus_cables: dict[str, Cable], manifest: list[dict[str, Any]]
) -> None:
    full = [corpus_cables[entry["file"]] for entry in manifest if not entry["partial"]]
    signed = [cable for cable in full if cable.signers]
    rate = len(signed) / len(full)
    FIGURES.append(
        f"corpus signers found: {rate:.2%} ({len(signed)}/{len(full)} full cables),"
        f" bar {SIGNED_BAR:.1%}"
    )
    assert rate >= SIGNED_BAR
    for cable in corpus_cables.values():
        for signer in cable.signers:
            words = signer.upper().split()
            assert 1 <= len(words) <= 3, (cable.source, signer)
            assert not set(words) & _NEVER_SIGNERS, (cable.source, signer)
            assert not any(char.isdigit() for char in signer), (cable.source, signer)


@pytest.mark.parametrize("body", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_input_keeps_the_rule_bounded(body: str) -> None:
    assert seconds_for("signers", hostile_state(body)) < TIME_BOUND
