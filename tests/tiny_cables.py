"""Tiny valid cables, for the tests that need an archive far larger than the corpus: a
header, TAGS, a subject, one paragraph and a signer, each parsing with no problem."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path

MONTHS = "JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split()
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def tiny_cable(serial: int, date: datetime, tags: Sequence[str], signer: str = "KOENIG") -> str:
    """Cable `<YY>BERLIN<serial>` of `date`, tagged `tags`, signed by `signer`."""
    return (
        f"R {date:%d%H%M}Z {MONTHS[date.month - 1]} {date:%y}\n"
        "FM AMEMBASSY BERLIN\n"
        f"TO RUEHC/SECSTATE WASHDC {serial}\n\n"
        f"UNCLASSIFIED BERLIN {serial:06d}\n\n"
        "E.O. 12958: N/A\n"
        f"TAGS: {' '.join(tags)}\n"
        f"SUBJECT: NOTE {serial}\n\n"
        f"1. (U) Text {serial}.\n"
        f"{signer}\n"
    )


def name_of(number: int) -> str:
    """A distinct surname of capitals for every number (`QAAAB`), as signers are written."""
    letters = ""
    while True:
        number, digit = divmod(number, len(LETTERS))
        letters = LETTERS[digit] + letters
        if not number:
            return "Q" + letters.rjust(4, "A")


def write_archive(folder: Path, texts: Iterable[str]) -> Path:
    """A content folder holding the cables `texts`, one file each; returns `content/`."""
    cables = folder / "content" / "cables"
    cables.mkdir(parents=True)
    for number, text in enumerate(texts):
        (cables / f"{number:06d}.txt").write_text(text, encoding="ascii")
    return folder / "content"
