"""Rule: the SUBJECT line.

`SUBJECT:` / `SUBJ:` (and the clipped `UBJECT:`) at a line start, or after the TAGS
on a one-line header; wrapped lines are joined until a blank line, a REF or
`Classified By` line, a numbered paragraph, a page banner, or a line in mixed case
after a subject in capitals (the first sentence of the body). REF and `Classified By`
glued onto the subject's own line end it too. A leading marking such as `(C)` or
`(S//NF)` is stripped and kept as `subject_marking`; a real parenthetical like
`(MTCR)` is kept.

Labels are searched in `state.upper` with case-sensitive patterns; lines are cut to a
bounded length before any pattern runs over them.
"""

from __future__ import annotations

import html
import re

from site_builder.parser.state import ParseState

# `UBJ` starts every form (SUBJECT, SUBJ, the clipped UBJECT): a literal start keeps
# the search fast; where the label stands is checked after.
_LABEL = re.compile(r"UBJ(?:ECT)?\b[ \t]*(?P<colon>:?)[ \t]*")
# Fields glued onto the subject's own line (`...UK PRIMEREF: A. LONDON 1939`).
_INLINE_END = re.compile(
    r"REFS?[ \t]*:|REF\(S\)|CLASSIFIED[ \t]+BY\b|(?<=\s)(?:REFTEL\b|REFS?[ \t]+\(?[A-Z0-9][.)])"
)
# Lines that end a wrapped subject: the next field, a paragraph, a rule, a banner
# (`GENEVA 00002654  001.2 OF 004`, `S E C R E T`), a handling caveat.
_STOP_LINE = re.compile(
    r"[ \t]*(?:REFS?\b|REF\(S\)|REFTEL|CLASSIFIED\s+BY|\(?\d{1,3}[.)](?:\s|\(|$)|¶|-{3,}|={3,}"
    r"|E\.?\s?O\.?\s*1\d{3}|TAGS?\b|SUMMARY\b|SIPDIS\b|NOFORN\b|PAGE\s+\d+\s|(?:[A-Z] ){4}"
    r"|[A-Z .'-]+ 0{2,}\d+ +\d{3}(?:\.\d)? +OF +\d{3})"
)
# A classification marking in parentheses: a level, then caveats after / // or -.
_MARKING = r"\((?P<marking>(?:U|C|S|TS|SBU|LOU|FOUO)(?:(?:/{1,2}|-)[A-Z][A-Z ,.]{0,40})?)\)"
_LEADING_MARKING = re.compile(_MARKING + r"\s*")
_TRAILING_MARKING = re.compile(r"\s" + _MARKING + r"\s*$")
# Redactions (`xxxxxxxxxxxx`) are lower case but say nothing about the line's case.
_REDACTION = re.compile(r"[Xx]{4,}")
_LINE_MAX = 1_000
_WRAPPED_MAX = 8
_EMPTY_LABEL_GAP = 3


def read_subject(state: ParseState) -> None:
    """Read the first SUBJECT field before the body."""
    match = _find_label(state)
    if match is None:
        return
    first = state.line_of(match.start())
    parts, last = _subject_lines(state, match.end(), first)
    subject, marking = clean_subject(" ".join(parts))
    if subject:
        state.found("subject", subject, first, last)
    if marking:
        state.found("subject_marking", marking, first)


def _find_label(state: ParseState) -> re.Match[str] | None:
    """The label after the banner and before the first paragraph, else one before
    the banner (some dumps put the fields above it)."""
    header_end = state.offset_of(state.header_end)
    end = state.preamble_end()
    if state.header_end < state.body_start < len(state.lines):
        end = min(end, state.offset_of(state.body_start))
    match = _search_label(state, header_end, end)
    if match is None and header_end:
        match = _search_label(state, 0, min(header_end, end))
    return match


def _search_label(state: ParseState, start: int, end: int) -> re.Match[str] | None:
    """A label at a line start (its colon optional, but `UBJECT` needs one), or after
    other fields on the same line (`... TAGS: PREL SUBJECT: ...`), then with a colon."""
    upper = state.upper
    while match := _LABEL.search(upper, start, end):
        at = match.start()
        full = at > 0 and upper[at - 1] == "S"
        label_start = at - 1 if full else at
        if state.at_line_start(label_start) and (full or match.group("colon")):
            return match
        if match.group("colon") and label_start > 0 and upper[label_start - 1] in " \t\n":
            return match
        start = at + 1
    return None


def _subject_lines(state: ParseState, start: int, first: int) -> tuple[list[str], int]:
    """The subject's text, line by line, and its last line (0-based)."""
    head, head_upper = _text_between(state, start, state.offset_of(first + 1))
    stop = _inline_end(head_upper)
    if stop:
        return [head[: stop.start()]], first
    parts = [head] if head else []
    in_capitals = not _has_lower_case(head)
    last = first
    index = first + 1
    # An empty SUBJECT: line may have its text after blank lines.
    while not parts and index < len(state.lines) and index <= first + _EMPTY_LABEL_GAP:
        if state.lines[index].strip(" \t\\"):
            break
        index += 1
    while index < len(state.lines) and index <= first + _WRAPPED_MAX:
        line, upper = _text_between(state, state.starts[index], state.offset_of(index + 1))
        lower_case = line != upper and _has_lower_case(line)
        if not line or _STOP_LINE.match(upper) or (parts and in_capitals and lower_case):
            break
        stop = _inline_end(upper)
        parts.append(line[: stop.start()] if stop else line)
        in_capitals = in_capitals and not lower_case
        last = index
        if stop:
            break
        index += 1
    return parts, last


def _inline_end(upper: str) -> re.Match[str] | None:
    """Where a REF or `Classified By` glued onto a subject line starts, if anywhere."""
    if "REF" not in upper and "CLASSIFIED" not in upper:
        return None
    return _INLINE_END.search(upper)


def _text_between(state: ParseState, start: int, end: int) -> tuple[str, str]:
    """The text from `start` to `end` (cut to a sane length) without its edges'
    blanks or a trailing backslash (some dumps end every line with one); and the same
    in capitals, offset for offset."""
    end = min(end, start + _LINE_MAX)
    return _trimmed(state.text[start:end]), _trimmed(state.upper[start:end])


def _trimmed(text: str) -> str:
    return text.strip().rstrip("\\").rstrip()


def _has_lower_case(text: str) -> bool:
    if "x" in text:
        text = _REDACTION.sub("", text)
    return text.upper() != text


def clean_subject(raw: str) -> tuple[str, str | None]:
    """The subject with white space collapsed, HTML entities decoded and its marking
    taken off; and that marking (`C/NF`), if any.

    The marking is read at the start (`(C) SUBJECT`) or, failing that, standing
    alone at the end (`... FROM GERMAN FIRMS (S)`).
    """
    text = " ".join(raw.split())
    if "&" in text:
        text = " ".join(html.unescape(text).split())
    if text.startswith("("):
        marking = _LEADING_MARKING.match(text.upper())
        if marking:
            return text[marking.end() :], marking.group("marking")
    if text.endswith(")"):
        marking = _TRAILING_MARKING.search(text.upper())
        if marking:
            return text[: marking.start()], marking.group("marking")
    return text, None
