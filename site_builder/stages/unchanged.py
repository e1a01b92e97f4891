"""A one-off build with nothing changed since the last one, told in seconds at any size.

Before anything is read, a build takes the signature (time, size, inode) of every file
it could read (the content, the templates, the static files, the shipped tables) and,
with the tool's code and the site's settings, makes one digest of them. When that is
the digest the last whole build recorded, and the output folder holds the very files
that build left, nothing can have changed: the build reports what the last one found
(its problems and counts) and touches nothing, without parsing or planning at all.
Anything else builds as usual.

What the output holds is told by the times of its folders: a file added, removed or
renamed changes its folder's time, and looking up the times of the few tens of thousands
of folders the record names costs a fraction of listing the quarter of a million files
in them. A folder changed within a tick of the system clock of its time being recorded
could keep that time; the record is made only once its newest folder is older than that.

The record is written after a build whose site is whole (published, or found
unchanged); a build that fails or is killed leaves the last one, whose input digest
then no longer matches. The dev server, which changes the output in place, removes it.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import os
import posixpath
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import NamedTuple

from site_builder.atomic import replacing
from site_builder.model import Problem, Severity
from site_builder.pages.job import code_digest
from site_builder.site import Site
from site_builder.stages.parse_cache import Signature
from site_builder.stages.scan import scan_files
from site_builder.tables import SHIPPED_DATA

_VERSION = 2
# Longer than a tick of the clock file times are taken from (a few milliseconds).
_SETTLED_NS = 50_000_000


@dataclass(frozen=True)
class Outputs:
    """What the output folder held: its folders (relative to it, "" being itself), and
    each one's time when recorded (none at all when they would not settle)."""

    folders: tuple[str, ...]
    stamps: tuple[int, ...]


@dataclass(frozen=True)
class LastBuild:
    """What a whole build was made from and left, and what it found."""

    inputs: str
    outputs: Outputs
    cables: int
    pages: int
    shards: int
    problems: tuple[Problem, ...]


def record_file(site: Site) -> Path:
    """Beside the state file."""
    return site.state_file.with_name(f"{site.out.resolve().name}-last-build.json")


class Inputs(NamedTuple):
    """The digests of what a build of a site may read: `whole` covers everything;
    `others` everything but the content folder (the settings, the tool's code, the
    templates, the static files and the shipped tables), which a one-off edit needs
    unchanged."""

    whole: str
    others: str


def inputs_digest(site: Site, content: dict[str, Signature]) -> Inputs:
    """The digests of every file a build of `site` may read (by signature: `content` is
    the content folder's `scan_files`), the settings and the tool's code. A scan lists
    its files in the same order every time (`scan_files`), so it is digested as it
    stands, unsorted."""
    hasher = hashlib.blake2b(digest_size=16)
    settings = replace(site, jobs=None, strict=False)  # neither changes what is made
    hasher.update(repr((settings, code_digest())).encode())
    for folder in (*site.template_dirs, *site.static_dirs, SHIPPED_DATA):
        hasher.update(marshal.dumps(scan_files(folder)))
    others = hasher.hexdigest()
    whole = hashlib.blake2b(others.encode() + marshal.dumps(content), digest_size=16)
    return Inputs(whole.hexdigest(), others)


def names_digest(content: Mapping[str, Signature]) -> str:
    """A digest of the names of the files of a scan (`scan_files`), in its order: the
    same when no file was added, removed or renamed."""
    return hashlib.blake2b(marshal.dumps(list(content)), digest_size=16).hexdigest()


def mark_outputs(out: Path, before: Outputs | None = None, changed: Iterable[str] = ()) -> Outputs:
    """What `out` holds now, taken once its newest folder has settled (see the module's
    text). Given the record of the output `before` some of its files (`changed`, by
    name) were written again, none of them new, only their folders are looked at. A
    folder still changing after a wait leaves the record without times: the next
    build, unable to trust it, builds whole."""
    if before is None:
        folders = _folders_of(out)
        stamps, again = [0] * len(folders), list(range(len(folders)))
    else:
        folders, stamps = before.folders, list(before.stamps)
        place = {folder: index for index, folder in enumerate(folders)}
        again = sorted({place[posixpath.dirname(name)] for name in changed})
    for _ in range(2):
        began = time.time_ns()
        for index, stamp in zip(again, _stamps(out, [folders[i] for i in again]), strict=True):
            stamps[index] = stamp
        if max(stamps, default=0) < began - _SETTLED_NS:
            return Outputs(folders, tuple(stamps))
        time.sleep(2 * _SETTLED_NS / 1e9)
    return Outputs(folders, ())


def outputs_unchanged(out: Path, outputs: Outputs) -> bool:
    """True when each folder of `outputs` has the time it had when recorded."""
    return tuple(_stamps(out, outputs.folders)) == outputs.stamps


def _folders_of(out: Path) -> tuple[str, ...]:
    """Every folder below `out`, relative to it, and "" for `out`. Links are not
    followed: the site has none of its own, and one to a folder above would never end."""
    found = [""]
    prefix = os.path.join(out, "")
    for relative in found:
        try:
            entries = list(os.scandir(prefix + relative))
        except OSError:
            continue
        found.extend(os.path.join(relative, e.name) for e in entries if _is_folder(e))
    return tuple(found)


def _is_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False


def _stamps(out: Path, folders: Sequence[str]) -> list[int]:
    """Each folder's time of last change (-1 for one gone)."""
    stamps = []
    prefix = os.path.join(out, "")  # joined as strings: a Path per folder costs more
    for folder in folders:
        try:
            stamps.append(os.stat(prefix + folder).st_mtime_ns)
        except OSError:
            stamps.append(-1)
    return stamps


def unchanged_since(site: Site, inputs: str) -> LastBuild | None:
    """The last whole build, if `inputs` are what it was made from and its output is
    as it left it."""
    last = load_last_build(site)
    if last is None or last.inputs != inputs or not outputs_unchanged(site.out, last.outputs):
        return None
    return last


def remember_build(
    site: Site, inputs: str, cables: int, pages: int, shards: int, problems: Iterable[Problem]
) -> None:
    """Record a whole build, with what its output holds now."""
    outputs = mark_outputs(site.out)
    save_last_build(site, LastBuild(inputs, outputs, cables, pages, shards, tuple(problems)))


def load_last_build(site: Site) -> LastBuild | None:
    """The record of the last whole build, if there is one that reads."""
    try:
        raw = json.loads(record_file(site).read_text(encoding="utf-8"))
        if raw.pop("version") != _VERSION:
            return None
        problems = tuple(
            Problem(str(p), int(line), Severity(severity), str(message))
            for p, line, severity, message in raw.pop("problems")
        )
        outputs = Outputs(tuple(map(str, raw.pop("folders"))), tuple(map(int, raw.pop("stamps"))))
        return LastBuild(**raw, outputs=outputs, problems=problems)
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def save_last_build(site: Site, last: LastBuild) -> None:
    """Write the record whole or not at all."""
    fields = asdict(last)
    del fields["outputs"]
    fields["folders"], fields["stamps"] = last.outputs.folders, last.outputs.stamps
    fields["problems"] = [[p.path, p.line, p.severity.value, p.message] for p in last.problems]
    with replacing(record_file(site)) as stream:
        stream.write(json.dumps({"version": _VERSION, **fields}).encode("utf-8"))


def forget_last_build(site: Site) -> None:
    """No record: the next build builds (the dev server changes the output in place)."""
    record_file(site).unlink(missing_ok=True)
