"""Running Pagefind (the real binary, through its command line) over one shard.

The command line is used rather than the Python API: the API's wrapper waits before
reading each reply, which made indexing tens of times slower when measured. The
shard's pages are hard-linked into a scratch folder that mirrors the site, so that
Pagefind sees their true paths; its index is written into the new site's tree.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pagefind_bin

from site_builder.search.shards import Shard
from site_builder.workers import die_with_parent


class IndexingFailed(Exception):
    """Pagefind stopped with an error; its message says why."""


class IndexingCancelled(Exception):
    """The caller asked indexing to stop (the dev server: an edit came in)."""


@dataclass(frozen=True, slots=True)
class Indexed:
    """The size of one shard's index."""

    files: int
    size: int


def index_shard(
    shard: Shard,
    page: Callable[[str], Path],
    output: Path,
    scratch: Path,
    cancel: threading.Event | None = None,
) -> Indexed:
    """Index the shard's pages (`page(name)` finds each) into the `output` folder;
    setting `cancel` stops Pagefind at once."""
    site = scratch / f"shard-{shard.number:02d}"
    shutil.rmtree(site, ignore_errors=True)
    for name in shard.files:
        target = site / name
        target.parent.mkdir(parents=True, exist_ok=True)
        os.link(page(name), target)
    command = [
        str(pagefind_bin.get_executable()),
        "--site",
        str(site),
        "--output-path",
        str(output),
        "--silent",
    ]
    try:
        code, said = _run(command, cancel or threading.Event())
    finally:
        shutil.rmtree(site, ignore_errors=True)
    if code != 0:
        reason = said.strip().splitlines()
        raise IndexingFailed(reason[-1] if reason else f"pagefind exit code {code}")
    return measure_folder(output)


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
