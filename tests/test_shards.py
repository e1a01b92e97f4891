"""How the search index is cut into shards: by count, oldest first, the newest small."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

from site_builder.catalog import Entry, make_entry
from site_builder.parser import parse_bytes
from site_builder.search.shards import NEWEST_PAGES, SHARD_PAGES, plan_shards
from tests.test_parser import SEED

START = datetime(2001, 1, 1, tzinfo=UTC)


def _entries(count: int) -> list[Entry]:
    """`count` entries a day apart from START, newest first (as the catalog gives them)."""
    seed = make_entry(parse_bytes(SEED.read_bytes(), "seed.txt"), "")
    assert seed is not None
    made = [
        dataclasses.replace(
            seed,
            reference_id=f"01X{number}",
            canonical_id=f"01X{number}",
            url=f"/cable/x/{number}.html",
            date=START + timedelta(days=number),
        )
        for number in range(count)
    ]
    return made[::-1]


def _sizes(count: int, size: int) -> list[int]:
    return [len(shard.files) for shard in plan_shards(_entries(count), {}, size)]


def test_an_archive_below_one_shard_has_a_single_index() -> None:
    shards = plan_shards(_entries(900), {}, 1_000)
    assert [shard.path for shard in shards] == ["pagefind"]


def test_shards_are_cut_oldest_first_and_the_newest_stays_small() -> None:
    assert _sizes(3 * SHARD_PAGES, SHARD_PAGES) == [
        SHARD_PAGES,
        SHARD_PAGES,
        SHARD_PAGES - NEWEST_PAGES,
        NEWEST_PAGES,
    ]
    assert _sizes(2 * SHARD_PAGES + 700, SHARD_PAGES) == [SHARD_PAGES, SHARD_PAGES, 700]
    shards = plan_shards(_entries(12_000), {}, SHARD_PAGES)
    last = (START + timedelta(days=12_000 - 1)).strftime("%Y-%m-%d")
    assert shards[0].first == "2001-01-01" and shards[-1].last == last


def test_a_small_shard_size_is_also_the_newest_shards_bound() -> None:
    assert _sizes(1_000, 300) == [300, 300, 300, 100]


def test_a_new_cable_changes_only_the_newest_two_shards() -> None:
    before = plan_shards(_entries(2 * SHARD_PAGES + 1_500), {}, SHARD_PAGES)
    after = plan_shards(_entries(2 * SHARD_PAGES + 1_501), {}, SHARD_PAGES)
    assert [s.files for s in before[:-2]] == [s.files for s in after[:-2]]
    assert before[-1].files != after[-1].files
