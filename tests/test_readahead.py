"""digest.readahead: files are yielded in order, and the kernel is asked for the ones ahead."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from digest import readahead as module
from digest.ingest import read_sources
from digest.load import load_content
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
def test_odd_files_are_yielded_and_a_symlink_is_not_followed(
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


@needs_fadvise
@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="no /proc/self/fd here")
def test_no_file_is_left_open(tmp_path: Path) -> None:
    paths = _files(tmp_path, 200)
    before = len(os.listdir("/proc/self/fd"))
    reading = readahead(paths, 64)
    next(reading)  # the first 65 are asked for; stopping here must hold none of them open
    assert len(os.listdir("/proc/self/fd")) == before
    assert len(list(reading)) == 199
    assert len(os.listdir("/proc/self/fd")) == before


def test_without_fadvise_the_paths_come_as_they_are(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = _files(tmp_path, 3)
    monkeypatch.delattr(module.os, "posix_fadvise", raising=False)
    assert list(readahead(paths)) == paths
    assert list(readahead([])) == []


@needs_fadvise
def test_a_window_below_one_asks_for_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = _files(tmp_path, 3)
    asked = _record_hints(monkeypatch)
    assert list(readahead(paths, 0)) == paths
    assert asked == []


@needs_fadvise
def test_a_build_reads_every_content_file_after_asking_for_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = _files(tmp_path / "content", 5)
    asked = _record_hints(monkeypatch)
    sources, problems = read_sources(tmp_path)
    assert not problems
    assert [s.raw for s in sources] == [p.read_bytes() for p in paths]
    assert asked == [p.stat().st_ino for p in paths]


@needs_fadvise
def test_the_importer_reads_the_content_it_checks_against_after_asking_for_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "content"
    folder.mkdir()
    paths = [folder / f"a{n}.md" for n in range(3)]
    for n, path in enumerate(paths):
        path.write_text(f"---\ntitle: T{n}\ndate: 2024-01-0{n + 1}\nsource: S\n---\nBody {n}.\n")
    asked = _record_hints(monkeypatch)
    loaded = load_content(tmp_path)
    assert not loaded.problems
    assert [r.title for r in loaded.records] == ["T0", "T1", "T2"]
    assert asked == [p.stat().st_ino for p in paths]
