"""Markdown from the content (pages, later notes and people), rendered safely.

markdown-it-py with raw HTML off, and links limited to http, https, mailto and
relative URLs: anything else (`javascript:`, `data:`, `vbscript:`) is not a link.
"""

from __future__ import annotations

import re
from functools import cache

from markdown_it import MarkdownIt
from markupsafe import Markup

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_ALLOWED = {"http", "https", "mailto"}


def allowed_link(url: str) -> bool:
    """True for http(s), mailto and relative links; false for every other scheme."""
    cleaned = re.sub(r"[\x00-\x20\x7f]", "", url)
    scheme = _SCHEME.match(cleaned)
    return scheme is None or scheme.group(1).lower() in _ALLOWED


@cache
def _renderer() -> MarkdownIt:
    renderer = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    renderer.enable("table")
    renderer.validateLink = allowed_link  # type: ignore[method-assign]
    return renderer


def render_markdown(text: str) -> Markup:
    """HTML for a Markdown text: escaped by markdown-it itself, raw HTML shown as text."""
    return Markup(_renderer().render(text))
