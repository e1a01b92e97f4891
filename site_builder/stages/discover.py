"""Stage: discover the sources of a site (the cable files, the tables, the curated people
and the annotations), or the cable files of paths given on the command line."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from site_builder.editorial.annotations import Annotation, read_annotations
from site_builder.editorial.people import CuratedPerson, read_people
from site_builder.model import Problem
from site_builder.pages.job import fingerprint
from site_builder.site import Site
from site_builder.tables import Tables, load_tables

CABLE_SUFFIX = ".txt"


@dataclass
class Discovered:
    """What the content holds before any cable is parsed: the cable files (each with the
    name problems give it, which starts with `shown`), the tables, the curated people and
    the annotations."""

    files: list[tuple[Path, str]]
    tables: Tables
    tables_digest: str
    people: list[CuratedPerson]
    annotations: dict[str, Annotation]
    shown: str  # the cables folder as problems name it


def discover(site: Site, problems: list[Problem]) -> Discovered:
    """Every source of `site`; what does not read is reported in `problems`.

    The cables' paths are absolute, whatever the content folder was given as: they key
    what a build keeps of each file (the parse cache), which a build and a dev server
    started as `--content content` or as `--content /srv/archive/content` then share.
    """
    folder = site.content.absolute() / "cables"
    paths = cable_files([folder]) if folder.is_dir() else []
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
    shown, cut = display_path(site.content / "cables"), len(str(folder))
    files = [(path, shown + str(path)[cut:]) for path in paths]
    return Discovered(files, tables, digest, people, annotations, shown)


def cable_files(paths: Iterable[Path]) -> list[Path]:
    """Every cable file named, or found below the folders named, without repeats.

    Paths keep the order given; the files of a folder come sorted. Hidden files
    and folders (editor swap files, VCS folders) are skipped.
    """
    found: dict[Path, None] = {}
    for path in paths:
        if path.is_dir():
            found.update((Path(name), None) for name in sorted(_files_below(str(path))))
        elif path.is_file():
            found[path] = None
        else:
            raise FileNotFoundError(f"{path}: no such file or folder")
    return list(found)


def _files_below(folder: str) -> Iterator[str]:
    """The cable files below a folder, hidden files and folders skipped (a plain
    scandir walk: at a quarter of a million files, pathlib's glob costs seconds)."""
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_dir():
                yield from _files_below(entry.path)
            elif entry.name.endswith(CABLE_SUFFIX) and entry.is_file():
                yield entry.path


def display_path(path: Path | str) -> str:
    """A path as problems name it: relative to the working folder when under it."""
    if not os.path.isabs(path) and not str(path).startswith(".."):
        return os.path.normpath(path)  # already relative to the working folder
    absolute = os.path.abspath(path)
    here = os.getcwd()
    if absolute.startswith(here + os.sep):
        return absolute[len(here) + 1 :]
    return str(path)
