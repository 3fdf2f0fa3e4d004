"""What one paragraph claims someone said: the cue, the source phrase, the content.

Sentences are found on the masked paragraph (quotations hidden), so a quoted passage of several
sentences stays one unit. Each cue is read in one of three shapes:

- inverted: `"…," said Caddell` / `…, said Mr. Burman, an economist` (content before the cue);
- ordinary: `Mustafa said Russian troops…` (content after) or `"…," Mustafa said` (before);
- "according to": `…, according to opposition sources` (content on the other side).

Resolving "he" or "Mustafa" to a full name is not done here but across the article.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field, replace
from itertools import accumulate

from index import budget
from index.attribution.content import (
    EDGE,
    INTRO_WORDS,
    clause_start,
    content_spans,
    has_quote,
    interrupts,
    is_clause_after,
    is_content_before,
    is_title_quote,
    reported_end,
    trim,
    until_main_clause,
    word_count,
)
from index.attribution.cues import (
    QUESTION_BEFORE_CUE,
    QUESTION_OPENERS,
    VERBS,
    AfterCue,
    Cue,
    find_cues,
    read_after_cue,
)
from index.attribution.fields import (
    PREPOSITIONS,
    dateline_end,
    is_adverb,
    is_place,
    opens_with_verb_or_preposition,
)
from index.attribution.lookback import search_back
from index.attribution.names import HONORIFICS, is_title, split_name
from index.attribution.phrases import (
    CLAUSE_WORDS,
    FUNCTION_WORDS,
    KIN,
    PRONOUNS,
    QUANTIFIERS,
    head_index,
)
from index.attribution.quotes import (
    Quote,
    ending_in,
    find_quotes,
    mask,
    overlapping,
    starting_in,
)
from index.attribution.sources import (
    Source,
    described_then_named,
    for_named_end,
    source_according,
    source_after,
    source_before,
    source_relative,
)
from index.sentences import sentence_spans

_PASSIVE = re.compile(
    r"\b(?:was|were|is|are|be|been|being|get|got)\s+(?:(?:\w+ly|first|also|not)\s+)?$"
)
_PROGRESSIVE = re.compile(
    r"\b(?:is|are|was|were|been|be|keeps|kept|(?:is|are|was|were)n['’]t)\s+(?:\w+\s+)?$"
)
_NOUN_BEFORE = re.compile(
    r"(?:\b(?:the|a|an|his|her|their|its|our|my|this|these|those)|['’]s)\s+$", re.I
)
# Initials are tried from the first of a run only ("J.J.J.J." read to its end from each of
# them took n² steps): a run that is no boundary from its first initial is none from a later
# one, which ends the same way.
_NON_FINAL_DOTS = re.compile(
    r"\b(?<!\b[A-Z]\.)(?:[A-Z]\.){2,}(?=\s+[A-Z])|\b(?:"
    + "|".join(sorted({h.rstrip(".").capitalize() for h in HONORIFICS}))
    + r")\.(?=\s+[A-Z])"
)


_OPENERS = frozenset("but and so yet still meanwhile even however also then now".split())
# "He's said", "she’s told": the 's is "has", not a possessive before a noun ("Trump's claims").
_HAS_CONTRACTED = re.compile(r"\b(?:[Hh]e|[Ss]he|[Ww]ho)['’]s\s+$")
_NOT_SPEECH_BEFORE = re.compile(
    # "to say" reports nothing, but "went on to say" does
    r"(?:(?<!went on )(?<!goes on )(?<!go on )(?<!going on )(?<!proceeded )\bto|"
    r"\blet['’]s|^that|\.\s+that|\bneedless\s+to|\bso\s+to|\bhaving|"
    r"\b(?:what|whatever|everything|anything|nothing)\s+(?:[\w.'’-]+\s+){0,3})\s*$",
    re.I,
)

_COORDINATED = re.compile(
    r",?\s+(?:and|but)\s+(?:(?:also|then|later|has|had|have)\s+)*"
    r"(?:(?:went|goes|proceeded)\s+(?:on\s+)?to\s+)?$"  # "but went on to say …"
)
# The same, read backwards from the cue on the reversed paragraph. Searched forwards, the
# pattern is tried at every offset from the start of the paragraph, once for each cue.
# Backwards, the match is found by reading only the words it is made of; greedy, it is the
# longest one, so it starts where the forward search's first match does (one "and" or "but"
# can end the run of words before the cue, none of which is either).
_COORDINATED_BACKWARDS = re.compile(
    r"(?:\s+ot(?:\s+no)?\s+(?:tnew|seog|dedeecorp))?(?:\s+(?:osla|neht|retal|sah|dah|evah))*"
    r"\s+(?:dna|tub)\s+,?"
)


def _coordinated(para: _Paragraph, lo: int, hi: int) -> int | None:
    """Where `_COORDINATED` matches in `para.masked[lo:hi]`, at its end ("…, and then said").
    The same as `_COORDINATED.search(para.masked, lo, hi)`, in the time of the match only."""
    size = len(para.masked)
    match = _COORDINATED_BACKWARDS.match(para.backwards, size - hi, size - lo)
    return None if match is None else size - match.end()


_SUBORDINATOR_BEFORE = re.compile(
    r"\b(?:when|after|before|because|since|if|as|while|until|once|though|although|where|unless)"
    r"\s+(?:[\w.'’-]+\s+){0,4}$",
    re.I,
)
_AND_AFTER_BREAK = re.compile(r"(?:,|\s[-—–])\s+and$")
# "began by saying …", "drew boos upon saying …", "was quoted as saying …"
_BY_DOING = re.compile(
    r"\b(?:by|after|while|before|when|from|upon|in|quoted\s+as)(?:\s+(?:also|then|again))?$", re.I
)
# "… unleashed a series of tweets early Friday saying that …", "issued a statement saying …":
# the participle hangs on what the subject put out, so the subject is the speaker.
_MEDIUM_BEFORE = re.compile(
    r"\b(?:statements?|tweets?|letters?|posts?|e-?mails?|videos?|ads?|speech|speeches|"
    r"interviews?|memos?|releases?|messages?|op-eds?)(?:\s+[\w'’]+){0,3}$"
)
_ASK_CONTENT = re.compile(rf"\s*(?:{QUESTION_OPENERS}|about)\b")
_DIRECTIVE = re.compile(r"\s*(?:not\s+)?to\s+\w")


@dataclass(frozen=True)
class _Paragraph:
    """A paragraph, its quotations, and the masked copy the cues are read on."""

    text: str
    masked: str
    quotes: list[Quote]
    backwards: str = field(init=False)  # `masked` reversed, to read back from a cue

    def __post_init__(self) -> None:
        object.__setattr__(self, "backwards", self.masked[::-1])


@dataclass
class Claim:
    """A finding in one paragraph; `spans` are content offsets into the paragraph."""

    source: Source | None
    cue: str | None
    addressee: str | None
    spans: list[tuple[int, int]]
    direct: bool
    position: int
    colon: bool = False
    relative: bool = False  # said in a relative clause ("an architect who said …")


@dataclass
class ParagraphReading:
    text: str
    quotes: list[Quote]
    claims: list[Claim] = field(default_factory=list)
    floating: list[tuple[int, int]] = field(default_factory=list)  # quotations with no cue

    @property
    def opens_unclosed(self) -> bool:
        return bool(self.quotes) and not self.quotes[-1].closed


def read_paragraph(text: str) -> ParagraphReading:
    quotes = find_quotes(text)
    masked = mask(text, quotes)
    para = _Paragraph(text, masked, quotes)
    reading = ParagraphReading(text, quotes)
    orphans: list[tuple[int, int]] = []
    for start, end in _sentences(masked):
        budget.check()
        found = _sentence_claims(para, start, end)
        if found:
            if orphans and found[0].direct:
                found[0].spans[:0] = orphans
                orphans = []
            reading.claims.extend(found)
            continue
        quoted = _quote_only(text, quotes, start, end)
        if quoted is None:
            continue
        last = reading.claims[-1] if reading.claims else None
        if last is not None and not last.colon and (last.direct or _quotes_in(last, quotes)):
            last.spans.append(quoted)  # a quotation running on in sentences of its own
        elif (quoting := _last_quoting(reading.claims)) is not None and last is not None:
            # `"A," Jealous said, suggesting B. "C."`: the quotation goes on after the
            # speaker's paraphrase, in the same voice.
            if last.source is quoting.source or last.source is None:
                quoting.spans.append(quoted)
            else:
                orphans.append(quoted)
        elif last is not None and not last.colon and last.source is not None:
            # `Greene added that X. "They don't like to talk about it."`: the speaker goes on
            # in their own words.
            last.spans.append(quoted)
        else:
            orphans.append(quoted)
    reading.floating = orphans
    if not reading.claims and (signed := _signed(para)) is not None:
        reading.claims, reading.floating = [signed], []
    reading.claims.extend(_questions_put(para, reading.claims))
    return reading


# "Asked whether he would counsel Clinton …, Reid said …", "when asked about his daughter's
# work, he …": a question put to someone by a reporter nobody names. The question is
# attributed content of its own (the speaker unnamed); the answer is read as usual.
_ASKED = re.compile(
    r"(?:^|(?<=[.!?]\s)|(?<=[.!?]\"\s)|\b(?:[Ww]hen|[Aa]fter|[Ww]hile|[Oo]nce|[Ii]f)\s+"
    # "She was asked if …", "he has been asked about …": the asker unnamed all the same
    r"|\b(?:was|were|is|are|been|being|be)\s+(?:(?:also|later|then|again|repeatedly|"
    r"recently|specifically|never|first|often)\s+)?)"
    r"(?:[Aa]sked)\s+"
    r"(?:(?:later|again|specifically|repeatedly|directly|twice|once|recently|separately|"
    r"on\s+\w+|in\s+an?\s+interview|by\s+(?:a\s+)?reporters?)\s+)?"
    # "Asked by Matt Lauer whether …", "When asked by Ingraham on Thursday about …"
    r"(?:by\s+(?P<asker>(?:[A-Z][\w.'’-]*\s+){1,3})(?:on\s+[A-Z]\w+\s+)?)?"
    rf"(?:(?P<about>about\s+)|(?={QUESTION_OPENERS}\b))"
)


_QUESTION_END = re.compile(r"[,;:]")


def _questions_put(para: _Paragraph, claims: list[Claim]) -> list[Claim]:
    found: list[Claim] = []
    if "sked " not in para.masked:
        return found  # most paragraphs put no question: skip splitting them again
    ends = [end for _, end in _sentences(para.masked)]
    # Whether a question overlaps what a claim took: the spans in order of their starts, and
    # the furthest any of them reaches so far.
    taken = sorted(span for claim in claims for span in claim.spans)
    starts = [a for a, _ in taken]
    reach = list(accumulate((b for _, b in taken), max))
    for match in _ASKED.finditer(para.masked):
        budget.check()
        lo = match.end()
        after = bisect_right(ends, lo)  # the end of the sentence the question is in
        end = ends[after] if after < len(ends) else len(para.masked)
        stop = _QUESTION_END.search(para.masked, lo, end)
        _, hi = trim(para.masked, lo, stop.start() if stop else end)
        if word_count(para.text, lo, hi) < 2:
            continue
        overlapping = bisect_left(starts, hi)  # the spans starting before the question ends
        if overlapping and reach[overlapping - 1] > lo:
            continue  # one reaches into it
        spans, direct = content_spans(para.text, para.quotes, lo, hi)
        cue = "asked about" if match.group("about") else "asked"
        asker = None
        if match.group("asker"):
            name_start, name_end = match.span("asker")
            asker = Source(para.masked[name_start:name_end].strip(), None, name_start, name_end)
        found.append(Claim(asker, cue, None, spans, direct, match.start()))
    return found


def _last_quoting(claims: list[Claim]) -> Claim | None:
    """The paragraph's last claim that quotes directly, unless a colon claim follows it."""
    for claim in reversed(claims):
        if claim.colon:
            return None
        if claim.direct:
            return claim
    return None


