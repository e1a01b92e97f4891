"""`site-builder import`: the corpus' web pages and CSV rows become the corpus' cables.

The corpus' texts were made from its web pages, and its CSV holds the same cables,
so each import must give back what the parser reads from the corpus' own texts.
The corpus is read in place; imports go to pytest's temporary folders.
"""

from __future__ import annotations

import csv
import functools
import io
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from site_builder.cli import main
from site_builder.commands.check import run_check
from site_builder.importers import run_import
from site_builder.importers.writer import seed_form
from site_builder.model import Cable
from site_builder.parser import parse_bytes, to_record
from site_builder.source import split_front_matter
from site_builder.stages.discover import display_path
from tests.conftest import CORPUS, FIGURES

Entry = dict[str, Any]
Record = dict[str, Any]
CSV_FILE = CORPUS / "cables.csv"
PAGES = CORPUS / "wikileaks-html"

# The one cable whose CSV import reads differently from the corpus text: the dump lost
# text. Its row for 10MADRID87 lacks ` <` and `REF: A. 2009 MADRID 59` (something took
# `<` up to the next tag's `>` out), so the subject loses its stray `<` and no REF block
# is left to read. (The CSV form's `¶3.` and `¶B.` marks read as the other form's link
# residue does: those cables match.)
CSV_LOST_TEXT = {"10MADRID87": ("subject", "references")}


def _import(form: str, src: Path, into: Path, jobs: int | None = None) -> tuple[int, list[str]]:
    out = io.StringIO()
    code = run_import(form, src, into, out, jobs=jobs)
    return code, out.getvalue().splitlines()


@pytest.fixture(scope="module")
def html_import(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, list[str], Path]:
    into = tmp_path_factory.mktemp("html") / "cables"
    return (*_import("wikileaks-html", PAGES, into), into)


@pytest.fixture(scope="module")
def csv_import(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, list[str], Path]:
    into = tmp_path_factory.mktemp("csv") / "cables"
    return (*_import("cables-csv", CSV_FILE, into), into)


def _comparable(record: Record) -> Record:
    """A record without what depends on the file: its path, and the line numbers of its
    problems (a front matter the import adds moves the text down)."""
    kept = {key: value for key, value in record.items() if key != "source"}
    kept["errors"] = [error.split(":", 2)[2] for error in record["errors"]]
    return kept


def _created(entry: Entry) -> str:
    return str(entry["created"]).replace(" ", "T") + ":00Z"


def _imported_records(
    into: Path, corpus_cables: dict[str, Cable], manifest: list[Entry]
) -> Iterator[tuple[str, Record, Record]]:
    """(reference ID, imported record, corpus record) for every imported file.

    Where the corpus text has no date (a partial extract), the import knows it from
    the page or the row: it must be the published creation time, then it is set aside.
    """
    by_id = {entry["reference_id"]: entry for entry in manifest}
    for path in sorted(into.glob("*.txt")):
        entry = by_id[path.stem]
        imported = _comparable(to_record(parse_bytes(path.read_bytes(), str(path))))
        corpus = _comparable(to_record(corpus_cables[entry["file"]]))
        if corpus["date"] is None:
            assert imported["date"] == _created(entry), path.name
            imported["date"] = None
        yield path.stem, imported, corpus


def _rate(name: str, matched: int, total: int) -> None:
    FIGURES.append(f"import {name}: {matched / total:.2%} of records match ({matched}/{total})")


def test_html_import_gives_the_corpus_records(
    html_import: tuple[int, list[str], Path],
    corpus_cables: dict[str, Cable],
    manifest: list[Entry],
) -> None:
    code, lines, into = html_import
    assert code == 0
    assert lines == ["120 cables imported (120 written, 0 unchanged, 0 conflicts), 0 errors"]
    compared = list(_imported_records(into, corpus_cables, manifest))
    differing = [cable_id for cable_id, imported, corpus in compared if imported != corpus]
    _rate("wikileaks-html", len(compared) - len(differing), len(compared))
    assert len(compared) == 120
    assert differing == []


def test_html_import_writes_the_corpus_text_byte_for_byte(
    html_import: tuple[int, list[str], Path], manifest: list[Entry]
) -> None:
    """The corpus' texts were made from these pages: the import must make the same bytes,
    with a front matter only for what the text cannot say (a partial's ID and date)."""
    _, _, into = html_import
    by_id = {entry["reference_id"]: entry for entry in manifest}
    for path in sorted(into.glob("*.txt")):
        entry = by_id[path.stem]
        front, _ = split_front_matter(path.read_text(encoding="utf-8"))
        text = path.read_bytes()
        if front is not None:
            assert entry["partial"], path.name
            assert front.values == {
                "reference_id": entry["reference_id"],
                "date": yaml.safe_load(_created(entry)),
            }
            text = text.split(b"\n---\n", 1)[1]
        assert text == (CORPUS / entry["file"]).read_bytes(), path.name


