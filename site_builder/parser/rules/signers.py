"""Rule: the signer(s), the surname line(s) at the end of the text.

Read backwards from the end, past the trailer (classification footers, `NNNN`, page
banners, `SIPDIS`, `#`, rows of stars, the "Visit ... Classified Website" notice and
its URL, `End Cable Text`, and what the web pages and newspapers appended: a date,
an SQL query, `EPET @ EL PAÍS`), to a short line of one to three words that is a
name: `DERHAM`, `Derham`, `TIMKEN JR`, `Timken jr`, `O'DONOHUE`, `STRAUSZ-HUPE`,
`DE PREE`, even `misenheimer`. Never a classification word, `END`, or a common word.
Two such lines in a row, written alike, are two signers (the same name twice is one).

Where the web page glued the signer to the last sentence (`...QUESTIONS. CLINTON`,
`...arms markets. Burns`, `END COMMENT THORNE`, `.FARRAR`, `...index. cfm Tuttle`), a
lone surname after a sentence end, a closing phrase, a redaction or a URL is taken.
Every test looks at a line's last few hundred characters at most: a 5 MB line costs
no more than a short one.
"""

from __future__ import annotations

import re

from site_builder.parser.rules.body import PAGE_BANNER, PARAGRAPH
from site_builder.parser.state import ParseState

# Lines after the signer that are never text, matched on the stripped line in capitals.
_TRAILER = re.compile(
    r"(?:NNNN|#+|\*[* ]*|SIPDIS|BT|[.\-=_ ]*|//?END//?|NOTE:.*|GP-\d|YYY|END CABLE TEXT"
    r"|(?:UNCLASSIFIED|CONFIDENTIAL|SECRET|LIMITED OFFICIAL USE)(?:\s*//\s*\w+)?"
    r"|C O N F I D E N T I A L|S E C R E T|U N C L A S S I F I E D|DECLASSIFIED/RELEASED.*"
    r"|REVIEW \d+.*|\d{4}[A-Z]+\d+ - \w+|SELECT \* FROM .*|ID:\s*\d+)"
)
_TRAILER_MAX = 120  # characters: longer lines are text (or carry a clock or an ellipsis)
# Trailer lines found by what they hold: a truncation, an e-mail or print stamp.
_ELLIPSES = ("...", '..."', "...”")
_CLOCK = re.compile(r"\d\d:\d\d:\d\d")
# The "Visit ... Classified Website" notice and its URL: a signer may be glued to its end.
_NOTICE_MARKS = ("://", ".GOV", "PORTAL:", "INTELINK", "CLASSIFIED WEB", "WEBSITE", "WEB SITE")
# How what the web pages appended to a signer line ends: `#`, a full stop, a date.
_APPENDIX_ENDS = frozenset("#.0123456789")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_NAME = re.compile(r"(?:[A-Z][A-Za-z'’\-]*[A-Za-z]|[A-Z]['’][A-Za-z]+)")
_LOWER_NAME = re.compile(r"[a-z][a-z'\-]{2,}")
_SUFFIX = re.compile(r"(?:JR|SR)\.?|II|III|IV", re.IGNORECASE)
_PARTICLES = frozenset("DE LA VAN VON DEL DI DA DU LE".split())
_SENTENCE_END = (".", "!", "?", '"', "”", "’", ")", "]")
# Words before a glued name that end no sentence: an initial, a title.
_NO_SENTENCE_END = re.compile(r"[A-Z]\.|(?:MR|MRS|MS|DR|ST|GEN|AMB|AMBASSADOR|SEN|REP)\.?")
_CLOSING_WORDS = frozenset("COMMENT TEXT UNQUOTE CONSIDERED SUMMARY NOTE FYI ENDS".split())
_REDACTION = re.compile(r"X{4,}")
# A page banner just before a glued signer (`RIO DE JAN 00000285 002 OF 002 HEARNE`).
_BANNER_END = re.compile(r"\b\d{3}(?:\.\d)?\s+OF\s+\d{3}\s+\S+$")
_PREAMBLE = ("tags", "subject", "references", "classified_by")
_NOT_NAMES = frozenset(
    """
    UNCLASSIFIED CONFIDENTIAL SECRET SIPDIS NOFORN NODIS EXDIS LIMDIS STADIS CLASSIFIED
    DECLASSIFIED LIMITED OFFICIAL USE END ENDS TEXT COMMENT COMMENTS SUMMARY QUOTE UNQUOTE
    NNNN BT NOTE THANKS REGARDS SINCERELY BEST MINIMIZE CONSIDERED FYI REFTEL SEPTEL CITY
    USG OK YES NO NONE CABLE MESSAGE PARA PAGE SECTION REF REFS TAGS SUBJECT INFO ACTION
    DRAFTED CLEARED APPROVED EMBASSY AMBASSADOR CHARGE MINISTER PRESIDENT SECRETARY
    DEPARTMENT STATE GOVERNMENT PART ONE TWO TBD THE A AN AND OR BUT OF FOR TO IN ON AT BY
    AS IS ARE WAS WERE WILL WOULD THIS THAT THESE THOSE HE SHE IT WE THEY HIS HER ITS OUR
    THEIR ALSO HOWEVER MEANWHILE STILL YET THEN THERE HERE WHEN WHILE IF
    """.split()
)
_MAX_WORDS = 3
_MAX_LINE = 40  # characters: a signer line is short
_TAIL = 300  # characters of a long line looked at
_TRAILER_LINES = 30  # how many lines from the end the signer may stand