def _quotes_in(claim: Claim, quotes: list[Quote]) -> bool:
    """Whether a reported claim quotes words of its own: `… are "not meeting the demand," says
    Rieckhoff.`"""
    return any(q.end <= b for a, b in claim.spans for q in starting_in(quotes, a, b + 1))


_SIGNATURE = re.compile(r"\s*[―—–]+\s*(?=[A-Z])")


def _signed(para: _Paragraph) -> Claim | None:
    """A quotation signed after a dash, as in letters and vox pops: `"…" ― Steve Quinlan.`"""
    quotes = para.quotes
    if not quotes or para.text[: quotes[0].start].strip() or not quotes[-1].closed:
        return None
    dash = _SIGNATURE.match(para.masked, quotes[-1].end)
    end = len(para.masked.rstrip().rstrip("."))
    if dash is None or end - dash.end() > 160:
        return None
    source = source_after(para.masked, dash.end(), end)
    if source is None:
        return None
    spans = [(q.inner_start, q.inner_end) for q in quotes]
    return Claim(source, None, None, spans, direct=True, position=quotes[0].start)


# An abbreviation that can end a sentence, then a word that opens one: "… attacks in the U.S.
# He says …", "… close at 7 p.m. He says …". Initials and abbreviations are no boundary
# elsewhere (index.sentences), but a pronoun or "The" after one starts a new sentence.
_ABBREVIATED_END = re.compile(
    r"\b(?:U\.S|U\.K|U\.N|E\.U|D\.C|a\.m|p\.m|Jr|Sr|Inc|Corp|Co|Ltd|etc)\.(?P<gap>\s+)"
    r"(?=(?:He|She|They|It|We|I|The|His|Her|Their|Its)\s)"
)


