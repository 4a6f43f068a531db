"""An article body with its sentences anchored (``#s-N``) and the shared ones linked.

The body HTML comes from ``digest.markdown`` and is already safe; we re-emit its tags as they
are and escape its text again, wrapping each sentence in ``<span id="s-N">``. Sentences are
found in the HTML by counting non-space characters, which the plain-text paragraphs the
comparison split and the HTML's text share whatever the markup; a paragraph that is one run
of text, as most are, needs no counting. Where a sentence crosses markup (a link, emphasis)
its span is closed before the tag and reopened after it, and the links to other versions
wait until the reader is out of any link. Should the HTML's text ever differ from the
paragraphs', every sentence still gets its anchor, ahead of the body.
"""

from __future__ import annotations

import re
from html import escape, unescape
from typing import NamedTuple

from markupsafe import Markup

from digest import urls
from digest.compare.model import CompareError, Comparison, Sentence, Version
from digest.model import Article


class _Event(NamedTuple):
    kind: str
    """'start', 'end', 'startend' or 'data'."""
    text: str
    """The tag as written, or the (unescaped) text."""
    tag: str = ""
    """The tag's name."""
    alt: str = ""
    """An image's alt text, which the paragraphs count as text."""


_TAG = re.compile(r"<[^>]*>")
_NAME = re.compile(r"</?([A-Za-z][A-Za-z0-9]*)")
_ALT = re.compile(r'\salt="([^"]*)"')


def _events(html: str) -> list[_Event]:
    """The tags and text of body HTML, each tag exactly as written.

    The HTML is markdown-it's with raw HTML off: every tag is its own, every ``<`` in text
    is escaped and every ``>`` inside a tag's attributes too, so a tag runs from ``<`` to
    the next ``>``.
    """
    events = []
    position = 0
    for found in _TAG.finditer(html):
        start = found.start()
        if start > position:
            data = html[position:start]
            events.append(_Event("data", unescape(data) if "&" in data else data))
        tag = found.group()
        named = _NAME.match(tag)
        name = named.group(1).lower() if named else ""
        if tag[1] == "/":
            events.append(_Event("end", tag, name))
        else:
            alt = _ALT.search(tag) if name == "img" else None
            kind = "startend" if tag.endswith("/>") else "start"
            events.append(_Event(kind, tag, name, unescape(alt.group(1)) if alt else ""))
        position = found.end()
    if position < len(html):
        data = html[position:]
        events.append(_Event("data", unescape(data) if "&" in data else data))
    return events


class _Marks:
    """Where the k-th non-space character of a text is, for k asked (mostly) in increasing order.

    Each look-up goes on from the last one, counting a slice's non-space characters with
    ``str.split`` (C code): a slice as long as the characters still wanted holds them all
    unless it holds white space, so a few slices reach any k.
    """

    __slots__ = ("_count", "_data", "_last", "_length", "_position")

    def __init__(self, data: str, length: int) -> None:
        self._data = data
        self._length = length
        """How many non-space characters ``data`` has."""
        self._position = 0
        """Characters of ``data`` looked at so far..."""
        self._count = 0
        """...and how many of them are not space."""
        self._last = -1

    def __len__(self) -> int:
        return self._length

    def at(self, k: int) -> int:
        """The index in the text of its k-th non-space character, from 0."""
        assert 0 <= k < self._length, "past the text's last non-space character"
        if k < self._count:
            if k == self._count - 1:
                return self._last
            self._position = self._count = 0
        data, position, wanted = self._data, self._position, k + 1 - self._count
        while wanted:
            found = len(_solid(data[position : position + wanted]))
            position += wanted
            wanted -= found
        self._position, self._count, self._last = position, k + 1, position - 1
        return position - 1


def _solid(text: str) -> str:
    """``text`` without its white space (``str.split`` and ``str.isspace`` agree on what is)."""
    return "".join(text.split())


