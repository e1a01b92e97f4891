"""Rules for the TO and INFO addressees of the header.

One addressee per line: an optional routing indicator (`RUEHC/`), the name, an
optional precedence (`PRIORITY`, `NIACT IMMEDIATE`) and an optional message
control number (`9307`). `XMT` lines exclude posts from the collective above.
Page banners (`PAGE 02 STATE 015113 182333Z`) that fall into the list are skipped.
"""

from __future__ import annotations

import re

from site_builder.model import Recipient, Span
from site_builder.parser.state import HEADER_LIMIT, ParseState

_ADDRESSEE = re.compile(
    r"^(?:(?P<route>[A-Z]{4,8})/)?(?P<name>.+?)"
    r"(?:\s+(?P<prec>NIACT\s+IMMEDIATE|IMMEDIATE|PRIORITY|ROUTINE|FLASH))?"
    r"(?:\s+(?P<mcn>\d{1,5}))?\s*$"
)
_PAGE_BANNER = re.compile(r"^\s*PAGE\s+\d+\s+\S+\s+\d+")
_BLOCK_END = re.compile(r"^\s*(?:$|BT\b|INFO\b|ZEN\b|TAGS|SUBJ|E\.?O\.?\s)")
_XMT = re.compile(r"^XMT\s+(?P<name>.+?)\s*$")


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
    entries: list[tuple[str, int]] = []
    first = state.lines[start][len(label) :].strip()
    if first and not _PAGE_BANNER.match(first):
        entries.append((first, start))
    index = start + 1
    while index < state.header_end and not _BLOCK_END.match(state.lines[index]):
        if label == "TO" and state.lines[index].startswith("INFO"):
            break
        if not _PAGE_BANNER.match(state.lines[index]):
            entries.append((state.lines[index].strip(), index))
        index += 1
    recipients = _addressees(entries)
    if recipients:
        state.found(field, recipients, start, index - 1)


def _find_label(state: ParseState, label: str) -> int | None:
    end = state.header_end or min(HEADER_LIMIT, len(state.lines))
    prefix = label + " "
    for index in range(end):
        line = state.lines[index]
        if line.startswith(prefix) or line == label:
            return index
    return None


def _addressees(entries: list[tuple[str, int]]) -> list[Recipient]:
    recipients: list[Recipient] = []
    for text, line in entries:
        excluded = _XMT.match(text)
        if excluded and recipients:
            last = recipients[-1]
            recipients[-1] = Recipient(
                last.name,
                last.route,
                last.precedence,
                last.mcn,
                (*last.excluded, excluded.group("name")),
                last.span,
            )
            continue
        match = _ADDRESSEE.match(text)
        if match is None:
            continue
        precedence = match.group("prec")
        recipients.append(
            Recipient(
                name=match.group("name").strip(),
                route=match.group("route"),
                precedence=" ".join(precedence.split()) if precedence else None,
                mcn=match.group("mcn"),
                span=Span(line + 1, line + 1),
            )
        )
    return recipients
