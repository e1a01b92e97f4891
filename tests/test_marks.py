"""What the text of a cable page marks up, piece by piece."""

from __future__ import annotations

import re

import pytest

from benchmarks.parsing import generated_people
from site_builder.editorial.mentions import MentionIndex
from site_builder.editorial.people import CuratedPerson
from site_builder.parser import parse_bytes
from site_builder.render.body import inline
from site_builder.render.marks import Linker, terms_in
from site_builder.tables import default_tables
from site_builder.words import words_in
from tests.conftest import CORPUS

_TWO_NAMES = re.compile(r"\b[A-Z][a-z]{2,} [A-Z][a-z]{2,}\b")


def _linker() -> Linker:
    return Linker({}, None, lambda _: None, frozenset(), ())


def test_every_kind_of_redaction_is_shown_as_such() -> None:
    html = str(inline("met XXXXXXXXXXXX and xxxxxx, then [Name withheld] at XXX", _linker()))
    assert html.count('<span class="redacted"') == 3
    assert "XXXX" not in html and "xxxx" not in html and "Name withheld" not in html
    assert html.endswith("at XXX")  # three letters are a word, not a redaction


def test_a_term_glued_to_punctuation_is_found_and_explained() -> None:
    """Bullets written without a space (`--MOI`) and brackets count as a word's edges,
    as they do for the paragraph's own search (`_starts_word`)."""
    tables = default_tables()
    text = "--MOI State Secretary met the (DCM); --MOF too."
    found = {entry.term for entry in terms_in(text, tables)}
    assert {"MOI", "DCM", "MOF"} <= found
    html = str(inline(text, Linker({}, None, lambda _: None, frozenset(), terms_in(text, tables))))
    assert re.search(r'--<abbr [^>]*title="[^"]+">MOI</abbr> State', html)


@pytest.mark.parametrize("curated", [10, 100])
def test_the_word_set_made_once_gives_what_each_lookup_makes_alone(curated: int) -> None:
    """The parse stage splits a body into words once, for the glossary and the people.
    With few people, the lookup alone first searches the body for each name (it spares
    the split when none is there); given the words, it goes by them alone. Among the
    made-up people are a few named as the first cables name someone, so that some
    bodies hold some of them."""
    tables = default_tables()
    paths = sorted((CORPUS / "cables").glob("*.txt"))[:60]
    bodies = [parse_bytes(path.read_bytes(), str(path), tables).body_text for path in paths]
    named = [found.group(0) for body in bodies[:8] if (found := _TWO_NAMES.search(body))]
    real = [CuratedPerson(f"n{i}", name, (), "", None, "", "") for i, name in enumerate(named)]
    people = MentionIndex.of([*generated_people(curated), *real])
    holding = 0
    for body in bodies:
        words = words_in(body)
        assert terms_in(body, tables, words) == terms_in(body, tables)
        assert people.present(body, words) == people.present(body)
        holding += bool(people.present(body, words))
    assert holding >= len(named) > 0
