"""Rule: the `Classified By:` line and the names it gives.

`Classified By: <title> <Name> for Reason(s) 1.4 (b) and (d)`, or the later form
`CLASSIFIED BY: <Name>, <title>, <office>; REASON: 1.4(B), (D)`. Titles come in
every shape and spelling (Ambassador, Amb., Ambassadro, Charge d'Affaires a.i.,
A/DCM, Pol/Econ Couns, PolMC, ARSO, A/S), names carry initials, `JR.` or `III`, and
the telegrams' 71-column wrap may split a name in two (`Hoyt Y` / `ee`).

The names are read in steps, each of which only narrows the text:
1. the field ends where the reasons begin (`for reasons`, `Reason:`, `1.4`, `per`,
   `under Section`, `based on`, `E.O.`), at a blank line or at the next paragraph;
2. words the wrap split are joined again (`mend_split_words`);
3. the rest is split into people at `and` / `&`, and each person's text into pieces
   at commas: the name is in the first piece that holds one;
4. in that piece, titles are told from name words (`_is_title`) and the name is the
   last run of name words, trimmed to the shape of a name (`_trim`).
"""

from __future__ import annotations

import re
from functools import lru_cache

from site_builder.parser.state import ParseState

# The label, on the text in capitals; typos included.
_LABEL = re.compile(r"CLASS(?:IFIED|IIED|IFED|IFIE)[ \t]*BY\b[ \t]*[:;.\-]?")
# A label written twice (`Classified By: (C) CLASSIFIED BY ...`) or a stray `By`.
_REPEATED_LABEL = re.compile(
    r"[ \t]*(?:\(\w{1,4}\)[ \t]*)?(?:\d\.[ \t]*)?(?:\(\w{1,4}\)[ \t]*)?"
    r"(?:THIS\s+(?:MESSAGE|CABLE)\s+(?:IS\s+)?)?(?:CLASS(?:IFIED|IIED|IFED)\s+)?BY\b[ \t]*:?"
)
# Where the name part ends, on the text in capitals. Each branch opens with a literal
# (its word boundary checked behind it), so that the search skips ahead quickly.
_NAME_END = re.compile(
    r"F(?<![A-Z]F)OR\s+(?:FOR\s+)?(?:RE?AS|E\.\s?O\b|\d|\()"
    r"|R(?<![A-Z]R)EAS|1(?<!\w1)\s*[.:]\s*[1-9]\b|P(?<![A-Z]P)ER\s+(?:REAS|E\.|\d|SEC|\()"
    r"|U(?<![A-Z]U)NDER\s+(?:SEC(?!RETARY)|E\.|\d|REAS|\()|B(?<![A-Z]B)ASED\s+(?:ON|UPON|0N)\b"
    r"|E(?<![A-Z]E)\.\s?O\b"
    r"|\n[ \t]*(?:\n|¶|\d{1,3}\s*[.)]|\([A-Z/ ]{1,10}\)|SUMMARY\b|(?:UNCLASSIFIED|CONFIDENTIAL"
    r"|SECRET)\b)"
)
# A line that carries on the field: it opens with its reasons (`1.4(B), (D)`, `4 (b)`,
# `(d).`) or holds them (`Dan Kritenbrink. Reasons 1.4`), or ends the office's name.
_REASONS_LINE = re.compile(
    r"E\.\s?O\b|PER\b|UNDER\b|\.?\d\s*\.\s*\d|\.\d|\d\s*\(|(?:[\s(),.;:&/+]|[A-H]\b|AND\b)+$"
)
_REASONS_INSIDE = re.compile(r"REAS|1\.[45]\b|\bOF STATE\b|\bDOS\b|\bSTATE\.$")
_PARAGRAPH_HEAD = re.compile(r"\s*¶?\s*\d{1,3}\s*[.,)]\s*(?:\s|\()")
_PEOPLE = re.compile(r"\s(?:AND|&)\s")
_PIECES = re.compile(r"[,;]")
_TOKEN = re.compile(r"[^\s:]+")
_SUFFIX = re.compile(r"(?:JR|SR|II|III|IV)\.?")
_INITIALS = re.compile(r"(?:[A-Z0]\.?|(?:[A-Z]\.){2,3})")
_NAME_WORD = re.compile(r"[“\"]?[A-Z][A-Za-z0-9'’\-.]*[A-Za-z][”\"]?")
_PARTICLES = frozenset("DE DA DEL DELLA DI DU LA LE VAN VON DER DEN AL EL BIN ST ST.".split())
_NAME_KINDS = frozenset(("name", "initial", "particle", "suffix"))
_EDGES = "()[]?!-,;:*"
_CONNECTORS = frozenset("TO FOR OF IN AT ON".split())
_TITLE_WORDS = frozenset(
    """
    AN THE AND BY AT FOR IN OF ON TO THIS MESSAGE CABLE IS
    ACTING DEPUTY ASSISTANT ASSOCIATE PRINCIPAL SENIOR SPECIAL CHIEF HEAD SECTION DIRECTOR
    DIR COORDINATOR COORD ENVOY ADVISOR ADVISER ATTACHE MINISTER MINSTER SECRETARY SEC UNDER
    PERMANENT REPRESENTATIVE REP CHARGE CHARGÉ CDA DCM ADCM CG CONSUL CONSULATE GENERAL
    OFFICER OFFICE OFF MISSION EMBASSY AMEMBASSY POST DEPARTMENT DEPT STATE DOS BUREAU
    POLITICAL POL POLAD POLMC POLMIL POLECON POLEC ECONOMIC ECONOMICS ECON ECO ECOPOL ECPO
    ECPOL MC MIL MILITARY PUBLIC DIPLOMACY DIPLOMATIC SECURITY MANAGEMENT MGMT REGIONAL
    ENVIRONMENT SCIENCE ESTH EST&H LABOR COMMERCIAL AGRICULTURAL CONSULAR INTERAGENCY
    PROVINCIAL GOVERNANCE RECONSTRUCTION TEAM PRT LEGATT LEGAL RSO ARSO TDY AIT CHAIRMAN
    CHAIR COM US U.S USG USUN USEU USNATO INR DAS PDAS AI A.I A.Y EUR EAP NEA AF WHA SCA
    ISN VCI PRM DRL EEB IO CLASSIFIED CLASSIFICATION GUIDE CONFIDENTIAL SECRET UNCLASSIFIED
    ENTIRE TEXT LARGE LEADER COORDINATING DEVELOPMENT DERIVED FROM MULTIPLE SOURCES
    """.split()
)
# Title words by shape: typos of Ambassador, Counselor and d'Affaires, office codes.
_TITLE_SHAPE = re.compile(
    r"AMBB?A?SS?|ABASS|AMB$|COU[NS]|COUSEL|.*COUNS|D[E]?['’]|AFF[AI]|REPRES"
    r"|(?:POL|ECON|CON|EMB|MGT|PA|POLMIL|POLECON|ECOPOL|LAB|PD|ESTH|MIL)OFF$"
)
_ASCII_UPPER = {code: code - 32 for code in range(ord("a"), ord("z") + 1)}
_FULL_LINE = 71  # the telegrams' wrap column
_WINDOW = 420  # characters after the label: the name and its reasons lie well within
_SEARCH_LINES = 8  # how far past the first paragraph the label may stand
_SEARCH_CHARS = 20_000
_FIELD_LINES = 4
_FIELD_LINE_MAX = 200
_HEAD_LINES = 3  # a name never runs over more lines than this


