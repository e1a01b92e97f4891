"""The typed record of a cable: frozen dataclasses with no I/O.

Every part keeps the lines of the source it was read from (`Span`), so that a
problem can always be reported as `path:line`, and a page can point back into
the original telegram.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple

from site_builder.records import compact


class Span(NamedTuple):
    """Lines `start` to `end` of the source, 1-based and inclusive.

    A named tuple rather than a dataclass: a cable has dozens, and a tuple is the
    cheapest immutable value to make.
    """

    start: int
    end: int


class Severity(StrEnum):
    WARNING = "warning"
    ERROR = "error"


# The span of something that was not read from the text (a default, an import's value).
NO_SPAN = Span(0, 0)


@compact()
@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the content, printed as `path:line: severity: message`."""

    path: str
    line: int
    severity: Severity
    message: str

    def __str__(self) -> str:
        where = f"{printable(self.path)}:{self.line}"
        return f"{where}: {self.severity.value}: {printable(self.message)}"


def printable(text: str) -> str:
    """`text` safe to print as part of one line: every character a terminal would not show
    as itself (a newline or an escape sequence in a file name, a direction override, a byte
    of a name that is not UTF-8) written as its backslash escape."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in text)


@dataclass(frozen=True, slots=True)
class Recipient:
    """An addressee on a TO or INFO line (`RUEHC/SECSTATE WASHDC PRIORITY 9307`)."""

    name: str
    route: str | None = None
    precedence: str | None = None
    mcn: str | None = None
    excluded: tuple[str, ...] = ()
    span: Span = NO_SPAN


@dataclass(frozen=True, slots=True)
class Reference:
    """An item of the REF block: a cable (`id` set) or another kind of document."""

    id: str | None
    letter: str | None
    kind: str
    text: str
    span: Span = NO_SPAN


class BlockKind(StrEnum):
    PARAGRAPH = "paragraph"  # numbered: `3. (C) ...`
    HEADING = "heading"  # a section heading (dashed underline, or a short title line)
    TEXT = "text"  # unnumbered text between paragraphs


@dataclass(frozen=True, slots=True)
class Block:
    """A piece of the body: its original lines (banners removed) and where they stood."""

    kind: BlockKind
    text: str
    span: Span
    number: str | None = None  # as written: "3", or "0200" (the anchor is `#par<number>`)
    marking: str | None = None


@compact("slug", "paragraph")
@dataclass(frozen=True, slots=True)
class Mention:
    """A curated person named in a cable: in which paragraph (None: unnumbered text), and
    the sentence that names them."""

    slug: str
    paragraph: str | None
    sentence: str


@dataclass(frozen=True, slots=True)
class Cable:
    """Everything read from one cable's text. Fields absent from the text are None or empty."""

    source: str
    reference_id: str | None
    canonical_id: str | None
    transmission_id: str | None = None
    date: dt.datetime | None = None
    precedence: str | None = None
    origin: str | None = None
    station: str | None = None
    country: str | None = None
    post: str | None = None  # the sending post's display name: "Embassy Guatemala"
    post_station: str | None = None  # its station: "USEUBRUSSELS" for an ID "09BRUSSELS1"
    classification: str | None = None
    caveats: tuple[str, ...] = ()
    handling: tuple[str, ...] = ()  # instructions under the banner: "DEPT FOR G/TIP"
    tags: tuple[str, ...] = ()
    subject: str | None = None
    subject_marking: str | None = None  # the subject's own marking, e.g. "C/NF"
    references: tuple[Reference, ...] = ()
    recipients: tuple[Recipient, ...] = ()
    info_recipients: tuple[Recipient, ...] = ()
    classified_by: tuple[str, ...] = ()
    declassify_on: dt.date | None = None
    summary: str | None = None
    body: tuple[Block, ...] = ()
    signers: tuple[str, ...] = ()
    partial: bool = False
    problems: tuple[Problem, ...] = ()
    spans: dict[str, Span] = field(default_factory=dict, compare=False)
    # The telegram as stored: link residue and front matter gone, nothing else changed.
    original: str = field(default="", compare=False, repr=False)

    def first_line(self, name: str) -> int:
        """The line a field was read from; 1 for a field the text did not give."""
        span = self.spans.get(name, NO_SPAN)
        return span.start or 1

    @property
    def body_text(self) -> str:
        """The body's blocks one after another: what its people and jargon are found in."""
        return "\n".join(block.text for block in self.body)

    @property
    def paragraphs(self) -> tuple[Block, ...]:
        """The numbered paragraphs, in order."""
        return tuple(b for b in self.body if b.kind is BlockKind.PARAGRAPH)

    @property
    def cable_references(self) -> tuple[Reference, ...]:
        """The references that name a cable (those that can become links)."""
        return tuple(r for r in self.references if r.id is not None)