def _sentences(masked: str) -> list[tuple[int, int]]:
    """Sentence spans of a masked paragraph, quoted passages kept whole."""
    spans: list[tuple[int, int]] = []
    for start, end in sentence_spans(_split_view(masked)):
        for cut in _ABBREVIATED_END.finditer(masked, start, end):
            spans.append((start, cut.start("gap")))
            start = cut.end("gap")
        spans.append((start, end))
    return spans


def _split_view(masked: str) -> str:
    """`masked` with the dots of initials and honorifics hidden, so "Rep. G.K. Butterfield"
    and "Del. Stacey Plaskett" stay in one sentence, and so the "?" of `"Why?" he asked`.
    Offsets are unchanged."""
    view = _NON_FINAL_DOTS.sub(lambda m: m.group(0).replace(".", "_"), masked)
    return QUESTION_BEFORE_CUE.sub("_", view)


def _quote_only(text: str, quotes: list[Quote], start: int, end: int) -> tuple[int, int] | None:
    """The inner span of a sentence that is nothing but a quotation (a run-on of a quote)."""
    inside = overlapping(quotes, start, end)
    if len(inside) != 1:
        return None
    quote = inside[0]
    lead = text[start : max(start, quote.start)]
    if _LEAD_CONNECTIVE.fullmatch(lead):
        lead = ""  # `But "Donald Trump's candidacy is strengthened …"`: still the quotation
    outside = lead + text[min(end, quote.end) : end]
    if outside.strip(EDGE + "\"'”“"):
        return None
    return quote.inner_start, quote.inner_end


_LEAD_CONNECTIVE = re.compile(r"\s*(?:But|And|So|Still|Yet|Then|Now|Also)\s*,?\s*")


def _sentence_claims(para: _Paragraph, start: int, end: int) -> list[Claim]:
    cues = find_cues(para.masked, start, end)
    outer = _REPORTED_BY.search(para.masked, start, end)
    inner = {c for c in cues if outer and c.end <= outer.start() and c.word not in _REPORTS}
    if outer and inner and not _quotes_after(para.masked, max(inner, key=_at), outer.start()):
        # "Manafort acknowledged that …, The Washington Post reported in 1991.": the paper
        # reports the whole sentence, the saying inside it included (a quotation the inner
        # cue gives stays its speaker's: 'Trump said: "…," the Times reported').
        cues = [c for c in cues if c not in inner]
    if len(cues) <= _MOST_CUES:
        return _run_claims(para, cues, start, end)
    # Each cue reads the sentence around it, so a sentence of n cues takes n times its length
    # to read: one of thousands (`said that ` ×8,000) is read a run of cues at a time.
    claims: list[Claim] = []
    for first in range(0, len(cues), _MOST_CUES):
        run = cues[first : first + _MOST_CUES]
        lo = start if first == 0 else run[0].start
        hi = cues[first + _MOST_CUES].start if first + _MOST_CUES < len(cues) else end
        claims.extend(_run_claims(para, run, lo, hi))
    return claims


def _at(cue: Cue) -> int:
    return cue.start


# The most cues one sentence is read with at a time (the most any of the 25,429 PolNeAR
# sentences has is four).
_MOST_CUES = 32


def _run_claims(para: _Paragraph, cues: list[Cue], start: int, end: int) -> list[Claim]:
    """The claims of `cues`, in the sentence (or the run of a long one) from `start` to `end`."""
    claims: list[Claim] = []
    consumed = start
    later = _LaterCues(para, cues, start, end)
    for i, cue in enumerate(cues):
        budget.check()
        if cue.start < consumed:
            continue
        next_cue = later.continuing_after(i)
        stop = later.own_clause_stop(i, _clause_stop(para, next_cue, end))
        claim, used = _claim(para, cue, start, stop, claims)
        if claim is not None:
            claims.append(claim)
            consumed = used
    return claims


# Where a new clause with a subject of its own may begin: ", and …", ", but …", ", while …", "; …",
# or right after a closing quotation mark ("… claimed that "X," one of the prosecutors said …").
_NEXT_CLAUSE = re.compile(
    r"(?:,\s+(?:and|but|while|as|although|though|whereas|even\s+as)|;|(?<=\w[,.!?]\"))\s+(?=\S)"
)
_MAX_SUBJECT_WORDS = 8


class _LaterCues:
    """What the cues after each cue of a sentence do to where its content stops, worked out
    once for the sentence: which later cue adds to it ("…, adding …", "and said …"), and
    which has a subject of its own after a clause boundary ("X said A, and other leaders said
    B"). Asked afresh for every pair of cues, as it once was, a sentence of n cues took n³
    steps (`said that ` ×800 took 78 s)."""

    def __init__(self, para: _Paragraph, cues: list[Cue], start: int, end: int) -> None:
        self.cues = cues
        count = len(cues)
        # The first continuing cue from index i on, for each i (count: none).
        self._continuing = [count] * (count + 1)
        for j in range(count - 1, -1, -1):
            budget.check()
            self._continuing[j] = j if _continues(para, cues[j]) else self._continuing[j + 1]
        # A clause boundary's matches depend on nothing before it (each opens at a comma, a
        # semicolon or a closing quotation mark, none of which a cue word contains), so the
        # matches over the whole sentence are the ones any stretch of it between cues has,
        # less one ending where that stretch does (its lookahead cannot see past the end).
        bounds = list(_NEXT_CLAUSE.finditer(para.masked, start, end))
        ends = [b.end() for b in bounds]
        # For each cue, where the boundary before its own subject starts (-1: it has none).
        self._own = [-1] * count
        for j, other in enumerate(cues):
            budget.check()
            if other.according or other.participle:
                continue
            k = bisect_left(ends, other.start) - 1  # the last boundary ending before it
            if k < 0:
                continue
            boundary = bounds[k]
            subject = para.masked[boundary.end() : other.start]
            if not subject.strip() or "," in subject or len(subject.split()) > _MAX_SUBJECT_WORDS:
                continue
            if source_before(para.masked, boundary.end(), other.start) is not None:
                self._own[j] = boundary.start()
        # The boundaries' starts never go down from one cue to the next: a bisection finds
        # the first cue whose boundary lies after a given cue.
        self._own_from = list(accumulate(self._own, max))
        self._next_own = [count] * (count + 1)
        for j in range(count - 1, -1, -1):
            self._next_own[j] = j if self._own[j] >= 0 else self._next_own[j + 1]

    def continuing_after(self, i: int) -> Cue | None:
        """The first later cue that adds to the sentence's first saying."""
        j = self._continuing[i + 1]
        return self.cues[j] if j < len(self.cues) else None

    def own_clause_stop(self, i: int, stop: int) -> int:
        """`X said A, and other leaders said B`: A ends where a later cue's own subject
        begins, so the second saying is read for itself instead of as part of the first."""
        cue = self.cues[i]
        j = self._next_own[max(i + 1, bisect_left(self._own_from, cue.end))]
        while j < len(self.cues) and self.cues[j].start < stop:
            if self._own[j] >= cue.end:
                return self._own[j]
            j = self._next_own[j + 1]
        return stop