def read_classified_by(state: ParseState) -> None:
    """Read the first `Classified By` line before or at the start of the body."""
    match = _find_label(state)
    if match is None:
        return
    line = state.line_of(match.start())
    column = match.end() - state.starts[line]
    rest = mend_split_words(state.text[match.end() : match.end() + _WINDOW], column)
    names = parse_classified_by(rest)
    if names:
        state.found("classified_by", names, line, _field_end(state, line))


def _find_label(state: ParseState) -> re.Match[str] | None:
    """The label between the header and a few lines into the body; never a sentence's
    lower-case "classified by"."""
    start = state.offset_of(state.header_end)
    last_line = min(max(state.body_start, state.header_end) + _SEARCH_LINES, len(state.lines))
    end = min(state.offset_of(last_line), start + _SEARCH_CHARS)
    upper, text = state.upper, state.text
    while (at := upper.find("CLASS", start, end)) >= 0:
        start = at + 1
        if text[at] == "C" and not (at and upper[at - 1].isalpha()):
            match = _LABEL.match(upper, at)
            if match is not None:
                return match
    return None


def _field_end(state: ParseState, first: int) -> int:
    """The field's last line: the lines after the label that carry on its words or its
    reasons (`for rea` / `sons 1.4 (b)`, `(d).`, `Office, Department of State.`); never a
    paragraph, a heading or a marked line of text."""
    last = first
    for index in range(first + 1, min(first + _FIELD_LINES, len(state.lines))):
        line, above = state.lines[index], state.lines[index - 1]
        if len(line) > _FIELD_LINE_MAX or not line.strip() or _PARAGRAPH_HEAD.match(line):
            break
        split_word = len(above.rstrip()) == _FULL_LINE and not line[0].isspace()
        line = line.strip()
        if not (split_word or line[0].islower() or _carries_reasons(line.upper())):
            break
        last = index
    return last


