"""A cable's file is parsed once per build: the parse stage prepares the page's own part
and keeps it on disk, and rendering completes it from the catalog. Pages come out the
same whether the record was there or had to be made again, and the store keeps only
what the parse cache still names."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from site_builder import parser
from site_builder.editorial.mentions import MentionIndex
from site_builder.pages import cable as cable_pages
from site_builder.render.prepared import PreparedCable, prepare
from site_builder.site import load_site
from site_builder.stages import parse
from site_builder.stages.prepared_store import PreparedStore
from site_builder.tables import default_tables
from tests.conftest import CORPUS
from tests.test_parser import SEED, WRAPPED
from tests.test_site import make_content, run_build

CITING = WRAPPED.replace("BERLIN 001767", "BERLIN 001780").replace(
    "2. (U) ", "2. (U) As 07GUATEMALA1906 and 09NOWHERE123 said, ", 1
)


def _count_parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    real = parser.parse_bytes

    def counting(data: bytes, source: str, tables: object = None) -> object:
        seen.append(Path(source).name)
        return real(data, source, tables)  # type: ignore[arg-type]

    monkeypatch.setattr(parse, "parse_bytes", counting)
    monkeypatch.setattr(cable_pages, "parse_bytes", counting)
    return seen


def test_a_build_parses_each_file_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert "2. (U) " in WRAPPED
    content = make_content(tmp_path, corpus=False, cables={"a.txt": WRAPPED, "b.txt": CITING})
    parsed = _count_parses(monkeypatch)
    report = run_build(content, tmp_path / "public", jobs=1, search=False)
    assert report.cables == 3 and not report.problems
    assert sorted(parsed) == sorted([SEED.name, "a.txt", "b.txt"])


def test_markers_become_links_only_to_cables_the_archive_holds(tmp_path: Path) -> None:
    content = make_content(tmp_path, corpus=False, cables={"b.txt": CITING})
    out = tmp_path / "public"
    run_build(content, out, jobs=1, search=False, base_url="/archive/")
    page = next(out.glob("cable/*/*/*BERLIN1780.html")).read_text(encoding="utf-8")
    assert '<a href="/archive/cable/2007/09/07GUATEMALA1906.html">07GUATEMALA1906</a>' in page
    assert "09NOWHERE123" in page and 'href="/archive/cable/2009' not in page
    assert "\x00" not in page


def _site_template(content: Path) -> None:
    """A site copy of the cable template that differs from the tool's (every cable page
    is rendered again)."""
    folder = content.parent / "templates"
    folder.mkdir(exist_ok=True)
    tool = Path(cable_pages.__file__).parents[2] / "templates" / "cable.html"
    (folder / "cable.html").write_text(tool.read_text() + "{# the site's own #}\n")


def test_pages_are_the_same_when_the_records_are_gone(tmp_path: Path) -> None:
    cables = {"a.txt": WRAPPED, "b.txt": CITING}
    content = make_content(tmp_path / "one", corpus=False, cables=cables)
    out = tmp_path / "one" / "public"
    run_build(content, out, jobs=1, search=False)
    shutil.rmtree(load_site(content, out).prepared_folder)
    _site_template(content)
    assert run_build(content, out, jobs=1, search=False).written >= 3

    other = make_content(tmp_path / "two", corpus=False, cables=cables)
    _site_template(other)
    fresh = tmp_path / "two" / "public"
    run_build(other, fresh, jobs=1, search=False)
    pages = sorted(path.relative_to(out) for path in out.glob("cable/**/*.html"))
    assert len(pages) == 3
    for page in pages:
        assert (out / page).read_bytes() == (fresh / page).read_bytes(), page


def test_the_store_keeps_only_named_files(tmp_path: Path) -> None:
    first, second = PreparedStore(tmp_path), PreparedStore(tmp_path)
    kept = first.add(b"first record")
    gone = second.add(b"second")
    assert first.read(kept) is None, "nothing is readable before it is flushed"
    first.flush()
    second.flush()
    assert first.read(kept) == b"first record" and first.read(gone) == b"second"
    PreparedStore(tmp_path).keep_only([kept])
    assert first.read(kept) == b"first record"
    assert PreparedStore(tmp_path).read(gone) is None
    assert len(list(tmp_path.iterdir())) == 1


@pytest.mark.usefixtures("whole_builds")
def test_the_store_drops_files_of_an_earlier_build(tmp_path: Path) -> None:
    content = make_content(tmp_path, corpus=False, cables={"a.txt": WRAPPED})
    out = tmp_path / "public"
    run_build(content, out, jobs=1, search=False)
    folder = load_site(content, out).prepared_folder
    before = set(folder.iterdir())
    (content / "cables" / "a.txt").write_text(WRAPPED.replace("Germany", "all of Germany"))
    run_build(content, out, jobs=1, search=False)
    after = set(folder.iterdir())
    assert before <= after and len(after) == 2, "the seed's record stays where it was"
    load_site(content, out).parse_cache_file.unlink()  # a cold build parses everything
    touched = content / "cables" / "a.txt"  # so that the build has something to look at
    os.utime(touched, ns=(touched.stat().st_atime_ns, touched.stat().st_mtime_ns + 1))
    run_build(content, out, jobs=1, search=False)
    assert len(set(folder.iterdir()) - after) == 1 and not (set(folder.iterdir()) & after)


def test_a_record_reads_back_only_for_its_own_file() -> None:
    tables, people = default_tables(), MentionIndex()
    for path in sorted((CORPUS / "cables").glob("*.txt"))[:150]:
        data = path.read_bytes()
        cable = parser.parse_bytes(data, str(path), tables)
        prepared = prepare(cable, "digest", tables, people, str)
        record = prepared.to_record()
        assert PreparedCable.from_record(record, "digest") == prepared
        assert PreparedCable.from_record(record, "another") is None
        assert PreparedCable.from_record(record[: len(record) // 2], "digest") is None
    assert PreparedCable.from_record(b"\x00garbage", "digest") is None


def test_a_dropped_store_closes_its_files(tmp_path: Path) -> None:
    """A dev server makes a new store with each whole plan: the old one's files must not
    stay open (a long session would run out of descriptors)."""
    open_before = len(os.listdir("/proc/self/fd"))
    writer, reader = PreparedStore(tmp_path), PreparedStore(tmp_path)
    location = writer.add(b"a record")
    writer.flush()
    assert reader.read(location) == b"a record"
    assert len(os.listdir("/proc/self/fd")) == open_before + 2
    del writer, reader
    assert len(os.listdir("/proc/self/fd")) == open_before