def _continues(para: _Paragraph, cue: Cue) -> bool:
    """A cue that adds to the sentence's first one: ", adding …", "and said …"."""
    return cue.according or cue.participle or _coordinated(para, 0, cue.start) is not None


def _clause_stop(para: _Paragraph, next_cue: Cue | None, end: int) -> int:
    """Content after a cue runs to the sentence end, or to a following ", adding …" cue."""
    if next_cue is None:
        return end
    before = _rstripped(para.masked, next_cue.start)
    if para.masked.endswith(",", 0, before):
        return before - 1
    coordinated = _coordinated(para, 0, next_cue.start)
    return coordinated if coordinated is not None else end


def _rstripped(text: str, end: int, lo: int = 0) -> int:
    """Where `text[lo:end].rstrip()` ends, without copying what comes before."""
    while end > lo and text[end - 1].isspace():
        end -= 1
    return end


def _claim(
    para: _Paragraph,
    cue: Cue,
    start: int,
    end: int,
    earlier: list[Claim],
) -> tuple[Claim | None, int]:
    if cue.according:
        return _according(para, cue, start, end)
    if cue.participle and not search_back(_PROGRESSIVE, para.masked, start, cue.start):
        return _participle(para, cue, start, end, earlier)
    return _verb(para, cue, start, end, earlier)


def _according(para: _Paragraph, cue: Cue, start: int, end: int) -> tuple[Claim | None, int]:
    source = source_according(para.masked, cue.end, end)
    if source is None:
        return None, cue.end
    before = trim(para.masked, _according_start(para.masked, start, cue.start), cue.start)
    after = trim(para.masked, source.end, end)
    content = before if word_count(para.text, *before) >= 3 else after
    if word_count(para.text, *content) < 3:
        return None, cue.end
    spans, direct = content_spans(para.text, para.quotes, *content)
    return Claim(source, "according to", None, spans, direct, cue.start), max(
        content[1], source.end
    )


_WITH_FIGURES = re.compile(r",\s+with\s+")


def _according_start(masked: str, start: int, cue_start: int) -> int:
    """Where what a source is cited for begins: after a colon ("… to financial firms: London
    was …, according to one index"), or in a closing "with" phrase ("…, with 56 percent of
    voters viewing him positively, according to a poll")."""
    lo = clause_start(masked, start, cue_start)
    phrases = list(_WITH_FIGURES.finditer(masked, lo, cue_start))
    if phrases and word_count(masked, phrases[-1].end(), cue_start) >= 3:
        return phrases[-1].end()
    return lo


def _participle(
    para: _Paragraph,
    cue: Cue,
    start: int,
    end: int,
    earlier: list[Claim],
) -> tuple[Claim | None, int]:
    """ ", saying …" / ", adding that …": the speaker is the subject of the main clause."""
    masked = para.masked
    before = _rstripped(masked, cue.start)  # where what comes before the cue ends
    # ", recently telling …": an adverb may stand between the comma and the participle.
    while (
        (last := masked[masked.rfind(" ", 0, before) + 1 : before])
        and last.isalpha()
        and last.islower()
        and is_adverb(last)
    ):
        before = _rstripped(masked, before - len(last))
    if search_back(_AND_AFTER_BREAK, masked, 0, before):
        before = _rstripped(masked, before - 3)  # "saying that … - and arguing that …"
    if not (
        # "… dismissed the accusations — saying …"
        masked.endswith((",", "—", "–", "--"), 0, before)
        or masked.endswith(',"', 0, before)  # `called it a "ridiculous proposition," adding …`
        or search_back(_BY_DOING, masked, start, before)
        or search_back(_MEDIUM_BEFORE, masked, start, before)
    ):
        return None, cue.end
    return _same_speaker(para, cue, start, end, earlier)


def _same_speaker(
    para: _Paragraph,
    cue: Cue,
    start: int,
    end: int,
    earlier: list[Claim],
) -> tuple[Claim | None, int]:
    """A cue whose speaker is the previous claim's, or the subject of the sentence."""
    main = [c for c in earlier if not c.relative]
    source = None
    since = main[-1].position if main else start
    if clause := _last_subordinate(para.masked, max(start, since), cue.start):
        # "Some in the crowd booed, and when Rubio thanked Miami and said …", "…, while her
        # main rival, Bernie Sanders, has soared in the polls by saying …": the subject of the
        # clause the cue is in
        source = _subject(para.masked, clause, cue.start)
    if source is None:
        source = main[-1].source if main else _subject(para.masked, start, cue.start)
    after = _after_verb(para.masked, cue, end)
    if source is None or after is None:
        return None, cue.end
    content = trim(
        para.masked, after.content_start, reported_end(para.masked, after.content_start, end)
    )
    if word_count(para.text, *content) < 2:
        return None, cue.end
    spans, direct = content_spans(para.text, para.quotes, *content)
    if not (direct or after.that) and cue.weak:
        return None, cue.end
    claim = Claim(source, cue.word, after.addressee, spans, direct, cue.start)
    return claim, content[1]


_SUBORDINATE_SUBJECT = re.compile(
    r",\s+(?:and\s+)?(?:when|while|after|as|because|since|although|though|if)\s+"
    r"(?=(?:he|she|they|[A-Z][\w.'’-]+)\s+[a-z]+ed\b|(?:his|her|their)\s+[\w\s]{1,30},\s+[A-Z])"
)


def _last_subordinate(masked: str, start: int, cue_start: int) -> int | None:
    """Where the subject of a subordinate clause the cue is in starts, if it is one."""
    found = list(_SUBORDINATE_SUBJECT.finditer(masked, start, cue_start))
    return found[-1].end() if found else None


