"""What an import did, item by item, for the command line to print."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from digest.errors import Problem


class Action(enum.Enum):
    """What happened to one input item."""

    CREATED = "created"
    UNCHANGED = "unchanged"
    KEPT = "kept because edited"
    SKIPPED = "skipped"


@dataclass(frozen=True, slots=True)
class ImportItem:
    """One input item (a file, or a line of a JSON Lines file) and what became of it."""

    origin: str
    """The input, as ``file`` or ``file:line``."""
    action: Action
    """Created, unchanged, kept (the editor changed the file) or skipped."""
    path: str | None = None
    """The content file, relative to the site; None when skipped."""
    problem: Problem | None = None
    """Why it was skipped, with file, line and hint; None otherwise."""
    needs_date: bool = False
    """Imported as a draft because no date was given or could be inferred."""


@dataclass(frozen=True, slots=True)
class ImportReport:
    """Every input item in input order, and warnings that did not stop anything."""

    items: tuple[ImportItem, ...]
    """One per article read (or per file or line that could not be read)."""
    warnings: tuple[Problem, ...] = ()
    """Things the editor may want to check, e.g. ignored JSON keys."""

    def _paths(self, action: Action) -> tuple[str, ...]:
        return tuple(i.path for i in self.items if i.action is action and i.path is not None)

    @property
    def created(self) -> tuple[str, ...]:
        """Content files written by this import."""
        return self._paths(Action.CREATED)

    @property
    def unchanged(self) -> tuple[str, ...]:
        """Content files that already held exactly what the import would write."""
        return self._paths(Action.UNCHANGED)

    @property
    def kept(self) -> tuple[str, ...]:
        """Content files left alone because they differ from the import (edited)."""
        return self._paths(Action.KEPT)

    @property
    def skipped(self) -> tuple[Problem, ...]:
        """Why each skipped item could not be imported."""
        return tuple(i.problem for i in self.items if i.problem is not None)

    @property
    def needs_date(self) -> tuple[str, ...]:
        """Drafts (new or already there) that wait for the editor to give a date."""
        return tuple(
            i.path
            for i in self.items
            if i.needs_date and i.path is not None and i.action is not Action.SKIPPED
        )
