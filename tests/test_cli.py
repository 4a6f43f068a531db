"""The build through the real `digest` command: exit codes, messages, what is written."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from tests.conftest import REPO, article, run_digest, tree, write_site

BASIC = REPO / "tests" / "sites" / "basic"


def test_build_prints_summary_and_timings(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = run_digest("build", "--site", str(BASIC), "--output", str(out), "--timings")
    assert done.returncode == 0, done.stderr
    assert "built 3 stories, 5 articles" in done.stdout
    for stage in ("load", "derive", "render", "write", "total"):
        assert f"{stage:>10}  " in done.stdout
    assert "stories/idlib-putin-erdogan/index.html" in tree(out)


def test_invalid_content_exits_1_lists_every_problem_and_writes_nothing(tmp_path: Path) -> None:
    site = write_site(
        tmp_path / "site",
        {
            "content/a.md": "---\ntitle: A\nsource: AFP\n---\nx\n",
            "content/b.md": "---\ntitle: B\ndate: 2019-02-30\nsource: AFP\n---\n",
        },
    )
    done = run_digest("build", "--site", str(site))
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "content/a.md:1: date: missing (hint: add 'date: YYYY-MM-DD' (the day it was published))",
        "content/b.md:3: date: expected YYYY-MM-DD or an ISO datetime, got '2019-02-30' "
        "(hint: write YYYY-MM-DD or 2019-08-27T14:30:00+03:00)",
        "error: 2 problems; nothing was written",
    ]
    assert not (site / "public").exists()


def test_failed_build_leaves_previous_output_untouched(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", {"content/a.md": article("A", "2019-08-27", "AFP")})
    assert run_digest("build", "--site", str(site)).returncode == 0
    before = tree(site / "public")
    (site / "content" / "b.md").write_text("---\ntitle: [\n---\n")
    (site / "content" / "a.md").write_text(article("A changed", "2019-08-27", "AFP"))
    assert run_digest("build", "--site", str(site)).returncode == 1
    assert tree(site / "public") == before


def test_template_error_names_template_and_line_and_keeps_output(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", {"content/a.md": article("A", "2019-08-27", "AFP")})
    assert run_digest("build", "--site", str(site)).returncode == 0
    before = tree(site / "public")
    (site / "templates").mkdir()
    (site / "templates" / "article.html").write_text(
        '{% extends "base.html" %}\n{% block main %}\n{{ article.no_such_field }}\n{% endblock %}\n'
    )
    done = run_digest("build", "--site", str(site))
    assert done.returncode == 1
    first = done.stderr.splitlines()[0]
    assert first.startswith(f"{site / 'templates' / 'article.html'}:3: while rendering articles/a/")
    assert "no_such_field" in first
    assert tree(site / "public") == before
    assert not list((site / "public").rglob("*.digest-tmp"))


def test_rebuild_with_nothing_changed_rewrites_no_file(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", {"content/a.md": article("A", "2019-08-27", "AFP")})
    assert run_digest("build", "--site", str(site)).returncode == 0
    stamps = {p: p.stat().st_mtime_ns for p in (site / "public").rglob("*") if p.is_file()}
    for path in stamps:
        os.utime(path, ns=(1, 1))
    done = run_digest("build", "--site", str(site))
    assert re.search(r": 0 written, \d+ unchanged, 0 removed$", done.stdout.strip())
    assert all(p.stat().st_mtime_ns == 1 for p in stamps)


def test_removed_article_removes_its_pages(tmp_path: Path) -> None:
    site = write_site(
        tmp_path / "site",
        {
            "content/a.md": article("A", "2019-08-27", "AFP", places="[Gaza]"),
            "content/b.md": article("B", "2019-08-28", "AFP"),
        },
    )
    assert run_digest("build", "--site", str(site)).returncode == 0
    assert (site / "public" / "places" / "gaza" / "index.html").exists()
    (site / "content" / "a.md").unlink()
    done = run_digest("build", "--site", str(site))
    assert "2 removed" in done.stdout or "removed" in done.stdout
    public = site / "public"
    assert not (public / "articles" / "a").exists()
    assert not (public / "places" / "gaza").exists()
    assert not (public / "days" / "2019-08-27").exists()
    assert (public / "articles" / "b" / "index.html").exists()


def test_refuses_to_build_into_a_folder_it_did_not_make(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", {"content/a.md": article("A", "2019-08-27", "AFP")})
    home = tmp_path / "home"
    home.mkdir()
    (home / "precious.txt").write_text("keep me")
    done = run_digest("build", "--site", str(site), "--output", str(home))
    assert done.returncode == 1
    assert "is not empty and was not built by digest" in done.stderr
    assert tree(home) == {"precious.txt": b"keep me"}


def test_drafts_only_with_flag(tmp_path: Path) -> None:
    site = write_site(
        tmp_path / "site",
        {
            "content/a.md": article("A", "2019-08-27", "AFP"),
            "content/d.md": article("Draft", "2019-08-27", "AFP", draft="true"),
        },
    )
    assert run_digest("build", "--site", str(site)).returncode == 0
    assert not (site / "public" / "articles" / "d").exists()
    assert run_digest("build", "--site", str(site), "--drafts").returncode == 0
    assert (site / "public" / "articles" / "d" / "index.html").exists()


def test_base_url_flag_overrides_and_is_validated(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", {"content/a.md": article("A", "2019-08-27", "AFP")})
    done = run_digest("build", "--site", str(site), "--base-url", "ftp://nope")
    assert done.returncode == 1
    assert done.stderr.startswith("--base-url: expected an http(s) URL")
    done = run_digest("build", "--site", str(site), "--base-url", "https://u.github.io/r")
    assert done.returncode == 0, done.stderr
    feed = (site / "public" / "feed.xml").read_text()
    assert "https://u.github.io/r/stories/a/" in feed
    no_base = run_digest("build", "--site", str(site), "--output", str(tmp_path / "o2"))
    assert "no base_url: feed.xml and sitemap.xml are left out" in no_base.stderr
    assert not (tmp_path / "o2" / "feed.xml").exists()


def test_not_a_site(tmp_path: Path) -> None:
    done = run_digest("build", "--site", str(tmp_path))
    assert done.returncode == 1
    assert "no site.toml here (hint: run 'digest init" in done.stderr


def test_init_refuses_an_existing_site(tmp_path: Path) -> None:
    assert run_digest("init", str(tmp_path / "s")).returncode == 0
    again = run_digest("init", str(tmp_path / "s"))
    assert again.returncode == 1
    assert "already exists" in again.stderr


def test_stories_json_matches_design(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_digest("build", "--site", str(BASIC), "--output", str(out)).returncode == 0
    data = json.loads((out / "stories.json").read_text())
    idlib = next(s for s in data["stories"] if s["id"] == "idlib-putin-erdogan")
    assert idlib["date"] == "2019-08-27"
    assert idlib["url"] == "stories/idlib-putin-erdogan/"
    assert [(a["id"], a["source"], a["date"]) for a in idlib["articles"]] == [
        ("afp-2019-08-27-idlib", "AFP", "2019-08-27"),
        ("aa-2019-08-27-idlib", "Anadolu Agency", "2019-08-28"),
        ("reuters-2019-08-28-idlib", "Reuters", "2019-08-28"),
    ]
    every = [a["id"] for s in data["stories"] for a in s["articles"]]
    assert len(every) == len(set(every)) == 5


SEEDS = [
    (
        "afp.md",
        "The leaders of Russia and Turkey said Tuesday they shared deep concerns over fighting "
        "in Idlib, as Vladimir Putin and Recep Tayyip Erdogan met near Moscow.",
    ),
    (
        "aa.md",
        "The leaders of Russia and Turkey said on Tuesday they shared deep concerns over the "
        "fighting in Idlib after Vladimir Putin and Recep Tayyip Erdogan held talks in Moscow.",
    ),
]


def test_stories_lists_pins_and_keeps_ids(tmp_path: Path) -> None:
    files = {
        f"content/{name}": article(f"Talks {n}", "2019-08-27", src, body)
        for n, ((name, body), src) in enumerate(zip(SEEDS, ["AFP", "AA"], strict=True))
    }
    files["content/quake.md"] = article(
        "Quake in Sulawesi", "2019-08-28", "Antara", "An earthquake of magnitude 6.1 hit Palu."
    )
    site = write_site(tmp_path / "site", files)
    listed = run_digest("stories", "--site", str(site))
    assert listed.returncode == 0, listed.stderr
    assert "aa  (2 versions, grouped)" in listed.stdout
    assert "why: shared names:" in listed.stdout
    data = json.loads(run_digest("stories", "--site", str(site), "--json").stdout)
    assert sorted(len(s["versions"]) for s in data["stories"]) == [1, 2]
    pinned = run_digest("stories", "--site", str(site), "--pin")
    assert pinned.returncode == 0, pinned.stderr
    assert pinned.stdout.splitlines()[-1] == "2 files pinned"
    assert "story: aa\n" in (site / "content" / "afp.md").read_text()
    assert "story:" not in (site / "content" / "quake.md").read_text()
    after = json.loads(run_digest("stories", "--site", str(site), "--json").stdout)
    assert [(s["id"], s["pinned"]) for s in after["stories"]] == [
        (s["id"], len(s["versions"]) == 2) for s in data["stories"]
    ]
