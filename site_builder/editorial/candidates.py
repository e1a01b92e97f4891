"""Candidates for curation: people the cables name with a title ("Ambassador X Y",
"Minister X", "President X", "FM X", "Dr. X") who have no page of their own yet.

`site-builder check --people` lists them with counts, so that a maintainer can write
the people worth a page; they are not linked until then.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from site_builder.editorial.mentions import MentionIndex
from site_builder.model import BlockKind, Cable
from site_builder.people import normalise_name

_TITLES = (
    "Ambassador|Amb\\.|Foreign Minister|Prime Minister|Deputy Minister|Minister|"
    "Vice President|President|FM|PM|Dr\\.|Senator|Governor|General|Gen\\.|Mayor|King|"
    "Prince|Sheikh|Shaykh|Crown Prince|Chancellor|Secretary"
)
_NAME_WORD = r"(?:[A-Z][a-z'’\-]+|[A-Z]{2,}(?:-[A-Z]+)?|[A-Z]\.)"
_TITLED = re.compile(
    rf"\b(?P<title>(?i:{_TITLES}))\s+(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}})"
)
# Words a cable in capitals runs into after a name; never part of one.
_NOT_NAME = frozenset(
    "AND THE OF TO IN ON AT FOR WITH SAID TOLD HAS HAD WAS IS ARE WILL WOULD ALSO WHO THAT "
    "THIS NOT BUT AS BY FROM AN A HE SHE IT WE THEY HIS HER NOTED ASKED ADDED STATED OR "
    "GOVERNMENT MINISTRY EMBASSY STATE FOREIGN PRIME DEPUTY VICE GENERAL SECRETARY MINISTER "
    "PRESIDENT AMBASSADOR COUNCIL".split()
)


def titled_names(cables: Iterable[Cable], known: MentionIndex) -> Counter[str]:
    """How often each titled name stands in the cables' bodies, curated people left out."""
    counts: Counter[str] = Counter()
    for cable in cables:
        for block in cable.body:
            if block.kind is BlockKind.HEADING:
                continue
            for match in _TITLED.finditer(block.text):
                name = _trim(match.group("name"))
                if not name or known.find(name):
                    continue
                counts[f"{_title(match.group('title'))} {normalise_name(name)}"] += 1
    return counts


def _trim(name: str) -> str:
    """The name without the words a sentence in capitals carries on with."""
    words = []
    for word in name.split():
        if word.upper() in _NOT_NAME:
            break
        possessive = re.sub(r"['’][sS]$", "", word)
        words.append(possessive)
        if possessive != word:
            break
    return " ".join(words) if any(len(w.strip(".")) > 1 for w in words) else ""


def _title(title: str) -> str:
    return title if title.isupper() and len(title) <= 3 else title[:1].upper() + title[1:].lower()