def _subject(masked: str, start: int, cue_start: int) -> Source | None:
    """The subject of a sentence's main clause: a pronoun or a name, after any opening
    phrase ("During a speech on Monday, Trump attacked Clinton, saying …" -> Trump)."""
    start = dateline_end(masked, start)  # "PARIS, Aug 31 (Reuters) - Marine Le Pen …"
    lo = start
    opened = False
    for match in re.finditer(r"[^,]+,?", masked[start:cue_start]):
        words = match.group(0).split()
        opening = bool(words) and match.group(0).endswith(",") and _opens_phrase(words)
        # "At a campaign event in Ames, Iowa, on Sunday, Mrs. Clinton …": the state of a
        # place in the opening phrase is still that phrase.
        opening = opening or (
            opened and match.group(0).endswith(",") and is_place(match.group(0).strip(" ,"))
        )
        if words and words[0].lower().strip(",") not in INTRO_WORDS | _OPENERS and not opening:
            lo = start + match.start()
            break
        opened = opening
    else:
        return None
    # "One of the men, Jessie Elkins, 70, had served …": the person named is the subject.
    description, _, rest = masked[lo:cue_start].partition(",")
    described, comma, _ = rest.partition(",")
    if comma and described_then_named([description.strip(), described.strip()]):
        # "her main rival, Bernie Sanders, has soared …": the name, with its description
        return source_before(masked, lo, lo + len(description) + 1 + len(described) + 1)
    if one := _ONE_OF_NAMED.match(masked, lo, cue_start):
        named = "name" if one["name"] else "relative"
        return source_before(masked, one.start(named), one.end(named) + 1)
    words = masked[lo:cue_start].split()
    while words and words[0].lower() in _OPENERS:
        lo = masked.index(words[0], lo) + len(words[0])
        words = words[1:]
    if not words:
        return None
    pronoun = _CONTRACTED.sub("", words[0])  # "I'm old enough to remember …"
    if pronoun.lower() in PRONOUNS:
        at = masked.index(words[0], lo)
        return Source(pronoun, None, at, at + len(pronoun))
    name: list[str] = []  # the capitalised run the sentence opens with
    for word in words:
        if not (word[:1].isupper() or word in ("al", "de") or _PARTY_TAG.fullmatch(word)):
            if name and name[-1].endswith(("'s", "’s")) and _POSSESSED.fullmatch(word):
                name.append(word)  # "Rubio’s campaign sent out a release saying …"
            break
        name.append(word.rstrip(","))
        if word.endswith(","):
            break
    if (
        len(name) < 2
        or (len(words) > len(name) and is_title(words[len(name)]))
        or split_name(" ".join(name)) is None
    ):
        # "Presumptive Republican nominee Donald Trump …", "Presumptive Democratic
        # presidential nominee Hillary Clinton …": a descriptor before the name.
        name = _described_name(words) or _role_then_name(words) or name
    if not name or name[0].lower() in _GROUP_OPENERS or _ADJECTIVE_GROUP.match(" ".join(words)):
        name = _noun_phrase(words) or _quantified(words) or name
    if not name:
        return None
    at = masked.index(words[0], lo)
    end = at + len(" ".join(name))
    if (of := _OF_PLACE.match(masked, end, cue_start)) and is_place(of.group("place")):
        end = of.end()  # "Senator Ted Cruz of Texas, who …, saying": where he is senator of
    elif (tail := for_named_end(masked, at, end, cue_start)) is not None:
        end = tail  # "A spokesman for Mayor Frank G. Jackson of Cleveland defended …"
    return source_before(masked, at, end + 1)


_CONTRACTED = re.compile(r"['’](?:m|s|re|ve|ll|d)$")
_OF_PLACE = re.compile(r"\s+of\s+(?P<place>[A-Z][\w.]*(?:\s+[A-Z][\w.]*){0,2})(?=[\s,])")
_ONE_OF_NAMED = re.compile(
    r"(?:(?:One|Another)\s+of\s+(?:the|his|her|their|those|these|its)\s+[\w-]+(?:\s+[\w-]+){0,2}"
    r",\s+(?P<name>[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+)+)"
    # "Schilling's son, Grant,": who a relative of someone is, by the name after
    r"|[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)*['’]s\s+(?:[a-z][\w-]*\s+){0,2}"
    rf"(?:{KIN})"
    r",\s+(?P<relative>[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+)*)),"
)

# What a person has that speaks for them, as a group: "Trump's campaign", "Rubio's office".
_POSSESSED = re.compile(r"campaign|office|team|staff|aides|lawyers|attorneys|spokespeople")

# "Rep. Hakeem Jeffries (D-N.Y.)": a party and state tag goes on with the name.
_PARTY_TAG = re.compile(r"\([RDI]-[\w.]+\),?")

# "Back in 1999,", "Last week,", "Earlier this year,": when, not who.
_TIME_OPENERS = frozenset("back last earlier later early late next".split())
_FOCUS = frozenset("even just only right shortly long soon well".split())
_TIME_AFTER = frozenset("later earlier ago afterward afterwards before".split())


def _opens_phrase(words: list[str]) -> bool:
    """Words that open an introductory phrase set off by a comma, not a subject: "Shortly
    after the death,", "Amid the chaos,", "Walking out of the hall," (but "Manning," alone
    may be a name)."""
    first = words[0].strip(",")
    if opens_with_verb_or_preposition(first) or first.lower() in PREPOSITIONS | _TIME_OPENERS:
        return True
    if first.lower() in _FOCUS and len(words) > 1 and words[1].lower() in PREPOSITIONS:
        return True  # "Even before Sanders took the stage,", "Just after the vote,"
    if len(words) > 1 and words[-1].strip(",").lower() in _TIME_AFTER:
        return True  # "Hours later,", "Two days earlier,"
    # "Ebeling reminisced about …,": a name in -ing followed by its verb is a subject.
    return (
        len(words) > 1
        and first.lower().endswith("ing")
        and first[:1].isupper()
        and not _PAST_VERB.match(words[1].strip(","))
    )


# A subject that is no name: "two Democratic speechwriters implored …", "The mayor issued …".
_GROUP_OPENERS = frozenset(
    "the a an one two three four five several some many most few both all other his her their "
    "its".split()
)
_PAST_VERB = re.compile(
    r"[a-z]+ed$|(?:met|spoke|wrote|made|took|gave|went|came|held|sent|led|left|put|set|ran|saw|"
    r"stood|sought|brought|thought|fought|won|lost|began|broke|chose|drew|fell|felt|found|got|"
    r"hit|kept|knew|paid|rose|sat|shot|struck|threw|wore|read|told|said)$"
)


# "Democratic leaders", "Russian officials", "Syrian rebels": a party or nation and a plural.
_ADJECTIVE_GROUP = re.compile(r"[A-Z][a-z]+(?:ic|an|ese|ish|i)\s+(?:[a-z]+\s+)?[a-z]+s\b")


