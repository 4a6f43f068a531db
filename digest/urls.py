"""The URL scheme of DESIGN.md, and relative links between pages.

Site paths are relative to the output root: ``""`` is home, ``"stories/x/"`` a page,
``"static/style.css"`` a file. Links inside pages are relative and name ``index.html``
explicitly, so one build works at a domain root, under ``/repo/`` and opened from disk.
"""

from __future__ import annotations

import datetime as dt

TERM_KINDS = ("sources", "places", "people", "tags")


def article(slug: str) -> str:
    return f"articles/{slug}/"


def story(story_id: str) -> str:
    return f"stories/{story_id}/"


def day(date: dt.date) -> str:
    return f"days/{date.isoformat()}/"


def term(kind: str, slug: str) -> str:
    return f"{kind}/{slug}/"


def home(page: int) -> str:
    return "" if page <= 1 else f"page/{page}/"


def output_file(site_path: str) -> str:
    """The file a site path is written to: folders get their index.html."""
    if site_path == "" or site_path.endswith("/"):
        return site_path + "index.html"
    return site_path


def root_of(page: str) -> str:
    """The relative path from the page at ``page`` back to the site's root ('' or '../..')."""
    depth = output_file(page).count("/")
    return "../" * depth


def relative(from_page: str, to: str) -> str:
    """A link from the page at ``from_page`` to ``to``, both site paths (via the root)."""
    return root_of(from_page) + output_file(to)


def absolute(base_url: str, to: str) -> str:
    """An absolute URL under ``base_url`` (which ends in '/'), clean: folders end in '/'."""
    return base_url + to
