"""Markdown with front matter: validated exactly as the build validates it, then copied."""

from __future__ import annotations

from digest.errors import Problem
from digest.importer import plaintext
from digest.importer.draft import Draft
from digest.load import read_article


def read(raw: bytes, where: str, stem: str) -> Draft | list[Problem]:
    """The file as a draft to copy, or the build's own problems with it.

    ``stem`` is the name it will have in content/, so an id taken from the file name is the
    same before and after the copy.
    """
    record, problems, _ = read_article(raw, where, stem)
    if record is None:
        return problems
    paragraphs = plaintext.paragraphs(record.body)
    notes = dict(record.provenance)
    return Draft(
        origin=where,
        where=where,
        line=None,
        id=record.id,
        title=record.title,
        date=record.date,
        source=record.source,
        body=record.body,
        lead=paragraphs[0].text if paragraphs else "",
        copy=raw,
        stem=stem,
        date_noted="date" in notes or record.draft,
    )
