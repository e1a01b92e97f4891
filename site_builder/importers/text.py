"""Import cable texts in any form: wrapped or not, CRLF, a BOM, cp1252 bytes, any name.

Each file becomes the archive's form (UTF-8, LF, the seed's blank lines) under
the reference ID the parser reads from it: from the text, or from the file's
name or front matter where the text cannot say (a partial extract named
`04ANKARA348.txt`). What only the name or the front matter knew is carried
into the new file's front matter by the writer, so nothing is lost on the way.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from site_builder.importers.writer import CableText, seed_form
from site_builder.model import Problem, Severity
from site_builder.parser import parse_bytes
from site_builder.source import decode, normalise, split_front_matter
from site_builder.stages.discover import cable_files


def read_texts(src: Path) -> Iterator[CableText | Problem]:
    """Every cable text at `src` (a file, or a folder searched for `*.txt`)."""
    for path in cable_files([src]):
        yield read_text(path)


def read_text(path: Path) -> CableText | Problem:
    """One file's cable, or the reason it holds none."""
    try:
        data = path.read_bytes()
    except OSError as error:
        return Problem(str(path), 1, Severity.ERROR, f"cannot read: {error.strerror or error}")
    cable = parse_bytes(data, str(path))
    if cable.reference_id is None:
        errors = [p for p in cable.problems if p.severity is Severity.ERROR]
        return errors[0] if errors else Problem(str(path), 1, Severity.ERROR, "no reference ID")
    _front, text = split_front_matter(normalise(decode(data).text).text)
    return CableText(cable.reference_id, seed_form("", text), cable.date, str(path), 1)
