"""Nothing is lost: the build writes only its output folder (and its state beside it),
never touches `content/`, refuses an output folder that would replace the sources, and
a build that cannot write (a full disk, no permission) says so in one line and leaves
the current site as it was. An import keeps every different text of a cable once, and
one that cannot write stops with one line and no partial file.

Each command is the real one in its own process, over a small site in a temporary
folder; the whole temporary folder is compared before and after, bytes and mtimes.
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import os
import re
import resource
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from site_builder.build_state import load_state
from site_builder.importers.writer import ArchiveWriter, CableFile, Outcome, conflict_name
from tests.conftest import CORPUS
from tests.serve_fixtures import make_site

# A file's bytes (their digest) and its modification time; a folder is listed as such.
Snapshot = dict[str, tuple[str, int]]
FOLDER = "<folder>"
_PR_CAPBSET_DROP = 24
# The capabilities that let root write where the mode bits say no.
_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH, _CAP_FOWNER = 1, 2, 3


def site_builder(
    *args: str, cwd: Path, limits: Callable[[], None] | None = None
) -> subprocess.CompletedProcess[str]:
    """The command as a user runs it; `limits` runs in the child before it starts."""
    return subprocess.run(
        [sys.executable, "-m", "site_builder.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        preexec_fn=limits,
        check=False,
    )


def snapshot(root: Path, skip: Path | None = None) -> Snapshot:
    """Every file below `root` (bytes and mtime) and every folder, but `skip`'s."""
    found: Snapshot = {}
    for folder, folders, files in os.walk(root):
        if skip is not None and Path(folder) == skip:
            folders.clear()
            continue
        for name in folders:
            found[os.path.relpath(os.path.join(folder, name), root)] = (FOLDER, 0)
        for name in files:
            path = os.path.join(folder, name)
            with open(path, "rb") as file:
                digest = hashlib.sha256(file.read()).hexdigest()
            found[os.path.relpath(path, root)] = (digest, os.lstat(path).st_mtime_ns)
    return found


def site_bytes(out: Path) -> dict[str, str]:
    """The site as a reader gets it: each file's path and bytes (their digest)."""
    return {name: digest for name, (digest, _) in snapshot(out).items() if digest != FOLDER}


def size_limit(size: int) -> Callable[[], None]:
    """For the child: files may not grow past `size` bytes, as on a full disk (a write
    fails with EFBIG instead of the process being signalled)."""

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    return limit


def obey_file_modes() -> None:
    """For the child: the mode bits bind it, even as root (who otherwise writes into a
    read-only folder): the capabilities that override them are dropped before it starts."""
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH, _CAP_FOWNER):
        if libc.prctl(_PR_CAPBSET_DROP, capability) != 0:
            raise OSError(ctypes.get_errno(), "cannot drop a capability")


@contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """The folder with no write permission for the block."""
    mode = folder.stat().st_mode
    folder.chmod(0o555)
    try:
        yield
    finally:
        folder.chmod(mode)


