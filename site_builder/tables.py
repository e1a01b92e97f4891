"""The reference tables: TAGS codes, countries, posts, station spellings, jargon.

A cable names things in codes (`PGOV`, `SF`, `USEUBRUSSELS`, `Poloff`); the site must
say what they mean. The tables ship with the package as five small CSV files in
`site_builder/data/`, and a site may override or extend any of them with a file of the
same name in its `content/data/`: an archive maintainer can fix a meaning or add a post
without touching the package. Overrides are untrusted input, so a bad row becomes one
warning (`content/data/tags.csv:7: warning: ...`) and is skipped; the rest still loads.

Loading runs once per process, so it stays simple: the csv module, a few regular
expressions, no third-party code.
"""

from __future__ import annotations

import csv
import functools
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from types import MappingProxyType

from site_builder.model import Problem, Severity

TABLE_NAMES = ("tags", "countries", "posts", "stations", "glossary")

# The header each table must start with; its length is the row length.
_HEADERS: dict[str, tuple[str, ...]] = {
    "tags": ("code", "kind", "name"),
    "countries": ("code", "name"),
    "posts": ("station", "name", "kind", "country"),
    "stations": ("alias", "station"),
    "glossary": ("term", "meaning", "case"),
}

TAG_KINDS = frozenset({"country", "subject", "program", "organisation", "person"})
POST_KINDS = frozenset({"embassy", "consulate", "mission", "office", "department"})
GLOSSARY_CASES = {"exact": True, "any": False}

# A TAGS code: upper case; person tags carry spaces and punctuation (`STEINBERG, JAMES B.`).
_TAG_CODE = re.compile(r"[A-Z0-9][A-Z0-9 ,.'()/&-]*")
# Two-letter country codes; three letters only for a written-out name seen in TAGS (`UAE`).
_COUNTRY_CODE = re.compile(r"[A-Z]{2,3}")
# Stations as they appear in reference IDs (`09PORTAUPRINCE123`): letters, then letters/digits.
_STATION = re.compile(r"[A-Z][A-Z0-9]*")
# Aliases may start with a digit: REF lines hold OCR typos such as `0TTAWA`.
_ALIAS = re.compile(r"[A-Z0-9]+")
_NOT_ALNUM = re.compile(r"[^A-Z0-9]")
_SPACES = re.compile(r"\s+")
_SLUG_GAPS = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """Lowercase ASCII words joined by hyphens (`Cote d'Ivoire` -> `cote-d-ivoire`).

    Slugs become URLs (`/country/<slug>/`), so they must be stable, ASCII and safe.
    """
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _SLUG_GAPS.sub("-", text.lower()).strip("-")


@dataclass(frozen=True, slots=True)
class TagInfo:
    """One TAGS code with its kind (country, subject, program, organisation, person)."""

    code: str
    kind: str
    name: str


@dataclass(frozen=True, slots=True)
class Country:
    """A country (or territory, or region) by its TAGS code; `slug` names its page."""

    code: str
    name: str
    slug: str


@dataclass(frozen=True, slots=True)
class Post:
    """A station that sends cables: an embassy, consulate, mission, office or department.

    `country` is the host country's TAGS code, None for missions to organisations and
    for Washington departments; `slug` names the post's page and comes from `name`, so
    two stations of one post (`KIEV`, `KYIV`) share a page.
    """

    station: str
    name: str
    kind: str
    country: str | None
    slug: str


@dataclass(frozen=True, slots=True)
class GlossaryEntry:
    """A jargon term and its meaning; exact terms (`FM`, `PM`) match only as written."""

    term: str
    meaning: str
    case_sensitive: bool
    folded: str = field(init=False)  # the term in lower case, as pages look it up

    def __post_init__(self) -> None:
        object.__setattr__(self, "folded", self.term.lower())


