"""Rule: the summary, from `SUMMARY` to `END SUMMARY`.

Openings: `SUMMARY:`, `Summary.`, `1. (C) Summary:`, `Summary and Comment:`,
`SUMMARY AND ACTION REQUEST`, `Introduction and summary:`, `Summary/Comment:`, a
heading underlined or framed by dashes or equals signs (`------- SUMMARY -------`).
The word opens a summary only where a heading or a paragraph can begin (at a line
start, after a paragraph number and marking), and only when a colon, full stop,
dash or line end follows it: never "the press summary" inside a sentence.

Endings: `END SUMMARY`, `End Summary/Comment`, `END OF SUMMARY`, `END SUMMARY AND
COMMENT`, `End comment and summary`, a line break anywhere between the words.

Without an opening, `END SUMMARY` closes a summary that began at the first paragraph
(`1. (C) German FM Westerwelle told [...]. END SUMMARY.`); without an ending, a
summary opened inside a paragraph (`1. (SBU) SUMMARY. Governor ...`) is that paragraph.

The text kept: paragraph numbers, markings, dashed lines, page banners and blank
lines dropped; the other line breaks kept for display.
"""

from __future__ import annotations

import re

from site_builder.parser.rules.body import PAGE_BANNER, PARAGRAPH
from site_builder.parser.state import ParseState

_WORD = "SUMMARY"
_KINDS = (
    r"(?:[ \t]*(?:AND|&|/)[ \t]*"
    r"(?:COMMENTS?|ACTION\s+REQUESTS?|INTRODUCTION|BACKGROUND|TABLE\s+OF\s+CONTENTS"
    r"|RECOMMENDATIONS?|CONCLUSIONS?|OVERVIEW))?"
)
_LEAD_KINDS = r"(?:BEGIN\s+)?(?:(?:INTRODUCTION|BACKGROUND|OVERVIEW|COMMENT)\s*(?:AND|&|/)\s*)?"
_MARK = r"(?:\([A-Z][A-Z/ ,\-]{0,30}\)\s*)?"
# What may stand before the word on its line, matched on the text in capitals.
_NUMBER = r"(?:¶\s*)?(?:\d{1,3}\s*[.),]\s*)?"
_LEAD = re.compile(r"\s*" + _NUMBER + _MARK + r"(?:[-=‐_]+\s*)?" + _LEAD_KINDS)
# A paragraph head glued into a long line (`... 1.4 (b), (d) 1. (C/NF) Summary:`).
_GLUED_LEAD = re.compile(r"(?:^|\s)(?:¶\s*)?\d{1,3}\.\s+" + _MARK + _LEAD_KINDS + r"$")
# Between a heading and a paragraph that opens the summary again (`Summary` / `----` /
# `1. (S) Summary: ...`, `1. (C) Summary. 1. (C) Summary. ...`).
_BETWEEN = re.compile(r"[\s\-=‐_]*" + _NUMBER + _MARK)
# The word and what must follow it to open a summary.
_OPENING = re.compile(
    _WORD + _KINDS + r"\b[ \t]*(?:[-=‐_]+[ \t]*)?(?:[:.\-]|[ \t](?=[ \t])|(?=\n)|$)"
)
# What stands between `END` and the word when it ends a summary.
_ENDING = re.compile(
    r"END\s+(?:OF\s+(?:THE\s+)?)?(?:(?:COMMENTS?|INTRODUCTION|BACKGROUND)\s*(?:AND|&|/)\s*)?"
)
# A paragraph number and a marking at a line start, dropped from the summary.
_LINE_HEAD = re.compile(
    r"(?:¶[ \t]*)?\d{1,3}[ \t]*[.)][ \t]*(?:\([A-Za-z][A-Za-z/ ,\-]{0,30}\)[ \t]*)?"
    r"|\((?:U|C|S|TS|SBU|LOU|FOUO)(?:[/\- ][A-Za-z/ ,\-]{0,30})?\)[ \t]*"
)
_HEAD_STARTS = frozenset("0123456789¶(")
_BANNER_MAX = 80  # characters: a page banner is a short line
_RULE_LINE = re.compile(r"[-=‐_ ]+")
_RULE_STARTS = frozenset("-=‐_")
_LIMIT = 24_000  # how far past the header a summary is looked for, in characters
_LOOK_BACK = 80  # how far before the word its lead or its END may stand
_PEEK = 200  # characters of a line enough to tell a paragraph's start


