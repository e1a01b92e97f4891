"""A one-off build with nothing changed since the last whole one checks its inputs'
signatures and the times of the output's folders, and stops there, reporting what the last build
found; any change at all, in the inputs or in the output, builds as usual."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from site_builder.build import build
from site_builder.report import BuildFailed, BuildReport
from site_builder.session import Session
from site_builder.site import Site, load_site
from site_builder.stages.unchanged import mark_outputs, outputs_unchanged, record_file
from tests.test_parser import WRAPPED
from tests.test_site import make_content

BROKEN = "SUBJECT: nothing else\n"  # no ID the file name does not give: one error


@pytest.fixture
def site(tmp_path: Path) -> Site:
    content = make_content(tmp_path, corpus=False, cables={"a.txt": WRAPPED, "b.txt": BROKEN})
    return load_site(content, tmp_path / "public", search=False, jobs=1)


def _checked_only(report: BuildReport) -> bool:
    return list(report.timings) == ["check"]


def test_nothing_changed_is_told_by_signatures_alone(site: Site) -> None:
    first = build(site)
    again = build(site)
    assert _checked_only(again) and not again.published and again.written == 0
    assert again.problems == first.problems and first.count(first.problems[0].severity)
    assert again.summary().split(" in ")[0] == first.summary().split(" in ")[0]


@pytest.mark.parametrize(
    "change",
    [
        "touch a cable",
        "add a template",
        "remove an output file",
        "add an output file",
        "remove a cable page",
        "add an output folder",
    ],
)
def test_any_change_builds_as_usual(site: Site, change: str) -> None:
    build(site)
    made = sorted(site.out.rglob("*"))
    cable = site.content / "cables" / "a.txt"
    if change == "touch a cable":
        os.utime(cable, ns=(cable.stat().st_atime_ns, cable.stat().st_mtime_ns + 1))
    elif change == "add a template":
        (site.folder / "templates").mkdir()
        (site.folder / "templates" / "extra.html").write_text("unused\n")
    elif change == "remove an output file":
        (site.out / "robots.txt").unlink()
    elif change == "remove a cable page":
        next((site.out / "cable").rglob("*.html")).unlink()
    elif change == "add an output folder":
        (site.out / "cable" / "stray").mkdir()
    else:
        (site.out / "stray.html").write_text("not ours\n")
    report = build(site)
    assert not _checked_only(report)
    assert set(made) <= set(site.out.rglob("*"))  # what was removed is made again
    assert _checked_only(build(site))  # and then it is as it was left


def test_strict_still_fails_on_the_problems_it_found(site: Site) -> None:
    build(site)
    with pytest.raises(BuildFailed) as failed:
        build(Site(**{**site.__dict__, "strict": True}))
    assert _checked_only(failed.value.report)


def test_the_dev_server_forgets_the_record(site: Site) -> None:
    build(site)
    assert record_file(site).is_file()
    build(site, None, Session())  # its first build publishes: the output is its own now
    assert not record_file(site).exists()
    assert not _checked_only(build(site))


def test_a_folder_changed_as_soon_as_it_is_recorded_is_not_trusted(tmp_path: Path) -> None:
    """A change within the same tick of the clock as the folder's recorded time could
    leave that time as it was: the record waits until its newest folder is older."""
    for attempt in range(20):
        out = tmp_path / str(attempt)
        (out / "page").mkdir(parents=True)
        (out / "page" / "index.html").write_text("made\n")
        outputs = mark_outputs(out)
        assert outputs.folders == ("", "page") and outputs_unchanged(out, outputs)
        (out / "page" / "stray.html").write_text("not ours\n")
        assert not outputs_unchanged(out, outputs)


@pytest.mark.parametrize(
    "leftover",
    [".a.txt.swp", "4913", "a.txt~", "#a.txt#", ".git/objects/ab", "notes/.draft.md"],
)
def test_what_editors_leave_beside_a_cable_changes_nothing(site: Site, leftover: str) -> None:
    """Editors' swap, backup and lock files and VCS folders are no sources: a build with
    a cable open in an editor finds nothing changed, and an edit stays an edit."""
    build(site)
    for folder in ("cables", "people", "annotations", "pages"):
        path = site.content / folder / leftover
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("SUBJECT: nothing a build reads\n")
    assert _checked_only(build(site))


def test_a_link_to_a_folder_above_in_the_output_is_not_followed(tmp_path: Path) -> None:
    out = tmp_path / "public"
    (out / "page").mkdir(parents=True)
    (out / "page" / "loop").symlink_to(out)
    assert mark_outputs(out).folders == ("", "page")
