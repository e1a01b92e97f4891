"""Discovery finds the cable files of a content folder in one walk: sorted, with the
signature each had when found; hidden files and folders, other suffixes, and anything
that is not a regular file (a pipe would block the reader) left out; links followed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from site_builder.site import load_site
from site_builder.stages import scan
from site_builder.stages.discover import cable_files, discover
from site_builder.stages.parse_cache import signature
from site_builder.stages.scan import scan_files
from tests.test_parser import WRAPPED


def _content(tmp_path: Path) -> Path:
    cables = tmp_path / "content" / "cables"
    for name in ("b.txt", "a.txt", "2009/c.txt", ".swap.txt", ".git/d.txt", "notes.md"):
        (cables / name).parent.mkdir(parents=True, exist_ok=True)
        (cables / name).write_text(WRAPPED, encoding="utf-8")
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text(WRAPPED, encoding="utf-8")
    (cables / "linked.txt").symlink_to(elsewhere)
    (cables / "broken.txt").symlink_to(tmp_path / "gone.txt")
    os.mkfifo(cables / "pipe.txt")
    return tmp_path / "content"


def test_the_cable_files_and_their_signatures(tmp_path: Path) -> None:
    content = _content(tmp_path)
    found = discover(load_site(content, tmp_path / "public"), [])
    cables = str(content.absolute() / "cables")
    wanted = [f"{cables}/{name}" for name in ("2009/c.txt", "a.txt", "b.txt", "linked.txt")]
    assert [path for path, _ in found.files] == wanted
    assert [shown for _, shown in found.files][1] == f"{content}/cables/a.txt"
    assert found.marks == {path: signature(path) for path in wanted}


def test_a_walk_made_before_is_taken_as_it_was(tmp_path: Path) -> None:
    """A one-off build walks the content once, to tell whether anything changed, and
    discovers from that walk: what it found then is what is parsed and cached."""
    content = _content(tmp_path)
    scan = scan_files(content.absolute())
    (content / "cables" / "a.txt").unlink()
    found = discover(load_site(content, tmp_path / "public"), [], scan)
    assert any(path.endswith("/a.txt") for path, _ in found.files)
    assert set(found.marks) == {path for path, _ in found.files}


def test_files_named_on_the_command_line_are_found_the_same_way(tmp_path: Path) -> None:
    cables = _content(tmp_path) / "cables"
    named = [cables / "b.txt", cables, cables / "a.txt"]
    assert [str(path.relative_to(cables)) for path in cable_files(named)] == [
        "b.txt",
        "2009/c.txt",
        "a.txt",
        "linked.txt",
    ]


def test_a_large_tree_is_scanned_by_two_processes_as_one_would(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past `SPLIT_FROM_BYTES` of folders, a forked child walks every other folder: the
    scan is the same, file for file, in the same order."""
    content = _content(tmp_path)
    for month in range(1, 8):
        for day in range(month):
            path = content / "cables" / "2008" / f"{month:02}" / f"08X{day}.txt"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(WRAPPED, encoding="utf-8")
    (content / "data").mkdir()
    (content / "data" / "tags.csv").write_text("PGOV,Politics\n", encoding="utf-8")
    (content / "top.txt").write_text(WRAPPED, encoding="utf-8")
    alone = list(scan_files(content).items())
    forks: list[int] = []
    fork = os.fork

    def counted_fork() -> int:
        forks.append(1)
        return fork()

    monkeypatch.setattr(scan, "SPLIT_FROM_BYTES", 0)
    monkeypatch.setattr(os, "fork", counted_fork)
    assert list(scan_files(content).items()) == alone and forks == [1]
    assert len(alone) == 1 + 28 + 1 + 4 + 1  # top, 2008, data, cables/ and its link
