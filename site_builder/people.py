"""People's names: one readable form for a name however a cable wrote it.

`normalise_name("THOMAS W. SIMONS, JR.")` gives "Thomas W. Simons, Jr.";
`LEE 0. COLDREN` (an OCR zero for an initial) gives "Lee O. Coldren", and a zero
inside a word (`R0BIN`) is read as the letter O too.
"""

from __future__ import annotations

import functools
import re

_PARTICLE = re.compile(r"^(?:de|da|del|van|von|der|la|le|al|bin|ibn)$", re.IGNORECASE)
_ROMAN = re.compile(r"^(?:II|III|IV|V)$", re.IGNORECASE)
# A zero that stands for the letter O: an initial (`0.`) or inside a word (`R0BIN`).
_OCR_ZERO = re.compile(r"(?<![A-Za-z0-9])0(?=\.)|(?<=[A-Za-z])0|0(?=[A-Za-z])")


@functools.lru_cache(maxsize=1 << 16)
def normalise_name(name: str) -> str:
    """Title-case a name written in capitals; leave a mixed-case name as written.
    Zeros an OCR read for the letter O are letters again. (Cached: every build asks
    again for the names of every cable.)"""
    name = _OCR_ZERO.sub("O", " ".join(name.split()))
    if not name.isupper():
        return name
    return " ".join(_word(word, index) for index, word in enumerate(name.split(" ")))


def _word(word: str, index: int) -> str:
    if _ROMAN.match(word.strip(",.")):
        return word.upper()
    if index > 0 and _PARTICLE.match(word):
        return word.lower()
    parts = re.split(r"([-'’])", word.lower())
    cased = "".join(p[:1].upper() + p[1:] for p in parts)
    return re.sub(r"^Mc([a-z])", lambda m: "Mc" + m.group(1).upper(), cased)
