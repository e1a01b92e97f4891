"""A cable's body as readable HTML: wrapped lines joined, lists kept, and in the text
what `marks.find_marks` finds marked up: `Ref A` / `reftel` linked to the cited cable,
`para 5` to its paragraph, reference IDs to their pages, redactions shown as such, and
jargon explained on hover (`<abbr>`).

Every piece of content is escaped here (markupsafe), and only our own tags are added:
the templates print the result as it is, never content marked safe.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from site_builder.render.marks import Linker, find_marks

# A line that starts an item of its own rather than continuing the previous line.
_ITEM_START = re.compile(
    r"^\s*(?:--?|\*|o\s|\u2013|\u2022|[A-Z][.)]\s|\(?[a-z0-9]{1,2}\)\s|\d{1,2}\)\s)"
)

_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_BULLET = re.compile(r"^\s*(?:--?|\*|o\s|\u2013|\u2022)\s*")


def render_text(text: str, linker: Linker) -> Markup:
    """One block's text as HTML paragraphs and list items (jargon explained afresh)."""
    linker.explained.clear()
    pieces: list[str] = []
    for chunk in _chunks(text):
        items = _items(chunk)
        if len(items) > 1 and all(_ITEM_START.match(i) for i in items[1:]):
            lead, rest = (items[0], items[1:]) if not _ITEM_START.match(items[0]) else ("", items)
            if lead:
                pieces.append(f"<p>{inline(lead, linker)}</p>")
            listed = "".join(f"<li>{inline(_unbullet(i), linker)}</li>" for i in rest)
            pieces.append(f"<ul>{listed}</ul>")
        else:
            pieces.append(f"<p>{inline(' '.join(items), linker)}</p>")
    return Markup("".join(pieces))


def _chunks(text: str) -> list[str]:
    """Text split at blank lines."""
    return [c for c in _BLANK_LINE.split(text) if c.strip()]


def _items(chunk: str) -> list[str]:
    """Wrapped lines joined; a line that starts a list item starts a new item."""
    items: list[str] = []
    for line in chunk.split("\n"):
        line = line.strip()
        if not line:
            continue
        if items and not _ITEM_START.match(line):
            joiner = "" if items[-1].endswith("-") and not items[-1].endswith(" -") else " "
            items[-1] += joiner + line
        else:
            items.append(line)
    return items


def _unbullet(item: str) -> str:
    return _BULLET.sub("", item)


def inline(text: str, linker: Linker) -> Markup:
    """Escape `text` and splice in our markup where `find_marks` found something."""
    out: list[str] = []
    position = 0
    for mark in find_marks(text, linker):
        out.append(str(escape(text[position : mark.start])))
        out.append(mark.html)
        position = mark.end
    out.append(str(escape(text[position:])))
    return Markup("".join(out))
