"""Turn the bytes of a cable file into clean text, keeping every line where it was.

Cables come from leaked files, scraped pages and CSV dumps, so the bytes may be
UTF-8 or cp1252, carry a BOM, CRLF line ends, NUL or control characters, and the
web pages' link residue (`[PGOV](#)`, `[1](#)3.`). Everything here keeps the
number of lines unchanged, so that a line number read after cleaning is the
line number of the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

# `[1](#)` before a digit was the web page's paragraph mark: the number follows it.
_PARAGRAPH_MARK = re.compile(r"\[\d{1,3}\]\(#\)(?=\d)")
# Any other `[X](#)` was a link around X (a tag, a reference letter).
_LINK_RESIDUE = re.compile(r"\[([^\]\n]{0,80})\]\(#\)")
# C0 controls but tab and newline, DEL, and C1 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)---[ \t]*(?:\n|\Z)", re.DOTALL)


@dataclass(frozen=True, slots=True)
class Decoded:
    """Text decoded from bytes, with the notes worth a warning (line, message)."""

    text: str
    notes: tuple[tuple[int, str], ...] = ()


def decode(data: bytes) -> Decoded:
    """Decode as UTF-8, else cp1252 (bytes cp1252 leaves undefined read as Latin-1)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return Decoded(data.decode("utf-8"))
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        text = data.decode("cp1252", errors="_latin1_fallback")
        return Decoded(text, ((line, "not UTF-8: read as cp1252"),))


def _latin1_fallback(error: UnicodeError) -> tuple[str, int]:
    """Read the five bytes cp1252 leaves undefined as their Latin-1 characters."""
    assert isinstance(error, UnicodeDecodeError)
    return error.object[error.start : error.end].decode("latin-1"), error.end


def _register_fallback() -> None:
    import codecs

    codecs.register_error("_latin1_fallback", _latin1_fallback)


_register_fallback()


def normalise(text: str) -> Decoded:
    """Unify line ends, drop a BOM, and blank out control characters (noting the first)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    notes: tuple[tuple[int, str], ...] = ()
    found = _CONTROL.search(text) if _may_have_controls(text) else None
    if found:
        line = text.count("\n", 0, found.start()) + 1
        count = len(_CONTROL.findall(text))
        notes = ((line, f"{count} control character(s) replaced by spaces"),)
        text = _CONTROL.sub(" ", text)
    return Decoded(text, notes)


_C0_BYTES = bytes([*range(0, 9), 11, 12, *range(14, 32), 127])


def _may_have_controls(text: str) -> bool:
    """A fast test before the slow one: C0 controls by a byte count, C1 by their lead byte."""
    data = text.encode("utf-8", "surrogatepass")
    return len(data.translate(None, _C0_BYTES)) != len(data) or b"\xc2" in data


def strip_link_residue(text: str) -> str:
    """Remove the web pages' link residue: `[PGOV](#)` -> `PGOV`, `[1](#)3.` -> `3.`."""
    if "](#)" not in text:
        return text
    return _LINK_RESIDUE.sub(r"\1", _PARAGRAPH_MARK.sub("", text))


# The CSV dump's paragraph and item marks (`¶3.`, `¶B.`): what the web pages' residue is
# in the other form. The parser reads the text without them, so both forms read alike.
_PILCROW_MARK = re.compile(r"¶[ \t]?(?=\d{1,4}[.)]|[A-Z][.)])")


def drop_pilcrow_marks(text: str) -> str:
    """`¶3.` -> `3.`, `¶B.` -> `B.`: the marks the CSV form carries before paragraphs and items."""
    return _PILCROW_MARK.sub("", text) if "¶" in text else text


@dataclass(frozen=True, slots=True)
class FrontMatter:
    """A leading `---` block: its values, and how many lines it took (kept blank)."""

    values: dict[str, object]
    lines: int
    error: str | None = None


def split_front_matter(text: str) -> tuple[FrontMatter | None, str]:
    """Read a leading YAML block with `yaml.safe_load`; return the rest with its lines blanked.

    The block's lines are replaced by empty lines rather than removed, so that
    the line numbers of the text stay those of the file.
    """
    if not text.startswith("---"):
        return None, text
    match = _FRONT_MATTER.match(text)
    if match is None:
        return FrontMatter({}, 1, "front matter is not closed by a '---' line"), text
    block = match.group(1)
    lines = block.count("\n") + 2
    rest = "\n" * (lines - (0 if match.group(0).endswith("\n") else 1)) + text[match.end() :]
    try:
        values = yaml.safe_load(block)
    except yaml.YAMLError as error:
        return FrontMatter(
            {}, lines, f"front matter is not valid YAML: {_yaml_problem(error)}"
        ), rest
    if values is None:
        values = {}
    if not isinstance(values, dict):
        return FrontMatter({}, lines, "front matter is not a mapping of names to values"), rest
    return FrontMatter({str(k): v for k, v in values.items()}, lines), rest


def _yaml_problem(error: yaml.YAMLError) -> str:
    problem = getattr(error, "problem", None)
    return str(problem or error).splitlines()[0]
