"""Both cores for cold builds: chunks of a list handled in this process and forked workers.

Workers are forked after the data they need exists, so nothing is pickled on the way in;
their results travel back a chunk at a time. Workers take chunks one at a time from a shared
count, so a slow chunk does not hold the others back; this process takes chunks too.
Small jobs, and platforms without fork, run inline.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

R = TypeVar("R")
MIN_ITEMS = 400
"""Below this many items, forking costs more than it saves."""
CHUNK_ITEMS = 2_000
"""Most items in a chunk: a worker holds a chunk's results twice while it pickles them to
send back, and eight chunks of a 100,000-article build held 12,500 file entries each."""
SHARES = 2
"""A chunk takes 1/SHARES of the items left per process (see ``chunk_bounds``)..."""
FEWEST = 16
"""...but no fewer than 1/(jobs * FEWEST) of all the items, nor than CHUNK_ITEMS // 8, so
that a job has few chunks: each costs a round trip, and in the grouping, the vectors of the
block after it."""
SWITCH_INTERVAL = 0.0005
"""Seconds this process's working thread may hold the GIL while the thread that reads the
workers' results waits (Python's default is 0.005), while a job runs (see ``map_chunks``)."""

_shared: tuple[Callable[[int, int], list[Any]], list[tuple[int, int]], Any] | None = None
"""The work, its chunks, and the shared count of chunks taken, set before a fork."""


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _load_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (AttributeError, OSError):  # not glibc (musl has no malloc_trim)
        return None
    trim.argtypes = [ctypes.c_size_t]
    found: Callable[[int], int] = trim
    return found


_TRIM = _load_trim()


def release_freed_memory() -> None:
    """Hand the heap memory this process freed back to the system (glibc only).

    glibc keeps freed memory for reuse: after the grouping and the reading of every file,
    a 10,000-article build's main process held 60 MiB it no longer used, counted in its
    memory and in every worker forked from it. A worker releases what a chunk freed.
    """
    if _TRIM is not None:
        _TRIM(0)


def _end_with_parent(parent: int) -> None:
    """In each worker: end it once its parent is gone.

    A build killed outright (SIGKILL, out of memory) cannot stop its workers, and a worker
    waiting for chunks would wait forever, holding its copy of the build's memory.
    """

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="end-with-parent", daemon=True).start()


def _take_one() -> tuple[int, list[Any]] | None:
    """The next chunk nobody has taken, as (its number, its results); None when none is left.

    A worker sends each chunk's results back as soon as they are done: a worker that kept
    them until the end held half of a 100,000-article build's file entries, and then a
    pickled copy of them, on top of the main process's half (2.2 GiB at the peak).
    """
    assert _shared is not None, "worker forked before the work was set"
    work, bounds, taken = _shared
    release_freed_memory()  # what the last chunk's results took, sent back and freed since
    with taken.get_lock():
        number = taken.value
        taken.value += 1
    if number >= len(bounds):
        return None
    try:
        return number, work(*bounds[number])
    except BaseException:
        with taken.get_lock():  # a failed chunk fails the whole job: nobody takes another
            taken.value = len(bounds)
        raise


def chunk_bounds(count: int, jobs: int) -> list[tuple[int, int]]:
    """``range(count)`` cut into chunks that shrink toward the end, as (start, stop).

    With equal chunks, one process could be left working alone on its last chunk while the
    others had none left. Each chunk takes a share of what is left, so the last ones are
    small and the processes end close together; what would be left after a chunk smaller
    than the least size joins it.
    """
    least = max(1, min(count // (jobs * FEWEST), CHUNK_ITEMS // 8))
    bounds = []
    start = 0
    while start < count:
        size = min(CHUNK_ITEMS, max(least, -(-(count - start) // (jobs * SHARES))))
        if count - start - size < least:
            size = count - start
        bounds.append((start, start + size))
        start += size
    return bounds


def map_chunks(
    work: Callable[[int, int], list[R]],
    count: int,
    jobs: int,
    *,
    min_items: int = MIN_ITEMS,
) -> list[R]:
    """``work(start, stop)`` over ``range(count)`` in chunks; results concatenated in order.

    This process is one of the ``jobs`` and takes chunks too, so one worker fewer copies
    the pages of this process it touches: a 10,000-article build peaked 30-40 MiB lower,
    in the same time (51.8 and 53.6 s against 55.2 and 51.9 s; an earlier measure that
    found it slower was taken with a memory sampler that loaded the machine).
    """
    global _shared
    can_fork = "fork" in multiprocessing.get_all_start_methods()
    if jobs <= 1 or count < min_items or not can_fork:
        return work(0, count)
    bounds = chunk_bounds(count, jobs)
    context = multiprocessing.get_context("fork")
    taken = context.Value("l", 0)
    _shared = (work, bounds, taken)
    # Objects that exist at the fork are left out of the cycle collector's walks: a worker
    # that walked them would write to every page of the parent's heap, and so copy it all.
    gc.freeze()
    release_freed_memory()
    # The executor's thread reads a chunk's results from a pipe that holds 64 KiB and needs
    # the GIL back after each read, while this thread works on its own chunks. At Python's
    # 5 ms a switch, a worker spent 2 s of a 10 s load stage waiting to send its results
    # (6.6 MB for 2,000 files, about 100 reads).
    switch = sys.getswitchinterval()
    lowered = min(switch, SWITCH_INTERVAL)
    try:
        sys.setswitchinterval(lowered)
        workers = jobs - 1
        with ProcessPoolExecutor(
            max_workers=workers,
            mp_context=context,
            initializer=_end_with_parent,
            initargs=(os.getpid(),),
        ) as pool:
            # One task a chunk, more than the workers will get: once every chunk is taken,
            # the tasks left over return at once.
            helpers = [pool.submit(_take_one) for _ in bounds]
            try:
                done = dict(iter(_take_one, None))
                for helper in helpers:
                    taken_by_worker = helper.result()
                    if taken_by_worker is not None:
                        done[taken_by_worker[0]] = taken_by_worker[1]
            except BaseException:
                with taken.get_lock():  # the workers stop after their chunk in hand
                    taken.value = len(bounds)
                for helper in helpers:  # a worker's error: the tasks not yet started
                    helper.cancel()
                raise
    finally:
        # Restored unless another thread set it meanwhile (``digest serve`` stopping while
        # a build runs restores its own): that setting is the one to keep.
        if sys.getswitchinterval() == lowered:
            sys.setswitchinterval(switch)
        _shared = None
        gc.unfreeze()
    return [result for number in range(len(bounds)) for result in done[number]]
