"""Rule: the REF block, the hardest field.

The block starts at `REF`, `REFS`, `REF(S)`, `REFTEL` as a word (never inside
`PREFERENCES` or `REFUGEE`) near the subject, and ends at the first numbered
paragraph, `Classified By`, `Summary`, a marked paragraph or two blank lines; page
banners inside it are blanked out. Its items are lettered in sequence (`A.`, `A)`,
`(A)`, `[A]`, `A:`, `A -`, `REF A`, `¶B.`, lower case too) or not at all, and the web
pages often said a letter twice (`A. A) MANAMA 20`).

Within an item only "known station + number" is a cable: `06 TBILISI 2601`, `ASUNCION
701 (08)`, `QUITO 4525-91`, `PANAMA 00789/08`, `STATE (01) 201265`, `09CAIRO0561`,
and lists that reuse the station (`STATE 41252 AND 44603`, `KABUL 936/935`). Anything
else (e-mails, telcons, reports, `STATE CA-3400 NOV 2, 1966`) keeps its text and gets
a kind, so that a page shows it and never links it. No year means the citing cable's.

Every pattern is linear, and items are read token by token: a REF line as long as
the whole preamble (100,000 characters) costs milliseconds, not minutes.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from site_builder.ids import resolve_station, squeeze
from site_builder.model import Reference, Span
from site_builder.parser.state import ParseState
from site_builder.tables import Tables

# A label with a colon, wherever it stands (`... UK PRIMEREF: A. LONDON 1939`).
_LABEL_WITH_COLON = re.compile(r"REF(?:TELS?|S|\(S\)|ERENCES?)?[ \t]*:")
# A label that starts its line, colon optional; `A. REF AMMAN 222` puts the first
# bullet before it.
_LABEL_AT_LINE_START = re.compile(
    r"[ \t]*(?:¶[ \t]*)?(?:(?P<bullet>[A-Z])[.)][ \t]+)?"
    r"(?P<word>REF)(?:TELS?|S|\(S\))?(?![A-Z0-9(])[ \t]*[.:]?"
)
_LABEL_WINDOW = 12  # lines past the subject where the label may stand (the corpus: 7)
_BLOCK_END = re.compile(
    r"(?<![A-Z])CLAS+I+F?I?E?D[ \t]+BY\b|SENSITIVE BUT UNCLASSIFIED|DERIVED FROM\b"
    r"|(?<![A-Z])THIS (?:MESSAGE|CABLE|IS AN? ACTION)\b|(?<![A-Z])E\.[ \t]?O\.[ \t]*1\d{4}"
    r"|^[ \t]*(?:¶[ \t]*)?(?:\([A-Z/]{1,8}\)[ \t]*)?SUMMARY\b"
    r"|^[ \t]*(?:¶[ \t]*)?\d{1,3}\.(?:[ \t]|(?=[A-Z(]))"
    r"|^[ \t]*(?:¶[ \t]*)?\((?:U|SBU|(?:U|C|S|SBU|TS)/{1,2}[A-Z][A-Z /]*)\)"
    r"|[ \t]1\.[ \t]+\((?:U|C|S|SBU)\)|\n[ \t]*\n[ \t]*\n",
    re.MULTILINE,
)
# Page banners: `SAO PAULO 00000161 001.3 OF 005`, `PAGE 02 VATICA 05693 01 OF 02
# 021700Z`, a classification line. Each part is unambiguous, so none backtracks.
_BANNERS = re.compile(
    r"(?<![A-Z.'\-])(?:[A-Z][A-Z.'\-]*[ \t]+){1,3}"
    r"0{2,}[1-9]\d*[ \t]+\d{1,3}(?:\.\d)?[ \t]+OF[ \t]+\d{1,3}\b"
    r"|PAGE[ \t]+\d+[ \t]+[A-Z]+[ \t]+\d+(?:[ \t]+\d+[ \t]+OF[ \t]+\d+)?[ \t]+\d{6}Z"
    r"|^[ \t]*(?:UNCLASSIFIED|UNCLAS|CONFIDENTIAL|SECRET|LIMITED OFFICIAL USE"
    r"|C O N F I D E N T I A L|S E C R E T)(?:[ \t]*//[ \t]*[A-Z]+)?[ \t]*$",
    re.MULTILINE,
)
# A bullet: `(A)`, `[A]`, `A.`, `A)`, `A.)`, `A:`, `A -`, or a bare capital (checked
# against the original case). It counts only when its letter comes next in sequence.
_BULLET = re.compile(
    r"(?:(?<=[\s;,.)¶:])|^)(?:¶[ \t]*)?(?:REF[ \t]+)?"
    r"(?:\((?P<paren>[A-Z])\)|\[(?P<square>[A-Z])\]"
    r"|(?P<dotted>[A-Z])(?:[.)]\)?|:|[ \t]+-)(?=[\s\d(\['\"¶]|$)"
    r"|(?P<bare>[A-Z])(?=[ \t]+[A-Z0-9'(]))"
)
# The letter said again at an item's start: `A. A)`, `A. REF A:`, `A. (A)`, `A. REF:`.
_REPEATED = re.compile(
    r"\s*(?P<ref>REF\b[ \t]*:?[ \t]*)?"
    r"(?:\((?P<paren>[A-Z])\)|(?P<plain>[A-Z])(?:[.):]|(?=[ \t]+\S)))?"
)
_NOT_THERE = frozenset({"", "NONE", "N/A", "NA"})
_DAY_AT_END = re.compile(r"\b\d{1,2},?\s*$")
_KINDS = (
    ("email", re.compile(r"E-?MAIL")),
    ("telcon", re.compile(r"\bTELE?CONS?\b|PHONE|\bS?VTC\b|\bDVC\b|VIDEO ?CONF")),
    ("report", re.compile(r"REPORT|\bIIR\b|\bTDX?-\d|\bOSC\b|(?<!TALKING )\bPOINTS?\b|\bDAILY\b")),
    ("meeting", re.compile(r"MEETING|CONVERSATION|DISCUSSION")),
    ("letter", re.compile(r"LETTER|\bMEMO(?:RANDUM)?S?\b|\bFAX\b|NON-? ?PAPER|\bNOTE\b")),
)

# An item's tokens: a station's words, serials, years, list separators, the rest.
_RAW_TOKEN = re.compile(r"\(\d{2}\)|'\d{2}(?!\d)|[A-Z0-9]+(?:['.\-/][A-Z0-9]+)*\.?|\S")
_YEAR_MARK = re.compile(r"\(\d{2}\)|'\d{2}")
_SERIAL = re.compile(r"0*(\d{1,7})(?:[-/](\d{2}))?")
_SERIAL_LIST = re.compile(r"0*[1-9]\d{0,6}(?:/0*[1-9]\d{0,6})+")
_GLUED_ID = re.compile(r"(\d{2}|(?:19|20)\d{2})?([A-Z]{3,})(0*[1-9]\d{0,6})?")
_WORD = re.compile(r"[0'.\-]*[A-Z][A-Z0'.\-]*")  # `0TTAWA`, `SANTIAG0`: OCR zeros
_SEPARATORS = frozenset({",", "/", "&", "AND"})
_WORD_LIMIT = 4  # words looked at before a serial: `EMBASSY PORT AU PRINCE`
WORD, NUMBER, YEAR, SEPARATOR, OTHER = "word", "number", "year", "separator", "other"


class _Item(NamedTuple):
    """One item of the block, as offsets into it: its bullet, its text, its end."""

    letter: str | None
    bullet: int
    start: int
    end: int


class _Citing(NamedTuple):
    """What an item needs to know about the cable that cites it."""

    year: int | None
    station: str | None
    tables: Tables


class _Token(NamedTuple):
    kind: str
    text: str  # a word squeezed, a number's digits as written
    value: int = -1  # a number's serial, a year's two digits
    year: int = -1  # a number's own year (`4525-91`, `00789/08`)


def read_references(state: ParseState) -> None:
    """Find the REF block near the subject and read its items into references."""
    label = _find_label(state)
    if label is None:
        return
    label_start, block_start, first_letter = label
    limit = state.preamble_end()
    if state.body_start > state.line_of(block_start):
        limit = min(limit, state.offset_of(state.body_start))
    end = _BLOCK_END.search(state.upper, block_start, max(limit, block_start))
    block_end = end.start() if end else max(limit, block_start)
    upper, text = _without_banners(state, block_start, block_end)
    citing = _Citing(_citing_year(state), state.values.get("station"), state.tables)
    # Drop the cable itself, and what was said before unlettered or under the same
    # letter; the same cable under another letter stays (`Ref D` in the body needs it).
    own = state.values.get("canonical_id")
    keys: set[str] = set()
    pairs: set[tuple[str, str | None]] = set()
    references: list[Reference] = []
    previous = ""
    for item in split_items(upper, text, first_letter):
        span = _item_span(state, block_start, item, upper)
        part = slice(item.start, item.end)
        for reference in read_item(item.letter, text[part], upper[part], previous, citing, span):
            key = reference.id or reference.text
            said = key in keys if reference.letter is None else (key, reference.letter) in pairs
            if not said and not (reference.id and reference.id == own):
                keys.add(key)
                pairs.add((key, reference.letter))
                references.append(reference)
        previous = upper[part]
    if references:
        first = state.line_of(label_start)
        state.found("references", references, first, state.line_of(max(block_end - 1, first)))


def _find_label(state: ParseState) -> tuple[int, int, str | None] | None:
    """The label's start and end, and a bullet said before it; looked for from the
    subject's first line to a few lines past its last, before the first paragraph."""
    subject = state.spans.get("subject")
    first = subject.start - 1 if subject else state.header_end
    last = (subject.end if subject else first + 40) + _LABEL_WINDOW
    if state.body_start > first:
        last = min(last, state.body_start)
    upper, end = state.upper, min(state.offset_of(last), state.preamble_end())
    searched = line_start = state.offset_of(first)
    while (at := upper.find("REF", searched, end)) != -1:
        line_start = upper.rfind("\n", searched, at) + 1 or line_start
        label = _LABEL_AT_LINE_START.match(upper, line_start, end)
        if label and label.start("word") == at:
            return label.start(), label.end(), label.group("bullet")
        label = _LABEL_WITH_COLON.match(upper, at, end)
        # `PREFERENCES:` holds `REFERENCES:`: a label spelt out must start a word.
        if label and not (label.group().startswith("REFE") and upper[at - 1 : at].isalpha()):
            return at, label.end(), None
        searched = at + 1
    return None


