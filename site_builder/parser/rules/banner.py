"""Rule: the classification banner, the level and caveats it carries.

Handles: `UNCLAS GUATEMALA 001906`, `C O N F I D E N T I A L SECTION 01 OF 03 BERLIN
001767`, `S e c r e t state 004134`, `SECRET//NOFORN`, stray doubled letters
(`SS E C R E T`, `UUNCLAS`), and the caveat lines between the banner and the
E.O. line (SIPDIS, NOFORN, SENSITIVE, EXDIS...). Without a banner, the header's
`ZNY CCCCC` code gives the level.
"""

from __future__ import annotations

import re

from site_builder.parser.state import HEADER_LIMIT, ParseState

_SPACED = r"\s?".join
_LEVEL = (
    r"(?P<level>"
    + "|".join(
        (
            _SPACED("UNCLASSIFIED"),
            _SPACED("UNCLAS"),
            _SPACED("CONFIDENTIAL"),
            _SPACED("SECRET"),
            r"LIMITED\s+OFFICIAL\s+USE",
        )
    )
    + r")"
)
BANNER = re.compile(
    r"^[ \t]*(?:U(?=UNCLAS)|S(?=S\s?E\s?C)|C(?=C\s?O\s?N))?"
    + _LEVEL
    + r"(?:\s*//\s*(?P<caveat>[A-Z]+))?"
    + r"(?:[ \t]+SECTION[ \t]+(?P<section>\d+)[ \t]+OF[ \t]+(?P<sections>\d+))?"
    + r"(?:[ \t]+(?P<station>[A-Z][A-Z.'\- ]*?)[ \t]+(?P<serial>\d{1,7}))?"
    + r"[ \t]*(?P<rest>.*)$",
    re.IGNORECASE | re.MULTILINE,
)
_ZN_CODE = re.compile(r"^ZN[RY][ \t]+(?P<code>[UECS])(?P=code){4}\b", re.MULTILINE)
_ZN_LEVELS = {"U": "UNCLASSIFIED", "E": "UNCLASSIFIED", "C": "CONFIDENTIAL", "S": "SECRET"}
_CAVEAT_WORDS = (
    "NOFORN",
    "SIPDIS",
    "SENSITIVE",
    "NODIS",
    "EXDIS",
    "LIMDIS",
    "STADIS",
    "ROGER",
    "CHEROKEE",
    "FOUO",
    "SBU",
    "EFTO",
    "ORCON",
    "NOCONTRACT",
    "PROPIN",
    "REL",
)
_CAVEAT = re.compile(r"\b(" + "|".join(_CAVEAT_WORDS) + r")\b", re.IGNORECASE)
# A line that ends the caveat block: the E.O. line, TAGS, SUBJECT, or a paragraph.
_CAVEATS_END = re.compile(
    r"^\s*(?:E\.?\s?O\.?\s*1\d{3,4}|EO\b|TAGS?\b|SUBJ|REF|CLASSIFIED\s+BY|\d+\.)", re.IGNORECASE
)
# Within a line, caveats stop where the E.O. or TAGS field begins (one-line headers).
_CAVEATS_STOP = re.compile(r"\bE\.?\s?O\.?\s*1\d{3,4}|\bTAGS?\b", re.IGNORECASE)
# Lines between the banner and the E.O. line that are no instruction: a repeated
# classification, a date line, a correction notice.
_BANNER_ECHO = re.compile(
    r"(?:UNCLASSIFIED|CONFIDENTIAL|SECRET|C O N F|S E C R E T|C O R R E C T E D)"
    r"|\w+day, \d{1,2} \w+ \d{4}",
    re.IGNORECASE,
)
_NOFORN_HEAD = re.compile(r"^\s*NOFORN\b", re.IGNORECASE)
_METADATA_ECHO = re.compile(r"^>[ \t]*\n\d{1,2}/\d{1,2}/\d{4} \d", re.MULTILINE)


def read_banner(state: ParseState) -> None:
    """Find the banner line; it ends the telegram header and starts the body."""
    limit = state.preamble_end()
    start = max(_after_metadata_echo(state, limit), _after_from_line(state, limit))
    first = state.line_of(start) + (1 if start and state.text[start - 1 : start] != "\n" else 0)
    for line in range(first, min(HEADER_LIMIT, len(state.lines))):
        text = state.lines[line]
        if not text.lstrip()[:1].isalpha():
            continue
        match = BANNER.match(text)
        if match is None or not _is_banner(match):
            continue
        state.banner_line = line
        state.header_end = line
        level = _level_name(match.group("level"))
        state.found("banner_level", level, line)
        if match.group("station"):
            state.found("banner_station", " ".join(match.group("station").split()), line)
            state.found("banner_serial", match.group("serial"), line)
        if match.group("caveat"):
            state.found("banner_caveat", match.group("caveat").upper(), line)
        state.found("banner_rest", match.group("rest"), line)
        return
    state.header_end = _header_end_without_banner(state)


