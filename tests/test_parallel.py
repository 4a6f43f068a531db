"""digest.parallel: chunks shared between this process and forked workers."""

from __future__ import annotations

import multiprocessing
import os
import time

import pytest

from digest.parallel import map_chunks

pytestmark = pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="workers are forked"
)


class Held:
    """A result that counts how many of its kind this process still holds."""

    alive = 0

    def __init__(self) -> None:
        Held.alive += 1

    def __del__(self) -> None:
        Held.alive -= 1

    def __reduce__(self) -> tuple[type[Held], tuple[()]]:
        return (Held, ())


def test_results_come_back_in_order_whoever_took_each_chunk() -> None:
    parent = os.getpid()

    def work(start: int, stop: int) -> list[tuple[int, bool]]:
        time.sleep(0.1)  # long enough for the worker to start and take some
        return [(i, os.getpid() == parent) for i in range(start, stop)]

    found = map_chunks(work, 1000, 2)
    assert [i for i, _ in found] == list(range(1000))
    assert {here for _, here in found} == {True, False}  # both processes took chunks


def test_a_worker_sends_each_chunks_results_back_before_taking_the_next() -> None:
    """A worker that kept its results until the end held half a large build's entries."""
    parent = os.getpid()

    def work(start: int, stop: int) -> list[tuple[int, int, Held | None]]:
        if os.getpid() == parent:
            time.sleep(0.3)  # so the worker takes most chunks, one after another
            return [(i, 0, None) for i in range(start, stop)]
        held_before = Held.alive  # this worker's results of its earlier chunks, if kept
        return [(i, held_before, Held()) for i in range(start, stop)]

    found = map_chunks(work, 800, 2)
    in_worker = [(held, item) for _, held, item in found if item is not None]
    assert len(in_worker) > 400  # the worker took several chunks
    assert max(held for held, _ in in_worker) == 0
