"""The search index's shards: which cable pages each one indexes.

One Pagefind index needs memory in proportion to its pages, and writes one fragment
file per page into one folder, which static hosts limit. So a large archive is indexed
in shards of at most `SHARD_PAGES` pages, a few at a time, and the reader's browser
searches them progressively, newest first.

Shards cut the archive in date order from the oldest cable, so that new cables (which
are mostly recent) and edits change only the shards that hold them, and a shard's digest
(of the page digests of its cables) says whether it must be indexed again. A shard
also records the dates and years it covers, so that a year filter and a date sort need
only the shards that can match.

`SHARD_PAGES` comes from measured memory: Pagefind needs about 0.52 GB per 1,000 pages
it indexes at once (a shard of 5,000 synthetic cable pages peaked at 2.6 GB), and two
shards are indexed at once (`pagefind.INDEXERS`). Shards of 2,500 pages keep both near
2.6 GB, which leaves most of the 6 GB budget to the build, which holds the catalog of
the whole release (1.7 GB at its peak); and each folder far below the 50,000 entries
static hosts accept.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from site_builder.catalog import Entry
from site_builder.pages.job import fingerprint

SHARD_PAGES = 2_500
# The newest shard, where a reader's first query starts, holds no more than this: at
# 50,000 cables a full newest shard of 5,000 pages made a common word's first results
# cost 353 KB, one of 1,287 (at 251,287 cables) 250 KB.
NEWEST_PAGES = 1_000
FOLDER = "pagefind"


@dataclass(frozen=True, slots=True)
class Shard:
    """A set of cable pages indexed together, and where its index goes."""

    number: int
    path: str  # relative to the output folder: "pagefind", or "pagefind/shard-03"
    files: tuple[str, ...]  # the cable pages it indexes, relative to the output folder
    digest: str
    first: str | None  # the oldest cable's date, ISO
    last: str | None  # the newest cable's date, ISO
    years: tuple[int, ...]


def plan_shards(
    entries: Sequence[Entry], page_digests: Mapping[str, str], size: int = SHARD_PAGES
) -> list[Shard]:
    """Cut the cables (given newest first) into shards, oldest first, `size` pages each,
    the newest at most `NEWEST_PAGES` (see `_cut`).

    Below `size` there is one shard, the site's single index at `pagefind/`.
    """
    chunks = _cut(list(reversed(entries)), size)
    shards = []
    for number, chunk in enumerate(chunks):
        files = tuple(entry.url.lstrip("/") for entry in chunk)
        dated = [entry.date for entry in chunk if entry.date is not None]
        path = FOLDER if len(chunks) == 1 else f"{FOLDER}/shard-{number:02d}"
        shards.append(
            Shard(
                number=number,
                path=path,
                files=files,
                digest=fingerprint(path, [page_digests.get(f, "") for f in files]),
                first=min(dated).strftime("%Y-%m-%d") if dated else None,
                last=max(dated).strftime("%Y-%m-%d") if dated else None,
                years=tuple(sorted({d.year for d in dated})),
            )
        )
    return shards


def _cut(oldest_first: list[Entry], size: int) -> list[list[Entry]]:
    """`size` pages a shard from the oldest; what is left for the newest, if more than
    `NEWEST_PAGES`, is cut in two so that the newest shard stays small. Boundaries follow
    from counts alone: an edit changes only its own shard, a new cable the newest two."""
    chunks = [oldest_first[i : i + size] for i in range(0, len(oldest_first), size)]
    newest = min(NEWEST_PAGES, size)
    if len(chunks) > 1 and len(chunks[-1]) > newest:
        rest = chunks.pop()
        chunks += [rest[:-newest], rest[-newest:]]
    return chunks


def manifest(shards: Sequence[Shard]) -> dict[str, object]:
    """What the search page reads first: the shards, newest first, with their extent."""
    return {
        "version": 1,
        "cables": sum(len(shard.files) for shard in shards),
        "shards": [
            {
                "path": shard.path,
                "cables": len(shard.files),
                "first": shard.first,
                "last": shard.last,
                "years": list(shard.years),
            }
            for shard in reversed(shards)
        ],
    }