def _explained(cable_id: str, imported: Record, corpus: Record) -> bool:
    """True when the record differs from the corpus' exactly as the comment above says."""
    fields = {key for key in corpus if imported[key] != corpus[key]}
    body = _csv_row(cable_id)[7]
    return fields <= set(CSV_LOST_TEXT[cable_id]) and "REF: A. 2009 MADRID 59" not in body


def _csv_row(cable_id: str) -> list[str]:
    return next(row for row in _corpus_rows() if row[2] == cable_id)


def test_csv_import_gives_the_corpus_records(
    csv_import: tuple[int, list[str], Path],
    corpus_cables: dict[str, Cable],
    manifest: list[Entry],
) -> None:
    code, lines, into = csv_import
    assert code == 0
    assert lines == ["985 cables imported (985 written, 0 unchanged, 0 conflicts), 0 errors"]
    compared = list(_imported_records(into, corpus_cables, manifest))
    differing = {cable_id: (i, c) for cable_id, i, c in compared if i != c}
    _rate("cables-csv", len(compared) - len(differing), len(compared))
    assert len(compared) == 985
    assert set(differing) <= set(CSV_LOST_TEXT), sorted(set(differing) - set(CSV_LOST_TEXT))
    for cable_id, (imported, corpus) in differing.items():
        assert _explained(cable_id, imported, corpus), cable_id


def _numbered_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """Each record of a CSV file, with the line it starts on."""
    previous = csv.field_size_limit(sys.maxsize)
    try:
        with path.open(newline="", encoding="utf-8") as file:
            reader = csv.reader(file)
            start = 1
            for row in reader:
                yield start, row
                start = reader.line_num + 1
    finally:
        csv.field_size_limit(previous)


@functools.cache
def _corpus_rows() -> list[list[str]]:
    """The corpus' CSV rows, read once (copy a row before changing it)."""
    return [row for _, row in _numbered_rows(CSV_FILE)]


def _line_of(csv_path: Path, cable_id: str) -> int:
    return next(line for line, row in _numbered_rows(csv_path) if row[2] == cable_id)


