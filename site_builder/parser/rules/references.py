"""Rule: the REF block, the hardest field.

The block starts at `REF`, `REFS`, `REF(S)`, `REFTEL` as a word (never inside
`PREFERENCES` or `REFUGEE`) and ends at the first numbered paragraph, `Classified
By` or `Summary`. Its items are lettered in sequence (`A.`, `A)`, `(A)`, `[A]`,
`A:`, `A -`, `REF A`, `¶B.`) or not lettered at all. Within an item, only "known
station + number" is a cable (`06 TBILISI 2601`, `ASUNCION 701 (08)`, `QUITO
4525-91`, `PANAMA 00789/08`, `STATE 41252 AND 44603`); e-mails, telcons, reports
are references of other kinds, kept as text. No year means the citing cable's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from site_builder.ids import resolve_station, squeeze
from site_builder.model import Reference, Span
from site_builder.parser.state import HEADER_LIMIT, ParseState

_LABEL = re.compile(
    r"(?:^[ \t]*(?:[A-Z]+[ \t]+)?|(?<=\s)|(?<=[A-Z]{4}(?=REF)))"
    r"(?:REFS?|REF\(S\)|REFTELS?|REFERENCES?)(?![A-Za-z])[ \t]*(?:[:.][ \t]*)?",
    re.IGNORECASE | re.MULTILINE,
)
_BLOCK_END = re.compile(
    r"(?:^|\s)(?:CLASS[I]?I?FIED\s+BY|CLASSIIED\s+BY|SUMMARY\b|SENSITIVE\s+BUT\s+UNCLASSIFIED|"
    r"THIS\s+(?:MESSAGE|IS\s+AN?\s+ACTION)|E\.O\.\s*1\d{4}|\(?[A-Z]\)?\s*(?:SUMMARY|COMMENT)\b)"
    r"|^[ \t]*¶?[ \t]*\d{1,3}[ \t]*[.)][ \t]|[ \t]¶?1\.[ \t]+\((?:U|C|S|SBU)\)"
    r"|\n[ \t]*\n[ \t]*\n",
    re.IGNORECASE | re.MULTILINE,
)
_PAGE_BANNER = re.compile(
    r"\b[A-Z][A-Z ]*?\s0{2,}\d+\s+\d{3}(?:\.\d)?\s+OF\s+\d{3}\b"
    r"|\bPAGE\s+\d+\s+[A-Z]+\s+\d+(?:\s+\d+\s+OF\s+\d+)?\s+\d{6}Z"
    r"|\b(?:UNCLASSIFIED|CONFIDENTIAL|SECRET)\s*$",
    re.MULTILINE,
)
_GLUED_ID = re.compile(r"\b(\d{2}|\d{4})([A-Z]{3,})(\d+)\b")
_TOKEN = re.compile(r"'\d{2}\b|\(\d{2}\)|\d+(?:[-/]\d{2}\b(?![-/]))?|[A-Z][A-Z'.\-]*|[^\sA-Z\d]")
_NUMBER = re.compile(r"^0*(\d{1,7})(?:[-/](\d{2}))?$")
_YEAR = re.compile(r"^(?:'(\d{2})|\((\d{2})\)|(\d{2})|(19\d{2}|20\d{2}))$")
_KINDS = (
    ("email", re.compile(r"\bE-?MAILS?\b|\bEMAIL")),
    ("telcon", re.compile(r"\bTEL(?:E)?CONS?\b|\bPHONE|\bTELEPHONE")),
    ("report", re.compile(r"\bREPORTS?\b|\bIIR\b|\bTD-\d|\bDTG\b")),
    ("meeting", re.compile(r"\bMEETINGS?\b|\bCONVERSATIONS?\b")),
    ("letter", re.compile(r"\bLETTERS?\b|\bMEMO(?:RANDUM)?S?\b|\bFAX\b")),
)
_WORD_LIMIT = 4


@dataclass(frozen=True, slots=True)
class _Item:
    letter: str | None
    text: str
    start: int  # offset in the cable text


def read_references(state: ParseState) -> None:
    """Find the REF block before the body and read its items."""
    start_line = state.spans["subject"].start - 1 if "subject" in state.spans else state.header_end
    end_line = state.body_start or min(HEADER_LIMIT, len(state.lines))
    if end_line <= start_line:
        end_line = min(start_line + 40, len(state.lines))
    label = _LABEL.search(state.text, state.offset_of(start_line), state.offset_of(end_line))
    if label is None:
        return
    block_start = label.end()
    limit = max(state.offset_of(end_line), block_start)
    end = _BLOCK_END.search(state.text, block_start, limit)
    block_end = end.start() if end else limit
    items = split_items(state.text[block_start:block_end], block_start)
    year = _citing_year(state)
    own = state.values.get("canonical_id")
    references: list[Reference] = []
    for item in items:
        first = state.line_of(item.start)
        last = state.line_of(item.start + max(len(item.text.rstrip()) - 1, 0))
        for reference in read_item(item, year, state, Span(first + 1, last + 1)):
            if reference.id is not None and reference.id == own:
                continue
            if reference.id is not None and any(r.id == reference.id for r in references):
                continue
            references.append(reference)
    if references:
        state.found(
            "references",
            references,
            state.line_of(label.start()),
            state.line_of(max(block_end - 1, label.start())),
        )


def _citing_year(state: ParseState) -> int | None:
    when = state.values.get("date")
    if when is not None:
        return int(when.year) % 100
    ref_id = state.values.get("reference_id")
    if isinstance(ref_id, str) and ref_id[:2].isdigit():
        return int(ref_id[:2])
    return None


def split_items(block: str, offset: int) -> list[_Item]:
    """Cut a REF block into items at bullet letters that come in sequence (A, B, C...)."""
    positions: list[tuple[int, int, str]] = []
    cursor = 0
    letter = "A"
    while True:
        found = _find_bullet(block, letter, cursor)
        if found is None:
            break
        positions.append((found.start(), found.end(), letter))
        cursor = found.end()
        letter = chr(ord(letter) + 1)
        if letter > "Z":
            break
    if not positions or (len(positions) == 1 and positions[0][0] > 3):
        return [_Item(None, block, offset)] if block.strip() else []
    items: list[_Item] = []
    if block[: positions[0][0]].strip(" \t\n¶:.;,"):
        items.append(_Item(None, block[: positions[0][0]], offset))
    for index, (_, text_start, bullet) in enumerate(positions):
        text_end = positions[index + 1][0] if index + 1 < len(positions) else len(block)
        text = _strip_repeated_bullet(block[text_start:text_end], bullet)
        items.append(_Item(bullet, text, offset + text_start))
    return items


def _find_bullet(block: str, letter: str, start: int) -> re.Match[str] | None:
    pattern = re.compile(
        r"(?:^|(?<=[\s;,.)\d¶]))[ \t]*¶?[ \t]*(?:REF[ \t]+)?"
        r"(?:\("
        + letter
        + r"\)|\["
        + letter
        + r"\]|"
        + letter
        + r"(?:[ \t]*[.):]\)?|[ \t]+-|(?=[ \t])))"
        r"(?=[ \t\n]|\d|\()",
    )
    return pattern.search(block, start)


def _strip_repeated_bullet(text: str, letter: str) -> str:
    """`A. A) MANAMA 20`, `A. REF A: 09 SOFIA 154`: drop the bullet said twice."""
    return re.sub(
        r"^\s*(?:REF\s*:?\s*)?(?:REF\s+)?(?:" + letter + r"(?:\s*[.):]\)?|\s+(?=\S)))?\s*",
        "",
        text,
        count=1,
    )


def read_item(item: _Item, year: int | None, state: ParseState, span: Span) -> list[Reference]:
    """The references one item holds: its cables, or itself as another kind of document."""
    text = " ".join(_PAGE_BANNER.sub(" ", item.text).split()).strip(" ;,.")
    if not text:
        return []
    cables = find_cables(text, year, state)
    if not cables and re.fullmatch(r"0*\d{1,7}", text):
        station = state.values.get("station")
        if station and year is not None:
            cables = [f"{year:02d}{station}{int(text)}"]
    if cables:
        return [Reference(cable, item.letter, "cable", text, span) for cable in cables]
    return [Reference(None, item.letter, _kind(text), text, span)]


def _kind(text: str) -> str:
    upper = text.upper()
    for kind, pattern in _KINDS:
        if pattern.search(upper):
            return kind
    return "other"


def find_cables(text: str, year: int | None, state: ParseState) -> list[str]:
    """Every cable cited in an item's text, as canonical IDs, in order."""
    upper = _GLUED_ID.sub(r"\1 \2 \3", re.sub(r"\bO(\d)\b", r"0\1", text.upper()))
    tokens = _TOKEN.findall(upper)
    found: list[str] = []
    index = 0
    while index < len(tokens):
        number = _NUMBER.match(tokens[index])
        station, words = _station_before(tokens, index, state) if number else (None, 0)
        if number is None or station is None:
            index += 1
            continue
        cable_year = _year_before(tokens, index - words) or _year_suffix(number, tokens, index)
        cable_year = cable_year if cable_year is not None else year
        index += 1
        if cable_year is None:
            continue
        found.append(f"{cable_year:02d}{station}{int(number.group(1))}")
        index = _follow_list(tokens, index, station, cable_year, found)
    return found


