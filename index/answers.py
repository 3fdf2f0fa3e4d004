"""From a question to an answer: what to search for, and who said the best passage."""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.models import Article, Attribution, Passage, ScoredPassage
from index.tokens import tokenize, words

# Bump when `findable_terms` or the tokenizer changes: a saved index built otherwise is rebuilt.
TERMS_VERSION = "2"

REPHRASE = "Ask with a few words from what was said, e.g. “who said Russians intervened?”"


SAME_TEXT = 0.8  # word-set overlap at which two passages count as one (two copies, two versions)

# How much a passage's article counts beside the passage itself, each scaled to the best score.
# People paraphrase: a question shares few words with the passage that answers it, and more with
# the article around it (its title, the names and events it covers). On the dev sets this lifts
# the right passage into the top 3 for a fifth more paraphrased questions (0.2 to 0.6 all help);
# quote-word questions are unaffected.
ARTICLE_WEIGHT = 0.4
CANDIDATES = 20  # passages re-ranked with their article's score
ARTICLE_CANDIDATES = 50  # articles whose score counts; the rest add nothing

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


def article_terms(article: Article) -> list[str]:
    """What an article is found by: its title and its whole text."""
    return tokenize(f"{article.title}\n{article.text}")


def in_context(results: list[ScoredPassage], articles: dict[int, float]) -> list[ScoredPassage]:
    """`results` re-ranked by their own score plus their article's (`articles`: article id to
    score), each scaled to the best, so neither scale's size decides."""
    best_passage = max((r.score for r in results), default=0.0) or 1.0
    best_article = max(articles.values(), default=0.0) or 1.0

    def combined(result: ScoredPassage) -> float:
        article = articles.get(result.article.id or -1, 0.0)
        return result.score / best_passage + ARTICLE_WEIGHT * article / best_article

    rescored = [r.model_copy(update={"score": round(combined(r), 4)}) for r in results]
    return sorted(rescored, key=lambda r: -r.score)  # stable: ties keep the passage order


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
