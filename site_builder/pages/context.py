"""What every renderer works with: the catalog, the site, the templates and assets, the
editorial content, and digests of the things that change every page at once (settings,
tables, static files).

Built once per build in the main process; parallel render workers inherit it when
they are forked, so nothing of it is pickled.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import jinja2

from site_builder import urls
from site_builder.catalog import Catalog, Entry
from site_builder.editorial.annotations import Annotation
from site_builder.editorial.mentions import MentionIndex
from site_builder.ids import canonical_id, is_safe_id
from site_builder.markdown import Links
from site_builder.pages.job import code_digest, fingerprint
from site_builder.render.assets import Assets
from site_builder.render.environment import make_environment, template_digest
from site_builder.site import Site
from site_builder.stages.prepared_store import Location, PreparedStore


@dataclass
class RenderContext:
    """The shared state of one build's rendering."""

    site: Site
    catalog: Catalog
    assets: Assets
    environment: jinja2.Environment
    settings: str  # digest of the site settings and the tables (planning adds the static files)
    annotations: dict[str, Annotation] = field(default_factory=dict)  # by canonical ID
    mentions: MentionIndex = field(default_factory=MentionIndex)
    store: PreparedStore | None = None  # where the parse stage left each page's own part
    prepared: dict[str, Location] = field(default_factory=dict)  # by source file
    _templates: dict[str, str] = field(default_factory=dict)
    memo: dict[str, object] = field(default_factory=dict)  # derived data renderers share

    def template(self, name: str) -> str:
        """The digest of a template with all it pulls in (computed once per build)."""
        if name not in self._templates:
            self._templates[name] = template_digest(self.environment, name)
        return self._templates[name]

    def render(self, name: str, **values: object) -> bytes:
        """Render a template to the bytes of a file."""
        return self.environment.get_template(name).render(**values).encode("utf-8")

    def annotation(self, entry: Entry) -> Annotation | None:
        """The notes on a cable, if it has any."""
        return self.annotations.get(entry.canonical_id)

    @property
    def links(self) -> Links:
        """How Markdown's own links resolve: IDs to cables, slugs to people."""
        return Links(cable=self.cable_url, person=self.person_url)

    def cable_url(self, value: str) -> str | None:
        """The site URL of a cable named by a reference ID, if the archive holds it."""
        if not is_safe_id(value):
            return None
        entry = self.catalog.resolve(canonical_id(value, self.catalog.tables))
        return self.site.url(entry.url) if entry else None

    def person_url(self, slug: str) -> str | None:
        """The site URL of a person's page, if there is one."""
        return self.site.url(urls.person(slug)) if slug in self.catalog.people else None


def make_context(
    site: Site,
    catalog: Catalog,
    assets: Assets,
    tables_digest: str,
    annotations: dict[str, Annotation],
    mentions: MentionIndex,
    store: PreparedStore | None = None,
    prepared: dict[str, Location] | None = None,
) -> RenderContext:
    """The render context of a build (annotations keyed again by canonical ID)."""
    settings = fingerprint(
        site.base_url, site.title, site.description, tables_digest, code_digest()
    )
    keyed = {canonical_id(ref, catalog.tables): note for ref, note in annotations.items()}
    environment = make_environment(site, assets)
    environment.tests["annotated"] = lambda entry: entry.canonical_id in catalog.annotated
    return RenderContext(
        site, catalog, assets, environment, settings, keyed, mentions, store, prepared or {}
    )
