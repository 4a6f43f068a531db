"""How long comparing a story takes: 8 versions of about 800 words each (goal: under 50 ms).

The versions are made from the two seed articles (tests/data/compare/seed-*.md): each takes
paragraphs of both in its own order, some reworded, until it has 800 words, so versions
share much, more than real versions do (the worst case for alignment). Run:
``python bench/compare_speed.py``; exits 1 when the median CPU time is over the goal. CPU
time (``time.process_time``) is the measure because a busy machine inflates wall-clock time;
both are printed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from digest.compare import annotate_body, compare_story, comparison_text  # noqa: E402
from digest.config import SiteConfig  # noqa: E402
from digest.derive import render_record, to_article  # noqa: E402
from digest.model import Article  # noqa: E402
from digest.records import ArticleRecord  # noqa: E402

GOAL_MS = 50.0
WORDS = 800
VERSIONS = 8
REWORD = {
    "said": "stated",
    "Tuesday": "on Tuesday",
    "security": "safe",
    "forces": "troops",
    "fighting": "clashes",
    "warning": "warns",
    "government": "regime",
}
OUTLETS = ["AFP", "Anadolu Agency", "Reuters", "AP", "TASS", "Al Jazeera", "DPA", "EFE"]


def _paragraphs() -> list[str]:
    found = []
    for name in ("seed-afp.md", "seed-aa.md"):
        text = (ROOT / "tests" / "data" / "compare" / name).read_text(encoding="utf-8")
        body = text.split("---\n", 2)[2]
        found += [p.strip() for p in body.split("\n\n") if p.strip() and not p.startswith("#")]
    return found


def make_versions(count: int = VERSIONS, words: int = WORDS) -> list[Article]:
    """``count`` articles of about ``words`` words, sharing paragraphs in varying wording."""
    pool = _paragraphs()
    versions = []
    for index in range(count):
        rng = random.Random(index)
        order = rng.sample(pool, len(pool))
        chosen: list[str] = []
        total = 0
        while total < words:
            paragraph = order[len(chosen) % len(order)]
            if rng.random() < 0.4:
                paragraph = " ".join(REWORD.get(w, w) for w in paragraph.split())
            chosen.append(paragraph)
            total += len(paragraph.split())
        body = "\n\n".join(chosen) + "\n"
        record = ArticleRecord(
            path=f"content/v{index}.md",
            id=f"version-{index}",
            title=f"Version {index}",
            date=dt.datetime(2019, 8, 27, 8 + index, tzinfo=dt.UTC),
            source=OUTLETS[index % len(OUTLETS)],
            url=None,
            dateline=None,
            lang=None,
            story=None,
            places=(),
            people=(),
            tags=(),
            summary=None,
            draft=False,
            provenance=(),
            body=body,
            body_line=1,
            fingerprint=hashlib.sha256(body.encode()).hexdigest(),
        )
        versions.append(to_article(record, SiteConfig(), render_record))
    return versions


def _time(run: Callable[[], object], repeat: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds of each run: CPU time ignores other work on the box."""
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        run()
        cpu.append((time.process_time() - start_cpu) * 1000)
        wall.append((time.perf_counter() - start) * 1000)
    return wall, cpu


def _line(label: str, times: tuple[list[float], list[float]]) -> str:
    wall, cpu = times
    return (
        f"{label:<22} CPU median {statistics.median(cpu):6.1f} ms · "
        f"wall median {statistics.median(wall):6.1f} ms, min {min(wall):6.1f} ms"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    versions = make_versions()
    counted = [len(" ".join(a.paragraphs).split()) for a in versions]
    comparison = compare_story(versions)
    sentences = sum(len(v.sentences) for v in comparison.versions)
    linked = sum(1 for v in comparison.versions for s in v.sentences if s.links)
    compare_ms = _time(lambda: compare_story(versions), args.repeat)
    json_ms = _time(lambda: comparison_text(comparison), args.repeat)
    annotate_ms = _time(lambda: [annotate_body(a, comparison) for a in versions], args.repeat)
    print(
        f"{len(versions)} versions, {min(counted)}-{max(counted)} words each, "
        f"{sentences} sentences ({linked} shared), {len(comparison.quotes)} quotes, "
        f"{len(comparison.figures)} figures"
    )
    print(_line("compare_story", compare_ms))
    print(_line("compare.json", json_ms))
    print(_line(f"annotate_body x{len(versions)}", annotate_ms))
    median = statistics.median(compare_ms[1])
    verdict = "ok" if median < GOAL_MS else "OVER"
    print(f"goal: compare_story under {GOAL_MS:.0f} ms of CPU (median) -> {verdict}")
    return 0 if median < GOAL_MS else 1


if __name__ == "__main__":
    sys.exit(main())
