"""Rule: the summary, from `SUMMARY` to `END SUMMARY`.

`SUMMARY:`, `Summary and Comment:`, `SUMMARY AND ACTION REQUEST`, a `Summary`
heading (with dashes or equals signs) before the first paragraph; up to `End
Summary`, `END SUMMARY AND COMMENT`. Paragraph numbers and markings inside are
dropped; line breaks are kept for display, blank lines are not.
"""

from __future__ import annotations

import re

from site_builder.parser.state import ParseState

_KINDS = (
    r"(?:\s*(?:AND|&|/)\s*"
    r"(?:COMMENTS?|ACTION\s+REQUEST|INTRODUCTION|TABLE\s+OF\s+CONTENTS|RECOMMENDATIONS?))?"
)
# Matched on the text in capitals, at an occurrence of the word SUMMARY.
_START = re.compile(r"SUMMARY" + _KINDS + r"\b\s*(?:[-=]+)?\s*[:.\-]?")
_END = re.compile(r"\(?\s*\bEND\s+(?:OF\s+)?$")
_END_TAIL = re.compile(r"SUMMARY" + _KINDS + r"\b\.?\)?")
_PARAGRAPH_HEAD = re.compile(
    r"^\s*¶?\s*\d{1,3}\s*[.)]\s*(?:\([A-Z/ ]{1,12}\)\s*)?(?:SUMMARY\s*[:.\-]?\s*)?",
    re.IGNORECASE | re.MULTILINE,
)
_MARKING_HEAD = re.compile(r"^\s*\((?:U|C|S|SBU|C/NF|S/NF|S//NF|C//NF)\)\s*", re.IGNORECASE)
_LIMIT = 12000
_BEFORE_START = " \t\n.:)-="


def read_summary(state: ParseState) -> None:
    """Find the summary between its opening word and `END SUMMARY`."""
    upper = state.upper
    position = state.offset_of(state.header_end)
    limit = min(len(upper), position + _LIMIT * 2)
    start: tuple[int, int] | None = None
    while (at := upper.find("SUMMARY", position, limit)) >= 0:
        position = at + len("SUMMARY")
        ending = _END.search(upper, max(0, at - 12), at)
        if ending is not None:
            if start is not None:
                _found(state, start, ending.start())
            return
        if start is None and (at == 0 or upper[at - 1] in _BEFORE_START):
            match = _START.match(upper, at)
            if match is not None:
                start = (at, match.end())


def _found(state: ParseState, start: tuple[int, int], end: int) -> None:
    summary = clean_summary(state.text[start[1] : end])
    if summary:
        state.found("summary", summary, state.line_of(start[0]), state.line_of(end))


def clean_summary(text: str) -> str:
    """Drop paragraph numbers, markings, dashes and blank lines; keep line breaks."""
    text = _PARAGRAPH_HEAD.sub("", text)
    lines = []
    for line in text.split("\n"):
        line = _MARKING_HEAD.sub("", line).strip()
        if not line or re.fullmatch(r"[-=‐_ ]+", line):
            continue
        lines.append(line)
    return "\n".join(lines).strip()
