"""Same input, same output, byte for byte, whatever the hash seed, time zone or folder."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import REPO, run_digest, tree

BASIC = REPO / "tests" / "sites" / "basic"


def test_builds_identical_across_hash_seed_timezone_and_folder(tmp_path: Path) -> None:
    outputs = []
    for n, (seed, tz) in enumerate([("1", "UTC"), ("4242", "Asia/Tokyo"), ("99", "America/Lima")]):
        site = tmp_path / f"copy{n}" / "site"
        shutil.copytree(BASIC, site)
        env = {"PYTHONHASHSEED": seed, "TZ": tz}
        done = run_digest("build", "--site", str(site), "--drafts", env=env, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        outputs.append(tree(site / "public"))
    assert outputs[0] == outputs[1] == outputs[2]
