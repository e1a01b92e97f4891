"""Stage: parse cable files, in parallel over all cores.

Workers read the files themselves (only paths cross the process boundary on the
way in), so that the main process never holds the raw texts.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple, TypeVar

from site_builder.catalog import Entry, make_entry
from site_builder.editorial.mentions import MentionIndex, sentence_around
from site_builder.model import BlockKind, Cable, Mention, Problem, Severity
from site_builder.pages.job import code_digest, fingerprint
from site_builder.parser import parse_bytes
from site_builder.render.prepared import prepare
from site_builder.site import Site
from site_builder.stages.discover import Discovered
from site_builder.stages.parse_cache import ParseCache, Signature, signature
from site_builder.stages.prepared_store import Location, PreparedStore
from site_builder.tables import Tables
from site_builder.words import words_in
from site_builder.workers import default_jobs, start_worker

# Below this many files, starting worker processes costs more than it saves.
_PARALLEL_FROM = 64


def parse_file(path: Path, display: str | None = None, tables: Tables | None = None) -> Cable:
    """Read and parse one file; an unreadable file becomes a cable holding one error."""
    source = display or str(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        return _unreadable(source, error)
    return parse_bytes(data, source, tables)


def _unreadable(source: str, error: OSError) -> Cable:
    problem = Problem(source, 1, Severity.ERROR, f"cannot read: {error.strerror or error}")
    return Cable(source=source, reference_id=None, canonical_id=None, problems=(problem,))


def prefetch(paths: Iterable[str | Path]) -> None:
    """Ask the system to read `paths` into memory now, without waiting, so that their
    reads overlap the parsing of the files before them. A cold build of an archive that
    is not in the page cache otherwise waits on the disk for every file in turn (a tenth
    of the parse stage, measured on 20,000 cables). A file that cannot be opened is left
    to its reader, which reports it; a system without the call (macOS) reads as before."""
    if not hasattr(os, "posix_fadvise"):
        return
    for path in paths:
        try:
            descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # a FIFO never waits
        except OSError:
            continue
        try:
            os.posix_fadvise(descriptor, 0, 0, os.POSIX_FADV_WILLNEED)
        except OSError:
            pass  # a file system that takes no advice is read as before
        finally:
            os.close(descriptor)


T = TypeVar("T")
Item = TypeVar("Item")


class ParsedFile(NamedTuple):
    """What the build keeps of a parsed file: its catalog entry (if it holds a cable),
    its problems, and where its page's own part waits (never its text)."""

    entry: Entry | None
    problems: tuple[Problem, ...]
    prepared: Location | None = None


def digest_of(data: bytes) -> str:
    """The digest a page's inputs record for a source file."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


@dataclass(frozen=True)
class ParseSettings:
    """What parsing a file depends on beyond the file: the site's tables (with its
    overrides), the curated people whose mentions are recorded and linked, and the base
    URL of links (`url`); `digest` covers them all. Each page's own part goes to `store`."""

    tables: Tables
    mentions: MentionIndex
    url: Callable[[str], str]
    digest: str
    store: PreparedStore


def settings_for(site: Site, found: Discovered) -> ParseSettings:
    """What a build of `site` parses the files `found` with, and the digest of it (with
    the names their entries and problems give them)."""
    index = MentionIndex.of(found.people)
    digest = fingerprint(
        found.tables_digest, index.digest, site.base_url, found.shown, code_digest()
    )
    store = PreparedStore(site.prepared_folder)
    return ParseSettings(found.tables, index, site.url, digest, store)


# The settings, set in each worker once (see `parse_entries`).
_settings: ParseSettings | None = None


def _use_settings(settings: ParseSettings) -> None:
    global _settings
    _settings = settings


def entry_of_file(path: str, display: str) -> ParsedFile:
    """Read, digest and parse one file into its catalog entry."""
    settings = _settings
    assert settings is not None, "parse_entries sets the settings first"
    try:
        with open(path, "rb") as stream:
            data = stream.read()
    except OSError as error:
        return ParsedFile(None, _unreadable(display, error).problems)
    cable = parse_bytes(data, display, settings.tables)
    digest = digest_of(data)
    words = words_in(cable.body_text)  # split once: the people and the glossary look
    people = settings.mentions.present(cable.body_text, words)  # found once, used twice
    entry = make_entry(cable, digest, mentions_in(cable, people))
    if entry is None:
        return ParsedFile(None, cable.problems)
    page = prepare(cable, digest, settings.tables, people, settings.url, words)
    return ParsedFile(entry, cable.problems, settings.store.add(page.to_record()))


