"""A question as read: what kind it is, the terms it is searched by (with the formal words for
its informal ones), and the speaker or quantity it asks for."""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, replace
from enum import StrEnum
from itertools import pairwise

from index.informal import Alternative, alternatives, formal_terms
from index.speech import ASKS_SPEECH, QUESTION_SPEECH
from index.tokens import tokenize

# "What was the naval base called?": a name, not something said.
_NAMING = re.compile(r"\b(?:is|was|are|were|be|been|being)\s+(?:\w+\s+){0,3}?called\b", re.I)
# "Why does Larry King work with …?": news gives people's reasons in their own words.
_WHY = re.compile(r"\s*why\b", re.I)
_ASKS_WHO = re.compile(r"\s*(?:who|whom|which|according\s+to\s+whom)\b", re.I)
_WHO_IS = re.compile(r"^\s*who\s+(?:is|was|'s|’s)\s+(?P<name>[^?]+?)\s*\??\s*$", re.I)
# The person a what-did-X-say question names as its speaker: "what did Jim Jordan think …",
# "did Gennifer Flowers ever comment …", "how did Ted Cruz justify …", "how did Richard Revesz
# push back …", "According to Megan Hester, …". A possessive ("what did Trump's spokesman
# say") names someone else, so it is no match.
#
# A name is a few words of a few dozen letters, and the owner's opens a word: tried from every
# letter of a long run of capitals ("who said Abc Abc …"), an unbounded name read the rest
# of the run each time, and a 100 KB question took 101 s.
_NAME_WORD = r"(?:[A-Z][\w.'’-]{0,39}|de|al|van|von)"
_NAME = rf"{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,9}}"
_ASKED_SPEAKER = re.compile(
    rf"\b(?:did|does|do|has|have|had|would|will|could|was|is)\s+(?P<name>{_NAME})"
    rf"(?<!['’]s)\s+(?:\w+\s+)?(?:{QUESTION_SPEECH}|mean|tweet\w*)\b"
    rf"|\b(?i:according)\s+to\s+(?P<source>{_NAME})(?<!['’]s)\s*(?:[,?.]|$)"
    # "What's Bernie's advice …", "Trump's response to …": what the owner said.
    rf"|(?<![\w.'’-])(?P<owner>{_NAME})['’]s\s+(?:\w+\s+)?(?:advice|comments?|response|reply|answer|"
    r"message|warning|remarks?|statement|argument|explanation|excuse|promise|pledge|"
    r"prediction|quip|joke|retort|rebuttal|assessment|verdict)\b"
)
_QUESTION_WORDS = frozenset("what what's whats who how why when where which did does".split())


_ASKS_NUMBER = re.compile(
    r"\bhow\s+(?:many|much|big|large|far|often|long|old|tall)\b"
    r"|\bwhat\s+(?:share|percentage|percent|proportion|fraction|portion|number|margin|score|"
    r"vote|tally|amount|sum|price|cost|age|rate)\b"
    r"|\bwhat\s+was\s+the\s+(?:\w+\s+){0,2}(?:vote|score|tally|margin|count)\b",
    re.I,
)


# "When did …", "what year …", "since when …": the answer is a time.
_ASKS_WHEN = re.compile(
    r"^\s*when\b|\bsince\s+when\b|\bhow\s+long\s+ago\b|\bwhat\s+(?:year|date|day|month|time)\b",
    re.I,
)


class Kind(StrEnum):
    WHO_IS = "who is"  # who is Naji Mustafa?
    SAID = "said"  # who said …? what did X say about …? according to whom …?
    FACTUAL = "factual"  # how many …? where did …?
    NO_CONTENT = "no content"  # who said that?


@dataclass(frozen=True)
class Query:
    text: str
    terms: list[str]
    kind: Kind = Kind.FACTUAL
    subject: str | None = None  # "Naji Mustafa" in "who is Naji Mustafa?"
    asks_who: bool = False  # "who said …", "which pollster claimed …": the words are given
    asks_number: bool = False  # "how many …", "what share …": the answer is a quantity
    asks_when: bool = False  # "when did …", "what year …": the answer is a time
    # Formal words for the question's informal ones ("veterans" for "vets"): their terms end
    # `terms`, after the question's own.
    alternatives: tuple[Alternative, ...] = ()
    added: int = 0  # how many of `terms`, at the end, are formal words for informal ones
    # What a question about speech says was said: the words after its verb of saying ("a
    # trump presidency would make everything blow up" in "which star thinks a trump …").
    said: str | None = None

    @property
    def own_terms(self) -> list[str]:
        """The terms of the question's own words."""
        return self.terms[: len(self.terms) - self.added]

    @property
    def pairs(self) -> set[tuple[str, str]]:
        """Each two terms next to each other in the question's own words."""
        return set(pairwise(self.own_terms))

    def credited(self, have: AbstractSet[str]) -> set[str]:
        """`have`, and the question's informal terms whose formal words `have` holds."""
        out = set(have)
        for alternative in self.alternatives:
            if set(alternative.formal) <= have:
                out.update(alternative.informal)
        return out

    @property
    def asks_words(self) -> bool:
        """A question after what someone said ("what did X say …", "how did X describe …"),
        whose answer is best in the speaker's own words."""
        return self.kind is Kind.SAID and not self.asks_who


def analyse(question: str) -> Query:
    text = " ".join(question.split())
    terms = tokenize(text)
    if not terms:
        return Query(text=text, terms=terms, kind=Kind.NO_CONTENT)
    others = tuple(alternatives(text))
    formal = formal_terms(others, terms)
    terms += formal
    plain = Query(
        text,
        terms,
        alternatives=others,
        added=len(formal),
        asks_when=bool(_ASKS_WHEN.search(text)),
    )
    if ASKS_SPEECH.search(_NAMING.sub("", text)) or _WHY.match(text):
        asks_who = bool(_ASKS_WHO.match(text))
        return replace(
            plain,
            kind=Kind.SAID,
            asks_who=asks_who,
            asks_number=_asks_number(text),
            said=said_part(text),
        )
    if match := _WHO_IS.match(text):
        return replace(plain, kind=Kind.WHO_IS, subject=match.group("name"))
    return replace(plain, asks_number=_asks_number(text))


_SAID_OPENERS = re.compile(r"^(?:that|about|of|on|to)\s+", re.I)
_SAID_WORDS = 2  # fewer words after the verb say what was said no better than the question


def said_part(text: str) -> str | None:
    """The words after a question's first verb of saying, when there are enough of them to
    stand for what was said: "which thelma and louise star thinks a trump presidency would
    make everything blow up" -> "a trump presidency would make everything blow up"."""
    match = ASKS_SPEECH.search(text)
    if match is None:
        return None
    rest = _SAID_OPENERS.sub("", text[match.end() :].strip(" ?.,!"))
    return rest if len(rest.split()) >= _SAID_WORDS else None


def _asks_number(text: str) -> bool:
    return bool(_ASKS_NUMBER.search(text))


def asked_speaker(query: Query) -> str | None:
    """The person a question about what someone said names as the speaker, if it names one."""
    if query.kind is not Kind.SAID:
        return None
    match = _ASKED_SPEAKER.search(query.text)
    if match is None:
        return None
    if match.group("owner") and query.asks_who:
        return None  # "who said Obama's remarks were …": the words are someone else's
    name = match.group("name") or match.group("source") or match.group("owner")
    words = name.split()
    while words and words[0].lower().replace("’", "'") in _QUESTION_WORDS:
        words = words[1:]
    return " ".join(words) if any(w[:1].isupper() for w in words) else None
