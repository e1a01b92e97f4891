"""Rule: the E.O. 12958 line and its declassification date.

`E.O. 12958: DECL: 09/17/2017`, `EO 12958 DECL: 2020/02/23`, `E.o. 12958: decl:
06/30/08`; `N/A`, `OADR` and the X1..X8 exemptions carry no date.
"""

from __future__ import annotations

import re
from datetime import date

from site_builder.parser.state import ParseState

# Searched in the capitals; `E` starts every form, and what stands before it is
# checked after (a word of its own, not the end of `CODE 12958`).
_EO = re.compile(r"E\.?\s?O\.?\s*(?P<order>1\d{3,4})\s*:?\s*")
_VALUE_MAX = 80
# The date after the label (and after `DECL:` when the value has one): US order
# (`09/17/2017`, `06/30/08`) or ISO order (`2020/02/23`).
_DATE = re.compile(
    r"(?:(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4}|\d{2})"
    r"|(?P<iy>\d{4})/(?P<im>\d{1,2})/(?P<id>\d{1,2}))\b"
)


def read_declassify_on(state: ParseState) -> None:
    """Read the E.O. line; its date (if any) is when the cable may be declassified."""
    match = _find_eo(state.upper, state.offset_of(state.header_end), state.preamble_end())
    if match is None:
        return
    line = state.line_of(match.start("order"))
    value_end = state.text.find("\n", match.end(), match.end() + _VALUE_MAX)
    value = state.text[match.end() : value_end if value_end >= 0 else match.end() + _VALUE_MAX]
    value = value.strip()
    state.found("eo_line", value, line)
    when = parse_declassify_date(value)
    if when is not None:
        state.found("declassify_on", when, line)


def _find_eo(upper: str, start: int, end: int) -> re.Match[str] | None:
    """The first E.O. label between `start` and `end` that starts a word."""
    while match := _EO.search(upper, start, end):
        at = match.start()
        if at == 0 or upper[at - 1].isspace():
            return match
        start = at + 1
    return None


def parse_declassify_date(value: str) -> date | None:
    """The date in what follows `E.O. 12958:`, or None when it names none."""
    decl = value.upper().find("DECL")
    text = value[decl + len("DECL") :].lstrip(" \t:") if decl >= 0 else value.lstrip()
    match = _DATE.match(text)
    if match is None:
        return None
    if match.group("y"):
        year, month, day = match.group("y", "m", "d")
    else:
        year, month, day = match.group("iy", "im", "id")
    full_year = int(year)
    if full_year < 100:
        full_year += 1900 if full_year >= 66 else 2000
    try:
        return date(full_year, int(month), int(day))
    except ValueError:
        return None
