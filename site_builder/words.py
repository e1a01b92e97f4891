"""The words of a text, for the lookups that only ask whether a word occurs in it: the
glossary's terms (`render.marks.terms_in`) and the curated people's names
(`editorial.mentions.MentionIndex.present`). Splitting a cable's body into its words is
most of either lookup's time, so the parse stage splits each body once for both.
"""

from __future__ import annotations

from itertools import repeat

# Stripped from both ends of a word: `(DCM),` is the word `DCM`.
EDGES = ".,;:!?\"'()[]{}“”‘’«»-–—"


def words_in(text: str) -> frozenset[str]:
    """The text's words (split at whitespace), punctuation stripped from their ends."""
    # map() with the str methods keeps the thousand words of a cable out of Python code.
    return frozenset(map(str.strip, set(text.split()), repeat(EDGES)))
