"""The parse cache: a rebuild parses only the files that changed, and a cache it cannot
trust is ignored, never believed."""

from __future__ import annotations

import gc
import os
from pathlib import Path

import pytest

from site_builder.site import load_site
from site_builder.stages import parse
from tests.test_parser import SEED, WRAPPED
from tests.test_site import make_content, run_build

NAMELESS = "---\nreference_id: not an ID\n---\n" + WRAPPED.replace("BERLIN 001767", "BERLIN 001790")
OTHER = WRAPPED.replace("BERLIN 001767", "BERLIN 001780").replace("191047Z", "211047Z")


@pytest.fixture
def parsed_files(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The display names of the files each build parses (builds run with one job, so the
    parsing happens in this process where it can be counted)."""
    seen: list[str] = []
    real = parse.entry_of_file

    def counting(path: Path, display: str) -> parse.ParsedFile:
        seen.append(Path(display).name)
        return real(path, display)

    monkeypatch.setattr(parse, "entry_of_file", counting)
    return seen


def test_a_rebuild_parses_only_the_files_that_changed(
    tmp_path: Path, parsed_files: list[str]
) -> None:
    content = make_content(tmp_path, corpus=False, cables={"a.txt": WRAPPED, "b.txt": OTHER})
    out = tmp_path / "public"
    run_build(content, out, jobs=1, search=False)
    assert sorted(parsed_files) == [SEED.name, "a.txt", "b.txt"]
    cache = load_site(content, out).parse_cache_file
    written = cache.stat().st_mtime_ns

    parsed_files.clear()
    again = run_build(content, out, jobs=1, search=False)
    assert parsed_files == [] and not again.published
    assert cache.stat().st_mtime_ns == written, "an unchanged cache is not rewritten"

    (content / "cables" / "a.txt").write_text(WRAPPED.replace("Germany", "all of Germany"))
    report = run_build(content, out, jobs=1, search=False)
    assert parsed_files == ["a.txt"]
    assert report.written >= 1 and report.cables == 3


def test_the_content_folder_given_another_way_is_the_same_files(
    tmp_path: Path, parsed_files: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build given `/abs/site/content` and a dev server started in `/abs/site` with
    `content` share what the first parsed; a build that names the files otherwise (from
    another folder) parses them again, so that problems name them as it does."""
    content = make_content(tmp_path, corpus=False, cables={"a.txt": WRAPPED, "b.txt": NAMELESS})
    out = tmp_path / "public"
    run_build(content.absolute(), out, jobs=1, search=False)  # named absolute: not under here
    monkeypatch.chdir(tmp_path)
    parsed_files.clear()
    report = run_build(Path("content"), Path("public"), jobs=1, search=False)
    assert sorted(parsed_files) == [SEED.name, "a.txt", "b.txt"], "named otherwise"
    assert [p.path for p in report.problems] == [str(Path("content", "cables", "b.txt"))]
    parsed_files.clear()
    (content / "cables" / "a.txt").write_text(WRAPPED.replace("Germany", "all of Germany"))
    report = run_build(content.absolute(), out, jobs=1, search=False)  # named as here
    assert parsed_files == ["a.txt"], "only the edited file is parsed again"
    assert [p.path for p in report.problems] == [str(Path("content", "cables", "b.txt"))]


def test_a_removed_file_leaves_the_cache(tmp_path: Path, parsed_files: list[str]) -> None:
    content = make_content(tmp_path, corpus=False, cables={"a.txt": WRAPPED, "b.txt": OTHER})
    out = tmp_path / "public"
    run_build(content, out, jobs=1, search=False)
    (content / "cables" / "b.txt").unlink()
    assert run_build(content, out, jobs=1, search=False).cables == 2
    parsed_files.clear()
    (content / "cables" / "b.txt").write_text(OTHER)
    assert run_build(content, out, jobs=1, search=False).cables == 3
    assert parsed_files == ["b.txt"], "a file back again is parsed again"


def test_an_unreadable_cache_means_a_cold_build(tmp_path: Path, parsed_files: list[str]) -> None:
    content = make_content(tmp_path, corpus=False, cables={"a.txt": WRAPPED})
    out = tmp_path / "public"
    run_build(content, out, jobs=1, search=False)
    cache = load_site(content, out).parse_cache_file
    cache.write_bytes(cache.read_bytes()[:40])  # truncated, as by a full disk
    touched = content / "cables" / "a.txt"  # so that the build has something to look at
    os.utime(touched, ns=(touched.stat().st_atime_ns, touched.stat().st_mtime_ns + 1))
    parsed_files.clear()
    report = run_build(content, out, jobs=1, search=False)
    assert sorted(parsed_files) == [SEED.name, "a.txt"]
    assert report.cables == 2 and not report.problems


def test_a_file_changed_in_place_with_its_old_time_is_still_seen(
    tmp_path: Path, parsed_files: list[str]
) -> None:
    """Size is part of what is compared: an edit that restores the modification time
    (as `touch -r` or an archive extractor does) but not the size is still parsed."""
    content = make_content(tmp_path, corpus=False, cables={"a.txt": WRAPPED})
    out = tmp_path / "public"
    run_build(content, out, jobs=1, search=False)
    target = content / "cables" / "a.txt"
    before = target.stat()
    target.write_text(WRAPPED.replace("Germany", "the Federal Republic"))
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))
    parsed_files.clear()
    run_build(content, out, jobs=1, search=False)
    assert parsed_files == ["a.txt"]


def test_loading_leaves_the_collector_as_it_was(tmp_path: Path) -> None:
    """The loads pause the cyclic collector, and must not leave it paused (a dev server
    would never collect again)."""
    content = make_content(tmp_path, corpus=False, cables={"a.txt": WRAPPED})
    out = tmp_path / "public"
    run_build(content, out, jobs=1, search=False)
    (content / "cables" / "a.txt").write_text(WRAPPED.replace("Germany", "all of Germany"))
    assert gc.isenabled()
    run_build(content, out, jobs=1, search=False)  # loads the cache and the state
    assert gc.isenabled()
    gc.disable()
    try:
        (content / "cables" / "a.txt").write_text(WRAPPED)
        run_build(content, out, jobs=1, search=False)
        assert not gc.isenabled(), "a caller's paused collector stays paused"
    finally:
        gc.enable()
