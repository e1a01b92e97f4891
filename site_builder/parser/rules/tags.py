"""Rule: the TAGS line.

Handles typo'd labels (`TAG`, `TAGES`, `TAS`, `TABS`, the clipped `AGS:`), separators
that are spaces, commas, semicolons or a mix, continuation lines (after a trailing
comma, or a next line of capitals), a field that runs into `SUBJECT:` on the same
line, glued codes (`ECONEFIN` = ECON + EFIN), person tags (`OVIP (STEINBERG, JAMES
B.)`), written-out tags (`HUMAN RIGHTS`), page banners that fall into the list, and a
SIPDIS that strays into it. Order is kept, duplicates dropped.

The label is searched in `state.upper` with case-sensitive patterns, and every value
is cut to a bounded length, so a pathological file costs no more than a normal one.
"""

from __future__ import annotations

import re
from functools import lru_cache

from site_builder.parser.state import ParseState
from site_builder.tables import Tables

# The label: TAG, TAGS, TAGES (a literal start keeps the search fast), and the rarer
# typos TAS, TABS and the clipped AGS, which always carry a colon.
_LABEL = re.compile(r"TAG(?:E?S)?\b[ \t]*(?P<colon>[:;]?)[ \t]*(?=[A-Z0-9(])")
_TYPO_LABEL = re.compile(r"(?<![A-Z0-9])(?:TAS|TABS|AGS)[ \t]*(?P<colon>[:;])[ \t]*(?=[A-Z0-9(])")
# How far back from a label to look for its line's start.
# Where a TAGS value stops on its own line: the next field's label.
_VALUE_END = re.compile(
    r"\s(?:SUBJ(?:ECT)?\b|U?BJECT:|REFS?\b|E\.?\s?O\.?\s*1\d{3}|CLASSIFIED\s+BY)"
)
# A line that starts the next field, a paragraph or a bullet: never a continuation.
_NEXT_FIELD = re.compile(r"(?:SUBJ|U?BJECT|REF|E\.?\s?O\.?\s|EO\s|CLASSIFIED|\d+[.)]|\(|[A-Z]\.\s)")
# A continuation line written in capitals, codes and separators only.
_CODES_LINE = re.compile(r"[A-Z][A-Z ,;.-]*")
# Banner and handling lines look like capitals but end the list.
_NOT_CODES = re.compile(r"(?:[A-Z] ){3}|(?:UNCLAS|CONFIDENTIAL|SECRET|NOFORN|SIPDIS)\b")
# A value longer than this is not a TAGS list any more; the rest is ignored.
_VALUE_MAX = 2_000
_LINE_MAX = 300
_CONTINUATIONS_MAX = 4


def read_tags(state: ParseState) -> None:
    """Read the first TAGS field before the body."""
    end = state.preamble_end()
    if 0 < state.body_start < len(state.lines):
        end = min(end, state.offset_of(state.body_start))
    match = _find_label(state, end)
    if match is None:
        return
    first = state.line_of(match.start())
    value, last = _tags_value(state, match.end(), first)
    tags = split_tags(value, state.tables)
    if tags:
        state.found("tags", tags, first, last)


def _find_label(state: ParseState, end: int) -> re.Match[str] | None:
    """The first TAGS label before `end`: at a line start, or after other fields on
    the same line (a one-line header) and then with a colon."""
    upper = state.upper
    for pattern in (_LABEL, _TYPO_LABEL):
        position = 0
        while match := pattern.search(upper, position, end):
            if state.at_line_start(match.start()):
                return match
            if match.group("colon") and upper[match.start() - 1] in " \t":
                return match
            position = match.start() + 1
    return None


def _tags_value(state: ParseState, start: int, first: int) -> tuple[str, int]:
    """The text of the TAGS field, in capitals, with its continuation lines; and its
    last line."""
    line_end = state.upper.find("\n", start, start + _VALUE_MAX)
    value = state.upper[start : line_end if line_end >= 0 else start + _VALUE_MAX]
    stop = _VALUE_END.search(value)
    if stop or line_end < 0:
        return (value[: stop.start()] if stop else value), first
    last = first
    while last + 1 < len(state.lines) and last - first < _CONTINUATIONS_MAX:
        following = _continuation(state.lines[last + 1], value.rstrip().endswith(","))
        if following is None:
            break
        part, ends_field = following
        value += "\n" + part
        last += 1
        if ends_field:
            break
    return value, last


