"""site.toml: the site's settings, read into a typed, frozen record.

Unknown keys and wrong types are errors naming the key and its line, all reported at once.
"""

from __future__ import annotations

import re
import tomllib
import zoneinfo
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from digest.errors import Problem, ProblemsError

CONFIG_NAME = "site.toml"


@dataclass(frozen=True, slots=True)
class GroupingConfig:
    """How articles without a ``story:`` key are grouped into stories."""

    window_days: int = 3
    """Versions of one event are published within this many days of each other."""
    enabled: bool = True
    """False keeps every unpinned article a story of its own."""


@dataclass(frozen=True, slots=True)
class SiteConfig:
    """The validated settings of one site."""

    title: str = "Conflict digest"
    """Shown in every page's header and in the feed."""
    description: str = "Conflict news from many outlets, grouped into stories."
    """One sentence for the home page, the feed and link previews."""
    base_url: str = ""
    """Absolute URL the site is published at, ending in '/'; '' when unknown."""
    language: str = "en"
    """Default language of articles and of the pages (BCP 47)."""
    timezone: str = "UTC"
    """IANA zone deciding which calendar day an article with a time belongs to."""
    per_page: int = 20
    """Stories per page of the home page."""
    cname: str = ""
    """Custom domain for GitHub Pages; written to CNAME when set."""
    grouping: GroupingConfig = field(default_factory=GroupingConfig)
    """Settings of automatic story grouping."""

    def with_base_url(self, base_url: str) -> SiteConfig:
        return replace(self, base_url=normalise_base_url(base_url))


_TABLES: dict[str, type[Any]] = {"grouping": GroupingConfig}
_LANG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_NOT_IN_URL = re.compile(r"[\x00-\x20\x7f<>\"'`{}|\\^]")
_HOST = re.compile(
    r"^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$"
)
_HEADER = re.compile(r"^\[\[?([^\]]+)\]\]?")
_KEY = re.compile(
    r"""^((?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*="""
)


def normalise_base_url(url: str) -> str:
    """Return ``url`` ending in exactly one '/', or raise ValueError naming the problem."""
    url = url.strip()
    if not url:
        return ""
    if _NOT_IN_URL.search(url):
        raise ValueError(f"a URL has no spaces, quotes or angle brackets, got {url!r}")
    try:
        parts = urlsplit(url)
    except ValueError:
        parts = urlsplit("")  # a malformed host such as 'https://[::1/'
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(
            f"expected an http(s) URL such as https://user.github.io/repo/, got {url!r}"
        )
    if parts.query or parts.fragment:
        raise ValueError(f"a base URL has no query or fragment, got {url!r}")
    return url.rstrip("/") + "/"


def _dotted(key: str) -> str:
    """'a . "b"' -> 'a.b' (a quoted part holding a dot is rare enough to ignore)."""
    return ".".join(part.strip().strip("\"'") for part in key.split("."))


def _key_lines(text: str) -> dict[str, int]:
    """Map 'key' and 'table.key' to the line they are set on (tomllib gives no lines)."""
    lines: dict[str, int] = {}
    table = ""
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        header = _HEADER.match(line)
        if header:
            table = _dotted(header.group(1))
            lines.setdefault(table, number)
            continue
        key = _KEY.match(line)
        if key:
            name = _dotted(key.group(1))
            lines.setdefault(f"{table}.{name}" if table else name, number)
    return lines


def _line(lines: dict[str, int], name: str) -> int | None:
    """The line of ``name``, else of the nearest table holding it (inline tables, dotted keys)."""
    while name:
        if name in lines:
            return lines[name]
        name = name.rpartition(".")[0]
    return None


def _type_name(kind: Any) -> str:
    return {str: "a string", int: "an integer", bool: "true or false"}.get(kind, str(kind))