def _without_banners(state: ParseState, start: int, end: int) -> tuple[str, str]:
    """The block in capitals and as written, page banners blanked (offsets kept)."""
    upper, text = state.upper[start:end], state.text[start:end]
    spans = [match.span() for match in _BANNERS.finditer(upper)]
    return (_blank(upper, spans), _blank(text, spans)) if spans else (upper, text)


def _blank(block: str, spans: list[tuple[int, int]]) -> str:
    pieces, cursor = [], 0
    for first, last in spans:
        pieces += [block[cursor:first], " " * (last - first)]
        cursor = last
    return "".join(pieces) + block[cursor:]


def _citing_year(state: ParseState) -> int | None:
    when = state.values.get("date")
    if when is not None:
        return int(when.year) % 100
    ref_id = state.values.get("reference_id")
    return int(ref_id[:2]) if isinstance(ref_id, str) and ref_id[:2].isdigit() else None


def split_items(upper: str, text: str, first_letter: str | None = None) -> list[_Item]:
    """Cut a block at bullets whose letters follow in sequence (A, B, C...).

    `first_letter` is a bullet said before the label (`A. REF AMMAN 222`). A lone
    bullet after other words is no bullet (`STATE 12 AND A TELCON`), nor is a letter
    right after a bullet (`B. (C) PARIS 12`: the (C) is a marking).
    """
    expected = chr(ord(first_letter) + 1) if first_letter else "A"
    cuts: list[tuple[int, int, str]] = []
    for match in _BULLET.finditer(upper):
        group = match.lastgroup or "bare"
        if match.group(group) != expected or (
            group == "bare" and text[match.start(group)].islower()
        ):
            continue
        if cuts and not upper[cuts[-1][1] : match.start()].strip():
            continue
        cuts.append((match.start(), match.end(), expected))
        if expected == "Z":
            break
        expected = chr(ord(expected) + 1)
    if not first_letter and len(cuts) == 1 and upper[: cuts[0][0]].strip(" \t\n¶:.;,"):
        cuts = []
    head = upper[: cuts[0][0]] if cuts else upper
    items = [_Item(first_letter, 0, 0, len(head))] if first_letter or head.strip() else []
    for index, (bullet, start, letter) in enumerate(cuts):
        end = cuts[index + 1][0] if index + 1 < len(cuts) else len(upper)
        items.append(_Item(letter, bullet, start, end))
    return items