def _continuation(line: str, open_list: bool) -> tuple[str, bool] | None:
    """The part of `line` that continues the TAGS list, and whether the field ends
    in it (another label follows on the same line); None when the list has ended.

    A list that ends with a comma goes on whatever the case; otherwise the next line
    must be written in capitals, codes and separators only."""
    text = line.strip()[:_LINE_MAX]
    upper = text.upper()
    if not text or _NEXT_FIELD.match(upper) or _NOT_CODES.match(upper):
        return None
    stop = _VALUE_END.search(" " + upper)
    part = text[: stop.start()] if stop else text
    if not open_list and not _CODES_LINE.fullmatch(part.rstrip()):
        return None
    return part.upper(), stop is not None


# --- splitting a value into tags ---------------------------------------------------------

_PERSON = re.compile(r"\(([^()\n]{1,80})\)")
_STRONG_SEPARATOR = re.compile(r"[,;]")
_PAGE_BANNER = re.compile(r"(?:UNCLASSIFIED|CONFIDENTIAL|SECRET)?[ \t]*PAGE[ \t]+\d+\s.*")
_WORD_PUNCTUATION = ".:;"
_IGNORED = frozenset({"SIPDIS", "TAGS", "TAG", ""})
# Glued codes are split only in words of this size: longer ones are not tag lists.
_GLUED_MIN, _GLUED_MAX = 6, 60
_PIECE_SIZES = (4, 2, 3, 5)


def split_tags(value: str, tables: Tables) -> list[str]:
    """Split a TAGS value (in capitals) into tags, in order, without duplicates.

    Commas and semicolons separate tags; so do spaces, except inside a written-out
    tag (`ECONOMIC AFFAIRS`), a person tag in parentheses (`(STEINBERG, JAMES B.)`),
    or the unpunctuated name of a visitor after OVIP (`OVIP BIDEN JOSEPH`).
    """
    if "PAGE" in value:
        value = _PAGE_BANNER.sub(" ", value)
    delimited = "," in value or ";" in value
    # The common case first: known codes only, one between each pair of separators.
    separated = value.replace(";", ",").split(",") if delimited else value.split()
    items = list(map(str.strip, separated))
    if "(" not in value and tables.tags.keys() >= set(items) - {""}:
        unique = dict.fromkeys(items)
        for ignored in _IGNORED:
            unique.pop(ignored, None)
        return list(unique)
    tags: list[str] = []
    for index, segment in enumerate(_PERSON.split(value)):
        if index % 2:
            tags.append(" ".join(segment.split()))
            continue
        for chunk in _STRONG_SEPARATOR.split(segment):
            words = [w for w in (w.strip(_WORD_PUNCTUATION) for w in chunk.split()) if w]
            tags.extend(_chunk_tags(words, tables, delimited, tags))
    kept = (t for t in tags if t not in _IGNORED and any(c.isalnum() for c in t))
    return list(dict.fromkeys(kept))


def _chunk_tags(words: list[str], tables: Tables, delimited: bool, before: list[str]) -> list[str]:
    """The tags of one comma-separated chunk (or of a whole space-separated list).

    Between commas, several words that are no codes make one tag whatever they say
    (`HUMAN RIGHTS AND DEMOCRACY`); without commas, words are read one by one.
    """
    if delimited and len(words) > 1:
        whole = " ".join(words)
        if whole in tables.tags or _is_free_text(words, tables):
            return [whole]
    tags: list[str] = []
    index = 0
    while index < len(words):
        previous = tags[-1] if tags else (before[-1] if before else None)
        size = _phrase_at(words, index, tables)
        codes = None if size else _codes(words[index], tables)
        if previous == "OVIP" and _is_name(words[index : index + 2], tables):
            tags.append(f"{words[index]}, {words[index + 1]}")
            size = 2
        elif size:
            tags.append(" ".join(words[index : index + size]))
        elif codes is not None:
            tags.extend(codes)
            size = 1
        else:
            size = _run_size(words, index, tables)
            tags.append(" ".join(words[index : index + size]))
        index += size
    return tags


