"""The last whole build's catalog and plan, kept on disk so that a one-off build after
an edit of a few cables reads only what their pages show (quick_edit.py).

A whole one-off build drafts it once it has planned (`draft_store`), and puts it in
place with the facts of the build once the site is published (`finish_store`): every
entry with where its page's own part is and which pages list it, every list of the
catalog as the IDs in it, every person, and every planned page with its digest and how
that digest was made. It is one SQLite file, written beside the state under another
name and renamed over the last (whole or not at all), and it says which build it
belongs to (the last-build record's input digest): a store of any other build is not
read. `stored_catalog.stored_catalog` makes a `Catalog` whose mappings and sequences
fetch from it when a page looks, so the planners and renderers run on it unchanged.
"""

from __future__ import annotations

import marshal
import pickle
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import astuple, dataclass, fields
from pathlib import Path
from typing import Any

from site_builder.catalog import INDEXES, Catalog, Entry
from site_builder.model import Problem
from site_builder.pages.job import PageJob
from site_builder.planning import PlanMemory
from site_builder.search.shards import Shard
from site_builder.site import Site
from site_builder.stages.parse_cache import Signature
from site_builder.stages.prepared_store import Location

FORMAT = 2  # 2: the content's signatures in scan order, the shards as plain values
_PICKLE = pickle.HIGHEST_PROTOCOL
_SCHEMA = """
CREATE TABLE meta (name TEXT PRIMARY KEY, value BLOB);
CREATE TABLE entry (id TEXT PRIMARY KEY, source BLOB UNIQUE, data BLOB, location BLOB,
                    problems BLOB, readers BLOB, rank INTEGER);
CREATE TABLE list (family TEXT, key TEXT, ids BLOB, PRIMARY KEY (family, key));
CREATE TABLE person (slug TEXT PRIMARY KEY, data BLOB);
CREATE TABLE page (file TEXT PRIMARY KEY, job BLOB, base TEXT, reads BLOB, shown TEXT);
"""


def store_file(site: Site) -> Path:
    """Beside the state file."""
    return site.state_file.with_name(f"{site.out.resolve().name}-catalog.sqlite")


@dataclass(frozen=True)
class BuildFacts:
    """What a store says of the build that wrote it: the last-build record's input
    digest, the digest of every input outside the content folder (`others`), the digest
    of the names of the content folder's files (`names`) and the signature each had (in
    the order of the scan), the state's generation, and the search shards."""

    inputs: str
    others: str
    names: str
    marks: list[Signature]
    generation: str
    shards: list[Shard]


_FACTS = tuple(field.name for field in fields(BuildFacts))


def draft_store(
    site: Site,
    catalog: Catalog,
    memory: PlanMemory,
    jobs: Iterable[PageJob],
    prepared: Mapping[str, Location],
    problems: Mapping[str, list[Problem]],
) -> Path:
    """Write the store of a whole build but its facts beside the store (see the
    module's text), as soon as the build has planned: what it holds need not be kept
    in memory through the render. `finish_store` puts it in place once published."""
    temporary = _draft_file(site)
    temporary.unlink(missing_ok=True)
    with sqlite3.connect(temporary) as db:
        db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + _SCHEMA)
        db.executemany(
            "INSERT INTO entry VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                (
                    e.canonical_id,
                    _path(e.source),
                    pickle.dumps(e, _PICKLE),
                    marshal.dumps(prepared.get(e.source)),
                    _problems_data(problems.get(e.source)),
                    marshal.dumps(memory.readers.get(e.canonical_id, [])),
                    catalog.post_rank.get(e.canonical_id),
                )
                for e in catalog.entries
            ),
        )
        db.executemany("INSERT INTO list VALUES (?, ?, ?)", _lists(catalog))
        db.executemany("INSERT INTO person VALUES (?, ?)", _people(catalog))
        db.executemany("INSERT INTO page VALUES (?, ?, ?, ?, ?)", _pages(memory, jobs))
        _write_meta(db, catalog)
    db.close()
    return temporary


def finish_store(site: Site, draft: Path, facts: BuildFacts) -> None:
    """Put a draft in place with the `facts` of its build."""
    with sqlite3.connect(draft) as db:
        _write_facts(db, facts)
    db.close()
    draft.replace(store_file(site))


def discard_store(site: Site) -> None:
    """No store, nor draft: the next edit builds whole."""
    _draft_file(site).unlink(missing_ok=True)
    store_file(site).unlink(missing_ok=True)


