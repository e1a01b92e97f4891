"""What the text of a cable page marks up, found fast: references (`Ref A`, `reftel`),
paragraph cross-references (`para 5`), reference IDs, redactions, and glossary terms.

A page has thousands of words and few marks, so nothing here scans the text position by
position in Python or with a pattern that cannot skip: each kind of mark is found by a
search with a literal start (which the regular expression engine skips to at C speed) or
by `str.find`; only the glossary terms present in the cable are searched at all.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from markupsafe import escape

from site_builder.editorial.mentions import MentionIndex
from site_builder.tables import GlossaryEntry, Tables
from site_builder.words import words_in

# Each kind of redaction, with the text it cannot occur without (searched for first).
_REDACTIONS = (
    ("XXXX", re.compile(r"X{4,}")),
    ("xxxx", re.compile(r"x{4,}")),
    ("[", re.compile(r"\[(?:Name|Text|Redacted|NAME|TEXT)[^\]\n]{0,24}\]")),
)
# Searched in the text in capitals; the letters are checked in the text as written.
_REFERENCE = re.compile(r"REF(?:TEL|S)?(?:\s+(?P<letters>[A-Z](?:\s*(?:,|AND|&|-)\s*[A-Z])*))?\b")
_PARAGRAPH = re.compile(r"PARA(?:GRAPH)?S?\.?\s+(?P<para>\d{1,3})\b")
# ASCII: an ID is letters and digits of ASCII only (`is_safe_id`); a match that runs on
# into a letter of another script is refused by `_starts_word`, as before.
_CABLE_ID = re.compile(r"(?P<id>[0-9]{2}[A-Z]{2,20}[0-9]{1,7})\b", re.ASCII)
# Two digits and a capital start every reference ID: this plain test rules out nearly
# every paragraph faster than the search itself runs.
_ID_START = re.compile(r"[0-9][0-9][A-Z]")
_WORD_CHAR = re.compile(r"[\w/]")


@dataclass(frozen=True)
class Linker:
    """What the text of one cable may link to."""

    references: dict[str, str]  # letter -> URL (the cited cable, or its entry on this page)
    single_reference: str | None  # where `reftel` points, when there is one reference
    resolve_id: Callable[[str], str | None]  # a reference ID -> its page URL, if in the archive
    paragraphs: frozenset[str]  # the numbers this cable has (`#par3` exists)
    terms: Sequence[GlossaryEntry]  # the glossary terms that occur in this cable
    people: MentionIndex = field(default_factory=MentionIndex)
    person_url: Callable[[str], str | None] = lambda slug: None
    explained: set[str] = field(default_factory=set)  # terms explained in this paragraph


@dataclass(frozen=True, slots=True)
class Mark:
    """A span of the text and the HTML that replaces it."""

    start: int
    end: int
    html: str


@dataclass(frozen=True)
class GlossaryIndex:
    """A glossary arranged for `terms_in`: one-word terms keyed by their word (as written,
    or folded to lower case), phrases apart; values are positions in glossary order."""

    entries: tuple[GlossaryEntry, ...]
    exact: dict[str, int]
    folded: dict[str, list[int]]
    phrases: tuple[int, ...]


@lru_cache(maxsize=8)
def glossary_index(tables: Tables) -> GlossaryIndex:
    """The index of a tables object's glossary, made once per tables (hashed by identity)."""
    exact: dict[str, int] = {}
    folded: dict[str, list[int]] = {}
    phrases = []
    for position, entry in enumerate(tables.glossary):
        if any(c in entry.term for c in " ()"):
            phrases.append(position)
        elif entry.case_sensitive:
            exact.setdefault(entry.term, position)
        else:
            folded.setdefault(entry.folded, []).append(position)
    return GlossaryIndex(tables.glossary, exact, folded, tuple(phrases))


def terms_in(text: str, tables: Tables, words: frozenset[str] | None = None) -> list[GlossaryEntry]:
    """The glossary terms that occur somewhere in `text` (then looked for block by block),
    in glossary order; `words` are the text's `words_in`, if already made.

    A one-word term is looked up in the set of the text's words; only terms with
    spaces or brackets (`1.4 (b)`, `talking points`) are searched as substrings.
    """
    index = glossary_index(tables)
    words = words if words is not None else words_in(text)
    present = {index.exact[word] for word in words & index.exact.keys()}
    for word in set(map(str.lower, words)) & index.folded.keys():
        present.update(index.folded[word])
    lowered: str | None = None
    for position in index.phrases:
        entry = index.entries[position]
        if entry.case_sensitive:
            found = entry.term in text
        else:
            lowered = lowered if lowered is not None else text.lower()
            found = entry.folded in lowered
        if found:
            present.add(position)
    return [index.entries[position] for position in sorted(present)]


