"""Both cores for cold builds: chunks of a list handled in forked worker processes.

Workers are forked after the data they need exists, so nothing is pickled on the way in;
only their small results travel back. Small jobs, and platforms without fork, run inline.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

R = TypeVar("R")
MIN_ITEMS = 400
"""Below this many items, forking costs more than it saves."""

_work: Callable[[int, int], list[Any]] | None = None


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _run(start: int, stop: int) -> list[Any]:
    assert _work is not None, "worker forked before the work was set"
    return _work(start, stop)


def map_chunks(
    work: Callable[[int, int], list[R]], count: int, jobs: int, *, min_items: int = MIN_ITEMS
) -> list[R]:
    """``work(start, stop)`` over ``range(count)`` in chunks; results concatenated in order."""
    global _work
    can_fork = "fork" in multiprocessing.get_all_start_methods()
    if jobs <= 1 or count < min_items or not can_fork:
        return work(0, count)
    chunks = jobs * 4
    bounds = [(count * i // chunks, count * (i + 1) // chunks) for i in range(chunks)]
    _work = work
    # Objects that exist at the fork are left out of the cycle collector's walks: a worker
    # that walked them would write to every page of the parent's heap, and so copy it all.
    gc.freeze()
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            futures = [pool.submit(_run, start, stop) for start, stop in bounds if stop > start]
            results: list[R] = []
            for future in futures:
                results.extend(future.result())
        return results
    finally:
        _work = None
        gc.unfreeze()
