"""The signatures of every file below a folder, from one walk, in the same order every
time: what a one-off build checks for changes, and finds its cables in.

At a quarter of a million files the walk is most of a one-off build's time, and most of
the walk is one `stat` call per file. A large tree is therefore walked by two processes
at once: the parent lists the folders a few levels down, forks, and each process walks
every other one of them; the child sends its signatures back through a pipe.
"""

from __future__ import annotations

import marshal
import os
import stat
from itertools import chain, filterfalse, zip_longest
from pathlib import Path

from site_builder.source_names import IGNORED_NAME
from site_builder.stages.parse_cache import Signature, signature_of

# The walk is cut into the entries this many levels down (`cables/2008/05`)...
SPLIT_DEPTH = 3
# ...and shared with a second process only when their folders hold this many bytes of
# names (a folder's size grows with the names it holds: here, some ten thousand files):
# below that, forking costs more than it saves.
SPLIT_FROM_BYTES = 256 * 1024


def scan_files(folder: Path | str) -> dict[str, Signature]:
    """Every regular file below `folder` (links followed, as a build reads them; no file
    nor folder whose name `IGNORED_NAME` matches) with its signature, in the same order
    every time (each folder's names sorted). Names and `os.stat`, not pathlib nor
    `os.scandir`'s entries: at a quarter of a million files, either costs a second more."""
    parts: list[tuple[str, int]] = []
    _list_parts(os.path.join(folder, ""), SPLIT_DEPTH, parts)
    paths = [path for path, _ in parts]
    if sum(weight for _, weight in parts) < SPLIT_FROM_BYTES or not hasattr(os, "fork"):
        return _scan_parts(paths)
    return _scan_in_two(paths)


def _names(prefix: str) -> list[str]:
    try:
        return sorted(filterfalse(IGNORED_NAME.match, os.listdir(prefix)))
    except OSError:
        return []


def _list_parts(prefix: str, depth: int, parts: list[tuple[str, int]]) -> None:
    """The entries `depth` levels below `prefix` (and the files above), in walk order,
    each with its weight: a folder's size, a file's nothing."""
    for name in _names(prefix):
        path = prefix + name
        try:
            mark = os.stat(path)
        except OSError:
            continue
        folder = stat.S_ISDIR(mark.st_mode)
        if folder and depth > 1:
            _list_parts(path + os.sep, depth - 1, parts)
        else:
            parts.append((path, mark.st_size if folder else 0))


def _scan_parts(paths: list[str]) -> dict[str, Signature]:
    found: dict[str, Signature] = {}
    for path in paths:
        _scan_entry(path, found)
    return found


def _scan_entry(path: str, found: dict[str, Signature]) -> None:
    try:
        mark = os.stat(path)
    except OSError:
        return
    if stat.S_ISREG(mark.st_mode):
        found[path] = signature_of(mark)
    elif stat.S_ISDIR(mark.st_mode):
        prefix = path + os.sep
        for name in _names(prefix):
            _scan_entry(prefix + name, found)


def _scan_in_two(paths: list[str]) -> dict[str, Signature]:
    """Scan every other part of `paths` here and the rest in a forked child, at once
    (neighbouring parts, a month's cables and the next's, weigh about the same); one
    dict, in order. A child that sends nothing (killed, out of memory) leaves its parts
    to the parent."""
    theirs = paths[1::2]
    reader, writer = os.pipe()
    child = os.fork()
    if child == 0:
        try:
            os.close(reader)
            with os.fdopen(writer, "wb") as stream:
                stream.write(marshal.dumps([_scan_parts([path]) for path in theirs]))
        finally:
            os._exit(0)
    os.close(writer)
    mine = [_scan_parts([path]) for path in paths[0::2]]
    with os.fdopen(reader, "rb") as stream:
        data = stream.read()
    os.waitpid(child, 0)
    sent: list[dict[str, Signature]] = (
        marshal.loads(data) if data else [_scan_parts([path]) for path in theirs]
    )
    found: dict[str, Signature] = {}
    for part in filter(None, chain.from_iterable(zip_longest(mine, sent))):
        found.update(part)
    return found