def _noun_phrase(words: list[str]) -> list[str] | None:
    """The words before the main verb of a sentence opening with a determiner or number (or a
    party or nation before a plural), when that verb is in the past ("-ed"): "two Democratic
    speechwriters | implored …", "Democratic leaders | met …"."""
    opens = words and (
        words[0].lower() in _GROUP_OPENERS or _ADJECTIVE_GROUP.match(" ".join(words[:3]))
    )
    if not opens:
        return None
    for i, word in enumerate(words[1:6], start=1):
        if word.endswith(",") or word.lower() in CLAUSE_WORDS:
            return None
        if _PAST_VERB.match(word):
            return words[:i]
    return None


_QUANTIFIED_STOPS = (FUNCTION_WORDS | PREPOSITIONS) - {"of"}
_MAX_QUANTIFIED = 8


def _quantified(words: list[str]) -> list[str] | None:
    """A subject opening with "Other", "Some", "One of …": the noun phrase up to where a
    modifier or the verb begins ("Other former CIA officers | with no direct knowledge …")."""
    if words[0].lower() not in _GROUP_OPENERS | QUANTIFIERS | {"one"}:
        return None
    phrase = [words[0]]
    for word in words[1:_MAX_QUANTIFIED]:
        if word.lower().strip(",") in _QUANTIFIED_STOPS or _PAST_VERB.match(word):
            break
        phrase.append(word.rstrip(","))
        if word.endswith(","):
            break
    last = phrase[-1].lower()
    return phrase if len(phrase) > 1 and last not in FUNCTION_WORDS and last != "of" else None


_MAX_ROLE_BEFORE_NAME = 8


def _role_then_name(words: list[str]) -> list[str] | None:
    """A subject that gives the role first and the name in commas: "France's far-right
    National Front party leader, Marine Le Pen, voiced …" -> its words to the name's end."""
    comma = next((i for i, w in enumerate(words) if w.endswith(",")), None)
    if comma is None or comma >= _MAX_ROLE_BEFORE_NAME:
        return None
    if not is_title(words[comma].rstrip(",")):
        return None
    end = next(
        (i for i in range(comma + 1, min(len(words), comma + 5)) if words[i].endswith(",")), None
    )
    if end is None:
        return None
    parts = split_name(" ".join(words[comma + 1 : end + 1]).rstrip(","))
    if parts is None or len(parts.name.split()) < 2:
        return None
    return [w for w in words[: end + 1]]


def _described_name(words: list[str]) -> list[str] | None:
    """A subject that opens with a descriptor before the name: "Democratic presidential nominee
    Hillary Clinton chimed in …" -> its words up to the end of the name."""
    for i in range(1, min(len(words) - 1, 6)):
        if words[i - 1].endswith(","):
            return None  # past the subject: "Other candidates, including Carly Fiorina"
        if not (words[i][:1].isupper() and words[i + 1][:1].isupper()):
            continue
        if any(w.lower() in FUNCTION_WORDS for w in words[:i]):
            return None  # "Sullivan put off deciding whether Judicial Watch …": a clause
        end = i
        while end < len(words) and (words[end][:1].isupper() or _PARTY_TAG.fullmatch(words[end])):
            end += 1
            if words[end - 1].endswith(","):
                break
        phrase = [w.rstrip(",") for w in words[:end]]
        parts = split_name(" ".join(phrase))
        if parts is not None and parts.title and len(parts.name.split()) >= 2:
            return phrase
        return None
    return None


def _verb(
    para: _Paragraph,
    cue: Cue,
    start: int,
    end: int,
    earlier: list[Claim],
) -> tuple[Claim | None, int]:
    if (fronted := _fronted(para, cue, start, end)) is not None:
        return fronted, end
    if (as_said := _as_said(para, cue, start, end)) is not None:
        return as_said, end
    last_quote_end = next(
        (
            q.end
            for q in reversed(ending_in(para.quotes, start, cue.start))
            if not _names_a_work(para.text, q)
        ),
        None,
    )
    lo = last_quote_end if last_quote_end is not None else start
    if _may_be_inverted(para.masked, lo, cue, last_quote_end is not None):
        inverted = source_after(para.masked, cue.end, end)
        if inverted is not None:
            return _inverted(para, cue, start, end, inverted)
    if _not_speech(para.masked, lo, cue):
        return None, cue.end
    if _coordinated(para, lo, cue.start) is not None:
        return _same_speaker(para, cue, start, end, earlier)
    relative = source_relative(para.masked, lo, cue.start)
    if relative is not None:
        return _relative(para, cue, end, relative)
    source = source_before(para.masked, lo, cue.start)
    after = _after_verb(para.masked, cue, end)
    if source is None or after is None:
        return None, cue.end
    around = _surroundings(para, cue, (start, end), source, after)
    lo, hi = around.before
    if any(a < hi and lo < b for claim in earlier for a, b in claim.spans):
        # What an earlier saying in the sentence took is not this one's to take again.
        around = replace(around, before_is_content=False, quote_adjacent=False)
    return _ordinary(para, (cue, source, after), around, end)


_MAIN_VERB_AFTER = re.compile(
    r",\s+(?:(?:also|then|later|now|still|has|have|had)\s+)*(?:is|are|was|were|has|have|had|"
    r"will|would|can|could|may|might|must|should|did|does|do|\w+ed|\w+[^s]s|said|told|wrote|"
    r"made|took|gave|went|came|held|sent|led|left|put|set|ran|saw|stood|sought|thought|won|"
    r"lost|began|became|chose|knew|paid|spoke)\b"
    # "Mr. Carson, who claimed …, and Donald J. Trump, who …": another subject joins in
    r"|,\s+and\s+(?:[A-Z][\w.'’-]*\s+){1,3}[A-Z][\w'’-]*,\s+who\b"
)


def _relative(para: _Paragraph, cue: Cue, end: int, source: Source) -> tuple[Claim | None, int]:
    """ "…, who said …" / "… which reported …": the content runs to the end of the relative
    clause, which for one set off by commas is where the main clause goes on (", resigned")."""
    after = _after_verb(para.masked, cue, end)
    if after is None:
        return None, cue.end
    stop = end
    if para.masked[source.end : cue.start].lstrip().startswith(","):
        main = _MAIN_VERB_AFTER.search(para.masked, after.content_start, end)
        stop = main.start() if main else end
    content = trim(
        para.masked, after.content_start, reported_end(para.masked, after.content_start, stop)
    )
    if word_count(para.text, *content) < 2:
        return None, cue.end
    strong = after.that or para.masked.startswith('"', content[0])
    if (cue.weak and not strong) or not (strong or is_clause_after(para.text, *content)):
        return None, cue.end
    spans, direct = content_spans(para.text, para.quotes, *content)
    claim = Claim(source, cue.word, after.addressee, spans, direct, cue.start, relative=True)
    return claim, content[1]


