"""Cable pages: planned from the catalog, rendered by re-reading and parsing the file.

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
from site_builder.source import decode, normalise, split_front_matter, strip_link_residue

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
            [catalog.listing(e) for e in catalog.cited_by.get(entry.canonical_id, [])],
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


def original_text(data: bytes) -> str:
    """The telegram as stored, minus the web pages' link residue and any front matter."""
    text = normalise(decode(data).text).text
    _, text = split_front_matter(text)
    return strip_link_residue(text).strip("\n") + "\n"


def render_cable(context: RenderContext, key: tuple[object, ...]) -> bytes:
    """Read, parse and render one cable's page."""
    canonical = key[0]
    assert isinstance(canonical, str)
    entry = context.catalog.by_id[canonical]
    data = Path(entry.source).read_bytes()
    cable = parse_bytes(data, entry.source, context.catalog.tables)
    view = cable_view(
        cable,
        entry,
        context.catalog,
        original_text(data),
        annotation=context.annotation(entry),
        people=context.mentions,
        links=context.links,
        url=context.site.url,
    )
    return context.render(TEMPLATE, view=view)
