"""Rule: the `Classified By:` line and the names it gives.

`Classified By: <title> <Name> for Reason(s) 1.4 (b) and (d)`: titles vary
(Ambassador, Amb., Charge d'Affaires a.i., DCM, Acting DCM, PolOff, Consul
General, A/S...), names may have `JR.`, `III`, OCR zeros (`LEE 0. COLDREN`), and
some lines name two people.
"""

from __future__ import annotations

import re

from site_builder.parser.state import HEADER_LIMIT, ParseState

_LABEL = re.compile(
    r"(?:CLASSIFIED|CLASSIIED|CLASSIFED)\s+BY\s*[:\-]?\s*"
    r"(?:(?:\(?[A-Z]\)\s*)?(?:\d\.\s*)?(?:THIS\s+MESSAGE\s+)?CLASSIFIED\s+BY\s*:?\s*)?",
    re.IGNORECASE,
)
# What follows the name: the reasons, or the next field.
_NAME_END = re.compile(
    r"[,;:]?\s*(?:\bFOR\s+RE\s*A?\s*S|\bFOR\s+\(?[B-D]\b|\bREASONS?\b|\bREAS\b|\bPER\b|\bUNDER\b|"
    r"\bE\.\s?O\.?|\b1\s*\.\s*[45]\b|\bFOR\s+1\.\s*[45]|\bFOR\s+\n|\(?[B-D]\)\s*(?:AND|,)|"
    r"\n\s*\n|¶|\bSUMMARY\b|\bDOS\s+CLASSIFICATION)",
    re.IGNORECASE,
)
_TITLE_WORDS = {
    word.upper()
    for word in [
        "a.i.",
        "ai",
        "ai.",
        "a.i",
        "acting",
        "ambassador",
        "amb",
        "amb.",
        "ambassador-at-large",
        "ambassaor",
        "abassador",
        "ambassodor",
        "charge",
        "charge'",
        "chargé",
        "d'affaires",
        "d'affairs",
        "d'",
        "affairs",
        "affaires",
        "d'affaries",
        "de'affairs",
        "de",
        "de'",
        "a.i.,.",
        "dcm",
        "a/dcm",
        "deputy",
        "chief",
        "of",
        "mission",
        "political",
        "pol",
        "polcouns",
        "counselor",
        "counsellor",
        "counselour",
        "couns",
        "counsel0r",
        "minister",
        "minister-counselor",
        "minister-counsellor",
        "minister-counselour",
        "m-c",
        "mc",
        "economic",
        "econ",
        "econoff",
        "poloff",
        "pol/econoff",
        "pol/econ",
        "pol/c",
        "off",
        "officer",
        "section",
        "head",
        "for",
        "and",
        "affairs",
        "affair",
        "affiars",
        "consul",
        "general",
        "consul-general",
        "cg",
        "principal",
        "officer",
        "director",
        "dir",
        "dir.",
        "assistant",
        "secretary",
        "a/s",
        "das",
        "pdas",
        "under",
        "u/s",
        "t",
        "permanent",
        "representative",
        "represenative",
        "u.s.",
        "us",
        "embassy",
        "mission",
        "the",
        "interagency",
        "provincial",
        "coordinator",
        "prt",
        "governance",
        "acting.",
        "econcouns",
        "ecpo",
        "est&h",
        "rso",
        "tdy",
        "com",
        "ait",
        "chairman",
        "to",
        "nea",
        "af",
        "isn",
        "prm/afr",
        "guide",
        "by",
        "classification",
        "dos",
        "ambassador:",
        "chief",
        "deputy:",
    ]
}


def read_classified_by(state: ParseState) -> None:
    """Read the first `Classified By` line before or at the start of the body."""
    end = state.offset_of(min((state.body_start or HEADER_LIMIT) + 8, len(state.lines)))
    match = _LABEL.search(state.text, state.offset_of(state.header_end), end)
    if match is None:
        return
    line = state.line_of(match.start())
    names = parse_classified_by(state.text[match.end() : match.end() + 400])
    if names:
        state.found("classified_by", names, line)


def parse_classified_by(text: str) -> list[str]:
    """The names in the text that follows `Classified By:`."""
    end = _NAME_END.search(text)
    head = text[: end.start()] if end else text.split("\n", 1)[0]
    head = " ".join(head.split()).strip(" .,;:-")
    people = re.split(r"\s+(?:AND|&)\s+(?=[A-Z][a-z]*\.?\s)", head)
    names = [name for name in (_name_of(part) for part in people) if name]
    return names


def _name_of(part: str) -> str | None:
    """The person's name in `title name, more title`: the name-like words."""
    pieces = [p.strip() for p in part.split(",")]
    suffix = ""
    if len(pieces) > 1 and re.fullmatch(r"(?:JR|SR|II|III|IV)\.?", pieces[1], re.IGNORECASE):
        suffix = ", " + pieces[1].rstrip(".")
    candidates = [pieces[0]]
    if len(pieces) > 1 and not suffix:
        candidates.append(pieces[1])
    for candidate in candidates:
        words = candidate.replace(":", ": ").split()
        name_words: list[str] = []
        for word in reversed(words):
            if word.upper().strip(".,:") in _TITLE_WORDS or word.upper() in _TITLE_WORDS:
                if name_words:
                    break
                continue
            name_words.insert(0, word)
        name = " ".join(name_words).strip(" .,:-")
        if name and any(c.isalpha() for c in name):
            return name + suffix
    return None