_FOR_EXAMPLE = re.compile(r", say,")


def _not_speech(masked: str, lo: int, cue: Cue) -> bool:
    """Uses of a cue word that report no speech: "the report that …", "he was told", "to say"."""
    if cue.word == "say" and _FOR_EXAMPLE.match(masked, cue.start - 2, cue.end + 1):
        return True  # "than, say, hooking them on heroin": "say" is "for example"
    if search_back(_NOUN_BEFORE, masked, lo, cue.start) and not search_back(
        _HAS_CONTRACTED, masked, lo, cue.start
    ):
        return True
    if not cue.participle and search_back(_PASSIVE, masked, lo, cue.start):
        return True  # "he was told", "the target was first announced": no speaker here
    return bool(search_back(_NOT_SPEECH_BEFORE, masked, lo, cue.start))


def _after_verb(masked: str, cue: Cue, end: int) -> AfterCue | None:
    after = read_after_cue(masked, cue, end)
    if (
        cue.tells
        and _DIRECTIVE.match(masked, after.content_start, end)
        and "," not in masked[cue.end : after.content_start]  # "told Hannity, to cheers …"
    ):
        return None  # "told her to leave" is an order, not a statement
    if _asks_for_action(masked, cue, after.content_start, end):
        return AfterCue(after.addressee, end, False)  # "asked him to …": no content after
    return after


@dataclass(frozen=True)
class _Surroundings:
    """Both sides of an ordinary cue: what could be its content before and after it."""

    before: tuple[int, int]
    rest: tuple[int, int]
    rest_quoted: bool
    before_is_content: bool
    quote_adjacent: bool
    subordinate: bool
    announces: bool


def _surroundings(
    para: _Paragraph,
    cue: Cue,
    sentence: tuple[int, int],
    source: Source,
    after: AfterCue,
) -> _Surroundings:
    start, end = sentence
    before = trim(para.masked, clause_start(para.masked, start, source.start), source.start)
    rest = trim(para.masked, after.content_start, end)
    # The source's span may open with the subordinator ("After Glenn Beck asked …"): it is
    # looked for before the name itself.
    named_at = para.masked.find(source.mention, source.start, source.end)
    opener = search_back(
        _SUBORDINATOR_BEFORE, para.masked, start, named_at if named_at > 0 else source.start
    )
    # Only a subordinate clause that opens the sentence ends at the comma before the main
    # clause; one that follows its main clause ("…, when she claimed that X, or Y, has …")
    # runs to the end.
    subordinate = opener is not None and word_count(para.masked, start, opener.start()) <= 3
    adjacent = next(reversed(ending_in(para.quotes, start, source.start)), None)
    quote_adjacent = (
        adjacent is not None
        and not para.masked[adjacent.end : source.start].strip(' ,"')
        and not is_title_quote(para.text, adjacent)
    )
    return _Surroundings(
        before=before,
        rest=rest,
        rest_quoted=para.masked.startswith('"', rest[0])
        or para.masked.startswith(' "', rest[0] - 1),
        before_is_content=not subordinate and is_content_before(para.masked, para.quotes, *before),
        quote_adjacent=quote_adjacent,
        subordinate=subordinate,
        announces=para.masked[cue.end : end].rstrip().endswith(":")
        or para.masked[cue.end : end + 1].strip() == ":",
    )


def _ordinary(
    para: _Paragraph,
    found: tuple[Cue, Source, AfterCue],
    around: _Surroundings,
    end: int,
) -> tuple[Claim | None, int]:
    """Pick the content of `Mustafa said …` / `"…," Mustafa said` / `X said:`."""
    cue, source, after = found
    rest_strong = after.that or around.rest_quoted
    rest = around.rest
    # "…, BFM TV reported.": a clause, then the source and the cue ending the sentence.
    # "…, the Associated Press declared on Thursday, two days after …": what follows the
    # cue and its adjuncts after a comma is the reporter's.
    closes = (
        around.before_is_content
        and para.masked[: source.start].rstrip().endswith(",")
        and (
            word_count(para.text, *around.rest) == 0
            or "," in para.masked[cue.end : after.content_start]
        )
    )
    # "The New York Times reported the email came hours after …": a paper or a person
    # reports the clause after the cue.
    named = source.mention[:1].isupper() and source.mention.lower() not in PRONOUNS
    named_clause = (
        cue.word in _REPORTS
        and named
        and not around.before_is_content
        and (is_clause_after(para.text, *rest) or _GERUND.match(para.text, rest[0], rest[1]))
    )
    if cue.weak and not (
        rest_strong or around.quote_adjacent or around.announces or closes or named_clause
    ):
        return None, cue.end  # "declared bankruptcy", "added $84 billion": no speech
    reports_before = cue.weak and closes  # its content is the clause before it, only
    before = around.before
    rest_clause = is_clause_after(para.text, *rest)
    fallback = not around.before_is_content and word_count(para.text, *rest) >= 3
    if not reports_before and (
        rest_strong or (rest_clause and not around.quote_adjacent) or fallback
    ):
        if around.subordinate:
            rest = until_main_clause(para.masked, *rest)
        rest = trim(para.masked, rest[0], reported_end(para.masked, *rest))
        spans, direct = content_spans(para.text, para.quotes, *rest)
        if around.quote_adjacent and around.rest_quoted:
            spans = content_spans(para.text, para.quotes, *before)[0] + spans  # "A," he said, "B."
        return Claim(source, cue.word, after.addressee, spans, direct, cue.start), rest[1]
    if around.before_is_content:
        spans, direct = content_spans(para.text, para.quotes, *before)
        if (
            not direct
            and not reports_before
            and interrupts(para.masked, source.start, after.content_start, rest)
        ):
            spans += content_spans(para.text, para.quotes, *rest)[
                0
            ]  # "A, Mr. Clarke said, until B."
        elif direct:
            spans += _quotes_after_aside(para, rest)
        claim = Claim(source, cue.word, after.addressee, spans, direct, cue.start)
        # What it took ends the claim; a later cue after it ("…," Trump said, after Becky
        # Quick said …) is read for itself.
        return claim, max([cue.end, *(b for _, b in spans)])
    if around.announces:
        return Claim(source, cue.word, after.addressee, [], True, cue.start, colon=True), end
    return None, cue.end