def _item_span(state: ParseState, block_start: int, item: _Item, upper: str) -> Span:
    raw = upper[item.bullet : item.end]
    first = block_start + item.bullet + len(raw) - len(raw.lstrip())
    last = max(first, block_start + item.bullet + len(raw.rstrip()) - 1)
    return Span(state.line_of(first) + 1, state.line_of(last) + 1)


def read_item(
    letter: str | None, text: str, upper: str, previous: str, citing: _Citing, span: Span
) -> list[Reference]:
    """The references one item holds: its cables, or itself as another kind of document."""
    skip = _repeated_bullet(upper, letter)
    shown = " ".join(text[skip:].split()).strip(" ;,.:-")
    words = " ".join(upper[skip:].split()).strip(" ;,.:-")
    if words in _NOT_THERE:
        return []
    tokens = _tokens(words)
    cables = find_cables(tokens, citing) or _implicit_cable(tokens, previous, citing)
    if cables:
        return [Reference(cable, letter, "cable", shown, span) for cable in cables]
    kind = next((kind for kind, pattern in _KINDS if pattern.search(words)), "other")
    return [Reference(None, letter, kind, shown, span)]


def _repeated_bullet(upper: str, letter: str | None) -> int:
    """How many characters at the item's start say its bullet (or `REF`) again."""
    match = _REPEATED.match(upper)
    if match is None:
        return 0
    if (match.group("paren") or match.group("plain")) == letter:
        return match.end()
    return match.end("ref") if match.group("ref") else 0


