"""netlify.toml's header rules, read and matched as Netlify matches them.

The preview server (`site-builder preview`) sends these headers so that what is tested
locally is what the host sends; the tests read the Content-Security-Policy from here too,
so that there is one copy of it.

Matching, as Netlify does it: a rule's `for` path is cut at its slashes; a `:name`
segment matches one segment, a segment that is `*` alone matches the rest of the path
(slashes included, and nothing at all), a `*` inside a segment matches any characters
(slashes included), and everything else matches itself, letters in any case; a
trailing slash is optional. Every rule that matches a path applies, in the file's
order, and a header that several of them set is sent once, with their values joined
by commas (so two `Cache-Control` rules on one path contradict each other: the rules
here are kept disjoint, and the tests check it). A path no rule gives a
`Cache-Control` gets Netlify's default, which makes browsers revalidate.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from site_builder.model import Problem, Severity

# What Netlify sends when no rule sets Cache-Control: cache, but ask again every time
# (a cheap 304 while the deploy is unchanged).
DEFAULT_CACHE_CONTROL = "public, max-age=0, must-revalidate"
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")  # HTTP's token characters
TOML_ERROR_LINE = re.compile(r"\s*\(at line (\d+), column \d+\)$")


@dataclass(frozen=True)
class HeaderRule:
    """One `[[headers]]` table: the paths it covers and the headers it sets."""

    path: str  # the `for` path, as written
    pattern: re.Pattern[str]
    values: tuple[tuple[str, str], ...]

    def matches(self, path: str) -> bool:
        return self.pattern.match(path) is not None


@dataclass(frozen=True)
class HostHeaders:
    """Every header rule of a netlify.toml, in order."""

    rules: tuple[HeaderRule, ...]

    def for_path(self, path: str) -> list[tuple[str, str]]:
        """The headers Netlify sends for a request path (`/tag/PGOV/`), in rule order."""
        combined: dict[str, tuple[str, list[str]]] = {}
        for rule in self.rules:
            if rule.matches(path):
                for name, value in rule.values:
                    combined.setdefault(name.lower(), (name, []))[1].append(value)
        combined.setdefault("cache-control", ("Cache-Control", [DEFAULT_CACHE_CONTROL]))
        return [(name, ", ".join(values)) for name, values in combined.values()]

    def value(self, path: str, name: str) -> str | None:
        """One header's value for a path, or None when nothing sets it."""
        return dict((key.lower(), value) for key, value in self.for_path(path)).get(name.lower())


def for_pattern(for_path: str) -> re.Pattern[str]:
    """The regular expression of a `for` path (see the module's docstring)."""
    segments = [segment.rstrip() for segment in for_path.split("/")]
    body = "/".join(_segment_pattern(segment) for segment in segments if segment)
    return re.compile(f"^/{body}/?$", re.IGNORECASE)


def _segment_pattern(segment: str) -> str:
    if segment.startswith(":"):
        return "([^/]+)"
    if segment == "*":
        return "?(.*)"  # the slash before it is optional: `/static/*` covers `/static`
    return "(.*)".join(re.escape(piece) for piece in segment.split("*"))


def load_headers(path: Path) -> tuple[HostHeaders, list[Problem]]:
    """The header rules of a netlify.toml, and its problems: a file that does not parse
    is an error (Netlify refuses it too); a rule that cannot apply is a warning, and
    is left out."""
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return HostHeaders(()), [Problem(str(path), 1, Severity.ERROR, "not UTF-8 text")]
    try:
        settings = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        at = TOML_ERROR_LINE.search(message)
        line = int(at.group(1)) if at else 1
        problem = Problem(str(path), line, Severity.ERROR, TOML_ERROR_LINE.sub("", message))
        return HostHeaders(()), [problem]
    tables = settings.get("headers", [])
    if not isinstance(tables, list):
        tables = [tables]
    lines = _header_table_lines(text)
    rules: list[HeaderRule] = []
    problems: list[Problem] = []
    for index, table in enumerate(tables):
        line = lines[index] if index < len(lines) else 1
        rule, said = _rule(table)
        problems += [Problem(str(path), line, Severity.WARNING, message) for message in said]
        if rule is not None:
            rules.append(rule)
    return HostHeaders(tuple(rules)), problems


def _header_table_lines(text: str) -> list[int]:
    """The line of each `[[headers]]` table, in order."""
    return [
        number
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip().replace(" ", "") == "[[headers]]"
    ]


def _rule(table: object) -> tuple[HeaderRule | None, list[str]]:
    """One `[[headers]]` table as a rule, or None, with what is wrong with it."""
    if not isinstance(table, dict):
        return None, ["a [[headers]] entry must be a table: left out"]
    for_path = table.get("for")
    if not isinstance(for_path, str) or not for_path.strip().startswith("/"):
        return None, [f'[[headers]] needs `for = "/path"`, not {for_path!r}: left out']
    values = table.get("values")
    if not isinstance(values, dict) or not values:
        return None, [f"[[headers]] for {for_path!r} sets no `values`: left out"]
    problems: list[str] = []
    kept: list[tuple[str, str]] = []
    for name, raw in values.items():
        value = _header_value(raw)
        if value is None or not HEADER_NAME.fullmatch(name.strip()):
            problems.append(f"header {name!r} for {for_path!r}: not a usable header, left out")
        else:
            kept.append((name.strip(), value))
    rule = HeaderRule(for_path.strip(), for_pattern(for_path.strip()), tuple(kept))
    return (rule if kept else None), problems


def _header_value(raw: object) -> str | None:
    """A value as one header line: a multi-line string or a list is joined, as Netlify
    joins it; anything else (a number, a table, control characters) is None."""
    if isinstance(raw, str):
        parts = [" ".join(raw.split())]
    elif isinstance(raw, list) and all(isinstance(item, str) for item in raw):
        parts = [" ".join(item.split()) for item in raw]
    else:
        return None
    value = ", ".join(part for part in parts if part)
    if not value or CONTROL_CHARACTERS.search(value):
        return None
    return re.sub(r"\s*,\s*", ", ", value)
