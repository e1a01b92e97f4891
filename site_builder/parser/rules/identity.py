"""Rules for what identifies a cable: partial-extract flag, reference ID, canonical ID,
station, country and post.

The reference ID is the DTG's two-digit year + the station + the serial. The
station and serial come from the FM line and the `DE` line's `#serial` when the
header has them (a banner may belong to another cable pasted in), else from the
banner (`UNCLAS GUATEMALA 001906`). A front-matter `reference_id` (written by the
importers, from the published metadata) or a file name that is a valid ID confirms
or supplies it; an ID that is not ID-shaped never becomes a path.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from site_builder.ids import canonical_id, is_safe_id, squeeze, station_from_name
from site_builder.parser.state import ParseState

_PARTIAL = re.compile(r"^\s*This record is a partial extract of the original cable", re.I)


def read_partial(state: ParseState) -> None:
    """A partial extract says so on its first non-blank line."""
    for index, line in enumerate(state.lines[:20]):
        if line.strip():
            if _PARTIAL.match(line):
                state.found("partial", True, index)
            return


def read_front_matter_date(state: ParseState) -> None:
    """A date known only from the import (a partial extract's CSV row) fills a gap."""
    if "date" in state.values:
        return
    when = _front_datetime(state.front.get("date") or state.front.get("created"))
    if when is not None:
        state.found("date", when, 0)


def _front_datetime(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return None


def read_reference_id(state: ParseState) -> None:
    """Work out the reference ID, then its canonical form and the station it names."""
    from_text, line = _id_from_text(state)
    published = _published_id(state)
    reference_id = from_text
    if published and _confirms(state, published, from_text):
        reference_id = published
    elif published and from_text:
        state.warn(line, f"the text reads {from_text}, but the file is named {published}")
    if reference_id is None:
        state.error(line, "no reference ID: no banner, routing line or ID-shaped file name")
        return
    canonical = canonical_id(reference_id, state.tables)
    state.found("reference_id", reference_id, line)
    state.found("canonical_id", canonical, line)
    station = re.sub(r"^\d{2}|\d+$", "", canonical)
    state.found("station", station, line)
    post = state.tables.posts.get(_origin_station(state) or station)
    post = post or state.tables.posts.get(station)
    state.found("country", post.country if post else None, line)
    state.found("post", post.name if post else _post_name(state), line)
    state.found("post_station", post.station if post else station, line)


def _confirms(state: ParseState, published: str, from_text: str | None) -> bool:
    """A published ID stands when the text agrees, or when the text cannot say."""
    if from_text is None:
        return True
    if canonical_id(published, state.tables) == canonical_id(from_text, state.tables):
        return True
    origin = _origin_station(state)
    published_station = re.sub(r"^\d{2}|\d+$", "", canonical_id(published, state.tables))
    return bool(
        state.values.get("foreign_body")
        and origin == published_station
        and published[:2] == from_text[:2]
    )


def _origin_station(state: ParseState) -> str | None:
    origin = state.values.get("origin")
    return station_from_name(origin, state.tables) if origin else None


def _published_id(state: ParseState) -> str | None:
    """The published ID from front matter or the file name, when it is ID-shaped."""
    for candidate in (state.front.get("reference_id"), state.file_id):
        if isinstance(candidate, str) and is_safe_id(candidate):
            return candidate
    front = state.front.get("reference_id")
    if front is not None:
        state.warn(0, f"front matter reference_id {str(front)[:60]!r} is not a reference ID")
    return None


def _id_from_text(state: ParseState) -> tuple[str | None, int]:
    """Year from the DTG; station and serial from the banner, or the header when the
    banner is missing or belongs to another cable."""
    year = _year(state)
    banner_line = state.spans["banner_level"].start - 1 if "banner_level" in state.spans else 0
    origin = _origin_station(state)
    routing = state.values.get("routing_serial")
    banner_station = state.values.get("banner_station")
    station: str | None = None
    serial: str | None = None
    line = banner_line
    if banner_station is not None and squeeze(banner_station).strip("X"):
        banner_serial = str(int(state.values["banner_serial"]))
        named = station_from_name(banner_station, state.tables)
        same_post = origin is None or _same_post(origin, named, squeeze(banner_station))
        same_serial = routing is None or int(banner_serial) % 10000 == int(routing) % 10000
        if same_post or (routing is not None and same_serial):
            station, serial = squeeze(banner_station), banner_serial
        else:
            state.values["foreign_body"] = True
            state.warn(
                banner_line,
                f"the banner names {banner_station} {banner_serial} but the header"
                f" {state.values.get('origin')}: the body may be another cable's",
            )
    if station is None and origin is not None and routing is not None:
        station, serial = origin, routing
        line = state.spans["routing_serial"].start - 1
    if year is None or not station or not serial:
        return None, line
    candidate = f"{year:02d}{station}{serial}"
    return (candidate if is_safe_id(candidate) else None), line


def _same_post(origin: str, named: str | None, squeezed: str) -> bool:
    """`USEU BRUSSELS` and `BRUSSELS` name one post; `CHISINAU` and `ULAANBAATAR` do not."""
    return origin == named or squeezed in origin or origin in squeezed


def _year(state: ParseState) -> int | None:
    when = state.values.get("date")
    if when is not None:
        return int(when.year) % 100
    return None


def _post_name(state: ParseState) -> str | None:
    origin = state.values.get("origin")
    return str(origin).title() if origin else None
