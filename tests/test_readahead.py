"""digest.readahead: files are yielded in order, and the kernel is asked for the ones ahead."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from digest import readahead as module
from digest.ingest import read_sources
from digest.readahead import readahead

needs_fadvise = pytest.mark.skipif(
    not hasattr(os, "posix_fadvise"), reason="no posix_fadvise here (macOS, Windows)"
)


def _files(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"{n:03}.md" for n in range(count)]
    for n, path in enumerate(paths):
        path.write_text(f"file {n}\n")
    return paths


def _record_hints(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The inode of every file the kernel is asked to read ahead, in order."""
    asked: list[int] = []
    real = os.posix_fadvise

    def fadvise(fd: int, offset: int, length: int, advice: int) -> None:
        assert advice == os.POSIX_FADV_WILLNEED
        asked.append(os.fstat(fd).st_ino)
        real(fd, offset, length, advice)

    monkeypatch.setattr(module.os, "posix_fadvise", fadvise)
    return asked


@needs_fadvise
@pytest.mark.parametrize("window", [1, 3, 64])
def test_each_file_is_asked_for_once_and_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, window: int
) -> None:
    paths = _files(tmp_path, 10)
    inodes = [path.stat().st_ino for path in paths]
    asked = _record_hints(monkeypatch)
    seen = []
    for index, path in enumerate(readahead(paths, window)):
        seen.append(path)
        # This file and the next `window` are asked for by now; none beyond them.
        assert asked == inodes[: min(index + 1 + window, len(paths))]
    assert seen == paths
    assert asked == inodes


@needs_fadvise
@pytest.mark.timeout(20)
def test_odd_files_are_yielded_but_not_opened_for_reading_ahead(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (plain,) = _files(tmp_path / "content", 1)
    outside = tmp_path / "secret.md"
    outside.write_text("not content\n")
    link = tmp_path / "content" / "link.md"
    link.symlink_to(outside)
    fifo = tmp_path / "content" / "pipe.md"
    os.mkfifo(fifo)  # opening it to read would wait for a writer
    gone = tmp_path / "content" / "gone.md"
    asked = _record_hints(monkeypatch)
    paths = [link, fifo, gone, plain]
    assert list(readahead(paths, 2)) == paths
    assert plain.stat().st_ino in asked
    assert outside.stat().st_ino not in asked  # the symlink is not followed


def test_without_fadvise_the_paths_come_as_they_are(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = _files(tmp_path, 3)
    monkeypatch.delattr(module.os, "posix_fadvise", raising=False)
    assert list(readahead(paths)) == paths
    assert list(readahead([])) == []


@needs_fadvise
def test_a_build_reads_every_content_file_after_asking_for_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = _files(tmp_path / "content", 5)
    asked = _record_hints(monkeypatch)
    sources, problems = read_sources(tmp_path)
    assert not problems
    assert [s.raw for s in sources] == [p.read_bytes() for p in paths]
    assert sorted(asked) == sorted(p.stat().st_ino for p in paths)
