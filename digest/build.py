"""The build, as a recipe: load -> derive (validate, group) -> compare -> render -> write.

Everything is read and validated before anything is written; rendered pages are staged as
temporary files and moved into place only when every page rendered.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from pathlib import Path

from jinja2 import Environment

from digest import urls
from digest.bodies import forget_loaded
from digest.cache import BuildCache
from digest.comparisons import LazyComparison, compare_all, compare_json_file, stage_compare_json
from digest.config import SiteConfig, load_config
from digest.derive import check_identities, derive, undated_drafts
from digest.errors import Problem, ProblemsError
from digest.exports import publishing_files
from digest.group import GroupMemo
from digest.ingest import Ingested, Memory, Source, ingest, read_source, read_sources
from digest.load import CONTENT_DIR, is_outside
from digest.model import SiteModel
from digest.output import (
    FileStager,
    FileState,
    Manifest,
    Staged,
    Staging,
    manifest_stat,
    read_manifest,
    write_now,
)
from digest.pagekeys import PageKeys
from digest.pages import Page, plan
from digest.parallel import default_jobs, map_chunks
from digest.preview import LastBuild, preview_pages, render_preview
from digest.previous import input_signature, remember_build, unchanged_build
from digest.render import environment, render_key, render_page, static_files
from digest.result import BuildResult
from digest.timing import Timings

OUTPUT_DIR = "public"


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
    return Builder(site, output, base_url=base_url, drafts=drafts, jobs=jobs, once=True).build()


class Builder:
    """Builds one site, again and again if asked (``digest serve`` keeps one).

    Between builds it keeps what it read in memory: a file whose size and modification time
    did not change is not read again, and a file already validated and rendered is not
    looked up in the cache again.
    """

    def __init__(
        self,
        site: Path,
        output: Path | None = None,
        *,
        base_url: str | None = None,
        drafts: bool = False,
        jobs: int | None = None,
        previews: bool = False,
        once: bool = False,
    ) -> None:
        """``previews``: keep each build's model for ``preview`` (``digest serve``); the
        first build then builds even when the output is up to date, to have one. ``once``:
        no build follows, so nothing is kept for one (files, entries, comparisons), and the
        grouping's parts and terms are let go as soon as the stories are found (on a busy
        site of 100,000 articles, hundreds of MB that the render never needs)."""
        self.site = site
        self.output = output or site / OUTPUT_DIR
        self.base_url = base_url
        self.drafts = drafts
        self.jobs = jobs or default_jobs()
        self.memory = Memory()
        self.grouping = GroupMemo()
        """The grouping's parts, kept between builds so an edit regroups only its days."""
        self.previews = previews
        self.once = once
        self.last: LastBuild | None = None
        self._previewed: dict[str, FileState] = {}
        self._manifest: tuple[tuple[int, int, int] | None, Manifest | None] = (None, None)
        self.committing: Callable[[], AbstractContextManager[object]] = contextlib.nullcontext
        """Held while the new files are moved into place (``digest serve`` makes requests
        wait for it)."""

    def build(self) -> BuildResult:
        """One build: load, derive, compare, render, write; raises ProblemsError."""
        site, output, jobs, timings = self.site, self.output, self.jobs, Timings()
        memory = self._kept
        with timings.stage("load"):
            config = site_config(site, self.base_url)
            base_key = render_key(site, config)
            sources, problems = read_sources(site, memory)
            signature = input_signature(base_key, self.drafts, sources)
            manifest = self._read_manifest()
            if manifest is not None and self._previewed:
                manifest = manifest.rewritten(self._previewed)
            unchanged = None
            if not (self.previews and self.last is None):
                unchanged = unchanged_build(site, output, signature, manifest)
            if unchanged is not None:
                return dataclasses.replace(unchanged, timings=timings)
            cache = BuildCache(site)
        with cache:
            with timings.stage("load"):
                ingested = ingest(site, sources, jobs, cache, memory)
                del sources  # the files' bytes: the entries stand for them now
            with timings.stage("derive"):
                model = self._derive(config, ingested, problems)
                if self.once:  # the grouping's parts and terms served this grouping only
                    self.grouping = GroupMemo()
                    ingested.terms.clear()
            with timings.stage("compare"):
                remembered = memory.comparisons if memory is not None else None
                comparisons = compare_all(model, jobs, cache, remembered)
        warnings = [
            *ingested.warnings,
            *undated_drafts(ingested.records),
            *config_warnings(config),
        ]
        with timings.stage("render"):
            staging = Staging(output, manifest)
            try:
                pages = [*plan(model, comparisons), not_found_page()]
                env = environment(site, config)
                pages_and_json = render_staged(env, base_key, pages, staging.stager, jobs)
                for staged in pages_and_json:
                    staging.adopt(staged)
                staging.add_all(static_files(site))
                done = frozenset(staged.key for staged in pages_and_json)
                for staged in stage_compare_json(comparisons, staging.stager, jobs, done):
                    staging.adopt(staged)
                paths = [p.path for p in pages[:-1]]
                staging.add_all(publishing_files(model, paths, ingested.words))
            except BaseException:
                staging.abort()
                raise
        with timings.stage("write"), self.committing():
            report = staging.commit(signature)
        self._manifest = (manifest_stat(output), staging.manifest)
        self._previewed.clear()
        if self.previews:
            self.last = LastBuild(config, env, model, dict(comparisons), self.drafts)
        result = BuildResult(
            model, len(model.stories), len(model.articles), report, tuple(warnings), timings
        )
        remember_build(site, signature, result)
        return result

    @property
    def _kept(self) -> Memory | None:
        """What this Builder keeps for its next build; a one-off build keeps nothing."""
        return None if self.once else self.memory

    def _read_manifest(self) -> Manifest | None:
        """The output's manifest; the one this Builder wrote last if the file is unchanged."""
        stat = manifest_stat(self.output)
        if stat is None or stat != self._manifest[0]:
            self._manifest = (stat, read_manifest(self.output))
        return self._manifest[1]

    def preview(self, paths: Sequence[Path]) -> list[str]:
        """Render and write at once the pages of these edited content files, from the last
        build's model (see digest.preview); the output paths written. The next ``build``
        brings the rest of the site up to date and never trusts these files unseen.
        """
        last = self.last
        if last is None:
            return []
        sources = []
        for path in paths:
            if path.suffix != ".md" or is_outside(path, self.site / CONTENT_DIR):
                continue
            source = read_source(self.site, path)
            if isinstance(source, Source):
                sources.append(source)
        files = render_preview(last, preview_pages(last, sources))
        written = write_now(self.output, files)
        self._previewed.update((staged.key, staged.state) for staged in written)
        return [staged.key for staged in written]

    def model(self) -> SiteModel:
        """The site model alone, as a build derives it (``digest stories``, ``digest check``)."""
        config = site_config(self.site, self.base_url)
        memory = self._kept
        sources, problems = read_sources(self.site, memory)
        with BuildCache(self.site) as cache:
            ingested = ingest(self.site, sources, self.jobs, cache, memory)
        return self._derive(config, ingested, problems)

    def _derive(self, config: SiteConfig, ingested: Ingested, problems: list[Problem]) -> SiteModel:
        """Every problem of every file at once, or the model of the valid content."""
        problems = [*problems, *ingested.problems, *check_identities(ingested.records)]
        if problems:
            raise ProblemsError(problems)
        bodies = ingested.bodies
        return derive(
            ingested.records,
            config,
            drafts=self.drafts,
            render=lambda r: bodies[r.fingerprint],
            checked=True,
            terms=ingested.terms,
            memo=self.grouping,
            jobs=self.jobs,
        )


