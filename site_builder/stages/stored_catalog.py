"""A `Catalog` read from the store (catalog_store.py) only as far as pages look.

Its mappings and sequences fetch entries, lists and people from the store when a page
asks for them, so the planners and renderers of a one-off edit run unchanged over the
251,287 cables of the release while reading only the few thousand their pages show.
Entries given to `stored_catalog` (the edited cables) stand in for their stored
versions wherever they appear.
"""

from __future__ import annotations

import ast
from abc import abstractmethod
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, TypeVar, overload

from site_builder.catalog import Catalog, Entry, PeopleDirectory, Person
from site_builder.model import Mention
from site_builder.stages.catalog_store import Store
from site_builder.tables import Tables

T = TypeVar("T")


def stored_catalog(
    store: Store, tables: Tables, directory: PeopleDirectory, edited: Iterable[Entry]
) -> Catalog:
    """The catalog of the store's build, with the `edited` entries in place of theirs."""
    store.remember(edited)
    return Catalog(
        tables,
        StoredOrder(store),
        StoredEntries(store),
        by_tag=StoredIndex(store, "by_tag"),
        by_country=StoredIndex(store, "by_country"),
        by_post=StoredIndex(store, "by_post"),
        by_year=StoredIndex(store, "by_year"),
        by_month=StoredIndex(store, "by_month"),
        by_classification=StoredIndex(store, "by_classification"),
        cited_by=StoredIndex(store, "cited_by"),
        people=StoredPeople(store),
        annotated=frozenset(store.meta("annotated")),
        directory=directory,
        post_rank=StoredRanks(store),
    )


class StoredEntries(Mapping[str, Entry]):
    """Every entry by canonical ID."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def __getitem__(self, canonical: str) -> Entry:
        return self.store.entries([canonical])[0]

    def __contains__(self, canonical: object) -> bool:
        return isinstance(canonical, str) and self.store.has(canonical)

    def __iter__(self) -> Iterator[str]:
        return iter(self.store.order())

    def __len__(self) -> int:
        return len(self.store.order())


class StoredRanks(Mapping[str, int]):
    """Each cable's place in its post's list (`Catalog.neighbours`)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def __getitem__(self, canonical: str) -> int:
        rank = self.store.rank(canonical)
        if rank is None:
            raise KeyError(canonical)
        return rank

    def __iter__(self) -> Iterator[str]:
        return iter(self.store.order())

    def __len__(self) -> int:
        return len(self.store.order())


class _Fetched(Sequence[T]):
    """A sequence of stored items, fetched a slice at a time."""

    @abstractmethod
    def fetch(self, at: slice) -> list[T]:
        """The items of a slice of the sequence."""

    @overload
    def __getitem__(self, at: int) -> T: ...

    @overload
    def __getitem__(self, at: slice) -> Sequence[T]: ...

    def __getitem__(self, at: int | slice) -> T | Sequence[T]:
        if isinstance(at, slice):
            return self.fetch(at)
        length = len(self)
        if not -length <= at < length:
            raise IndexError(at)
        start = at % length
        return self.fetch(slice(start, start + 1))[0]

    def __iter__(self) -> Iterator[T]:
        return iter(self.fetch(slice(None)))


class StoredList(_Fetched[Entry]):
    """A list of cables, by their IDs."""

    def __init__(self, store: Store, ids: list[str]) -> None:
        self.store, self.ids = store, ids

    def __len__(self) -> int:
        return len(self.ids)

    def fetch(self, at: slice) -> list[Entry]:
        return self.store.entries(self.ids[at])


class StoredOrder(_Fetched[Entry]):
    """Every cable, newest first: its IDs read when first asked."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def __len__(self) -> int:
        return len(self.store.order())

    def fetch(self, at: slice) -> list[Entry]:
        return self.store.entries(self.store.order()[at])


class StoredMentions(_Fetched[tuple[Entry, Mention]]):
    """The paragraphs naming a person: each cable (by ID) with the mention."""

    def __init__(self, store: Store, mentioned: list[tuple[str, Mention]]) -> None:
        self.store, self.mentioned = store, mentioned

    def __len__(self) -> int:
        return len(self.mentioned)

    def fetch(self, at: slice) -> list[tuple[Entry, Mention]]:
        part = self.mentioned[at]
        entries = self.store.entries([canonical for canonical, _ in part])
        return list(zip(entries, (mention for _, mention in part), strict=True))


class StoredIndex(Mapping[Any, Sequence[Entry]]):
    """One of the catalog's indexes (`catalog.INDEXES`): each key's cables."""

    def __init__(self, store: Store, family: str) -> None:
        self.store, self.family = store, family

    def __getitem__(self, key: Any) -> Sequence[Entry]:
        ids = self.store.ids(self.family, key)
        if ids is None:
            raise KeyError(key)
        return StoredList(self.store, ids)

    def __iter__(self) -> Iterator[Any]:
        return (ast.literal_eval(key) for key in self.store.keys(self.family))

    def __len__(self) -> int:
        return len(self.store.keys(self.family))


class StoredPeople(Mapping[str, Person]):
    """Everyone, by slug, each with the cables of each role."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._people: dict[str, Person] = {}
        self._slugs: frozenset[str] | None = None

    def __getitem__(self, slug: str) -> Person:
        if slug not in self._people:
            found = self.store.person(slug)
            if found is None:
                raise KeyError(slug)
            name, curated, (signed, classified, mentioned) = found
            self._people[slug] = Person(
                slug,
                name,
                curated,
                StoredList(self.store, signed),
                StoredList(self.store, classified),
                StoredMentions(self.store, mentioned),
            )
        return self._people[slug]

    def __contains__(self, slug: object) -> bool:
        return slug in self.slugs()

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self.slugs()))

    def __len__(self) -> int:
        return len(self.slugs())

    def slugs(self) -> frozenset[str]:
        if self._slugs is None:
            self._slugs = frozenset(self.store.slugs())
        return self._slugs
