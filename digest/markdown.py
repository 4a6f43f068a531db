"""Markdown bodies to safe HTML with markdown-it-py.

Raw HTML is off, and only http, https, mailto and relative links survive: a ``javascript:``
or ``data:`` link is rendered as plain text. Images load only from the site itself (a remote
image becomes a link to it), so a page never loads anything from another host. A body's ``h1``
becomes ``h2`` because the page's own ``h1`` is the headline.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})


def is_safe_link(url: str) -> bool:
    """True for http(s), mailto and scheme-less (relative) links."""
    cleaned = "".join(ch for ch in url if ch > " ").lower()
    try:
        scheme = urlsplit(cleaned).scheme
    except ValueError:
        return False
    if not scheme:
        return not cleaned.startswith("//")
    return scheme in SAFE_SCHEMES


def _is_local(url: str) -> bool:
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return not parts.scheme and not parts.netloc


def _image(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    src = str(token.attrGet("src") or "")
    alt = self.renderInlineAsText(token.children or [], options, env)
    if _is_local(src):
        token.attrSet("alt", alt)
        return self.renderToken(tokens, idx, options, env)
    escaped = src.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    label = (alt or src).replace("&", "&amp;").replace("<", "&lt;")
    return f'<a class="remote-image" href="{escaped}">{label}</a>'


def _shifted(tag: str) -> str:
    """The page's h1 is the headline, so a body's h1 and h2 both become h2."""
    return f"h{max(int(tag[1]), 2)}"


def _heading_open(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    token.tag = _shifted(token.tag)
    return self.renderToken(tokens, idx, options, env)


def _heading_close(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    token.tag = _shifted(token.tag)
    return self.renderToken(tokens, idx, options, env)


def make_parser() -> MarkdownIt:
    """CommonMark with raw HTML off and our link and image rules."""
    md = MarkdownIt("commonmark", {"html": False})
    md.validateLink = is_safe_link  # type: ignore[method-assign]
    md.add_render_rule("image", _image)
    md.add_render_rule("heading_open", _heading_open)
    md.add_render_rule("heading_close", _heading_close)
    return md


_PARSER = make_parser()


@dataclass(frozen=True, slots=True)
class RenderedBody:
    """A body rendered once, with the plain text the rest of the pipeline needs."""

    html: str
    """Safe HTML of the body."""
    paragraphs: tuple[str, ...]
    """Plain text of each paragraph and heading, in order (for leads, search, grouping)."""


def _inline_text(token: Token) -> str:
    parts: list[str] = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append("".join(c.content for c in child.children or []))
    return "".join(parts).strip()


def render_body(body: str) -> RenderedBody:
    """Render Markdown and collect its paragraphs' text in one parse."""
    env: dict[str, Any] = {}
    tokens = _PARSER.parse(body, env)
    paragraphs = tuple(
        text for token in tokens if token.type == "inline" and (text := _inline_text(token))
    )
    html = _PARSER.renderer.render(tokens, _PARSER.options, env)
    return RenderedBody(html=html, paragraphs=paragraphs)
