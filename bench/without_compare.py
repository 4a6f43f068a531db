"""``digest build`` with no story's versions compared: the pages Hugo's templates render.

    .venv/bin/python bench/without_compare.py build --site SITE --output DIR --timings

The same command line and the same build, except that the compare stage returns no
comparisons. Articles are then shown without their shared sentences marked, story pages
without "How the versions compare", and no compare.json is written: what bench/hugo/'s
templates render. digest still groups the articles into stories (Hugo is given them) and
still builds the search index. bench/run.py times it beside the real build and Hugo, so the
table shows how much of digest's time the comparison takes. It measures; it is not a way to
build a site.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import digest.build
from digest.cli import main


def no_comparisons(*args: object, **kwargs: object) -> dict[str, object]:
    """What the compare stage gives when no story is compared."""
    return {}


if __name__ == "__main__":
    digest.build.compare_all = no_comparisons  # type: ignore[attr-defined,assignment]
    sys.exit(main())
