"""A one-off build after a few cables were edited plans their pages from the store the
last whole build left (quick_edit.py), and still makes exactly the site, the state and
the report that a whole build of the same content makes: compared file by file with a
clean build after every edit. What the store cannot plan is built whole."""

from __future__ import annotations

import dataclasses
import random
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from site_builder import urls
from site_builder.build import build
from site_builder.build_state import load_state
from site_builder.catalog import INDEXES, Catalog, Entry
from site_builder.report import BuildFailed, BuildReport
from site_builder.session import Session
from site_builder.site import Site, load_site
from site_builder.stages.catalog_store import Store, store_file
from site_builder.stages.stored_catalog import stored_catalog
from site_builder.stages.unchanged import load_last_build
from tests.test_editorial import with_editorial
from tests.test_site import make_content

SEED = "07GUATEMALA1906"


@dataclasses.dataclass
class Archive:
    """A built site, its catalog (to choose cables by), and a folder for clean builds."""

    site: Site
    catalog: Catalog
    folder: Path

    def rewrite(self, cable_id: str, old: str, new: str) -> None:
        path = Path(self.catalog.by_id[cable_id].source)
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{cable_id}: {old!r} not in the file"
        path.unlink()  # the corpus is linked in: the edit makes a file of its own
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    def edit(self, cable_id: str, old: str, new: str) -> BuildReport:
        self.rewrite(cable_id, old, new)
        return build(self.site)

    def subject_line(self, cable_id: str) -> str:
        text = Path(self.catalog.by_id[cable_id].source).read_text(encoding="utf-8")
        found = re.search(r"^SUBJECT: .+$", text, re.MULTILINE)
        assert found, cable_id
        return found.group(0)

    def assert_same_as_clean_build(self, report: BuildReport) -> None:
        clean_out = self.folder / f"clean-{len(list(self.folder.glob('clean-*')))}"
        clean_site = dataclasses.replace(self.site, out=clean_out)
        clean = build(clean_site)
        assert report.problems == clean.problems
        assert (report.cables, report.pages, report.shards) == (
            clean.cables,
            clean.pages,
            clean.shards,
        )
        assert _tree(self.site.out) == _tree(clean_out)
        assert load_state(self.site.state_file) == load_state(clean_site.state_file)


