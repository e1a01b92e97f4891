"""The 50,000-entries rule: no folder of the site may hold more (static hosts refuse it).

The build counts every folder's entries from its plan, before anything is rendered
(site_builder/layout.py). Here: the counting itself; a build of 50,001 generated cables of
one month, each signed by someone else and indexed as one search shard, which three
folders would break (the month's, the people's, the shard's fragments) and which stops
with one line each, leaving the site as it was; and a real build of an archive cut into
search shards and list pages, whose every folder on disk holds exactly the entries the
plan counted, all under the limit.
"""

from __future__ import annotations

import json
import os
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from site_builder.build import build
from site_builder.build_state import load_state
from site_builder.cli import main
from site_builder.layout import FOLDER_LIMIT, PAGEFIND_FRAGMENTS, folder_entries
from site_builder.site import load_site
from tests.conftest import FIGURES
from tests.tiny_cables import name_of, tiny_cable, write_archive

ONE_MONTH = FOLDER_LIMIT + 1  # cables of March 2009: one more than a folder may hold
OVERFULL = re.compile(
    r"(?P<folder>/.+)/:1: error: (?P<count>[\d,]+) entries planned in one folder,"
    rf" more than the {FOLDER_LIMIT:,} static hosts accept(?P<remedy>.*)"
)


def test_every_file_and_sub_folder_counts_in_its_folder() -> None:
    files = ["index.html", "a/b/c.html", "a/d.html", "a/b/e.html", "f/g/h/i.html"]
    assert folder_entries(files, {"pagefind/shard-00": 2}) == {
        "": 4,  # index.html, a, f, pagefind
        "a": 2,  # b, d.html
        "a/b": 2,
        "f": 1,
        "f/g": 1,
        "f/g/h": 1,
        "pagefind": 1,
        "pagefind/shard-00": 1,
        f"pagefind/shard-00/{PAGEFIND_FRAGMENTS}": 2,  # a fragment per page indexed
    }


def test_folders_over_the_limit_stop_the_build_one_line_each(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    start = datetime(2009, 3, 1, tzinfo=UTC)
    content = write_archive(
        tmp_path,
        (
            tiny_cable(n + 1, start + timedelta(seconds=40 * n), ["PGOV"], name_of(n))
            for n in range(ONE_MONTH)
        ),
    )
    out = tmp_path / "public"
    out.mkdir()
    (out / "index.html").write_text("the site as it was\n")
    code = main(
        [
            "build",
            "--content",
            str(content),
            "--out",
            str(out),
            "--search-shard-size",
            str(ONE_MONTH),
        ]
    )
    assert code == 1
    said = capsys.readouterr().err.splitlines()
    overfull = [found for line in said if (found := OVERFULL.fullmatch(line))]
    assert [(found["folder"], found["count"]) for found in overfull] == [
        (f"{out}/cable/2009/03", f"{ONE_MONTH:,}"),
        (f"{out}/pagefind/{PAGEFIND_FRAGMENTS}", f"{ONE_MONTH:,}"),
        (f"{out}/person", f"{ONE_MONTH:,}"),
    ], said
    assert "a month's cables share one folder" in overfull[0]["remedy"]
    assert "--search-shard-size" in overfull[1]["remedy"]
    assert said[-1] == f"site-builder: error: {overfull[0].string} (the site was not changed)"
    assert sorted(p.name for p in out.iterdir()) == ["index.html"]
    assert (out / "index.html").read_text() == "the site as it was\n"
    assert not any(p.name.startswith(".public") for p in tmp_path.iterdir())


def test_every_folder_holds_what_the_plan_counted(tmp_path: Path) -> None:
    """2,400 cables over ten years, cut into 6 search shards, every cable tagged PGOV (24
    list pages) and one of 800 other tags, half signed by someone of their own: on disk,
    every folder the plan knows holds exactly the entries it counted, and each search
    shard a fragment per page; none comes near the limit."""
    cables = 2_400
    start = datetime(2001, 1, 1, tzinfo=UTC)
    content = write_archive(
        tmp_path,
        (
            tiny_cable(
                n + 1,
                start + timedelta(hours=36 * n),
                ["PGOV", f"Q{name_of(n % 800)}"],
                name_of(n) if n % 2 else "KOENIG",
            )
            for n in range(cables)
        ),
    )
    site = load_site(content, tmp_path / "public", search_shard_size=400)
    build(site)
    out = site.out
    on_disk = {
        _relative(Path(folder), out): len(folders) + len(names)
        for folder, folders, names in os.walk(out)
    }
    planned = [name for name in load_state(site.state_file) if not name.endswith("/")]
    manifest = json.loads((out / "search" / "shards.json").read_text())["shards"]
    counted = folder_entries(planned, {shard["path"]: shard["cables"] for shard in manifest})
    assert [shard["cables"] for shard in manifest] == [400] * (cables // 400)
    # In a shard's folder Pagefind writes files of its own; the plan counts its fragments,
    # a file per page indexed.
    fragments = {f"{shard['path']}/{PAGEFIND_FRAGMENTS}": shard["cables"] for shard in manifest}
    assert {f: on_disk[f] for f in fragments} == fragments == {f: counted[f] for f in fragments}
    ours = {f: entries for f, entries in on_disk.items() if not f.startswith("pagefind/")}
    assert ours == {folder: counted[folder] for folder in ours}
    assert on_disk["tag/PGOV/page"] == cables // 100 - 1
    assert on_disk["tag"] == 801 and on_disk["person"] == cables // 2 + 1
    largest = max(on_disk.items(), key=lambda item: item[1])
    FIGURES.append(
        f"layout: {cables:,} cables in {len(manifest)} search shards: the fullest folder is"
        f" {largest[0] or '.'}/ with {largest[1]:,} entries (the limit: {FOLDER_LIMIT:,})"
    )
    assert largest[1] < FOLDER_LIMIT


def _relative(folder: Path, out: Path) -> str:
    """A folder's path in the site, as the plan names it ("" for the output folder)."""
    return "" if folder == out else folder.relative_to(out).as_posix()
