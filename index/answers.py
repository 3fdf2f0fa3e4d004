"""From a question to an answer: what to search for, and who said the best passage."""

from __future__ import annotations

from dataclasses import dataclass

from index.models import Attribution, Passage, ScoredPassage
from index.tokens import tokenize

# Bump when `findable_terms` or the tokenizer changes: a saved index built otherwise is rebuilt.
TERMS_VERSION = "2"

REPHRASE = "Ask with a few words from what was said, e.g. “who said Russians intervened?”"


@dataclass(frozen=True)
class Query:
    text: str
    terms: list[str]


def analyse(question: str) -> Query:
    return Query(text=question.strip(), terms=tokenize(question))


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
