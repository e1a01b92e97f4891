"""Curated people: `content/people/<slug>.md`, with front matter `name`, `aliases` (list),
`role`, `country` (a TAGS country code) and a Markdown body about them.

The files are untrusted: a field of the wrong type, an unknown country, a slug that
cannot be a URL are each one warning naming the file and line, and the rest loads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from site_builder.model import Problem, Severity
from site_builder.source import decode, normalise, split_front_matter
from site_builder.source_names import markdown_files
from site_builder.tables import Tables

_SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,80}")


@dataclass(frozen=True, slots=True)
class CuratedPerson:
    """A person the archive's editors wrote about."""

    slug: str
    name: str
    aliases: tuple[str, ...]
    role: str
    country: str | None
    body: str
    source: str

    @property
    def names(self) -> tuple[str, ...]:
        """The name and every alias, as written."""
        return (self.name, *self.aliases)


def read_people(content: Path, tables: Tables) -> tuple[list[CuratedPerson], list[Problem]]:
    """Every `content/people/*.md`, with the problems met reading them."""
    folder = content / "people"
    people: list[CuratedPerson] = []
    problems: list[Problem] = []
    for path in markdown_files(folder):
        source = f"{content}/people/{path.name}"
        person = _read_person(path, source, tables, problems)
        if person is not None:
            people.append(person)
    return people, problems


def _read_person(
    path: Path, source: str, tables: Tables, problems: list[Problem]
) -> CuratedPerson | None:
    def warn(message: str, line: int = 1) -> None:
        problems.append(Problem(source, line, Severity.WARNING, message))

    if not _SLUG.fullmatch(path.stem):
        warn(f"{path.stem!r} cannot be a page address: name the file in lower case and hyphens")
        return None
    text = normalise(decode(path.read_bytes()).text).text
    front, body = split_front_matter(text)
    if front is None or front.error:
        warn(f"{front.error}: not published" if front else "no front matter: a person needs a name")
        return None
    values = front.values
    name = values.get("name")
    if not isinstance(name, str) or not name.strip():
        warn("front matter has no `name` (a text)")
        return None
    aliases = _aliases(values.get("aliases"), warn)
    country = values.get("country")
    if isinstance(country, bool):  # YAML reads Norway's code, unquoted, as false
        warn("country is yes/no to YAML (NO unquoted is false): write the code in quotes")
        country = None
    elif country is not None and (not isinstance(country, str) or country not in tables.countries):
        warn(f"country {country!r} is not a TAGS country code: left out")
        country = None
    role = values.get("role", "")
    return CuratedPerson(
        slug=path.stem,
        name=" ".join(name.split()),
        aliases=aliases,
        role=" ".join(role.split()) if isinstance(role, str) else "",
        country=country,
        body=body,
        source=source,
    )


def _aliases(value: object, warn: object) -> tuple[str, ...]:
    """The aliases that are usable names: texts of two characters or more (plain text,
    never patterns: `.*` is looked for as a dot and a star)."""
    assert callable(warn)
    if value is None:
        return ()
    if not isinstance(value, list):
        warn("`aliases` is not a list: left out")
        return ()
    usable = []
    for alias in value:
        cleaned = " ".join(alias.split()) if isinstance(alias, str) else ""
        if len(cleaned) < 2:
            warn(f"alias {alias!r} is not a name: left out")
            continue
        usable.append(cleaned)
    return tuple(dict.fromkeys(usable))
