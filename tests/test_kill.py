"""A build killed at any moment leaves the site whole, and the next build makes it right.

`site-builder build` runs as a real process over a copy of the corpus with a good site
already built, and is killed with SIGKILL (as `kill -9` or the out-of-memory killer
would: no handler runs) at moments drawn from a seeded generator, in each stage:
while it discovers and parses, while it renders the new tree, just as it exchanges the
folders, and while Pagefind indexes. Each round changes the site's title, so that every
page is rewritten, and removes, restores or edits a cable. After each kill:

- the site is whole: byte for byte the previous site (or, killed after the exchange,
  the new one), never a mix;
- no process of the build is left (its workers and Pagefind end with it);
- the next build succeeds, equals a clean build of the same content byte for byte
  (Pagefind's own files aside), and leaves nothing beside the site.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.serve_fixtures import pagefind_running
from tests.site_fixtures import CORPUS_CABLES
from tests.test_nothing_lost import leftovers, site_bytes

SEED = 20101128
POLL_SECONDS = 0.001
BUILD_SECONDS = 900
SUBJECT = "SUBJECT: "


@dataclass
class Timeline:
    """When, after its start, a build was first seen to reach each stage (None: never)."""

    parsing: float | None = None  # its worker processes appeared, before its new tree
    rendering: float | None = None  # its new tree appeared beside the site
    indexing: float | None = None  # its search scratch folder appeared
    exchanged: float | None = None  # the site folder became another folder
    ended: float = 0.0


class Build:
    """`site-builder build` running in the site folder, watched closely."""

    def __init__(self, site: Path, out: str, search: bool) -> None:
        self.out = site / out
        self.staging = self.out.with_name(f".{self.out.name}.building")
        self.scratch = self.out.with_name(f".{self.out.name}.search")
        self.started = time.monotonic()
        # What is there before the build starts (a killed build's leftovers) is not its.
        self.found = {path: _identity(path) for path in (self.out, self.staging, self.scratch)}
        self.timeline = Timeline()
        options = [] if search else ["--no-search"]
        self.log_path = site.parent / "build.log"
        self.log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "site_builder.cli", "build", "--out", out, *options],
            cwd=site,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # a process group of its own: its workers are in it
        )

    @property
    def seconds(self) -> float:
        return time.monotonic() - self.started

    def watch_until(self, moment: Callable[[Build], bool]) -> bool:
        """Note the stages as they come until `moment` says so (True) or the build ends."""
        while self.process.poll() is None:
            self._note()
            if moment(self):
                return True
            if self.seconds > BUILD_SECONDS:
                raise AssertionError(f"the build took over {BUILD_SECONDS} s")
            time.sleep(POLL_SECONDS)
        return False

    def finish(self) -> Timeline:
        self.watch_until(lambda build: False)
        self.timeline.ended = self.seconds
        self.log.close()
        said = self.log_path.read_text()
        assert self.process.returncode == 0, said
        assert "Traceback" not in said
        return self.timeline

    def kill(self) -> int:
        """SIGKILL to the build's main process alone; its exit status."""
        self.process.send_signal(signal.SIGKILL)
        code = self.process.wait()
        self.log.close()
        return code

    def staged_files(self) -> int:
        """The files of the new tree so far."""
        return sum(len(files) for _, _, files in os.walk(self.staging))

    def _note(self) -> None:
        timeline, now = self.timeline, self.seconds
        if timeline.rendering is None and self._made(self.staging):
            timeline.rendering = now
        if timeline.parsing is None and timeline.rendering is None and self._has_workers():
            timeline.parsing = now
        if timeline.indexing is None and self._made(self.scratch):
            timeline.indexing = now
        if timeline.exchanged is None and self._made(self.out):
            timeline.exchanged = now

    def _made(self, path: Path) -> bool:
        """Whether the build made (or changed) this folder: it is there, not as it was."""
        identity = _identity(path)
        return identity is not None and identity != self.found[path]

    def _has_workers(self) -> bool:
        """Whether the build's process group holds more than the build itself."""
        group = str(self.process.pid).encode()
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit() or entry.name == group.decode():
                continue
            try:
                stat = Path(entry.path, "stat").read_bytes()
            except OSError:
                continue
            if stat.rsplit(b")", 1)[1].split()[2] == group:  # the fields after the name
                return True
        return False


