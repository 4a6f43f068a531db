"""digest.parallel: chunks shared between this process and forked workers."""

from __future__ import annotations

import multiprocessing
import os
import sys
import time
from typing import Any

import pytest

from digest.parallel import CHUNK_ITEMS, SWITCH_INTERVAL, chunk_bounds, map_chunks

pytestmark = pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="workers are forked"
)

DEADLINE = 60.0
"""Seconds this process waits for the worker before the test fails: a loaded CI machine
may be slow to start it, but not that slow."""


class Held:
    """A result that counts how many of its kind this process still holds."""

    alive = 0

    def __init__(self) -> None:
        Held.alive += 1

    def __del__(self) -> None:
        Held.alive -= 1

    def __reduce__(self) -> tuple[type[Held], tuple[()]]:
        return (Held, ())


def _wait_for(done_by_worker: Any, count: int) -> None:
    """In this process: wait until the worker has finished ``count`` chunks."""
    deadline = time.monotonic() + DEADLINE
    while done_by_worker.value < count:
        assert time.monotonic() < deadline, "the worker took no chunks"
        time.sleep(0.01)


@pytest.mark.parametrize("jobs", [2, 3, 8])
@pytest.mark.parametrize("count", [1, 7, 105, 800, 10_000, 100_000])
def test_chunks_cover_every_item_once_and_shrink_toward_the_end(count: int, jobs: int) -> None:
    bounds = chunk_bounds(count, jobs)
    assert [start for start, _ in bounds] == [0] + [stop for _, stop in bounds[:-1]]
    assert bounds[-1][1] == count
    sizes = [stop - start for start, stop in bounds]
    assert min(sizes) > 0 and max(sizes) <= CHUNK_ITEMS
    assert sizes[:-1] == sorted(sizes[:-1], reverse=True)  # the last holds what was left
    if count >= 800:  # the last chunks are a small part of the work: the processes end together
        assert max(sizes[-3:]) <= count // 16
        assert len(bounds) <= count // CHUNK_ITEMS + 12 * jobs


def test_map_chunks_keeps_order_across_workers() -> None:
    def work(start: int, stop: int) -> list[tuple[int, int]]:
        time.sleep(0.1)  # long enough that the worker takes chunks as well as this process
        return [(i, os.getpid()) for i in range(start, stop)]

    for jobs in (2, 3):
        results = map_chunks(work, 50, jobs, min_items=1)
        assert [i for i, _ in results] == list(range(50))
        pids = {pid for _, pid in results}
        assert len(pids) == jobs and os.getpid() in pids, "this process and jobs - 1 workers"


def test_the_gil_changes_hands_often_during_a_job_and_as_before_after_it() -> None:
    """The executor's thread needs the GIL after each read of a worker's results."""
    before = sys.getswitchinterval()

    def work(start: int, stop: int) -> list[tuple[int, float]]:
        time.sleep(0.05)
        return [(os.getpid(), sys.getswitchinterval())] * (stop - start)

    try:
        sys.setswitchinterval(0.004)
        found = map_chunks(work, 40, 2, min_items=1)
        assert len({pid for pid, _ in found}) == 2
        assert {interval for _, interval in found} == {SWITCH_INTERVAL}
        assert sys.getswitchinterval() == 0.004
        sys.setswitchinterval(SWITCH_INTERVAL / 2)  # already shorter: kept
        found = map_chunks(work, 40, 2, min_items=1)
        assert {interval for _, interval in found} == {SWITCH_INTERVAL / 2}

        def set_elsewhere(start: int, stop: int) -> list[int]:
            if os.getpid() == parent:  # as digest serve does, stopping while a build runs
                sys.setswitchinterval(0.003)
            return list(range(start, stop))

        parent = os.getpid()
        sys.setswitchinterval(0.004)
        map_chunks(set_elsewhere, 40, 2, min_items=1)
        assert sys.getswitchinterval() == 0.003  # the other setting is kept
    finally:
        sys.setswitchinterval(before)


def test_map_chunks_failure_in_this_process_stops_the_workers() -> None:
    done_in_worker = multiprocessing.get_context("fork").Value("i", 0)

    def work(start: int, stop: int) -> list[int]:
        if os.getpid() == parent:
            raise ValueError(f"chunk {start}-{stop}")
        time.sleep(0.1)
        with done_in_worker.get_lock():
            done_in_worker.value += 1
        return list(range(start, stop))

    parent = os.getpid()
    before = sys.getswitchinterval()
    with pytest.raises(ValueError, match="chunk"):
        map_chunks(work, 800, 2, min_items=1)
    assert sys.getswitchinterval() == before
    # The worker finishes the chunk in hand and takes no more, not the seven left.
    assert done_in_worker.value <= 2


def test_a_worker_sends_each_chunks_results_back_before_taking_the_next() -> None:
    """A worker that kept its results until the end held half a large build's entries."""
    parent = os.getpid()
    done_by_worker = multiprocessing.get_context("fork").Value("l", 0)

    def work(start: int, stop: int) -> list[tuple[int, int, Held | None]]:
        if os.getpid() == parent:  # let the worker take several chunks, one after another
            _wait_for(done_by_worker, 3)
            return [(i, 0, None) for i in range(start, stop)]
        held_before = Held.alive  # this worker's results of its earlier chunks, if kept
        found = [(i, held_before, Held()) for i in range(start, stop)]
        with done_by_worker.get_lock():
            done_by_worker.value += 1
        return found

    found = map_chunks(work, 800, 2)
    assert [i for i, _, _ in found] == list(range(800))  # in order, whoever took each chunk
    in_worker = [held for _, held, item in found if item is not None]
    assert len(in_worker) >= 300  # three chunks, of 85 items at least
    assert max(in_worker) == 0


def test_a_worker_that_fails_stops_the_work_and_its_error_is_raised() -> None:
    parent = os.getpid()
    context = multiprocessing.get_context("fork")
    failed, started = context.Value("l", 0), context.Value("l", 0)

    def work(start: int, stop: int) -> list[int]:
        with started.get_lock():
            started.value += 1
        if os.getpid() == parent:
            _wait_for(failed, 1)  # this process's first chunk ends after the failure
            return list(range(start, stop))
        with failed.get_lock():
            failed.value += 1
        raise ValueError(f"chunk at {start} failed")

    with pytest.raises(ValueError, match="failed"):
        map_chunks(work, 800, 2)
    assert failed.value == 1, failed.value  # the worker took no chunk after its failure...
    assert started.value <= 2, started.value  # nor did this process, beyond the one in hand
