"""Rules for the body: where it starts, and its blocks (numbered paragraphs with their
markings, section headings, unnumbered text), with page banners removed.

Paragraphs are `N.` (or `¶N.`) at a line start, followed by a space or the line end,
with an optional marking `(C)`, `(SBU)`, `(S//NF)`. This is the original WikiLeaks
pages' rule (`1.(C)` with no space was not a paragraph there), so that `#parN`
anchors point where the old site's did; a year that begins a wrapped line
(`2007.`) continues the sentence instead. Numbering may skip (partial extracts),
restart (a second section) or repeat. `--`, `1)` and `A.` sub-bullets stay inside
their paragraph; dashed-underlined lines are headings.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from site_builder.model import Block, BlockKind
from site_builder.parser.state import HEADER_LIMIT, ParseState

PARAGRAPH = re.compile(r"^[ \t]*(?:¶[ \t]*)?(?P<number>\d{1,4})\.(?:[ \t]+|$)(?P<rest>.*)$")
MARKING = re.compile(
    r"^\((?P<marking>(?:U|C|S|TS|SBU|LOU|FOUO|NF|CNF|SNF)"
    r"(?:\s*(?:/{1,2}|-)\s*[A-Z][A-Z ,/]{0,40}?)?"
    r"|(?:CONFIDENTIAL|SECRET|UNCLASSIFIED|LIMITED OFFICIAL USE)(?:\s*-\s*ENTIRE TEXT)?"
    r"|[CSU]\s*-\s*ENTIRE TEXT)\)[ \t]*",
    re.IGNORECASE,
)
PAGE_BANNER = re.compile(
    r"^[ \t]*(?:(?:[A-Z][A-Z.'\-]*[ \t]+){1,4}0{2,}\d+[ \t]+\d{3}(?:\.\d)?[ \t]+OF[ \t]+\d{3}"
    r"|PAGE[ \t]+\d+[ \t]+.*\d{6}Z"
    r"|(?:UNCLASSIFIED|CONFIDENTIAL|SECRET|LIMITED OFFICIAL USE)(?:[ \t]*//[ \t]*NOFORN)?"
    r"|C O N F I D E N T I A L|S E C R E T)[ \t]*$"
)
_PREAMBLE_FIELDS = (
    "banner_level",
    "caveats",
    "eo_line",
    "tags",
    "subject",
    "references",
    "classified_by",
)
_SKIPPED = ("banner", "rule")
_FIRST_PARAGRAPH_MAX = 12
_TITLE_MAX = 100


def read_body_start(state: ParseState) -> None:
    """Mark the first numbered paragraph: the rules for the fields before it stop there."""
    for index in range(state.header_end, min(len(state.lines), HEADER_LIMIT)):
        match = PARAGRAPH.match(state.lines[index])
        if (
            match
            and int(match.group("number")) <= _FIRST_PARAGRAPH_MAX
            and match.group("rest").strip()
        ):
            state.body_start = index
            return
    state.body_start = min(len(state.lines), HEADER_LIMIT)


# One search finds every line that is not plain text. Each alternative follows a
# newline, so the search jumps from newline to newline in C.
_LINE_KIND = re.compile(
    r"\n(?:(?P<blank>[ \t]*)(?=\n|$)|(?P<rule>[ \t]*[-=_‐]{3,}[- =_‐]*)(?=\n|$)"
    r"|(?P<banner>" + PAGE_BANNER.pattern[1:-1] + r")(?=\n|$)"
    r"|(?P<paragraph>[ \t]*(?:¶[ \t]*)?\d{1,4}\.(?:[ \t]|(?=\n|$))))"
)


def read_body(state: ParseState) -> None:
    """Cut the body into blocks; keep each block's lines and the span it came from."""
    start = _preamble_end(state)
    end = state.end_line
    kinds = _line_kinds(state, start, end)
    headings = _headings(state, kinds, start, end)
    skipped = sorted(i for i, kind in kinds.items() if kind in _SKIPPED)
    blocks: list[Block] = []
    block_start = start
    head: tuple[BlockKind, str | None, str | None, str | None] = (BlockKind.TEXT, None, None, None)
    for index in sorted({*kinds, *headings}):
        if index < block_start:
            continue
        if index in headings:
            title, after = headings[index]
            blocks.extend(_block(state, skipped, block_start, index, head))
            blocks.append(Block(BlockKind.HEADING, title, state.span(index, after - 1)))
            block_start, head = after, (BlockKind.TEXT, None, None, None)
            continue
        kind = kinds[index]
        if kind == "paragraph":
            match = PARAGRAPH.match(state.lines[index])
            if match and _is_paragraph(match.group("number")):
                blocks.extend(_block(state, skipped, block_start, index, head))
                rest = match.group("rest")
                marking = MARKING.match(rest)
                head = (
                    BlockKind.PARAGRAPH,
                    match.group("number"),
                    marking.group("marking") if marking else None,
                    rest[marking.end() :] if marking else rest,
                )
                block_start = index
        elif kind == "blank" and head[0] is BlockKind.TEXT:
            blocks.extend(_block(state, skipped, block_start, index, head))
            block_start = index + 1
    blocks.extend(_block(state, skipped, block_start, end, head))
    state.found("body", blocks, start, max(start, end - 1))


