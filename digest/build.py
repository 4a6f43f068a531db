"""The build, as a recipe: load -> derive (validate, group) -> render -> write.

Everything is read and validated before anything is written; rendered pages are staged as
temporary files and moved into place only when every page rendered.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from digest import urls
from digest.config import SiteConfig, load_config
from digest.derive import check_identities, derive
from digest.errors import Problem, ProblemsError
from digest.exports import publishing_files
from digest.load import load_content
from digest.model import SiteModel
from digest.output import Staging, WriteReport
from digest.pages import Page, plan
from digest.render import environment, render_page, static_files
from digest.timing import Timings

OUTPUT_DIR = "public"


@dataclass(frozen=True, slots=True)
class BuildResult:
    """What a successful build made."""

    model: SiteModel
    """The site model it rendered."""
    report: WriteReport
    """Files written, unchanged and removed."""
    warnings: tuple[Problem, ...]
    """Things the editor should know that did not stop the build."""
    timings: Timings
    """Seconds per stage."""


def site_config(site: Path, base_url: str | None) -> SiteConfig:
    """site.toml, with --base-url overriding it."""
    config = load_config(site)
    if base_url is not None:
        try:
            config = config.with_base_url(base_url)
        except ValueError as error:
            raise ProblemsError([Problem("--base-url", None, str(error))]) from None
    return config


def not_found_page() -> Page:
    """404.html: GitHub Pages serves it at any depth, so its links are absolute."""
    return Page("404.html", "404.html", {"absolute_links": True})


def build(
    site: Path,
    output: Path | None = None,
    *,
    base_url: str | None = None,
    drafts: bool = False,
) -> BuildResult:
    """Build ``site`` into ``output`` (default ``site/public``); raises ProblemsError."""
    timings = Timings()
    output = output or site / OUTPUT_DIR
    with timings.stage("load"):
        config = site_config(site, base_url)
        loaded = load_content(site)
        problems = [*loaded.problems, *check_identities(loaded.records)]
    if problems:
        raise ProblemsError(problems)
    with timings.stage("derive"):
        model = derive(loaded.records, config, drafts=drafts)
    warnings = list(loaded.warnings)
    if not config.base_url:
        warnings.append(
            Problem(
                "site.toml",
                None,
                "no base_url: feed.xml and sitemap.xml are left out",
                "set base_url in site.toml or pass --base-url",
            )
        )
    with timings.stage("render"):
        env = environment(site, config)
        staging = Staging(output)
        try:
            pages = [*plan(model), not_found_page()]
            for page in pages:
                staging.add(urls.output_file(page.path), render_page(env, page))
            staging.add_all(static_files(site))
            staging.add_all(publishing_files(model, [p.path for p in pages[:-1]]))
        except BaseException:
            staging.abort()
            raise
    with timings.stage("write"):
        report = staging.commit()
    return BuildResult(model, report, tuple(warnings), timings)