def _write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as file:
        csv.writer(file, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(rows)
    return path


@pytest.fixture
def small_csv(tmp_path: Path) -> Path:
    """The corpus' first twelve rows: among them partial extracts and a cable whose banner
    is another cable's, so that some files need a front matter."""
    return _write_csv(tmp_path / "small.csv", _corpus_rows()[:12])


def _snapshot(folder: Path) -> dict[str, tuple[int, int, bytes]]:
    return {
        path.name: (path.stat().st_ino, path.stat().st_mtime_ns, path.read_bytes())
        for path in sorted(folder.iterdir())
    }


def test_reimport_writes_nothing(small_csv: Path, tmp_path: Path) -> None:
    into = tmp_path / "cables"
    assert _import("cables-csv", small_csv, into)[1][-1].startswith("12 cables imported (12 ")
    fronted = [path for path in into.iterdir() if path.read_bytes().startswith(b"---\n")]
    assert fronted, "files with a front matter are imported again too"
    before = _snapshot(into)
    code, lines = _import("cables-csv", small_csv, into)
    assert (code, lines) == (
        0,
        ["12 cables imported (0 written, 12 unchanged, 0 conflicts), 0 errors"],
    )
    assert _snapshot(into) == before


def test_one_process_and_many_write_the_same_files(small_csv: Path, tmp_path: Path) -> None:
    _import("cables-csv", small_csv, tmp_path / "one", jobs=1)
    _import("cables-csv", small_csv, tmp_path / "two", jobs=2)
    one, two = _snapshot(tmp_path / "one"), _snapshot(tmp_path / "two")
    assert {k: v[2] for k, v in one.items()} == {k: v[2] for k, v in two.items()}


def test_a_changed_file_is_kept_and_the_import_goes_beside_it(
    small_csv: Path, tmp_path: Path
) -> None:
    into = tmp_path / "cables"
    _import("cables-csv", small_csv, into)
    edited = sorted(into.glob("*.txt"))[3]
    original = edited.read_bytes()
    edited.write_bytes(original + b"\nAn editor's line.")
    code, lines = _import("cables-csv", small_csv, into)
    assert code == 0
    conflict = next(into.glob(f"{edited.name}.conflict-*.txt"))
    assert conflict.read_bytes() == original
    assert edited.read_bytes() == original + b"\nAn editor's line."
    assert len(conflict.name) == len(f"{edited.name}.conflict-12345678.txt")
    assert lines == [
        f"{small_csv}:{_line_of(small_csv, edited.stem)}: warning: conflict: {edited}"
        f" holds other text for {edited.stem}; kept it, and stored this import as {conflict}",
        "12 cables imported (0 written, 11 unchanged, 1 conflicts), 0 errors",
    ]
    before = _snapshot(into)
    assert _import("cables-csv", small_csv, into)[1][-1] == lines[-1]
    assert _snapshot(into) == before, "a conflict, imported again, writes nothing"


def test_malformed_rows_are_reported_with_their_line(tmp_path: Path) -> None:
    first, last = _corpus_rows()[:2]
    source = tmp_path / "dump.csv"
    _write_csv(source, [first, ["2", "12/28/1966 18:06", "66BUENOSAIRES2482"], last])
    bad_line = _line_of(source, "66BUENOSAIRES2482")
    code, lines = _import("cables-csv", source, tmp_path / "cables")
    assert code == 0
    assert lines == [
        f"{source}:{bad_line}: error: malformed row: 3 fields, not 8",
        "2 cables imported (2 written, 0 unchanged, 0 conflicts), 1 errors",
    ]
    assert sorted(p.stem for p in (tmp_path / "cables").iterdir()) == sorted([first[2], last[2]])


def test_a_runaway_field_is_reported_and_reading_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A field past the size limit (a stray quote in a 1.5 GB dump) costs one record."""
    rows = [list(row) for row in _corpus_rows()[:3]]
    monkeypatch.setattr("site_builder.importers.cables_csv.FIELD_LIMIT", 200_000)
    rows[1][7] = "X" * 300_000
    source = _write_csv(tmp_path / "dump.csv", rows)
    code, lines = _import("cables-csv", source, tmp_path / "cables")
    assert code == 0
    assert lines == [
        f"{source}:{_line_of(source, rows[1][2])}: error: malformed CSV:"
        " field larger than field limit (200000)",
        "2 cables imported (2 written, 0 unchanged, 0 conflicts), 1 errors",
    ]
    assert csv.field_size_limit() == 128 * 1024, "the limit is put back"


def test_an_id_that_is_no_id_never_becomes_a_path(tmp_path: Path) -> None:
    good = _corpus_rows()[0]
    evil = [*good[:2], "../../escaped", *good[3:]]
    source = _write_csv(tmp_path / "dump.csv", [evil, good])
    into = tmp_path / "deep" / "cables"
    code, lines = _import("cables-csv", source, into)
    assert code == 0
    assert lines[0] == f"{source}:1: error: reference ID '../../escaped' is not ID-shaped: skipped"
    assert [p.name for p in into.iterdir()] == [f"{good[2]}.txt"]
    assert not list(tmp_path.rglob("escaped*"))


def test_a_page_with_no_cable_is_reported_and_the_others_imported(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    page = next(PAGES.rglob("*.html"))
    (pages / page.name).write_bytes(page.read_bytes())
    (pages / "about.html").write_text("<html><body><p>About us</p></body></html>")
    (pages / "table.html").write_text(page.read_text().split("<code>")[0])
    (pages / "text.html").write_text("<html><pre>UNCLAS BERLIN 001767</pre></html>")
    code, lines = _import("wikileaks-html", pages, tmp_path / "cables")
    assert code == 0
    assert lines == [
        f"{pages / 'about.html'}:1: error: no cable in this page: no <pre> telegram text",
        f"{pages / 'table.html'}:1: error: no cable in this page: no <pre> telegram text",
        f"{pages / 'text.html'}:1: error: no cable in this page:"
        " no metadata table with a Reference ID",
        "1 cables imported (1 written, 0 unchanged, 0 conflicts), 3 errors",
    ]
    (pages / page.name).unlink()
    assert _import("wikileaks-html", pages, tmp_path / "more")[0] == 1, "nothing imported"
    assert _import("wikileaks-html", page, tmp_path / "one")[0] == 0, "a page on its own"
    assert (tmp_path / "one" / f"{page.stem}.txt").read_bytes().startswith(b"\n\n")


def test_text_in_any_form_becomes_the_archive_form(
    tmp_path: Path, corpus_cables: dict[str, Cable], manifest: list[Entry]
) -> None:
    """CRLF, a BOM, cp1252 bytes and any name: stored as UTF-8 and LF under the ID."""
    entries = {e["reference_id"]: e for e in manifest}
    pretoria_entry, partial = entries["01PRETORIA1173"], entries["04MADRID974"]
    sources = tmp_path / "incoming"
    sources.mkdir()
    pretoria = (CORPUS / pretoria_entry["file"]).read_text(encoding="utf-8")
    assert "’" in pretoria
    (sources / "scan 1.txt").write_bytes(pretoria.replace("\n", "\r\n").encode("cp1252"))
    madrid = (CORPUS / partial["file"]).read_text(encoding="utf-8")
    (sources / "04MADRID974.txt").write_bytes(b"\xef\xbb\xbf" + madrid.encode("utf-8"))
    into = tmp_path / "cables"
    code, lines = _import("text", sources, into)
    assert (code, lines) == (
        0,
        ["2 cables imported (2 written, 0 unchanged, 0 conflicts), 0 errors"],
    )
    assert (into / "01PRETORIA1173.txt").read_text(encoding="utf-8") == pretoria
    stored = (into / "04MADRID974.txt").read_text(encoding="utf-8")
    assert stored == "---\nreference_id: 04MADRID974\n---\n" + madrid, "only its name knew the ID"
    for entry in (pretoria_entry, partial):
        path = into / f"{entry['reference_id']}.txt"
        renamed = tmp_path / "any name.txt"  # the text alone must carry the ID
        renamed.write_bytes(path.read_bytes())
        imported = _comparable(to_record(parse_bytes(renamed.read_bytes(), str(renamed))))
        assert imported == _comparable(to_record(corpus_cables[entry["file"]]))


def test_text_import_of_an_imported_archive_changes_nothing(
    html_import: tuple[int, list[str], Path], tmp_path: Path
) -> None:
    _, _, archive = html_import
    code, lines = _import("text", archive, tmp_path)
    assert (code, lines) == (
        0,
        ["120 cables imported (120 written, 0 unchanged, 0 conflicts), 0 errors"],
    )
    for path in archive.iterdir():
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name


def test_seed_form_tidies_line_ends_and_blanks() -> None:
    assert seed_form("P 201200Z SEP 07 \r\nFM X\r\n\r\n", "\n\nBODY  \r\nEND\n") == (
        "\n\nP 201200Z SEP 07\nFM X\n\nBODY\nEND"
    )
    assert seed_form("", "BODY") == "\n\nBODY"


def test_cli_imports_the_csv(
    small_csv: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    into = tmp_path / "elsewhere"
    assert main(["import", "cables-csv", str(small_csv), "--into", str(into)]) == 0
    assert capsys.readouterr().out.endswith(
        "12 cables imported (12 written, 0 unchanged, 0 conflicts), 0 errors\n"
    )
    assert len(list(into.glob("*.txt"))) == 12
    monkeypatch.chdir(tmp_path)
    assert main(["import", "cables-csv", str(small_csv)]) == 0
    assert len(os.listdir(tmp_path / "content" / "cables")) == 12, "the default --into"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["cables-csv", "no/such.csv"], "no/such.csv: no such file or folder"),
        (["cables-csv", str(PAGES)], f"{PAGES}: not a file (cables-csv reads one CSV file)"),
        (["text", str(CSV_FILE), "--into", str(CSV_FILE)], f"{CSV_FILE}: not a folder"),
    ],
)
def test_cli_usage_errors(
    args: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"site-builder: error: {message}")
    assert err.count("\n") == 1


def test_the_archive_keeps_showing_its_own_text_until_a_conflict_is_settled(
    small_csv: Path, tmp_path: Path
) -> None:
    content = tmp_path / "content"
    into = content / "cables"
    _import("cables-csv", small_csv, into)
    edited = sorted(into.glob("*.txt"))[5]
    edited.write_bytes(edited.read_bytes() + b"\nAn editor's line.")
    _import("cables-csv", small_csv, into)
    conflict = next(into.glob(f"{edited.name}.conflict-*.txt"))
    report = io.StringIO()
    assert run_check(content, report) == 1, "a conflict is an error until an editor settles it"
    problems = [line for line in report.getvalue().splitlines() if ": error: " in line]
    assert len(problems) == 1
    assert problems[0].startswith(f"{display_path(conflict)}:")
    assert problems[0].endswith(f"also in {display_path(edited)}"), "the editor's text stands"