def _identity(folder: Path) -> tuple[int, int] | None:
    """What tells one folder from another made at the same path (which may get the same
    inode): its inode and change time; None when there is none."""
    try:
        status = folder.stat()
    except FileNotFoundError:
        return None
    return status.st_ino, status.st_ctime_ns


def set_version(site: Path, version: int) -> None:
    """Content version `version`: its own title (every page shows it), and in odd
    versions one cable edited and another gone (both as the corpus has them otherwise).
    Every cable is touched, as a checkout does, so that the build parses them all again
    (with its worker processes) rather than take them from its cache."""
    (site / "site.toml").write_text(f'title = "Cable archive, version {version}"\n')
    first, second = sorted(CORPUS_CABLES.glob("*.txt"))[:2]
    cables = site / "content" / "cables"
    text = first.read_text(encoding="utf-8")
    if version % 2:
        text = text.replace(SUBJECT, f"{SUBJECT}REVISED: ", 1)
        (cables / second.name).unlink(missing_ok=True)
    else:
        shutil.copyfile(second, cables / second.name)
    (cables / first.name).write_text(text, encoding="utf-8")
    touched = time.time_ns()
    for path in cables.iterdir():
        os.utime(path, ns=(touched, touched))


def clean_build(site: Path, version: int, search: bool) -> tuple[dict[str, str], Timeline]:
    """A build of version `version` into a new folder: the site a build must give, and
    when it reached each stage."""
    set_version(site, version)
    out = f"../clean-{version}-{search}/public"
    timeline = Build(site, out, search).finish()
    return site_bytes(site / out), timeline


def shard_folders(out: Path) -> tuple[str, ...]:
    """The folders of the site's search index, as `search/shards.json` lists them."""
    shards = json.loads((out / "search" / "shards.json").read_text())["shards"]
    return tuple(shard["path"].strip("/") + "/" for shard in shards)


def without_index(out: Path) -> dict[str, str]:
    """The site's files, less Pagefind's own: Pagefind does not promise the same bytes."""
    folders = shard_folders(out)
    return {
        name: digest for name, digest in site_bytes(out).items() if not name.startswith(folders)
    }


@dataclass(frozen=True)
class Moment:
    """When to kill, in a build like one seen before (`like`): in `stage`, once this
    `share` of it is done. Shares are of time, but in rendering of the new tree's
    files, which does not depend on how busy the machine is."""

    stage: str  # "starting", "parsing", "rendering", "exchanged", "indexing"
    share: float

    def reached(self, like: Timeline, files: int) -> Callable[[Build], bool]:
        def reached(build: Build) -> bool:
            seen = build.timeline
            if self.stage == "starting":
                assert like.parsing is not None
                return build.seconds >= self.share * like.parsing
            if self.stage == "parsing":
                assert like.parsing is not None and like.rendering is not None
                span = like.rendering - like.parsing
                return (
                    seen.parsing is not None and build.seconds >= seen.parsing + self.share * span
                )
            if self.stage == "rendering":
                return seen.rendering is not None and build.staged_files() >= self.share * files
            if self.stage == "exchanged":
                return seen.exchanged is not None
            assert like.indexing is not None and like.exchanged is not None
            span = like.exchanged - like.indexing
            return seen.indexing is not None and build.seconds >= seen.indexing + self.share * span

        return reached


