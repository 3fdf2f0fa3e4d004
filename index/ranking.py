"""Ranking: from candidate passages and their signals to an order, and whether to answer at all.

Pure functions, no I/O. Every signal a candidate has (its own BM25 score, its article's, the
passage leading in to it, whether it quotes the speaker meant, …) is a feature; a candidate's
score is the features weighed by one frozen `Weights` object passed in, so a script can sweep
or fit them (see `FEATURES`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import pairwise

from index.attribution.names import split_name
from index.matching import quotes, share
from index.models import Passage, ScoredPassage
from index.question import Kind, Query
from index.terms import findable_terms
from index.tokens import tokenize, words

# What a candidate is ranked by, in the order of a feature vector. Each is 0 where it does not
# apply (a lead-in feature for a passage no quotation follows, a quantity for a question after
# none).
FEATURES: tuple[str, ...] = (
    "passage",  # its BM25 score, scaled to the best candidate's
    "article",  # its article's BM25 score, scaled to the best article's
    "meaning",  # its cosine to the question (the dense extra)
    "lead_in",  # the BM25 score of the passage before it (questions about speech)
    "lead_in_meaning",  # that passage's cosine, when the question asks for someone's words
    "same_speaker_lead_in",  # the lead-in's score, when it quotes or names the same speaker
    "same_speaker_lead_in_meaning",  # and its cosine then
    "said",  # 1 when it carries an attribution and the question asks about speech
    "direct",  # 1 when it quotes directly and the question asks for someone's words
    "named",  # 1 when it quotes the speaker the question means
    "number",  # 1 when it gives a quantity and the question asks for one
    "phrases",  # the share of the question's adjacent term pairs it holds side by side
)


@dataclass(frozen=True)
class Weights:
    """What ranking and abstention weigh: one coefficient per feature, and the bars and sizes
    around them."""

    coefficients: Mapping[str, float]
    # Abstention, with the dense extra: off-topic when no passage reaches `min_meaning` in
    # meaning and none has `min_coverage` of the question's weight; without it, when none of
    # the first `coverage_passages` holds `min_words_coverage`.
    min_meaning: float = 0.3
    min_coverage: float = 0.5
    min_words_coverage: float = 0.28
    coverage_passages: int = 5
    # The share of a question's weight a speaker's name and role must hold to be meant by it.
    role_match: float = 0.2
    # How many of the best passages a quantity question looks through for a number.
    number_passages: int = 2
    same_text: float = 0.8  # word-set overlap at which two passages count as one
    candidates: int = 20  # passages re-ranked (BM25's best, and nearest in meaning)
    article_candidates: int = 50  # articles whose score counts; the rest add nothing

    def vector(self) -> list[float]:
        return [self.coefficients.get(name, 0.0) for name in FEATURES]


_LEAD_IN, _MEANING, _SAME_SPEAKER = 0.2, 1.5, 0.5
# The weights set by hand on the dev sets, feature by feature (see the git history of
# index/answers.py for how each was chosen).
HAND_SET = Weights(
    coefficients={
        "passage": 1.0,
        "article": 0.4,
        "meaning": _MEANING,
        "lead_in": _LEAD_IN,
        "lead_in_meaning": _LEAD_IN * _MEANING,
        "same_speaker_lead_in": _SAME_SPEAKER,
        "same_speaker_lead_in_meaning": _SAME_SPEAKER * _MEANING,
        "said": 0.35,
        "direct": 0.3,
        "named": 1.0,
        "number": 0.3,
        "phrases": 0.25,
    }
)


@dataclass(frozen=True)
class Context:
    """What ranks a passage besides its own words."""

    articles: dict[int, float]  # article id to its BM25 score
    meanings: dict[int, float] = field(default_factory=dict)  # passage id to cosine (dense)
    speaker: str | None = None  # the quoted speaker the question means
    # passage id to the passage before it (its id and BM25 score), for questions about speech
    lead_ins: dict[int, tuple[int, float]] = field(default_factory=dict)


def features(
    query: Query, results: list[tuple[int, ScoredPassage]], context: Context
) -> list[list[float]]:
    """Each candidate's feature vector (in `FEATURES` order), for (passage id, result) pairs
    whose score is their BM25 score."""
    articles, meanings, speaker = context.articles, context.meanings, context.speaker
    best_passage = max((r.score for _, r in results), default=0.0) or 1.0
    best_article = max(articles.values(), default=0.0) or 1.0
    said, asks_words = query.kind is Kind.SAID, query.asks_words
    passages = {pid: r.passage for pid, r in results}
    pairs = query.pairs
    out = []
    for pid, result in results:
        passage = result.passage
        before, score = context.lead_ins.get(pid, (-1, 0.0))
        lead_in = score / best_passage
        lead_in_meaning = meanings.get(before, 0.0) if asks_words else 0.0
        same = asks_words and before in passages and _introduces(passages[before], passage)
        out.append(
            [
                result.score / best_passage,
                articles.get(result.article.id or -1, 0.0) / best_article,
                meanings.get(pid, 0.0),
                lead_in,
                lead_in_meaning,
                lead_in if same else 0.0,
                lead_in_meaning if same else 0.0,
                float(said and bool(passage.attributions)),
                float(asks_words and any(a.direct for a in passage.attributions)),
                float(bool(speaker) and quotes(passage, speaker or "")),
                float(query.asks_number and has_quantity(passage.text)),
                _phrases_held(pairs, passage),
            ]
        )
    return out


def in_context(
    query: Query, results: list[tuple[int, ScoredPassage]], context: Context, weights: Weights
) -> list[ScoredPassage]:
    """(passage id, result) pairs re-ranked by their features weighed by `weights`, best first;
    each result's score becomes its weighed sum."""
    coefficients = weights.vector()
    rescored = [
        r.model_copy(
            update={"score": round(sum(c * f for c, f in zip(coefficients, x, strict=True)), 4)}
        )
        for (_, r), x in zip(results, features(query, results, context), strict=True)
    ]
    return sorted(rescored, key=lambda r: -r.score)  # stable: ties keep the passage order


