"""Cable pages: planned from the catalog, rendered from the part of the page the parse
stage prepared (render/prepared.py) and the catalog.

A cable page shows its own file and, from the catalog, the cables it cites, those that
cite it, and its neighbours at the same post: its digest covers all of these, so that
editing one cable rewrites its page and the pages that show something of it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from site_builder import urls
from site_builder.catalog import Entry
from site_builder.pages.context import RenderContext
from site_builder.pages.job import PageJob, fingerprint
from site_builder.parser import parse_bytes
from site_builder.render.cable_view import cable_view
from site_builder.render.prepared import PreparedCable, prepare

TEMPLATE = "cable.html"


def plan_cables(
    context: RenderContext, entries: Iterable[Entry] | None = None
) -> Iterator[PageJob]:
    """A job per cable (of the catalog, or those given), its digest from the file and the
    catalog slices the page shows."""
    catalog = context.catalog
    template = context.template(TEMPLATE)

    def listing(entry: Entry | None) -> str | None:
        return catalog.listing(entry) if entry else None

    for entry in catalog.entries if entries is None else entries:
        older, newer = catalog.neighbours(entry)
        note = context.annotation(entry)
        digest = fingerprint(
            template,
            context.settings,
            entry.digest,
            entry.url,
            note,
            entry.mentions,
            [catalog.directory.slug_for(name) for name in (*entry.signers, *entry.classified_by)],
            [(r.id, listing(catalog.resolve(r.id))) for r in entry.references],
            catalog.listings(catalog.cited_by.get(entry.canonical_id, ())),
            listing(older),
            listing(newer),
        )
        yield PageJob(
            urls.file_of(entry.url),
            "cable",
            (entry.canonical_id,),
            digest,
            (entry.source, TEMPLATE),
        )


def render_cable(context: RenderContext, key: tuple[object, ...]) -> bytes:
    """Render one cable's page from its own part and the catalog."""
    canonical = key[0]
    assert isinstance(canonical, str)
    entry = context.catalog.by_id[canonical]
    view = cable_view(
        _prepared(context, entry),
        entry,
        context.catalog,
        context.links,
        context.site.url,
        context.annotation(entry),
    )
    return context.render(TEMPLATE, view=view)


def _prepared(context: RenderContext, entry: Entry) -> PreparedCable:
    """The page's own part as the parse stage left it; prepared here again from the file
    when there is no such record (a context made without a store, a store file deleted)."""
    location = context.prepared.get(entry.source)
    data = context.store.read(location) if context.store and location else None
    found = PreparedCable.from_record(data, entry.digest) if data else None
    if found is not None:
        return found
    raw = Path(entry.source).read_bytes()
    tables = context.catalog.tables
    cable = parse_bytes(raw, entry.source, tables)
    people = context.mentions.present(cable.body_text)
    return prepare(cable, entry.digest, tables, people, context.site.url)