def kill_at(site: Path, moment: Moment, like: Timeline, files: int, search: bool) -> Build:
    """Start a build and SIGKILL it at `moment`; it must not have ended by then."""
    build = Build(site, "public", search)
    assert build.watch_until(moment.reached(like, files)), f"the build ended before {moment}"
    assert build.kill() == -signal.SIGKILL
    return build


def assert_nothing_left_running(build: Build, site: Path) -> None:
    """The build's workers and Pagefind end with it."""
    deadline = time.monotonic() + 10
    while True:
        try:
            os.killpg(build.process.pid, 0)
        except ProcessLookupError:
            break
        if time.monotonic() > deadline:
            os.killpg(build.process.pid, signal.SIGKILL)  # not to leave them to other tests
            raise AssertionError("a worker of the killed build lives on")
        time.sleep(0.05)
    while pagefind_running(site):
        assert time.monotonic() < deadline, "the killed build's Pagefind lives on"
        time.sleep(0.05)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site folder holding a copy of the corpus."""
    folder = tmp_path_factory.mktemp("killed") / "site"
    cables = folder / "content" / "cables"
    cables.mkdir(parents=True)
    corpus = sorted(CORPUS_CABLES.glob("*.txt"))
    assert corpus, f"no corpus cables in {CORPUS_CABLES} (set CABLE_SHARED)"
    for path in corpus:
        shutil.copyfile(path, cables / path.name)
    return folder


def test_a_build_killed_in_any_stage_leaves_the_site_whole(site: Path) -> None:
    chance = random.Random(SEED)
    moments = [
        Moment("starting", chance.uniform(0.05, 0.9)),  # reading tables, finding files
        Moment("parsing", chance.uniform(0.05, 0.5)),
        Moment("rendering", chance.uniform(0.05, 0.9)),
        Moment("parsing", chance.uniform(0.05, 0.5)),
        Moment("rendering", chance.uniform(0.05, 0.9)),
        Moment("exchanged", 0.0),  # the new site just in place, the state not yet
    ]
    clean = [clean_build(site, version, search=False)[0] for version in (0, 1)]
    set_version(site, 0)
    like = Build(site, "public", search=False).finish()
    outcomes = []
    for round_, moment in enumerate(moments, start=1):
        version = round_ % 2
        previous, expected = site_bytes(site / "public"), clean[version]
        set_version(site, version)
        build = kill_at(site, moment, like, len(expected), search=False)
        assert_nothing_left_running(build, site)
        now = site_bytes(site / "public")
        assert now in (previous, expected), f"round {round_} ({moment}): the site is mixed"
        outcomes.append(now == expected)
        last = Build(site, "public", search=False).finish()
        assert site_bytes(site / "public") == expected, f"round {round_}: the next build"
        assert leftovers(site / "public") == []
        if last.parsing is not None:  # else its files came from the killed build's cache
            like = last
    assert outcomes == [False] * (len(moments) - 1) + [True], "killed before, then after, the swap"


def test_a_build_killed_while_indexing_leaves_the_site_and_its_index_whole(
    site: Path,
) -> None:
    chance = random.Random(SEED + 1)
    expected, like = clean_build(site, 3, search=True)
    set_version(site, 2)
    Build(site, "public", search=True).finish()
    previous = site_bytes(site / "public")
    set_version(site, 3)
    moment = Moment("indexing", chance.uniform(0.05, 0.4))
    build = kill_at(site, moment, like, len(expected), search=True)
    assert_nothing_left_running(build, site)
    assert site_bytes(site / "public") == previous, "the site, and its search index, whole"
    Build(site, "public", search=True).finish()
    clean_out = site.parent / "clean-3-True" / "public"
    assert without_index(site / "public") == without_index(clean_out)
    for folder in shard_folders(site / "public"):
        entry = json.loads((site / "public" / folder / "pagefind-entry.json").read_text())
        assert entry["languages"], f"{folder}: the index is whole"
    assert leftovers(site / "public") == []