def leftovers(out: Path) -> list[str]:
    """What a build left beside its output folder (its staging and retired trees)."""
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}."))


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A small site (the seed cable, its notes and people, its own template and
    stylesheet) in its own folder of the temporary folder."""
    return make_site(tmp_path / "site", corpus=False)


@pytest.mark.parametrize(
    ("out", "relation"),
    [
        ("content", "is content"),
        ("content/cables", "lies inside content"),
        ("content/public", "lies inside content"),
        (".", "holds content"),
        ("..", "holds content"),
        ("static", "is static"),
        ("templates/site", "lies inside templates"),
    ],
)
@pytest.mark.parametrize("command", [["build"], ["serve", "--port", "0"]])
def test_an_output_folder_that_would_replace_sources_is_refused(
    site: Path, out: str, relation: str, command: list[str]
) -> None:
    before = snapshot(site.parent)
    done = site_builder(*command, "--out", out, cwd=site)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        f"site-builder: error: --out {out}: {relation}, which each build would replace;"
        " give the site a folder of its own, such as public"
    ]
    assert snapshot(site.parent) == before, "nothing was written, nothing deleted"


def test_an_output_path_that_is_a_file_is_refused(site: Path) -> None:
    (site / "notes.txt").write_text("a maintainer's file\n")
    before = snapshot(site.parent)
    done = site_builder("build", "--out", "notes.txt", cwd=site)
    assert done.returncode == 2
    assert done.stderr == "site-builder: error: --out notes.txt: is a file, not a folder\n"
    assert snapshot(site.parent) == before


def test_a_build_writes_its_output_folder_and_its_state_only(site: Path) -> None:
    root = site.parent
    out = root / "elsewhere" / "public"
    records = "elsewhere/.site-builder"  # the state, and what else the build keeps
    state = f"{records}/public-state.json"
    for title in ("", 'title = "Another title"\n'):  # a first build; one that rewrites all
        (site / "site.toml").write_text(title)
        sources, before = snapshot(site), snapshot(root, skip=out)
        done = site_builder("build", "--no-search", "--out", str(out), cwd=site)
        assert done.returncode == 0, done.stderr
        after = snapshot(root, skip=out)
        changed = {
            name for name in before.keys() | after.keys() if before.get(name) != after.get(name)
        }
        outside = {name for name in changed if not name.startswith(records + "/")}
        assert state in changed, "the state is written beside the site"
        assert outside <= {"elsewhere", "elsewhere/public", records}, "and nothing else"
        assert snapshot(site) == sources, "the site's sources are never touched"
        assert leftovers(out) == []
    assert "Another title" in (out / "index.html").read_text()


def test_a_symlinked_output_folder_is_written_through(site: Path) -> None:
    target = site.parent / "served" / "www"
    target.mkdir(parents=True)
    (site / "public").symlink_to(target, target_is_directory=True)
    for _ in range(2):
        done = site_builder("build", "--no-search", cwd=site)
        assert done.returncode == 0, done.stderr
        (site / "site.toml").write_text('title = "Changed"\n')
    assert (site / "public").is_symlink(), "the link stays a link"
    assert (target / "index.html").is_file()
    assert leftovers(target) == []


def test_a_state_naming_files_outside_the_site_is_not_followed(tmp_path: Path) -> None:
    state = tmp_path / ".site-builder" / "public-state.json"
    state.parent.mkdir()
    pages = {
        "index.html": ["d1", ["templates/home.html"]],
        "search/pagefind/": ["d2", ["search:search/pagefind"]],
        "../content/cables/x.txt": ["d3", []],
        "/etc/passwd": ["d4", []],
        "cable/../../x.html": ["d5", []],
        "cable\\..\\x.html": ["d6", []],
        "": ["d7", []],
        "broken.html": ["d8"],
        "inputs.html": ["d9", "not a list"],
    }
    state.write_text(json.dumps({"version": 1, "pages": pages}))
    assert sorted(load_state(state)) == ["index.html", "search/pagefind/"]
    for garbage in ("{", '{"version": 1, "pages": []}', '{"version": 1, "pages": {"a": 1}}'):
        state.write_text(garbage)
        assert load_state(state) == {}


def test_what_a_killed_build_left_is_cleared_even_with_nothing_to_build(site: Path) -> None:
    out = site / "public"
    assert site_builder("build", "--no-search", cwd=site).returncode == 0
    built = site_bytes(out)
    (site / ".public.building" / "cable").mkdir(parents=True)
    (site / ".public.building" / "cable" / "half.html").write_text("<p>half a page")
    done = site_builder("build", "--no-search", cwd=site)
    assert done.returncode == 0, done.stderr
    assert leftovers(out) == [], "a half-made tree goes, though nothing was to be built"
    out.rename(site / ".public.old")  # killed between the two renames of a plain exchange
    done = site_builder("build", "--no-search", cwd=site)
    assert done.returncode == 0, done.stderr
    assert site_bytes(out) == built, "the site is put back as it was"
    assert leftovers(out) == []


def _first_build(site: Path, out: str = "public") -> dict[str, str]:
    """Build the site, then change its title (so that the next build rewrites every
    page); the site as built."""
    done = site_builder("build", "--no-search", "--out", out, cwd=site)
    assert done.returncode == 0, done.stderr
    (site / "site.toml").write_text('title = "A title every page shows"\n')
    return site_bytes(site / out)


def test_a_full_disk_is_one_line_and_the_site_stays_as_it_was(site: Path) -> None:
    built = _first_build(site)
    largest = max((site / "public").rglob("*.html"), key=lambda p: p.stat().st_size)
    done = site_builder(
        "build", "--no-search", cwd=site, limits=size_limit(largest.stat().st_size // 2)
    )
    assert done.returncode == 1
    assert done.stderr == "site-builder: error: public: File too large\n"
    assert site_bytes(site / "public") == built
    assert leftovers(site / "public") == [], "the unfinished tree is taken away"
    done = site_builder("build", "--no-search", cwd=site)
    assert done.returncode == 0 and "A title every page shows" in largest.read_text()


def test_no_permission_is_one_line_and_the_site_stays_as_it_was(site: Path) -> None:
    built = _first_build(site, "out/public")
    with read_only(site / "out"):
        done = site_builder(
            "build", "--no-search", "--out", "out/public", cwd=site, limits=obey_file_modes
        )
    assert done.returncode == 1
    assert done.stderr == (
        f"site-builder: error: {site / 'out' / '.public.building'}: Permission denied\n"
    )
    assert site_bytes(site / "out" / "public") == built
    assert leftovers(site / "out" / "public") == []


def test_each_different_text_is_kept_once(tmp_path: Path) -> None:
    writer = ArchiveWriter(tmp_path)
    texts = [b"first text", b"second text", b"third text", b"second text", b"first text"]
    outcomes = [
        writer.store(CableFile("07GUATEMALA1906", text, "src", 1)).outcome for text in texts
    ]
    assert outcomes == [
        Outcome.WRITTEN,
        Outcome.CONFLICT,
        Outcome.CONFLICT,
        Outcome.CONFLICT,
        Outcome.UNCHANGED,
    ]
    kept = {path.name: path.read_bytes() for path in tmp_path.iterdir()}
    assert kept == {
        "07GUATEMALA1906.txt": b"first text",
        conflict_name("07GUATEMALA1906.txt", b"second text"): b"second text",
        conflict_name("07GUATEMALA1906.txt", b"third text"): b"third text",
    }


def _text_sources(tmp_path: Path, count: int) -> Path:
    source = tmp_path / "texts"
    source.mkdir()
    for path in sorted((CORPUS / "cables").glob("*.txt"))[:count]:
        (source / path.name).write_bytes(path.read_bytes())
    return source


def test_a_full_disk_stops_the_import_with_one_line_and_no_partial_file(
    tmp_path: Path,
) -> None:
    source = _text_sources(tmp_path, 40)
    whole = tmp_path / "whole"
    assert (
        site_builder("import", "text", str(source), "--into", str(whole), cwd=tmp_path).returncode
        == 0
    )
    sizes = sorted(path.stat().st_size for path in whole.iterdir())
    limited = tmp_path / "limited"
    done = site_builder(
        "import",
        "text",
        str(source),
        "--into",
        str(limited),
        cwd=tmp_path,
        limits=size_limit(sizes[len(sizes) // 2]),
    )
    assert done.returncode == 1
    failed = re.fullmatch(r"site-builder: error: (\S+): File too large\n", done.stderr)
    assert failed, done.stderr
    assert not Path(failed.group(1)).exists(), "the partial file is removed"
    written = {path.name: path.read_bytes() for path in limited.iterdir()}
    assert written, "what fitted was written"
    assert all(data == (whole / name).read_bytes() for name, data in written.items())


def test_an_archive_that_cannot_be_written_is_one_line(tmp_path: Path) -> None:
    source = _text_sources(tmp_path, 3)
    into = tmp_path / "cables"
    into.mkdir()
    with read_only(into):
        done = site_builder(
            "import", "text", str(source), "--into", str(into), cwd=tmp_path, limits=obey_file_modes
        )
    assert done.returncode == 1
    assert re.fullmatch(
        rf"site-builder: error: {re.escape(str(into))}/\S+\.txt: Permission denied\n", done.stderr
    )
    assert list(into.iterdir()) == []