def _tree(folder: Path) -> dict[str, bytes]:
    """Every file but the search index's own (Pagefind's files differ from run to run)."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and not str(p.relative_to(folder)).startswith("pagefind")
    }


def _quick(report: BuildReport) -> bool:
    """The build planned from the store: it never parsed the archive."""
    return "edit" in report.timings and "parse" not in report.timings


def _archive(folder: Path, search: bool) -> Archive:
    content = with_editorial(make_content(folder / "site"))
    site = load_site(content, folder / "public", search=search, jobs=2)
    session = Session()
    build(dataclasses.replace(site, out=folder / "look"), None, session)  # to choose by
    assert session.memory is not None
    build(site)
    return Archive(site, session.memory.context.catalog, folder)


@pytest.fixture
def archive(tmp_path: Path) -> Archive:
    return _archive(tmp_path, search=False)


def _listed_quietly(catalog: Catalog) -> list[Entry]:
    """Cables no overview page or feed shows (neither among the newest nor annotated),
    most cited first."""
    ranked = [e for e in catalog.entries[50:] if e.canonical_id not in catalog.annotated]
    return sorted(ranked, key=lambda e: -len(catalog.cited_by.get(e.canonical_id, ())))


def test_a_subject_edit_rewrites_its_page_and_every_page_that_lists_it(
    archive: Archive,
) -> None:
    cited = _listed_quietly(archive.catalog)[0]
    citing = archive.catalog.cited_by[cited.canonical_id]
    line = archive.subject_line(cited.canonical_id)
    report = archive.edit(cited.canonical_id, line, line + " AND MORE")
    assert _quick(report)
    written = set(report.changed)
    assert urls.file_of(cited.url) in written
    assert {urls.file_of(e.url) for e in citing} <= written
    assert urls.file_of(urls.tag(cited.tags[0])) in written or len(written) > len(citing) + 1
    archive.assert_same_as_clean_build(report)


def test_a_body_edit_rewrites_only_its_own_page(archive: Archive) -> None:
    """The seed is annotated and signed by a curated person: its page shows both."""
    seed = archive.catalog.by_id[SEED]
    report = archive.edit(SEED, "in the border areas", "in the border regions")
    assert _quick(report)
    assert report.changed == [urls.file_of(seed.url)]
    archive.assert_same_as_clean_build(report)


def test_edits_in_a_row_then_a_build_that_finds_nothing_changed(archive: Archive) -> None:
    first, second = _listed_quietly(archive.catalog)[:2]
    for number, cable in enumerate((first, second, first)):
        line = archive.subject_line(cable.canonical_id)
        report = archive.edit(cable.canonical_id, line, f"{line} EDIT {number}")
        assert _quick(report)
    again = build(archive.site)
    assert again.timings.keys() == {"check"} and again.written == 0
    archive.assert_same_as_clean_build(report)


def _annotated_subject(archive: Archive) -> None:
    line = archive.subject_line(SEED)  # the home page and the feed list annotated cables
    archive.rewrite(SEED, line, line + " NOTED")


def _new_date(archive: Archive) -> None:
    cable = _listed_quietly(archive.catalog)[3]
    text = Path(cable.source).read_text(encoding="utf-8")
    found = re.search(r"\b(\d\d)(\d{4}Z)", text)
    assert found, cable.canonical_id
    day = "01" if found.group(1) != "01" else "02"
    archive.rewrite(cable.canonical_id, found.group(0), day + found.group(2))


def _new_cable(archive: Archive) -> None:
    source = Path(archive.catalog.by_id[SEED].source)
    text = source.read_text(encoding="utf-8").replace("1906", "1907")
    source.with_name("07GUATEMALA1907.txt").write_text(text, encoding="utf-8")


def _page_deleted(archive: Archive) -> None:
    _annotated_subject(archive)  # and a page of the site removed by hand
    cable = _listed_quietly(archive.catalog)[5]
    (archive.site.out / urls.file_of(cable.url)).unlink()


def _new_warning(archive: Archive) -> None:
    """The routing line's day no longer matches the date: a warning, the cable in place."""
    for cable in _listed_quietly(archive.catalog)[4:]:
        text = Path(cable.source).read_text(encoding="utf-8")
        found = re.search(r"^(DE \S+ #\S+ )(\d{3})(\d{4})$", text, re.MULTILINE)
        if found:
            day = "111" if found.group(2) != "111" else "222"
            archive.rewrite(
                cable.canonical_id, found.group(0), found.group(1) + day + found.group(3)
            )
            return
    raise AssertionError("no cable with a routing line")


@pytest.mark.parametrize(
    "change", [_annotated_subject, _new_date, _new_cable, _page_deleted, _new_warning]
)
def test_what_the_store_cannot_plan_is_built_whole(archive: Archive, change: object) -> None:
    assert callable(change)
    change(archive)
    report = build(archive.site)
    assert not _quick(report) and "parse" in report.timings
    archive.assert_same_as_clean_build(report)


def test_a_store_left_by_another_build_is_not_read(archive: Archive) -> None:
    """A dev server changes the site in place: the last build's store no longer says
    what the site is made from, and the next one-off build is whole."""
    cable = _listed_quietly(archive.catalog)[0]
    line = archive.subject_line(cable.canonical_id)
    build(archive.site, None, Session())
    assert load_last_build(archive.site) is None
    report = archive.edit(cable.canonical_id, line, line + " SERVED")
    assert not _quick(report)
    archive.assert_same_as_clean_build(report)


