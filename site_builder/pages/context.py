"""What every renderer works with: the catalog, the site, the templates and assets, and
digests of the things that change every page at once (settings, tables, static files).

Built once per build in the main process; parallel render workers inherit it when
they are forked, so nothing of it is pickled.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import jinja2

from site_builder.catalog import Catalog
from site_builder.pages.job import fingerprint
from site_builder.render.assets import Assets
from site_builder.render.environment import make_environment, template_digest
from site_builder.site import Site


@dataclass
class RenderContext:
    """The shared state of one build's rendering."""

    site: Site
    catalog: Catalog
    assets: Assets
    environment: jinja2.Environment
    settings: str  # digest of the site settings, the tables and the static files
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


def make_context(site: Site, catalog: Catalog, assets: Assets, tables_digest: str) -> RenderContext:
    """The render context of a build."""
    settings = fingerprint(
        site.base_url, site.title, site.description, tables_digest, assets.digest
    )
    return RenderContext(site, catalog, assets, make_environment(site, assets), settings)
