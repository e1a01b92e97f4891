"""Rules for the telegram header: transmission ID, the DE routing line, the DTG
(date-time group) with its precedence, and the FM line (origin post).

```
VZCZCXRO1818                 transmission ID
DE RUEHRL #1767/01 2621047   station code, serial, section, Julian day and time
P 191047Z SEP 07             precedence, day, hour and minute (UTC), month, year
FM AMEMBASSY BERLIN          origin
```
A partial extract has no header but may keep a bare DTG (`201247Z Jan 04`).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from site_builder.parser.state import ParseState

_TRANSMISSION = re.compile(r"^[ \t]*(VZCZC[A-Z0-9]{2,12})[ \t]*$", re.MULTILINE)
_ROUTING = re.compile(
    r"^DE[ \t]+(?P<code>[A-Z]{3,8})[ \t]+#(?P<serial>\d{1,7})(?:/(?P<section>\d{1,3}))?"
    r"(?:[ \t]+(?P<julian>\d{3})(?P<time>\d{4}))?",
    re.MULTILINE,
)
_PRECEDENCE_LETTERS = "ZOPRM"
DTG = re.compile(
    r"^[ \t]*(?P<prec>(?:[ZOPRM][ \t]+){0,3})"
    r"(?P<day>\d{2})(?P<hour>\d{2})(?P<minute>\d{2})[ \t]?Z[ \t]+"
    r"(?P<month>JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)[A-Z]*[ \t]+"
    r"(?P<year>\d{4}|\d{2})\b",
    re.MULTILINE | re.IGNORECASE,
)
_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
PRECEDENCES = {
    "Z": "FLASH",
    "O": "IMMEDIATE",
    "P": "PRIORITY",
    "R": "ROUTINE",
    "M": "MEDIUM",
}
_FROM = re.compile(r"^FM[ \t]+(?P<origin>\S.*?)[ \t]*$", re.MULTILINE)


def _header_bounds(state: ParseState) -> tuple[int, int]:
    if state.header_end:
        return 0, min(state.offset_of(state.header_end), state.preamble_end())
    return 0, state.preamble_end()


def read_transmission_id(state: ParseState) -> None:
    """`VZCZCXRO1818`: the teletype transmission's own ID (absent in partial extracts)."""
    start, end = _header_bounds(state)
    match = _TRANSMISSION.search(state.text, start, end)
    if match:
        state.found("transmission_id", match.group(1), state.line_of(match.start()))


def read_routing(state: ParseState) -> None:
    """`DE RUEHGT #1906 2632139`: the sending station's code, the serial and the day."""
    start, end = _header_bounds(state)
    match = _ROUTING.search(state.text, start, end)
    if match is None:
        return
    line = state.line_of(match.start())
    state.found("routing_code", match.group("code"), line)
    state.found("routing_serial", str(int(match.group("serial"))), line)
    if match.group("julian"):
        state.found("routing_julian", int(match.group("julian")), line)


def read_date(state: ParseState) -> None:
    """The DTG gives the cable's time in UTC and its precedence letters."""
    start, end = _header_bounds(state)
    if state.banner_line is None:
        end = state.preamble_end()
    match = DTG.search(state.text, start, end)
    if match is None:
        return
    line = state.line_of(match.start())
    when = _dtg_datetime(match)
    if when is None:
        state.warn(line, f"date-time group not understood: {match.group(0).strip()!r}")
        return
    state.found("date", when, line)
    letters = match.group("prec").split()
    if letters:
        state.found("precedence", PRECEDENCES[letters[0].upper()], line)
    _check_julian_day(state, when, line)


def _dtg_datetime(match: re.Match[str]) -> datetime | None:
    year = int(match.group("year"))
    if year < 100:
        year += 1900 if year >= 66 else 2000
    month = _MONTHS.index(match.group("month").upper()) + 1
    try:
        return datetime(
            year,
            month,
            int(match.group("day")),
            int(match.group("hour")),
            int(match.group("minute")),
            tzinfo=UTC,
        )
    except ValueError:
        return None


def _check_julian_day(state: ParseState, when: datetime, line: int) -> None:
    """The DE line's Julian day should be the DTG's day (or within a day of it)."""
    julian = state.values.get("routing_julian")
    if julian is None or julian == 0:
        return
    expected = datetime(when.year, 1, 1, tzinfo=UTC) + timedelta(days=julian - 1)
    if abs((expected.date() - when.date()).days) > 1 and abs(julian - 365) > 2:
        state.warn(
            line,
            f"date-time group {when:%d %b %Y} does not match the routing line's day {julian}",
        )


def read_origin(state: ParseState) -> None:
    """`FM AMEMBASSY GUATEMALA`: the post, as written."""
    start, end = _header_bounds(state)
    match = _FROM.search(state.text, start, end)
    if match:
        state.found("origin", " ".join(match.group("origin").split()), state.line_of(match.start()))
