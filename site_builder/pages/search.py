"""The search page (`/search/`) and the manifest of the index's shards it reads first."""

from __future__ import annotations

import json
from collections.abc import Iterator

from site_builder import urls
from site_builder.pages.context import RenderContext
from site_builder.pages.job import PageJob, fingerprint
from site_builder.search.shards import Shard, manifest

MANIFEST = "search/shards.json"


def plan_search_pages(context: RenderContext, shards: list[Shard]) -> Iterator[PageJob]:
    """`/search/`, and the manifest of the shards (newest first) its script reads."""
    template = context.template("search.html")
    yield PageJob(
        urls.file_of(urls.SEARCH),
        "search",
        (),
        fingerprint(template, context.settings),
        ("index:search", "search.html"),
    )
    data = manifest(shards)
    yield PageJob(MANIFEST, "search-manifest", (), fingerprint(data), ("search:shards",))


def render_search_page(context: RenderContext, key: tuple[object, ...]) -> bytes:
    return context.render("search.html")


def render_search_manifest(context: RenderContext, key: tuple[object, ...]) -> bytes:
    shards = context.memo["shards"]
    assert isinstance(shards, list)
    return (json.dumps(manifest(shards), indent=1, sort_keys=True) + "\n").encode()