def _station_before(tokens: list[str], index: int, state: ParseState) -> tuple[str | None, int]:
    """The known station named by the words just before `tokens[index]`, and their count."""
    for words in range(min(_WORD_LIMIT, index), 0, -1):
        part = tokens[index - words : index]
        if not all(t[0].isalpha() for t in part):
            continue
        squeezed = squeeze("".join(part))
        if len(squeezed) < 2:
            continue
        station = _exact_station(squeezed, state)
        if station is None and words <= 3 and len(squeezed) >= 4:
            station = resolve_station(squeezed, state.tables)
        if station:
            return station, words
    return None, 0


def _exact_station(word: str, state: ParseState) -> str | None:
    tables = state.tables
    if word in tables.known_stations:
        return word
    return tables.station_aliases.get(word)


def _year_before(tokens: list[str], index: int) -> int | None:
    if index <= 0:
        return None
    match = _YEAR.match(tokens[index - 1])
    if match is None:
        return None
    value = next(group for group in match.groups() if group)
    return int(value) % 100


def _year_suffix(number: re.Match[str], tokens: list[str], index: int) -> int | None:
    if number.group(2):
        return int(number.group(2))
    if index + 1 < len(tokens) and re.fullmatch(r"\(\d{2}\)", tokens[index + 1]):
        return int(tokens[index + 1][1:3])
    return None


def _follow_list(tokens: list[str], index: int, station: str, year: int, found: list[str]) -> int:
    """`STATE 41252 AND 44603`, `KABUL 936/935`, `STATE 188314, 259032`: same station."""
    while index + 1 < len(tokens) and tokens[index] in {",", "/", "AND", "&"}:
        number = _NUMBER.match(tokens[index + 1])
        if number is None or (
            index + 2 < len(tokens)
            and tokens[index + 2][0].isalpha()
            and len(tokens[index + 2]) > 2
            and tokens[index + 2] != "AND"
        ):
            break
        found.append(f"{year:02d}{station}{int(number.group(1))}")
        index += 2
    return index