def _carries_reasons(upper: str) -> bool:
    return bool(_REASONS_LINE.match(upper) or _REASONS_INSIDE.search(upper))


def mend_split_words(text: str, column: int = 0) -> str:
    """Join the words the telegrams' wrap split in two; keep the other line breaks.

    A line filled to the wrap column and followed by a line that does not begin with
    a space was cut inside a word (`Hoyt Y` / `ee`, `for r` / `easons`). `column` is
    where `text` starts in its first line.
    """
    lines = text.split("\n")
    mended = [lines[0]]
    width = column + len(lines[0].rstrip())
    for line in lines[1:]:
        if width == _FULL_LINE and line[:1].strip() and mended[-1].strip():
            mended[-1] = mended[-1].rstrip() + line
        else:
            mended.append(line)
        width = len(line.rstrip())
    return "\n".join(mended)


def parse_classified_by(text: str) -> list[str]:
    """The names in the text that follows `Classified By:`."""
    text = _first_lines(text, _HEAD_LINES + 1)
    upper = _upper(text)
    repeated = _REPEATED_LABEL.match(upper)
    start = repeated.end() if repeated else 0
    end = _NAME_END.search(upper, start)
    stop = end.start() if end else len(text)
    head, head_upper = _first_lines(text[start:stop], _HEAD_LINES), upper[start:stop]
    if " AND " not in head_upper and "&" not in head_upper:
        name = _person(head)
        return [name] if name else []
    names: list[str] = []
    at = 0
    for separator in [*_PEOPLE.finditer(head_upper, 0, len(head)), None]:
        name = _person(head[at : separator.start() if separator else len(head)])
        if name and name not in names:
            names.append(name)
        at = separator.end() if separator else at
    return names


def _first_lines(text: str, count: int) -> str:
    at = -1
    for _ in range(count):
        at = text.find("\n", at + 1)
        if at < 0:
            return text
    return text[:at]


def _upper(text: str) -> str:
    """Capitals of the same length as `text`, so that offsets carry over."""
    upper = text.upper()
    return upper if len(upper) == len(text) else text.translate(_ASCII_UPPER)


@lru_cache(maxsize=4096)
def _person(text: str) -> str | None:
    """One person's name: in the first comma piece that holds one (none when the
    name was redacted: the pieces after it are offices, not people). Cached: an
    officer classifies many cables with the same words."""
    mixed_case = not text.isupper()
    pieces = _pieces(text)
    for index, (piece, suffix) in enumerate(pieces):
        if "XXXX" in piece.upper():
            return None
        tokens = _TOKEN.findall(piece)
        name = _name_in(tokens, [_kind(token, mixed_case) for token in tokens])
        if name is None:
            continue
        if index == 0 and " " not in name and index + 1 < len(pieces):
            name = _inverted(name, pieces[index + 1][0], mixed_case)
        return f"{name}, {suffix}" if suffix else name
    return None


def _pieces(text: str) -> list[tuple[str, str]]:
    """The comma pieces, each with the suffix (`JR.`, `III`) the next piece may be."""
    if "," not in text and ";" not in text:
        return [(text.strip(), "")]
    pieces: list[tuple[str, str]] = []
    for raw in _PIECES.split(text):
        piece = raw.strip()
        if pieces and _SUFFIX.fullmatch(piece.upper()):
            suffix = piece if piece.upper().startswith(("JR", "SR")) else piece.rstrip(".")
            pieces[-1] = (pieces[-1][0], suffix)
        else:
            pieces.append((piece, ""))
    return pieces


