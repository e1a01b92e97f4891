"""Mentions of curated people in a cable's text: whole words, case-aware, longest alias
first, found for all people at once.

A text is read once: its words go into a set, and an index of every alias by its
first word tells which aliases could occur at all (those whose every word is in the
set); only those are then looked for, with `str.find`. Thousands of people cost a few
dictionary lookups per word, not a search per person. A small index is first tried
alias by alias with `in`, so that a cable naming none of its people (most) has its
words never collected at all. Names are plain text, never
patterns: an alias of `.*` or `(a+)+$` is looked for as those characters.

Case-aware: an alias matches as written, or in capitals (many cables are in capitals),
never in lower case ("Rice" the person, not "rice").
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from site_builder.editorial.people import CuratedPerson
from site_builder.words import EDGES, words_in

_WORD_CHAR = re.compile(r"[\w]")
_ADDRESS = re.compile(r"://|^\(?www\.|@\w|\w\.(?:com|org|net|gov|int|edu)\b", re.IGNORECASE)
# Up to this many first words, `present` looks for each alias in the text with `in` (a
# search in C) before it collects the text's words: most cables name none of them, and
# then the words are never collected. Past it, or when the caller has the words already
# (the parse stage splits each body once for the glossary too), the words' set is the
# cheaper test.
_FEW_FIRST_WORDS = 64

# An alias as written, its words (edges stripped), and the slug of its person.
Alias = tuple[str, tuple[str, ...], str]


@dataclass(frozen=True, slots=True)
class Found:
    """A person's name at `start:end` of a text."""

    start: int
    end: int
    slug: str


@dataclass
class MentionIndex:
    """Every alias of every curated person, by its first word."""

    by_first_word: dict[str, list[Alias]] = field(default_factory=dict)

    @property
    def digest(self) -> str:
        """Changes when any name or alias changes (parsed entries record mentions)."""
        names = sorted((word, entries) for word, entries in self.by_first_word.items())
        return hashlib.blake2b(repr(names).encode(), digest_size=12).hexdigest()

    @classmethod
    def of(cls, people: Iterable[CuratedPerson]) -> MentionIndex:
        index = cls()
        for person in people:
            for name in person.names:
                for variant in dict.fromkeys((name, name.upper())):
                    words = tuple(w.strip(EDGES) for w in variant.split())
                    if not words or not words[0]:
                        continue
                    entries = index.by_first_word.setdefault(words[0], [])
                    entries.append((variant, words, person.slug))
        for entries in index.by_first_word.values():
            entries.sort(key=lambda entry: -len(entry[0]))
        return index

    def __bool__(self) -> bool:
        return bool(self.by_first_word)

    def present(self, text: str, words: frozenset[str] | None = None) -> MentionIndex:
        """The part of the index whose aliases could occur in `text` (all their words
        are there; `words` are its `words_in`, if already made): made once for a cable,
        then used on each of its paragraphs."""
        if not self.by_first_word:
            return self
        candidates = self.by_first_word
        if words is None and len(candidates) <= _FEW_FIRST_WORDS:
            candidates = _substrings_of(text, candidates)
            if not candidates:
                return MentionIndex()
        words = words if words is not None else words_in(text)
        kept: dict[str, list[Alias]] = {}
        for word in words & candidates.keys():
            entries = [e for e in candidates[word] if all(w in words for w in e[1][1:])]
            if entries:
                kept[word] = entries
        return MentionIndex(kept)

    def find(self, text: str) -> list[Found]:
        """The people named in `text`, in order, none overlapping (longest first)."""
        if not self.by_first_word:
            return []
        candidates = self.present(text) if len(self.by_first_word) > 16 else self
        found: list[Found] = []
        for entries in candidates.by_first_word.values():
            for variant, _, slug in entries:
                found.extend(_occurrences(text, variant, slug))
        found.sort(key=lambda f: (f.start, f.start - f.end))
        kept: list[Found] = []
        for item in found:
            if not kept or item.start >= kept[-1].end:
                kept.append(item)
        return kept


def _substrings_of(text: str, index: dict[str, list[Alias]]) -> dict[str, list[Alias]]:
    """The aliases of `index` whose every word occurs somewhere in `text`, if only inside
    another word: what an alias needs to be there as whole words, tested with `in` alone."""
    found: dict[str, list[Alias]] = {}
    for first, entries in index.items():
        if first in text:
            kept = [e for e in entries if all(word in text for word in e[1][1:])]
            if kept:
                found[first] = kept
    return found


def _occurrences(text: str, name: str, slug: str) -> list[Found]:
    """Where `name` stands in `text` as whole words, and not inside an address."""
    found = []
    position = text.find(name)
    while position >= 0:
        end = position + len(name)
        before = position > 0 and _WORD_CHAR.match(text, position - 1) is not None
        after = end < len(text) and _WORD_CHAR.match(text, end) is not None
        if not before and not after and not _in_address(text, position, end):
            found.append(Found(position, end, slug))
        position = text.find(name, position + 1)
    return found


def _in_address(text: str, start: int, end: int) -> bool:
    """True when `start:end` lies inside a URL or an e-mail address."""
    left = max(text.rfind(" ", 0, start), text.rfind("\n", 0, start)) + 1
    right_space = [i for i in (text.find(" ", end), text.find("\n", end)) if i >= 0]
    token = text[left : min(right_space) if right_space else len(text)]
    return _ADDRESS.search(token) is not None


def sentence_around(text: str, start: int, end: int, limit: int = 300) -> str:
    """The sentence of `text` that holds `start:end`, on one line, at most `limit` long."""
    left = max(text.rfind(". ", 0, start), text.rfind("\n\n", 0, start))
    left = 0 if left < 0 else left + 2
    right = text.find(". ", end)
    right = len(text) if right < 0 else right + 1
    sentence = " ".join(text[left:right].split())
    if len(sentence) > limit:
        middle = start - left
        begin = max(0, middle - limit // 2)
        sentence = "…" + sentence[begin : begin + limit].strip() + "…"
    return sentence
