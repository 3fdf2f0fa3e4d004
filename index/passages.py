"""Passages: an article's paragraphs, without boilerplate, cut to answer size."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from index.articles import find_date
from index.sentences import sentence_spans

MAX_WORDS = 120
_WRAP_WIDTH = 100  # lines no longer than this, in a block of several, are hard-wrapped prose

_BOILERPLATE = [
    re.compile(p, re.I)
    for p in (
        r"^\d+\s*(min|minute)s?\s+read$",
        r".*\[[^\]]{1,40}\]\s*$",  # photo caption credit: "... [Getty]"
        r"^(photo|image|picture|video|graphic)s?\s*(credit)?\s*:",
        r"^(advertisement|sponsored|related|read more|comments?)\b.{0,30}$",
        r"^share( this)?( article| story)?\b.{0,30}$",
        r"^(follow (us|@)|subscribe\b|sign up\b|click here\b).{0,60}$",
        r"^follow .{0,40}\bon (twitter|facebook|instagram|x)\W*$",
        r"^(updated|published|posted|last modified)\b.{0,60}$",
        r"^(by|from)\s+[A-Z][\w.'-]*(\s+[A-Z][\w.'-]*){0,3}$",
        r"^[\W\d_]*$",  # no letters at all
    )
]


@dataclass(frozen=True)
class Paragraph:
    index: int
    text: str


def is_boilerplate(line: str) -> bool:
    """Lines that are furniture of a web page, never an answer."""
    line = line.strip()
    if any(p.match(line) for p in _BOILERPLATE):
        return True
    # A line that is only a date ("18 July, 2019"), perhaps with a weekday or a time.
    return len(line.split()) <= 6 and find_date(line) is not None


def _blocks(text: str) -> list[list[str]]:
    blocks: list[list[str]] = [[]]
    for line in text.splitlines():
        if line.strip():
            blocks[-1].append(" ".join(line.split()))
        elif blocks[-1]:
            blocks.append([])
    return [b for b in blocks if b]


def _is_hard_wrapped(block: list[str]) -> bool:
    if len(block) < 2:
        return False
    widest = max(len(line) for line in block)
    return widest <= _WRAP_WIDTH and all(len(line) >= 0.6 * widest for line in block[:-1])


def paragraphs(text: str) -> list[Paragraph]:
    """Content paragraphs after the title line, numbered from 0 in reading order.

    A blank line separates paragraphs; inside a block, each line is a paragraph unless the block
    looks hard-wrapped, in which case its lines are joined.
    """
    lines: list[str] = []
    for block in _blocks(text):
        lines.extend([" ".join(block)] if _is_hard_wrapped(block) else block)
    body = lines[1:]  # the first line is the title
    kept = [line for line in body if not is_boilerplate(line)]
    return [Paragraph(i, line) for i, line in enumerate(kept)]


def cut(text: str, max_words: int = MAX_WORDS) -> list[str]:
    """`text` in pieces of about `max_words` words, cut only at sentence boundaries."""
    words = len(text.split())
    if words <= max_words:
        return [text]
    spans = sentence_spans(text)
    target = words / math.ceil(words / max_words)
    pieces: list[str] = []
    start, count = spans[0][0], 0
    for i, (s, e) in enumerate(spans):
        n = len(text[s:e].split())
        if count and count + n / 2 > target:
            pieces.append(text[start : spans[i - 1][1]])
            start, count = s, 0
        count += n
    pieces.append(text[start : spans[-1][1]])
    return pieces
