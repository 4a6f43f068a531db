"""Shared fixtures: small sites written inline, and the real `digest` command."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


def write_site(root: Path, files: dict[str, str], config: str | None = None) -> Path:
    """A site folder with site.toml and the given files (paths relative to the site)."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "site.toml").write_text(
        config if config is not None else 'title = "Test digest"\n', encoding="utf-8"
    )
    (root / "content").mkdir(exist_ok=True)
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


def article(title: str, date: str, source: str, body: str = "Body text.", **extra: str) -> str:
    """The text of a content file."""
    lines = ["---", f"title: {title!r}", f"date: {date}", f"source: {source!r}"]
    lines += [f"{key}: {value}" for key, value in extra.items()]
    return "\n".join([*lines, "---", body, ""])


@pytest.fixture
def make_site(tmp_path: Path) -> Callable[..., Path]:
    def make(files: dict[str, str], config: str | None = None, name: str = "site") -> Path:
        return write_site(tmp_path / name, files, config)

    return make


def run_digest(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the real command line, as a user would."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "digest.cli", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite the expected output folders under tests/golden/ from the current build",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by relative path."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
