"""Rule: the TAGS line.

Handles typo'd labels (`TAG`, `TAGES`, `TAS`, `TABS`, `AGS`), separators that are
spaces, commas or both, continuation lines (after a trailing comma, or a next line
of upper-case codes), glued codes (`ECONEFIN` = ECON + EFIN), person tags
(`OVIP (STEINBERG, JAMES B.)`), and a SIPDIS that strays into the list. Order is
kept, duplicates dropped.
"""

from __future__ import annotations

import re

from site_builder.parser.state import HEADER_LIMIT, ParseState
from site_builder.tables import Tables

_LABEL = re.compile(
    r"(?:^[ \t]*(?:TAGS?|TAGES|TAS|TABS|AGS)\b[ \t]*[:;]?"
    r"|(?<=\s)(?:TAGS?|TAGES|TAS|TABS|AGS)[ \t]*[:;])[ \t]*(?=[A-Za-z0-9])",
    re.IGNORECASE | re.MULTILINE,
)
# Where a TAGS value stops on its own line: the next field's label.
_VALUE_END = re.compile(
    r"\s(?:SUBJ(?:ECT)?\b\s*:?|REF\b|E\.?\s?O\.?\s*1\d{3,4}|CLASSIFIED\s+BY)",
    re.IGNORECASE,
)
_NEXT_FIELD = re.compile(
    r"^\s*(?:SUBJ|U?BJECT|REF|E\.?\s?O\.?\s|EO\s|CLASSIFIED|\d+\.|\(|[A-Z]\.\s)", re.IGNORECASE
)
_CODES_LINE = re.compile(r"^[A-Z][A-Z ,.]*$")
_PAGE_BANNER = re.compile(r"\b(?:UNCLASSIFIED|CONFIDENTIAL|SECRET)?\s*PAGE\s+\d+\s.*$")
_PERSON = re.compile(r"\(([^()]{3,60})\)")
_IGNORED = {"SIPDIS", "TAGS", "TAG", ""}


def read_tags(state: ParseState) -> None:
    """Read the first TAGS field before the body."""
    end = state.offset_of(min(state.body_start or HEADER_LIMIT, len(state.lines)))
    match = _LABEL.search(state.text, 0, end)
    if match is None:
        return
    first = state.line_of(match.start())
    value, last = _tags_value(state, match.end(), first)
    tags = split_tags(value, state.tables)
    if tags:
        state.found("tags", tags, first, last)


def _tags_value(state: ParseState, start: int, first: int) -> tuple[str, int]:
    """The text of the TAGS field, with continuation lines; and its last line."""
    line_end = state.text.find("\n", start)
    line_end = len(state.text) if line_end < 0 else line_end
    value = state.text[start:line_end]
    stop = _VALUE_END.search(value)
    if stop:
        return value[: stop.start()], first
    last = first
    while last + 1 < len(state.lines):
        following = state.lines[last + 1].strip()
        ends_open = value.rstrip().endswith(",")
        if not following or _NEXT_FIELD.match(following):
            break
        if not ends_open and not _CODES_LINE.match(following):
            break
        stop = _VALUE_END.search(" " + following)
        value += " , " + (following[: stop.start() - 1] if stop else following)
        last += 1
        if stop:
            break
    return value, last


def split_tags(value: str, tables: Tables) -> list[str]:
    """Split a TAGS value into codes, in order, without duplicates."""
    value = _PAGE_BANNER.sub("", value)
    persons = [" ".join(p.split()).upper() for p in _PERSON.findall(value)]
    value = _PERSON.sub(" ", value)
    tags: list[str] = []
    for chunk in value.split(","):
        for tag in _chunk_tags(chunk.strip().upper(), tables):
            if tag not in tags and tag not in _IGNORED:
                tags.append(tag)
    for person in persons:
        if person not in tags:
            insert_at = tags.index("OVIP") + 1 if "OVIP" in tags else len(tags)
            tags.insert(insert_at, person)
    return tags


def _chunk_tags(chunk: str, tables: Tables) -> list[str]:
    """The tags of one comma-separated chunk: codes, glued codes, or one phrase."""
    words = [w.strip(".;:") for w in chunk.split()]
    words = [w for w in words if w]
    if not words:
        return []
    if len(words) > 1 and not all(_is_code(w, tables) for w in words):
        phrase_start = next(i for i, w in enumerate(words) if not _is_code(w, tables))
        head = [t for w in words[:phrase_start] for t in _unglue(w, tables)]
        return [*head, " ".join(words[phrase_start:])]
    return [t for w in words for t in _unglue(w, tables)]


def _is_code(word: str, tables: Tables) -> bool:
    return (
        word in tables.tags
        or len(_unglue(word, tables)) > 1
        or (2 <= len(word) <= 4 and word.isalpha())
    )


def _unglue(word: str, tables: Tables) -> list[str]:
    """`ECONEFIN` -> [ECON, EFIN] when every piece is a known code; else [word]."""
    if word in tables.tags or len(word) < 6 or not word.isalpha():
        return [word]
    pieces = _split_known(word, tables)
    return pieces if pieces else [word]


def _split_known(word: str, tables: Tables) -> list[str] | None:
    if not word:
        return []
    for size in (4, 2, 3, 5):
        head = word[:size]
        if len(head) == size and head in tables.tags:
            rest = _split_known(word[size:], tables)
            if rest is not None:
                return [head, *rest]
    return None
