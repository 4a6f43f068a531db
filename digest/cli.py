"""The command line: a thin layer that parses arguments, calls the library and prints.

Only this module prints and picks exit codes: 0 success, 1 invalid input, 2 usage.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from digest import __version__
from digest.build import build, load_model, site_config
from digest.check import check_output, check_site
from digest.errors import DigestError, Problem, ProblemsError
from digest.grouping.explain import pin_story_keys, stories_data, stories_text
from digest.importer import Action, run_import
from digest.scaffold import init_site
from digest.serve.cli import serve_main


def _site_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--site",
        type=Path,
        default=Path("."),
        help="the site's folder, holding site.toml (default: .)",
    )


def _warn(problems: Sequence[Problem]) -> None:
    for problem in problems:
        print(f"warning: {problem}", file=sys.stderr)


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected YYYY-MM-DD, got {text!r}") from None


def cmd_import(args: argparse.Namespace) -> int:
    def progress(done: int, total: int) -> None:
        if total >= 1000 and (done % 500 == 0 or done == total):
            end = "\n" if done == total else ""
            print(f"\rimporting {done}/{total}", end=end, file=sys.stderr, flush=True)

    report = run_import(
        args.site, args.paths, source=args.source, date=args.date, progress=progress
    )
    _warn(report.warnings)
    for item in report.items:
        if item.action is Action.SKIPPED:
            print(f"skipped: {item.problem}", file=sys.stderr)
        else:
            note = " (draft: needs a date)" if item.needs_date else ""
            print(f"{item.action.value}: {item.path}{note}")
    print(
        f"{len(report.created)} created, {len(report.unchanged)} unchanged, "
        f"{len(report.kept)} kept because edited, {len(report.skipped)} skipped, "
        f"{len(report.needs_date)} need a date"
    )
    return 1 if report.skipped else 0


def cmd_stories(args: argparse.Namespace) -> int:
    model = load_model(args.site)
    if args.pin:
        changed = pin_story_keys(args.site, model)
        for path in changed:
            print(f"pinned: {path}")
        print(f"{_count(len(changed), 'file', 'files')} pinned")
    elif args.json:
        print(json.dumps(stories_data(model), indent=1, ensure_ascii=False))
    else:
        print(stories_text(model), end="")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    return serve_main(args.site, args.host, args.port)


def cmd_init(args: argparse.Namespace) -> int:
    init_site(args.dir)
    print(
        f"made a new site in {args.dir}: add articles to {args.dir / 'content'} "
        f"(digest import FILE --site {args.dir}), then digest build --site {args.dir}"
    )
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    result = build(
        args.site, args.output, base_url=args.base_url, drafts=args.drafts, jobs=args.jobs
    )
    _warn(result.warnings)
    report = result.report
    output = args.output or args.site / "public"
    print(
        f"built {_count(result.stories, 'story', 'stories')}, "
        f"{_count(result.articles, 'article', 'articles')} into {output}: "
        f"{len(report.written)} written, {report.unchanged} unchanged, "
        f"{len(report.removed)} removed"
    )
    if args.timings:
        print(result.timings.report())
    if args.strict:
        base = site_config(args.site, args.base_url).base_url
        return _report_check(check_output(output, base))
    return 0


def _report_check(problems: Sequence[Problem]) -> int:
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        count = len(problems)
        print(
            f"error: {count} broken link{'s' if count != 1 else ''} or problem"
            f"{'s' if count != 1 else ''}",
            file=sys.stderr,
        )
        return 1
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    output = args.output or args.site / "public"
    problems = check_site(args.site, output, base_url=args.base_url, drafts=args.drafts)
    code = _report_check(problems)
    if code == 0:
        print(f"checked {output}: every link, anchor and asset resolves")
    return code


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="digest", description="Build a static news digest: stories, versions, comparison."
    )
    top.add_argument("--version", action="version", version=f"digest {__version__}")
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    init = sub.add_parser("init", help="make a new, empty site that builds")
    init.add_argument("dir", type=Path, help="the folder of the new site")
    init.set_defaults(run=cmd_init)

    imp = sub.add_parser("import", help="turn raw articles (.txt, .jsonl, .md) into content/*.md")
    imp.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    _site_arg(imp)
    imp.add_argument("--source", help="the outlet of articles that name none")
    imp.add_argument("--date", type=_day, help="the date of articles that give none (YYYY-MM-DD)")
    imp.set_defaults(run=cmd_import)

    sv = sub.add_parser("serve", help="build, serve, rebuild on every save, reload open tabs")
    _site_arg(sv)
    sv.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    sv.add_argument(
        "--port", type=int, default=8000, help="port (default: 8000; 0 picks a free one)"
    )
    sv.set_defaults(run=cmd_serve)

    st = sub.add_parser("stories", help="list stories, their versions and why they were grouped")
    _site_arg(st)
    st.add_argument("--json", action="store_true", help="print them as JSON")
    st.add_argument(
        "--pin", action="store_true", help="write each grouped story's id into its articles"
    )
    st.set_defaults(run=cmd_stories)

    b = sub.add_parser("build", help="build the site into public/")
    _site_arg(b)
    b.add_argument("--output", type=Path, help="write the site here instead of SITE/public")
    b.add_argument("--base-url", help="the URL the site is published at (overrides site.toml)")
    b.add_argument("--drafts", action="store_true", help="include articles marked draft")
    b.add_argument("--timings", action="store_true", help="print the time of each stage")
    b.add_argument("--strict", action="store_true", help="then check every link (digest check)")
    b.add_argument("--jobs", type=int, help="processes to use (default: every core)")
    b.set_defaults(run=cmd_build)

    c = sub.add_parser("check", help="validate the content and every link of the built site")
    _site_arg(c)
    c.add_argument("--output", type=Path, help="the built site (default: SITE/public)")
    c.add_argument("--base-url", help="the URL the site was built for (default: site.toml's)")
    c.add_argument("--drafts", action="store_true", help="the build included drafts")
    c.set_defaults(run=cmd_check)
    return top


GC_YOUNG = 10_000
"""Allocations between two collections of young objects (Python's default is 700). A build
keeps millions of objects to its end, and each full collection walks them all; collecting
the young less often makes the full collections rarer too."""


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    before = gc.get_threshold()
    gc.set_threshold(GC_YOUNG, *before[1:])
    try:
        code: int = args.run(args)
    except ProblemsError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        count = len(error.problems)
        print(
            f"error: {count} problem{'s' if count != 1 else ''}; nothing was written",
            file=sys.stderr,
        )
        return 1
    except DigestError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `digest stories | head`: the reader has seen enough
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    finally:
        gc.set_threshold(*before)
    return code


if __name__ == "__main__":
    sys.exit(main())
