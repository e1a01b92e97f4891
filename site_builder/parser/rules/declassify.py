"""Rule: the E.O. 12958 line and its declassification date.

`E.O. 12958: DECL: 09/17/2017`, `EO 12958 DECL: 2020/02/23`, `E.o. 12958: decl:
06/30/08`; `N/A`, `OADR` and the X1..X8 exemptions carry no date.
"""

from __future__ import annotations

import re
from datetime import date

from site_builder.parser.state import HEADER_LIMIT, ParseState

_EO = re.compile(
    r"(?:^|\s)E\.?\s?O\.?\s*(?P<order>1\d{3,4})\s*:?\s*(?P<value>[^\n]{0,80})",
    re.IGNORECASE | re.MULTILINE,
)
_DECL = re.compile(r"DECL\s*:?\s*", re.IGNORECASE)
_US_DATE = re.compile(r"^(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4}|\d{2})\b")
_ISO_DATE = re.compile(r"^(?P<y>\d{4})/(?P<m>\d{1,2})/(?P<d>\d{1,2})\b")


def read_declassify_on(state: ParseState) -> None:
    """Read the E.O. line; its date (if any) is when the cable may be declassified."""
    end = state.offset_of(min(HEADER_LIMIT, len(state.lines)))
    match = _EO.search(state.text, state.offset_of(state.header_end), end)
    if match is None:
        return
    line = state.line_of(match.start("order"))
    value = match.group("value").strip()
    state.found("eo_line", value, line)
    when = parse_declassify_date(value)
    if when is not None:
        state.found("declassify_on", when, line)


def parse_declassify_date(value: str) -> date | None:
    """The date in what follows `E.O. 12958:`, or None when it names none."""
    decl = _DECL.search(value)
    text = value[decl.end() :] if decl else value
    text = text.strip()
    for pattern in (_US_DATE, _ISO_DATE):
        match = pattern.match(text)
        if match:
            year = int(match.group("y"))
            if year < 100:
                year += 1900 if year >= 66 else 2000
            try:
                return date(year, int(match.group("m")), int(match.group("d")))
            except ValueError:
                return None
    return None
