"""Articles built to be slow to read: long runs of what the readers of text look for.

Each article is a few stretches, each a short pattern of hostile pieces (cue verbs, names,
quotation marks of every style, commas, full stops, abbreviations, "according to", "asked
whether", brackets, dashes) repeated hundreds or thousands of times, joined with or without
spaces, in one paragraph or many. Used by tests/test_adversarial.py (small articles, in the
suite) and bench/adversarial.py (up to 100 KB, a thousand of them).
"""

from __future__ import annotations

from hypothesis import strategies as st

from index.speech import CUE_VERBS

# The pieces a pattern is made of: what sentence splitting, quotations, cues, sources and
# names each look for, and what they look back or forward over.
PIECES: tuple[str, ...] = (
    *sorted(set(CUE_VERBS)),
    *"Said Says Added Wrote According Asked".split(),
    "according to",
    "asked whether",
    "asked by",
    "in a statement",
    "on Tuesday",
    "told Reuters",
    "went on to",
    "and",
    "but",
    ", and",
    "who",
    "which",
    "that",
    "the",
    "a",
    "he",
    "she",
    "they",
    "it",
    "Abc",
    "Mr.",
    "Mrs.",
    "Sen.",
    "U.S.",
    "J.",
    "Jr.",
    "Donald Trump",
    "Hillary Clinton",
    "of the",
    "(D-Mass.)",
    "Washington",
    "spokesman",
    "campaign",
    "reported",
    "the Post reported",
    '"',
    "“",
    "”",
    "‘",
    "’",
    "''",
    "'",
    "«",
    "»",
    '"Q."',
    ",",
    ".",
    "!",
    "?",
    "…",
    ":",
    ";",
    "—",
    "-",
    "(",
    ")",
    "[",
    "]",
    "[12]",
    "1",
    "2016",
    "xxx",
    "\u200b",
    "\n",
    "\n\n",
)
JOINS = (" ", "", ", ", "\n", " — ")


@st.composite
def stretches(draw: st.DrawFn, most: int) -> str:
    """A short pattern of pieces repeated up to `most` characters' worth."""
    pattern = draw(st.lists(st.sampled_from(PIECES), min_size=1, max_size=4))
    unit = draw(st.sampled_from(JOINS)).join(pattern) + draw(st.sampled_from(JOINS))
    times = draw(st.integers(min_value=1, max_value=max(1, most // len(unit))))
    return unit * times


@st.composite
def articles(draw: st.DrawFn, most: int = 100_000) -> str:
    """An article's text (a title line, then the body) of at most `most` characters."""
    parts = draw(st.lists(stretches(most), min_size=1, max_size=4))
    body = draw(st.sampled_from(JOINS)).join(parts)[:most]
    return "Adversarial article\n\n" + body + "\n"
