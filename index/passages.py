"""Passages: an article's paragraphs, without boilerplate, cut to answer size."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from index import budget
from index.articles import find_date
from index.sentences import sentence_spans

# Bump when an article's paragraphs or passages come out differently: stores read otherwise
# are flagged until `saidwho reindex` (or /reindex) reads them again. 3: paragraphs are
# numbered from 1, the number replies show.
VERSION = "3"
MAX_WORDS = 120
_WRAP_WIDTH = 100  # lines no longer than this, in a block of several, are hard-wrapped prose

_BOILERPLATE = [
    re.compile(p, re.I)
    for p in (
        r"^\d+\s*(min|minute)s?\s+read$",
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


# A photo caption ends in its credit: "Rebels near the front line [AFP]". A capital opens the
# credit; an encyclopedia's "[citation needed]" or "[12]" ends a paragraph of text.
_CAPTION_CREDIT = re.compile(r"\[[A-Z][^\]]{0,39}\]\s*$")
_CAPTION_WORDS = 40
# Reference marks of an encyclopedia page: "[12]", "[a]", "[citation needed]", "[who?]". Not
# an editor's words in a quotation ("they [the police] said"), which stay.
_REFERENCE_MARK = re.compile(
    r"\[(?:\d{1,3}|[a-z]|[a-z ]{1,30} needed|(?:who|when|where|which)\?)\]"
)


def is_boilerplate(line: str) -> bool:
    """Lines that are furniture of a web page, never an answer."""
    line = line.strip()
    if any(p.match(line) for p in _BOILERPLATE):
        return True
    if _CAPTION_CREDIT.search(line) and len(line.split()) <= _CAPTION_WORDS:
        return True
    # A line that is only a date ("18 July, 2019"), perhaps with a weekday or a time.
    return len(line.split()) <= 6 and find_date(line) is not None


def _blocks(text: str) -> list[list[str]]:
    blocks: list[list[str]] = [[]]
    for line in text.splitlines():
        budget.check()
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
    body = [_REFERENCE_MARK.sub("", line) for line in lines[1:]]  # the first line is the title
    kept = []
    for line in body:
        budget.check()
        if not is_boilerplate(line):
            kept.append(line)
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
        budget.check()
        n = len(text[s:e].split())
        if count and count + n / 2 > target:
            pieces.append(text[start : spans[i - 1][1]])
            start, count = s, 0
        count += n
    pieces.append(text[start : spans[-1][1]])
    return pieces
