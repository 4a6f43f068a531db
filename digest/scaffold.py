"""``digest init``: a new, empty site that builds."""

from __future__ import annotations

from pathlib import Path

from digest.config import CONFIG_NAME
from digest.errors import DigestError

SITE_TOML = """\
# Settings of this digest. Every key is documented in the README of digest.
title = "Conflict digest"
description = "Conflict news from many outlets, grouped into stories."
# The address the site is published at; `digest build --base-url URL` overrides it.
# Without it the build leaves out feed.xml and sitemap.xml.
base_url = ""
language = "en"
# Which calendar day an article with a time of day belongs to.
timezone = "UTC"
per_page = 20

[grouping]
# Versions of one event are published within this many days of each other.
window_days = 3
"""

TEMPLATES_README = """\
Templates of this site.

A file here replaces the built-in theme's file of the same name (for instance
`article.html` or `base.html`); files under `static/` are copied to the site's
`static/` folder beside the theme's `style.css`. Empty: the built-in theme is used.
"""

GITIGNORE = "/public/\n/.digest-cache/\n"


class InitError(DigestError):
    """The folder already holds a site or other files."""


def init_site(folder: Path) -> list[Path]:
    """Create site.toml, content/ and templates/ in ``folder``; never overwrite anything."""
    if (folder / CONFIG_NAME).exists():
        raise InitError(f"{folder / CONFIG_NAME} already exists: this folder is a site already")
    for name in ("content", "templates"):
        if (folder / name).exists() and any((folder / name).iterdir()):
            raise InitError(f"{folder / name} exists and is not empty; choose a new folder")
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for name, text in (
        (CONFIG_NAME, SITE_TOML),
        ("templates/README.txt", TEMPLATES_README),
        (".gitignore", GITIGNORE),
        ("content/.gitkeep", ""),
    ):
        path = folder / name
        if path.exists():
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        made.append(path)
    return made
