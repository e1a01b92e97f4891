"""The parser against the ground truth of 985 real cables (`manifest.json`).

Each field's rate is printed at the end of the run; a rate under its bar fails. A field
is compared where the text can tell it: the date where there is a date-time group; the
tags where the page linked some; the classification unless the body was pasted from
another cable and the header carries no classification code (the parser warns of both).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from site_builder.model import Cable
from tests.conftest import FIGURES

Entry = dict[str, Any]

BARS: dict[str, float] = {
    "reference_id": 0.995,
    "classification": 0.99,
    "tags": 0.99,
    "paragraph_numbers": 0.99,
    "origin": 0.99,
    "date_hour": 0.99,
}


def _tags_agree(cable: Cable, entry: Entry) -> bool:
    """The manifest lists the tags the web page linked, and the pages linked only the
    TAGS line's first line: our tags must start with those, in order, and any more
    must come from the field's continuation lines."""
    known: list[str] = entry["tags"]
    if list(cable.tags[: len(known)]) != known:
        return False
    span = cable.spans.get("tags")
    return len(cable.tags) == len(known) or (span is not None and span.end > span.start)


def _text_tells_classification(cable: Cable, entry: Entry) -> bool:
    return not any("the level is the body's" in p.message for p in cable.problems)


def _date_hour(cable: Cable) -> str | None:
    return cable.date.strftime("%Y-%m-%d %H") if cable.date else None


def _has_dtg(cable: Cable, entry: Entry) -> bool:
    return cable.date is not None and "date" in cable.spans and cable.spans["date"].start > 0


CHECKS: dict[str, tuple[Callable[[Cable, Entry], bool], Callable[[Cable, Entry], bool]]] = {
    # field: (applies to this cable?, is it right?)
    "reference_id": (lambda c, e: True, lambda c, e: c.reference_id == e["reference_id"]),
    "classification": (
        _text_tells_classification,
        lambda c, e: c.classification == e["classification"],
    ),
    "tags": (lambda c, e: e["tags"] is not None, lambda c, e: _tags_agree(c, e)),
    "paragraph_numbers": (
        lambda c, e: True,
        lambda c, e: [str(p.number) for p in c.paragraphs] == e["paragraph_numbers"],
    ),
    "origin": (lambda c, e: True, lambda c, e: c.post == e["origin"]),
    "date_hour": (_has_dtg, lambda c, e: _date_hour(c) == e["created"][:13]),
}


@pytest.mark.parametrize("field", list(CHECKS))
def test_field_rate(field: str, corpus_cables: dict[str, Cable], manifest: list[Entry]) -> None:
    applies, right = CHECKS[field]
    relevant = [(corpus_cables[e["file"]], e) for e in manifest]
    relevant = [(c, e) for c, e in relevant if applies(c, e)]
    wrong = [e["file"] for c, e in relevant if not right(c, e)]
    rate = 1 - len(wrong) / len(relevant)
    FIGURES.append(
        f"corpus {field}: {rate:.2%} ({len(relevant) - len(wrong)}/{len(relevant)}),"
        f" bar {BARS[field]:.1%}"
    )
    assert rate >= BARS[field], f"{field}: {rate:.2%} < {BARS[field]:.1%}; e.g. {wrong[:8]}"
