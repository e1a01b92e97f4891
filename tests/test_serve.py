"""`site-builder serve` over real HTTP: edits reach open pages, broken edits never reach
the site, and nothing outside the output folder is ever served.

Each test runs the real command in its own process over a copy of the corpus, edits
files on disk (the real watcher sees them), and listens to the live channel.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.serve_fixtures import (
    SEED_FILE,
    SEED_PAGE,
    SEED_SUBJECT,
    Events,
    Served,
    assert_nothing_leaks,
    climbing_paths,
    edited,
    make_site,
    pagefind_running,
    serving,
    wait_until,
)

NEW_SUBJECT = "SUBJECT: DEMARCHE ON A REWRITTEN WATCH LIST"


def test_pages_are_served_with_the_live_script_the_files_lack(dev_site: Served) -> None:
    page = dev_site.page(SEED_PAGE)
    assert '<script type="module" src="/__live/live.js"></script>' in page
    on_disk = (dev_site.folder / "public" / SEED_PAGE.lstrip("/")).read_text()
    assert "/__live/" not in on_disk
    status, headers, script = dev_site.get("/__live/live.js")
    assert status == 200 and headers["content-type"].startswith("text/javascript")
    assert b"EventSource" in script


def test_a_cable_edit_reloads_its_page_with_the_new_text(dev_site: Served) -> None:
    events = Events(dev_site.url)
    try:
        events.wait_for("hello")
        with edited(dev_site.content / "cables" / SEED_FILE, SEED_SUBJECT, NEW_SUBJECT):
            _, data = events.wait_for("reload")
            assert SEED_PAGE in _listed(data["paths"])
            assert "/tag/SMIG/" in _listed(data["paths"]), "pages that list the cable change too"
            assert "REWRITTEN WATCH LIST" in dev_site.page(SEED_PAGE).upper()
            _, search = events.wait_for("search")
            assert search == {"state": "stale"}
            _, search = events.wait_for("search", timeout=120)
            assert search == {"state": "fresh"}, "the search index catches up by itself"
        events.wait_for("reload")
        assert "REWRITTEN" not in dev_site.page(SEED_PAGE).upper()
    finally:
        events.close()


def test_a_cable_that_no_longer_parses_shows_its_error_and_keeps_the_page(
    dev_site: Served,
) -> None:
    cable = dev_site.content / "cables" / SEED_FILE
    before = dev_site.page(SEED_PAGE)
    events = Events(dev_site.url)
    try:
        events.wait_for("hello")
        original = cable.read_text()
        cable.write_text("this is no longer a cable\n")
        try:
            _, data = events.wait_for("problems")
            lines = _listed(data["lines"])
            assert any(line.startswith(f"content/cables/{SEED_FILE}:1: error:") for line in lines)
            assert dev_site.page(SEED_PAGE) == before, "the last good page is still served"
            _, hello = Events(dev_site.url).wait_for("hello")
            assert hello["problems"] == lines, "a page opened now shows the problem too"
        finally:
            cable.write_text(original)
        events.wait_for("ok")
    finally:
        events.close()
    wait_until(lambda: f"content/cables/{SEED_FILE}:1: error:" in dev_site.printed(), 10)


def test_a_broken_template_shows_its_line_and_the_site_recovers(dev_site: Served) -> None:
    template = dev_site.folder / "templates" / "cable.html"
    before = dev_site.page(SEED_PAGE)
    events = Events(dev_site.url)
    try:
        events.wait_for("hello")
        with edited(template, "{% block main %}", "{% block main %}{% if %}"):
            _, data = events.wait_for("problems")
            lines = _listed(data["lines"])
            assert any(line.startswith("templates/cable.html:") for line in lines), lines
            assert dev_site.page(SEED_PAGE) == before
        events.wait_for("ok")
        assert dev_site.page(SEED_PAGE) == before
    finally:
        events.close()


def test_a_stylesheet_edit_swaps_the_stylesheet_without_a_reload(dev_site: Served) -> None:
    """The stylesheet keeps the name the pages link, and only it is rewritten."""
    stylesheet = dev_site.folder / "static" / "site.css"
    linked = _stylesheet_link(dev_site)
    events = Events(dev_site.url)
    try:
        events.wait_for("hello")
        with edited(stylesheet, "body {", "body { outline: 1px solid red;"):
            name, data = events.wait_for("css", "reload")
            assert name == "css" and _listed(data["paths"]) == [linked]
            assert b"outline: 1px solid red" in dev_site.get(linked)[2]
            assert _stylesheet_link(dev_site) == linked
        events.wait_for("css")
    finally:
        events.close()


def _stylesheet_link(site: Served) -> str:
    """The site stylesheet's path, as the seed's page links it."""
    found = re.search(r'href="(/static/site\.[0-9a-f]{8}\.css)"', site.page(SEED_PAGE))
    assert found, "the page links a fingerprinted stylesheet"
    return found.group(1)


@pytest.mark.parametrize("path", climbing_paths(SEED_FILE))
def test_nothing_above_the_output_folder_is_served(dev_site: Served, path: str) -> None:
    assert_nothing_leaks(dev_site, path)


def test_a_symlink_out_of_the_output_folder_is_refused(dev_site: Served) -> None:
    link = dev_site.folder / "public" / "escape"
    link.symlink_to(dev_site.folder / "content" / "cables", target_is_directory=True)
    try:
        status, _, body = dev_site.get(f"/escape/{SEED_FILE}")
        assert status == 403 and b"VZCZC" not in body
    finally:
        link.unlink()


def test_media_types_and_the_sites_404_page(dev_site: Served) -> None:
    expected = {
        SEED_PAGE: "text/html",
        _stylesheet_link(dev_site): "text/css",
        "/feed.xml": "application/xml",
        "/pagefind/pagefind.js": "text/javascript",
        "/pagefind/wasm.unknown.pagefind": "application/octet-stream",
    }
    for path, media_type in expected.items():
        status, headers, _ = dev_site.get(path)
        assert status == 200, path
        assert headers["content-type"].startswith(media_type), (path, headers)
    wasm = next((dev_site.folder / "public" / "pagefind").glob("*.wasm"), None)
    if wasm is not None:
        assert dev_site.get(f"/pagefind/{wasm.name}")[1]["content-type"] == "application/wasm"
    fragment = next((dev_site.folder / "public" / "pagefind" / "fragment").iterdir())
    status, headers, _ = dev_site.get(f"/pagefind/fragment/{fragment.name}")
    assert status == 200 and headers["content-type"] == "application/octet-stream"
    status, headers, body = dev_site.get("/no/such/page/")
    assert status == 404 and b"Not found" in body and b"/__live/live.js" in body
    status, headers, _ = dev_site.get("/tag/PGOV")
    assert status == 301 and headers["location"] == "/tag/PGOV/"


def test_ctrl_c_stops_cleanly_even_while_indexing(tmp_path: Path) -> None:
    folder = make_site(tmp_path, corpus=True)
    with serving(folder) as served:
        assert served.page(SEED_PAGE)
        wait_until(lambda: pagefind_running(folder), 60)
        code = served.stop()
    assert code == 0
    assert served.printed().endswith("stopped")
    assert "Traceback" not in served.printed()
    with pytest.raises(ProcessLookupError):
        os.killpg(served.process.pid, 0)  # no process of the group is left
    assert not pagefind_running(folder), "the search pass was stopped too"
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".public.")]
    assert (tmp_path / "public" / "index.html").is_file()


def test_sigterm_during_the_first_build_stops_as_ctrl_c_does(tmp_path: Path) -> None:
    """As a service manager stops it: the process says so and leaves no worker, rather
    than being ended by the signal's default."""
    folder = make_site(tmp_path, corpus=True)
    process = subprocess.Popen(
        [sys.executable, "-m", "site_builder.cli", "serve", "--port", "0"],
        cwd=folder,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    wait_until(lambda: (folder / ".site-builder").exists() or process.poll() is not None, 60)
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=120)
    assert "serving" not in out, "the signal came during the first build"
    assert process.returncode == 130, (process.returncode, err)
    assert err.endswith("site-builder: interrupted\n") and "Traceback" not in err
    with pytest.raises(ProcessLookupError):
        os.killpg(process.pid, 0)  # no process of the group is left


def test_a_busy_port_says_so_and_suggests_another(tmp_path: Path) -> None:
    folder = make_site(tmp_path, corpus=False)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "site_builder.cli", "serve", "--port", str(port)],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert done.returncode == 2
    assert f"port {port} on 127.0.0.1 is busy" in done.stderr
    assert f"--port {port + 1}" in done.stderr


def test_all_interfaces_only_when_asked_and_with_a_warning(tmp_path: Path) -> None:
    folder = make_site(tmp_path, corpus=False)
    with serving(folder, "--host", "0.0.0.0") as served:
        assert "warning: --host 0.0.0.0" in served.printed()
    with serving(folder) as served:
        assert served.url.startswith("http://127.0.0.1:")
        assert "any machine that reaches this one" not in served.printed()


def _listed(value: object) -> list[str]:
    assert isinstance(value, list)
    return [str(item) for item in value]
