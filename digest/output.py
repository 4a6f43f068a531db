"""Writing the built site: atomic, collision-checked, and only what changed.

New bytes go to a temporary file beside their target. Only when every page has rendered are
the temporary files renamed into place, so a failed build leaves the previous site as it
was, and a killed build leaves every file whole (old or new). A manifest of what the last
build wrote (hash, size and, for pages, the key of what they were rendered from) tells
which files are unchanged, which pages need no rendering, and which files no longer belong.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterable, Mapping
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


@dataclass(frozen=True, slots=True)
class FileState:
    """What the manifest remembers of one output file."""

    digest: str
    """Hash of its bytes."""
    size: int
    """Its length, checked against the disk before trusting the hash."""
    page_key: str = ""
    """For pages: the key of the template, settings and context it was rendered from."""


@dataclass(frozen=True, slots=True)
class Manifest:
    """The previous build of an output folder."""

    files: dict[str, FileState]
    """Output path -> its state."""
    signature: str = ""
    """Key of the whole input of that build; equal means nothing to do."""

    def rewritten(self, files: Mapping[str, FileState]) -> Manifest:
        """This manifest with these files as written since (by a preview): their bytes are
        known, what they were rendered from is not, so they are compared, never reused."""
        fresh = {path: FileState(state.digest, state.size) for path, state in files.items()}
        return Manifest({**self.files, **fresh}, "")


def manifest_stat(output: Path) -> tuple[int, int, int] | None:
    """What tells a manifest file apart from the one read before (see ``read_manifest``)."""
    try:
        stat = (output / MANIFEST).stat()
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_size, stat.st_ino)


def read_manifest(output: Path) -> Manifest | None:
    """The previous build's manifest; None when this folder was not built by digest."""
    try:
        data = json.loads((output / MANIFEST).read_text(encoding="utf-8"))
        files = {
            str(path): FileState(str(state[0]), int(state[1]), str(state[2]))
            for path, state in data["files"].items()
        }
        return Manifest(files, str(data.get("signature", "")))
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None


def _on_disk(target: Path, state: FileState | None) -> bool:
    if state is None:
        return False
    try:
        return target.stat().st_size == state.size
    except OSError:
        return False


@dataclass(frozen=True, slots=True)
class Staged:
    """One file of a build, staged or found unchanged; small enough to pass between processes."""

    key: str
    """Its path in the output, with '/' separators."""
    state: FileState
    """Its hash, size and page key."""
    temp: Path | None
    """The temporary file holding its new bytes; None when the old file is unchanged."""


class FileStager:
    """Writes new bytes beside their target as temporary files; safe to use in a worker."""

    def __init__(self, output: Path, previous: dict[str, FileState]) -> None:
        self.output = output
        self.previous = previous
        self._folders: set[Path] = set()

    def reuse(self, path: str, page_key: str) -> Staged | None:
        """The page as the last build left it, if it was rendered from the same key."""
        state = self.previous.get(path)
        if state is None or not page_key or state.page_key != page_key:
            return None
        if not _on_disk(self.output / path, state):
            return None
        return Staged(path, state, None)

    def stage(self, path: str, data: bytes, page_key: str = "") -> Staged:
        rel = _safe_relpath(path)
        key = rel.as_posix()
        state = FileState(fingerprint(data), len(data), page_key)
        target = self.output.joinpath(*rel.parts)
        previous = self.previous.get(key)
        if previous is not None and previous.digest == state.digest and _on_disk(target, state):
            return Staged(key, state, None)
        if target.parent not in self._folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(target.parent)
        temp = target.with_name(target.name + _TEMP_SUFFIX)
        with open(temp, "wb") as handle:
            handle.write(data)
        return Staged(key, state, temp)


class Staging:
    """Collects a build's files as temporary files, then commits them all or none."""

    def __init__(self, output: Path, manifest: Manifest | None) -> None:
        """``manifest`` is the output's, as read_manifest gives it (read once per build)."""
        self.output = output
        if manifest is None and output.exists() and any(output.iterdir()):
            raise OutputError(
                f"{output} is not empty and was not built by digest; choose an empty or new "
                "folder with --output, or delete this one"
            )
        self.manifest = manifest or Manifest({})
        self.files: dict[str, FileState] = {}
        self.staged: list[tuple[Path, Path, str]] = []
        self.unchanged = 0
        self.stager = FileStager(output, self.manifest.files)

    def adopt(self, staged: Staged) -> None:
        """Record a staged file; two writers of one path are an error, not an overwrite."""
        if staged.key in self.files:
            raise OutputError(f"two pages would be written to {staged.key}")
        self.files[staged.key] = staged.state
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

    def commit(self, signature: str = "") -> WriteReport:
        """Move every staged file into place, drop files that no longer belong."""
        report = WriteReport(unchanged=self.unchanged)
        for temp, target, key in self.staged:
            os.replace(temp, target)
            report.written.append(key)
        self.staged.clear()
        for key in sorted(set(self.manifest.files) - set(self.files)):
            stale = self.output / key
            with contextlib.suppress(FileNotFoundError):
                stale.unlink()
                report.removed.append(key)
            _prune_empty(stale.parent, self.output)
        manifest = Manifest(dict(sorted(self.files.items())), signature)
        if manifest != self.manifest or not (self.output / MANIFEST).exists():
            write_manifest(self.output, manifest)
        self.manifest = manifest
        return report


def write_now(output: Path, files: Iterable[tuple[str, bytes]]) -> list[Staged]:
    """Replace these files at once, each atomically, outside any build (previews).

    The manifest is left as it was: the next build must learn of these files through
    ``Manifest.rewritten``.
    """
    stager = FileStager(output, {})
    written = []
    for path, data in files:
        staged = stager.stage(path, data)
        if staged.temp is not None:
            os.replace(staged.temp, output / staged.key)
        written.append(Staged(staged.key, staged.state, None))
    return written


def write_manifest(output: Path, manifest: Manifest) -> None:
    files = {k: [s.digest, s.size, s.page_key] for k, s in manifest.files.items()}
    # No indent: json's C encoder only runs without one (ten times faster at 10,000 pages).
    text = json.dumps({"signature": manifest.signature, "files": files}, separators=(",", ":"))
    output.mkdir(parents=True, exist_ok=True)
    temp = output / (MANIFEST + _TEMP_SUFFIX)
    temp.write_text(text + "\n", encoding="utf-8")
    os.replace(temp, output / MANIFEST)


def _prune_empty(folder: Path, root: Path) -> None:
    while folder != root and root in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
