"""What ``digest stories`` shows and does: the stories, why they were grouped, and pinning.

Pinning freezes the current grouping: each version of a grouped story gets a ``story:`` line
in its front matter, and nothing else in the file changes, so the editor's diff is one line
per file.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Any

import yaml

from digest.errors import DigestError
from digest.model import SiteModel, Story

_FENCE = re.compile(rb"^---[ \t]*\r?$")
_TOP_KEY = re.compile(rb"^([A-Za-z_][\w-]*)[ \t]*:")


def stories_data(model: SiteModel) -> dict[str, Any]:
    """The stories, latest first, as plain data for ``--json``."""
    stories = []
    for story in model.stories:
        versions = [
            {
                "id": a.id,
                "source": a.source,
                "date": a.date.isoformat(),
                "title": a.title,
                "path": a.path,
            }
            for a in model.versions(story)
        ]
        stories.append(
            {
                "id": story.id,
                "title": story.title,
                "pinned": story.pinned,
                "score": story.score,
                "reasons": list(story.reasons),
                "versions": versions,
            }
        )
    return {"stories": stories}


def _heading(story: Story) -> str:
    count = len(story.article_ids)
    kind = "pinned" if story.pinned else "grouped" if count > 1 else "alone"
    plural = "version" if count == 1 else "versions"
    return f"{story.id}  ({count} {plural}, {kind})"


def stories_text(model: SiteModel) -> str:
    """The stories, latest first, each with its versions and reasons, for a terminal."""
    blocks = []
    for story in model.stories:
        lines = [_heading(story)]
        lines += [f"  why: {reason}" for reason in story.reasons]
        for a in model.versions(story):
            lines.append(f"  {a.date.isoformat():<25} {a.source:<20} {a.title}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + ("\n" if blocks else "")


def _story_line(story_id: str, newline: bytes) -> bytes:
    """``story: ID``, quoted only where YAML would read the bare id as something else."""
    plain = f"story: {story_id}"
    try:
        if yaml.safe_load(plain) == {"story": story_id}:
            return plain.encode() + newline
    except yaml.YAMLError:
        pass
    quoted = story_id.replace("\\", "\\\\").replace('"', '\\"')
    return f'story: "{quoted}"'.encode() + newline


def with_story_key(raw: bytes, story_id: str, where: str) -> bytes:
    """``raw`` with its front matter's ``story:`` set to ``story_id``; the rest unchanged.

    An existing top-level ``story:`` line is replaced; otherwise the line goes after the
    ``id:`` entry, or the ``title:`` entry, or at the end of the front matter.
    """
    lines = raw.splitlines(keepends=True)
    start = 1 if lines and _FENCE.match(lines[0].removeprefix(b"\xef\xbb\xbf")) else None
    end = next(
        (n for n in range(1, len(lines)) if start is not None and _FENCE.match(lines[n])), None
    )
    if start is None or end is None:
        raise DigestError(f"{where}: no front matter to write 'story:' into")
    newline = b"\r\n" if lines[0].endswith(b"\r\n") else b"\n"
    new_line = _story_line(story_id, newline)
    keys: dict[str, int] = {}
    for n in range(start, end):
        match = _TOP_KEY.match(lines[n])
        if match:
            keys.setdefault(match.group(1).decode("ascii"), n)
    if "story" in keys:
        n = keys["story"]
        after = next(
            (m for m in range(n + 1, end) if lines[m][:1] not in (b" ", b"\t")),
            end,
        )
        return b"".join([*lines[:n], new_line, *lines[after:]])
    anchor = keys.get("id", keys.get("title"))
    at = end
    if anchor is not None:
        at = next(
            (m for m in range(anchor + 1, end) if lines[m][:1] not in (b" ", b"\t")),
            end,
        )
    return b"".join([*lines[:at], new_line, *lines[at:]])


def _write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` whole or not at all, keeping its permissions."""
    mode = path.stat().st_mode & 0o7777
    handle, temp = tempfile.mkstemp(prefix=".pin-", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temp, mode)
        os.replace(temp, path)
    except OSError:
        Path(temp).unlink(missing_ok=True)
        raise


def pin_story_keys(site: Path, model: SiteModel) -> list[Path]:
    """Write ``story: <id>`` into every version of every grouped, unpinned story.

    Returns the files changed, sorted. A story of one is left alone: pinning it would only
    stop later versions from joining it.
    """
    changed: list[Path] = []
    for story in model.stories:
        if story.pinned or len(story.article_ids) < 2:
            continue
        for article in model.versions(story):
            path = site / article.path
            try:
                raw = path.read_bytes()
            except OSError as error:
                raise DigestError(f"{article.path}: cannot read: {error.strerror}") from None
            updated = with_story_key(raw, story.id, article.path)
            if updated != raw:
                _write_atomic(path, updated)
                changed.append(path)
    return sorted(changed)