def parse_one(path: str, display: str, settings: ParseSettings) -> ParsedFile:
    """Parse one file in this process with `settings` (the few files of a one-off edit)."""
    _use_settings(settings)
    return entry_of_file(path, display)


def mentions_in(cable: Cable, people: MentionIndex) -> tuple[Mention, ...]:
    """Each curated person the body names, of `people` (the part of the index present
    in the body: `MentionIndex.present`): once per paragraph, with the sentence."""
    if not people:
        return ()
    found: dict[tuple[str, str | None], Mention] = {}
    for block in cable.body:
        if block.kind is BlockKind.HEADING:
            continue
        for match in people.find(block.text):
            key = (match.slug, block.number)
            if key not in found:
                sentence = sentence_around(block.text, match.start, match.end)
                found[key] = Mention(match.slug, block.number, sentence)
    return tuple(found.values())


# The tables `parse_files` parses with, set in each worker once.
_tables: Tables | None = None


def _use_tables(tables: Tables | None) -> None:
    global _tables
    _tables = tables


def _parse_chunk(chunk: Sequence[tuple[Path, str]]) -> list[Cable]:
    prefetch(path for path, _ in chunk)
    return [parse_file(path, display, _tables) for path, display in chunk]


def _entry_chunk(chunk: Sequence[tuple[str, str]]) -> list[ParsedFile]:
    prefetch(path for path, _ in chunk)
    parsed = [entry_of_file(path, display) for path, display in chunk]
    assert _settings is not None
    _settings.store.flush()  # before the main process learns where the records are
    return parsed


def parse_files(
    files: Sequence[tuple[Path, str]], jobs: int | None = None, tables: Tables | None = None
) -> Iterator[Cable]:
    """Parse (path, display name) pairs with `tables` (a site's, or the shipped ones);
    yields whole cables in the order of `files`."""
    _use_tables(tables)
    yield from _in_parallel(_parse_chunk, files, jobs, (_use_tables, (tables,)))


def parse_entries(
    files: Sequence[tuple[str, str]],
    marks: Mapping[str, Signature],
    settings: ParseSettings,
    jobs: int | None,
    cache: ParseCache,
) -> Iterator[ParsedFile]:
    """Parse (path, display name) pairs into catalog entries, in the order of `files`,
    from `cache` where a file is unchanged since it had its signature in `marks` (the
    cache then holds exactly these files, with those signatures, taken before any of
    them was read); each entry records the curated people its body names."""
    _use_settings(settings)
    known = {path: cache.known(path, marks[path], settings.digest) for path, _ in files}
    wanted = [(path, display) for path, display in files if known[path] is None]
    parsed = _in_parallel(_entry_chunk, wanted, jobs, (_use_settings, (settings,)))
    kept: dict[str, tuple[Signature, ParsedFile]] = {}
    for path, _ in files:
        result = known[path] or next(parsed)
        kept[path] = (marks[path], result)
        yield result
    cache.replace(kept, len(wanted))


def reparse_files(
    files: Sequence[tuple[str, str]], settings: ParseSettings, cache: ParseCache
) -> list[ParsedFile]:
    """Parse a few files again, here (no pool for a handful), and tell `cache`."""
    _use_settings(settings)
    results = []
    for path, display in files:
        mark = signature(path)
        result = entry_of_file(path, display)
        cache.learn(path, mark, result)
        results.append(result)
    settings.store.flush()
    return results


def _in_parallel(
    work: Callable[[Sequence[Item]], list[T]],
    files: Sequence[Item],
    jobs: int | None,
    setup: tuple[Callable[..., None], tuple[object, ...]] | None = None,
) -> Iterator[T]:
    """Run `work` over chunks of `files` in a process pool, results in file order;
    `setup` (a function and its arguments) runs once in each worker first."""
    jobs = jobs or default_jobs()
    if jobs <= 1 or len(files) < _PARALLEL_FROM:
        yield from work(files)
        return
    size = max(16, min(256, len(files) // (jobs * 8) or 1))
    chunks = [files[i : i + size] for i in range(0, len(files), size)]
    pool = ProcessPoolExecutor(jobs, initializer=_start_parse_worker, initargs=(setup,))
    with pool:
        for results in pool.map(work, chunks):
            yield from results


def _start_parse_worker(setup: tuple[Callable[..., None], tuple[object, ...]] | None) -> None:
    start_worker()
    if setup:
        function, arguments = setup
        function(*arguments)