def _phrases_held(pairs: set[tuple[str, str]], passage: Passage) -> float:
    """The share of the question's word pairs (adjacent terms) the passage has side by side."""
    if not pairs:
        return 0.0
    terms = tokenize(passage.text)
    return len(pairs & set(pairwise(terms))) / len(pairs)


def _introduces(before: Passage, passage: Passage) -> bool:
    """Whether `before` is about someone `passage` quotes: it quotes them too, or names them
    (by surname: "Delegates questioned how Cruz could …", then "…," he said)."""
    quoted = {a.speaker for a in before.attributions if a.speaker}
    have = set(words(before.text))
    for a in passage.attributions:
        name = split_name(a.speaker or "")
        surname = set(words(name.surname)) if name else set()
        if a.speaker in quoted or (surname and surname <= have):
            return True
    return False


# -- abstention ---------------------------------------------------------------------------


def coverage(query: Query, found: list[ScoredPassage], idf: dict[str, float]) -> float:
    """The largest share of the question's weight (the idf of its distinct terms) that one of
    the `found` passages holds, with its article's title. An informal word counts as held
    where its formal words are ("vets" by "veterans"), and the formal words add no weight."""
    asked = set(query.own_terms)
    return max(
        (
            share(
                asked,
                query.credited(set(findable_terms(r.passage)) | set(tokenize(r.article.title))),
                idf,
            )
            for r in found
        ),
        default=0.0,
    )


def off_topic(covered: float, meanings: dict[int, float], weights: Weights) -> bool:
    """Whether nothing stored is about the question, so answering would show a random passage.
    `covered` is the question's `coverage` by the best-matching passages; `meanings` are the
    dense extra's cosines, when installed: then a passage close in meaning is enough to answer,
    and the bar for words alone is higher."""
    if meanings:
        return max(meanings.values()) < weights.min_meaning and covered < weights.min_coverage
    return covered < weights.min_words_coverage


# Numbers that are no quantity: dates ("Sept. 11", "Oct. 19, 2016"), years, times of day.
_DATE_OR_TIME = re.compile(
    r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?"
    r"(?:,\s+\d{4})?\b|\b(?:19|20)\d\d\b|\b\d{1,2}:\d\d\b"
)
_NUMBER = re.compile(
    r"\d|\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"(?:thir|four|fif|six|seven|eigh|nine)teen|twenty|thirty|forty|fifty|sixty|seventy|eighty|"
    r"ninety|hundred|thousand|million|billion|trillion|dozens?|half|quarter|third|percent|"
    r"twice|double|triple)\b",
    re.I,
)


def no_quantity(query: Query, results: list[ScoredPassage], weights: Weights) -> bool:
    """Whether a question after a quantity finds none: no number in its best passages, though
    ranking prefers passages with one. "What was the final score of the game?" over articles
    that only say the game was played."""
    # Any number will do here, dates too: "how long has she served?" may be answered by "since
    # 2009", and giving up wrongly costs more than ranking a date as a quantity.
    return query.asks_number and not any(
        _NUMBER.search(r.passage.text) for r in results[: weights.number_passages]
    )


def has_quantity(text: str) -> bool:
    """Whether `text` gives a number that is no date or time: "50,000 workers", "19-15",
    "a quarter", "three times"; not "Sept. 11" or "in 2014"."""
    return bool(_NUMBER.search(_DATE_OR_TIME.sub(" ", text)))


# -- the same passage twice ---------------------------------------------------------------


def near_duplicate(a: str, b: str, same_text: float = HAND_SET.same_text) -> bool:
    """The same passage twice (two copies of an article, two versions): most words shared."""
    wa, wb = set(words(a)), set(words(b))
    return bool(wa and wb) and len(wa & wb) >= same_text * max(len(wa), len(wb))


def distinct(
    results: list[ScoredPassage], k: int, same_text: float = HAND_SET.same_text
) -> list[ScoredPassage]:
    """The first `k` results, leaving out any that repeats the text of a better one."""
    kept: list[ScoredPassage] = []
    for item in results:
        if not any(near_duplicate(item.passage.text, o.passage.text, same_text) for o in kept):
            kept.append(item)
            if len(kept) == k:
                break
    return kept
