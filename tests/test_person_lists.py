"""A person's page shows a list page's worth of each role, newest first; a longer role
has a paginated list of its own, linked from the page: the cables a person signed or
classified (`/person/<slug>/signed/`, as a tag's list) and the paragraphs naming a
curated person (`/person/<slug>/named/`, each with its sentence)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from site_builder import urls
from site_builder.build import build
from site_builder.pages import lists
from site_builder.site import load_site
from tests.site_crawl import broken_links
from tests.tiny_cables import tiny_cable, write_archive

NEWEST = datetime(2008, 12, 31, 12, 0)


@pytest.fixture(autouse=True)
def small_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Three cables a page, so that eight cables make a role of three pages."""
    monkeypatch.setattr(lists, "PAGE_SIZE", 3)


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """Eight cables signed by KOENIG, each naming the curated Alma Ruiz, newest first
    from 08BERLIN100; two signed by QAAAB."""
    texts = [
        tiny_cable(100 + n, NEWEST - timedelta(days=n), ["PREL"]).replace(
            f"Text {100 + n}.", f"Alma Ruiz met minister {n}."
        )
        for n in range(8)
    ]
    texts += [
        tiny_cable(200 + n, NEWEST - timedelta(days=100 + n), ["PREL"], signer="QAAAB")
        for n in range(2)
    ]
    content = write_archive(tmp_path, texts)
    (content / "people").mkdir()
    (content / "people" / "alma-ruiz.md").write_text(
        "---\nname: Alma Ruiz\n---\nAn adviser.\n", encoding="utf-8"
    )
    site = load_site(content, tmp_path / "public", search=False, jobs=1)
    report = build(site)
    assert report.problems == []
    return site.out


def _html(out: Path, path: str) -> str:
    return (out / urls.file_of(path)).read_text(encoding="utf-8")


def _cables(html: str) -> list[str]:
    """The reference IDs a page links, in order."""
    return re.findall(r">(08BERLIN\d+)(?: ¶\d+)?</a>", html)


def _berlin(*serials: int) -> list[str]:
    return [f"08BERLIN{serial}" for serial in serials]


def test_a_person_page_shows_the_newest_of_a_long_role_and_links_them_all(out: Path) -> None:
    koenig = _html(out, urls.person("koenig"))
    assert _cables(koenig) == _berlin(100, 101, 102)
    assert 'Signed <span class="count">8</span>' in koenig
    link = '<a href="/person/koenig/signed/">all 8 cables Koenig signed</a>'
    assert f"The newest 3 of 8: {link}." in koenig


def test_a_long_role_is_a_paginated_list(out: Path) -> None:
    base = urls.person_role("koenig", "signed")
    pages = [_html(out, urls.paged(base, n)) for n in (1, 2, 3)]
    assert [_cables(page) for page in pages] == [
        _berlin(100, 101, 102),
        _berlin(103, 104, 105),
        _berlin(106, 107),
    ]
    assert "<h1>Cables signed by Koenig</h1>" in pages[0]
    assert "8 cables, page 2 of 3." in pages[1]
    assert 'href="/person/koenig/signed/page/3/">Older' in pages[1]
    assert '<p class="kicker"><a href="/person/koenig/">Koenig</a></p>' in pages[2]
    assert not (out / urls.file_of(urls.paged(base, 4))).exists()
    assert not broken_links(out)


def test_a_short_role_stays_whole_on_the_person_page(out: Path) -> None:
    qaaab = _html(out, urls.person("qaaab"))
    assert _cables(qaaab) == _berlin(200, 201)
    assert "The newest" not in qaaab
    assert not (out / "person" / "qaaab" / "signed").exists()


def test_the_paragraphs_naming_a_person_are_paginated_with_their_sentences(out: Path) -> None:
    ruiz = _html(out, urls.person("alma-ruiz"))
    assert _cables(ruiz) == _berlin(100, 101, 102)
    assert '<a href="/person/alma-ruiz/named/">all 8 paragraphs naming Alma Ruiz</a>' in ruiz
    base = urls.person_role("alma-ruiz", "named")
    second = _html(out, urls.paged(base, 2))
    assert _cables(second) == _berlin(103, 104, 105)
    assert 'href="/cable/2008/12/08BERLIN104.html#par1"' in second
    assert "minister 4." in second and "minister 7." not in second
    assert "8 paragraphs, page 2 of 3." in second
    assert _cables(_html(out, urls.paged(base, 3))) == _berlin(106, 107)


def test_an_edit_rewrites_the_page_of_the_list_that_shows_the_cable(tmp_path: Path) -> None:
    """A one-off build after an edit of the cable on the second page of a role: that page
    changes, the person's page (which shows the newest three) does not."""
    texts = [tiny_cable(100 + n, NEWEST - timedelta(days=n), ["PREL"]) for n in range(8)]
    content = write_archive(tmp_path, texts)
    site = load_site(content, tmp_path / "public", search=False, jobs=1)
    build(site)
    edited = content / "cables" / "000004.txt"
    edited.write_text(edited.read_text().replace("NOTE 104", "NOTE 104 EDITED"))
    changed = build(site).changed
    second = urls.file_of(urls.paged(urls.person_role("koenig", "signed"), 2))
    assert second in changed
    assert urls.file_of(urls.person("koenig")) not in changed
    assert "Note 104 Edited" in (site.out / second).read_text(encoding="utf-8")
