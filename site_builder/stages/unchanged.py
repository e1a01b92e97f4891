"""A one-off build with nothing changed since the last one, told in seconds at any size.

Before anything is read, a build takes the signature (time, size, inode) of every file
it could read (the content, the templates, the static files, the shipped tables) and,
with the tool's code and the site's settings, makes one digest of them. When that is
the digest the last whole build recorded, and the output folder holds the very files
that build left, nothing can have changed: the build reports what the last one found
(its problems and counts) and touches nothing, without parsing or planning at all.
Anything else builds as usual.

The record is written after a build whose site is whole (published, or found
unchanged); a build that fails or is killed leaves the last one, whose input digest
then no longer matches. The dev server, which changes the output in place, removes it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from site_builder.atomic import replacing
from site_builder.model import Problem, Severity
from site_builder.pages.job import code_digest
from site_builder.site import Site
from site_builder.stages.discover import scan_files, walk_files
from site_builder.stages.parse_cache import Signature
from site_builder.tables import SHIPPED_DATA

_VERSION = 1


@dataclass(frozen=True)
class LastBuild:
    """What a whole build was made from and left, and what it found."""

    inputs: str
    outputs: str
    cables: int
    pages: int
    shards: int
    problems: tuple[Problem, ...]


def record_file(site: Site) -> Path:
    """Beside the state file."""
    return site.state_file.with_name(f"{site.out.resolve().name}-last-build.json")


def inputs_digest(site: Site, content: Mapping[str, Signature]) -> str:
    """One digest of every file a build of `site` may read (by signature: `content` is
    the content folder's `scan_files`), the settings and the tool's code."""
    hasher = hashlib.blake2b(digest_size=16)
    settings = replace(site, jobs=None, strict=False)  # neither changes what is made
    hasher.update(repr((settings, code_digest())).encode())
    folders = [*site.template_dirs, *site.static_dirs, SHIPPED_DATA]
    for scan in (content, *map(scan_files, folders)):
        for name, (time, size, inode) in sorted(scan.items()):
            hasher.update(f"{name}\0{time},{size},{inode}\n".encode("utf-8", "surrogateescape"))
    return hasher.hexdigest()


def outputs_digest(out: Path) -> str:
    """One digest of the names of every file in the output folder."""
    hasher = hashlib.blake2b(digest_size=16)
    for name in sorted(entry.path for entry in walk_files(str(out))):
        hasher.update(f"{name}\n".encode("utf-8", "surrogateescape"))
    return hasher.hexdigest()


def unchanged_since(site: Site, inputs: str) -> LastBuild | None:
    """The last whole build, if `inputs` are what it was made from and its output is
    as it left it."""
    last = load_last_build(site)
    if last is None or last.inputs != inputs or last.outputs != outputs_digest(site.out):
        return None
    return last


def remember_build(
    site: Site, inputs: str, cables: int, pages: int, shards: int, problems: Iterable[Problem]
) -> None:
    """Record a whole build, with what its output holds now."""
    outputs = outputs_digest(site.out)
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
        return LastBuild(**raw, problems=problems)
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def save_last_build(site: Site, last: LastBuild) -> None:
    """Write the record whole or not at all."""
    fields = asdict(last)
    fields["problems"] = [[p.path, p.line, p.severity.value, p.message] for p in last.problems]
    with replacing(record_file(site)) as stream:
        stream.write(json.dumps({"version": _VERSION, **fields}).encode("utf-8"))


def forget_last_build(site: Site) -> None:
    """No record: the next build builds (the dev server changes the output in place)."""
    record_file(site).unlink(missing_ok=True)
