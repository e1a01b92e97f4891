"""The parse cache: a rebuild parses only the files that changed, and a cache it cannot
trust is ignored, never believed."""

from __future__ import annotations

import gc
import os
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from site_builder.site import load_site
from site_builder.stages import parse
from tests.test_parser import SEED, WRAPPED
from tests.test_site import make_content, run_build

NAMELESS = "---\nreference_id: not an ID\n---\n" + WRAPPED.replace("BERLIN 001767", "BERLIN 001790")
OTHER = WRAPPED.replace("BERLIN 001767", "BERLIN 001780").replace("191047Z", "211047Z")


pytestmark = pytest.mark.usefixtures("whole_builds")  # the parse cache is the whole build's


@pytest.fixture
def parsed_files(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The display names of the files each build parses (builds run with one job, so the
    parsing happens in this process where it can be counted)."""
    seen: list[str] = []
    real = parse.entry_of_file

    def counting(path: str, display: str) -> parse.ParsedFile:
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


def _many(count: int) -> dict[str, str]:
    """`count` small cables, each with its own ID."""
    return {
        f"c{n}.txt": WRAPPED.replace("BERLIN 001767", f"BERLIN 0017{n:02d}") for n in range(count)
    }


def _edit(path: Path, n: int) -> None:
    path.write_text(path.read_text().replace("Germany", f"Germany {n}"))


def test_a_few_files_parsed_again_are_logged_not_the_whole_cache_rewritten(
    tmp_path: Path, parsed_files: list[str]
) -> None:
    """Logged until the log names an eighth as many files as the cache (41 files: 5)."""
    content = make_content(tmp_path, corpus=False, cables=_many(40))
    out = tmp_path / "public"
    run_build(content, out, jobs=1, search=False)
    cache = load_site(content, out).parse_cache_file
    log, written = cache.with_name(cache.name + ".log"), cache.stat().st_mtime_ns
    for n in (3, 7):
        _edit(content / "cables" / f"c{n}.txt", n)
        parsed_files.clear()
        run_build(content, out, jobs=1, search=False)
        assert parsed_files == [f"c{n}.txt"]
    (content / "cables" / "c9.txt").unlink()
    parsed_files.clear()
    assert run_build(content, out, jobs=1, search=False).cables == 40
    assert parsed_files == [] and cache.stat().st_mtime_ns == written, "logged, 3 files"
    (content / "cables" / "c9.txt").write_text(_many(10)["c9.txt"])
    parsed_files.clear()
    run_build(content, out, jobs=1, search=False)
    assert parsed_files == ["c9.txt"], "the log forgot the removed file"
    assert cache.stat().st_mtime_ns == written and log.stat().st_size > 0, "4 files"
    for n in (11, 12):
        _edit(content / "cables" / f"c{n}.txt", n)
    parsed_files.clear()
    run_build(content, out, jobs=1, search=False)
    assert sorted(parsed_files) == ["c11.txt", "c12.txt"]
    assert cache.stat().st_mtime_ns != written and not log.exists(), "6 files: written whole"
    parsed_files.clear()
    assert not run_build(content, out, jobs=1, search=False).problems
    assert parsed_files == []


KEPT_OF_A_RECORD = {
    "one byte": lambda size: 1,
    "half": lambda size: size // 2,
    "all but one byte": lambda size: size - 1,
}


@pytest.mark.parametrize("kept", KEPT_OF_A_RECORD.values(), ids=KEPT_OF_A_RECORD.keys())
def test_a_log_cut_short_costs_a_parse_and_is_then_written_whole(
    tmp_path: Path, parsed_files: list[str], kept: Callable[[int], int]
) -> None:
    """As a build killed while appending leaves it: the record before the cut stands."""
    content = make_content(tmp_path, corpus=False, cables=_many(40))
    out = tmp_path / "public"
    run_build(content, out, jobs=1, search=False)
    cache = load_site(content, out).parse_cache_file
    log = cache.with_name(cache.name + ".log")
    sizes = []
    for n in (3, 7):
        _edit(content / "cables" / f"c{n}.txt", n)
        run_build(content, out, jobs=1, search=False)
        sizes.append(log.stat().st_size)
    with log.open("r+b") as stream:
        stream.truncate(sizes[0] + kept(sizes[1] - sizes[0]))  # the second record cut
    touched = content / "cables" / "c1.txt"
    os.utime(touched, ns=(touched.stat().st_atime_ns, touched.stat().st_mtime_ns + 1))
    parsed_files.clear()
    report = run_build(content, out, jobs=1, search=False)
    assert sorted(parsed_files) == ["c1.txt", "c7.txt"] and not report.problems
    assert not log.exists(), "records after the break would never be read: written whole"
    parsed_files.clear()
    run_build(content, out, jobs=1, search=False)
    assert parsed_files == []


def test_a_chunk_of_files_is_asked_for_before_the_first_is_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The parse stage asks the system to read a chunk's files ahead (so that a cold
    archive's reads overlap the parsing); a file gone by then is still reported, once."""
    content = make_content(tmp_path, corpus=False, cables={"a.txt": WRAPPED, "b.txt": OTHER})
    events: list[str] = []
    advise = os.posix_fadvise
    real = parse.entry_of_file

    def advising(descriptor: int, offset: int, length: int, advice: int) -> None:
        events.append("advised " + Path(os.readlink(f"/proc/self/fd/{descriptor}")).name)
        advise(descriptor, offset, length, advice)

    def parsing(path: str, display: str) -> parse.ParsedFile:
        events.append("parsed " + Path(display).name)
        return real(path, display)

    monkeypatch.setattr(os, "posix_fadvise", advising)
    monkeypatch.setattr(parse, "entry_of_file", parsing)
    monkeypatch.setattr(parse, "_PARALLEL_FROM", 1_000)  # in this process, one chunk
    report = run_build(content, tmp_path / "public", jobs=1, search=False)

    names = [SEED.name, "a.txt", "b.txt"]
    assert events[:3] == sorted(f"advised {name}" for name in names)
    assert sorted(events[3:]) == sorted(f"parsed {name}" for name in names)
    assert report.cables == 3


def test_reading_ahead_passes_over_what_it_cannot_read(tmp_path: Path) -> None:
    """A pipe named like a cable (which would block whoever opens it for reading) and a
    file gone since it was listed are left to their readers: asking ahead neither waits
    nor fails."""
    pipe = tmp_path / "pipe.txt"
    os.mkfifo(pipe)
    asking = threading.Thread(
        target=parse.prefetch, args=([pipe, tmp_path / "gone.txt"],), daemon=True
    )
    asking.start()
    asking.join(timeout=10)
    assert not asking.is_alive(), "prefetch waited on the pipe"
