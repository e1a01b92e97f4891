"""Running Pagefind (the real binary, through its command line) over the shards.

The command line is used rather than the Python API: the API's wrapper waits before
reading each reply, which made indexing tens of times slower when measured. The
shard's pages are hard-linked into a scratch folder that mirrors the site, so that
Pagefind sees their true paths; its index is written into the new site's tree.

`INDEXERS` shards are indexed at once. One Pagefind keeps about 1.4 cores busy (a shard
of 5,000 synthetic cable pages: 19.3 s, 26.4 s of CPU), so on two cores two of them at
once index two shards of 2,500 pages in 15.1 s where one after the other took 19.2 s,
with the same memory (2.6 GB) as one shard of 5,000.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

import pagefind_bin

from site_builder.search.shards import Shard
from site_builder.workers import die_with_parent

INDEXERS = 2  # Pagefinds running at once


class IndexingFailed(Exception):
    """A shard could not be indexed (Pagefind's error, or its pages could not be laid
    out); the message says why, `shard` which one."""

    def __init__(self, shard: str, reason: str) -> None:
        super().__init__(reason)
        self.shard = shard


class IndexingCancelled(Exception):
    """The caller asked indexing to stop (the dev server: an edit came in)."""


@dataclass(frozen=True, slots=True)
class Indexed:
    """The size of one shard's index."""

    files: int
    size: int


def index_shards(
    work: Sequence[tuple[Shard, Path]],
    page: Callable[[str], Path],
    scratch: Path,
    cancel: threading.Event | None = None,
) -> None:
    """Index each shard into its folder, `INDEXERS` at once.

    The first failure stops the others and is raised; so is `IndexingCancelled`, at
    once, when `cancel` is set. No Pagefind outlives the call.
    """
    stop = threading.Event()
    with ThreadPoolExecutor(INDEXERS, thread_name_prefix="pagefind") as pool:
        pending: set[Future[Indexed]] = {
            pool.submit(index_shard, shard, page, output, scratch, stop) for shard, output in work
        }
        try:
            while pending:
                done, pending = wait(pending, timeout=0.05, return_when=FIRST_COMPLETED)
                for future in done:
                    future.result()
                if cancel is not None and cancel.is_set():
                    raise IndexingCancelled()
        except BaseException:
            stop.set()
            pool.shutdown(cancel_futures=True)
            raise


def index_shard(
    shard: Shard,
    page: Callable[[str], Path],
    output: Path,
    scratch: Path,
    cancel: threading.Event | None = None,
) -> Indexed:
    """Index the shard's pages (`page(name)` finds each) into the `output` folder;
    setting `cancel` stops the work at once, Pagefind included."""
    cancel = cancel or threading.Event()
    site = scratch / f"shard-{shard.number:02d}"
    shutil.rmtree(site, ignore_errors=True)
    try:
        _lay_out(shard, page, site, cancel)
    except BaseException as error:  # cancelled, failed or interrupted: leave no pages
        shutil.rmtree(site, ignore_errors=True)
        if isinstance(error, OSError):
            raise IndexingFailed(shard.path, str(error)) from error
        raise
    command = [
        str(pagefind_bin.get_executable()),
        "--site",
        str(site),
        "--output-path",
        str(output),
        "--silent",
    ]
    try:
        code, said = _run(command, cancel)
    finally:
        shutil.rmtree(site, ignore_errors=True)
    if code != 0:
        reason = said.strip().splitlines()
        raise IndexingFailed(shard.path, reason[-1] if reason else f"pagefind exit code {code}")
    return measure_folder(output)


def _lay_out(
    shard: Shard, page: Callable[[str], Path], site: Path, cancel: threading.Event
) -> None:
    """Hard-link the shard's pages into a folder of their own, at their paths. Linking
    2,500 pages takes a while: the dev server's edit that sets `cancel` need not wait."""
    for count, name in enumerate(shard.files):
        if count % 100 == 0 and cancel.is_set():
            raise IndexingCancelled()
        target = site / name
        target.parent.mkdir(parents=True, exist_ok=True)
        os.link(page(name), target)


def _run(command: list[str], cancel: threading.Event) -> tuple[int, str]:
    """Run Pagefind to the end (its exit code and what it said), or until `cancel`.

    In a session of its own, so that Ctrl-C reaches only us: we stop it ourselves; and
    ended by the system if we are killed, rather than write on into a build that is gone."""
    with (
        tempfile.TemporaryFile() as said,
        subprocess.Popen(
            command,
            stdout=said,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=die_with_parent,
        ) as process,
    ):
        try:
            while process.poll() is None:
                if cancel.wait(0.02):
                    raise IndexingCancelled()
        except BaseException:  # cancelled, or Ctrl-C: stop Pagefind before going
            process.kill()
            process.wait()
            raise
        said.seek(0)
        return process.returncode, said.read().decode(errors="replace")


def measure_folder(folder: Path) -> Indexed:
    """The files and bytes below a folder."""
    files = size = 0
    for root, _, names in os.walk(folder):
        for name in names:
            files += 1
            size += os.path.getsize(os.path.join(root, name))
    return Indexed(files, size)