def _is_free_text(words: list[str], tables: Tables) -> bool:
    """Words with no known code among them, and not all shaped like codes."""
    codes = [_codes(w, tables) for w in words]
    has_known = any(c is not None and (len(c) > 1 or c[0] in tables.tags) for c in codes)
    return not has_known and any(c is None for c in codes)


def _is_name(words: list[str], tables: Tables) -> bool:
    """Whether two words after OVIP are the visitor's unpunctuated name.

    OVIP (visits of prominent people) is followed by the visitor's name, written
    `SURNAME, GIVEN` in person tags; written bare, it is two words that are no known
    codes, one of them longer than a code (`RICE CONDOLEEZZA`).
    """
    return (
        len(words) == 2
        and all(w.isalpha() and w not in tables.tags for w in words)
        and any(len(w) > 4 for w in words)
    )


def _run_size(words: list[str], start: int, tables: Tables) -> int:
    """How many words from `start` (not a code) belong to one written-out tag.

    The run stops at a code or a known written-out tag; a short unknown word (AND,
    OF, WITH) stays in the run when a word that is no code follows it.
    """
    end = start + 1
    while end < len(words) and not _phrase_at(words, end, tables):
        codes = _codes(words[end], tables)
        if codes is None:
            end += 1
            continue
        is_short_word = len(codes) == 1 and codes[0] not in tables.tags
        follows = end + 1 < len(words) and not _phrase_at(words, end + 1, tables)
        if not (is_short_word and follows and _codes(words[end + 1], tables) is None):
            break
        end += 2
    return end - start


def _codes(word: str, tables: Tables) -> list[str] | None:
    """The codes a word stands for: itself when known or code-shaped (two to four
    letters), its pieces when known codes are glued together; None for a plain word."""
    if word in tables.tags or (2 <= len(word) <= 4 and word.isalpha()):
        return [word]
    return _unglue(word, tables)


def _unglue(word: str, tables: Tables) -> list[str] | None:
    """`KFRDKIRFCVIS` -> [KFRD, KIRF, CVIS] when known codes cover the whole word.

    Reads from the end (each suffix's split is found once), so the cost stays linear
    in the word's length; prefers four-letter codes, the subject and program codes
    that glued lists are mostly made of.
    """
    if not (_GLUED_MIN <= len(word) <= _GLUED_MAX and word.isalpha()):
        return None
    known = tables.tags
    splits: list[list[str] | None] = [None] * len(word) + [[]]
    for start in range(len(word) - 1, -1, -1):
        for size in _PIECE_SIZES:
            rest = splits[start + size] if start + size <= len(word) else None
            piece = word[start : start + size]
            if rest is not None and piece in known:
                splits[start] = [piece, *rest]
                break
    pieces = splits[0]
    # Only country codes end to end is more likely a name (GASPAR) than a glued list.
    return pieces if pieces and any(len(p) >= 4 for p in pieces) else None


def _phrase_at(words: list[str], index: int, tables: Tables) -> int:
    """The length of the known written-out tag starting at `words[index]`, or 0."""
    for phrase in _phrases(tables).get(words[index], ()):
        if tuple(words[index : index + len(phrase)]) == phrase:
            return len(phrase)
    return 0


@lru_cache(maxsize=8)
def _phrases(tables: Tables) -> dict[str, list[tuple[str, ...]]]:
    """Written-out tags of several words, by first word, the longest first.

    A phrase whose every word is a tag of its own in the table (`COUNTER TERRORISM`)
    is left out: the release's pages linked such words one by one, and the table
    follows them, so a space-separated list reads them as separate tags.
    """
    found: dict[str, list[tuple[str, ...]]] = {}
    for code in tables.tags:
        words = tuple(code.split())
        if len(words) > 1 and "," not in code and not all(w in tables.tags for w in words):
            found.setdefault(words[0], []).append(words)
    for phrases in found.values():
        phrases.sort(key=len, reverse=True)
    return found
