"""Content files: their front matter, their names, and writing them without clobbering.

Front matter is written with ``yaml.safe_dump`` so that quotes, colons and ``#`` in titles
stay text. Files are written to a hidden temporary name and then linked into place, which
fails instead of overwriting if the name was taken meanwhile.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from digest.errors import OutputError
from digest.schema import KNOWN_FIELDS
from digest.slugs import slugify

_Dumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
MAX_NAME = 80
"""Longest file stem; the title is cut at a word to fit."""
MAX_SOURCE = 24
"""Longest part of the stem the outlet may take."""


def front_matter(fields: Mapping[str, object]) -> str:
    """YAML for the given fields in the schema's order, leaving out empty ones."""
    ordered = {k: fields[k] for k in KNOWN_FIELDS if fields.get(k) not in (None, (), [], {})}
    listed = {k: list(v) if isinstance(v, tuple) else v for k, v in ordered.items()}
    text: str = yaml.dump(
        listed,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=4096,
    )
    return text


def article_bytes(fields: Mapping[str, object], body: str) -> bytes:
    """A whole content file: front matter between ``---`` lines, then the body."""
    return f"---\n{front_matter(fields)}---\n{body}".encode()


def _cut(slug: str, limit: int) -> str:
    """Cut a slug at a hyphen so that no word is broken, keeping at least one word."""
    if len(slug) <= limit:
        return slug
    cut = slug.rfind("-", 0, limit + 1)
    return slug[:cut] if cut > 0 else slug[:limit]


def stem_for(date: dt.date | dt.datetime | None, source: str, title: str) -> str:
    """``YYYY-MM-DD-source-title`` (``undated-…`` without a date), ASCII, at most 80 chars."""
    day = date.date() if isinstance(date, dt.datetime) else date
    head = "-".join(
        part
        for part in (day.isoformat() if day else "undated", _cut(slugify(source), MAX_SOURCE))
        if part
    )
    rest = MAX_NAME - len(head) - 1
    title_slug = _cut(slugify(title), rest) or "article"
    return f"{head}-{title_slug}"


class Names:
    """File names in content/: those on disk and those this import will write."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.taken = {p.name.lower() for p in folder.iterdir()} if folder.is_dir() else set[str]()

    def claim(self, stem: str) -> str:
        """A free ``STEM.md`` (``STEM-2.md``, … when taken), reserved for this import."""
        number = 1
        name = f"{stem}.md"
        while name.lower() in self.taken:
            number += 1
            name = f"{stem}-{number}.md"
        self.taken.add(name.lower())
        return name


def write_new(folder: Path, name: str, data: bytes) -> None:
    """Create ``folder/name`` atomically; never replaces a file that exists."""
    if "/" in name or "\\" in name or name.startswith(".") or not name.endswith(".md"):
        raise OutputError(f"refusing to write an unsafe content file name: {name!r}")
    target = folder / name
    temp = folder / f".{name}.import-tmp"
    with open(temp, "wb") as handle:
        handle.write(data)
    try:
        os.link(temp, target)
    except FileExistsError:
        raise OutputError(f"{target} appeared during the import; it was left as it is") from None
    except OSError:
        # File systems without hard links: check, then rename (a small race, never a clobber
        # of a file that existed when the import began).
        if target.exists():
            raise OutputError(f"{target} appeared during the import") from None
        os.replace(temp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()


def write_all(folder: Path, files: Iterable[tuple[str, bytes]]) -> None:
    """Create every file; the folder is made when missing."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files:
        write_new(folder, name, data)
