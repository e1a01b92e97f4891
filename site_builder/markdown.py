"""Markdown from the content (pages, notes, people), rendered safely.

markdown-it-py with raw HTML off, and links limited to http, https, mailto and
relative URLs: anything else (`javascript:`, `data:`, `vbscript:`) is not a link. Two
links of our own are understood: `[text](person:slug)` to a person's page, and a bare
reference ID (`07STATE116186`) to its cable, when the archive has it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markupsafe import Markup

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_ALLOWED = {"http", "https", "mailto"}
_OURS = ("person:",)
_CABLE_ID = re.compile(r"(?<![\w/])(\d{2}[A-Z]{2,20}\d{1,7})(?![\w/])")


def allowed_link(url: str) -> bool:
    """True for http(s), mailto and relative links; false for every other scheme."""
    cleaned = re.sub(r"[\x00-\x20\x7f]", "", url)
    scheme = _SCHEME.match(cleaned)
    return scheme is None or scheme.group(1).lower() in _ALLOWED


@dataclass(frozen=True)
class Links:
    """How our own links resolve: an ID to its cable's URL, a slug to its person's URL."""

    cable: Callable[[str], str | None]
    person: Callable[[str], str | None]


def _headings_down(state: StateCore) -> None:
    """`#` becomes `<h2>`: a page's one `<h1>` is its title, never the Markdown's."""
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + 1, 6)}"


def _validate(url: str) -> bool:
    return allowed_link(url) or url.startswith(_OURS)


def _our_links(state: StateCore) -> None:
    """Resolve `person:` links, and link bare reference IDs, in every inline text."""
    links = state.env.get("links")
    for block in state.tokens:
        if block.type != "inline" or block.children is None:
            continue
        children: list[Token] = []
        open_links: list[bool] = []  # for each open link: is it kept?
        for token in block.children:
            if token.type == "link_open":
                href = str(token.attrGet("href") or "")
                target = href
                if href.startswith("person:"):
                    target = (links.person(href[len("person:") :]) if links else None) or ""
                    token.attrSet("href", target)
                open_links.append(bool(target))
                if target:
                    children.append(token)
            elif token.type == "link_close":
                if open_links.pop():
                    children.append(token)
            elif token.type == "text" and not open_links and links is not None:
                children.extend(_linked_ids(token, links))
            else:
                children.append(token)
        block.children = children


def _linked_ids(token: Token, links: Links) -> list[Token]:
    """A text token cut around the reference IDs the archive holds, each a link."""
    pieces: list[Token] = []
    position = 0
    for match in _CABLE_ID.finditer(token.content):
        url = links.cable(match.group(1))
        if url is None:
            continue
        pieces.append(_text(token.content[position : match.start()]))
        opening = Token("link_open", "a", 1)
        opening.attrSet("href", url)
        pieces.extend([opening, _text(match.group(1)), Token("link_close", "a", -1)])
        position = match.end()
    if not pieces:
        return [token]
    pieces.append(_text(token.content[position:]))
    return [p for p in pieces if p.type != "text" or p.content]


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


@cache
def _renderer() -> MarkdownIt:
    renderer = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    renderer.enable("table")
    renderer.validateLink = _validate  # type: ignore[method-assign]
    renderer.core.ruler.push("our_links", _our_links)
    renderer.core.ruler.push("headings_down", _headings_down)
    return renderer


def render_markdown(text: str, links: Links | None = None) -> Markup:
    """HTML for a Markdown text: escaped by markdown-it itself, raw HTML shown as text."""
    return Markup(_renderer().render(text, {"links": links}))