def _tokens(words: str) -> list[_Token]:
    tokens: list[_Token] = []
    for raw in _RAW_TOKEN.findall(words):
        if raw.isalpha():  # the common cases first: a word, a serial
            tokens.append(_Token(SEPARATOR if raw == "AND" else WORD, raw))
        elif raw.isdigit() and raw.isascii() and len(raw) <= 7:
            tokens.append(_Token(NUMBER, raw, int(raw)))
        else:
            tokens.extend(_read_token(raw.rstrip(".") or raw))
    return tokens


def _read_token(raw: str) -> list[_Token]:
    """A written token as the parser sees it: `09CAIRO0561` is a year, a station and a
    serial; `936/935` a list; `0TTAWA` and `O4` are OCR slips for O and 0."""
    if _YEAR_MARK.fullmatch(raw):
        return [_Token(YEAR, raw, int(raw.strip("()'")))]
    if raw in _SEPARATORS:
        return [_Token(SEPARATOR, raw)]
    if not raw.strip("0123456789O") and not raw.isalpha():  # `O4` is `04`
        raw = raw.replace("O", "0")
    if serial := _SERIAL.fullmatch(raw):
        own_year = int(serial.group(2)) if serial.group(2) else -1
        return [_Token(NUMBER, re.split("[-/]", raw)[0], int(serial.group(1)), own_year)]
    if _SERIAL_LIST.fullmatch(raw):
        listed: list[_Token] = []
        for part in raw.split("/"):
            listed += [_Token(SEPARATOR, "/"), _Token(NUMBER, part, int(part))]
        return listed[1:]
    if _WORD.fullmatch(raw):
        return [_Token(WORD, squeeze(raw.replace("0", "O")))]
    if glued := _GLUED_ID.fullmatch(raw):
        year, station, number = glued.groups()
        said_year = [_Token(YEAR, year, int(year) % 100)] if year else []
        said_number = [_Token(NUMBER, number, int(number))] if number else []
        return [*said_year, _Token(WORD, station), *said_number]
    return [_Token(OTHER, raw)]


def find_cables(tokens: list[_Token], citing: _Citing) -> list[str]:
    """Every "known station + number" among an item's tokens, as canonical IDs, in order."""
    found: list[str] = []
    used = -1  # the last token a cable took: a serial is never the next one's year
    index = 0
    while index < len(tokens):
        prefix = _cable_at(tokens, index, used, citing) if tokens[index].kind is NUMBER else None
        if prefix is None:
            index += 1
            continue
        found.append(f"{prefix}{tokens[index].value}")
        used, index = _follow_list(tokens, index + 1, prefix, found)
    return found


