"""Sentence boundaries in news prose, without a model.

A boundary is end punctuation (optionally followed by closing quotes or brackets), whitespace,
then something that can open a sentence. Abbreviations ("Mr.", "U.S.", "Jan.") and initials
("Donald J. Trump") are not boundaries.
"""

from __future__ import annotations

import re

from index import budget

ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sen rep gov gen col lt capt sgt maj adm cmdr st jr sr rev hon pres
    supt insp det amb atty messrs mt ft no vs etc inc ltd co corp dept univ est approx fig
    jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n e.u d.c a.m p.m i.e e.g""".split()
)

# Only from the first mark of a run: tried from each mark of a long run of them ("a......"),
# the run was read to its end each time, and 100 KB of full stops took 80 s. A run that ends
# no sentence from its first mark ends none from a later one, so the boundaries are the same.
_BOUNDARY = re.compile(r"""(?<![.!?…])[.!?…]+["'”’)\]]*(?=\s+["'“‘(\[]?[A-Z0-9])""")


def _is_abbreviation(text: str, dot: int) -> bool:
    """Whether the '.' at index `dot` ends an abbreviation or an initial rather than a sentence."""
    start = dot
    while start > 0 and not text[start - 1].isspace() and text[start - 1] not in "\"'“‘(":
        start -= 1
    word = text[start:dot].lower()
    if len(word) == 1 and word.isalpha():
        return True  # an initial: "Donald J. Trump"
    return word in ABBREVIATIONS or word.rstrip(".") in ABBREVIATIONS


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence in `text`; the spans cover every non-blank character."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        budget.check()
        end = match.end()
        punct = match.group(0)
        single_dot = punct.startswith(".") and len(punct.rstrip("\"'”’)]")) == 1
        if single_dot and _is_abbreviation(text, match.start()):
            continue
        if text[start:end].strip():
            spans.append(_strip_span(text, start, end))
        start = end
    if text[start:].strip():
        spans.append(_strip_span(text, start, len(text)))
    return spans


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in sentence_spans(text)]