def find_marks(text: str, linker: Linker) -> list[Mark]:
    """Every mark in `text`, in order, none overlapping (the earliest, then longest, wins)."""
    upper = _same_length(text.upper(), text)
    found = [
        *_redactions(text),
        *_references(text, upper, linker),
        *_paragraphs(upper, text, linker),
        *_cable_ids(text, linker),
        *_people(text, linker),
        *_terms(text, linker),
    ]
    found.sort(key=lambda m: (m.start, m.start - m.end))
    marks: list[Mark] = []
    for mark in found:
        if not marks or mark.start >= marks[-1].end:
            marks.append(mark)
    return marks


def _starts_word(text: str, start: int, end: int) -> bool:
    """True when text[start:end] is not part of a longer word."""
    before = start > 0 and _WORD_CHAR.match(text, start - 1) is not None
    after = end < len(text) and _WORD_CHAR.match(text, end) is not None
    return not before and not after


def _link(url: str, raw: str) -> str:
    return f'<a href="{escape(url)}">{escape(raw)}</a>'


def _redactions(text: str) -> list[Mark]:
    html = '<span class="redacted" title="withheld in the release">[redacted]</span>'
    return [
        Mark(m.start(), m.end(), html)
        for needed, pattern in _REDACTIONS
        if needed in text
        for m in pattern.finditer(text)
    ]


def _references(text: str, upper: str, linker: Linker) -> list[Mark]:
    marks = []
    for match in _REFERENCE.finditer(upper):
        start, end = match.span()
        letters = match.group("letters")
        if not _starts_word(text, start, start + 3):
            continue
        if letters is None:
            if upper[start:end] != "REFTEL" or linker.single_reference is None:
                continue
            target: str | None = linker.single_reference
        else:
            first = text[match.start("letters")]
            target = linker.references.get(first) if first.isupper() else None
        if target is not None:
            marks.append(Mark(start, end, _link(target, text[start:end])))
    return marks


def _paragraphs(upper: str, text: str, linker: Linker) -> list[Mark]:
    return [
        Mark(m.start(), m.end(), _link(f"#par{m.group('para')}", text[m.start() : m.end()]))
        for m in _PARAGRAPH.finditer(upper)
        if m.group("para") in linker.paragraphs and _starts_word(text, m.start(), m.start() + 4)
    ]


def _cable_ids(text: str, linker: Linker) -> list[Mark]:
    if _ID_START.search(text) is None:
        return []
    marks = []
    for match in _CABLE_ID.finditer(text):
        if not _starts_word(text, match.start(), match.end()):
            continue
        url = linker.resolve_id(match.group("id"))
        if url is not None:
            marks.append(Mark(match.start(), match.end(), _link(url, match.group(0))))
    return marks


def _people(text: str, linker: Linker) -> list[Mark]:
    """Curated people named in the text, linked to their pages."""
    marks = []
    for found in linker.people.find(text):
        url = linker.person_url(found.slug)
        if url is not None:
            marks.append(Mark(found.start, found.end, _link(url, text[found.start : found.end])))
    return marks


def _terms(text: str, linker: Linker) -> list[Mark]:
    """The first use in the paragraph of each term present: `<abbr title="meaning">`."""
    marks: list[Mark] = []
    lowered: str | None = None
    for entry in linker.terms:
        if entry.folded in linker.explained:
            continue
        if entry.case_sensitive:
            haystack, needle = text, entry.term
        else:
            # a few characters change length in lower case: then search as written
            lowered = lowered if lowered is not None else _same_length(text.lower(), text)
            haystack, needle = lowered, entry.folded
        position = haystack.find(needle)
        while position >= 0:
            end = position + len(needle)
            if _starts_word(text, position, end):
                linker.explained.add(entry.folded)
                raw = text[position:end]
                html = f'<abbr tabindex="0" title="{escape(entry.meaning)}">{escape(raw)}</abbr>'
                marks.append(Mark(position, end, html))
                break
            position = haystack.find(needle, position + 1)
    return marks


def _same_length(changed: str, text: str) -> str:
    """`changed` (the text in other case) if it kept the text's length, else the text:
    positions found in it must be positions in the text."""
    return changed if len(changed) == len(text) else text