@dataclass(frozen=True, eq=False)
class Tables:
    """All reference tables, read-only, keyed for the lookups the stages make.

    Compared and hashed by identity (`eq=False`): the mappings are not hashable, and
    callers cache lookups per tables object (`lru_cache` keyed on the tables).
    """

    tags: Mapping[str, TagInfo]
    countries: Mapping[str, Country]
    posts: Mapping[str, Post]
    station_aliases: Mapping[str, str]
    glossary: tuple[GlossaryEntry, ...]
    known_stations: frozenset[str]

    def tag_info(self, code: str) -> TagInfo:
        """The row for `code`, else a guess from its shape so every tag can be shown.

        Cables carry codes no table lists (typos, private codes); the page still needs
        a kind to file them under. The guess: two letters are a country, four letters
        starting with K a program, a comma or space a person, anything else a subject.
        The name of a guessed tag is "" (unknown), never invented.
        """
        info = self.tags.get(code)
        if info is not None:
            return info
        normal = _SPACES.sub(" ", code.strip().upper())
        info = self.tags.get(normal)
        if info is not None:
            return info
        if len(normal) == 2 and normal.isalpha():
            kind = "country"
        elif len(normal) == 4 and normal.startswith("K") and normal.isalpha():
            kind = "program"
        elif "," in normal or " " in normal:
            kind = "person"
        else:
            kind = "subject"
        return TagInfo(normal, kind, "")

    def resolve_station(self, station: str) -> str | None:
        """The canonical station for a station or alias (`SECSTATE` -> `STATE`), or None.

        Accepts the spaced forms of FM lines and banners (`RIO DE JAN`) by dropping
        everything but letters and digits first.
        """
        word = _NOT_ALNUM.sub("", station.upper())
        if word in self.known_stations:
            return word
        return self.station_aliases.get(word)

    def country_for_station(self, station: str) -> str | None:
        """The host country's TAGS code of the post behind `station` (alias or not).

        None when the station is unknown or is a mission to an organisation or a
        Washington department: those belong to no country.
        """
        canonical = self.resolve_station(station)
        post = self.posts.get(canonical) if canonical else None
        return post.country if post else None


# --- reading ---------------------------------------------------------------------------

_Row = tuple[int, list[str]]  # (line number, fields)


