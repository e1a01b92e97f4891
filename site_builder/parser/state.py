"""The state the parser's rules share: the cleaned lines, the regions found so far,
the fields read, their line spans, and the problems met.

Rules run in order (see `site_builder.parser.rules.RULES`); each reads the text,
records what it found with `found()`, and leaves landmarks (`banner_line`,
`body_start`) for the rules after it.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any

from site_builder.model import Problem, Severity, Span
from site_builder.tables import Tables

# How far into a cable the header and the fields before the body may stand: in lines,
# and in characters (so that a file of one enormous line is not searched whole).
HEADER_LIMIT = 400
PREAMBLE_CHARS = 100_000
# The most blanks a field label may stand behind at the start of its line.
LINE_START_REACH = 200


@dataclass
class ParseState:
    """What the rules know about one cable while it is being read."""

    source: str
    text: str
    tables: Tables
    front: dict[str, Any] = field(default_factory=dict)
    file_id: str | None = None
    lines: list[str] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    # The text in capitals, offset for offset: case-sensitive patterns with a literal
    # prefix search it far faster than IGNORECASE patterns search the text.
    upper: str = ""
    values: dict[str, Any] = field(default_factory=dict)
    spans: dict[str, Span] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    # Landmarks, as 0-based line indexes; None until a rule finds them.
    banner_line: int | None = None
    header_end: int = 0
    body_start: int = 0
    end_line: int = 0

    def __post_init__(self) -> None:
        self.lines = self.text.split("\n")
        lengths = accumulate(map(len, self.lines[:-1]), initial=0)
        self.starts = [total + index for index, total in enumerate(lengths)]
        self.end_line = len(self.lines)
        upper = self.text.upper()
        # A few characters change length in capitals (ß -> SS): keep offsets aligned.
        self.upper = upper if len(upper) == len(self.text) else _ascii_upper(self.text)

    def line_of(self, offset: int) -> int:
        """The 0-based index of the line holding character `offset`."""
        return bisect_right(self.starts, offset) - 1

    def offset_of(self, line: int) -> int:
        """The character offset where 0-based line `line` starts (the end for past-the-end)."""
        if line >= len(self.starts):
            return len(self.text)
        return self.starts[line]

    def span(self, first: int, last: int) -> Span:
        """A 1-based span from 0-based first and last line indexes."""
        return Span(first + 1, last + 1)

    def found(self, name: str, value: Any, first: int, last: int | None = None) -> None:
        """Record a field's value and the lines (0-based, inclusive) it was read from."""
        self.values[name] = value
        self.spans[name] = self.span(first, first if last is None else last)

    def warn(self, line: int, message: str) -> None:
        """Note a warning at 0-based line `line`."""
        self.problems.append(Problem(self.source, line + 1, Severity.WARNING, message))

    def error(self, line: int, message: str) -> None:
        """Note an error at 0-based line `line`."""
        self.problems.append(Problem(self.source, line + 1, Severity.ERROR, message))

    def at_line_start(self, offset: int) -> bool:
        """Whether only blanks stand between the start of its line and `offset`.

        Looks back a bounded distance, so a label on an enormous line costs little.
        """
        line_start = self.starts[self.line_of(offset)]
        if offset - line_start > LINE_START_REACH:
            return False
        return not self.text[line_start:offset].strip(" \t")

    def preamble_end(self) -> int:
        """The offset past which no field before the body is looked for."""
        return min(self.offset_of(min(HEADER_LIMIT, len(self.lines))), PREAMBLE_CHARS)

    def region(self, first: int, last: int) -> str:
        """The text of lines first..last-1 (0-based), for rules that search a block."""
        return self.text[self.offset_of(first) : self.offset_of(last)]


_ASCII_UPPER = {code: code - 32 for code in range(ord("a"), ord("z") + 1)}


def _ascii_upper(text: str) -> str:
    """Capitals for ASCII letters only: the same length as `text`, always."""
    return text.translate(_ASCII_UPPER)
