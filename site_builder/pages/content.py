"""Plain pages written in Markdown: `content/pages/<name>.md` becomes `/<name>/`.

Front matter gives the `title`; a page without one takes its name. A name that is not
a plain slug (or that would shadow a page of the site) is reported and skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from site_builder import urls
from site_builder.markdown import render_markdown
from site_builder.model import Problem, Severity
from site_builder.pages.context import RenderContext
from site_builder.pages.job import PageJob, fingerprint
from site_builder.source import decode, normalise, split_front_matter
from site_builder.source_names import markdown_files

TEMPLATE = "page.html"
_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
_RESERVED = {
    "cable",
    "tag",
    "tags",
    "country",
    "countries",
    "origin",
    "person",
    "people",
    "glossary",
    "date",
    "classification",
    "search",
    "static",
    "pagefind",
}


@dataclass(frozen=True)
class ContentPage:
    name: str
    source: str
    title: str
    body: str


def read_pages(content: Path, display: str) -> tuple[list[ContentPage], list[Problem]]:
    """Every `content/pages/*.md`, with the problems met reading them."""
    folder = content / "pages"
    pages: list[ContentPage] = []
    problems: list[Problem] = []
    for path in markdown_files(folder):
        source = f"{display}/pages/{path.name}"
        if not _NAME.fullmatch(path.stem) or path.stem in _RESERVED:
            problems.append(
                Problem(
                    source,
                    1,
                    Severity.WARNING,
                    f"page name {path.stem!r} is not usable as /{path.stem}/: skipped",
                )
            )
            continue
        text = normalise(decode(path.read_bytes()).text).text
        front, body = split_front_matter(text)
        if front is not None and front.error:
            message = f"{front.error}: the title is the file's name"
            problems.append(Problem(source, 1, Severity.WARNING, message))
        title = front.values.get("title") if front else None
        pages.append(
            ContentPage(path.stem, source, str(title or path.stem.replace("-", " ").title()), body)
        )
    return pages, problems


def plan_content(context: RenderContext, pages: list[ContentPage]) -> Iterator[PageJob]:
    template = context.template(TEMPLATE)
    for page in pages:
        digest = fingerprint(template, context.settings, page.title, page.body)
        yield PageJob(
            urls.file_of(urls.page(page.name)),
            "page",
            (page.name,),
            digest,
            (page.source, TEMPLATE),
        )


def render_content(context: RenderContext, page: ContentPage) -> bytes:
    return context.render(TEMPLATE, page=page, html=render_markdown(page.body))