def _cable_at(tokens: list[_Token], index: int, used: int, citing: _Citing) -> str | None:
    """The year and station (`06TBILISI`) of the cable whose serial is `tokens[index]`.

    The year is said before the station (`06 TBILISI`, `(99) ROME`), between it and the
    serial (`STATE (01) 201265`), with the serial (`QUITO 4525-91`), after it
    (`ASUNCION 701 (08)`, unless words follow: `66 (08) SAO PAULO 581`), or not at all.
    """
    serial, before = tokens[index], index - 1
    if serial.value <= 0:
        return None
    between = None
    if before >= 0 and tokens[before].kind == YEAR:
        between, before = tokens[before].value, before - 1
    station, first = _station_before(tokens, before, citing.tables)
    if station is None:
        return None
    after = tokens[index + 1] if index + 1 < len(tokens) else None
    followed = index + 2 < len(tokens) and tokens[index + 2].kind == WORD
    years = (
        _year_of(tokens[first - 1]) if first - 1 > used else None,
        between,
        serial.year if serial.year >= 0 else None,
        after.value if after and after.kind == YEAR and not followed else None,
        citing.year,
    )
    year = next((y for y in years if y is not None), None)
    return None if year is None else f"{year:02d}{station}"


def _station_before(tokens: list[_Token], last: int, tables: Tables) -> tuple[str | None, int]:
    """The known station the words ending at `tokens[last]` name, and its first index.

    Exact names and aliases first, longest first (`EMBASSY VIENNA`: VIENNA), so that a
    stray word never bends a good name; then near spellings (`SAO PAUO`, `BISHTEK`).
    """
    first = last
    while first >= 0 and last - first < _WORD_LIMIT and tokens[first].kind == WORD:
        first -= 1
    words = [token.text for token in tokens[first + 1 : last + 1]]
    for count in range(len(words), 0, -1):
        name = "".join(words[-count:])
        station = name if name in tables.known_stations else tables.station_aliases.get(name)
        if station:
            return station, last - count + 1
    for count in range(min(3, len(words)), 0, -1):
        name = "".join(words[-count:])
        station = resolve_station(name, tables) if len(name) >= 4 else None
        if station:
            return station, last - count + 1
    return None, -1


def _year_of(token: _Token) -> int | None:
    """The year a token says before a station: `06`, `2007`, `'08`, `(99)`."""
    if token.kind == YEAR:
        return token.value
    if token.kind != NUMBER or token.year >= 0:
        return None
    if len(token.text) == 2:
        return token.value
    return token.value % 100 if len(token.text) == 4 and 1950 <= token.value <= 2019 else None


def _follow_list(
    tokens: list[_Token], index: int, prefix: str, found: list[str]
) -> tuple[int, int]:
    """`STATE 41252 AND 44603`, `KABUL 936/935`, `STATE 188314, 259032`: the same year
    and station. A number followed by words is the next cable's year (`, 08 STATE 12`).
    Returns the last token used and where to read on."""
    used = index - 1
    while index + 1 < len(tokens) and tokens[index].kind == SEPARATOR:
        number = tokens[index + 1]
        followed = index + 2 < len(tokens) and tokens[index + 2].kind == WORD
        if (
            number.kind != NUMBER
            or number.value <= 0
            or (followed and _year_of(number) is not None)
        ):
            break
        found.append(f"{prefix}{number.value}")
        used, index = index + 1, index + 2
    return used, index


def _implicit_cable(tokens: list[_Token], previous: str, citing: _Citing) -> list[str]:
    """A serial with no station before it: `377 KATHMANDU` (the station after it), or
    `A) 6307`, the citing post's own cable; but not the year of a date the item
    before ended with (`... FOR FEBRUARY 17` then `B. 2006`)."""
    serial = tokens[0] if tokens else _Token(OTHER, "")
    if serial.kind != NUMBER or serial.value <= 0 or citing.year is None:
        return []
    if len(tokens) == 1:
        if len(serial.text) == 4 and _year_of(serial) is not None and _DAY_AT_END.search(previous):
            return []
        year = serial.year if serial.year >= 0 else citing.year
        return [f"{year:02d}{citing.station}{serial.value}"] if citing.station else []
    if len(serial.text) < 3 or any(token.kind != WORD for token in tokens[1:]):
        return []
    station, first = _station_before(tokens, len(tokens) - 1, citing.tables)
    return [f"{citing.year:02d}{station}{serial.value}"] if station and first == 1 else []