def read_signers(state: ParseState) -> None:
    """Find the signer line(s) at the end; the body stops before them."""
    floor = _floor(state)
    index = len(state.lines) - 1
    stop = max(floor, index - _TRAILER_LINES)
    while index > stop:
        line = _strip_appendix(state.lines[index])
        if not _is_trailer(line):
            names = _line_signers(line)
            if names and (line[0].isupper() or _may_be_lower_case(state, index, line)):
                _found_lines(state, index, names, floor)
                return
            glued = _glued_signer(line)
            if glued:
                state.found("signers", [glued], index)
                return
            if not _is_notice(line):
                return
        index -= 1


def _floor(state: ParseState) -> int:
    """The signer stands after the first paragraph, or after the fields before the body."""
    start = state.body_start
    if start < len(state.lines) and PARAGRAPH.match(state.lines[start][:_TAIL]):
        return start
    ends = [state.spans[name].end - 1 for name in _PREAMBLE if name in state.spans]
    return max([state.header_end, *ends])


def _strip_appendix(line: str) -> str:
    """The line's last few hundred characters, stripped of what the web pages appended:
    `#`, a lone full stop, a date (`SOBEL 2008-01-08`)."""
    line = line[-_TAIL:].strip() if len(line) > _TAIL else line.strip()
    while line[-1:] in _APPENDIX_ENDS:
        if line.endswith("#"):
            line = line.rstrip("#").rstrip()
        elif line.endswith(" ."):
            line = line[:-1].rstrip()
        elif line[-11:-10] == " " and _ISO_DATE.fullmatch(line, len(line) - 10):
            line = line[:-11].rstrip()
        else:
            break
    return line


def _is_trailer(line: str) -> bool:
    """A line that belongs neither to the text nor to the signer."""
    if len(line) < _TRAILER_MAX and _TRAILER.fullmatch(line.upper()):
        return True
    if line.endswith(_ELLIPSES) or " @ " in line or (":" in line and _CLOCK.search(line)):
        return True
    return bool(PAGE_BANNER.match(line))


def _is_notice(line: str) -> bool:
    upper = line.upper()
    return any(mark in upper for mark in _NOTICE_MARKS)


def _found_lines(state: ParseState, index: int, names: list[str], floor: int) -> None:
    """Record the signer line, and the line above it when that is a second signer."""
    more = _second_signer(state, index, floor)
    unique: dict[str, str] = {}
    for name in [*more, *names]:
        unique.setdefault(name.upper(), name)
    first = index - 1 if more else index
    state.found("signers", list(unique.values()), first, index)
    state.end_line = first


def _second_signer(state: ParseState, index: int, floor: int) -> list[str]:
    """The line above is a second signer when it is written the same way (or is the same
    name) and is not one of a list of names (`Alexei Markov` / `Maxim Elovik` / `CLINTON`)."""
    above = _strip_appendix(state.lines[index - 1]) if index - 1 > floor else ""
    names = _line_signers(above) if above[:1].isupper() else []
    if not names:
        return []
    line = _strip_appendix(state.lines[index])
    if above.upper() == line.upper():
        return names
    higher = _strip_appendix(state.lines[index - 2]) if index - 2 > floor else ""
    alike = above.isupper() == line.isupper()
    return names if alike and not (higher[:1].isupper() and _line_signers(higher)) else []


def _may_be_lower_case(state: ParseState, index: int, line: str) -> bool:
    """A lower-case word is a signer only after a finished sentence (or a blank line, a
    trailer, the same name): never the last word of a wrapped sentence."""
    above = _strip_appendix(state.lines[index - 1]) if index > 0 else ""
    if not above or above.endswith(_SENTENCE_END) or above.upper() == line.upper():
        return True
    return above.split()[-1].upper().strip(".") in _CLOSING_WORDS or _is_trailer(above)


def _line_signers(line: str) -> list[str]:
    """The names on a line that holds nothing else: `TIMKEN JR`, `DE PREE`, `misenheimer`;
    `KUBISKE KUBISKE` is one name."""
    words = line.split()
    if not words or len(words) > _MAX_WORDS or len(line) > _MAX_LINE:
        return []
    if len(words) == 2 and words[0].upper() == words[1].upper():
        words = words[:1]
    if len(words) == 1 and _LOWER_NAME.fullmatch(words[0]):
        return words if _is_name(words[0]) else []
    for position, word in enumerate(words):
        suffix = position > 0 and _SUFFIX.fullmatch(word)
        particle = position < len(words) - 1 and word.upper() in _PARTICLES
        if not (suffix or particle or (_NAME.fullmatch(word) and _is_name(word))):
            return []
    return [" ".join(words)]


def _glued_signer(line: str) -> str | None:
    """A surname glued to the end of the last sentence of a long line."""
    words = line.split()
    if len(words) < 2:
        return None
    name, before = words[-1], words[-2]
    if name.startswith(".") and len(name) > 1:
        name, before = name.lstrip("."), "."
    if not _NAME.fullmatch(name) or not _is_name(name):
        return None
    if before.upper() in _PARTICLES and before.isupper() and len(words) > 2:
        name, before = f"{before} {name}", words[-3]
    if not _closes(before, line):
        return None
    return name if name.isupper() or len(name) > 2 else None


def _closes(word: str, line: str) -> bool:
    """Whether `word` may stand right before a glued signer: it ends a sentence, is a
    closing word (`END COMMENT`), a redaction, punctuation, a page banner's end, or
    part of a URL."""
    upper = word.upper()
    if _NO_SENTENCE_END.fullmatch(upper):
        return False
    if word.endswith(_SENTENCE_END) or not any(char.isalnum() for char in word):
        return True
    if upper in _CLOSING_WORDS or _REDACTION.fullmatch(upper):
        return True
    return bool(_BANNER_END.search(line)) or "://" in line or ".GOV" in line.upper()


def _is_name(word: str) -> bool:
    upper = word.upper().strip(".")
    return upper not in _NOT_NAMES and not _REDACTION.fullmatch(upper)
