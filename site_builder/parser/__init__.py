"""The cable parser: text in, a typed `Cable` (or the `parse` command's record) out.

`parse_bytes` decodes and cleans a file's bytes; `parse_text` runs the rules of
`site_builder.parser.rules.RULES` in order over the cleaned text and assembles
the frozen `Cable`. Nothing here raises on bad content: every problem becomes a
`Problem` on the cable, with its line.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from site_builder.ids import is_safe_id
from site_builder.model import Block, Cable, Problem, Severity
from site_builder.parser.rules import RULES
from site_builder.parser.state import ParseState
from site_builder.source import (
    decode,
    drop_pilcrow_marks,
    normalise,
    split_front_matter,
    strip_link_residue,
)
from site_builder.tables import Tables, default_tables

# Beyond this, a "cable" is not a cable: it is read up to here, and said so.
MAX_CHARS = 32_000_000


def parse_bytes(data: bytes, source: str, tables: Tables | None = None) -> Cable:
    """Decode a file's bytes (UTF-8, else cp1252) and parse them."""
    decoded = decode(data)
    notes = [(line, f"{message}") for line, message in decoded.notes]
    return parse_cable(decoded.text, source, tables, notes)


def parse_cable(
    text: str,
    source: str = "<text>",
    tables: Tables | None = None,
    notes: list[tuple[int, str]] | None = None,
) -> Cable:
    """Parse a cable's text into a `Cable`; problems are collected, never raised."""
    tables = tables or default_tables()
    cleaned = normalise(text)
    body = cleaned.text
    warnings = [*(notes or []), *cleaned.notes]
    front, body = split_front_matter(body)
    if front is not None and front.error:
        warnings.append((1, front.error))
    # The page shows the whole text as stored; the rules read at most MAX_CHARS of it.
    stored = readable = strip_link_residue(body)
    if len(body) > MAX_CHARS:
        warnings.append((body.count("\n", 0, MAX_CHARS) + 1, "text too long: read up to 32 MB"))
        readable = strip_link_residue(body[:MAX_CHARS])
    state = ParseState(
        source=source,
        text=drop_pilcrow_marks(readable),
        tables=tables,
        front=front.values if front else {},
        file_id=_file_id(source),
    )
    for line, message in warnings:
        state.warn(line - 1, message)
    original = stored.strip("\n") + "\n"
    if not state.text.strip():
        state.error(0, "empty file: no cable in it")
        return _assemble(state, original)
    for _name, rule in RULES:
        rule(state)
    return _assemble(state, original)


def _file_id(source: str) -> str | None:
    stem = PurePath(source).stem.upper()
    return stem if is_safe_id(stem) else None


def _assemble(state: ParseState, original: str) -> Cable:
    values = state.values
    recipients = tuple(values.get("recipients", ()))
    body: tuple[Block, ...] = tuple(values.get("body", ()))
    if not body and "reference_id" in values and not values.get("subject"):
        state.warn(0, "no subject and no body: is this a cable?")
    return Cable(
        source=state.source,
        reference_id=values.get("reference_id"),
        canonical_id=values.get("canonical_id"),
        transmission_id=values.get("transmission_id"),
        date=values.get("date"),
        precedence=values.get("precedence"),
        origin=values.get("origin"),
        station=values.get("station"),
        country=values.get("country"),
        post=values.get("post"),
        post_station=values.get("post_station"),
        classification=values.get("classification"),
        caveats=tuple(values.get("caveats", ())),
        handling=tuple(values.get("handling", ())),
        tags=tuple(values.get("tags", ())),
        subject=values.get("subject"),
        subject_marking=values.get("subject_marking"),
        references=tuple(values.get("references", ())),
        recipients=recipients,
        info_recipients=tuple(values.get("info_recipients", ())),
        classified_by=tuple(values.get("classified_by", ())),
        declassify_on=values.get("declassify_on"),
        summary=values.get("summary"),
        body=body,
        signers=tuple(values.get("signers", ())),
        partial=bool(values.get("partial", False)),
        problems=tuple(state.problems),
        spans=dict(state.spans),
        original=original,
    )


def to_record(cable: Cable) -> dict[str, Any]:
    """The `parse` command's JSON record: exactly the fields design.md names."""
    return {
        "source": cable.source,
        "reference_id": cable.reference_id,
        "canonical_id": cable.canonical_id,
        "date": cable.date.strftime("%Y-%m-%dT%H:%M:%SZ") if cable.date else None,
        "precedence": cable.precedence,
        "origin": cable.origin,
        "station": cable.station,
        "country": cable.country,
        "classification": cable.classification,
        "caveats": list(cable.caveats),
        "tags": list(cable.tags),
        "subject": cable.subject,
        "references": [
            {"id": r.id, "letter": r.letter, "kind": r.kind, "text": r.text}
            for r in cable.references
        ],
        "recipients": [r.name for r in cable.recipients],
        "info_recipients": [r.name for r in cable.info_recipients],
        "classified_by": list(cable.classified_by),
        "declassify_on": cable.declassify_on.isoformat() if cable.declassify_on else None,
        "summary": cable.summary,
        "paragraphs": [{"number": p.number, "marking": p.marking} for p in cable.paragraphs],
        "signers": list(cable.signers),
        "partial": cable.partial,
        "errors": [str(p) for p in cable.problems],
    }


def parse_text(text: str, source: str = "<text>") -> dict[str, Any]:
    """Parse a cable's text into the `parse` record (the library API of design.md)."""
    return to_record(parse_cable(text, source))


def has_errors(cable: Cable) -> bool:
    """True when any problem of the cable is an error, not a warning."""
    return any(p.severity is Severity.ERROR for p in cable.problems)


__all__ = ["Problem", "has_errors", "parse_bytes", "parse_cable", "parse_text", "to_record"]
