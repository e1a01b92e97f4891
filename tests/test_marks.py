"""What the text of a cable page marks up, piece by piece."""

from __future__ import annotations

import re

from benchmarks.parsing import generated_people
from site_builder.editorial.mentions import MentionIndex
from site_builder.parser import parse_bytes
from site_builder.render.body import inline
from site_builder.render.marks import Linker, terms_in
from site_builder.tables import default_tables
from site_builder.words import words_in
from tests.conftest import CORPUS


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


def test_the_word_set_made_once_gives_what_each_lookup_makes_alone() -> None:
    """The parse stage splits a body into words once, for the glossary and the people."""
    tables = default_tables()
    people = MentionIndex.of(generated_people(100))
    for path in sorted((CORPUS / "cables").glob("*.txt"))[:60]:
        body = parse_bytes(path.read_bytes(), str(path), tables).body_text
        words = words_in(body)
        assert terms_in(body, tables, words) == terms_in(body, tables)
        assert people.present(body, words) == people.present(body)