def _draft_file(site: Site) -> Path:
    path = store_file(site)
    return path.with_name(path.name + ".tmp")


def _lists(catalog: Catalog) -> Iterator[tuple[str, str, bytes]]:
    for name in INDEXES:
        index: Mapping[Any, Sequence[Entry]] = getattr(catalog, name)
        for key, entries in index.items():
            yield name, repr(key), marshal.dumps([e.canonical_id for e in entries])


def _people(catalog: Catalog) -> Iterator[tuple[str, bytes]]:
    for slug, person in catalog.people.items():
        roles = (
            [e.canonical_id for e in person.signed],
            [e.canonical_id for e in person.classified],
            [(e.canonical_id, mention) for e, mention in person.mentioned],
        )
        yield slug, pickle.dumps((person.name, person.curated, roles), _PICKLE)


def _pages(
    memory: PlanMemory, jobs: Iterable[PageJob]
) -> Iterator[tuple[str, bytes, str, bytes, str]]:
    for job in jobs:
        made = memory.planned.get(job.file)
        base, reads = (made.base, made.reads) if made else ("", ())
        shown = memory.shown.get(job.file, "")
        yield job.file, _job_data(job), base, marshal.dumps(reads), shown


def _path(source: str) -> bytes:
    """A file's path as the store keys it: its bytes (a name need not be UTF-8)."""
    return source.encode("utf-8", "surrogateescape")


def _problems_data(problems: list[Problem] | None) -> bytes | None:
    """A file's problems, or nothing for the many files with none."""
    return pickle.dumps(problems, _PICKLE) if problems else None


def _job_data(job: PageJob) -> bytes:
    """A job as plain values (its key is made of strings and numbers)."""
    return marshal.dumps((job.kind, job.key, job.digest, job.inputs))


def _write_meta(db: sqlite3.Connection, catalog: Catalog) -> None:
    values = {
        "format": marshal.dumps(FORMAT),
        "annotated": marshal.dumps(sorted(catalog.annotated)),
        "order": marshal.dumps([e.canonical_id for e in catalog.entries]),
    }
    db.executemany("INSERT INTO meta VALUES (?, ?)", values.items())


# The facts an edit changes: it keeps the content's files and every other input.
_EDITED_FACTS = ("inputs", "marks", "generation", "shards")


def _write_facts(db: sqlite3.Connection, facts: BuildFacts, names: Iterable[str] = _FACTS) -> None:
    """Write the facts `names` (all, by default), each as plain values."""
    values = {**vars(facts), "shards": [astuple(shard) for shard in facts.shards]}
    db.executemany(
        "INSERT OR REPLACE INTO meta VALUES (?, ?)",
        ((name, marshal.dumps(values[name])) for name in names),
    )


