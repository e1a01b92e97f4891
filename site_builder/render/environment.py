"""The jinja2 environment: autoescape on, undefined names are errors, the site's templates
before the tool's; the filters templates use; and a digest of each template with every
template it includes, extends or imports (a page is rebuilt when one of them changes).
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from functools import lru_cache

import jinja2
import jinja2.bccache
import jinja2.meta
from markupsafe import Markup

from site_builder.render.assets import Assets
from site_builder.site import Site
from site_builder.titles import titlefy

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


class _CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates kept in memory by their source's checksum: the dev server
    makes a new environment for every build, and compiling is most of a small one.
    One per base URL: compiling works out `'/tags/'|url` once and for all (jinja folds
    a filter of a constant), so a template compiled for one base URL is not another's."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.compiled.get(f"{bucket.key}:{bucket.checksum}")
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[f"{bucket.key}:{bucket.checksum}"] = bucket.bytecode_to_string()


_compiled: dict[str, _CompiledTemplates] = {}


def make_environment(site: Site, assets: Assets) -> jinja2.Environment:
    """The environment every page is rendered with."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in site.template_dirs]),
        bytecode_cache=_compiled.setdefault(site.base_url, _CompiledTemplates()),
        auto_reload=False,  # a build makes its own environment: no need to stat per page
        autoescape=jinja2.select_autoescape(["html", "xml"], default=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters.update(
        {
            "long_date": long_date,
            "short_date": short_date,
            "number": number,
            "badge": classification_badge,
            "marking": paragraph_marking,
            "title_case": titlefy,
            # A site path under the base URL. The templates use it as a filter
            # (`entry.url|url`): jinja calls a filter directly, a function through its
            # context, which cost a cable page a tenth of its time; and it works out a
            # constant's (`'/tags/'|url`) as it compiles. `url()` serves sites' own.
            "url": site.url,
        }
    )
    environment.globals.update(
        {"site": site, "url": site.url, "asset": assets.url, "months": MONTHS}
    )
    return environment


def long_date(value: datetime | date | None) -> str:
    """`20 September 2007, 21:39 UTC` (the hour only when there is one)."""
    if value is None:
        return "date unknown"
    text = f"{value.day} {MONTHS[value.month - 1]} {value.year}"
    if isinstance(value, datetime):
        text += f", {value:%H:%M} UTC"
    return text


def short_date(value: datetime | date | None) -> str:
    """`2007-09-20` for lists, or an en dash when the date is unknown. Formatted by
    hand: `strftime` would cost a list page a tenth of its time."""
    if value is None:
        return "\u2013"
    return f"{value.year}-{value.month:02d}-{value.day:02d}"


def number(value: int) -> str:
    """Thousands separated: `251,287`."""
    return f"{value:,}"


def classification_level(marking: str) -> str:
    """The level a classification's badge is coloured by: secret, confidential, unclassified."""
    upper = marking.upper()
    for level in ("SECRET", "CONFIDENTIAL", "LIMITED", "UNCLASSIFIED"):
        if upper.startswith(level):
            return level.lower()
    return "unknown"


@lru_cache(maxsize=1024)
def classification_badge(marking: str) -> Markup:
    """A classification as a coloured badge, escaped; a long marking may break after its
    slashes. A filter, not a macro, and kept: a list shows one a row, an archive has few
    markings, and making one costs as much as the rest of the row."""
    parts = Markup("//<wbr>").join(marking.split("//"))
    return Markup('<span class="badge badge-{}">{}</span>').format(
        classification_level(marking), parts
    )


# Paragraph markings spelled out on hover; others are shown as written.
MARKING_NAMES = {
    "U": "Unclassified",
    "SBU": "Sensitive but unclassified",
    "C": "Confidential",
    "S": "Secret",
    "TS": "Top secret",
    "LOU": "Limited official use",
    "U/FOUO": "Unclassified, for official use only",
    "U//FOUO": "Unclassified, for official use only",
    "C/NF": "Confidential, not releasable to foreign nationals",
    "C//NF": "Confidential, not releasable to foreign nationals",
    "S/NF": "Secret, not releasable to foreign nationals",
    "S//NF": "Secret, not releasable to foreign nationals",
    "S/NOFORN": "Secret, not releasable to foreign nationals",
    "C/NOFORN": "Confidential, not releasable to foreign nationals",
    "SBU/NF": "Sensitive but unclassified, not releasable to foreign nationals",
    "C/REL": "Confidential, releasable to the allies named",
    "S/REL": "Secret, releasable to the allies named",
}


@lru_cache(maxsize=1024)
def paragraph_marking(value: str) -> Markup:
    """A paragraph marking, `(C)` or `(SBU)`, coloured by its level and spelled out on
    hover; escaped. A filter, not a macro, and kept: a cable page shows one a paragraph."""
    upper = value.upper()
    if upper.startswith(("U", "SBU")):
        level = "unclassified"
    elif upper.startswith("L"):
        level = "limited"
    elif upper.startswith("C"):
        level = "confidential"
    elif upper.startswith(("S", "TS")):
        level = "secret"
    else:
        level = "unknown"
    name = MARKING_NAMES.get(upper)
    if name is None:
        return Markup('<span class="marking marking-{}">({})</span>').format(level, value)
    return Markup('<abbr class="marking marking-{}" title="{}">({})</abbr>').format(
        level, name, value
    )


def template_digest(environment: jinja2.Environment, name: str) -> str:
    """A digest of a template and of every template it pulls in, transitively."""
    return _digest(environment, name, frozenset())


def _digest(environment: jinja2.Environment, name: str, seen: frozenset[str]) -> str:
    source, filename = _source(environment, name)
    hasher = hashlib.blake2b(source.encode(), digest_size=12)
    for other in _referenced(environment, source, name, filename):
        if other not in seen:
            hasher.update(_digest(environment, other, seen | {name}).encode())
    return hasher.hexdigest()


# The templates each template source pulls in, by source (parsing is the slow part; a
# long-running server digests the same sources build after build).
_references: dict[tuple[str, str], tuple[str, ...]] = {}


def _referenced(
    environment: jinja2.Environment, source: str, name: str, filename: str | None
) -> tuple[str, ...]:
    key = (name, source)
    if key not in _references:
        found = jinja2.meta.find_referenced_templates(environment.parse(source, name, filename))
        _references[key] = tuple(sorted(r for r in found if r is not None))
    return _references[key]


def _source(environment: jinja2.Environment, name: str) -> tuple[str, str | None]:
    assert environment.loader is not None
    source, filename, _ = environment.loader.get_source(environment, name)
    return source, filename
