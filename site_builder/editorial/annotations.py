"""Editorial notes on cables: `content/annotations/<REFERENCE_ID>.md`.

The text before the first `## ¶N` heading is the note on the whole cable (shown above
its body); each `## ¶3` section is the note on paragraph 3 (shown beside it). Front
matter may give `title`, `date` (of the note) and `sources`: a list of links to press
articles or documents, each a URL or a `{title, url}` mapping.

    ---
    sources:
      - title: The 2007 Trafficking in Persons Report
        url: https://2001-2009.state.gov/g/tip/rls/tiprpt/2007/
    ---
    The whole-cable note...

    ## ¶4
    A note beside paragraph 4.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from site_builder.catalog import Catalog
from site_builder.ids import canonical_id, is_safe_id
from site_builder.markdown import allowed_link
from site_builder.model import Problem, Severity
from site_builder.source import decode, normalise, split_front_matter
from site_builder.source_names import markdown_files

_PARAGRAPH_HEADING = re.compile(
    r"^##[ \t]+(?:¶|[Pp]ara(?:graph)?\.?)[ \t]*(?P<number>\d{1,4})[ \t]*#*[ \t]*$", re.MULTILINE
)


@dataclass(frozen=True, slots=True)
class Source:
    """A document a note rests on."""

    title: str
    url: str


@dataclass(frozen=True, slots=True)
class ParagraphNote:
    number: str
    text: str  # Markdown
    line: int


@dataclass(frozen=True, slots=True)
class Annotation:
    """The notes on one cable."""

    reference_id: str
    source: str
    title: str | None
    date: str | None
    note: str  # Markdown: the note on the whole cable
    paragraphs: tuple[ParagraphNote, ...]
    sources: tuple[Source, ...]

    def note_on(self, number: str) -> ParagraphNote | None:
        return next((note for note in self.paragraphs if note.number == number), None)


def read_annotations(content: Path) -> tuple[dict[str, Annotation], list[Problem]]:
    """Every annotation by its file's reference ID, and the problems met reading them."""
    folder = content / "annotations"
    found: dict[str, Annotation] = {}
    problems: list[Problem] = []
    for path in markdown_files(folder):
        source = f"{content}/annotations/{path.name}"
        if not is_safe_id(path.stem):
            problems.append(
                Problem(source, 1, Severity.ERROR, f"{path.stem!r} is not a reference ID")
            )
            continue
        annotation = _read(path, source, problems)
        if annotation is not None:
            found[path.stem] = annotation
    return found, problems


def _read(path: Path, source: str, problems: list[Problem]) -> Annotation | None:
    text = normalise(decode(path.read_bytes()).text).text
    front, body = split_front_matter(text)
    if front is not None and front.error:
        problems.append(Problem(source, 1, Severity.ERROR, f"{front.error}: not published"))
        return None
    values = front.values if front else {}
    sources = _sources(values.get("sources"), source, problems)
    title, date = values.get("title"), values.get("date")
    note, paragraphs = _split(body)
    return Annotation(
        reference_id=path.stem,
        source=source,
        title=str(title) if title is not None else None,
        date=str(date) if date is not None else None,
        note=note,
        paragraphs=paragraphs,
        sources=sources,
    )


def _split(body: str) -> tuple[str, tuple[ParagraphNote, ...]]:
    """The whole-cable note, and the paragraph notes under their `## ¶N` headings."""
    headings = list(_PARAGRAPH_HEADING.finditer(body))
    if not headings:
        return body.strip(), ()
    notes = []
    for index, heading in enumerate(headings):
        end = headings[index + 1].start() if index + 1 < len(headings) else len(body)
        line = body.count("\n", 0, heading.start()) + 1
        notes.append(
            ParagraphNote(heading.group("number"), body[heading.end() : end].strip(), line)
        )
    return body[: headings[0].start()].strip(), tuple(notes)


def _sources(value: object, source: str, problems: list[Problem]) -> tuple[Source, ...]:
    """`sources`: URLs or {title, url} mappings; anything else is one warning and left out."""
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    found = []
    for item in items:
        title, url = (item, item) if isinstance(item, str) else (None, None)
        if isinstance(item, dict):
            title, url = item.get("title") or item.get("url"), item.get("url")
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            shown = url if isinstance(url, str) else item
            message = f"source {shown!r:.80} is not an http(s) link: left out"
            problems.append(Problem(source, 1, Severity.WARNING, message))
            continue
        if allowed_link(url):
            found.append(Source(str(title), url))
    return tuple(found)


_PERSON_LINK = re.compile(r"\]\(person:([^)\s]*)\)")


def check_annotations(annotations: dict[str, Annotation], catalog: Catalog) -> list[Problem]:
    """Notes on cables the archive lacks (errors: not published), and paragraph notes or
    person links that point nowhere (warnings)."""
    problems = []
    for reference_id, note in sorted(annotations.items()):
        entry = catalog.resolve(canonical_id(reference_id, catalog.tables))
        if entry is None:
            message = f"no cable {reference_id} in the archive: the note is not published"
            problems.append(Problem(note.source, 1, Severity.ERROR, message))
            continue
        for paragraph in note.paragraphs:
            if paragraph.number not in entry.paragraphs:
                message = f"{reference_id} has no paragraph {paragraph.number}: note not shown"
                problems.append(Problem(note.source, paragraph.line, Severity.WARNING, message))
        texts = [note.note, *(p.text for p in note.paragraphs)]
        for slug in sorted({s for text in texts for s in _PERSON_LINK.findall(text)}):
            if slug not in catalog.people:
                message = f"no person {slug!r}: the link is shown as text"
                problems.append(Problem(note.source, 1, Severity.WARNING, message))
    return problems
