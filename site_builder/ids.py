"""Reference IDs: canonical forms, station names, and which IDs are safe as paths.

A reference ID is a two-digit year, a station and a serial (`07GUATEMALA1906`).
Published IDs can be mangled (`09SECTION01OF03SANJOSE525`, `09EFTOLONDON2468`),
and REF lines misspell stations (`TBLISI`, `BRASILA`), so links between cables
are resolved through a canonical ID, while the published ID stays the page's URL.
"""

from __future__ import annotations

import re
from functools import lru_cache

from site_builder.tables import Tables, default_tables

# The shape an ID must have before it may become part of a path or URL.
SAFE_ID = re.compile(r"[0-9]{2}[A-Z][A-Z0-9]{0,40}[0-9]{1,7}")

# Words that name the kind of post, not the post (`AMEMBASSY GUATEMALA`).
_POST_WORDS = re.compile(
    r"^(?:AMEMBASSY|AMEMB|AMCONSUL|AMCONGEN|AMCONSULATE|USMISSION|USMISSIONS|"
    r"US MISSION|EMBASSY|CONSULATE|USLO|USINT|USOFFICE|AMERICAN EMBASSY)\s+"
)
# Junk that mangled published IDs carry between the year and the station.
_SECTION_JUNK = re.compile(r"^[A-Z]{0,8}?\d{1,2}OF\d{1,2}")
_PREFIX_JUNK = ("EFTO", "NOFORN", "AMEMBASSY", "AMCONSUL", "USMISSION", "SIPDIS", "EXDIS")
_ID_PARTS = re.compile(r"^(\d{2})\d*?([A-Z][A-Z0-9]*?[A-Z])0*(\d+)")
_NOT_ALNUM = re.compile(r"[^A-Z0-9]")


def is_safe_id(value: str) -> bool:
    """True when `value` has the shape of a reference ID and nothing else (no path parts)."""
    return SAFE_ID.fullmatch(value) is not None


def squeeze(name: str) -> str:
    """Upper-case and drop everything but letters and digits: `PORT AU PRINCE` -> `PORTAUPRINCE`."""
    return _NOT_ALNUM.sub("", name.upper())


def station_from_name(name: str, tables: Tables | None = None) -> str | None:
    """The ID station for a post as written on an FM line or banner, if it can be told.

    `AMEMBASSY PORT AU PRINCE` -> `PORTAUPRINCE`, `SECSTATE WASHDC` -> `STATE`,
    `USMISSION USUN NEW YORK` -> `USUNNEWYORK`, `AMCONSUL RIO DE JANEIRO` -> `RIODEJANEIRO`.
    """
    tables = tables or default_tables()
    upper = " ".join(name.upper().split())
    bare = _POST_WORDS.sub("", upper)
    for candidate in (squeeze(upper), squeeze(bare)):
        station = _known_station(candidate, tables)
        if station:
            return station
    words = bare.split()
    # `USUN NEW YORK`, `SECSTATE WASHDC`, `RPO DUBAI`: try leading and trailing word runs.
    for size in range(len(words) - 1, 0, -1):
        for part in (words[:size], words[-size:]):
            station = _known_station(squeeze(" ".join(part)), tables)
            if station:
                return station
    squeezed = squeeze(bare)
    return squeezed or None


def _known_station(candidate: str, tables: Tables) -> str | None:
    return tables.resolve_station(candidate)


def canonical_id(reference_id: str, tables: Tables | None = None) -> str:
    """The canonical form of a (possibly mangled) reference ID.

    `09SECTION01OF03SANJOSE525` -> `09SANJOSE525`, `07SANJSE12` -> `07SANJOSE12`,
    `05RIO123` -> `05RIODEJANEIRO123`. An ID that cannot be split is returned squeezed.
    """
    return _canonical_id(squeeze(reference_id), tables or default_tables())


@lru_cache(maxsize=65536)
def _canonical_id(value: str, tables: Tables) -> str:
    year, rest = value[:2], value[2:]
    if not year.isdigit():
        return value
    rest = rest.lstrip("0123456789") if _SECTION_JUNK.match(rest) is None else rest
    rest = _SECTION_JUNK.sub("", rest)
    for junk in _PREFIX_JUNK:
        if rest.startswith(junk) and len(rest) > len(junk) + 1:
            rest = rest[len(junk) :]
    match = _ID_PARTS.match(year + rest)
    if match is None:
        return value
    station = resolve_station(match.group(2), tables) or match.group(2)
    return f"{year}{station}{int(match.group(3))}"


def resolve_station(word: str, tables: Tables | None = None) -> str | None:
    """The known station a squeezed word names: exact, alias, or a near spelling."""
    tables = tables or default_tables()
    return _resolve_station(word, tables)


@lru_cache(maxsize=16384)
def _resolve_station(word: str, tables: Tables) -> str | None:
    known = _known_station(word, tables)
    if known:
        return known
    fixed = word.replace("0", "O")
    known = _known_station(fixed, tables)
    if known:
        return known
    return _near_station(fixed, tables)


def _near_station(word: str, tables: Tables) -> str | None:
    """A station one edit away (two for long names), or one `word` is a clear prefix of.

    Only a unique best match counts, so that a typo never lands on the wrong post.
    Candidates come from an index of the stations' deletion variants, so a word
    is compared with a handful of stations, not all of them.
    """
    if len(word) < 4:
        return None
    budget = 1 if len(word) < 9 else 2
    index = _deletion_index(tables)
    candidates = {s for variant in _deletions(word, budget) for s in index.get(variant, ())}
    best: list[str] = []
    best_distance = budget + 1
    for station in sorted(candidates):
        distance = _edit_distance(word, station, best_distance)
        if distance < best_distance:
            best, best_distance = [station], distance
        elif distance == best_distance:
            best.append(station)
    if len(best) == 1:
        return best[0]
    if len(word) >= 6:
        return _by_prefix(word, tables)
    return None


def _by_prefix(word: str, tables: Tables) -> str | None:
    """`KUALALUMP` -> KUALALUMPUR, `MADRIDSP` -> MADRID: a unique clear prefix relation."""
    longer = [s for s in tables.known_stations if s.startswith(word) and len(s) > len(word)]
    if len(longer) == 1:
        return longer[0]
    trimmed = [s for s in tables.known_stations if word.startswith(s) and len(word) - len(s) <= 2]
    return trimmed[0] if len(trimmed) == 1 else None


def _deletions(word: str, depth: int) -> set[str]:
    """`word` and every string made from it by deleting up to `depth` letters."""
    found = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))}
        found |= frontier
    return found


@lru_cache(maxsize=4)
def _deletion_index(tables: Tables) -> dict[str, tuple[str, ...]]:
    """Each deletion variant of each known station, mapped to the stations it comes from."""
    index: dict[str, list[str]] = {}
    for station in tables.known_stations:
        for variant in _deletions(station, 2 if len(station) >= 8 else 1):
            index.setdefault(variant, []).append(station)
    return {variant: tuple(stations) for variant, stations in index.items()}


def _edit_distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein distance (adjacent swaps count once), cut off past `limit`."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, 1):
            cost = 0 if char_a == char_b else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                value = min(value, previous2[j - 2] + 1)
            current[j] = value
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]
