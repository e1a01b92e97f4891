"""`_redirects`: the original WikiLeaks site's addresses that are not ours, sent to ours.

The original cable pages are at our paths already (`/cable/YYYY/MM/<ID>.html`): they need
no rule. Its other forms do, in Netlify's `_redirects` format (which other hosts read
too), one rule a line, `from to [status][!]`:

- `/tag/<CODE>_0.html`: `/tag/<CODE>/` (one rule per tag); any other `/tag/...`, such as
  the old deeper pages (whose order and length were not ours), the list of tags;
- `/date/YYYY-MM_0.html`: `/date/YYYY/MM/` (one rule per month);
  `/reldate/YYYY-MM-DD_<n>.html` (release dates) and any other `/date/...`: the home
  page's list of years;
- `/cable/<ID>.html` (no year and month), and `/cable/YYYY/MM/<ID>.html` where we have no
  page (a cable dated only by its ID is at `/cable/YYYY/00/`): the search page with the
  file name as the query, which opens the cable (`static/search.js`);
- `/origin/<number>_<n>.html`: the list of posts (the old numbers are in no table of ours);
- `/classification/<number>_<n>.html`: the home page (no overview of classifications).

Netlify reads a `:name` segment as any one whole segment and a final `*` as the rest of
the path, so the old file names (`PGOV_0.html`) cannot be taken apart by a pattern: tags
and months get a rule each for their first page, the one the old pages linked to (the
lists the site has, so every rule leads to a page that exists), everything else one
pattern each. The file grows with the number of tags and months, never with the number
of cables (tests/test_redirects.py measures it).

The reader and matcher (`read_rules`, `resolve`) follow Netlify's rules, for the preview
server and the tests: rules apply top down and the first that matches wins; a rule does
not apply to a path where a file exists unless it is forced (`301!`); a trailing slash
does not matter; `:name` and `:splat` in the target take the values matched.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from site_builder import urls
from site_builder.model import Problem, Severity
from site_builder.pages.job import PageJob

FILE = "_redirects"
DEFAULT_STATUS = 301
_STATUS = re.compile(r"(\d{3})(!?)")
_PLACEHOLDER = re.compile(r":([A-Za-z_]\w*)")


@dataclass(frozen=True, slots=True)
class Rule:
    """One line of `_redirects`: where from, where to, with which status, forced or not."""

    path: str  # "/tag/PGOV_0.html", "/origin/:file", "/news/*"
    target: str  # "/tag/PGOV/", "/search/?q=:file", "https://example.org/:splat"
    status: int = DEFAULT_STATUS
    force: bool = False

    def line(self) -> str:
        return f"{self.path} {self.target} {self.status}{'!' if self.force else ''}"


def old_site_rules(pages: Iterable[PageJob], search: bool) -> list[Rule]:
    """The rules for the original site's addresses, as site paths (the base path not yet
    added): one per tag and month list, then the patterns. Without a
    search page, an old cable address leads home."""
    rules = [
        Rule(old, urls.path_of(job.file))
        for job in pages
        if job.kind == "list" and (old := _old_list_page(job.key)) is not None
    ]
    cable_target = f"{urls.SEARCH}?q=:file" if search else urls.HOME
    rules += [
        Rule("/cable/:file", cable_target),
        Rule("/cable/:year/:month/:file", cable_target),
        Rule("/tag/:file", urls.TAGS),
        Rule("/date/:file", urls.HOME + "#by-year"),
        Rule("/reldate/:file", urls.HOME + "#by-year"),
        Rule("/origin/:file", urls.COUNTRIES + "#posts"),
        Rule("/classification/:file", urls.HOME),
    ]
    return rules


def _old_list_page(key: tuple[object, ...]) -> str | None:
    """The original site's address of the first page of a list (`("tag", "PGOV", 1)` ->
    `/tag/PGOV_0.html`), for the lists it had under a name we can write."""
    family, name, page = key
    if page != 1:
        return None
    if family == "tag" and isinstance(name, str) and urls.tag(name) == f"/tag/{name}/":
        return f"/tag/{name}_0.html"
    if family == "month" and isinstance(name, tuple):
        year, month = name
        return f"/date/{year:04d}-{month:02d}_0.html"
    return None


def under(base_path: str, rules: Iterable[Rule]) -> list[Rule]:
    """The rules of a site served below a path (`/archive`): both ends moved under it."""
    prefix = base_path.rstrip("/")
    return [Rule(prefix + r.path, _prefixed(prefix, r.target), r.status, r.force) for r in rules]


def _prefixed(prefix: str, target: str) -> str:
    return prefix + target if target.startswith("/") else target


def write_rules(rules: Iterable[Rule]) -> str:
    """The text of a `_redirects` file."""
    return "".join(rule.line() + "\n" for rule in rules)


def read_rules(text: str, problems: list[Problem] | None = None, source: str = FILE) -> list[Rule]:
    """The rules of a `_redirects` file, in order. A line that is not a rule this reader
    can apply (no target; query or condition matching, which only the host can do) is
    left out, and reported in `problems` when given."""
    rules = []
    for number, line in enumerate(text.splitlines(), 1):
        words = _words(line)
        if not words:
            continue
        rule, why = _rule(words)
        if rule is not None:
            rules.append(rule)
        elif problems is not None:
            problems.append(Problem(source, number, Severity.WARNING, f"{why}: rule left out"))
    return rules


def _words(line: str) -> list[str]:
    """A line's words, without its comment (a word that starts with `#`, and the rest)."""
    words = line.split()
    for at, word in enumerate(words):
        if word.startswith("#"):
            return words[:at]
    return words