def _inverted(surname: str, piece: str, mixed_case: bool) -> str:
    """`Martinez, Vilma, Ambassador`: a given name alone in the second piece."""
    tokens = _TOKEN.findall(piece)
    kinds = [_kind(token, mixed_case) for token in tokens]
    if tokens and all(kind in ("name", "initial") for kind in kinds):
        return " ".join([*map(_clean, kinds, tokens), surname])
    return surname


@lru_cache(maxsize=8192)
def _kind(token: str, mixed_case: bool) -> str:
    """What a word of the field is: title, acronym (a title in mixed-case text, when a
    name follows), name, initial, particle, suffix, or other (which ends a name)."""
    word = token.strip(_EDGES)
    bare = word.rstrip(".'’").upper()
    if not bare:
        return "other"
    if _SUFFIX.fullmatch(word.upper()):
        return "suffix"
    if _is_title(bare):
        return "title"
    if _INITIALS.fullmatch(word):
        return "initial"
    if bare in _PARTICLES and (word[0].islower() or not mixed_case):
        return "particle"
    if "XXXX" in bare or not _NAME_WORD.fullmatch(word.rstrip(".")):
        return "other"
    if mixed_case and word.isupper() and len(bare) > 1 and "." not in word:
        return "acronym"
    return "name"


def _is_title(bare: str) -> bool:
    """A title word, by the vocabulary or by its shape; a hyphenated or slashed word
    is one when a part is (`Minister-Counselor`, `Pol-Mil`, `A/DCM`, `E/MIN`)."""
    if bare in _TITLE_WORDS or _TITLE_SHAPE.match(bare) or "/" in bare:
        return True
    parts = bare.split("-")
    return len(parts) > 1 and any(
        part in _TITLE_WORDS or _TITLE_SHAPE.match(part) for part in parts if part
    )


def _name_in(tokens: list[str], kinds: list[str]) -> str | None:
    """The last run of name words that holds a name (a run of two or more words wins
    over a lone word after it), trimmed to a name's shape."""
    if "acronym" in kinds:
        kinds = _acronyms_resolved(kinds)
    longer = last = None
    start, named = -1, False
    for index in range(len(kinds) + 1):
        kind = kinds[index] if index < len(kinds) else "other"
        if kind in _NAME_KINDS:
            if start < 0:
                start, named = index, False
            named = named or kind == "name"
        elif start >= 0:
            if named:
                last = (start, index)
                longer = last if index - start > 1 else longer
            start = -1
    run = longer or last
    if run is None:
        return None
    first, end = run
    after_connector = first > 0 and tokens[first - 1].strip(_EDGES).upper() in _CONNECTORS
    words = _trim(list(zip(kinds[first:end], tokens[first:end], strict=True)), after_connector)
    return " ".join(_clean(kind, token) for kind, token in words) or None


def _acronyms_resolved(kinds: list[str]) -> list[str]:
    """An all-capitals word in mixed-case text is an office (`ADCM Susan Elliott`) when
    a name follows it, else a name written in capitals."""
    resolved = list(kinds)
    name_after = False
    for index in range(len(kinds) - 1, -1, -1):
        if kinds[index] == "acronym":
            resolved[index] = "title" if name_after else "name"
        name_after = name_after or kinds[index] == "name"
    return resolved


def _trim(run: list[tuple[str, str]], after_connector: bool) -> list[tuple[str, str]]:
    """Trim a run to a name's shape: particles only inside; one given name before the
    initials (`Diplomatic Security Gregory B. Starr`); at most three words without
    initials, and a place dropped after `to`/`for` (`Ambassador to Sudan Timothy Carney`)."""
    while run and run[0][0] in ("particle", "suffix"):
        run = run[1:]
    suffix = run[-1:] if run and run[-1][0] == "suffix" else []
    core = run[: len(run) - len(suffix)]
    while core and core[-1][0] == "particle":
        core = core[:-1]
    initials = [index for index, (kind, _) in enumerate(core) if kind == "initial"]
    if initials:
        core = core[max(0, initials[0] - 1) :]
    else:
        if after_connector and len(core) != 2:
            core = core[1:]
        core = core[-3:]
    return [*core, *suffix]


def _clean(kind: str, token: str) -> str:
    """A word as it is shown: edge punctuation off, a full stop kept only where it
    belongs (initials, `JR.`)."""
    word = token.strip(_EDGES)
    if kind == "name":
        return word.rstrip(".")
    if kind == "suffix" and not word.upper().startswith(("JR", "SR")):
        return word.rstrip(".")
    return word
