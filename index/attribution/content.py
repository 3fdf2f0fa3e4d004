"""Where a cue's content lies: its span, whether it is all quotation, where it stops.

Spans are offsets into the paragraph; the checks read the masked paragraph (quotes.mask) where
a quotation's words must not count.
"""

from __future__ import annotations

import re
from itertools import islice, pairwise

from index.attribution.quotes import Quote, around, overlapping, starting_in

INTRO_WORDS = frozenset(
    """in on at after before during as when while since asked speaking with without for
    from under despite unlike like about of by to if once""".split()
)

_FRAMING = re.compile(r",\s+(?:citing|prompting|sparking|drawing|leading|raising|prompted)\b")

_COORDINATORS = frozenset("and but or so yet nor although though whereas".split())

_CLAUSE_COMMA = re.compile(r",(?=\s)")

_TITLE_LEADS = frozenset("of on in titled called dubbed named headlined the a his her".split())

EDGE = " \t\n,;:.-—–"


def is_title_quote(text: str, quote: Quote) -> bool:
    """A quoted name of a show, book or slogan ("on CBS's "Face the Nation,"") is no speech."""
    lead = text[max(0, quote.start - 12) : quote.start].split()
    if lead and lead[-1].lower() in _TITLE_LEADS:
        return True
    # "on CBS's "Face the Nation"" names a show; "Nancy's "single most defining role was …""
    # quotes someone all the same.
    words = text[quote.inner_start : quote.inner_end].split()
    return len(words) <= 5 and all(
        w[:1].isupper() or w.lower() in ("of", "the", "and", "a") for w in words
    )


def clause_start(masked: str, start: int, source_start: int) -> int:
    """Content before a source starts after any colon or semicolon: "X scolded him: "…," she
    said" is about the quotation only."""
    cut = max(masked.rfind(":", start, source_start), masked.rfind(";", start, source_start))
    return cut + 1 if cut >= 0 else start


def is_clause_after(text: str, lo: int, hi: int) -> bool:
    """Whether what follows a cue reads as reported content, not as a phrase about the
    saying ("as the crowd cheered", "released by the campaign", "looking out on the crowd")."""
    words = text[lo:hi].split()
    if len(words) < 3:
        return False
    first = words[0].lower()
    if first in INTRO_WORDS or first in _COORDINATORS:
        return False
    return not first.endswith(("ing", "ed"))


def interrupts(masked: str, source_start: int, content_start: int, rest: tuple[int, int]) -> bool:
    """Whether the cue sits between commas inside the reported clause."""
    head = masked[:source_start].rstrip().endswith(",")
    commas = head and "," in masked[source_start:content_start]
    return commas and word_count(masked, *rest) >= 2


def is_content_before(masked: str, quotes: list[Quote], lo: int, hi: int) -> bool:
    if lo >= hi:
        return False
    if has_quote(quotes, lo, hi):
        return True
    words = masked[lo:hi].split()
    if len(words) < 3:
        return False
    comma = masked.rfind(",", lo, hi)
    return words[0].lower() not in INTRO_WORDS or len(masked[comma:hi].split()) > 3


def has_quote(quotes: list[Quote], lo: int, hi: int) -> bool:
    return bool(starting_in(quotes, lo - 1, hi))


def trim(masked: str, lo: int, hi: int) -> tuple[int, int]:
    hi = max(lo, hi)
    while lo < hi and masked[lo] in EDGE:
        lo += 1
    while hi > lo and masked[hi - 1] in EDGE:
        hi -= 1
    return lo, hi


def word_count(text: str, lo: int, hi: int, most: int = 4) -> int:
    """How many words `text[lo:hi]` has, counted up to `most`: every comparison made with it
    is with a smaller number, and a long stretch is not split whole for each cue."""
    return sum(1 for _ in islice(_WORD.finditer(text, lo, hi), most))


_WORD = re.compile(r"\S+")  # a word as str.split() finds it


def content_spans(
    text: str, quotes: list[Quote], lo: int, hi: int
) -> tuple[list[tuple[int, int]], bool]:
    """Content spans: the insides of the quotations when the content is nothing but quotations,
    else the whole stretch (reported speech, perhaps with quoted fragments)."""
    inside = overlapping(quotes, lo, hi)
    if inside:
        gaps = [text[max(lo, a.end) : min(hi, b.start)] for a, b in pairwise(inside)]
        outside = text[lo : max(lo, inside[0].start)] + text[min(hi, inside[-1].end) : hi]
        if not "".join([*gaps, outside]).strip(EDGE + "\"'”“‘’"):
            return [(q.inner_start, q.inner_end) for q in inside], True
    # A content that ends between a quotation's closing marks (the second of '') ends after them.
    closing = around(quotes, hi)
    if closing is not None and closing.inner_end <= hi:
        hi = closing.end
    framing = _FRAMING.search(text, lo, hi)
    if framing and around(quotes, framing.start()) is None:
        hi = framing.start()  # ", citing …": the reporter's framing, not the claim
    lo, hi = trim(text, lo, hi)
    return [(lo, hi)], False


def until_main_clause(masked: str, lo: int, hi: int) -> tuple[int, int]:
    """A cue in an opening subordinate clause ("While he acknowledged X, Ham noted Y") has
    its content end at the comma that opens the main clause."""
    comma = _CLAUSE_COMMA.search(masked, lo, hi)
    return (lo, comma.start()) if comma else (lo, hi)


# Where reported content gives way to the reporter's own clause: ", but he refuses …",
# ", although it may take …", " — and he noted …", ", and the downgrade is …".
_REPORTED_END = re.compile(
    r",\s+(?:but|although|though|while|even\s+though)\s+"
    r"(?:he|she|they|it|we|the|his|her|their|its|[A-Z]\w+)\b"
    r"|\s+[―—–]\s+(?:and|but|as|which|who)\b"
    r"|,\s+and\s+(?:he|she|they|it|the|his|her|their|its)\s+\w+"
    # "…; 26 percent of Democrats say …", "…, compared with 11 percent …", "… Hillary
    # Clinton, who has been battered …": the reporter's next clause, comparison or aside
    r"|;\s+|,\s+compared\s+(?:with|to)\b"
    # "…, saying …": a participle after the content is a claim of its own
    r"|(?:,|(?<=,[\"”’']))\s+(?:saying|adding|arguing|noting|insisting|explaining|warning)\b"
    r"|,\s+(?:who|where|for\s+whom|both\s+of\s+which|which)\b"
    # "… should face no criminal charges, a recommendation Lynch adopted": an appositive on
    # the whole claim, the reporter's
    r"|,\s+(?:a|an)\s+"
)


# "… whether Sanders, who is Jewish, was in fact …": a relative clause set off inside the
# content, which goes on with its verb.
_ASIDE_CLOSED = re.compile(
    r",\s+(?:who|which)\b[^,;:]{0,80},\s+(?:\w+ly\s+)?"
    r"(?:is|are|was|were|has|have|had|will|would|can|could|should|may|might|must|did|does)\b"
)


def reported_end(masked: str, lo: int, hi: int) -> int:
    """End of reported content after a cue: before a clause that no longer reports the speaker,
    once at least four words of content precede it."""
    for match in _REPORTED_END.finditer(masked, lo, hi):
        if _ASIDE_CLOSED.match(masked, match.start(), hi):
            continue
        if len(masked[lo : match.start()].split()) >= 4:
            return match.start()
    return hi
