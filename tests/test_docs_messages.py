"""The README documents every error and warning the tool can print: each message written
in the code (found by reading the source with `ast`, not by a list kept by hand) must
stand in the README's "Errors and warnings" section, in the order of its words, with
anything for the values the message fills in.

Messages are found where the code makes them: the message after a severity
(`Problem(path, line, Severity.ERROR, message)`), the last argument of `warn()` and
`error()`, the first of `UsageError()` and `BuildFailed()`, a front matter's error, a
`(line, message)` note, and a line written to the terminal that starts with `warning:`.
A message held in a variable is followed to what the function assigned to it.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "site_builder"
README = ROOT / "README.md"
SECTION = "## Errors and warnings"
# The code held 78 messages when this test was written: finding far fewer means the
# scan no longer understands the code, not that the messages went away.
FEWEST = 50
# A message with fewer letters of its own than this is all values (`{name}: {message}`,
# an exception's own text): the README describes those by kind.
FEWEST_LETTERS = 6
_SEVERITY_NAMES = {"ERROR", "WARNING"}  # `Severity.ERROR`, or the same bound to a name
_LAST_ARGUMENT = {"warn", "error"}
_FIRST_ARGUMENT = {"UsageError", "BuildFailed"}
_NOTES = {"append", "Decoded"}  # `notes.append((line, message))`


@dataclass(frozen=True)
class Template:
    """A message as the code writes it: its own text, and None where a value goes."""

    where: str
    pieces: tuple[str | None, ...]

    @property
    def letters(self) -> int:
        return sum(char.isalpha() for piece in self.pieces if piece for char in piece)

    def pattern(self) -> re.Pattern[str]:
        """Its own text in order, anything (on the same line) for each value."""
        return re.compile("".join(".+?" if p is None else re.escape(p) for p in self.pieces))

    def __str__(self) -> str:
        shown = "".join("…" if piece is None else piece for piece in self.pieces)
        return f"{self.where}: {shown}"


def _name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    return call.func.attr if isinstance(call.func, ast.Attribute) else None


def _is_severity(node: ast.expr) -> bool:
    name = node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", None)
    return name in _SEVERITY_NAMES


def message_arguments(call: ast.Call) -> list[ast.expr]:
    """The arguments of `call` that are messages the tool prints, by the conventions above."""
    name, args = _name(call), call.args
    for index, arg in enumerate(args[:-1]):
        if _is_severity(arg):
            return [args[index + 1]]
    if name in _LAST_ARGUMENT and args:
        return [args[-1]]
    if name in _FIRST_ARGUMENT and args:
        return [args[0]]
    if name == "FrontMatter" and len(args) > 2:
        return [args[2]]
    if name in _NOTES:
        notes = [n for arg in args for n in ast.walk(arg) if isinstance(n, ast.Tuple)]
        return [note.elts[1] for note in notes if len(note.elts) == 2]
    if name in ("write", "print") and args and _starts_with(args[0], "warning:"):
        return [args[0]]
    return []


def _starts_with(node: ast.expr, prefix: str) -> bool:
    first = node.values[0] if isinstance(node, ast.JoinedStr) and node.values else node
    return isinstance(first, ast.Constant) and str(first.value).startswith(prefix)


def _pieces(
    node: ast.expr, assigned: dict[str, list[ast.expr]], depth: int = 0
) -> Iterator[tuple[str | None, ...]]:
    """The templates an expression can be: a text, an f-string, either branch of `a if c
    else b`, or what a variable of the function was assigned."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield (node.value,)
    elif isinstance(node, ast.JoinedStr):
        yield tuple(
            v.value if isinstance(v, ast.Constant) and isinstance(v.value, str) else None
            for v in node.values
        )
    elif isinstance(node, ast.IfExp):
        yield from _pieces(node.body, assigned, depth)
        yield from _pieces(node.orelse, assigned, depth)
    elif isinstance(node, ast.Name) and depth < 3:
        for value in assigned.get(node.id, []):
            yield from _pieces(value, assigned, depth + 1)


def _scopes(tree: ast.Module) -> Iterator[ast.AST]:
    yield tree
    yield from (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef))


def _assignments(scope: ast.AST) -> dict[str, list[ast.expr]]:
    found: dict[str, list[ast.expr]] = {}
    for node in ast.walk(scope):
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name):
                found.setdefault(target.id, []).append(node.value)
    return found


def _trimmed(pieces: tuple[str | None, ...]) -> tuple[str | None, ...]:
    """Without the line end a message written to a stream carries."""
    *most, last = pieces
    return (*most, last.rstrip("\n")) if last else pieces


def message_templates() -> list[Template]:
    """Every message template in the package, once each (where it is first made)."""
    found: dict[tuple[str | None, ...], Template] = {}
    for path in sorted(SOURCE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for scope in _scopes(tree):
            assigned = _assignments(scope)
            for call in (n for n in ast.walk(scope) if isinstance(n, ast.Call)):
                for argument in message_arguments(call):
                    for pieces in map(_trimmed, _pieces(argument, assigned)):
                        where = f"{path.relative_to(ROOT)}:{call.lineno}"
                        found.setdefault(pieces, Template(where, pieces))
    return [t for t in found.values() if t.letters >= FEWEST_LETTERS]


def readme_section() -> str:
    text = README.read_text(encoding="utf-8")
    assert SECTION in text, f"README.md has no {SECTION!r} section"
    section = text.split(SECTION, 1)[1]
    return re.split(r"^## ", section, maxsplit=1, flags=re.MULTILINE)[0]


def test_the_scan_finds_the_messages_of_the_code() -> None:
    templates = message_templates()
    assert len(templates) >= FEWEST, "\n".join(map(str, templates))
    # It must see each way a message is made, or the README check proves little.
    said = {"".join(p for p in t.pieces if p) for t in templates}
    for known in (
        "empty file: no cable in it",  # state.error()
        "duplicate reference ID : also in ",  # Problem() with a severity
        "alias  is not a name: left out",  # a local warn()
        " invisible character(s) removed (direction or zero-width)",  # a (line, note)
        "front matter is not closed by a '---' line",  # a front matter error
        ": no such folder (is --content right?)",  # UsageError()
        "not UTF-8: read as cp1252",  # a note of the decoder
    ):
        assert known in said, known


def test_the_readme_documents_every_message() -> None:
    section = readme_section()
    missing = [str(t) for t in message_templates() if not t.pattern().search(section)]
    assert not missing, "README.md's Errors and warnings section lacks:\n" + "\n".join(missing)


def test_a_message_missing_from_the_readme_is_caught() -> None:
    invented = Template("here", ("no such message, ", None, ", anywhere"))
    assert not invented.pattern().search(readme_section())
    documented = Template("here", ("duplicate reference ID ", None, ": also in ", None))
    assert documented.pattern().search(readme_section())
