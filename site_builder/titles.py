"""Title case for display: cable subjects are written in capitals.

`titlefy("SPD IN DRIVER'S SEAT FOR BERLIN ELECTION")` gives
"SPD in Driver's Seat for Berlin Election". Short articles, conjunctions and
prepositions are lower case (but the first and the last word, and the first after a
colon, a question mark or an opening quote); acronyms stay in capitals: the shipped
list, words without vowels (`NSC`, `HMG`), dotted initials (`U.S.`), Roman numerals
(`III`), office symbols (`A/S`).

A subject already written in mixed case keeps the capitals its author chose
(`Ex-IM`, `DoD`). Only the case of letters ever changes, never the letters, the
spacing inside the text or the punctuation.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from importlib import resources

# Lower case inside a title: articles, conjunctions and prepositions of up to three
# letters (longer ones such as WITH, FROM, AMONG are capitalised).
_SMALL = frozenset(
    {"a", "an", "and", "as", "at", "but", "by", "en", "for", "if", "in", "nor", "of", "on"}
    | {"or", "per", "the", "to", "v", "vs", "via", "yet"}
)
# Abbreviations without vowels that are words, not acronyms.
_NOT_ACRONYMS = frozenset({"MR", "MRS", "MS", "DR", "ST", "JR", "SR", "PS"})
# A word: a letter, then letters and digits, possibly joined by an apostrophe or a dot
# (`DRIVER'S`, `U.S.`); a number with its suffix (`63RD`); anything else between them.
_TOKEN = re.compile(r"[^\W\d_][^\W_]*(?:['’.][^\W_]*)*|\d[^\W_]*|[\W_]+")
_DOTTED_INITIALS = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]?")
_ROMAN = re.compile(r"(?=[IVX]{2})X{0,3}(?:IX|IV|V?I{0,3})")
_NO_VOWEL = re.compile(r"[^AEIOUY]+")
_REDACTION = re.compile(r"[Xx]{4,}")
# After these a new phrase starts, whose first word is capitalised even if small.
_PHRASE_STARTS = frozenset(':?!;("“')


@cache
def acronyms() -> frozenset[str]:
    """Words kept in capitals: the shipped list, one per line (`#` starts a note)."""
    text = resources.files("site_builder.data").joinpath("acronyms.txt").read_text("utf-8")
    words = (line.strip() for line in text.splitlines())
    return frozenset(word for word in words if word and not word.startswith("#"))


@lru_cache(maxsize=1 << 16)
def titlefy(text: str) -> str:
    """A readable title-case form of a subject written in capitals. (Cached: a subject
    shows on its page and in every list of it, build after build.)"""
    text = text.strip()
    keep_capitals = not _mostly_capitals(text)
    tokens = _TOKEN.findall(text)
    last_word = max((i for i, t in enumerate(tokens) if t[0].isalnum()), default=-1)
    out: list[str] = []
    start_of_phrase = True
    for index, token in enumerate(tokens):
        if not token[0].isalnum():
            out.append(token)
            stripped = token.strip()
            if stripped and stripped[-1] in _PHRASE_STARTS:
                start_of_phrase = True
            continue
        if len(token) == 1 and _beside_slash(tokens, index):
            out.append(_upper(token))  # `A/S`, `G/TIP`: office symbols
        else:
            out.append(_word(token, start_of_phrase or index == last_word, keep_capitals))
        start_of_phrase = False
    return "".join(out)


def _beside_slash(tokens: list[str], index: int) -> bool:
    """Whether a token touches a slash: single letters there are office symbols."""
    before = tokens[index - 1] if index > 0 else ""
    after = tokens[index + 1] if index + 1 < len(tokens) else ""
    return before.endswith("/") or after.startswith("/")


def _mostly_capitals(text: str) -> bool:
    """Whether the text is written in capitals (redactions, `xxxxxx`, aside)."""
    if "x" in text:
        text = _REDACTION.sub("", text)
    upper = sum(1 for c in text if c.isupper())
    return upper > sum(1 for c in text if c.islower())


def _word(word: str, first: bool, keep_capitals: bool) -> str:
    """One word in title case; `keep_capitals` leaves words in capitals as written."""
    if word[0].isdigit():
        return _lower(word)  # `63RD` -> `63rd`
    if not word.isupper() and not word.islower():
        return word  # mixed case (`DoD`, `McCain`): the author's choice
    if keep_capitals and word.isupper():
        return word
    stem, apostrophe, rest = word.partition("'") if "'" in word else word.partition("’")
    if _is_acronym(stem.upper(), stem):
        return _upper(stem) + apostrophe + _lower(rest)  # `UK'S` -> `UK's`
    lower = _lower(word)
    if lower in _SMALL and not first:
        return lower
    return _capitalised(lower)


def _is_acronym(upper: str, word: str) -> bool:
    """Acronyms: listed ones, redactions, dotted initials, Roman numerals, vowel-less."""
    if _REDACTION.fullmatch(word) or _DOTTED_INITIALS.fullmatch(upper):
        return True
    upper = upper.rstrip(".")  # `MR.` is the word MR
    if upper in acronyms():
        return True
    if _ROMAN.fullmatch(upper):
        return upper != "XI"  # a name (Xi Jinping) far more often than eleven
    return len(upper) > 1 and upper not in _NOT_ACRONYMS and bool(_NO_VOWEL.fullmatch(upper))


def _upper(word: str) -> str:
    """`word` in capitals, unless that would change its letters (ß -> SS)."""
    upper = word.upper()
    return upper if len(upper) == len(word) else word


def _lower(word: str) -> str:
    """`word` in small letters, each letter staying one letter (not İ -> i̇)."""
    lower = word.lower()
    if len(lower) == len(word):
        return lower
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in word)


def _capitalised(lower: str) -> str:
    """`lower` with its first letter in capitals, when that stays one letter (not ß)."""
    return _upper(lower[0]) + lower[1:]
