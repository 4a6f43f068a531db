"""Previews: an edited article's pages written at once, then the whole build catches up."""

from __future__ import annotations

from pathlib import Path

import pytest

from digest.build import Builder, build
from digest.output import MANIFEST
from tests.conftest import article, tree, write_site

BODY = (
    "The leaders of Russia and Turkey met near Moscow on Tuesday to discuss Idlib.\n\n"
    "Erdogan said the situation had become so complicated."
)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return write_site(
        tmp_path / "site",
        {
            "content/afp.md": article("Putin and Erdogan meet", "2019-08-27", "AFP", BODY),
            "content/aa.md": article("Erdogan meets Putin", "2019-08-27", "AA", BODY),
            "content/other.md": article("Aid convoy reaches Sittwe", "2019-09-20", "AFP"),
        },
    )


def pages(output: Path) -> dict[str, bytes]:
    return {path: data for path, data in tree(output).items() if path != MANIFEST}


def fresh_build(site: Path, folder: Path) -> dict[str, bytes]:
    """The output a build from nothing gives for the site as it is now."""
    build(site, folder)
    return pages(folder)


def test_an_edit_shows_its_pages_at_once_and_the_build_then_equals_a_fresh_one(
    site: Path, tmp_path: Path
) -> None:
    builder = Builder(site, tmp_path / "out", previews=True)
    builder.build()
    before = pages(tmp_path / "out")
    story = next(p for p in before if p.startswith("stories/") and p.endswith("index.html"))
    source = site / "content" / "afp.md"
    source.write_text(article("Putin and Erdogan talk Idlib", "2019-08-27", "AFP", BODY))

    written = builder.preview([source])

    assert written == ["articles/afp/index.html", story]
    now = pages(tmp_path / "out")
    assert b"Putin and Erdogan talk Idlib" in now["articles/afp/index.html"]
    assert b"Putin and Erdogan talk Idlib" in now[story]
    assert {path for path in now if now[path] != before[path]} == set(written)

    builder.build()
    assert pages(tmp_path / "out") == fresh_build(site, tmp_path / "fresh")


def test_a_preview_reverted_before_the_build_is_undone_by_it(site: Path, tmp_path: Path) -> None:
    builder = Builder(site, tmp_path / "out", previews=True)
    builder.build()
    source = site / "content" / "afp.md"
    original = source.read_text(encoding="utf-8")
    source.write_text(article("A title the editor took back", "2019-08-27", "AFP", BODY))
    assert builder.preview([source])
    source.write_text(original, encoding="utf-8")

    # The input is again what the last build saw: it must still replace the preview.
    builder.build()
    assert b"took back" not in b"".join(pages(tmp_path / "out").values())
    assert pages(tmp_path / "out") == fresh_build(site, tmp_path / "fresh")


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("new.md", article("A new article", "2019-08-27", "AFP", BODY)),
        ("afp.md", "---\ntitle: [unclosed\ndate: 2019-08-27\nsource: AFP\n---\nB.\n"),
        ("afp.md", article("Putin and Erdogan meet", "2019-08-29", "AFP", BODY)),
        ("afp.md", article("Putin and Erdogan meet", "2019-08-27", "AFP", BODY)),
    ],
    ids=["new-file", "broken", "new-date", "unchanged"],
)
def test_what_cannot_be_previewed_waits_for_the_build(
    site: Path, tmp_path: Path, name: str, text: str
) -> None:
    builder = Builder(site, tmp_path / "out", previews=True)
    builder.build()
    before = pages(tmp_path / "out")
    (site / "content" / name).write_text(text, encoding="utf-8")
    assert builder.preview([site / "content" / name]) == []
    assert pages(tmp_path / "out") == before


def test_files_outside_content_are_never_previewed(site: Path, tmp_path: Path) -> None:
    builder = Builder(site, tmp_path / "out", previews=True)
    builder.build()
    elsewhere = tmp_path / "afp.md"
    elsewhere.write_text(article("Not the site's", "2019-08-27", "AFP", BODY), encoding="utf-8")
    assert builder.preview([elsewhere, site / "site.toml"]) == []


def test_without_previews_nothing_is_kept_or_written(site: Path, tmp_path: Path) -> None:
    builder = Builder(site, tmp_path / "out")
    builder.build()
    source = site / "content" / "afp.md"
    source.write_text(article("Putin and Erdogan talk Idlib", "2019-08-27", "AFP", BODY))
    assert builder.last is None and builder.preview([source]) == []


def test_a_builder_with_previews_builds_even_an_up_to_date_output(
    site: Path, tmp_path: Path
) -> None:
    build(site, tmp_path / "out")
    builder = Builder(site, tmp_path / "out", previews=True)
    result = builder.build()
    assert builder.last is not None and result.model is not None
    assert result.report.written == []  # it renders to have a model, and finds all in place