class Store:
    """An open store: its facts, and the rows a one-off edit reads or changes."""

    def __init__(self, path: Path) -> None:
        self.db = sqlite3.connect(f"file:{path}?mode=rw", uri=True)
        self._entries: dict[str, Entry] = {}
        self._order: list[str] | None = None

    @classmethod
    def open(cls, path: Path, inputs: str) -> Store | None:
        """The store at `path` if it reads and belongs to the build of `inputs`."""
        try:
            store = cls(path)
            if store.meta("format") == FORMAT and store.meta("inputs") == inputs:
                return store
            store.db.close()
        except (sqlite3.Error, ValueError, EOFError, TypeError):
            pass
        return None

    def meta(self, name: str) -> Any:
        row = self.db.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        if row is None:
            raise ValueError(f"no {name} in the store")
        return marshal.loads(row[0])

    def facts(self) -> BuildFacts:
        values = {name: self.meta(name) for name in _FACTS}
        return BuildFacts(**{**values, "shards": [Shard(*row) for row in values["shards"]]})

    def order(self) -> list[str]:
        """Every cable's ID, newest first (read once, when first asked)."""
        if self._order is None:
            self._order = self.meta("order")
        return self._order

    def has(self, canonical: str) -> bool:
        query = "SELECT 1 FROM entry WHERE id = ?"
        return self.db.execute(query, (canonical,)).fetchone() is not None

    def rank(self, canonical: str) -> int | None:
        """A cable's place in its post's list."""
        row = self.db.execute("SELECT rank FROM entry WHERE id = ?", (canonical,)).fetchone()
        return row[0] if row else None

    def remember(self, entries: Iterable[Entry]) -> None:
        """Hand out `entries` in place of the stored versions of their IDs."""
        self._entries.update((entry.canonical_id, entry) for entry in entries)

    def entries(self, ids: Sequence[str]) -> list[Entry]:
        """The entries of `ids`, in order (each read once, then kept)."""
        wanted = [i for i in dict.fromkeys(ids) if i not in self._entries]
        for canonical, data in self._rows("SELECT id, data FROM entry WHERE id", wanted):
            self._entries[canonical] = pickle.loads(data)
        return [self._entries[i] for i in ids]

    def _rows(self, query: str, keys: Sequence[str]) -> Iterator[tuple[Any, ...]]:
        """The rows of `query` (ending with the column to match) for each of `keys`,
        asked 500 at a time (SQLite caps a statement's parameters)."""
        for start in range(0, len(keys), 500):
            part = list(keys[start : start + 500])
            yield from self.db.execute(f"{query} IN ({','.join('?' * len(part))})", part)

    def row_of(self, source: str) -> tuple[Entry, Location | None, list[Problem]] | None:
        """A cable file's entry, where its page's own part is, and its problems."""
        query = "SELECT data, location, problems FROM entry WHERE source = ?"
        row = self.db.execute(query, (_path(source),)).fetchone()
        if row is None:
            return None
        return pickle.loads(row[0]), marshal.loads(row[1]), pickle.loads(row[2]) if row[2] else []

    def readers(self, canonical: str) -> list[str]:
        row = self.db.execute("SELECT readers FROM entry WHERE id = ?", (canonical,)).fetchone()
        return marshal.loads(row[0]) if row else []

    def locations(self, sources: Iterable[str]) -> dict[str, Location]:
        """Where the pages' own parts of these cable files are, as the store knows."""
        found = {}
        for source in sources:
            query = "SELECT location FROM entry WHERE source = ?"
            row = self.db.execute(query, (_path(source),)).fetchone()
            location = marshal.loads(row[0]) if row else None
            if location is not None:
                found[source] = location
        return found

    def pages(self, files: Iterable[str]) -> dict[str, tuple[PageJob, str, tuple[str, ...], str]]:
        """Planned pages by file: the job, its planner's digest, the cables it listed,
        and what it shows with the static files aside."""
        found = {}
        for file in files:
            query = "SELECT job, base, reads, shown FROM page WHERE file = ?"
            row = self.db.execute(query, (file,)).fetchone()
            if row is not None:
                job = PageJob(file, *marshal.loads(row[0]))
                found[file] = (job, row[1], marshal.loads(row[2]), row[3])
        return found

    def shown_of(self, files: Sequence[str]) -> list[str]:
        """What each page shows with the static files aside ("" for a page not planned)."""
        found = dict(self._rows("SELECT file, shown FROM page WHERE file", files))
        return [found.get(file, "") for file in files]

    def update(
        self,
        entries: list[tuple[Entry, Location | None, list[Problem]]],
        pages: list[tuple[PageJob, str]],
        facts: BuildFacts,
    ) -> None:
        """Take in the entries and pages an edit changed, and the facts of its build."""
        self.db.executemany(
            "UPDATE entry SET data = ?, location = ?, problems = ? WHERE id = ?",
            (
                (
                    pickle.dumps(e, _PICKLE),
                    marshal.dumps(at),
                    _problems_data(found),
                    e.canonical_id,
                )
                for e, at, found in entries
            ),
        )
        self.db.executemany(
            "UPDATE page SET job = ?, shown = ? WHERE file = ?",
            ((_job_data(job), shown, job.file) for job, shown in pages),
        )
        _write_facts(self.db, facts, _EDITED_FACTS)

    def ids(self, family: str, key: Any) -> list[str] | None:
        query = "SELECT ids FROM list WHERE family = ? AND key = ?"
        row = self.db.execute(query, (family, repr(key))).fetchone()
        return marshal.loads(row[0]) if row else None

    def keys(self, family: str) -> list[str]:
        query = "SELECT key FROM list WHERE family = ?"
        return [key for (key,) in self.db.execute(query, (family,))]

    def person(self, slug: str) -> tuple[str, Any, tuple[list[str], list[str], list[Any]]] | None:
        row = self.db.execute("SELECT data FROM person WHERE slug = ?", (slug,)).fetchone()
        return pickle.loads(row[0]) if row else None

    def slugs(self) -> list[str]:
        return [slug for (slug,) in self.db.execute("SELECT slug FROM person ORDER BY slug")]
