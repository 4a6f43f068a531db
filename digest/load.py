"""Reading content/: every ``*.md`` file becomes an ArticleRecord, or problems with lines.

Nothing is written here; the build decides what to do with the problems.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler

from digest.errors import Problem
from digest.readahead import readahead
from digest.records import ArticleRecord
from digest.schema import validate

CONTENT_DIR = "content"
MAX_BYTES = 2_000_000
"""An article larger than this is refused (the longest real ones are under 100 kB)."""
MAX_DEPTH = 50
"""Front matter nested deeper than this is refused: libyaml's composer recurses in C."""
MAX_VALUES = 100_000
"""Front matter whose aliases expand to more values than this is refused."""
SCAN_FROM = 4_000
"""Front matter shorter than this and without aliases cannot nest deep enough to do harm."""
_YAML = YAMLHandler()
_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc]
    """Safe YAML that leaves dates as text, so the schema reports a bad one with its line."""


_Loader.add_constructor(
    "tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node)
)


@dataclass(frozen=True, slots=True)
class Loaded:
    """What reading content/ gave: valid records, and every problem and warning."""

    records: tuple[ArticleRecord, ...]
    problems: tuple[Problem, ...]
    warnings: tuple[Problem, ...]


def file_key(where: str, raw: bytes) -> str:
    """A file's identity for caches: its bytes and its path (the path gives the default id)."""
    digest = hashlib.blake2b(raw, digest_size=16)
    digest.update(b"\0" + where.encode())
    return digest.hexdigest()


