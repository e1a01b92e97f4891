"""Static files' published names: fingerprinted by what they hold, except that the dev
server keeps the name the output folder already publishes a file under, so that neither
a stylesheet edit nor a server started after a build renders the pages again."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from site_builder.build import build
from site_builder.render.assets import collect_assets
from site_builder.session import Session
from site_builder.site import load_site
from tests.test_site import make_content

BLACK, NAVY = "body { color: black; }\n", "body { color: navy; }\n"


def _static(folder: Path, css: str) -> Path:
    (folder / "static").mkdir(exist_ok=True)
    (folder / "static" / "site.css").write_text(css)
    (folder / "static" / "favicon.svg").write_text("<svg/>")
    return folder / "static"


def _names(static: Path, out: Path | None = None) -> dict[str, str]:
    return {name: a.published for name, a in collect_assets([static], out).files.items()}


def test_names_are_fingerprints_of_what_the_files_hold(tmp_path: Path) -> None:
    static = _static(tmp_path, BLACK)
    black = _names(static)
    assert re.fullmatch(r"static/site\.[0-9a-f]{8}\.css", black["site.css"])
    assert black["favicon.svg"] == "static/favicon.svg"
    (static / "site.css").write_text(NAVY)
    assert _names(static)["site.css"] != black["site.css"]


def test_the_dev_server_keeps_the_one_name_the_output_folder_publishes(tmp_path: Path) -> None:
    static, out = _static(tmp_path, NAVY), tmp_path / "public"
    (out / "static").mkdir(parents=True)
    assert _names(static, out) == _names(static), "nothing published yet: fingerprints"
    (out / "static" / "site.0123abcd.css").write_text(BLACK)
    assert _names(static, out)["site.css"] == "static/site.0123abcd.css"
    (out / "static" / "site.4567cdef.css").write_text(BLACK)
    assert _names(static, out) == _names(static), "two candidates: neither is kept"


def test_a_dev_server_started_after_a_build_renders_no_page_again(tmp_path: Path) -> None:
    _static(tmp_path, BLACK)
    site = load_site(make_content(tmp_path), tmp_path / "public", jobs=2, search=False)
    assert build(site).written > 100
    served = build(dataclasses.replace(site, keep_asset_names=True), None, Session())
    assert served.cables > 100 and (served.written, served.changed) == (0, [])


def test_a_stylesheet_edited_under_the_dev_server_keeps_its_name_until_a_build(
    tmp_path: Path,
) -> None:
    """The edit rewrites the stylesheet alone; the next build names it by what it now
    holds and rewrites every page that links it."""
    static = _static(tmp_path, BLACK)
    site = load_site(make_content(tmp_path), tmp_path / "public", jobs=2, search=False)
    built = build(site)
    before = _names(static)["site.css"]
    (static / "site.css").write_text(NAVY)
    served = build(dataclasses.replace(site, keep_asset_names=True), None, Session())
    assert served.changed == [before]
    assert (site.out / before).read_text() == NAVY
    rebuilt = build(site)
    after = _names(static)["site.css"]
    assert after != before and (site.out / after).read_text() == NAVY
    assert not (site.out / before).exists()
    assert rebuilt.written > built.written // 2
    pages = sorted((site.out / "cable").rglob("*.html"))
    assert pages and all(f'href="/{after}"' in page.read_text() for page in pages)
