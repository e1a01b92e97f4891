"""Pagefind over several shards at once: each shard gets its own index, a failure names
its shard and stops the rest, a cancel stops them all, and no Pagefind outlives the call.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

from site_builder.search.pagefind import (
    INDEXERS,
    IndexingCancelled,
    IndexingFailed,
    index_shard,
    index_shards,
)
from site_builder.search.shards import Shard

PAGE = (
    '<!doctype html><html lang="en"><body><main data-pagefind-body>'
    "<h1>{title}</h1><p>{text}</p></main></body></html>"
)


def _site(root: Path, shards: int, pages: int) -> list[Shard]:
    """`shards` shards of `pages` pages each, written under root/site."""
    made = []
    for number in range(shards):
        files = []
        for page in range(pages):
            name = f"cable/{number}/{page}.html"
            path = root / "site" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(PAGE.format(title=f"Cable {number}-{page}", text=f"shard{number} text"))
            files.append(name)
        made.append(Shard(number, f"pagefind/shard-{number:02d}", tuple(files), "", None, None, ()))
    return made


def _pagefinds_under(folder: Path) -> list[str]:
    """The running processes whose command line names `folder` (Pagefinds of this test)."""
    found = []
    for pid in os.listdir("/proc"):
        try:
            command = Path("/proc", pid, "cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        if str(folder) in command and "pagefind" in command:
            found.append(command)
    return found


def test_more_shards_than_indexers_each_get_their_own_index(tmp_path: Path) -> None:
    shards = _site(tmp_path, INDEXERS + 1, 5)
    work = [(shard, tmp_path / "out" / shard.path) for shard in shards]
    index_shards(work, lambda name: tmp_path / "site" / name, tmp_path / "scratch")
    for shard, output in work:
        entry = json.loads((output / "pagefind-entry.json").read_text())
        assert entry["languages"]["en"]["page_count"] == 5, shard.path
        assert len(list((output / "fragment").iterdir())) == 5
    assert _pagefinds_under(tmp_path) == []


def test_a_shard_that_cannot_be_laid_out_is_named_and_stops_the_others(tmp_path: Path) -> None:
    shards = _site(tmp_path, 3, 5)
    (tmp_path / "site" / shards[1].files[2]).unlink()
    work = [(shard, tmp_path / "out" / shard.path) for shard in shards]
    with pytest.raises(IndexingFailed) as failed:
        index_shards(work, lambda name: tmp_path / "site" / name, tmp_path / "scratch")
    assert failed.value.shard == "pagefind/shard-01"
    assert "No such file" in str(failed.value)
    assert not (tmp_path / "scratch" / "shard-01").exists()
    assert _pagefinds_under(tmp_path) == []


def test_cancelling_stops_every_pagefind_at_once(tmp_path: Path) -> None:
    shards = _site(tmp_path, 3, 200)
    work = [(shard, tmp_path / "out" / shard.path) for shard in shards]
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(IndexingCancelled):
        index_shards(work, lambda name: tmp_path / "site" / name, tmp_path / "scratch", cancel)
    assert _pagefinds_under(tmp_path) == []


def test_a_cancelled_shard_stops_laying_out_its_pages(tmp_path: Path) -> None:
    """The dev server's edit need not wait for a shard's 2,500 pages to be linked."""
    (shard,) = _site(tmp_path, 1, 300)
    cancel = threading.Event()
    looked_up: list[str] = []

    def page(name: str) -> Path:
        looked_up.append(name)
        if len(looked_up) == 150:
            cancel.set()  # an edit came in while the pages were being laid out
        return tmp_path / "site" / name

    with pytest.raises(IndexingCancelled):
        index_shard(shard, page, tmp_path / "out", tmp_path / "scratch", cancel)
    assert len(looked_up) == 200, "stopped at the next look at the event"
    assert not (tmp_path / "scratch" / "shard-00").exists()
