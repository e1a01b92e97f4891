"""titlefy: a readable title-case form of a subject written in capitals, which
changes the case of letters and nothing else."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from site_builder.model import Cable
from site_builder.titles import acronyms, titlefy


@pytest.mark.parametrize(
    ("subject", "title"),
    [
        ("SPD IN DRIVER'S SEAT FOR BERLIN ELECTION", "SPD in Driver's Seat for Berlin Election"),
        ("BACK TO THE FUTURE? QADHAFI SPEAKS", "Back to the Future? Qadhafi Speaks"),
        ("PANAMA AND CUBA: A REVIEW OF TITLE III", "Panama and Cuba: A Review of Title III"),
        ("HMG STRESSES U.S.-UK COORDINATION", "HMG Stresses U.S.-UK Coordination"),
        ("VARIG'S DOWNWARD SPIRAL", "VARIG's Downward Spiral"),
        ("63RD UN GENERAL ASSEMBLY", "63rd UN General Assembly"),
        ("WORKING WITH FRANCE FROM NOW ON", "Working With France From Now On"),
        (
            '"IF YOU DON\'T HAVE YOUR HEALTH..." (AILMENTS)',
            '"If You Don\'t Have Your Health..." (Ailments)',
        ),
        ("SALEH ON KANAAN: WE'VE GOT HIM!!", "Saleh on Kanaan: We've Got Him!!"),
        (
            "NSC-DIRECTED REVIEW OF SOCIO-ECONOMIC CHANGE",
            "NSC-Directed Review of Socio-Economic Change",
        ),
        ("MEETING WITH MR. SMITH AND DR. JONES", "Meeting With Mr. Smith and Dr. Jones"),
        ("VICE PRESIDENT XI IN CAIRO", "Vice President Xi in Cairo"),
        ("BLACK BELT MASTER; XXXXXXXXXXXX SPEAKS", "Black Belt Master; XXXXXXXXXXXX Speaks"),
        ("turkish p.m. erdogan goes to washington", "Turkish P.M. Erdogan Goes to Washington"),
        ("  TRAILING AND LEADING BLANKS  ", "Trailing and Leading Blanks"),
        ("İSTANBUL STRASSE ß", "İstanbul Strasse ß"),
        ("MEETING WITH A/S SHAPIRO AND G/TIP", "Meeting With A/S Shapiro and G/TIP"),
        ("GOC TO FACILITATE HOSTAGE RELEASE", "GOC to Facilitate Hostage Release"),
    ],
)
def test_subjects_in_capitals(subject: str, title: str) -> None:
    assert titlefy(subject) == title


@pytest.mark.parametrize(
    "subject",
    [
        "Scenesetter for Ex-IM Chairman Fred Hochberg",
        "Scenesetter for DoD Visit to El Salvador, March 8-9",
        "Economists Warn UK's Economic Recovery Is Fragile",
    ],
)
def test_a_subject_in_mixed_case_keeps_its_capitals(subject: str) -> None:
    assert titlefy(subject) == subject


def test_the_acronym_list_holds_no_common_word() -> None:
    # `GOT` (Government of Turkey) read "We've GOT Him": words that are also plain
    # English words do not belong in the list.
    assert {"GOT", "US", "IT", "AT"} & acronyms() <= {"US"}


_TEXT = st.text(
    st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"), max_size=80
)


@given(_TEXT)
def test_only_the_case_of_letters_ever_changes(text: str) -> None:
    # Caseless comparison is casefold's job (`µ` and its capital `Μ` are one letter).
    assert titlefy(text).casefold() == text.strip().casefold()
    assert len(titlefy(text)) == len(text.strip())


@given(st.from_regex(r"[A-Z][A-Z0-9 ,.'\-:;/()?!&\"]{0,60}", fullmatch=True))
def test_subjects_in_capitals_keep_their_letters(text: str) -> None:
    assert titlefy(text).upper() == text.strip().upper()


def test_corpus_subjects_keep_their_letters(corpus_cables: dict[str, Cable]) -> None:
    subjects = [cable.subject for cable in corpus_cables.values() if cable.subject]
    assert len(subjects) > 950
    changed = [s for s in subjects if titlefy(s).casefold() != s.casefold()]
    assert changed == []