def decode(raw: bytes, where: str) -> tuple[str | None, Problem | None]:
    """UTF-8 with or without BOM, CRLF or LF; anything else is a problem, not a guess."""
    if len(raw) > MAX_BYTES:
        return None, Problem(
            where,
            1,
            f"larger than {MAX_BYTES // 1_000_000} MB ({len(raw):,} bytes)",
            "split it into several articles",
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return None, Problem(
            where,
            line,
            f"not valid UTF-8 (byte 0x{raw[error.start]:02x})",
            "re-save the file as UTF-8",
        )
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return None, Problem(where, line, "contains a NUL character", "re-save the file as text")
    return text.replace("\r\n", "\n").replace("\r", "\n"), None


def _front_matter(text: str, where: str) -> tuple[str, str, int] | Problem:
    """Split into (front matter, body, body's first line), keeping line numbers exact."""
    if not _YAML.detect(text):
        return Problem(
            where,
            1,
            "no front matter",
            "start the file with a line '---', then 'title: ...', 'date: ...', "
            "'source: ...', then '---'",
        )
    try:
        fm, body = _YAML.split(text)
    except ValueError:
        return Problem(where, 1, "front matter is not closed", "add a line '---' after the keys")
    body_line = text[: len(text) - len(body)].count("\n") + 1
    if body.startswith("\n"):
        body, body_line = body[1:], body_line + 1
    return fm, body, body_line


def _check_shape(fm: str, where: str) -> Problem | None:
    """Measure depth and expanded size on the event stream before composing anything.

    libyaml's composer recurses in C, so thousands of nested '[' crash the process, and
    '<<' merges copy what an alias points to, so a few lines can expand to billions of
    values. The event stream is flat and cheap; a syntax error is left to the real parse.
    """
    loader = _Loader(fm)
    sizes: dict[str, int] = {}
    open_nodes: list[tuple[str | None, int]] = []  # (anchor, size so far) of each collection
    total = 0
    try:
        while not loader.check_event(yaml.StreamEndEvent):
            event = loader.get_event()
            line = event.start_mark.line + 1
            if isinstance(event, yaml.CollectionStartEvent):
                open_nodes.append((event.anchor, 1))
                if len(open_nodes) > MAX_DEPTH:
                    return Problem(
                        where,
                        line,
                        f"front matter: nested more than {MAX_DEPTH} levels deep",
                        "front matter holds 'key: value' lines and lists of names",
                    )
                continue
            if isinstance(event, yaml.CollectionEndEvent):
                anchor, size = open_nodes.pop()
                if anchor is not None:
                    sizes[anchor] = size
            elif isinstance(event, yaml.ScalarEvent):
                size = 1
                if event.anchor is not None:
                    sizes[event.anchor] = 1
            elif isinstance(event, yaml.AliasEvent):
                # An alias to a node still open is a cycle: PyYAML shares it, never copies it.
                size = sizes.get(event.anchor or "", 1)
            else:
                continue
            if open_nodes:
                anchor, grown = open_nodes[-1]
                grown += size
                open_nodes[-1] = (anchor, grown)
            else:
                total += size
                grown = total
            if grown > MAX_VALUES:
                return Problem(
                    where,
                    line,
                    f"front matter: more than {MAX_VALUES:,} values once its aliases are expanded",
                    "write the values out instead of using '*' aliases and '<<' merges",
                )
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()
    return None


def _parse_yaml(fm: str, where: str) -> tuple[dict[Any, Any], dict[str, int]] | Problem:
    """Parse YAML once, keeping each top-level key's line (fm starts on line 1 after '---')."""
    if "*" in fm or len(fm) > SCAN_FROM:
        shape = _check_shape(fm, where)
        if shape is not None:
            return shape
    loader = _Loader(fm)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else {}
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else 1
        what = error.problem or "invalid YAML"
        return Problem(
            where,
            line,
            f"front matter: invalid YAML: {what}",
            "check the indentation and quote values that contain ': '",
        )
    except (yaml.YAMLError, RecursionError, ValueError, TypeError) as error:
        return Problem(where, 1, f"front matter: invalid YAML: {error}")
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        return Problem(
            where,
            2,
            "front matter: expected 'key: value' lines",
            "each line of the front matter is 'key: value'",
        )
    lines: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, _ in node.value:
            lines.setdefault(str(key_node.value), key_node.start_mark.line + 1)
    return data, lines


def read_article(
    raw: bytes, where: str, stem: str
) -> tuple[ArticleRecord | None, list[Problem], list[Problem]]:
    """Validate one file's bytes; ``where`` names it in messages, ``stem`` is its default id."""
    fingerprint = file_key(where, raw)
    text, problem = decode(raw, where)
    if text is None:
        return None, [problem] if problem else [], []
    split = _front_matter(text, where)
    if isinstance(split, Problem):
        return None, [split], []
    fm, body, body_line = split
    parsed = _parse_yaml(fm, where)
    if isinstance(parsed, Problem):
        return None, [parsed], []
    data, lines = parsed
    return validate(
        where,
        data,
        lines,
        default_id=stem,
        body=body,
        body_line=body_line,
        fingerprint=fingerprint,
    )


def content_files(site: Path) -> list[Path]:
    """The Markdown files of content/, sorted so that every build sees the same order."""
    folder = site / CONTENT_DIR
    if not folder.is_dir():
        return []
    found = (p for p in folder.rglob("*.md") if not p.name.startswith("."))
    return sorted(found, key=lambda p: p.parts)  # Path's own order, without its slow __lt__


def is_outside(path: Path, folder: Path) -> bool:
    """True when ``path`` (a symlink, say) resolves outside ``folder``."""
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return True
    return False


def refused_symlink(site: Path, path: Path) -> Problem | None:
    """A content file that is a symlink out of content/ is refused, never followed."""
    if path.is_symlink() and is_outside(path, site / CONTENT_DIR):
        where = path.relative_to(site).as_posix()
        return Problem(
            where, None, "symlink to a file outside content/", "copy the file into content/ instead"
        )
    return None


def read_raw(site: Path, path: Path) -> bytes | Problem:
    """A content file's bytes, or the problem that keeps them from being read."""
    refused = refused_symlink(site, path)
    if refused is not None:
        return refused
    try:
        return path.read_bytes()
    except OSError as error:
        return Problem(path.relative_to(site).as_posix(), None, f"cannot read: {error.strerror}")


def read_file(site: Path, path: Path) -> tuple[ArticleRecord | None, list[Problem], list[Problem]]:
    """Read and validate one content file."""
    raw = read_raw(site, path)
    if isinstance(raw, Problem):
        return None, [raw], []
    return read_article(raw, path.relative_to(site).as_posix(), path.stem)


def load_content(site: Path, files: Iterable[Path] | None = None) -> Loaded:
    """Read and validate every article; one problem never hides another."""
    records: list[ArticleRecord] = []
    problems: list[Problem] = []
    warnings: list[Problem] = []
    for path in readahead(content_files(site) if files is None else list(files)):
        record, file_problems, file_warnings = read_file(site, path)
        problems += file_problems
        warnings += file_warnings
        if record is not None:
            records.append(record)
    return Loaded(tuple(records), tuple(problems), tuple(warnings))