def load_model(
    site: Path, base_url: str | None = None, *, drafts: bool = False, jobs: int | None = None
) -> SiteModel:
    """The site model as a build derives it (through the cache), or every problem at once."""
    return Builder(site, base_url=base_url, drafts=drafts, jobs=jobs, once=True).model()


def config_warnings(config: SiteConfig) -> list[Problem]:
    if config.base_url:
        return []
    return [
        Problem(
            "site.toml",
            None,
            "no base_url: feed.xml and sitemap.xml are left out",
            "set base_url in site.toml or pass --base-url",
        )
    ]


def render_staged(
    env: Environment, base_key: str, pages: Sequence[Page], stager: FileStager, jobs: int
) -> list[Staged]:
    """Every page as a staged file: unchanged ones as they are, the rest rendered in workers;
    with them the compare.json of each story whose pages were rendered."""
    keys = PageKeys(base_key)
    staged: list[Staged] = []
    todo: list[tuple[str, str, Page]] = []
    for page in pages:
        path = urls.output_file(page.path)
        key = keys.key(page)
        reused = stager.reuse(path, key)
        if reused is None:
            todo.append((path, key, page))
        else:
            staged.append(reused)

    # A story's page and its versions' pages side by side: the worker that renders them
    # loads the story's comparison once, writes its compare.json after the story's last
    # page, and lets it go when it moves on.
    todo.sort(key=lambda item: _comparison_of(item[2]))

    def work(start: int, stop: int) -> list[Staged]:
        done = []
        for n in range(start, stop):
            path, key, page = todo[n]
            done.append(stager.stage(path, render_page(env, page), key))
            forget_loaded()  # a body read back for this page
            lazy = page.context.get("comparison")
            if not isinstance(lazy, LazyComparison):
                continue
            last = n + 1 == len(todo) or todo[n + 1][2].context.get("comparison") is not lazy
            if last and lazy.loaded:
                done.append(compare_json_file(lazy, stager))
            if last or n + 1 == stop:
                lazy.forget()
        return done

    return staged + map_chunks(work, len(todo), jobs)


def _comparison_of(page: Page) -> str:
    """The key of the comparison a page shows, or "" (pages without one come first)."""
    comparison = page.context.get("comparison")
    return comparison.key if isinstance(comparison, LazyComparison) else ""
