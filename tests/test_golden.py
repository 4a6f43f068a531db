"""Golden-site tests: fixture sites built and compared with their expected output.

The expected folders under tests/golden/ change only on purpose (they leave out static/,
whose files must be the theme's, or the site's own where it has them):
``pytest tests/test_golden.py --update-golden`` rewrites them from the current build; review
the diff before committing it.
"""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest

from digest.build import build
from digest.output import MANIFEST
from tests.conftest import REPO, tree

SITES = REPO / "tests" / "sites"
THEME_STATIC = REPO / "digest" / "theme" / "static"
GOLDEN = REPO / "tests" / "golden"


@pytest.mark.parametrize("name", sorted(p.name for p in SITES.iterdir() if p.is_dir()))
def test_site_matches_golden(name: str, tmp_path: Path, update_golden: bool) -> None:
    site = tmp_path / name
    shutil.copytree(SITES / name, site)
    output = tmp_path / "out"
    build(site, output)
    built = tree(output)
    built.pop(MANIFEST)  # derived from the other files, and it would hide their diffs
    static = {path: built.pop(path) for path in list(built) if path.startswith("static/")}
    assert static == static_sources(site)
    expected_dir = GOLDEN / name
    if update_golden:
        shutil.rmtree(expected_dir, ignore_errors=True)
        shutil.copytree(output, expected_dir, ignore=shutil.ignore_patterns(MANIFEST))
        shutil.rmtree(expected_dir / "static")
    expected = tree(expected_dir)
    assert sorted(built) == sorted(expected), "files differ from tests/golden/" + name
    for path, data in expected.items():
        if built[path] != data:
            diff = difflib.unified_diff(
                data.decode(errors="replace").splitlines(),
                built[path].decode(errors="replace").splitlines(),
                f"golden/{name}/{path}",
                f"built/{path}",
                lineterm="",
                n=2,
            )
            pytest.fail("\n".join(list(diff)[:60]) + "\n(run with --update-golden if intended)")


def static_sources(site: Path) -> dict[str, bytes]:
    """static/ as a build should write it: the theme's files, the site's own in their place."""
    files = {}
    for root in (THEME_STATIC, site / "templates" / "static"):
        for path, data in tree(root).items() if root.is_dir() else ():
            if not Path(path).name.startswith("."):
                files["static/" + path] = data
    return files
