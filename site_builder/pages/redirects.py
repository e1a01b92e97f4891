"""The `_redirects` file: the original site's addresses sent to ours (the rules are made by
`deploy/redirects.py`), under the site's base path, planned like any page so that it is
rewritten only when a rule changes."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from site_builder.deploy.redirects import FILE, old_site_rules, under, write_rules
from site_builder.pages.context import RenderContext
from site_builder.pages.job import PageJob, fingerprint


def plan_redirects(context: RenderContext, pages: list[PageJob]) -> Iterator[PageJob]:
    """`_redirects`, from the planned list pages (each rule leads to one of them)."""
    rules = old_site_rules(pages, context.site.search)
    text = write_rules(under(urlsplit(context.site.base_url).path, rules))
    context.memo["redirects"] = text
    yield PageJob(FILE, "redirects", (), fingerprint(context.settings, text), ("index:redirects",))


def render_redirects(context: RenderContext, key: tuple[object, ...]) -> bytes:
    text = context.memo["redirects"]
    assert isinstance(text, str)
    return text.encode("utf-8")
