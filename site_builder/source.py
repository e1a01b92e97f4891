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
# C0 controls but tab and newline, DEL, C1 controls, and the two noncharacters no XML
# document may hold (a feed with one is unreadable).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")
# Characters that change how text shows without being seen: direction overrides and
# isolates (a subject or an ID that reads backwards), zero-width spaces and word joiners
# (an ID cut in two invisibly), a BOM in mid-text.
_INVISIBLE = re.compile("[\u200b\u202a-\u202e\u2060\u2066-\u2069\ufeff]")
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
    """Unify line ends, drop a BOM, blank out control characters and remove invisible ones
    (noting the first of each kind)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    notes: list[tuple[int, str]] = []
    if _all_printable(text):
        return Decoded(text)
    if _may_have_controls(text):
        text, line, count = _replace(text, _CONTROL, " ")
        if count:
            notes.append((line, f"{count} control character(s) replaced by spaces"))
    text, line, count = _replace(text, _INVISIBLE, "")
    if count:
        notes.append((line, f"{count} invisible character(s) removed (direction or zero-width)"))
    return Decoded(text, tuple(notes))


def _replace(text: str, pattern: re.Pattern[str], by: str) -> tuple[str, int, int]:
    """`text` with every match of `pattern` replaced by `by`, the line of the first match
    and how many there were (0, 0 for none). Never adds or removes a line."""
    found = pattern.search(text)
    if found is None:
        return text, 0, 0
    line = text.count("\n", 0, found.start()) + 1
    text, count = pattern.subn(by, text)
    return text, line, count


def _all_printable(text: str) -> bool:
    """A fast test that there is nothing to clean: every character this module blanks or
    removes is unprintable to Python (`str.isprintable`), and so are line ends and tabs,
    which stay."""
    return text.replace("\n", " ").replace("\t", " ").isprintable()


_C0_BYTES = bytes([*range(0, 9), 11, 12, *range(14, 32), 127])
_NONCHARACTERS = (b"\xef\xbf\xbe", b"\xef\xbf\xbf")


def _may_have_controls(text: str) -> bool:
    """A fast test before the slow one: C0 controls by a byte count, C1 by their lead byte,
    the two noncharacters by their bytes."""
    data = text.encode("utf-8", "surrogatepass")
    return (
        len(data.translate(None, _C0_BYTES)) != len(data)
        or b"\xc2" in data
        or any(bad in data for bad in _NONCHARACTERS)
    )


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
    return FrontMatter({str(k): _cleaned(v) for k, v in values.items()}, lines), rest


def _cleaned(value: object) -> object:
    """A front-matter value without what `normalise` takes out of text: YAML's escapes
    (`"\\0"`, `"\\u202e"`) would bring it back into names and titles."""
    if isinstance(value, str):
        return _INVISIBLE.sub("", _CONTROL.sub(" ", value))
    if isinstance(value, list):
        return [_cleaned(item) for item in value]
    if isinstance(value, dict):
        return {key: _cleaned(item) for key, item in value.items()}
    return value


def _yaml_problem(error: yaml.YAMLError) -> str:
    problem = getattr(error, "problem", None)
    return str(problem or error).splitlines()[0]
