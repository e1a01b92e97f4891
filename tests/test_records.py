"""The catalog's records pickle as the tuples of their values, and read back with the
values cables repeat (posts, classifications, tags, paragraph numbers) held once."""

from __future__ import annotations

import pickle
from dataclasses import replace

from site_builder.catalog import CitedRef, Entry, make_entry
from site_builder.model import Mention, Problem, Severity
from site_builder.parser import parse_bytes
from site_builder.records import shared
from tests.test_parser import SEED


def _entry(text: str, name: str) -> Entry:
    cable = parse_bytes(text.encode(), name)
    mentions = (Mention("jane-doe", "2", "Jane Doe said so."),)
    entry = make_entry(cable, "0" * 32, mentions)
    assert entry is not None and entry.references and entry.paragraphs
    return entry


def test_an_entry_reads_back_equal_to_itself() -> None:
    entry = _entry(SEED.read_text(encoding="utf-8"), "seed.txt")
    again = pickle.loads(pickle.dumps(entry, pickle.HIGHEST_PROTOCOL))
    assert again == entry
    assert isinstance(again.references[0], CitedRef) and again.date == entry.date


def test_entries_read_back_share_the_values_cables_repeat() -> None:
    first = _entry(SEED.read_text(encoding="utf-8"), "a.txt")
    second = replace(first, source="b.txt", reference_id="09OTHER1", canonical_id="09OTHER1")
    # What a parse worker sends: each entry pickled on its own, with copies of its own.
    copies = [pickle.loads(pickle.dumps(entry)) for entry in (first, second)]
    for name in ("post", "classification", "tags", "paragraphs", "signers"):
        one, other = (getattr(copy, name) for copy in copies)
        assert one == getattr(first, name)
        assert one is other, f"{name}: one object for both"
    assert copies[0].source is not copies[1].source, "what each cable has of its own stays"
    assert copies[0].references[0].kind is copies[1].references[0].kind
    assert copies[0].mentions[0].slug is copies[1].mentions[0].slug


def test_a_problem_reads_back_equal_to_itself() -> None:
    problem = Problem("a.txt", 14, Severity.WARNING, "REF item not understood: 'X'")
    assert pickle.loads(pickle.dumps(problem)) == problem


def test_only_strings_and_tuples_of_strings_are_shared() -> None:
    made = "".join(["UNCLAS", "SIFIED"])
    assert shared(made) is shared("UNCLASSIFIED")
    assert shared(("1", made)) is shared(("1", "UNCLASSIFIED"))
    mixed = ("1", 2)
    assert shared(mixed) is mixed and shared(None) is None
