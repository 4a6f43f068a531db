"""Writing the built site: atomic, collision-checked, and only what changed.

New bytes go to a temporary file beside their target. Only when every page has rendered are
the temporary files renamed into place, so a failed build leaves the previous site as it
was, and a killed build leaves every file whole (old or new). A manifest of what the last
build wrote tells which files are unchanged and which no longer belong.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from digest.errors import OutputError

MANIFEST = ".digest-manifest.json"
_TEMP_SUFFIX = ".digest-tmp"


def fingerprint(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _safe_relpath(path: str) -> PurePosixPath:
    """Refuse any output path that could land outside the output folder."""
    pure = PurePosixPath(path)
    if pure.is_absolute() or not pure.parts or any(p in ("", ".", "..") for p in pure.parts):
        raise OutputError(f"refusing to write outside the output folder: {path!r}")
    if "\\" in path or "\x00" in path:
        raise OutputError(f"refusing an unsafe output path: {path!r}")
    return pure


@dataclass(slots=True)
class WriteReport:
    """What a build did to the output folder."""

    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)


def read_manifest(output: Path) -> dict[str, str] | None:
    """The previous build's {path: hash}; None when this folder was not built by digest."""
    try:
        data = json.loads((output / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, dict):
        return None
    return {str(k): str(v) for k, v in files.items()}


@dataclass(frozen=True, slots=True)
class Staged:
    """One file of a build, staged (or found unchanged); small enough to pass between processes."""

    key: str
    """Its path in the output, with '/' separators."""
    digest: str
    """Hash of its bytes."""
    temp: Path | None
    """The temporary file holding its new bytes; None when the old file is unchanged."""


class FileStager:
    """Writes new bytes beside their target as temporary files; safe to use in a worker."""

    def __init__(self, output: Path, previous: dict[str, str]) -> None:
        self.output = output
        self.previous = previous
        self._folders: set[Path] = set()

    def stage(self, path: str, data: bytes) -> Staged:
        rel = _safe_relpath(path)
        key = rel.as_posix()
        digest = fingerprint(data)
        target = self.output.joinpath(*rel.parts)
        if self.previous.get(key) == digest and _same_size(target, len(data)):
            return Staged(key, digest, None)
        if target.parent not in self._folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(target.parent)
        temp = target.with_name(target.name + _TEMP_SUFFIX)
        with open(temp, "wb") as handle:
            handle.write(data)
        return Staged(key, digest, temp)


class Staging:
    """Collects a build's files as temporary files, then commits them all or none."""

    def __init__(self, output: Path) -> None:
        self.output = output
        previous = read_manifest(output)
        if previous is None and output.exists() and any(output.iterdir()):
            raise OutputError(
                f"{output} is not empty and was not built by digest; choose an empty or new "
                "folder with --output, or delete this one"
            )
        self.previous: dict[str, str] = previous or {}
        self.files: dict[str, str] = {}
        self.staged: list[tuple[Path, Path, str]] = []
        self.unchanged = 0
        self.stager = FileStager(output, self.previous)

    def adopt(self, staged: Staged) -> None:
        """Record a staged file; two writers of one path are an error, not an overwrite."""
        if staged.key in self.files:
            raise OutputError(f"two pages would be written to {staged.key}")
        self.files[staged.key] = staged.digest
        if staged.temp is None:
            self.unchanged += 1
        else:
            self.staged.append((staged.temp, self.output / staged.key, staged.key))

    def add(self, path: str, data: bytes) -> None:
        """Stage one file's bytes."""
        self.adopt(self.stager.stage(path, data))

    def add_all(self, files: Iterable[tuple[str, bytes]]) -> None:
        for path, data in files:
            self.add(path, data)

    def abort(self) -> None:
        """Remove the temporary files; the previous site stays as it was."""
        temps = {temp for temp, _, _ in self.staged}
        if self.output.is_dir():  # a worker that failed may have left some we never heard of
            temps.update(self.output.rglob("*" + _TEMP_SUFFIX))
        for temp in sorted(temps):
            with contextlib.suppress(OSError):
                temp.unlink()
            _prune_empty(temp.parent, self.output)
        self.staged.clear()
        with contextlib.suppress(OSError):
            self.output.rmdir()  # only if this build made it and left it empty

    def commit(self) -> WriteReport:
        """Move every staged file into place, drop files that no longer belong."""
        report = WriteReport(unchanged=self.unchanged)
        for temp, target, key in self.staged:
            os.replace(temp, target)
            report.written.append(key)
        self.staged.clear()
        for key in sorted(set(self.previous) - set(self.files)):
            stale = self.output / key
            with contextlib.suppress(FileNotFoundError):
                stale.unlink()
                report.removed.append(key)
            _prune_empty(stale.parent, self.output)
        if self.files != self.previous or not (self.output / MANIFEST).exists():
            manifest = json.dumps({"files": dict(sorted(self.files.items()))}, indent=0)
            temp = self.output / (MANIFEST + _TEMP_SUFFIX)
            temp.write_text(manifest + "\n", encoding="utf-8")
            os.replace(temp, self.output / MANIFEST)
        return report


def _same_size(path: Path, size: int) -> bool:
    try:
        return path.stat().st_size == size
    except OSError:
        return False


def _prune_empty(folder: Path, root: Path) -> None:
    while folder != root and root in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
