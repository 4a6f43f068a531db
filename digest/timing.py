"""Per-stage wall times of a build, for ``--timings`` and the benchmark."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass(slots=True)
class Timings:
    """Stage name -> seconds, in the order the stages ran."""

    stages: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.stages[name] = self.stages.get(name, 0.0) + time.perf_counter() - start

    def report(self) -> str:
        total = sum(self.stages.values())
        rows = [f"{name:>10}  {seconds * 1000:9.1f} ms" for name, seconds in self.stages.items()]
        return "\n".join([*rows, f"{'total':>10}  {total * 1000:9.1f} ms"])
