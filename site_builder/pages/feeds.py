"""Files for machines: the Atom feed (newest 50 cables), the sitemap (an index of
sitemaps past 50,000 URLs, as the protocol requires) and robots.txt."""

from __future__ import annotations

from collections.abc import Iterator

from site_builder.catalog import Entry, newest_first
from site_builder.pages.context import RenderContext
from site_builder.pages.job import PageJob, fingerprint

FEED_SIZE = 50
SITEMAP_LIMIT = 50_000


def sitemap_paths(context: RenderContext, pages: list[PageJob]) -> list[str]:
    """The site paths of every HTML page but the 404 page, in file order."""
    paths = []
    for job in pages:
        if job.file.endswith(".html") and job.file != "404.html":
            path = "/" + job.file
            paths.append(path[: -len("index.html")] if path.endswith("/index.html") else path)
    return sorted(paths)


def feed_entries(context: RenderContext) -> list[Entry]:
    """The annotated cables (their notes are the archive's news), then the newest cables
    to make 50 in all; newest first."""
    catalog = context.catalog
    annotated = [e for e in catalog.entries if e.canonical_id in catalog.annotated][:FEED_SIZE]
    others = (e for e in catalog.entries if e.canonical_id not in catalog.annotated)
    rest = [entry for entry, _ in zip(others, range(FEED_SIZE - len(annotated)), strict=False)]
    return newest_first([*annotated, *rest])


def plan_feeds(context: RenderContext, pages: list[PageJob]) -> Iterator[PageJob]:
    """The feed, the sitemap (or its index and parts) and robots.txt."""
    shown = context.catalog.listings(feed_entries(context))
    feed = fingerprint(context.template("feed.xml"), context.settings, shown)
    yield PageJob("feed.xml", "feed", (), feed, ("index:feed", "feed.xml"))
    paths = sitemap_paths(context, pages)
    parts = [paths[i : i + SITEMAP_LIMIT] for i in range(0, len(paths), SITEMAP_LIMIT)] or [[]]
    template = context.template("sitemap.xml")
    if len(parts) == 1:
        digest = fingerprint(template, context.settings, parts[0])
        yield PageJob("sitemap.xml", "sitemap", (0,), digest, ("index:sitemap", "sitemap.xml"))
    else:
        index = fingerprint(template, context.settings, len(parts))
        yield PageJob("sitemap.xml", "sitemap-index", (len(parts),), index, ("index:sitemap",))
        for number, part in enumerate(parts, 1):
            digest = fingerprint(template, context.settings, part)
            yield PageJob(f"sitemap-{number}.xml", "sitemap", (number,), digest, ("index:sitemap",))
    robots = fingerprint(context.template("robots.txt"), context.settings)
    yield PageJob("robots.txt", "robots", (), robots, ("robots.txt",))


def render_feed(context: RenderContext, key: tuple[object, ...]) -> bytes:
    entries = feed_entries(context)
    updated = max((e.date for e in entries if e.date is not None), default=None)
    return context.render("feed.xml", entries=entries, updated=updated)


def render_sitemap(context: RenderContext, key: tuple[object, ...], paths: list[str]) -> bytes:
    number = int(str(key[0]))
    part = paths if number == 0 else paths[(number - 1) * SITEMAP_LIMIT : number * SITEMAP_LIMIT]
    return context.render("sitemap.xml", paths=part, parts=0)


def render_sitemap_index(context: RenderContext, key: tuple[object, ...]) -> bytes:
    return context.render("sitemap.xml", paths=[], parts=int(str(key[0])))


def render_robots(context: RenderContext, key: tuple[object, ...]) -> bytes:
    return context.render("robots.txt")
