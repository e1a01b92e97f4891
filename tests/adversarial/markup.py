"""The markup of a built site, reduced to what content could smuggle in: which elements,
which attributes on which elements, which URL schemes, which scripts.

A build of benign content shows what the templates (and the Markdown renderer) make; a
build of hostile content must make nothing beyond that. Comparing against a benign
build, rather than a list written by hand, keeps the check true as templates change.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

# Attributes whose value a browser follows or loads as a URL.
URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "formaction", "srcset", "poster", "data", "cite", "ping"}
)
# Schemes that run code or carry a document of their own: never in our output.
FORBIDDEN_SCHEMES = frozenset({"javascript", "data", "vbscript"})
_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):")
# A browser skips these when it reads a URL's scheme (`java\tscript:` is `javascript:`).
_SKIPPED_IN_SCHEME = re.compile(r"[\x00-\x20\x7f]")
_CODE_ELEMENTS = frozenset({"script", "style"})


def scheme_of(url: str) -> str:
    """The scheme a browser reads in `url`; '' for a relative URL."""
    match = _SCHEME.match(_SKIPPED_IN_SCHEME.sub("", url).lower())
    return match.group(1) if match else ""


@dataclass(repr=False)
class Vocabulary:
    """Everything markup-shaped that a set of pages holds."""

    elements: set[str] = field(default_factory=set)
    attributes: set[tuple[str, str]] = field(default_factory=set)  # (element, attribute)
    schemes: set[str] = field(default_factory=set)
    scripts: set[str] = field(default_factory=set)  # the `src` of every <script>
    inline_code: list[str] = field(default_factory=list)  # text inside <script>, <style>

    def __repr__(self) -> str:
        """Short: a failing example's report shows the allow-list it was held to."""
        return (
            f"Vocabulary({len(self.elements)} elements, {len(self.attributes)} attributes,"
            f" schemes {sorted(self.schemes)})"
        )

    def beyond(self, allowed: Vocabulary) -> list[str]:
        """What this vocabulary holds that `allowed` does not, plus anything never allowed
        (`on*` handlers, `javascript:` and `data:` URLs, inline code), one line each."""
        found = [f"element <{name}>" for name in sorted(self.elements - allowed.elements)]
        found += [
            f"attribute {name!r} on <{element}>"
            for element, name in sorted(self.attributes - allowed.attributes)
        ]
        found += [f"URL scheme {scheme!r}:" for scheme in sorted(self.schemes - allowed.schemes)]
        found += [f"script {src!r}" for src in sorted(self.scripts - allowed.scripts)]
        found += [f"event handler {n!r} on <{e}>" for e, n in self.attributes if n[:2] == "on"]
        found += [f"{s}: URL" for s in sorted(self.schemes & FORBIDDEN_SCHEMES)]
        found += [f"inline code {code[:60]!r}" for code in self.inline_code if code.strip()]
        return found


class _Reader(HTMLParser):
    """Feeds one page's start tags, attributes and code into a vocabulary."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        super().__init__(convert_charrefs=True)
        self.vocabulary = vocabulary
        self.in_code = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        words = self.vocabulary
        words.elements.add(tag)
        for name, value in attrs:
            words.attributes.add((tag, name))
            if name in URL_ATTRIBUTES and value is not None:
                words.schemes.add(scheme_of(value))
        if tag == "script":
            words.scripts.add(dict(attrs).get("src") or "")
        self.in_code = tag in _CODE_ELEMENTS

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self.in_code = False

    def handle_endtag(self, tag: str) -> None:
        if tag in _CODE_ELEMENTS:
            self.in_code = False

    def handle_data(self, data: str) -> None:
        if self.in_code:
            self.vocabulary.inline_code.append(data)


def read_markup(html: str, into: Vocabulary | None = None) -> Vocabulary:
    """The vocabulary of one page (added to `into`, when given)."""
    vocabulary = into if into is not None else Vocabulary()
    reader = _Reader(vocabulary)
    reader.feed(html)
    reader.close()
    return vocabulary


def site_markup(out: Path) -> Vocabulary:
    """The vocabulary of every HTML page of a built site."""
    vocabulary = Vocabulary()
    for page in sorted(out.rglob("*.html")):
        read_markup(page.read_text(encoding="utf-8"), vocabulary)
    return vocabulary


# What no page should hold: control characters but tab and newline, invisible direction
# and zero-width characters, and the noncharacters XML refuses.
UNSHOWABLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u202a-\u202e\u2060\u2066-\u2069\ufeff\ufffe\uffff]"
)


def unshowable_characters(out: Path) -> list[str]:
    """The pages and files of a built site that hold characters no reader should get."""
    return [
        f"{path.relative_to(out)}: {found.group()!r}"
        for path in sorted([*out.rglob("*.html"), *out.rglob("*.xml")])
        if (found := UNSHOWABLE.search(path.read_text(encoding="utf-8")))
    ]


def unreadable_xml(out: Path) -> list[str]:
    """The site's XML files (feed, sitemaps) that an XML parser refuses, with why."""
    problems = []
    for path in sorted(out.rglob("*.xml")):
        try:
            ElementTree.parse(path)
        except ElementTree.ParseError as error:
            problems.append(f"{path.relative_to(out)}: {error}")
    return problems