class _UnreadableCsv(Exception):
    """The csv module gave up at `line` (a field over its size limit, for one)."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(reason)
        self.line = line


def _rows(text: str) -> Iterator[_Row]:
    """Yield (first line of the record, stripped fields) for each CSV record.

    Blank lines and lines starting with `#` are skipped, so that a site's override
    file can carry notes on why a row was changed.
    """
    reader = csv.reader(text.splitlines(keepends=True))
    line = 1
    try:
        for fields in reader:
            start, line = line, reader.line_num + 1
            stripped = [field.strip() for field in fields]
            if any(stripped) and not stripped[0].startswith("#"):
                yield start, stripped
    except csv.Error as error:
        raise _UnreadableCsv(line, str(error)) from error


class _Loader:
    """Reads each table's rows into dicts, collecting one Problem per bad row."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.tags: dict[str, TagInfo] = {}
        self.countries: dict[str, Country] = {}
        self.posts: dict[str, Post] = {}
        self.aliases: dict[str, str] = {}
        self.glossary: dict[str, GlossaryEntry] = {}

    def warn(self, path: str, line: int, message: str) -> None:
        self.problems.append(Problem(path, line, Severity.WARNING, message))

    def load(self, name: str, text: str, path: str) -> None:
        """Read one table's text; rows replace earlier rows with the same key."""
        try:
            self._load(name, _rows(text.removeprefix("\ufeff")), path)
        except _UnreadableCsv as error:
            self.warn(path, error.line, f"unreadable CSV ({error}); rest of file skipped")

    def _load(self, name: str, rows: Iterator[_Row], path: str) -> None:
        header = _HEADERS[name]
        first = next(rows, None)
        if first is None:
            return
        line, fields = first
        if tuple(field.lower() for field in fields) != header:
            expected = ",".join(header)
            self.warn(path, line, f"{name} table needs the header `{expected}`; file skipped")
            return
        store: Callable[[list[str]], str | None] = getattr(self, f"_{name}")
        for line, fields in rows:
            if len(fields) != len(header):
                self.warn(
                    path,
                    line,
                    f"{name} row has {len(fields)} fields, expected {len(header)}"
                    f" ({','.join(header)}); row skipped",
                )
                continue
            error = store(fields)
            if error:
                self.warn(path, line, f"{error}; row skipped")

    # Each `_<table>` stores one row and returns None, or says what is wrong with it.

    def _tags(self, fields: list[str]) -> str | None:
        code, kind, name = fields
        code = _SPACES.sub(" ", code)
        if not _TAG_CODE.fullmatch(code):
            return f"bad tag code {code!r} (upper-case letters and digits)"
        if kind not in TAG_KINDS:
            return f"unknown tag kind {kind!r} (one of {', '.join(sorted(TAG_KINDS))})"
        if not name:
            return f"tag {code} has no name"
        self.tags[code] = TagInfo(code, kind, name)
        return None

    def _countries(self, fields: list[str]) -> str | None:
        code, name = fields
        if not _COUNTRY_CODE.fullmatch(code):
            return f"bad country code {code!r} (two upper-case letters)"
        slug = slugify(name)
        if not slug:
            return f"country {code} needs a name with letters or digits"
        self.countries[code] = Country(code, name, slug)
        return None

    def _posts(self, fields: list[str]) -> str | None:
        station, name, kind, country = fields
        if not _STATION.fullmatch(station):
            return f"bad station {station!r} (upper-case letters and digits)"
        slug = slugify(name)
        if not slug:
            return f"post {station} needs a name with letters or digits"
        if kind not in POST_KINDS:
            return f"unknown post kind {kind!r} (one of {', '.join(sorted(POST_KINDS))})"
        if country and country not in self.countries:
            return f"unknown country code {country!r} for post {station}"
        self.posts[station] = Post(station, name, kind, country or None, slug)
        return None

    def _stations(self, fields: list[str]) -> str | None:
        alias, station = fields
        if not _ALIAS.fullmatch(alias):
            return f"bad alias {alias!r} (upper-case letters and digits)"
        if alias in self.posts:
            return f"alias {alias} is itself a station"
        if station not in self.posts:
            return f"alias {alias} points at unknown station {station!r}"
        self.aliases[alias] = station
        return None

    def _glossary(self, fields: list[str]) -> str | None:
        term, meaning, case = fields
        if not term or not meaning:
            return "glossary row needs a term and a meaning"
        if case not in GLOSSARY_CASES:
            return f"unknown glossary case {case!r} (exact or any)"
        self.glossary[term] = GlossaryEntry(term, meaning, GLOSSARY_CASES[case])
        return None

    def tables(self) -> Tables:
        # An alias that a site's posts.csv turned into a station no longer applies.
        aliases = {a: s for a, s in self.aliases.items() if a not in self.posts}
        return Tables(
            tags=MappingProxyType(dict(sorted(self.tags.items()))),
            countries=MappingProxyType(dict(sorted(self.countries.items()))),
            posts=MappingProxyType(dict(sorted(self.posts.items()))),
            station_aliases=MappingProxyType(dict(sorted(aliases.items()))),
            glossary=tuple(entry for _, entry in sorted(self.glossary.items())),
            known_stations=frozenset(self.posts) | frozenset(aliases.values()),
        )


# Where the shipped tables live (the dev server watches them too).
SHIPPED_DATA = Path(__file__).resolve().parent / "data"


def _shipped(name: str) -> str:
    return (resources.files("site_builder") / "data" / f"{name}.csv").read_text(encoding="utf-8")


def load_tables(data_dir: Path | None = None) -> tuple[Tables, list[Problem]]:
    """The shipped tables, overridden and extended by `data_dir`'s CSV files if given.

    `data_dir` is a site's `content/data/`; a file there replaces rows of the shipped
    table with the same key (code, station, alias, term) and adds new ones. Countries
    load before posts and posts before stations, so a site can add a country, a post
    in it and an alias for it at once. Problems name the file as given and the line.
    """
    loader = _Loader()
    for name in ("countries", "tags", "posts", "stations", "glossary"):
        loader.load(name, _shipped(name), f"site_builder/data/{name}.csv")
        if data_dir is None:
            continue
        path = data_dir / f"{name}.csv"
        if not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            loader.warn(str(path), 1, f"cannot read {name} table: {error}; file skipped")
            continue
        loader.load(name, text, str(path))
    return loader.tables(), loader.problems


@functools.cache
def default_tables() -> Tables:
    """The shipped tables alone, read once per process (they cannot change under it)."""
    tables, _problems = load_tables()
    return tables
