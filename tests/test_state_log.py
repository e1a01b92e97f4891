"""The state's log: a one-off build that changed a few pages appends their records to
a log beside the state instead of writing every record again, and a log that is cut
short, or was written against an older state, never vouches for a page it does not
describe."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from site_builder.build_state import PageRecord, load_state, note_changing, save_state
from site_builder.report import BuildReport
from site_builder.site import load_site
from site_builder.stages.unchanged import forget_last_build
from tests.test_parser import SEED
from tests.test_site import make_content, run_build

SEED_PAGE = "cable/2007/09/07GUATEMALA1906.html"


def _site(tmp_path: Path) -> tuple[Path, Path, Path]:
    """The corpus and the seed, built: the content folder, the output and the state."""
    content = make_content(tmp_path)
    out = tmp_path / "public"
    run_build(content, out, search=False)
    return content, out, load_site(content, out).state_file


def _edit(content: Path, number: int) -> None:
    seed = content / "cables" / SEED.name
    text = seed.read_text(encoding="utf-8")
    seed.write_text(text.replace("SUBJECT: ", f"SUBJECT: EDIT {number} ", 1), encoding="utf-8")


def _planned_build(content: Path, out: Path) -> BuildReport:
    """A build that plans every page and compares it with the state: not stopped by
    finding every input and output as the last whole build left them."""
    forget_last_build(load_site(content, out))
    return run_build(content, out, search=False)


def _log(state: Path) -> Path:
    return state.with_name(state.name + ".log")


def test_an_edit_logs_its_pages_and_the_next_build_reads_them(tmp_path: Path) -> None:
    content, out, state = _site(tmp_path)
    whole = state.read_bytes()
    _edit(content, 1)
    report = run_build(content, out, search=False)
    assert 0 < report.written < 50 and state.read_bytes() == whole, "the state stays"
    lines = _log(state).read_text().splitlines()
    logged = json.loads(lines[0])["pages"]
    assert len(lines) == 1 and SEED_PAGE in logged and len(logged) == report.written
    assert load_state(state)[SEED_PAGE].digest == logged[SEED_PAGE][0]
    assert _planned_build(content, out).written == 0


def test_a_build_that_changes_many_pages_writes_the_state_whole(tmp_path: Path) -> None:
    content, out, state = _site(tmp_path)
    _edit(content, 1)
    run_build(content, out, search=False)
    assert _log(state).exists()
    (content.parent / "site.toml").write_text('title = "Another title"\n', encoding="utf-8")
    report = run_build(content, out, search=False)
    assert report.written * 2 > report.pages and not _log(state).exists()
    assert _planned_build(content, out).written == 0


def test_a_log_left_from_an_older_state_is_not_applied(tmp_path: Path) -> None:
    """Had it been, it would give the edited pages the records of their first edit."""
    content, out, state = _site(tmp_path)
    _edit(content, 1)
    run_build(content, out, search=False)
    older = tmp_path / "older.log"
    shutil.copyfile(_log(state), older)
    (content.parent / "site.toml").write_text('title = "Another title"\n', encoding="utf-8")
    run_build(content, out, search=False)  # the state written whole, the log removed
    shutil.copyfile(older, _log(state))  # as if the build was killed before removing it
    records = load_state(state)
    logged = json.loads(older.read_text())["pages"]
    assert records[SEED_PAGE].digest != logged[SEED_PAGE][0]
    assert _planned_build(content, out).written == 0
    _edit(content, 2)
    run_build(content, out, search=False)
    assert len(_log(state).read_text().splitlines()) == 2, "appended after the older line"
    assert _planned_build(content, out).written == 0, "and read past it"


def test_a_line_cut_short_ends_the_log_and_its_pages_are_made_again(tmp_path: Path) -> None:
    """As a build killed while appending leaves it: its pages noted as changing, half a
    line written."""
    content, out, state = _site(tmp_path)
    _edit(content, 1)
    run_build(content, out, search=False)
    good = (out / SEED_PAGE).read_bytes()
    forget_last_build(load_site(content, out))  # as a build does before it changes the site
    note_changing(state, [SEED_PAGE])
    with _log(state).open("a", encoding="utf-8") as log:
        log.write('{"generation":"')
    (out / SEED_PAGE).write_bytes(b"<p>the killed build's page")
    assert SEED_PAGE not in load_state(state)
    report = run_build(content, out, search=False)
    assert report.written == 1 and (out / SEED_PAGE).read_bytes() == good
    assert not _log(state).exists(), "nothing is appended after a cut: written whole"
    assert _planned_build(content, out).written == 0


def test_each_save_logs_against_what_the_last_one_left(tmp_path: Path) -> None:
    """As the dev server saves, once after each search pass and at its stop."""
    state = tmp_path / "state.json"
    pages = {f"cable/{n}.html": PageRecord(f"d{n}", (f"c{n}.txt",)) for n in range(100)}
    saved = save_state(state, pages)
    whole = state.read_bytes()
    for edit in (1, 2):
        pages = {**pages, "cable/7.html": PageRecord(f"edited {edit}", ("c7.txt",))}
        del pages[f"cable/{edit}.html"]
        saved = save_state(state, pages, saved)
    assert state.read_bytes() == whole and len(_log(state).read_text().splitlines()) == 2
    assert load_state(state) == pages == saved
