"""The summary rule: its openings and endings, the text it keeps, what is no summary;
then every summary of the corpus, and hostile input that must not slow the rule."""

from __future__ import annotations

import re
from typing import Any

import pytest

from site_builder.model import Cable
from site_builder.parser import parse_cable
from site_builder.parser.rules.summary import clean_summary
from tests.conftest import FIGURES, corpus_files_matching
from tests.test_classified_by import HOSTILE, TIME_BOUND, hostile_state, seconds_for

HEADER = (
    "R 010101Z JAN 09\nFM AMEMBASSY ANKARA\nTO SECSTATE WASHDC\n\nCONFIDENTIAL ANKARA 000001\n\n"
)
FIELDS = "SUBJECT: A SUMMARY OF THE TALKS\nClassified By: Ambassador Ross Wilson, 1.4 (b)\n\n"


def _summary(body: str) -> str | None:
    return parse_cable(HEADER + FIELDS + body + "\n\nWILSON\n", "09ANKARA1.txt").summary


@pytest.mark.parametrize(
    "body",
    [
        "1. (C) SUMMARY: The talks went well. END SUMMARY.\n\n2. (C) Details.",
        "1. (C) Summary: The talks went well.  End Summary.\n\n2. (C) Details.",
        "SUMMARY\n-------\n\n1. (C) The talks went well.\nEnd Summary.\n\n2. Details.",
        "------- SUMMARY -------\n\n1. The talks went well. End Summary",
        "Summary -------\n\n2. (C) The talks went well. End Summary",
        "Summary =======\n\n1. (C) The talks went well. End Summary",
        "1.  Summary: (SBU) The talks went well. End Summary \n\n2. ",
        "1. (S//NF) SUMMARY AND COMMENT: The talks went well. END SUMMARY AND COMMENT.",
        "1. (C) SUMMARY AND ACTION REQUEST: The talks went well. END SUMMARY.",
        "Summary/Comment: The talks went well.  End Summary/Comment.\n",
        "1. (C) Introduction and summary: The talks went well. End summary.",
        "1.  (C)  Begin Summary and Comment:  The talks went well.  End\nSummary and comment.",
        "1. (C) Summary: The talks went well. End\ncomment and summary.",
        "1. (C) SUMMARY: The talks went well. (END SUMMARY)\n\n2. (C) Details.",
        "1, (C) Summary. The talks went well. End of summary.",
        "Summary\n-------\n\n1. (S) Summary: The talks went well. End summary.",
        "1. (C) Summary. 1. (C) Summary. The talks went well. END SUMMARY.",
        "1. (C) SUMMARY  The talks went well. END SUMMARY.",
    ],
)
def test_openings_and_endings(body: str) -> None:
    assert _summary(body) == "The talks went well."


def test_numbers_markings_and_blank_lines_dropped_line_breaks_kept() -> None:
    body = (
        "1. (S//NF) SUMMARY AND COMMENT: During a March 2-3 visit to\n\n"
        "2. (C) EU Member States and officials uniformly praised the\n\n"
        "3. (C) The content[...]. END SUMMARY AND COMMENT. "
    )
    expected = "During a March 2-3 visit to\nEU Member States and officials uniformly praised the\n"
    assert _summary(body) == expected + "The content[...]."


def test_dashed_lines_and_page_banners_dropped() -> None:
    body = (
        "SUMMARY AND INTRODUCTION\n‐‐‐‐‐‐‐‐‐‐‐‐‐‐‐‐\n\n2. (C) First line\n"
        "CONFIDENTIAL\n\nANKARA 00000001  002 OF 003\n\nsecond line. END SUMMARY."
    )
    assert _summary(body) == "First line\nsecond line."


def test_without_an_opening_the_summary_is_the_first_paragraph() -> None:
    body = "1. (C) German FM Westerwelle told [...]. END SUMMARY.\n\n2. (C) More."
    assert _summary(body) == "German FM Westerwelle told [...]."


def test_without_an_ending_the_summary_is_its_paragraph() -> None:
    body = "1. (SBU) SUMMARY. Governor Mangal is\nproductive.\n\n2. (SBU) Upon his arrival."
    assert _summary(body) == "Governor Mangal is\nproductive."


@pytest.mark.parametrize(
    "body",
    [
        "1. (C) The press summary was dull.\n\n2. (C) Summary statistics follow.",
        "SUMMARY\n-------\n\n1. (C) A heading with no end is no summary.\n",
        "END SUMMARY.\n\n1. (C) An ending before the first paragraph closes nothing.",
        "1. (C) Summary: END SUMMARY.\n",
    ],
)
def test_no_summary(body: str) -> None:
    assert _summary(body) is None


def test_the_subject_is_no_opening() -> None:
    text = HEADER + "SUBJECT: SUMMARY: THE TALKS\n\n1. (C) Text. END SUMMARY.\n"
    assert parse_cable(text, "x.txt").summary == "Text."


def test_clean_summary_keeps_list_items_and_numbers_inside_lines() -> None:
    text = " (C) First point:\n\n(a) the ports;\n-- the roads on November\n5-6."
    assert clean_summary(text) == "First point:\n(a) the ports;\n-- the roads on November\n5-6."


_END_SUMMARY = re.compile(r"\bEND\s+(?:OF\s+)?SUMMARY\b", re.IGNORECASE)
ENDED_BAR = 0.995  # every corpus cable with an END SUMMARY has its summary read today


def test_every_corpus_summary_is_clean(
    corpus_cables: dict[str, Cable], manifest: list[dict[str, Any]]
) -> None:
    ended = corpus_files_matching(manifest, _END_SUMMARY)
    found = [name for name in ended if corpus_cables[name].summary]
    rate = len(found) / len(ended)
    FIGURES.append(
        f"corpus summary read where END SUMMARY stands: {rate:.2%} ({len(found)}/{len(ended)}),"
        f" bar {ENDED_BAR:.1%}"
    )
    assert rate >= ENDED_BAR, sorted(set(ended) - set(found))
    for cable in corpus_cables.values():
        if cable.summary is not None:
            assert cable.summary.strip(), cable.source
            assert not _END_SUMMARY.search(cable.summary), cable.source
            assert not cable.summary.upper().startswith(("SUMMARY", "(")), cable.source


@pytest.mark.parametrize("body", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_input_keeps_the_rule_bounded(body: str) -> None:
    assert seconds_for("summary", hostile_state(body)) < TIME_BOUND
