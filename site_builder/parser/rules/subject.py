"""Rule: the SUBJECT line.

`SUBJECT:` / `SUBJ:` (and the clipped `UBJECT:`) at a line start or after the TAGS
on a one-line header; wrapped lines are joined until a blank line, a REF or
`Classified By` line, a numbered paragraph or a page banner. A leading marking
such as `(C)` or `(SBU)` is stripped; a real parenthetical like `(MTCR)` is kept.
"""

from __future__ import annotations

import html
import re

from site_builder.parser.state import HEADER_LIMIT, ParseState

_LABEL = re.compile(r"(?:^|(?<=\s))(?:S?UBJ(?:ECT)?)[ \t]*:?[ \t]*", re.IGNORECASE | re.MULTILINE)
# Where the subject stops inside its own text (fields glued onto the same line).
_INLINE_END = re.compile(
    r"(?:\s|(?<=[a-z\W]))(?:REFS?\b\s*:|REF\s*:|REFS?\s+[A-Z]\.|REF\s*\(|REFTEL\b|"
    r"Classified\s+By\b|CLASSIFIED\s+BY\b)"
    r"|(?<=[A-Z\W])(?:REFS?:|Classified By)",
)
_STOP_LINE = re.compile(
    r"^\s*(?:$|REFS?\b|REF\(S\)|REFTEL|CLASSIFIED\s+BY|\(?[0-9]{1,3}[.)]\s|¶|-{3,}|={3,}|"
    r"E\.?\s?O\.?\s*1\d{3}|TAGS?\b|SUMMARY\b|[A-Z .'-]+ 0{2,}\d+ +\d{3}(?:\.\d)? +OF +\d{3})",
    re.IGNORECASE,
)
_MARKING = re.compile(
    r"^\((U|C|S|SBU|TS|LOU|FOUO|NF|C/NF|S/NF|S//NF|C//NF|U//FOUO|SBU/NF|C/REL[^)]*|"
    r"S/REL[^)]*|S-NF|C-NF)\)\s*",
    re.IGNORECASE,
)


def read_subject(state: ParseState) -> None:
    """Read the first SUBJECT field before the body."""
    end = state.offset_of(min(HEADER_LIMIT, len(state.lines)))
    match = _LABEL.search(state.text, state.offset_of(state.header_end), end)
    if match is None:
        match = _LABEL.search(state.text, 0, end)
        if match is None:
            return
    first = state.line_of(match.start())
    parts, last = _subject_lines(state, match.end(), first)
    raw = html.unescape(" ".join(" ".join(parts).split()))
    marking = _MARKING.match(raw)
    subject = clean_subject(raw)
    if subject:
        state.found("subject", subject, first, last)
    if marking:
        state.found("subject_marking", marking.group(1).upper(), first)


def _subject_lines(state: ParseState, start: int, first: int) -> tuple[list[str], int]:
    line_end = state.text.find("\n", start)
    line_end = len(state.text) if line_end < 0 else line_end
    head = state.text[start:line_end]
    stop = _INLINE_END.search(head)
    if stop:
        return [head[: stop.start()]], first
    parts = [head.strip()] if head.strip() else []
    last = first
    index = first + 1
    # An empty SUBJECT: line may have its text after blank lines.
    while not parts and index < len(state.lines) and index <= first + 3:
        if state.lines[index].strip():
            break
        index += 1
    while index < len(state.lines) and index <= first + 8:
        line = state.lines[index]
        if _STOP_LINE.match(line):
            break
        stop = _INLINE_END.search(line)
        parts.append(line[: stop.start()] if stop else line.strip())
        last = index
        if stop:
            break
        index += 1
    return parts, last


def clean_subject(raw: str) -> str:
    """Collapse white space, decode HTML entities, drop a leading classification marking."""
    text = html.unescape(" ".join(raw.split()))
    text = _MARKING.sub("", text)
    return text.strip()
