"""The build, as a recipe: load -> derive (validate, group) -> render -> write.

Everything is read and validated before anything is written; rendered pages are staged as
temporary files and moved into place only when every page rendered.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment

from digest import urls
from digest.config import SiteConfig, load_config
from digest.derive import check_identities, derive
from digest.errors import Problem, ProblemsError
from digest.exports import publishing_files
from digest.ingest import ingest
from digest.model import SiteModel
from digest.output import FileStager, Staged, Staging, WriteReport
from digest.pages import Page, plan
from digest.parallel import default_jobs, map_chunks
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
    jobs: int | None = None,
) -> BuildResult:
    """Build ``site`` into ``output`` (default ``site/public``); raises ProblemsError."""
    timings = Timings()
    output = output or site / OUTPUT_DIR
    jobs = jobs or default_jobs()
    with timings.stage("load"):
        config = site_config(site, base_url)
        ingested = ingest(site, jobs)
        problems = [*ingested.problems, *check_identities(ingested.records)]
    if problems:
        raise ProblemsError(problems)
    with timings.stage("derive"):
        model = derive(
            ingested.records, config, drafts=drafts, render=lambda r: ingested.bodies[r.fingerprint]
        )
    warnings = list(ingested.warnings)
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
        staging = Staging(output)
        try:
            pages = [*plan(model), not_found_page()]
            for staged in render_staged(environment(site, config), pages, staging.stager, jobs):
                staging.adopt(staged)
            staging.add_all(static_files(site))
            staging.add_all(publishing_files(model, [p.path for p in pages[:-1]]))
        except BaseException:
            staging.abort()
            raise
    with timings.stage("write"):
        report = staging.commit()
    return BuildResult(model, report, tuple(warnings), timings)


def render_staged(
    env: Environment, pages: Sequence[Page], stager: FileStager, jobs: int
) -> list[Staged]:
    """Render every page to a staged file, on ``jobs`` processes."""

    def work(start: int, stop: int) -> list[Staged]:
        return [
            stager.stage(urls.output_file(page.path), render_page(env, page))
            for page in pages[start:stop]
        ]

    return map_chunks(work, len(pages), jobs)