def test_a_whole_build_that_fails_after_its_draft_leaves_the_last_store_to_edit_from(
    archive: Archive,
) -> None:
    """A template that breaks while pages render fails the build after the store was
    drafted: the draft is removed (not left, as large as the store, for the next whole
    build), and the last build's store, still true of the unchanged site, plans the next
    edit."""
    store = store_file(archive.site)
    draft = store.with_name(store.name + ".tmp")
    stored = store.read_bytes()
    templates = archive.site.folder / "templates"
    templates.mkdir()
    broken = templates / "cable.html"
    broken.write_text(
        "{% extends 'base.html' %}\n{% block main %}{{ no_such_value }}{% endblock %}\n"
    )
    with pytest.raises(BuildFailed) as failed:
        build(archive.site)
    assert "render" in failed.value.report.timings  # failed in the render, after the draft
    assert not draft.exists() and store.read_bytes() == stored
    broken.unlink()
    templates.rmdir()  # the site as it was: its own templates folder gone too
    cable = _listed_quietly(archive.catalog)[0]
    line = archive.subject_line(cable.canonical_id)
    report = archive.edit(cable.canonical_id, line, line + " AFTER THE FAILURE")
    assert _quick(report)
    archive.assert_same_as_clean_build(report)


def test_with_search_the_shard_of_the_edited_page_is_indexed_again(tmp_path: Path) -> None:
    archive = _archive(tmp_path, search=True)
    entry_file = archive.site.out / "pagefind" / "pagefind-entry.json"
    before = entry_file.read_bytes()
    cable = _listed_quietly(archive.catalog)[0]
    line = archive.subject_line(cable.canonical_id)
    report = archive.edit(cable.canonical_id, line, line + " FOUND AGAIN")
    assert _quick(report) and report.shards_indexed == 1
    assert entry_file.read_bytes() != before
    assert list(build(archive.site).timings) == ["check"]  # the new index recorded as made
    archive.assert_same_as_clean_build(report)


def test_the_stored_catalog_reads_back_as_the_catalog_it_was_written_from(
    archive: Archive,
) -> None:
    last = load_last_build(archive.site)
    assert last is not None
    store = Store.open(store_file(archive.site), last.inputs)
    assert store is not None
    catalog = archive.catalog
    stored = stored_catalog(store, catalog.tables, catalog.directory, ())
    assert list(stored.entries) == list(catalog.entries)
    for name in INDEXES:
        index, read = getattr(catalog, name), getattr(stored, name)
        assert sorted(map(repr, read)) == sorted(map(repr, index))
        assert all(list(read[key]) == list(index[key]) for key in index)
    assert sorted(stored.people) == sorted(catalog.people)
    for slug, person in catalog.people.items():
        other = stored.people[slug]
        assert (other.name, other.curated) == (person.name, person.curated)
        assert list(other.signed) == list(person.signed)
        assert list(other.mentioned) == list(person.mentioned)
    assert stored.annotated == catalog.annotated
    assert all(stored.neighbours(e) == catalog.neighbours(e) for e in catalog.entries)


def test_an_edit_killed_at_any_moment_leaves_the_next_build_right(archive: Archive) -> None:
    """`site-builder build` killed with SIGKILL while it builds an edit from the store (at
    moments drawn from a seeded generator): the next build makes the site a clean build
    makes, and its state says so."""
    moments = random.Random(20101128)
    site = archive.site
    command = [sys.executable, "-m", "site_builder.cli", "build", "--no-search", "--jobs", "2"]
    command += ["--content", str(site.content), "--out", str(site.out)]
    for round, cable in enumerate(_listed_quietly(archive.catalog)[:5]):
        line = archive.subject_line(cable.canonical_id)
        archive.rewrite(cable.canonical_id, line, f"{line} ROUND {round}")
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(moments.uniform(0.2, 1.5))
        process.kill()
        process.wait()
        archive.assert_same_as_clean_build(build(site))
