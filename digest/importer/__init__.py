"""Raw articles (plain text, JSON Lines, Markdown) into ``content/*.md``, with provenance.

What the input does not say is never invented: a derived headline or an inferred date is
recorded under ``provenance:`` in the front matter, and an article with no date it can
stand behind is imported as a draft.
"""

from digest.importer.report import Action, ImportItem, ImportReport
from digest.importer.run import run_import

__all__ = ["Action", "ImportItem", "ImportReport", "run_import"]
