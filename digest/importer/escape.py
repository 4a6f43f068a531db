"""Plain text to Markdown that renders as the same text.

Imported articles are plain text, but their bodies are rendered as Markdown: a ``*`` or a
leading ``1.`` would turn into formatting. Escaping with backslashes keeps the file readable
for the editor and the page true to the original words.
"""

from __future__ import annotations

import re

# Characters that start inline markup anywhere in a line (code, emphasis, links, autolinks).
_INLINE = re.compile(r"[\\`*_\[\]<]|&(?=#?[0-9A-Za-z]+;)")
# In a heading, a trailing run of ``#`` would close it: escape every one.
_INLINE_HEADING = re.compile(r"[\\`*_\[\]<#]|&(?=#?[0-9A-Za-z]+;)")
# Markers that only count at the start of a line: headings, quotes, list items, rules.
_LEADING = re.compile(r"^(?:[#>+=-]|(\d{1,9})([.)]))")
_STARTERS = frozenset("#>+=-0123456789")


def normalise_space(text: str) -> str:
    """One space between words: line breaks inside a plain-text paragraph are layout only."""
    # Every white space but " " is unprintable: the common, clean case costs two scans.
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    return " ".join(text.split())


def escape_inline(text: str, pattern: re.Pattern[str] = _INLINE) -> str:
    """Escape what Markdown would read as markup; ``text`` is one normalised line."""
    escaped = pattern.sub(r"\\\g<0>", text)
    if escaped[:1] in _STARTERS:  # most lines start with a letter: skip the second pass
        return _LEADING.sub(_escape_leading, escaped, count=1)
    return escaped


def _escape_leading(match: re.Match[str]) -> str:
    if match.group(1) is not None:
        return f"{match.group(1)}\\{match.group(2)}"
    return "\\" + match.group(0)


def paragraph(text: str) -> str:
    """A plain-text paragraph as a Markdown paragraph."""
    return escape_inline(normalise_space(text))


def heading(text: str) -> str:
    """A crosshead as a level-2 heading; every ``#`` is escaped so none closes the heading."""
    return "## " + escape_inline(normalise_space(text), _INLINE_HEADING)
