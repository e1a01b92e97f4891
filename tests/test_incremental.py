"""A session's rebuild after cable edits plans only what the edits show, and still makes
exactly the site, and reports exactly the problems, that a whole build of the same
content makes: compared file by file with a clean build after every edit."""

from __future__ import annotations

import dataclasses
import os
import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from site_builder import urls
from site_builder.build import build
from site_builder.catalog import Catalog
from site_builder.pages import lists
from site_builder.report import BuildFailed, BuildReport
from site_builder.session import Session
from site_builder.site import Site, load_site
from tests.test_site import make_content
from tests.tiny_cables import tiny_cable, write_archive


@dataclasses.dataclass
class Editing:
    """A site served by a session, and its cables to edit."""

    site: Site
    session: Session
    folder: Path

    @property
    def catalog(self) -> Catalog:
        assert self.session.memory is not None
        return self.session.memory.context.catalog

    def edit(self, *edits: tuple[str, str, str]) -> BuildReport:
        """Rewrite cables (by reference ID: old text -> new text, first occurrence), as
        an editor saves them, and rebuild in the session with the watcher's paths."""
        paths = []
        for cable_id, old, new in edits:
            path = Path(self.catalog.by_id[cable_id].source)
            text = path.read_text(encoding="utf-8")
            assert old in text, f"{cable_id}: {old!r} not in the file"
            path.unlink()  # the corpus is linked in: the edit makes a file of its own
            path.write_text(text.replace(old, new, 1), encoding="utf-8")
            paths.append(Path(os.path.realpath(path.parent), path.name))  # as watched
        self.session.changed = frozenset(paths)
        return build(self.site, None, self.session)

    def assert_same_as_clean_build(self, report: BuildReport) -> None:
        clean_out = self.folder / f"clean-{len(list(self.folder.glob('clean-*')))}"
        clean = build(dataclasses.replace(self.site, out=clean_out))
        assert report.problems == clean.problems
        assert (report.cables, report.pages) == (clean.cables, clean.pages)
        assert _tree(self.site.out) == _tree(clean_out)


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _planned_in_part(report: BuildReport) -> bool:
    """A rebuild that planned from the session's memory never walked the content."""
    return "discover" not in report.timings


@pytest.fixture
def editing(tmp_path: Path) -> Editing:
    """The site is reached through a link, as a watcher would not name it."""
    (tmp_path / "link").symlink_to(make_content(tmp_path / "real").parent)
    site = load_site(tmp_path / "link" / "content", tmp_path / "public", search=False, jobs=2)
    session = Session()
    build(site, None, session)
    return Editing(site, session, tmp_path)


def _most_cited(catalog: Catalog) -> str:
    return max(catalog.cited_by, key=lambda cable: len(catalog.cited_by[cable]))


def _subject_line(catalog: Catalog, cable_id: str) -> str:
    text = Path(catalog.by_id[cable_id].source).read_text(encoding="utf-8")
    found = re.search(r"^SUBJECT: .+$", text, re.MULTILINE)
    assert found, cable_id
    return found.group(0)


def test_a_subject_edit_plans_in_part_and_rewrites_every_page_that_lists_it(
    editing: Editing,
) -> None:
    cited = _most_cited(editing.catalog)
    citing = editing.catalog.cited_by[cited]
    line = _subject_line(editing.catalog, cited)
    report = editing.edit((cited, line, line + " AND MORE"))
    assert _planned_in_part(report)
    written = set(report.changed)
    assert {Path(e.url).name for e in citing} <= {Path(name).name for name in written}
    assert any(name.startswith("tag/") for name in written)
    editing.assert_same_as_clean_build(report)