def _ranges(article: Article, version: Version) -> tuple[list[tuple[int, int]], list[int]]:
    """Each sentence as (first, last + 1) in the article's non-space characters, and where
    each paragraph starts in them, then their count."""
    paragraphs = article.paragraphs
    base, total = [], 0
    for paragraph in paragraphs:
        base.append(total)
        total += len(_solid(paragraph))
    ranges = []
    # Counted on from the previous sentence's end in the paragraph, not from its start.
    where, at, count = -1, 0, 0
    for s in version.sentences:
        paragraph = paragraphs[s.paragraph]
        if s.paragraph != where or s.start < at:
            where, at, count = s.paragraph, 0, base[s.paragraph]
        start = count + len(_solid(paragraph[at : s.start]))
        at, count = max(s.start, s.end), start + len(_solid(paragraph[s.start : s.end]))
        ranges.append((start, count))
    return ranges, [*base, total]


def _refs(sentence: Sentence, targets: dict[str, tuple[str, str]]) -> str:
    """Links from a shared sentence to its counterpart in each other version.

    ``targets`` maps a version's id to (its page's escaped href, its escaped label).
    """
    first: dict[str, int] = {}
    for ref in sentence.links:
        first.setdefault(ref.version, ref.n)
    if not first:
        return ""
    links = []
    for version_id, n in first.items():
        href, label = targets[version_id]
        links.append(f'<a class="s-ref" href="{href}#s-{n}">{label}</a>')
    return (
        ' <span class="s-refs"><span class="visually-hidden">Also in: </span>'
        + " ".join(links)
        + "</span>"
    )


class _Writer:
    """Re-emits the body, opening and closing sentence spans at the right characters."""

    def __init__(
        self,
        version: Version,
        ranges: list[tuple[int, int]],
        refs: list[str],
        paragraphs: dict[int, tuple[int, str, int]],
    ) -> None:
        self.version, self.ranges, self.refs = version, ranges, refs
        self.paragraphs = paragraphs
        """Each paragraph's index, plain text and count of non-space characters, by where
        it starts in the non-space characters."""
        self.out: list[str] = []
        self.position = 0
        self.next = 0
        self.current: int | None = None
        self.fragment = False
        self.first = False
        self.links_open = 0
        self.pending: list[str] = []
        self.anchored: set[int] = set()

    def _open(self) -> str:
        sentence = self.version.sentences[self.current or 0]
        classes = "s s-shared" if sentence.links else "s"
        anchor = f' id="s-{sentence.n}"' if self.first else ""
        self.first = False
        self.fragment = True
        if anchor:
            self.anchored.add(sentence.n)
        return f'<span class="{classes}"{anchor}>'

    def text(self, data: str, emit: bool = True) -> None:
        """Copy ``data``, opening and closing sentence spans at their characters."""
        if emit and self.current is None and not self.links_open and self._paragraph(data):
            return
        solid = len(_solid(data))
        inside = self.current is not None and self.fragment
        if not solid or (inside and self.position + solid < self.ranges[self.current or 0][1]):
            # White space alone, or text well inside the open sentence: nothing to mark.
            if emit:
                self.out.append(escape(data, quote=False))
            self.position += solid
            return
        marks = _Marks(data, solid)
        cursor = 0  # characters of data written so far
        done = 0  # non-space characters of data consumed so far
        while done < len(marks):
            if (
                self.current is None
                and self.next < len(self.ranges)
                and self.position >= self.ranges[self.next][0]
            ):
                self.current, self.first = self.next, True
                self.next += 1
            if self.current is not None:
                if not self.fragment and emit:
                    self.out.append(escape(data[cursor : marks.at(done)], quote=False))
                    cursor = marks.at(done)
                    self.out.append(self._open())
                goal = self.ranges[self.current][1]
            elif self.next < len(self.ranges):
                goal = self.ranges[self.next][0]
            else:
                goal = self.position + len(marks) - done
            take = max(1, min(goal - self.position, len(marks) - done))
            stop = marks.at(done + take - 1) + 1
            if emit:
                self.out.append(escape(data[cursor:stop], quote=False))
            cursor = stop
            done += take
            self.position += take
            if self.current is not None and self.position >= self.ranges[self.current][1]:
                self._close_sentence()
        if emit:
            self.out.append(escape(data[cursor:], quote=False))

    def _paragraph(self, data: str) -> bool:
        """Write ``data`` at once if it is a whole paragraph, as most are; whether it was.

        Its sentences' offsets in the paragraph are then offsets in ``data``: when they are
        in order and do not overlap, as ``sentences.split`` makes them, the output is what
        ``text`` writes by counting characters, with nothing to count.
        """
        index, text, length = self.paragraphs.get(self.position, (-1, "", 0))
        if text != data:
            return False
        sentences, first = self.version.sentences, self.next
        if first < len(sentences) and sentences[first].paragraph < index:
            return False  # an earlier paragraph's sentence was never reached
        last, at = first, 0
        while last < len(sentences) and sentences[last].paragraph == index:
            if not at <= sentences[last].start <= sentences[last].end:
                return False
            at = sentences[last].end
            last += 1
        at = 0
        for n in range(first, last):
            sentence = sentences[n]
            self.out.append(escape(data[at : sentence.start], quote=False))
            self.current, self.first = n, True
            self.out.append(self._open())
            self.out.append(escape(data[sentence.start : sentence.end], quote=False))
            self._close_sentence()
            at = sentence.end
        self.out.append(escape(data[at:], quote=False))
        self.next = last
        self.position += length
        return True

    def _close_sentence(self) -> None:
        if self.fragment:
            self.out.append("</span>")
            self.fragment = False
        refs = self.refs[self.current or 0]
        if refs:
            if self.links_open:
                self.pending.append(refs)
            else:
                self.out.append(refs)
        self.current = None

    def tag(self, event: _Event) -> None:
        if self.fragment:
            self.out.append("</span>")
            self.fragment = False
        self.out.append(event.text)
        if event.tag == "a" and event.kind == "start":
            self.links_open += 1
        elif event.tag == "a" and event.kind == "end":
            self.links_open = max(0, self.links_open - 1)
            if not self.links_open and self.pending:
                self.out.extend(self.pending)
                self.pending.clear()


