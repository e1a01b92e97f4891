"""The 50,000-entries rule: static hosts refuse to deploy a folder that holds more files
and folders than that, so no folder of the site may.

The build counts the entries of every folder of the new site from its plan (the files it
will write, and the pages each search shard indexes: Pagefind writes one fragment file
per page into the shard's `fragment/` folder), before anything is rendered, and stops
with one line per folder that would hold too many. The layout keeps every folder far
below the limit at the scale of the whole Cablegate release (the busiest month holds
about 10,000 cables; a tag's list pages 100 cables each; a search shard 2,500 pages):
only an archive unlike it can reach the limit, and then the build says where, rather
than making a site no host takes. The cables of one month stay in one folder whatever
their number, since `/cable/YYYY/MM/<ID>.html` is the original site's address.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path

from site_builder.model import Problem, Severity
from site_builder.search.shards import FOLDER as SEARCH_FOLDER
from site_builder.search.shards import Shard
from site_builder.stages.discover import display_path

FOLDER_LIMIT = 50_000
PAGEFIND_FRAGMENTS = "fragment"  # the folder of a Pagefind index with a file per page


def folder_entries(files: Iterable[str], indexes: Mapping[str, int] | None = None) -> Counter[str]:
    """How many entries (files and sub-folders) each folder of the site will hold, by
    its path relative to the output folder ("" is the output folder itself): the files,
    and the search indexes (how many pages each indexes, by its folder)."""
    entries: Counter[str] = Counter()
    known = {""}

    def make(folder: str) -> None:
        """Count a folder in its parent, and its parent in its own, the first time."""
        while folder not in known:
            known.add(folder)
            folder = folder.rpartition("/")[0]
            entries[folder] += 1

    for file in files:
        folder = file.rpartition("/")[0]
        make(folder)
        entries[folder] += 1
    for folder, pages in (indexes or {}).items():
        fragments = f"{folder}/{PAGEFIND_FRAGMENTS}"
        make(fragments)
        entries[fragments] += pages
    return entries


def overfull_folders(
    files: Iterable[str], shards: Iterable[Shard], out: Path, limit: int = FOLDER_LIMIT
) -> list[Problem]:
    """One error per folder of the planned site that would hold more than `limit`
    entries, naming the folder (under `out`) and the count."""
    indexes = {shard.path: len(shard.files) for shard in shards}
    return [
        Problem(
            display_path(out / folder) + "/",
            1,
            Severity.ERROR,
            f"{count:,} entries planned in one folder, more than the {limit:,} static hosts"
            f" accept{_remedy(folder)}",
        )
        for folder, count in sorted(folder_entries(files, indexes).items())
        if count > limit
    ]


def _remedy(folder: str) -> str:
    """What can be done about a folder that is too full, where the layout allows anything."""
    if folder.startswith(SEARCH_FOLDER) and folder.endswith("/" + PAGEFIND_FRAGMENTS):
        return ": a smaller --search-shard-size indexes fewer pages in each shard"
    if folder.startswith("cable/"):
        return (
            ": a month's cables share one folder, at the original site's address"
            " (/cable/YYYY/MM/<ID>.html), so the archive cannot be published as it is"
        )
    return ""