def test_a_body_edit_rewrites_only_its_own_page(editing: Editing) -> None:
    entries = editing.catalog.entries
    cable = next(e for e in entries[len(entries) // 2 :] if "2" in e.paragraphs).canonical_id
    text = Path(editing.catalog.by_id[cable].source).read_text(encoding="utf-8")
    second_paragraph = re.search(r"^\S*2\.\s", text, re.MULTILINE)
    assert second_paragraph, cable
    at = text.index(" the ", second_paragraph.end())
    report = editing.edit((cable, text[at : at + 30], " the very" + text[at + 4 : at + 30]))
    assert _planned_in_part(report)
    assert report.changed == [editing.catalog.by_id[cable].url.lstrip("/")]
    editing.assert_same_as_clean_build(report)


def test_edits_of_two_cables_in_one_batch(editing: Editing) -> None:
    first, second = (e.canonical_id for e in editing.catalog.entries[:2])
    report = editing.edit(
        *(
            (cable, line, line + " (EDITED)")
            for cable in (first, second)
            for line in [_subject_line(editing.catalog, cable)]
        )
    )
    assert _planned_in_part(report)
    editing.assert_same_as_clean_build(report)


def test_an_edit_that_moves_a_cable_plans_the_whole_site(editing: Editing) -> None:
    cable = _most_cited(editing.catalog)
    tags = editing.catalog.by_id[cable].tags
    text = Path(editing.catalog.by_id[cable].source).read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if line.startswith("TAGS:"))
    report = editing.edit((cable, line, line + ", KPAO"))
    assert not _planned_in_part(report)
    assert editing.catalog.by_id[cable].tags == (*tags, "KPAO")
    editing.assert_same_as_clean_build(report)


def test_an_edit_that_breaks_a_cable_then_one_that_mends_it(editing: Editing) -> None:
    cable = next(  # one whose file name does not give its ID
        e.canonical_id
        for e in editing.catalog.entries
        if e.canonical_id in editing.catalog.cited_by
        and not re.fullmatch(r"\d\d[A-Z]+\d+", Path(e.source).stem)
    )
    source = Path(editing.catalog.by_id[cable].source)
    line = _subject_line(editing.catalog, cable)
    text = source.read_text(encoding="utf-8")
    with pytest.raises(BuildFailed) as failed:  # new errors: the site is left as it was
        editing.edit((cable, text, "GARBLED\n"))
    broken = failed.value.report
    assert not _planned_in_part(broken)
    assert any(p.path.endswith(source.name) for p in broken.problems)
    assert cable not in editing.catalog.by_id
    source.write_text(text.replace(line, line + " MENDED"), encoding="utf-8")
    editing.session.changed = frozenset([Path(os.path.realpath(source.parent), source.name)])
    mended = build(editing.site, None, editing.session)
    assert not _planned_in_part(mended)  # the cable comes back into the catalog
    editing.assert_same_as_clean_build(mended)
    again = editing.edit((cable, "MENDED", "MENDED TWICE"))
    assert _planned_in_part(again)
    editing.assert_same_as_clean_build(again)


def test_an_edit_in_part_that_changes_a_warning_reports_the_new_one(editing: Editing) -> None:
    """The session keeps the content's problems between edits; an edit that changes a
    file's problems (here: the routing line's day, which a warning quotes) must show."""
    first = build(editing.site, None, editing.session)  # nothing changed
    warned = next(p for p in first.problems if "does not match the routing line" in p.message)
    cable = next(e for e in editing.catalog.entries if e.source == warned.path).canonical_id
    day = warned.message.rsplit(" ", 1)[1]
    found = re.search(rf"^DE .* {day}\d{{4}}$", Path(warned.path).read_text(), re.MULTILINE)
    assert found, warned
    later = f"{int(day) + 1:03d}"
    line = _subject_line(editing.catalog, cable)
    assert _planned_in_part(editing.edit((cable, line, line + " AND MORE")))  # problems kept
    report = editing.edit((cable, found.group(0), found.group(0).replace(f" {day}", f" {later}")))
    assert _planned_in_part(report)
    now = [p.message for p in report.problems if p.path == warned.path]
    assert now == [warned.message.replace(f"day {day}", f"day {later}")]
    editing.assert_same_as_clean_build(report)


def test_an_edit_left_unpublished_is_published_with_the_next(tmp_path: Path) -> None:
    """Under --strict, a batch that brings a warning is planned in part but not
    published; once the warning goes, the site must show the whole batch, though the
    edit that mends it touches other pages."""
    dates = [datetime(2009, 1, day) for day in range(1, 6)]
    # Each opens with room for front matter, whose lines stay blank: a cable keeps its place.
    texts = [
        "\n\n\n" + tiny_cable(serial, when, ["PGOV"]) for serial, when in enumerate(dates, 100)
    ]
    content = write_archive(tmp_path, texts)
    site = load_site(content, tmp_path / "public", search=False, jobs=1, strict=True)
    editing = Editing(site, Session(), tmp_path)
    build(site, None, editing.session)
    entries = editing.catalog.entries  # newest, oldest: neither page shows the other
    renamed, warned = entries[0].canonical_id, entries[-1].canonical_id
    front = "---\nreference_id: not an ID\n---\n"
    with pytest.raises(BuildFailed) as failed:
        editing.edit((renamed, "SUBJECT: NOTE", "SUBJECT: RENAMED NOTE"), (warned, "\n\n\n", front))
    assert _planned_in_part(failed.value.report)
    report = editing.edit((warned, front, "\n\n\n"))
    assert _planned_in_part(report)
    editing.assert_same_as_clean_build(report)


def test_a_plan_in_part_is_the_whole_plan_search_shards_included(tmp_path: Path) -> None:
    content = make_content(tmp_path)
    site = load_site(content, tmp_path / "public", jobs=2, search_shard_size=300)
    editing = Editing(site, Session(), tmp_path)  # search deferred: no index is made
    build(site, None, editing.session)
    cited = _most_cited(editing.catalog)
    line = _subject_line(editing.catalog, cited)
    assert _planned_in_part(editing.edit((cited, line, line + " AND MORE")))
    whole = Session()
    build(dataclasses.replace(site, out=tmp_path / "whole"), None, whole)
    assert editing.session.memory and whole.memory
    in_part, from_scratch = editing.session.memory.plan, whole.memory.plan
    assert len(from_scratch.shards) > 1
    assert [(s.path, s.digest) for s in in_part.shards] == [
        (s.path, s.digest) for s in from_scratch.shards
    ]
    assert {j.file: j.digest for j in in_part.jobs} == {j.file: j.digest for j in from_scratch.jobs}


def test_a_stylesheet_edit_changes_every_page_but_no_search_shard(tmp_path: Path) -> None:
    """Pages link the fingerprinted stylesheet, so they change; the index holds none of
    that, so no shard is to be indexed again."""
    content = make_content(tmp_path)
    site = load_site(content, tmp_path / "public", jobs=2, search_shard_size=300)
    (tmp_path / "static").mkdir()
    plans = []
    for colour in ("black", "navy"):
        (tmp_path / "static" / "site.css").write_text(f"body {{ color: {colour}; }}\n")
        session = Session()  # search deferred: no index is made
        build(dataclasses.replace(site, out=tmp_path / colour), None, session)
        assert session.memory
        plans.append(session.memory.plan)
    black, navy = ({job.file: job.digest for job in plan.jobs} for plan in plans)
    assert all(black[file] != navy[file] for file in black if file.startswith("cable/"))
    assert [s.digest for s in plans[0].shards] == [s.digest for s in plans[1].shards]


@pytest.fixture
def person_lists(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Editing:
    """Eight cables signed by Koenig, three to a page of his list, served by a session."""
    monkeypatch.setattr(lists, "PAGE_SIZE", 3)
    newest = datetime(2009, 1, 31)
    texts = [tiny_cable(serial, newest - timedelta(days=serial), ["PGOV"]) for serial in range(8)]
    site = load_site(write_archive(tmp_path, texts), tmp_path / "public", search=False, jobs=1)
    editing = Editing(site, Session(), tmp_path)
    build(site, None, editing.session)
    return editing


def test_edits_of_cables_on_the_pages_of_a_persons_list(person_lists: Editing) -> None:
    """A person's list is drawn from the catalog's `Person`, which an edit replaces: each
    edit must show on the list's pages as a clean build shows it."""
    editing = person_lists
    signed = editing.catalog.people["koenig"].signed
    for entry, page in ((signed[4], 2), (signed[6], 3)):
        subject = _subject_line(editing.catalog, entry.canonical_id)
        report = editing.edit((entry.canonical_id, subject, subject + " EDITED"))
        assert _planned_in_part(report)
        page_file = urls.file_of(urls.paged(urls.person_role("koenig", "signed"), page))
        assert page_file in report.changed
        assert urls.file_of(urls.person("koenig")) not in report.changed
        editing.assert_same_as_clean_build(report)


def test_a_session_over_a_built_site_compiles_its_templates_before_the_first_edit(
    tmp_path: Path,
) -> None:
    """Its first build renders no page, yet the first edit finds every template compiled
    (at the release's size, compiling them took a quarter of a second of that edit)."""
    texts = [tiny_cable(serial, datetime(2009, 1, 31), ["PGOV"]) for serial in range(3)]
    site = load_site(write_archive(tmp_path, texts), tmp_path / "public", search=False, jobs=1)
    build(site)
    session = Session()
    assert build(site, None, session).written == 0
    assert session.memory is not None
    environment = session.memory.context.environment
    assert environment.cache is not None
    assert {name for _, name in environment.cache} == set(environment.list_templates())
