"""Patterns that end where a cue begins ("he was | told", "what they | said", ", and | said"),
looked for near the cue only.

`pattern.search(text, lo, cue_start)` with a pattern ending in `$` tries every offset from `lo`
(the sentence's start) to the cue, so a sentence of n cues took n² steps (`said that ` ×8,000
is one sentence of 8,000 cues). Each of these patterns describes a few words before the cue:
looking back `REACH` characters finds every match news prose has (its longest sentence
is some 1,500 characters, the phrases these patterns read a few dozen), and a sentence of cues
is read in time in proportion to its length.

Starting the search later changes nothing else: `\\b` and lookbehinds still see the characters
before the offset searched from (only `^` does not, and no match from the paragraph's start
could reach a cue `REACH` characters on).
"""

from __future__ import annotations

import re

REACH = 400


def search_back(pattern: re.Pattern[str], text: str, lo: int, hi: int) -> re.Match[str] | None:
    """`pattern.search(text, lo, hi)` for a pattern anchored at `hi` by `$`, looking back at
    most `REACH` characters from it."""
    return pattern.search(text, max(lo, hi - REACH), hi)


def words_back(text: str, lo: int, hi: int) -> int:
    """Where the words of `text[lo:hi]` that a look back from `hi` reads start: `lo`, or the
    first word starting within `REACH` characters of `hi` (a phrase is read whole or not at
    all)."""
    if hi - lo <= REACH:
        return lo
    at = hi - REACH
    while at < hi and not text[at - 1].isspace():
        at += 1
    return at