def _quotes_after_aside(para: _Paragraph, rest: tuple[int, int]) -> list[tuple[int, int]]:
    """`"A," Tester said, referring to the excuse, "B."`: quotations ending the sentence after
    a short aside set off by commas go on with the first."""
    lo, hi = rest
    inside = [q for q in starting_in(para.quotes, lo, hi + 1) if q.end <= hi + 1]
    if not inside:
        return []
    aside = para.masked[lo : inside[0].start].strip()
    if not aside.endswith(",") or len(aside.split()) > MAX_ASIDE_WORDS:
        return []
    tail = para.masked[inside[-1].end : hi + 1].strip(' .,;!?"')
    return [] if tail else [(q.inner_start, q.inner_end) for q in inside]


MAX_ASIDE_WORDS = 12


_REPORTS = frozenset("reported reports".split())


def _quotes_after(masked: str, cue: Cue, end: int) -> bool:
    """Whether what follows `cue` up to `end` is a quotation: `said: "…,"`."""
    return masked[cue.end : end].lstrip(" :,").startswith('"')


_REPORTED_BY = re.compile(
    r",\"?\s+(?:the\s+)?[A-Z][\w.'’&-]*(?:\s+[A-Z][\w.'’&-]*){0,3}\s+(?P<cue>reported|reports)"
    r"(?:\s+[\w.-]+){0,3}\s*[.!]?\"?\s*$"
)
_GERUND = re.compile(r"[a-z]+ing\s+\S+\s+\S+")  # "Mr. Trump reported raising about $9 million"
_WORK_LEADS = frozenset("of titled dubbed headlined".split())
_ASIDE_LEADS = frozenset("citing calling describing quoting invoking".split())


def _names_a_work(text: str, quote: Quote) -> bool:
    """ "Steven Brill, author of "America's Bitter Pill," …, said": the title of a work in the
    subject is no quotation the cue could follow."""
    lead = text[max(0, quote.start - 12) : quote.start].split()
    if lead and lead[-1].lower() in _ASIDE_LEADS:
        return True  # "Mr. Manafort, citing "the unique magic of Trump," said": an aside
    if lead and lead[-1].endswith(("'s", "’s")):
        # "host of MSNBC’s "Morning Joe,"": a show's name, short and capitalised
        return is_title_quote(text, quote)
    return bool(lead) and lead[-1].lower() in _WORK_LEADS


def _may_be_inverted(masked: str, lo: int, cue: Cue, after_quote: bool) -> bool:
    """`"…," said X` and `…, said X`, but not `X, the head of Y, said`."""
    if cue.tells and not cue.word.startswith("ask"):
        return False  # "…, told Reuters": Reuters is whom, not who
    before = masked[lo : cue.start].rstrip()
    if after_quote and before in ("", ","):
        return True
    # `X "quoted" for the EU, said Wilders`: a quotation inside the content is no bar.
    if not before.endswith(","):
        return False
    segments = [s.strip(' "') for s in before[:-1].split(",")]
    if described_then_named(segments):
        # `"…," the bureau's director, James B. Comey, said on Monday`; `the campaign's
        # chairman, John Podesta, said in a statement:`
        return False
    return len(segments) < 2 or head_index(segments) == len(segments) - 1


_AS_OPENING = re.compile(r"\s*(?:(?:And|But|So)\s+)?(?:As|as)\s+(?=\S)")
_AS_ASIDE_WORDS = 6
_BY = re.compile(r"\s+by\s+")


def _as_said(para: _Paragraph, cue: Cue, start: int, end: int) -> Claim | None:
    """`As Politico reported, it effectively disbanded …`: the sentence opens with "As", the
    source and the cue, and what was said is the main clause after the comma."""
    opening = _AS_OPENING.match(para.masked, start)
    if opening is None or opening.end() > cue.start:
        return None
    comma = para.masked.find(",", cue.end, end)
    if comma < 0 or len(para.masked[cue.end : comma].split()) > _AS_ASIDE_WORDS:
        return None
    between = para.masked[opening.end() : cue.start].split()
    by = _BY.match(para.masked, cue.end, comma)
    if by and all(is_adverb(w) or w in ("first", "earlier", "also") for w in between):
        # "As (first) reported by Western Journalism, …": the passive names the source after.
        source = source_according(para.masked, by.end(), comma + 1)
    elif opening.end() < cue.start:
        source = source_before(para.masked, opening.end(), cue.start)
        if source is not None and source.start != opening.end():
            source = None
    else:
        source = None
    if source is None:
        return None
    content = trim(para.masked, comma + 1, end)
    if word_count(para.text, *content) < 3:
        return None
    spans, direct = content_spans(para.text, para.quotes, *content)
    return Claim(source, cue.word, None, spans, direct, cue.start)


def _fronted(para: _Paragraph, cue: Cue, start: int, end: int) -> Claim | None:
    """`Said Ellis: "I don't get the sense …"`: the cue opens the sentence, the speaker follows
    it, and what was said comes after a colon."""
    if para.masked[start : cue.start].strip() or not para.masked[cue.start].isupper():
        return None
    colon = para.masked.find(":", cue.end, end)
    if colon < 0:
        return None
    source = source_after(para.masked, cue.end, colon + 1)
    if source is None or para.masked[source.end : colon].strip():
        return None
    content = trim(para.masked, colon + 1, end)
    if word_count(para.text, *content) < 2:
        return None
    spans, direct = content_spans(para.text, para.quotes, *content)
    return Claim(source, cue.word.lower(), None, spans, direct, cue.start)


def _inverted(
    para: _Paragraph,
    cue: Cue,
    start: int,
    end: int,
    source: Source,
) -> tuple[Claim | None, int]:
    before = trim(para.masked, start, cue.start)
    if word_count(para.text, *before) < 2 and not has_quote(para.quotes, *before):
        return None, cue.end
    spans, direct = content_spans(para.text, para.quotes, *before)
    if _RELATIVE_CUE.match(para.masked, source.end, end):
        # `"…," said Weaver, who said executives fail to see there are "no secrets"`: the
        # relative clause is a claim of its own, read next.
        return Claim(source, cue.word, None, spans, direct, cue.start), source.end
    tail = starting_in(para.quotes, source.end, end)
    if direct and tail:
        spans += [(q.inner_start, q.inner_end) for q in tail]
    claim = Claim(source, cue.word, None, spans, direct, cue.start)
    return claim, end


_RELATIVE_CUE = re.compile(rf"[^.;!?]{{0,80}}?,\s+who\s+(?:\w+\s+)?(?:{VERBS})\b")


def _asks_for_action(masked: str, cue: Cue, content_start: int, end: int) -> bool:
    if not cue.word.startswith("ask") or masked.startswith('"', content_start):
        return False
    return not _ASK_CONTENT.match(masked, content_start, end)