def _block(
    state: ParseState,
    skipped: list[int],
    first: int,
    stop: int,
    head: tuple[BlockKind, str | None, str | None, str | None],
) -> list[Block]:
    """The block of lines first..stop-1 without banners and rules (none if it is empty).

    `head` is the block's kind, number, marking, and, for a paragraph, the text of its
    first line after the number and marking.
    """
    kind, number, marking, rest = head
    lines = state.lines[first:stop]
    if kind is BlockKind.PARAGRAPH and lines:
        lines[0] = rest or ""
    while lines and not lines[-1].strip():
        lines.pop()
    while kind is BlockKind.TEXT and lines and not lines[0].strip():
        lines.pop(0)
        first += 1
    if not lines and kind is not BlockKind.PARAGRAPH:
        return []
    last = first + max(len(lines) - 1, 0)
    at = bisect_left(skipped, first)
    if at < len(skipped) and skipped[at] <= last:
        lines = [line for i, line in enumerate(lines, first) if i not in skipped[at:]]
    return [Block(kind, "\n".join(lines), state.span(first, last), number, marking)]


def _line_kinds(state: ParseState, start: int, end: int) -> dict[int, str]:
    """The 0-based indexes of the lines that are blank, rules, banners or paragraph starts."""
    kinds: dict[int, str] = {}
    line_of = state.line_of
    begin = max(state.offset_of(start) - 1, 0)
    if start == 0:
        first = _LINE_KIND.match("\n" + state.lines[0])
        if first:
            kinds[0] = first.lastgroup or ""
    for match in _LINE_KIND.finditer(state.text, begin, state.offset_of(end)):
        index = line_of(match.start() + 1)
        if start <= index < end:
            kinds.setdefault(index, match.lastgroup or "")
    return kinds


def _headings(
    state: ParseState, kinds: dict[int, str], start: int, end: int
) -> dict[int, tuple[str, int]]:
    """Headings by their first line: text between dashed rules, or above one."""
    headings: dict[int, tuple[str, int]] = {}
    taken: set[int] = set()
    rules = sorted(i for i, kind in kinds.items() if kind == "rule")
    for rule in rules:
        title = rule + 1
        if title + 1 < end and kinds.get(title + 1) == "rule" and _is_title(state, kinds, title):
            headings[rule] = (state.lines[title].strip(), title + 2)
            taken.update((rule, title, title + 1))
            continue
        title = rule - 1
        if title < start or title in taken or not _is_title(state, kinds, title):
            continue
        line = state.lines[title].rstrip()
        opens = kinds.get(title - 1) in ("blank", "rule", "banner") or title == start
        if opens or not line.endswith((".", ",", ";", ":")):
            headings[title] = (line.strip().strip("-= "), rule + 1)
            taken.update((title, rule))
    return headings


def _preamble_end(state: ParseState) -> int:
    """The line after the last field that precedes the body (subject, REF, Classified By)."""
    ends = [state.spans[name].end for name in _PREAMBLE_FIELDS if name in state.spans]
    end = max(ends) if ends else state.header_end
    if state.body_start and state.body_start < len(state.lines) and state.body_start < end:
        return state.body_start
    return min(end, state.end_line)


def _is_paragraph(number: str) -> bool:
    """A year at a line start (`2007.`) is a wrapped sentence, not a paragraph."""
    return not (len(number) == 4 and number[:2] in {"19", "20"})


def _is_title(state: ParseState, kinds: dict[int, str], index: int) -> bool:
    """A plain line short enough to be a heading."""
    return index not in kinds and len(state.lines[index].strip()) <= _TITLE_MAX