def read_summary(state: ParseState) -> None:
    """Find the summary between its opening and its ending."""
    upper = state.upper
    position = state.offset_of(state.header_end)
    limit = min(len(upper), position + _LIMIT)
    opening: re.Match[str] | None = None
    while (at := upper.find(_WORD, position, limit)) >= 0:
        position = at + len(_WORD)
        ending = _ending(upper, at)
        if ending is not None:
            begin = opening.end() if opening else _first_paragraph(state, ending)
            if begin is not None:
                _found(state, begin, ending)
            return
        if _may_open(upper, at) and (
            opening is None or _BETWEEN.fullmatch(upper, opening.end(), at)
        ):
            opening = _OPENING.match(upper, at) or opening
    if opening is not None and upper[opening.end() : opening.end() + 1] not in ("\n", ""):
        _found(state, opening.end(), _paragraph_end(state, opening.end()))


def _ending(upper: str, at: int) -> int | None:
    """Where the `END` (or its opening bracket) stands when the word ends a summary."""
    end = upper.rfind("END", max(0, at - _LOOK_BACK), at)
    if end < 0 or (end and upper[end - 1].isalpha()) or not _ENDING.fullmatch(upper, end, at):
        return None
    bracket = upper.rfind("(", max(0, end - 8), end)
    return bracket if bracket >= 0 and not upper[bracket + 1 : end].strip() else end


def _may_open(upper: str, at: int) -> bool:
    """Whether the word stands where a heading or a paragraph begins."""
    window = max(0, at - _LOOK_BACK)
    newline = upper.rfind("\n", window, at)
    if (newline >= 0 or window == 0) and _LEAD.fullmatch(upper, newline + 1, at):
        return True
    return _GLUED_LEAD.search(upper, max(window, newline + 1), at) is not None


def _first_paragraph(state: ParseState, end: int) -> int | None:
    """Where a summary with no opening begins: the first paragraph, if it comes first."""
    line = state.body_start
    if line >= len(state.lines) or state.offset_of(line) >= end:
        return None
    return state.offset_of(line) if PARAGRAPH.match(state.lines[line][:_PEEK]) else None


def _paragraph_end(state: ParseState, start: int) -> int:
    """The end of the paragraph holding `start`: a blank line or the next paragraph."""
    index = state.line_of(start) + 1
    last = min(len(state.lines), index + 200)
    while index < last:
        line = state.lines[index]
        if not line or line.isspace() or PARAGRAPH.match(line[:_PEEK]):
            break
        index += 1
    return min(state.offset_of(index), start + _LIMIT)


def _found(state: ParseState, start: int, end: int) -> None:
    summary = clean_summary(state.text[start:end])
    if summary:
        state.found("summary", summary, state.line_of(start), state.line_of(max(start, end - 1)))


def clean_summary(text: str) -> str:
    """Drop paragraph numbers, markings, dashed lines, page banners and blank lines;
    keep the other line breaks."""
    lines = [line.strip() for line in text.split("\n")]
    lines = [_drop_head(line) if line[:1] in _HEAD_STARTS else line for line in lines]
    return "\n".join(line for line in lines if line and not _is_rule_or_banner(line))


def _is_rule_or_banner(line: str) -> bool:
    """A dashed line or a page banner (short and in capitals: tested only then)."""
    if line[0] in _RULE_STARTS and _RULE_LINE.fullmatch(line):
        return True
    return len(line) < _BANNER_MAX and line.isupper() and PAGE_BANNER.match(line) is not None


def _drop_head(line: str) -> str:
    head = _LINE_HEAD.match(line)
    return line[head.end() :].strip() if head else line
