"""What open pages learn from the server: an epoch that good builds bump, and the errors.

A build holds the gate for writing, so a request that arrives during it waits and then
sees the whole new site (or, after a failed build, the whole previous one). The state is
published before the gate opens, so a page always carries the epoch of the files it shows.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace


class Gate:
    """A readers-writer lock that favours the writer: requests read, a build writes."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writing = False
        self._writers_waiting = 0

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Wait for a build in progress (or about to start), then read."""
        with self._cond:
            while self._writing or self._writers_waiting:
                self._cond.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                if not self._readers:
                    self._cond.notify_all()

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Hold off new readers, wait for current ones, then write alone."""
        with self._cond:
            self._writers_waiting += 1
            while self._writing or self._readers:
                self._cond.wait()
            self._writers_waiting -= 1
            self._writing = True
        try:
            yield
        finally:
            with self._cond:
                self._writing = False
                self._cond.notify_all()


@dataclass(frozen=True, slots=True)
class State:
    """What every open page needs to know."""

    session: str
    """Random per server, so that a restarted server never repeats an old epoch."""
    epoch: int
    """Bumped by every good build; a page from another epoch reloads."""
    version: int
    """Bumped by every published state, good or failed, so that listeners wake."""
    problems: tuple[str, ...] = ()
    """The last build's errors as ``path:line: message``; empty when it was good."""
    changed: tuple[str, ...] | None = None
    """Output files written or removed since the epoch before; None: maybe any."""

    @property
    def tag(self) -> str:
        """The epoch as pages carry it."""
        return f"{self.session}-{self.epoch}"

    def to_json(self) -> str:
        """One line of JSON: {"epoch", "after", "changed", "problems"}.

        A page of epoch ``after`` whose file is not in ``changed`` is still current.
        """
        changed = None if self.changed is None else list(self.changed)
        after = f"{self.session}-{self.epoch - 1}"
        return json.dumps(
            {"epoch": self.tag, "after": after, "changed": changed, "problems": list(self.problems)}
        )


def sse(state: State) -> bytes:
    """One server-sent event carrying the state."""
    return f"event: state\ndata: {state.to_json()}\n\n".encode()


class Channel:
    """The current state, and a way to wait for the next one."""

    def __init__(self, session: str) -> None:
        self._cond = threading.Condition()
        self._state = State(session, 0, 0)
        self._closed = False

    @property
    def state(self) -> State:
        with self._cond:
            return self._state

    @property
    def closed(self) -> bool:
        with self._cond:
            return self._closed

    def good(self, changed: tuple[str, ...] | None = None) -> State:
        """A build succeeded: a new epoch, no problems; ``changed``: the output files it
        wrote or removed, when known."""
        with self._cond:
            old = self._state
            return self._publish(replace(old, epoch=old.epoch + 1, problems=(), changed=changed))

    def failed(self, problems: tuple[str, ...]) -> State:
        """A build failed: same epoch (the last good site stays), these problems."""
        with self._cond:
            return self._publish(replace(self._state, problems=problems))

    def _publish(self, state: State) -> State:
        self._state = replace(state, version=self._state.version + 1)
        self._cond.notify_all()
        return self._state

    def wait_newer(self, version: int, timeout: float) -> State | None:
        """The state once its version is past ``version``; None on timeout or close."""
        with self._cond:
            self._cond.wait_for(lambda: self._state.version > version or self._closed, timeout)
            return None if self._closed or self._state.version <= version else self._state

    def close(self) -> None:
        """Wake every listener for good: the server is stopping."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()
