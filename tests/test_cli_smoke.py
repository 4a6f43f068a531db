"""The real command: init makes a site that builds."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_digest


def test_init_then_build(tmp_path: Path) -> None:
    site = tmp_path / "new"
    made = run_digest("init", str(site))
    assert made.returncode == 0, made.stderr
    built = run_digest("build", "--site", str(site))
    assert built.returncode == 0, built.stderr
    assert (site / "public" / "index.html").is_file()
    assert json.loads((site / "public" / "stories.json").read_text()) == {"stories": []}
