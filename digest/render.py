"""Rendering pages with Jinja: autoescape on, undefined names are errors.

A site's ``templates/`` folder overrides the built-in theme file by file; its ``static/``
files are copied beside the theme's.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from digest import urls
from digest.codekey import code_key
from digest.compare import Comparison, annotate_body
from digest.compare.columns import side_by_side
from digest.comparisons import LazyComparison
from digest.config import SiteConfig
from digest.errors import DigestError, Problem, ProblemsError
from digest.pages import Page
from digest.slugs import slugify

THEME = Path(__file__).parent / "theme"
TEMPLATES_DIR = "templates"


class TemplateProblem(DigestError):
    """A template failed to render; carries its file and line."""


def _link(context: Context, to: str) -> str:
    """A relative link, or an absolute one on pages served at any depth (404.html)."""
    if context.get("absolute_links"):
        base = context["site"].base_url
        return urls.absolute(base, to) if base else "/" + to
    return str(context["root"]) + urls.output_file(to)


def _side_by_side(context: Context, comparison: Comparison, langs: dict[str, str]) -> Markup:
    """The story's versions in columns (see digest.compare.columns)."""
    return side_by_side(comparison, langs, context["site"].language, lambda to: _link(context, to))


def _human_date(value: dt.date | dt.datetime) -> str:
    if isinstance(value, dt.datetime):
        return f"{value.day} {value:%B %Y, %H:%M} UTC{value:%z}"
    return f"{value.day} {value:%B %Y}"


def environment(site: Path, config: SiteConfig) -> jinja2.Environment:
    """The Jinja environment of one build: site templates first, then the theme."""
    loader = jinja2.ChoiceLoader(
        [
            jinja2.FileSystemLoader(str(site / TEMPLATES_DIR)),
            jinja2.FileSystemLoader(str(THEME)),
        ]
    )
    env = jinja2.Environment(
        loader=loader,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.globals.update(
        annotate_body=annotate_body,
        link=pass_context(_link),
        side_by_side=pass_context(_side_by_side),
        urls=urls,
        site=config,
    )
    env.filters["human_date"] = _human_date
    env.filters["iso"] = lambda d: d.isoformat()
    env.filters["slugify"] = slugify
    return env


def _template_problem(error: Exception, page: Page) -> Problem:
    """Name the template file and line from the traceback Jinja rewrote."""
    tb = error.__traceback__
    where, line = f"template {page.template}", None
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".html") or filename.endswith(".xml"):
            where, line = filename, tb.tb_lineno
        tb = tb.tb_next
    if isinstance(error, jinja2.TemplateSyntaxError):
        where, line = error.filename or where, error.lineno
    return Problem(
        where,
        line,
        f"while rendering {page.path or 'the home page'}: {type(error).__name__}: {error}",
        "fix the template",
    )


def render_page(env: jinja2.Environment, page: Page) -> bytes:
    """One page's bytes, or TemplateProblem naming the template and line."""
    context: dict[str, Any] = {
        "page_path": page.path,
        "root": urls.root_of(page.path),
        **page.context,
    }
    for name, value in page.context.items():
        if isinstance(value, LazyComparison):  # loaded once, not looked up through a proxy
            context[name] = value.get()
    try:
        html = env.get_template(page.template).render(context)
    except Exception as error:  # a template may raise anything; we name it and stop
        raise ProblemsError([_template_problem(error, page)]) from error
    return html.encode("utf-8")


def render_pages(env: jinja2.Environment, pages: Iterator[Page]) -> Iterator[tuple[str, bytes]]:
    for page in pages:
        yield urls.output_file(page.path), render_page(env, page)


def template_files(site: Path) -> list[tuple[str, Path]]:
    """(label, path) of every file of the theme and of the site's templates, stably ordered."""
    files: list[tuple[str, Path]] = []
    for label, root in (("theme", THEME), ("site", site / TEMPLATES_DIR)):
        files += [(f"{label}/{rel}", path) for rel, path in _files(root)]
    return files


def _files(root: Path) -> list[tuple[str, Path]]:
    """(path relative to ``root``, path) of every file below it, sorted; none if it is absent."""
    if not root.is_dir():
        return []
    return [(p.relative_to(root).as_posix(), p) for p in sorted(root.rglob("*")) if p.is_file()]


def render_key(site: Path, config: SiteConfig) -> str:
    """What every page depends on: digest's code, the settings and every template."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"{code_key()}\0{config!r}\0".encode())
    for label, path in template_files(site):
        digest.update(label.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def static_files(site: Path) -> Iterator[tuple[str, bytes]]:
    """The theme's static files, then the site's (a site file replaces the theme's)."""
    found: dict[str, Path] = {}
    for root in (THEME / "static", site / TEMPLATES_DIR / "static"):
        found.update((rel, path) for rel, path in _files(root) if not path.name.startswith("."))
    for rel, path in sorted(found.items()):
        yield f"static/{rel}", path.read_bytes()
