"""Quotation spans in a paragraph, and a masked copy of the paragraph that hides their insides.

News uses straight "…", curly “…” and (NYT archives) doubled single quotes ''…''. A quotation
may hold another one in a different style, and a quotation running on into the next paragraph
has no closing mark in this one.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

_MARK = re.compile(r"'''|''|[\"“”„«»]")
_OPENERS = frozenset("“„«")
_CLOSERS = frozenset("”»")
_BEFORE_OPENING = frozenset(" \t\n([{—–-/:;,")


@dataclass(frozen=True)
class Quote:
    """A quotation: `start`/`end` include the marks, `inner_*` only the quoted words."""

    start: int
    end: int
    inner_start: int
    inner_end: int
    closed: bool


@dataclass(frozen=True)
class _Mark:
    start: int
    end: int
    family: str
    can_open: bool
    can_close: bool


def _family(mark: str) -> str:
    if mark == "''":
        return "doubled"
    return "straight" if mark == '"' else "curly"


def _span(text: str, match: re.Match[str]) -> tuple[int, int]:
    """Where the mark lies. In a run of three single quotes the doubled mark is the outer
    two: in ``the word 'old-school,''' said`` the nested quotation closes first."""
    start, end = match.start(), match.end()
    if end - start == 3:
        opening = start == 0 or text[start - 1].isspace() or text[start - 1] in "([{—–"
        return (start, start + 2) if opening else (start + 1, end)
    return start, end


def _classify(text: str, match: re.Match[str]) -> _Mark:
    start, end = _span(text, match)
    mark = text[start:end]
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    if mark in _OPENERS:
        # An opening mark after a quotation's last comma and before a space ("…here,“ said
        # Jim Clyburn") is a typist's closing mark.
        closes = mark == "“" and before in ".,!?" and after.isspace()
        return _Mark(start, end, "curly", not closes, closes)
    if mark in _CLOSERS:
        # A closing mark glued to the word after it and to none before ("”Isis declares …”
        # wrote Hidalgo") is a typist's opening mark.
        opens = not before.isalnum() and before not in ".,!?;:" and after.isalnum()
        return _Mark(start, end, "curly", opens, not opens)
    can_open = before in _BEFORE_OPENING and not after.isspace()
    can_close = not before.isspace() and not after.isalnum()
    if not can_open and not can_close:
        can_open = can_close = True  # glued on both sides: let the pairing decide
    return _Mark(start, end, _family(mark), can_open, can_close)


def _closes(top: _Mark, mark: _Mark) -> bool:
    if top.family == mark.family:
        return True
    # Typists mix curly and straight marks in one pair, but a mark that could open a quotation
    # inside the current one is taken as nested; doubled singles only pair with themselves.
    return {top.family, mark.family} == {"curly", "straight"} and not mark.can_open


def _quote(text: str, start: int, open_len: int, close_start: int, end: int, closed: bool) -> Quote:
    inner_start, inner_end = start + open_len, close_start
    while inner_start < inner_end and text[inner_start].isspace():
        inner_start += 1
    while inner_end > inner_start and (text[inner_end - 1].isspace() or text[inner_end - 1] == ","):
        inner_end -= 1
    return Quote(start, end, inner_start, inner_end, closed)


def find_quotes(text: str) -> list[Quote]:
    """Top-level quotations in reading order; nested ones stay inside their outer quotation."""
    quotes: list[Quote] = []
    stack: list[_Mark] = []
    for match in _MARK.finditer(text):
        mark = _classify(text, match)
        top = stack[-1] if stack else None
        if top and mark.can_close and _closes(top, mark):
            stack.pop()
            if not stack:
                opened = top.end - top.start
                quotes.append(_quote(text, top.start, opened, mark.start, mark.end, True))
        elif mark.can_open:
            stack.append(mark)
    if stack:
        first = stack[0]
        quotes.append(
            _quote(text, first.start, first.end - first.start, len(text), len(text), False)
        )
    return [q for q in quotes if q.inner_end > q.inner_start]


def mask(text: str, quotes: list[Quote]) -> str:
    """`text` with each quotation's words replaced by x's and its marks by plain '"'.

    Offsets are unchanged. The first character's case and a final . ! ? survive, so sentence
    splitting still sees where a quoted sentence ends; cue words inside quotes disappear.
    """
    chars = list(text)
    for q in quotes:
        _mask_marks(chars, q)
        for i in range(q.inner_start, q.inner_end):
            chars[i] = "x"
        first = text[q.inner_start] if q.inner_start < q.inner_end else ""
        if first:
            chars[q.inner_start] = "Q" if first.isupper() or first.isdigit() else "q"
        last = q.inner_end - 1
        if last > q.inner_start and text[last] in ".!?":
            chars[last] = text[last]
    return "".join(chars)


def _mask_marks(chars: list[str], q: Quote) -> None:
    # Opening '' becomes ' "' and closing '' becomes '" ' so one-character lookarounds work.
    if "".join(chars[q.start : q.start + 2]) == "''":
        chars[q.start], chars[q.start + 1] = " ", '"'
    elif q.start < len(chars):
        chars[q.start] = '"'
    if q.closed:
        if "".join(chars[q.end - 2 : q.end]) == "''":
            chars[q.end - 2], chars[q.end - 1] = '"', " "
        else:
            chars[q.end - 1] = '"'


# A paragraph's quotations come in reading order and never overlap, so their starts and their
# ends both go up: the ones near a cue are found by bisection, not by reading them all for
# each cue (a paragraph of thousands of quotations and cues took their product).


def _start(quote: Quote) -> int:
    return quote.start


def _end(quote: Quote) -> int:
    return quote.end


def overlapping(quotes: list[Quote], lo: int, hi: int) -> list[Quote]:
    """The quotations that reach into [lo, hi): `q.end > lo and q.start < hi`."""
    first = bisect_right(quotes, lo, key=_end)
    last = bisect_left(quotes, hi, key=_start)
    return quotes[first:last]


def starting_in(quotes: list[Quote], lo: int, hi: int) -> list[Quote]:
    """The quotations that open in [lo, hi): `lo <= q.start < hi`."""
    return quotes[bisect_left(quotes, lo, key=_start) : bisect_left(quotes, hi, key=_start)]


def ending_in(quotes: list[Quote], lo: int, hi: int) -> list[Quote]:
    """The quotations that close in [lo, hi]: `lo <= q.end <= hi`."""
    return quotes[bisect_left(quotes, lo, key=_end) : bisect_right(quotes, hi, key=_end)]


def around(quotes: list[Quote], at: int) -> Quote | None:
    """The quotation `at` lies strictly inside of: `q.start < at < q.end`."""
    i = bisect_right(quotes, at, key=_end)
    return quotes[i] if i < len(quotes) and quotes[i].start < at else None
