"""Measuring one child process: wall time, CPU (user + system) and peak memory; and medians.

CPU and the kernel's peak RSS come from ``os.wait4``, which reports the child together with
every descendant it waited for (worker processes included). The kernel's figure is the peak of
the largest single process, so a sampler also adds up the proportional set size (PSS) of the
whole process tree every few milliseconds: with worker processes, that sum is the memory the
build really held. The reported peak is the larger of the two.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

MIB = 1024 * 1024
SAMPLE_SECONDS = 0.02
"""The shortest pause between two samples of the tree's memory."""
SAMPLE_SHARE = 0.05
"""The share of one core the sampling keeps under (pausing at most SAMPLE_MAX_SECONDS):
reading a process's smaps_rollup makes the kernel walk its page tables, about 35 ms per GB
of memory, and that time is taken from the cores the measured command runs on. Without
this bound, sampling every 20 ms took most of a core from a 10,000-article build."""
SAMPLE_MAX_SECONDS = 1.0
"""The longest pause: a large tree (2-3 GB, ~90 ms a sample) is still sampled every second,
at up to 9% of a core, so that a short peak is not missed."""


@dataclass(frozen=True, slots=True)
class Run:
    """What one run of a command cost."""

    wall: float
    """Seconds from start to exit."""
    user: float
    """CPU seconds in user mode, the process and its waited-for children."""
    system: float
    """CPU seconds in the kernel, likewise."""
    max_rss: int
    """Bytes: the kernel's peak resident set of the largest single process."""
    tree_pss: int
    """Bytes: the largest sampled sum of PSS over the process tree (0 if never sampled)."""
    returncode: int
    """The exit code; negative for a signal."""
    stdout: str
    """What it printed."""
    stderr: str
    """What it printed as errors."""

    @property
    def cpu(self) -> float:
        """User plus system seconds."""
        return self.user + self.system

    @property
    def peak(self) -> int:
        """Bytes: the larger of the kernel's single-process peak and the sampled tree sum."""
        return max(self.max_rss, self.tree_pss)


def _children(pid: int) -> list[int]:
    """Direct children of ``pid`` (every thread's), from /proc; empty when unavailable."""
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as handle:
                found += [int(c) for c in handle.read().split()]
        except OSError:
            continue
    return found


def _pss(pid: int) -> int:
    """Bytes of proportional set size of one process; 0 when it is gone."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        return 0
    return 0


def tree_pss(pid: int) -> int:
    """Bytes of PSS of ``pid`` and all its descendants right now."""
    total = 0
    pending = [pid]
    seen: set[int] = set()
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        total += _pss(current)
        pending += _children(current)
    return total


class _Sampler(threading.Thread):
    """Polls the tree's PSS until told to stop; keeps the largest sum."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            start = time.perf_counter()
            self.peak = max(self.peak, tree_pss(self.pid))
            took = time.perf_counter() - start
            pause = max(SAMPLE_SECONDS, took * (1 - SAMPLE_SHARE) / SAMPLE_SHARE)
            self.done.wait(min(pause, SAMPLE_MAX_SECONDS))


def measure(
    command: Sequence[str],
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float | None = None,
) -> Run:
    """Run ``command`` to its end and measure it; output is captured, never shown."""
    start = time.perf_counter()
    with (
        open(os.devnull, "rb") as stdin,
        _Capture() as out,
        _Capture() as err,
    ):
        process = subprocess.Popen(
            list(command),
            cwd=cwd,
            env=dict(env) if env is not None else None,
            stdin=stdin,
            stdout=out.handle,
            stderr=err.handle,
        )
        sampler = _Sampler(process.pid)
        sampler.start()
        deadline = None if timeout is None else start + timeout
        status, usage = _wait(process, deadline)
        wall = time.perf_counter() - start
        sampler.done.set()
        sampler.join()
        process.returncode = os.waitstatus_to_exitcode(status)
        return Run(
            wall=wall,
            user=usage.ru_utime,
            system=usage.ru_stime,
            max_rss=usage.ru_maxrss * 1024,
            tree_pss=sampler.peak,
            returncode=process.returncode,
            stdout=out.text(),
            stderr=err.text(),
        )


def _wait(
    process: subprocess.Popen[bytes], deadline: float | None
) -> tuple[int, resource.struct_rusage]:
    """Reap the child with its resource usage; kill it past the deadline."""
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG if deadline else 0)
        if pid:
            return status, usage
        if deadline is not None and time.perf_counter() > deadline:
            process.kill()
            pid, status, usage = os.wait4(process.pid, 0)
            return status, usage
        time.sleep(0.005)


class _Capture:
    """A temporary file to capture output: no pipe to drain while the child runs."""

    def __enter__(self) -> _Capture:
        self.handle = tempfile.TemporaryFile()
        return self

    def __exit__(self, *exc: object) -> None:
        self.handle.close()

    def text(self) -> str:
        self.handle.seek(0)
        return self.handle.read().decode("utf-8", "replace")


@dataclass(slots=True)
class Series:
    """Repeated runs of one measurement."""

    runs: list[Run] = field(default_factory=list)

    def median(self, pick: Callable[[Run], float]) -> float:
        return statistics.median(pick(r) for r in self.runs) if self.runs else float("nan")

    def spread(self, pick: Callable[[Run], float]) -> tuple[float, float]:
        values = [pick(r) for r in self.runs]
        return (min(values), max(values)) if values else (float("nan"), float("nan"))

    @property
    def failed(self) -> Run | None:
        """The first run that exited non-zero, if any."""
        return next((r for r in self.runs if r.returncode != 0), None)

    def summary(self) -> dict[str, float]:
        """Medians (and wall's range) as plain numbers, for results.json."""
        low, high = self.spread(lambda r: r.wall)
        return {
            "runs": len(self.runs),
            "wall_s": self.median(lambda r: r.wall),
            "wall_min_s": low,
            "wall_max_s": high,
            "cpu_s": self.median(lambda r: r.cpu),
            "user_s": self.median(lambda r: r.user),
            "system_s": self.median(lambda r: r.system),
            "peak_mib": self.median(lambda r: r.peak) / MIB,
            "max_rss_mib": self.median(lambda r: r.max_rss) / MIB,
            "tree_pss_mib": self.median(lambda r: r.tree_pss) / MIB,
        }


def alternate(
    steps: Sequence[tuple[str, Callable[[], Mapping[str, Run]]]], repeat: int
) -> dict[str, Series]:
    """Run the contenders in turn, ``repeat`` rounds, reversing their order every other round.

    Each step measures one contender and may return several runs (a cold build, then a
    rebuild), keyed by name. Alternating (A B, B A, ...) spreads slow drift of the machine
    (other jobs, page cache, thermal state) evenly over the contenders, so medians compare.
    """
    series: dict[str, Series] = {}
    for round_number in range(repeat):
        order = steps if round_number % 2 == 0 else list(reversed(steps))
        for _, step in order:
            for name, run in step().items():
                series.setdefault(name, Series()).runs.append(run)
    return series
