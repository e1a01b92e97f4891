"""Import the WikiLeaks cablegate site's cable pages (`cable/YYYY/MM/<ID>.html`).

A page holds the cable twice over: a metadata table (Reference ID, Created,
Classification, Origin) and the telegram in two `<pre>` blocks (header, body).
The text is kept as the archive's corpus keeps it, link residue included, so
that an imported page and the corpus' text of it are the same bytes: a tag
link becomes `[PGOV](#)`, a paragraph anchor `<a id='par3'>¶</a>3.` becomes
`[1](#)3.` (the mark reads 1 whatever the number), and a reference-letter
anchor `<a id='parB'>¶</a>B.` becomes `[B](#).`. Only the standard library's
`html.parser` reads the page. Classification and origin are not carried over:
the telegram says them itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

from site_builder.importers.writer import CableText, seed_form
from site_builder.model import Problem, Severity
from site_builder.source import decode

_ANCHOR = re.compile(r"par([A-Z0-9]+)")
_CREATED = "%Y-%m-%d %H:%M"


class _CablePage(HTMLParser):
    """Collects the metadata table's cells and the text of the `<pre>` blocks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.headings: list[str] = []
        self.values: list[str] = []
        self.blocks: list[str] = []
        self._in_table = False
        self._cell: list[str] | None = None
        self._pre: list[str] | None = None
        self._link: tuple[str, int] | None = None  # the anchor's id, where its text starts
        self._drop_letter: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._drop_letter = None
        if tag == "table" and ("class", "cable") in attrs:
            self._in_table = True
        elif tag in ("th", "td") and self._in_table:
            self._cell = []
        elif tag == "pre":
            self._pre = []
        elif tag == "a" and self._pre is not None:
            self._link = (dict(attrs).get("id") or "", len(self._pre))

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._in_table = False
        elif tag in ("th", "td") and self._cell is not None:
            (self.headings if tag == "th" else self.values).append("".join(self._cell).strip())
            self._cell = None
        elif tag == "pre" and self._pre is not None:
            self.blocks.append("".join(self._pre))
            self._pre = None
        elif tag == "a" and self._pre is not None and self._link is not None:
            self._close_link(self._pre, *self._link)
            self._link = None

    def _close_link(self, pre: list[str], anchor_id: str, start: int) -> None:
        """Replace a link's text by the archive's residue for it."""
        label = "".join(pre[start:])
        del pre[start:]
        anchor = _ANCHOR.fullmatch(anchor_id)
        if anchor is None:
            pre.append(f"[{label}](#)")
        elif anchor.group(1).isdigit():
            pre.append("[1](#)")
        else:
            # The page wrote the letter again after its anchor (`¶</a>B.`): it is in the mark.
            pre.append(f"[{anchor.group(1)}](#)")
            self._drop_letter = anchor.group(1)

    def handle_data(self, data: str) -> None:
        if self._drop_letter and data.startswith(self._drop_letter):
            data = data[len(self._drop_letter) :]
        self._drop_letter = None
        if self._pre is not None:
            self._pre.append(data)
        elif self._cell is not None:
            self._cell.append(data)

    @property
    def metadata(self) -> dict[str, str]:
        return dict(zip(self.headings, self.values, strict=False))


def read_pages(src: Path) -> Iterator[CableText | Problem]:
    """Every cable page at `src` (a page, or a folder searched for `*.html`), in path order."""
    pages = [src] if src.is_file() else sorted(src.rglob("*.html"))
    for page in pages:
        yield from read_page(page)


def read_page(page: Path) -> Iterator[CableText | Problem]:
    """The cable of one page, or the reason it has none (reported at line 1)."""
    try:
        html = decode(page.read_bytes()).text
    except OSError as error:
        yield Problem(str(page), 1, Severity.ERROR, f"cannot read: {error.strerror or error}")
        return
    parser = _CablePage()
    parser.feed(html)
    parser.close()
    metadata = parser.metadata
    reference_id = metadata.get("Reference ID", "")
    if not reference_id or not parser.blocks:
        missing = "metadata table with a Reference ID" if parser.blocks else "<pre> telegram text"
        yield Problem(str(page), 1, Severity.ERROR, f"no cable in this page: no {missing}")
        return
    created = _created(metadata.get("Created", ""))
    if created is None:
        shown = metadata.get("Created", "")[:40]
        message = f"Created {shown!r} is not YYYY-MM-DD HH:MM: imported without it"
        yield Problem(str(page), 1, Severity.WARNING, message)
    # The header block, then the body (a page with one block holds only a body).
    header, *body = parser.blocks if len(parser.blocks) > 1 else ["", *parser.blocks]
    yield CableText(reference_id, seed_form(header, "\n\n".join(body)), created, str(page), 1)


def _created(value: str) -> datetime | None:
    """The page's creation time (UTC), if it reads as one."""
    try:
        return datetime.strptime(value, _CREATED).replace(tzinfo=UTC)
    except ValueError:
        return None