def _after_metadata_echo(state: ParseState, limit: int) -> int:
    """Skip the CSV dump's echo of the metadata and header (`>`, date, ID...), if any.

    Some cables carry, after their header, the dump's row (`>`, a date, the
    published ID, the origin, the classification, the references) and the
    header again; its classification line is not the banner.
    """
    at = state.text.find("\n>", 0, limit)
    echo = _METADATA_ECHO.match(state.text, at + 1) if at >= 0 else None
    if echo is None:
        return 0
    line = state.line_of(echo.start())
    fields = [state.lines[i].strip() for i in range(line + 1, min(line + 6, len(state.lines)))]
    state.found("echo", fields, line, min(line + 5, len(state.lines) - 1))
    return state.offset_of(line + 5)


def _after_from_line(state: ParseState, limit: int) -> int:
    """A banner comes after the FM line (some dumps repeat it above the header)."""
    at = state.text.find("\nFM ", 0, limit)
    if at < 0:
        return 0
    end = state.text.find("\n", at + 1)
    return end if end >= 0 else limit


def _is_banner(match: re.Match[str]) -> bool:
    """A banner names a station and serial, a SECTION, or stands alone on its line."""
    if match.group("serial") or match.group("section"):
        return True
    rest = match.group("rest").strip()
    return rest == "" or rest.upper() in {"SIPDIS", "NOFORN"}


def _level_name(raw: str) -> str:
    squeezed = re.sub(r"\s+", "", raw).upper()
    if squeezed.startswith("UNCLAS"):
        return "UNCLASSIFIED"
    if squeezed.startswith("LIMITED"):
        return "LIMITED OFFICIAL USE"
    return squeezed


def _header_end_without_banner(state: ParseState) -> int:
    """Without a banner, the header ends at the first blank line after the FM/TO block."""
    for index, line in enumerate(state.lines[:HEADER_LIMIT]):
        if line.startswith(("TAGS", "SUBJECT", "E.O.", "EO ")):
            return index
    return 0


def read_classification(state: ParseState) -> None:
    """Combine the banner level, its caveat lines and the header code into one marking.

    When the banner belongs to another cable than the header (the release has
    cables whose body was pasted from another), the header's code is the one
    that describes this cable.
    """
    level = state.values.get("banner_level")
    line = state.banner_line
    if level is None or state.values.get("foreign_body"):
        end = state.offset_of(state.header_end) if state.header_end else state.preamble_end()
        code = _ZN_CODE.search(state.text, 0, min(end, state.preamble_end()))
        if code is not None:
            level = _ZN_LEVELS[code.group("code")]
            line = state.line_of(code.start())
        elif line is not None:
            state.warn(line, "no classification code in the header: the level is the body's")
    if level is None or line is None:
        return
    caveats = _read_caveats(state)
    state.found("caveats", caveats, line)
    marking = level
    if _noforn_line(state):
        marking += "//NOFORN"
    elif level == "UNCLASSIFIED" and {"SENSITIVE", "SBU", "FOUO"} & set(caveats):
        marking += "//FOR OFFICIAL USE ONLY"
    state.found("classification", marking, line)


def _noforn_line(state: ParseState) -> bool:
    """NOFORN marks the cable when it heads a caveat line (`NOFORN`, `NOFORN SIPDIS`) or
    follows the banner level (`SECRET//NOFORN` banner).

    A line like `SECRET NOFORN` or `SECRET/NOFORN` below the banner repeats a
    marking of the text, not of the cable: the release's metadata does not count it.
    """
    if state.values.get("banner_caveat") == "NOFORN":
        return True
    if state.banner_line is None:
        return False
    for index in range(state.banner_line + 1, min(state.banner_line + 15, len(state.lines))):
        line = state.lines[index]
        if _CAVEATS_END.match(line):
            break
        if _NOFORN_HEAD.match(line):
            return True
    return False


def _read_caveats(state: ParseState) -> list[str]:
    """Handling caveats from the banner and the lines after it, up to the E.O. line; the
    other lines there are handling instructions (`DEPT FOR G/TIP`), kept as written."""
    caveats: list[str] = []
    banner_caveat = state.values.get("banner_caveat")
    if banner_caveat:
        caveats.append(banner_caveat)
    if state.banner_line is None:
        return caveats
    texts = [state.values.get("banner_rest", "")]
    handling: list[str] = []
    for index in range(state.banner_line + 1, min(state.banner_line + 15, len(state.lines))):
        line = state.lines[index]
        if _CAVEATS_END.match(line):
            break
        texts.append(line)
        words = line.strip()
        if words and not _CAVEAT.sub("", words).strip(" ,;./") and len(words) < 200:
            continue  # a line of caveat words only
        if words and len(words) < 200 and not _BANNER_ECHO.match(words):
            handling.append(" ".join(words.split()))
    if handling:
        state.found("handling", handling, state.banner_line + 1)
    for text in texts:
        for word in _CAVEAT.findall(_CAVEATS_STOP.split(text, 1)[0]):
            upper = word.upper()
            if upper not in caveats:
                caveats.append(upper)
    return caveats
