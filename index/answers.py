"""From a question to an answer: what to search for, and who said the best passage."""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.models import Attribution, Passage, ScoredPassage
from index.tokens import tokenize, words

# Bump when `findable_terms` or the tokenizer changes: a saved index built otherwise is rebuilt.
TERMS_VERSION = "2"

REPHRASE = "Ask with a few words from what was said, e.g. “who said Russians intervened?”"


SAME_TEXT = 0.8  # word-set overlap at which two passages count as one (two copies, two versions)

_WHO_IS = re.compile(r"^\s*who\s+(?:is|was|'s|’s)\s+(?P<name>[^?]+?)\s*\??\s*$", re.I)
_SPEECH = re.compile(r"\b(said|says|say|told|tells|claimed|called|argued|warned)\b", re.I)


@dataclass(frozen=True)
class Query:
    text: str
    terms: list[str]
    subject: str | None = None  # "Naji Mustafa" in "who is Naji Mustafa?"


def analyse(question: str) -> Query:
    text = " ".join(question.split())
    subject = None
    if (match := _WHO_IS.match(text)) and not _SPEECH.search(text):
        subject = match.group("name")
    return Query(text=text, terms=tokenize(text), subject=subject)


def near_duplicate(a: str, b: str) -> bool:
    """The same passage twice (two copies of an article, two versions): most words shared."""
    wa, wb = set(words(a)), set(words(b))
    return bool(wa and wb) and len(wa & wb) >= SAME_TEXT * max(len(wa), len(wb))


def distinct(results: list[ScoredPassage], k: int) -> list[ScoredPassage]:
    """The first `k` results, leaving out any that repeats the text of a better one."""
    kept: list[ScoredPassage] = []
    for item in results:
        if not any(near_duplicate(item.passage.text, other.passage.text) for other in kept):
            kept.append(item)
            if len(kept) == k:
                break
    return kept


def findable_terms(passage: Passage) -> list[str]:
    """What a passage is found by: its words, and the names and roles of those it quotes, since
    the paragraph often gives only "he" or a surname. Context words the text already has are
    not added again: they would only lengthen a self-contained passage and lower its score."""
    own = tokenize(passage.text)
    context = " ".join(
        f"{a.speaker or ''} {a.mention or ''} {a.role or ''}" for a in passage.attributions
    )
    have = set(own)
    extra = dict.fromkeys(t for t in tokenize(context) if t not in have)
    return own + list(extra)


def _overlap(query: Query, attribution: Attribution) -> int:
    quoted = set(tokenize(attribution.quote))
    return sum(term in quoted for term in set(query.terms))


def best_attribution(query: Query, passage: Passage) -> Attribution | None:
    """The attribution in `passage` whose quote the question is most about."""
    if not passage.attributions:
        return None
    return max(passage.attributions, key=lambda a: _overlap(query, a))


def speaker_of(query: Query, results: list[ScoredPassage]) -> str | None:
    if not results:
        return None
    best = best_attribution(query, results[0].passage)
    return best.speaker if best else None
