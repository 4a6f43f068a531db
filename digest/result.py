"""What a build reports: its model (if it made one), counts, files, warnings and timings."""

from __future__ import annotations

from dataclasses import dataclass

from digest.errors import Problem
from digest.model import SiteModel
from digest.output import WriteReport
from digest.timing import Timings


@dataclass(frozen=True, slots=True)
class BuildResult:
    """What a successful build made."""

    model: SiteModel | None
    """The site model it rendered; None when nothing had changed since the last build."""
    stories: int
    """How many stories the site has."""
    articles: int
    """How many articles the site has."""
    report: WriteReport
    """Files written, unchanged and removed."""
    warnings: tuple[Problem, ...]
    """Things the editor should know that did not stop the build."""
    timings: Timings
    """Seconds per stage."""
