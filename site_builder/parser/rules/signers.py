"""Rule: the signer(s), the surname line(s) at the end of the text.

Read backwards from the end, past the trailer (classification footers, `NNNN`,
page banners, `SIPDIS`, `#`), to a short line of one or two surnames (`DERHAM`,
`TIMKEN JR`, `O'DONOHUE`, `STRAUSZ-HUPE`, `DE PREE`). Never a classification word.
Two such lines in a row can mean two signers. Where the web page glued the signer
to the last sentence (`...QUESTIONS. CLINTON`), a lone upper-case surname after the
final full stop is taken too.
"""

from __future__ import annotations

import re

from site_builder.parser.rules.body import PAGE_BANNER
from site_builder.parser.state import ParseState

_TRAILER = re.compile(
    r"^\s*(?:NNNN|#+|SIPDIS|BT|\.|-+|=+|//?END//?|NOTE:.*|GP-\d|YYY|"
    r"(?:UNCLASSIFIED|CONFIDENTIAL|SECRET|LIMITED OFFICIAL USE)(?:\s*//\s*\w+)?|"
    r"DECLASSIFIED/RELEASED.*|REVIEW \d+.*|\d{4}[A-Z]+\d+ - \w+|C O N F I D E N T I A L|"
    r"S E C R E T)?\s*$",
    re.IGNORECASE,
)
_SIGNER = re.compile(
    r"^\s*(?P<name>(?:[A-Z][A-Za-z'\-]*[a-zA-Z]|[A-Z]')(?:[ \t]+(?:JR|SR|II|III|IV)\.?)?"
    r"(?:[ \t]+[A-Z][A-Za-z'\-]*[A-Za-z])?)\s*#*\s*$"
)
_GLUED = re.compile(r"[.!?\"”)]\s+(?P<name>[A-Z][A-Z'\-]{2,}(?:\s+JR\.?)?)\s*$")
_NOT_NAMES = {
    "UNCLASSIFIED",
    "CONFIDENTIAL",
    "SECRET",
    "SIPDIS",
    "NOFORN",
    "END",
    "TEXT",
    "COMMENT",
    "SUMMARY",
    "UNQUOTE",
    "QUOTE",
    "NNNN",
    "BT",
    "NOTE",
    "ENDS",
    "THANKS",
    "MINIMIZE",
    "TEXT.",
    "FYI",
    "REFTEL",
    "SEPTEL",
    "NODIS",
    "EXDIS",
    "CITY",
    "USG",
    "OK",
}


def read_signers(state: ParseState) -> None:
    """Find the signer line(s) at the end; the body stops before them."""
    index = len(state.lines) - 1
    floor = max(state.body_start, state.header_end)
    while index > floor and (
        _TRAILER.match(state.lines[index]) or PAGE_BANNER.match(state.lines[index])
    ):
        index -= 1
    signers: list[str] = []
    first = index
    while index > floor and len(signers) < 2:
        match = _SIGNER.match(state.lines[index])
        if match is None or not _is_name(match.group("name")):
            break
        signers.insert(0, " ".join(match.group("name").split()))
        first = index
        index -= 1
        if state.lines[index].strip() == "" or _TRAILER.match(state.lines[index]):
            break
    if signers:
        state.found("signers", signers, first, first + len(signers) - 1)
        state.end_line = first
        return
    glued = _GLUED.search(state.lines[index]) if index > floor else None
    if glued and _is_name(glued.group("name")):
        state.found("signers", [glued.group("name")], index)


def _is_name(name: str) -> bool:
    words = name.upper().replace(".", "").split()
    return bool(words) and not any(word in _NOT_NAMES for word in words) and len(name) <= 40
