"""An article's rendered body: held in memory, or read back from the build cache on first use.

The rendered bodies are the largest thing a build derives (110 MiB of strings for 10,000
articles). A one-off build stores each in the build cache as it is rendered and keeps only
its key and lead in the article; the process (a worker, or the main one taking its share)
that compares or renders an article reads the body back when first asked for, and lets it
go again (``forget_loaded``) before it moves on. ``digest serve`` holds its bodies, as it
builds again and again.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from digest.errors import Problem, ProblemsError
from digest.load import file_key, read_article
from digest.markdown import RenderedBody, render_body
from digest.unpickling import unpickle

if TYPE_CHECKING:
    from digest.cache import SharedCache

TABLE = "bodies"
"""The build cache's table of rendered bodies, by file key."""


class Body:
    """One file's rendered body, known by its file key (the record's fingerprint).

    Equal to another body of the same key: a body is a function of its file's bytes.
    """

    __slots__ = ("_cache", "_file", "_value", "fingerprint", "lead")

    def __init__(
        self,
        fingerprint: str,
        lead: str,
        value: RenderedBody | None = None,
        *,
        cache: SharedCache | None = None,
        file: tuple[Path, str] | None = None,
    ) -> None:
        """``value`` holds it for good; otherwise it is read from ``cache`` and, if the cache
        lost it, rendered again from ``file`` (the site and the file's path in it)."""
        self.fingerprint = fingerprint
        self.lead = lead
        """The first paragraph as plain text (a summary when none is given)."""
        self._value = value
        held = value is not None
        self._cache = None if held else cache
        self._file = None if held else file

    @classmethod
    def held(cls, fingerprint: str, value: RenderedBody) -> Body:
        """A body kept in memory."""
        return cls(fingerprint, lead_of(value), value)

    def get(self) -> RenderedBody:
        """The rendered body, read back on first use."""
        value = self._value
        if value is None:
            value = self._value = self._read() or self._render_again()
            _LOADED.append(self)
        return value

    def forget(self) -> None:
        """Let a body that can be read back go (one held in memory stays)."""
        if self._cache is not None or self._file is not None:
            self._value = None

    def _read(self) -> RenderedBody | None:
        data = self._cache.get_raw(self.fingerprint, TABLE) if self._cache is not None else None
        value = unpickle(data)
        return value if isinstance(value, RenderedBody) else None

    def _render_again(self) -> RenderedBody:
        """The body rendered from its file: the cache lost it (another build pruned it)."""
        if self._file is None:
            raise LookupError(f"the body of {self.fingerprint} is neither held nor stored")
        site, where = self._file
        gone = "changed or deleted while the site was being built"
        changed = ProblemsError([Problem(where, None, gone, "build again")])
        try:
            raw = (site / where).read_bytes()
        except OSError:
            raise changed from None
        if file_key(where, raw) != self.fingerprint:
            raise changed
        record = read_article(raw, where, Path(where).stem)[0]
        if record is None:
            raise changed
        return render_body(record.body)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Body) and other.fingerprint == self.fingerprint

    def __hash__(self) -> int:
        return hash(self.fingerprint)

    def __repr__(self) -> str:
        return f"Body({self.fingerprint!r})"


def lead_of(body: RenderedBody) -> str:
    """A body's first paragraph, as plain text ("" when it has none)."""
    return body.paragraphs[0] if body.paragraphs else ""


_LOADED: list[Body] = []
"""Bodies this process read back and still holds."""


def forget_loaded() -> None:
    """Let go every body this process read back (a worker, between stories or pages)."""
    for body in _LOADED:
        body.forget()
    _LOADED.clear()
