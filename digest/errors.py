"""The exceptions the library raises; only the CLI prints them.

Every problem carries the file and line where it was found so that editors and CI can jump
to it (GCC style: ``path:line: field: message (hint: ...)``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the input, located as precisely as we can."""

    path: str
    """The file, relative to the site when it lies inside it."""
    line: int | None
    """1-based line, or None when the problem concerns the whole file."""
    message: str
    """What is wrong, starting with the field name when there is one."""
    hint: str = ""
    """How to fix it; empty when the message says it all."""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        hint = f" (hint: {self.hint})" if self.hint else ""
        return f"{where}: {self.message}{hint}"

    @property
    def sort_key(self) -> tuple[str, int, str]:
        return (self.path, self.line or 0, self.message)


class DigestError(Exception):
    """Base of every error the library raises on purpose."""


class ProblemsError(DigestError):
    """Input is invalid; carries every problem found, not only the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: p.sort_key)
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self) -> tuple[type[ProblemsError], tuple[list[Problem]]]:
        """Survive the trip back from a worker process."""
        return (ProblemsError, (self.problems,))


class OutputError(DigestError):
    """The output folder cannot be written safely."""


def display_path(path: Path, root: Path) -> str:
    """Show ``path`` relative to ``root`` when inside it, so messages stay short."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)
