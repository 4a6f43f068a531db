"""Importing 10,000 JSON Lines articles into a new site; the goal (issue 3) is under 10 s.

    .venv/bin/python bench/import_speed.py [--n 10000] [--seed 1] [--goal 10]

The articles come from bench/generate.py, the build benchmark's generator (400-900 words
each). Every 20th loses its date, so the date inference runs against every dated version.
Timed: one import into an empty temporary site (the goal), then the same import again, when
every article is already there and nothing is written. Exits 1 when the goal is missed.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402

from digest.importer import Action, run_import  # noqa: E402


def write_batch(path: Path, n: int, seed: int) -> int:
    """Write ``n`` articles as JSON Lines; returns how many were left undated."""
    undated = 0
    with path.open("w", encoding="utf-8", newline="\n") as out:
        for number, item in enumerate(generate.iter_articles(n, seed)):
            line = json.loads(generate.jsonl_line(item))
            if number % 20 == 19:
                del line["date"]
                undated += 1
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
    return undated


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=10_000, help="articles (default 10000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--goal", type=float, default=10.0, help="seconds (default 10)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="digest-import-bench-") as temp:
        root = Path(temp)
        batch = root / "batch.jsonl"
        undated = write_batch(batch, args.n, args.seed)
        site = root / "site"
        site.mkdir()
        (site / "site.toml").write_text('title = "Import benchmark"\n', encoding="utf-8")
        calls = 0

        def progress(done: int, total: int) -> None:
            nonlocal calls
            calls += 1

        start, cpu = time.perf_counter(), time.process_time()
        report = run_import(site, [batch], source=None, date=None, progress=progress)
        cold, cold_cpu = time.perf_counter() - start, time.process_time() - cpu
        start, cpu = time.perf_counter(), time.process_time()
        again = run_import(site, [batch], source=None, date=None)
        warm, warm_cpu = time.perf_counter() - start, time.process_time() - cpu
    unchanged = sum(1 for item in again.items if item.action is Action.UNCHANGED)
    print(
        f"import of {args.n} JSON Lines articles ({undated} undated): {cold:.2f} s "
        f"(CPU {cold_cpu:.2f} s; goal < {args.goal:.0f} s); created {len(report.created)}, "
        f"dated by inference {undated - len(report.needs_date)}, "
        f"needing a date {len(report.needs_date)}, skipped {len(report.skipped)}, "
        f"progress calls {calls}"
    )
    print(
        f"same import again: {warm:.2f} s (CPU {warm_cpu:.2f} s), unchanged {unchanged}, "
        f"created {len(again.created)}"
    )
    ok = cold < args.goal and len(report.created) == args.n and not again.created
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