def annotate_body(article: Article, comparison: Comparison) -> Markup:
    """The article's body HTML with ``id="s-N"`` on every sentence and shared ones linked.

    Links are relative to the article's own page, ``urls.article(article.slug)``.
    """
    version = comparison.version(article.id)
    if version.fingerprint != article.fingerprint:
        raise CompareError(f"the comparison of {article.id!r} is older than the article")
    page = urls.article(article.slug)
    ranges, bounds = _ranges(article, version)
    targets = {
        other.id: (escape(urls.relative(page, urls.article(other.slug))), escape(other.label))
        for other in comparison.versions
    }
    refs = [_refs(s, targets) for s in version.sentences]
    events = _events(article.html)
    in_pre = 0
    counted: list[str] = []
    for event in events:
        if event.tag == "pre":
            in_pre += 1 if event.kind == "start" else -1 if event.kind == "end" else 0
        elif event.kind == "data" and not in_pre:
            counted.append(event.text)
        elif event.alt:
            counted.append(event.alt)
    paragraphs = {
        bounds[i]: (i, text, bounds[i + 1] - bounds[i]) for i, text in enumerate(article.paragraphs)
    }
    writer = _Writer(version, ranges, refs, paragraphs)
    if _solid("".join(counted)) == _solid("".join(article.paragraphs)):
        in_pre = 0
        for event in events:
            if event.kind == "data" and not in_pre:
                writer.text(event.text)
            elif event.kind == "data":
                writer.out.append(escape(event.text, quote=False))
            else:
                writer.tag(event)
                if event.tag == "pre":
                    in_pre += 1 if event.kind == "start" else -1 if event.kind == "end" else 0
                if event.alt:
                    writer.text(event.alt, emit=False)
        writer.out.extend(writer.pending)
    if writer.anchored == {s.n for s in version.sentences}:
        return Markup("".join(writer.out))
    missing = sorted({s.n for s in version.sentences} - writer.anchored)
    anchors = "".join(f'<span id="s-{n}"></span>' for n in missing)
    return Markup(anchors + (article.html if not writer.out else "".join(writer.out)))
