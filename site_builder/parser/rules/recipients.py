"""Rules for the TO and INFO addressees of the header.

One addressee per line: an optional routing indicator (`RUEHC/`), the name, an
optional precedence (`PRIORITY`, `NIACT IMMEDIATE`) and an optional message
control number (`9307`). `XMT` lines exclude posts from the collective above them
(and mean nothing with no collective above). Page banners (`PAGE 02 STATE 015113
182333Z`) that fall into the list are skipped.

Collective cables carry hundreds of INFO lines, so each line is read with string
operations rather than a backtracking pattern, and cut to a bounded length first.
"""

from __future__ import annotations

import re

from site_builder.model import Recipient, Span
from site_builder.parser.state import HEADER_LIMIT, ParseState

_PAGE_BANNER = re.compile(r"\s*PAGE\s+\d+\s+\S+\s+\d+")
# The end of a block: a line (after its newline) that is blank or starts another
# block or field.
_BLOCK_END = re.compile(r"\n[ \t]*(?:\n|BT\b|INFO\b|ZEN\b|TAGS|SUBJ|E\.?O\.?\s)")
_PRECEDENCES = frozenset({"IMMEDIATE", "PRIORITY", "ROUTINE", "FLASH"})
# A routing indicator (`RUEHC/`) has four to eight letters.
_ROUTE = re.compile(r"([A-Z]{4,8})/")
_MCN_MAX_DIGITS = 5
# An addressee line is short; anything past this is not part of one.
_LINE_MAX = 200
# The one-line spans of the header's lines, made once: spans are immutable, and a
# collective's INFO list would otherwise make hundreds per cable.
_LINE_SPANS = tuple(Span(number, number) for number in range(1, HEADER_LIMIT + 1))


def read_recipients(state: ParseState) -> None:
    """The action addressees: the TO line and the lines after it."""
    _read_block(state, "TO", "recipients")


def read_info_recipients(state: ParseState) -> None:
    """The information addressees: the INFO line and the lines after it."""
    _read_block(state, "INFO", "info_recipients")


def _read_block(state: ParseState, label: str, field: str) -> None:
    start = _find_label(state, label)
    if start is None:
        return
    end = _block_end(state, start)
    recipients: list[Recipient] = []
    _add(recipients, state.lines[start][len(label) : len(label) + _LINE_MAX].strip(), start)
    for index in range(start + 1, end):
        _add(recipients, state.lines[index][:_LINE_MAX].strip(), index)
    if recipients:
        state.found(field, recipients, start, end - 1)


def _block_end(state: ParseState, start: int) -> int:
    """The line after the block that starts at line `start`: a blank line, the next
    block's label or the next field, searched in one pass over the header."""
    header_end = state.offset_of(state.header_end)
    match = _BLOCK_END.search(state.text, state.offset_of(start + 1) - 1, header_end)
    if match is None:
        return max(start + 1, state.header_end)
    return state.line_of(match.start()) + 1


def _find_label(state: ParseState, label: str) -> int | None:
    """The header line that starts with `label` as a word, if any."""
    text = state.text
    end = state.offset_of(state.header_end) if state.header_end else state.preamble_end()
    at = 0
    while 0 <= at < end:
        after = text[at + len(label) : at + len(label) + 1]
        if text.startswith(label, at) and after in (" ", "\n", ""):
            return state.line_of(at)
        found = text.find("\n" + label, at, end)
        at = found + 1 if found >= 0 else -1
    return None


def _add(recipients: list[Recipient], text: str, line: int) -> None:
    """Read one addressee line into `recipients` (an XMT line amends the last one)."""
    if not text or ("PAGE" in text and _PAGE_BANNER.match(text)):
        return
    if text.startswith("XMT "):
        if recipients:
            last = recipients[-1]
            excluded = (*last.excluded, " ".join(text[4:].split()))
            recipients[-1] = Recipient(
                last.name, last.route, last.precedence, last.mcn, excluded, last.span
            )
        return
    recipient = _addressee(text, line)
    if recipient is not None:
        recipients.append(recipient)


def _addressee(text: str, line: int) -> Recipient | None:
    """`RUEHC/SECSTATE WASHDC PRIORITY 9307` -> route, name, precedence, MCN.

    Peels the optional parts off the ends of the line: partitions are cheaper than a
    pattern, and INFO lists can be hundreds of lines long.
    """
    route = None
    if routed := _ROUTE.match(text):
        route, text = routed.group(1), text[routed.end() :]
    rest, _, last = text.rpartition(" ")
    mcn = None
    if rest and last.isdigit() and len(last) <= _MCN_MAX_DIGITS and last.isascii():
        mcn, text = last, rest.rstrip()
        rest, _, last = text.rpartition(" ")
    precedence = None
    if rest and last in _PRECEDENCES:
        precedence, text = last, rest.rstrip()
        if precedence == "IMMEDIATE" and text.endswith(" NIACT"):
            precedence, text = "NIACT IMMEDIATE", text[: -len(" NIACT")].rstrip()
    if not text:
        return None
    span = _LINE_SPANS[line] if line < len(_LINE_SPANS) else Span(line + 1, line + 1)
    return Recipient(text, route, precedence, mcn, (), span)
