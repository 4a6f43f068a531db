"""The epoch channel and the gate that makes requests wait for a build."""

from __future__ import annotations

import json
import threading

from digest.serve.reload import Channel, Gate, State, sse


def test_good_builds_bump_the_epoch_failed_ones_keep_it() -> None:
    channel = Channel("s")
    assert channel.state == State("s", 0, 0)
    good = channel.good()
    assert (good.epoch, good.version, good.problems) == (1, 1, ())
    failed = channel.failed(("content/a.md:2: front matter: invalid YAML",))
    assert (failed.epoch, failed.version) == (1, 2)
    assert failed.problems == ("content/a.md:2: front matter: invalid YAML",)
    again = channel.failed(failed.problems)
    assert again.version == 3  # listeners wake even when the errors did not change
    fixed = channel.good()
    assert (fixed.epoch, fixed.version, fixed.problems) == (2, 4, ())
    assert fixed.tag == "s-2"


def test_the_event_carries_the_tag_and_the_problems() -> None:
    state = State("ab", 3, 7, ('content/a.md:1: no front matter "x"',))
    event = sse(state)
    assert event.startswith(b"event: state\ndata: ") and event.endswith(b"\n\n")
    assert event.count(b"\n") == 3  # one data line: the JSON holds no newline
    data = json.loads(event.split(b"data: ", 1)[1])
    assert data == {
        "epoch": "ab-3",
        "after": "ab-2",
        "changed": None,
        "problems": ['content/a.md:1: no front matter "x"'],
    }


def test_wait_newer() -> None:
    channel = Channel("s")
    assert channel.wait_newer(0, timeout=0.01) is None
    woken: list[State | None] = []
    waiter = threading.Thread(target=lambda: woken.append(channel.wait_newer(0, timeout=30)))
    waiter.start()
    published = channel.good()
    waiter.join(timeout=30)
    assert woken == [published]
    assert channel.wait_newer(0, timeout=0.01) == published  # already newer: no wait


def test_close_wakes_every_listener() -> None:
    channel = Channel("s")
    woken: list[State | None] = []
    waiters = [
        threading.Thread(target=lambda: woken.append(channel.wait_newer(0, timeout=60)))
        for _ in range(3)
    ]
    for waiter in waiters:
        waiter.start()
    channel.close()
    for waiter in waiters:
        waiter.join(timeout=30)
    assert woken == [None, None, None] and channel.closed


def test_a_reader_waits_for_the_writer() -> None:
    gate = Gate()
    log: list[str] = []
    reader_entered = threading.Event()

    def reader() -> None:
        with gate.reading():
            log.append("read")
            reader_entered.set()

    with gate.writing():
        thread = threading.Thread(target=reader)
        thread.start()
        assert not reader_entered.wait(0.2)  # it must not get in while the build runs
        log.append("wrote")
    thread.join(timeout=30)
    assert log == ["wrote", "read"]


def test_a_waiting_writer_goes_before_new_readers() -> None:
    gate = Gate()
    log: list[str] = []
    first_in, release_first = threading.Event(), threading.Event()

    def first_reader() -> None:
        with gate.reading():
            first_in.set()
            release_first.wait(30)
            log.append("first read")

    def writer() -> None:
        with gate.writing():
            log.append("wrote")

    late_in = threading.Event()

    def late_reader() -> None:
        with gate.reading():
            log.append("late read")
            late_in.set()

    threads = [threading.Thread(target=first_reader)]
    threads[0].start()
    first_in.wait(30)
    threads.append(threading.Thread(target=writer))
    threads[1].start()
    while not gate_has_waiting_writer(gate):
        threading.Event().wait(0.001)
    threads.append(threading.Thread(target=late_reader))
    threads[2].start()
    assert not late_in.wait(0.2)  # a build is waiting: new readers wait behind it
    release_first.set()
    for thread in threads:
        thread.join(timeout=30)
    assert log == ["first read", "wrote", "late read"]


def gate_has_waiting_writer(gate: Gate) -> bool:
    return bool(gate._writers_waiting)
