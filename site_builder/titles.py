"""Title case for display: cable subjects are written in capitals.

`titlefy("SPD IN DRIVER'S SEAT FOR BERLIN ELECTION")` gives
"SPD in Driver's Seat for Berlin Election": small words lower case (but the first
and after a colon), acronyms kept, mixed-case words left as written.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

_SMALL = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "but",
        "by",
        "en",
        "for",
        "from",
        "if",
        "in",
        "into",
        "nor",
        "of",
        "on",
        "or",
        "per",
        "the",
        "to",
        "v",
        "vs",
        "via",
        "with",
    ]
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’.]*|\d+[A-Za-z]*|[^A-Za-z\d]+")


@cache
def acronyms() -> frozenset[str]:
    """Words kept in capitals: the shipped list, one per line."""
    text = resources.files("site_builder.data").joinpath("acronyms.txt").read_text("utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip())


def titlefy(text: str) -> str:
    """A readable title-case form of an all-capitals subject."""
    words = _WORD.findall(text.strip())
    out: list[str] = []
    start_of_phrase = True
    for token in words:
        if not token[0].isalnum():
            out.append(token)
            if token.strip() and token.strip()[-1] in ':?!;("“':
                start_of_phrase = True
            continue
        out.append(_word(token, start_of_phrase))
        start_of_phrase = False
    return "".join(out)


def _word(word: str, first: bool) -> str:
    if word[0].isdigit():
        return word.lower()
    if not word.isupper() and not word.islower():
        return word
    upper = word.upper()
    stem = re.split(r"['’]", upper)[0]
    if stem in acronyms() or (len(stem) > 1 and not re.search(r"[AEIOUY]", stem)):
        return stem + word[len(stem) :].lower()
    lower = word.lower()
    if lower in _SMALL and not first:
        return lower
    return lower[0].upper() + lower[1:]