def _rule(words: list[str]) -> tuple[Rule | None, str]:
    path, rest = words[0], words[1:]
    if not path.startswith("/"):
        return None, f"{path!r} is not a path"
    if not rest or not _is_target(rest[0]):
        return None, "no target, or query parameters to match (only the host can)"
    target, options = rest[0], rest[1:]
    status = _STATUS.fullmatch(options[0]) if options else None
    if len(options) > 1 or (options and status is None):
        return None, f"{' '.join(options)!r}: conditions only the host can check"
    if status is None:
        return Rule(path, target), ""
    return Rule(path, target, int(status.group(1)), status.group(2) == "!"), ""


def _is_target(word: str) -> bool:
    return word.startswith(("/", "http://", "https://"))


def resolve(rules: list[Rule], path: str, exists: Callable[[str], bool]) -> tuple[str, int] | None:
    """Where the host sends a request for `path` (its query left off), and with which
    status; None when no rule applies (the file is served, or the 404 page).

    `exists(path)` says whether the site has a file at the path (a folder's
    `index.html` counts): an unforced rule gives way to it.
    """
    for rule in rules:
        values = _match(rule.path, path)
        if values is None or (not rule.force and exists(path)):
            continue
        return _fill(rule.target, values), rule.status
    return None


def _segments(path: str) -> list[str]:
    """A path's segments; a trailing slash does not count."""
    return path.strip("/").split("/") if path.strip("/") else []


def _match(pattern: str, path: str) -> dict[str, str] | None:
    """The values of a rule's placeholders (and `splat`) for a path it matches, else None."""
    wanted, given = _segments(pattern), _segments(path)
    values: dict[str, str] = {}
    if wanted and wanted[-1] == "*":
        wanted = wanted[:-1]
        if len(given) < len(wanted):
            return None
        values["splat"] = "/".join(given[len(wanted) :])
        given = given[: len(wanted)]
    if len(wanted) != len(given):
        return None
    for expected, actual in zip(wanted, given, strict=True):
        if expected.startswith(":"):
            values[expected[1:]] = actual
        elif expected != actual:
            return None
    return values


def _fill(target: str, values: dict[str, str]) -> str:
    """The target with `:name` replaced by the value matched (unknown names stay)."""
    return _PLACEHOLDER.sub(lambda found: values.get(found.group(1), found.group(0)), target)
