"""Knowing when there is nothing to do: the input signature of the last successful build.

If the content files, the settings, the templates and digest itself are byte for byte what
the last build of the same output folder saw, and its files are all still there, the build
renders nothing and writes nothing. The signature is kept in the output's manifest; what the
command reports (counts, warnings) is kept in ``.digest-cache/last-build.json``.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from pathlib import Path

from digest.cache import CACHE_DIR
from digest.errors import Problem
from digest.ingest import Source
from digest.output import Manifest, WriteReport
from digest.result import BuildResult
from digest.timing import Timings

LAST_BUILD = "last-build.json"


def input_signature(base_key: str, drafts: bool, sources: Sequence[Source]) -> str:
    """A key of everything a build reads; the base key covers settings and templates."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"{base_key}\0{drafts}\0".encode())
    for source in sources:
        digest.update(source.key.encode() + b"\0")
    return digest.hexdigest()


def unchanged_build(
    site: Path, output: Path, signature: str, manifest: Manifest | None
) -> BuildResult | None:
    """The last build's result when it had this very input and its output is intact."""
    if manifest is None or manifest.signature != signature:
        return None
    try:
        data = json.loads((site / CACHE_DIR / LAST_BUILD).read_text(encoding="utf-8"))
        if data["signature"] != signature:
            return None
        warnings = tuple(Problem(str(p), w, str(m), str(h)) for p, w, m, h in data["warnings"])
        stories, articles = int(data["stories"]), int(data["articles"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    for path, state in manifest.files.items():
        try:
            if os.stat(output / path).st_size != state.size:
                return None
        except OSError:
            return None
    report = WriteReport(unchanged=len(manifest.files))
    return BuildResult(None, stories, articles, report, warnings, Timings())


def remember_build(site: Path, signature: str, result: BuildResult) -> None:
    """Keep what the command reports, for the next build with the same input."""
    folder = site / CACHE_DIR
    data = {
        "signature": signature,
        "stories": result.stories,
        "articles": result.articles,
        "warnings": [[w.path, w.line, w.message, w.hint] for w in result.warnings],
    }
    try:
        folder.mkdir(exist_ok=True)
        temp = folder / (LAST_BUILD + ".tmp")
        temp.write_text(json.dumps(data) + "\n", encoding="utf-8")
        os.replace(temp, folder / LAST_BUILD)
    except OSError:
        return  # only a shortcut for the next build is lost
