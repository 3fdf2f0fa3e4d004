"""Speech cues: the verbs and phrases that introduce what someone said, and what hangs on them.

After a cue come, in some order, an addressee ("told Reuters"), adjuncts of time, place and
medium ("on Thursday", "in a statement", "at a rally in Ohio") and then the content, perhaps
introduced by "that" or by a colon. Everything here works on masked text (see quotes.mask), so
a cue word inside a quotation is never seen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.attribution.lookback import search_back
from index.speech import CUE_VERBS

_TELL_VERBS = frozenset("tell tells told telling ask asks asked asking".split())
# Verbs that are speech only with a clear content or a clear speaker; alone they mean other things.
_WEAK_VERBS = frozenset(
    """adds added continued reported reports countered stressed denied denies promised pledged
    urged vowed posted declared concluded confirmed confirms mentioned recalled recalls
    tweeted predicted cautioned complained complain complains claims claim states charges
    vows promises""".split()
)
AUXILIARIES = (
    r"(?:(?:has|have|had|also|later|then|once|previously|recently|repeatedly|publicly|[a-z]\w*ly|"
    r"\w+n['’]t|"  # "hasn't", "isn’t": contracted negatives
)
AUXILIARIES += r"privately|again|often|never|not|n't|always|first|would|will|could|might|did|does|"
AUXILIARIES += r"however|though|too|meanwhile|"  # "Carter however said …"
AUXILIARIES += (
    r"do|is|are|was|were|be|been|being|just|further|even|still|now|only|flatly|long|since)\s+)*"
)

VERBS = "|".join(sorted(set(CUE_VERBS), key=len, reverse=True))  # longest first, for regexes
# Cue words that may open a sentence before the speaker's name: `Said Ellis: "…"`.
FRONTED_CUES = frozenset("Said Says Added Adds Wrote Writes".split())
_CUE = re.compile(
    rf"\b(?:(?P<according>[Aa]ccording\s+to)|(?P<verb>{VERBS})"
    rf"|(?:^|(?<=[.!?] )|(?<=[.!?]\" ))(?P<fronted>{'|'.join(sorted(FRONTED_CUES))}))\b"
)

# A quotation ending in ? or ! that a cue follows ("Why?" Graham asked. / "No!" said Ms. Lee):
# the cue belongs to the quotation's sentence, though "?" would end one anywhere else.
QUESTION_BEFORE_CUE = re.compile(
    r"[?!](?=\"\s+(?:(?:[A-Z][\w.'’-]*|he|she|they|we|I)\s+){0,4}(?:" + VERBS + r")\b)"
    # `"… missing." Trump said.`: a full stop typed for the comma, when the cue and its
    # speaker make the whole next sentence
    r"|\.(?=\"\s+(?:[A-Z][\w.'’-]*\s+){1,4}(?:" + VERBS + r")\s*\.)"
)

_DAYS = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_MONTHS = r"(?:January|February|March|April|May|June|July|August|September|October|November|"
_MONTHS += r"December)"
_PARTS_OF_DAY = r"(?:\s+(?:morning|afternoon|evening|night))?"
_TIME_NOUNS = r"(?:morning|afternoon|evening|night|week|weekend|month|year|day|summer|spring|"
_TIME_NOUNS += r"fall|winter)"
_MEDIA = (
    r"(?:statement|interview|speech|e-?mail|letter|tweets?|posts?|op-ed|memo|conference|briefing|"
    r"call|testimony|report|rally|event|hearing|meeting|forum|debate|hall|appearance|address|"
    r"broadcast|show|program|programme|podcast|video|message|book|column|essay|article|filing|"
    r"release|session|remarks|visit|stop|dinner|luncheon|breakfast|ceremony|radio|television|"
    r"documentary|notes?|transcript|campaign|sit-down|editorial|blog|appearances|exchange|"
    r"phone|telephone)"
)
_CAP = r"[A-Z][\w.'’&-]*"
_CAP_RUN = _CAP + r"(?:\s+(?:" + _CAP + r"|of|the|and|&|for))*(?<!\sof)(?<!\sthe)(?<!\sand)"
_MASKED_QUOTE = r"\"[Qq]x*[.!?]?\""  # a quotation as quotes.mask leaves it

# Adjuncts that sit between a cue and its content, none of them content themselves.
_WHEN = (
    rf"(?:on|last|this|early|late|earlier|later|next|that)\s+(?:{_DAYS}|{_TIME_NOUNS})"
    rf"{_PARTS_OF_DAY}|(?:on\s+)?{_DAYS}{_PARTS_OF_DAY}|in\s+\d{{4}}|in\s+{_MONTHS}(?:\s+\d{{4}})?"
)
_HOW = (
    r"today|yesterday|tonight|recently|previously|repeatedly|again|publicly|privately|earlier|"
    r"later|then|also|now|too|bluntly|flatly|simply|afterwards?|separately|frequently|often|"
    r"though|however|"  # "He added, though, that …"
    r"for\s+(?:years|months|weeks|decades|days|some\s+time|a\s+long\s+time)|"
    r"shortly|in\s+part|at\s+the\s+time|at\s+one\s+point|"
    # "in response to a question about the searches": why, not what
    r"in\s+(?:response|reply|answer)\s+to\s+(?:a|an|the|his|her|their|my|our)\s+"
    r"(?:[\w'’-]+\s+){0,2}?(?:questions?|query|inquiry|request)(?:\s+(?:about|on|from)\s+(?:(?!\s+that\b)[^,.;:!?\"])+)?|"
    r"in\s+response|in\s+reply|"
    r"on\s+background|on\s+condition\s+of\s+anonymity|by\s+(?:tele)?phone|by\s+e-?mail|"
    r"last\s+year|this\s+year|at\s+length|under\s+oath|this\s+past\s+\w+|in\s+recent\s+\w+|"
    r"(?:a|one|two|three|several)\s+\w+\s+ago|on\s+the\s+campaign\s+trail"
)
# Between a subject and its cue: "Wells Fargo just this month announced", "Acme, on Tuesday,
# said". Stripped (with the auxiliaries) before the subject is read.
PRE_CUE_TIME = re.compile(
    rf"\s*,?\s+(?:{_WHEN}|(?:earlier|later|late|early)\s+(?:this|last|that)\s+{_TIME_NOUNS}|"
    rf"today|yesterday|tonight|already|earlier|again)\s*,?\s*$"
)
_OF_WHOM = rf"(?:of|from)\s+(?:the\s+)?{_CAP_RUN}(?:(?<=['’]s)\s+[a-z]+)?"
_MEDIUM = (
    r"(?:in|during|at|on|via|through|over|after|before|with)\s+"
    rf"(?:a|an|the|his|her|their|its|this|that|one|{_CAP}['’]s)\s+(?:[\w'’-]+\s+){{0,4}}?"
    # "in a telephone interview", "on a conference call": a medium may be two nouns
    rf"{_MEDIA}(?:\s+{_MEDIA})*(?:\s+(?:with|to|on|at|in|for|from|by)\s+"
    rf"(?P<medium_to>(?:the\s+)?{_CAP_RUN}|reporters|journalists|supporters))?"
    rf"(?:\s+(?:in|at)\s+{_CAP_RUN})?"
)
_ON_OUTLET = rf"on\s+{_CAP_RUN}(?:['’]s)?(?:\s+{_CAP_RUN}|\s+{_MASKED_QUOTE})?"
_IN_PLACE = rf"in\s+{_CAP_RUN}(?:,\s*{_CAP_RUN})?"
_TO_WHOM = rf"to\s+(?P<said_to>reporters|journalists|lawmakers|supporters|the\s+\w+|{_CAP_RUN})"
_ADJUNCT = re.compile(
    rf"\s*,?\s*(?:{_WHEN}|{_HOW}|{_OF_WHOM}|{_MEDIUM}|{_ON_OUTLET}|{_IN_PLACE}|{_TO_WHOM})"
    r"(?=[\s,.:;!?\"]|$)"
)

# Whom a "told" is addressed to: "Reuters", "Breitbart News Daily host Alex Marlow",
# "reporters", "the crowd", "him".
_NAMED_AUDIENCE = (
    rf"(?:the\s+)?{_CAP}(?:\s+(?:{_CAP}|of|host|anchor|correspondent|reporter|editor|"
    r"columnist|magazine|newspaper|radio|news|agency|wire|service|network|channel|station|"
    r"['’]s))*(?<!\sof)"
)
_AUDIENCE_NOUNS = (
    r"reporters|journalists|crowd|audience|newspaper|paper|magazine|network|station|committee|"
    r"panel|outlet|site|website|agency|radio|host|supporters|lawmakers|donors|voters|listeners|"
    r"viewers|students|members|senators|congressmen|delegates|interviewer|anchor|correspondent|"
    r"editors|editorial board|group"
)
_COMMON_AUDIENCE = (
    rf"(?:the\s+|a\s+|an\s+|his\s+|her\s+|their\s+)?(?:[a-z-]+\s+){{0,2}}?(?:{_AUDIENCE_NOUNS})"
)
_PLURAL_AUDIENCE = r"[a-z]+s(?=\s*(?:[,.:;\"]|that\b|on\b|in\b|at\b|$))"  # "told residents"
_ADDRESSEE = re.compile(
    rf"\s*(?P<who>{_NAMED_AUDIENCE}|{_COMMON_AUDIENCE}|me|us|him|her|them|you|{_PLURAL_AUDIENCE})\b"
)
_THAT = re.compile(r"\s*,?\s*that\b\s*")
# What opens a question put to someone: "asked whether …", "asked him why …".
QUESTION_OPENERS = r"(?:whether|if|why|how|what|who|whom|which|where|when)"
# Whom a question is put to, up to the question: "asked former Attorney General Eric Holder
# whether …".
_ASKED_WHOM = re.compile(
    rf"\s*(?P<who>(?!(?:{QUESTION_OPENERS}|about|to)\b)[\w.'’-]+(?:\s+[\w.'’-]+){{0,7}}?)"
    rf"(?=\s+(?:{QUESTION_OPENERS}|about)\b)"
)
_NAMED_BEFORE_COLON = re.compile(
    r"\s+(?:a|an|the|this|one|his|her|their)\s+(?:[\w'’-]+\s+){0,2}?[\w'’-]+(?=:\s*\")"
)
_INTRO = re.compile(r"\s*[:,—–-]?\s*")


@dataclass(frozen=True)
class Cue:
    start: int
    end: int
    word: str
    according: bool

    @property
    def tells(self) -> bool:
        return self.word in _TELL_VERBS

    @property
    def weak(self) -> bool:
        return self.word in _WEAK_VERBS

    @property
    def participle(self) -> bool:
        return self.word.endswith("ing")


# "Comey cannot say that …": what someone is unable to say is not what they said.
_UNABLE = re.compile(r"\b(?:cannot|can['’]t|could\s+not|couldn['’]t)\s+$", re.I)


_CUE_THEN_COMMA = re.compile(r"\b(?:reported|reports|reporting),\s*$")
_WRITER_BEFORE = re.compile(r"\b[Aa]s\s+(?:I|we)\s+$")
_WRITER_ASIDE = re.compile(r"(?:\s+(?:above|earlier|before|previously|here))?\s*,")


def find_cues(masked: str, start: int, end: int) -> list[Cue]:
    cues = []
    for match in _CUE.finditer(masked, start, end):
        if _UNABLE.search(masked, max(start, match.start() - 12), match.start()):
            continue
        if _WRITER_ASIDE.match(masked, match.end()) and _WRITER_BEFORE.search(
            masked, max(start, match.start() - 10), match.start()
        ):
            continue  # "As I mentioned above, …": the writer pointing back, not a saying
        if match["according"] and search_back(_CUE_THEN_COMMA, masked, start, match.start()):
            continue  # "Politico reported, according to sources, …": the report's own sources
        word = match.group(0)
        cues.append(
            Cue(match.start(), match.end(), " ".join(word.split()), bool(match["according"]))
        )
    return cues


@dataclass(frozen=True)
class AfterCue:
    """What follows a cue: its addressee, and where the content (if any) starts."""

    addressee: str | None
    content_start: int
    that: bool


def read_after_cue(masked: str, cue: Cue, end: int) -> AfterCue:
    """Skip the addressee and adjuncts after `cue`, up to where its content would begin."""
    pos = cue.end
    addressee = None
    if cue.tells:
        match = _ADDRESSEE.match(masked, pos, end)
        if cue.word.startswith("ask") and (asked := _ASKED_WHOM.match(masked, pos, end)):
            match = asked  # "asked the 2016 Democratic White House contender if …"
        if match and not _THAT.match(masked, pos, end):
            addressee = match["who"]
            pos = match.end()
    pos, medium_addressee = skip_adjuncts(masked, pos, end)
    addressee = addressee or medium_addressee
    if named := _NAMED_BEFORE_COLON.match(masked, pos, end):
        pos = named.end()  # "she added a caveat: "…"": what she gave, then her words
    that = _THAT.match(masked, pos, end)
    if that:
        return AfterCue(addressee, that.end(), True)
    return AfterCue(addressee, _INTRO.match(masked, pos, end).end(), False)  # type: ignore[union-attr]


def skip_adjuncts(masked: str, pos: int, end: int) -> tuple[int, str | None]:
    """Position after any run of adjuncts at `pos`, and an addressee found among them."""
    addressee = None
    for _ in range(6):
        match = _ADJUNCT.match(masked, pos, end)
        if not match or match.end() == pos:
            break
        addressee = addressee or match["medium_to"] or match["said_to"]
        pos = match.end()
    return pos, addressee
