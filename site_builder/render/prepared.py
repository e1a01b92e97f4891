"""A cable page's own part, worked out once, when its file is parsed.

Most of a cable page comes from its own file: the body as HTML (lists, jargon explained,
people linked, redactions shown), the handling lines, a few header fields and the text
as sent. Only a few links depend on the rest of the archive: a reference ID or `Ref A`
in the body links to a cable only if the archive holds it. So the parse stage prepares
the page's own part with those links left as markers (`prepare`), the record is kept on
disk (stages/prepared_store.py), and rendering fills the markers in from the catalog
(`fill_links`): the file is read and parsed once per build, not twice.

A marker is an `<a>` whose `href` is NUL, a kind (`i` an ID, `r` a reference letter,
`s` the only reference) and its value, then NUL. Content never holds a NUL (the source
cleaner blanks control characters), so no text can forge one.
"""

from __future__ import annotations

import datetime as dt
import marshal
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from markupsafe import Markup

from site_builder import urls
from site_builder.editorial.mentions import MentionIndex
from site_builder.ids import is_safe_id
from site_builder.model import BlockKind, Cable
from site_builder.render.body import inline, render_text
from site_builder.render.marks import Linker, terms_in
from site_builder.tables import Tables

# Bumped whenever the record's layout changes: an older record is not read.
_FORMAT = 1
_MARKER = re.compile('<a href="\x00([irs])([^\x00]*)\x00">([^<]*)</a>')


@dataclass(frozen=True)
class BlockView:
    kind: str  # paragraph, heading, text
    number: str | None
    marking: str | None
    html: Markup
    first_line: int
    anchor: str | None  # `par3`; None for a number the cable repeats (the first has it)
    in_summary: bool = False  # within the summary: it weighs more in search


@dataclass(frozen=True)
class PreparedCable:
    """What a cable page shows of its own file; `digest` names the file's bytes, so a
    record is only ever used for the file it was made from."""

    digest: str
    blocks: tuple[BlockView, ...]
    handling: tuple[Markup, ...]  # instructions under the banner, jargon explained
    origin: str | None
    caveats: tuple[str, ...]
    precedence: str | None
    declassify_on: dt.date | None
    recipients: tuple[str, ...]
    info_recipients: tuple[str, ...]
    original: str  # the telegram as stored

    def to_record(self) -> bytes:
        """The bytes kept on disk (marshal: plain tuples and strings load fast)."""
        blocks = tuple(
            (b.kind, b.number, b.marking, str(b.html), b.first_line, b.anchor, b.in_summary)
            for b in self.blocks
        )
        declassify = self.declassify_on.toordinal() if self.declassify_on else None
        return marshal.dumps(
            (
                _FORMAT,
                self.digest,
                blocks,
                tuple(str(line) for line in self.handling),
                self.origin,
                self.caveats,
                self.precedence,
                declassify,
                self.recipients,
                self.info_recipients,
                self.original,
            )
        )

    @classmethod
    def from_record(cls, data: bytes, digest: str) -> PreparedCable | None:
        """The record read back; None when it is not one of this format for `digest`."""
        try:
            fields = marshal.loads(data)
        except (EOFError, ValueError, TypeError):
            return None
        if not isinstance(fields, tuple) or len(fields) != 11:
            return None
        if fields[0] != _FORMAT or fields[1] != digest:
            return None
        _, _, blocks, handling, origin, caveats, precedence, declassify, to, info, original = fields
        return cls(
            digest,
            tuple(
                BlockView(kind, number, marking, Markup(html), line, anchor, summary)
                for kind, number, marking, html, line, anchor, summary in blocks
            ),
            tuple(Markup(line) for line in handling),
            origin,
            caveats,
            precedence,
            dt.date.fromordinal(declassify) if declassify is not None else None,
            to,
            info,
            original,
        )


def prepare(
    cable: Cable,
    digest: str,
    tables: Tables,
    people: MentionIndex,
    url: Callable[[str], str],
    words: frozenset[str] | None = None,
) -> PreparedCable:
    """The page's own part of `cable` (parsed from a file whose digest is `digest`),
    links to other cables left as markers; `people` are those of the curated people its
    body may name (`MentionIndex.present`), `url` puts a site path under the base URL,
    `words` are the body's `words_in`, if already made."""
    return PreparedCable(
        digest,
        _blocks(cable, tables, people, url, words),
        _handling(cable, tables),
        cable.origin,
        cable.caveats,
        cable.precedence,
        cable.declassify_on,
        tuple(r.name for r in cable.recipients),
        tuple(r.name for r in cable.info_recipients),
        cable.original,
    )


def fill_links(
    blocks: tuple[BlockView, ...],
    references: dict[str, str],
    single: str | None,
    resolve_id: Callable[[str], str | None],
) -> list[BlockView]:
    """The blocks with their markers made links (`references`: letter to URL; `single`:
    where `reftel` points), or plain text for an ID the archive does not hold."""

    def link(match: re.Match[str]) -> str:
        kind, value, text = match.groups()
        target = (
            resolve_id(value) if kind == "i" else references.get(value) if kind == "r" else single
        )
        return f'<a href="{Markup.escape(target)}">{text}</a>' if target else text

    return [
        replace(block, html=Markup(_MARKER.sub(link, block.html)))
        if "\x00" in block.html
        else block
        for block in blocks
    ]


def _marker(kind: str, value: str = "") -> str:
    return f"\x00{kind}{value}\x00"


def _handling(cable: Cable, tables: Tables) -> tuple[Markup, ...]:
    """The handling lines (`DEPT FOR G/TIP`), their jargon explained like the body's."""
    if not cable.handling:
        return ()
    terms = terms_in("\n".join(cable.handling), tables)
    linker = Linker({}, None, lambda value: None, frozenset(), terms)
    return tuple(inline(line, linker) for line in cable.handling)


def _blocks(
    cable: Cable,
    tables: Tables,
    people: MentionIndex,
    url: Callable[[str], str],
    words: frozenset[str] | None,
) -> tuple[BlockView, ...]:
    """The body's blocks as HTML; every link they hold carries the base URL (`url`)."""
    letters = {ref.letter: _marker("r", ref.letter) for ref in cable.references if ref.letter}
    linker = Linker(
        references=letters,
        single_reference=_marker("s") if len(cable.references) == 1 else None,
        resolve_id=lambda value: _marker("i", value) if is_safe_id(value) else None,
        paragraphs=frozenset(p.number for p in cable.paragraphs if p.number),
        terms=terms_in(cable.body_text, tables, words),
        people=people,
        person_url=lambda slug: url(urls.person(slug)),
    )
    views: list[BlockView] = []
    anchored: set[str] = set()
    summary = cable.spans.get("summary")
    for block in cable.body:
        html = (
            inline(block.text, linker)
            if block.kind is BlockKind.HEADING
            else render_text(block.text, linker)
        )
        anchor = f"par{block.number}" if block.number else None
        if anchor in anchored:
            anchor = None
        elif anchor:
            anchored.add(anchor)
        in_summary = bool(summary and summary.start <= block.span.start <= summary.end)
        views.append(
            BlockView(
                block.kind.value,
                block.number,
                block.marking,
                html,
                block.span.start,
                anchor,
                in_summary,
            )
        )
    return tuple(views)