def _check_fields(
    cls: type[Any], values: dict[str, Any], prefix: str, where: str, lines: dict[str, int]
) -> tuple[dict[str, Any], list[Problem]]:
    problems: list[Problem] = []
    known = {f.name: f for f in fields(cls)}
    accepted: dict[str, Any] = {}
    for key, value in values.items():
        name = f"{prefix}{key}"
        line = _line(lines, name)
        if key not in known:
            choices = ", ".join(sorted(k for k in known if k not in _TABLES))
            problems.append(Problem(where, line, f"unknown key '{name}'", f"known keys: {choices}"))
            continue
        if key in _TABLES and not prefix:
            if not isinstance(value, dict):
                problems.append(Problem(where, line, f"'{name}' must be a table [{name}]"))
                continue
            sub, sub_problems = _check_fields(_TABLES[key], value, f"{key}.", where, lines)
            problems += sub_problems
            accepted[key] = _TABLES[key](**sub)
            continue
        kind = type(known[key].default)
        if type(value) is not kind:
            problems.append(
                Problem(where, line, f"'{name}' must be {_type_name(kind)}, got {value!r}")
            )
            continue
        accepted[key] = value
    return accepted, problems


def _semantic_checks(values: dict[str, Any], where: str, lines: dict[str, int]) -> list[Problem]:
    problems: list[Problem] = []
    if "base_url" in values:
        try:
            values["base_url"] = normalise_base_url(values["base_url"])
        except ValueError as error:
            problems.append(Problem(where, _line(lines, "base_url"), f"'base_url': {error}"))
    if "timezone" in values:
        try:
            zoneinfo.ZoneInfo(values["timezone"])
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            problems.append(
                Problem(
                    where,
                    _line(lines, "timezone"),
                    f"'timezone': unknown time zone {values['timezone']!r}",
                    "use an IANA name such as UTC or Europe/Paris",
                )
            )
    if "language" in values and not _LANG.match(values["language"]):
        problems.append(
            Problem(
                where,
                _line(lines, "language"),
                f"'language': not a language tag: {values['language']!r}",
                "use a code such as en or fr",
            )
        )
    if "cname" in values and values["cname"] and not _HOST.match(values["cname"]):
        problems.append(
            Problem(
                where,
                _line(lines, "cname"),
                f"'cname': not a domain name: {values['cname']!r}",
                "use a name such as news.example.org, without https://",
            )
        )
    if "per_page" in values and values["per_page"] < 1:
        problems.append(Problem(where, _line(lines, "per_page"), "'per_page' must be at least 1"))
    grouping = values.get("grouping")
    if isinstance(grouping, GroupingConfig) and grouping.window_days < 0:
        problems.append(
            Problem(
                where, _line(lines, "grouping.window_days"), "'grouping.window_days' must be >= 0"
            )
        )
    return problems


def parse_config(text: str, where: str) -> SiteConfig:
    """Validate the text of a site.toml; ``where`` names it in messages."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"line (\d+)", str(error))
        line = int(match.group(1)) if match else None
        raise ProblemsError([Problem(where, line, f"invalid TOML: {error}")]) from None
    lines = _key_lines(text)
    values, problems = _check_fields(SiteConfig, raw, "", where, lines)
    problems += _semantic_checks(values, where, lines)
    if problems:
        raise ProblemsError(problems)
    return SiteConfig(**values)


def load_config(site: Path) -> SiteConfig:
    """Read ``site/site.toml``; a folder without one is not a site."""
    path = site / CONFIG_NAME
    if not path.is_file():
        raise ProblemsError(
            [
                Problem(
                    str(path),
                    None,
                    "no site.toml here",
                    f"run 'digest init {site}' to make a site, or pass --site DIR",
                )
            ]
        )
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ProblemsError(
            [Problem(CONFIG_NAME, None, f"cannot read: {error.strerror}")]
        ) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        problem = Problem(
            CONFIG_NAME,
            line,
            f"not valid UTF-8 (byte 0x{raw[error.start]:02x})",
            "re-save the file as UTF-8",
        )
        raise ProblemsError([problem]) from None
    return parse_config(text, CONFIG_NAME)
