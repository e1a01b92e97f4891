"""Stage: discover the sources of a site (the cable files, the tables, the curated people
and the annotations), or the cable files of paths given on the command line."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from site_builder.editorial.annotations import Annotation, read_annotations
from site_builder.editorial.people import CuratedPerson, read_people
from site_builder.model import Problem
from site_builder.pages.job import fingerprint
from site_builder.site import Site
from site_builder.stages.parse_cache import Signature
from site_builder.stages.scan import scan_files
from site_builder.tables import Tables, load_tables

CABLE_SUFFIX = ".txt"


@dataclass
class Discovered:
    """What the content holds before any cable is parsed: the cable files (each with the
    name problems give it, which starts with `shown`) and the signature each had when
    found, the tables, the curated people and the annotations."""

    files: list[tuple[str, str]]
    marks: dict[str, Signature]
    tables: Tables
    tables_digest: str
    people: list[CuratedPerson]
    annotations: dict[str, Annotation]
    shown: str  # the cables folder as problems name it


def discover(
    site: Site, problems: list[Problem], scan: Mapping[str, Signature] | None = None
) -> Discovered:
    """Every source of `site`; what does not read is reported in `problems`.

    `scan` is the content folder's `scan_files`, when the caller walked it already (a
    one-off build does, to tell whether anything changed).
    The cables' paths are absolute, whatever the content folder was given as: they key
    what a build keeps of each file (the parse cache), which a build and a dev server
    started as `--content content` or as `--content /srv/archive/content` then share.
    """
    content = site.content.absolute()
    scan = scan if scan is not None else scan_files(content)
    return discover_only(site, problems, cables_in(scan, str(content / "cables")), scan)


def discover_only(
    site: Site, problems: list[Problem], paths: list[str], scan: Mapping[str, Signature]
) -> Discovered:
    """The sources of `site` with, of its cable files, only `paths` (of its `scan`): what
    a one-off edit of those few files parses them with."""
    tables, found = load_tables(site.content / "data")
    problems.extend(found)
    people, found = read_people(site.content, tables)
    problems.extend(found)
    annotations, found = read_annotations(site.content)
    problems.extend(found)
    digest = fingerprint(
        sorted(tables.tags.items()),
        sorted(tables.countries.items()),
        sorted(tables.posts.items()),
        sorted(tables.station_aliases.items()),
        tables.glossary,
    )
    shown, cut = display_path(site.content / "cables"), len(str(site.content.absolute() / "cables"))
    files = [(path, shown + path[cut:]) for path in paths]
    marks = {path: scan[path] for path in paths}
    return Discovered(files, marks, tables, digest, people, annotations, shown)


def cable_files(paths: Iterable[Path]) -> list[Path]:
    """Every cable file named, or found below the folders named, without repeats.

    Paths keep the order given; the files of a folder come sorted. Hidden files
    and folders (editor swap files, VCS folders) are skipped.
    """
    found: dict[Path, None] = {}
    for path in paths:
        if path.is_dir():
            found.update((Path(name), None) for name in cables_in(scan_files(path), str(path)))
        elif path.is_file():
            found[path] = None
        else:
            raise FileNotFoundError(f"{path}: no such file or folder")
    return list(found)


def cables_in(paths: Iterable[str], folder: str) -> list[str]:
    """The cable files of `paths` (a scan's, which has no hidden ones) below `folder`,
    sorted."""
    prefix = folder.rstrip(os.sep) + os.sep
    return sorted(path for path in paths if path.startswith(prefix) and path.endswith(CABLE_SUFFIX))


def display_path(path: Path | str) -> str:
    """A path as problems name it: relative to the working folder when under it."""
    if not os.path.isabs(path) and not str(path).startswith(".."):
        return os.path.normpath(path)  # already relative to the working folder
    absolute = os.path.abspath(path)
    here = os.getcwd()
    if absolute.startswith(here + os.sep):
        return absolute[len(here) + 1 :]
    return str(path)
