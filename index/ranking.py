"""Ranking: from candidate passages and their signals to an order, and whether to answer at all.

Pure functions, no I/O. Every signal a candidate has (its own BM25 score, its article's, the
passage leading in to it, whether it quotes the speaker meant, how much of the question it
holds, …) is a feature (`FEATURES`); a candidate's score is its features weighed by the
coefficients for its question's kind. Whether to answer is a calibrated probability that the
articles answer the question at all, from the question's own features (`QUESTION_FEATURES`:
how much of it the best passages hold, how many of its words no passage has, …). Both come from
one frozen `Weights` object, fitted by training/fit.py on the training questions and shipped as
index/data/ranking_model.json; a script can pass any other.
"""

from __future__ import annotations

import json
import math
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from itertools import pairwise

from index.attribution.names import split_name
from index.matching import quotes, share, speaker_share
from index.models import Passage, ScoredPassage
from index.question import Kind, Query
from index.speech import QUESTION_SPEECH
from index.terms import findable_terms
from index.tokens import terms_of, tokenize, words

# What a candidate is ranked by, in the order of a feature vector. Each is 0 where it does not
# apply (a lead-in feature for a passage no quotation follows, a quantity for a question after
# none).
FEATURES: tuple[str, ...] = (
    "passage",  # its BM25 score, scaled to the best candidate's
    "article",  # its article's BM25 score, scaled to the best article's
    "best_article",  # 1 when its article matches the question best
    "meaning",  # its cosine to the question (matching by meaning)
    "lead_in",  # the BM25 score of the passage before it (questions about speech)
    "lead_in_meaning",  # that passage's cosine, when the question asks for someone's words
    "same_speaker_lead_in",  # the lead-in's score, when it quotes or names the same speaker
    "same_speaker_lead_in_meaning",  # and its cosine then
    "attributed",  # 1 when it carries an attribution
    "direct",  # 1 when it quotes someone directly
    "named",  # 1 when it quotes the speaker the question means
    "role",  # the share of the question a speaker it quotes holds by name and role
    # 1 when it gives what the question asks for: a quantity ("how many …") or a time ("when
    # …"). One feature for both: questions asking when are too few to weigh a time alone.
    "answer_type",
    "phrases",  # the share of the question's adjacent term pairs it holds side by side
    "coverage",  # the share of the question's weight (smoothed idf) it holds
    "quote_coverage",  # the share its quotations hold
    "early",  # 1 / (1 + its position in the article): leads answer factual questions
    # its cosine to what the question says was said ("which star thinks | a trump presidency
    # would make everything blow up"), else to the question
    "said_meaning",
    # the reader's logit that it answers the question (index/reader.py), for the candidates it
    # read: the `reader_passages` best by the coefficients without it (`Weights.reranking`)
    "reader",
)

# What decides whether to answer: the question and how well its best passages hold it.
QUESTION_FEATURES: tuple[str, ...] = (
    "coverage",  # the largest share of its weight one of BM25's best passages holds, with title
    "top_coverage",  # the share the best-ranked passage holds
    "unknown",  # the share of its terms no stored passage has
    "meaning",  # the best cosine in meaning (matching by meaning)
    # How far the nearest passage in meaning stands out from the rest: the best cosine less the
    # `candidates`-th best. An absolute cosine depends on how long passages are (a short
    # question sits far from a long encyclopedic paragraph that answers it); a question about
    # nothing stored is about as near every passage.
    "standout",
    # The cosine of the passage ranked first: a question no article answers is answered, if at
    # all, by words it shares with a passage about something else.
    "top_meaning",
    "no_number",  # 1 when it asks for a quantity and its best passages give no number
    "unquoted",  # 1 when it names a speaker no article quotes
    # log(1 + how many passages are stored): a small library knows fewer words and has fewer
    # passages near any question, so the same coverage and cosine say more there.
    "library",
    # 1 when one of BM25's best passages holds every word of it: a short factual question
    # ("Who was Robert's son?") sits far in meaning from the long paragraph that answers it.
    "held",
    "reader",  # the reader's best logit among the passages it read (0 when it read none)
)

KINDS = ("words", "who", "factual")
SAME_TEXT = 0.8  # word-set overlap at which two passages count as one (two copies, two versions)


def kind_of(query: Query) -> str:
    """Which coefficients rank a question's candidates: asking for someone's words, asking who
    said given words, or anything else."""
    if query.kind is Kind.SAID:
        return "who" if query.asks_who else "words"
    return "factual"


@dataclass(frozen=True)
class Weights:
    """What ranking and abstention weigh: coefficients per question kind and feature, the
    abstention model, and the bars and sizes around them."""

    ranking: Mapping[str, Mapping[str, float]]  # kind to feature to coefficient
    # Kind to feature to coefficient, "reader" among them, ordering the `reader_passages` best
    # by `ranking`, after the reader has read them; empty: `ranking` alone, nothing read.
    reranking: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    abstention: Mapping[str, float] = field(default_factory=dict)  # question feature to coef
    intercept: float = 0.0
    threshold: float = 0.0  # answer when the probability reaches this
    # The share of a question's weight a speaker's name and role must hold to be meant by it.
    role_match: float = 0.2
    same_text: float = SAME_TEXT
    candidates: int = 20  # passages re-ranked (BM25's best, and nearest in meaning)
    article_candidates: int = 50  # articles whose score counts; the rest add nothing
    coverage_passages: int = 5  # BM25's best passages whose coverage counts
    number_passages: int = 2  # the best passages a quantity question looks through for one
    reader_passages: int = 8  # the best passages by `ranking` the reader reads
    version: str = "hand-set"

    def vector(self, kind: str, reranking: bool = False) -> list[float]:
        coefficients = (self.reranking if reranking else self.ranking).get(kind, {})
        return [coefficients.get(name, 0.0) for name in FEATURES]

    def answers(self, question: list[float]) -> float:
        """The probability that the articles answer the question, from its's features."""
        z = self.intercept + sum(
            self.abstention.get(name, 0.0) * x
            for name, x in zip(QUESTION_FEATURES, question, strict=True)
        )
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))

    def to_json(self) -> str:
        """The model as a maintainer reads it: each coefficient by its feature's name, and
        every knob the answers depend on beside them."""
        doc = {
            "version": self.version,
            "ranking": {k: dict(v) for k, v in self.ranking.items()},
            "reranking": {k: dict(v) for k, v in self.reranking.items()},
            "abstention": dict(self.abstention),
            "intercept": self.intercept,
            "threshold": self.threshold,
            "knobs": self.knobs(),
        }
        return json.dumps(doc, indent=1, sort_keys=True) + "\n"

    def knobs(self) -> dict[str, float]:
        """What the answers depend on besides the coefficients (what candidates are gathered
        and read, what counts as the same text, when a role means a speaker)."""
        return {name: getattr(self, name) for name in KNOBS}

    @classmethod
    def from_json(cls, text: str) -> Weights:
        doc = json.loads(text)
        unknown = set(doc.get("knobs", {})) - set(KNOBS)
        if unknown:
            raise ValueError(f"the ranking model has knobs this code does not: {sorted(unknown)}")
        knobs = {name: type(getattr(_DEFAULT, name))(v) for name, v in doc["knobs"].items()}
        return cls(
            ranking=doc["ranking"],
            reranking=doc.get("reranking", {}),
            abstention=doc["abstention"],
            intercept=float(doc["intercept"]),
            threshold=float(doc["threshold"]),
            version=str(doc["version"]),
            **knobs,
        )


# The knobs written in the model file (`Weights.knobs`), and in training/fit.py's cache key.
KNOBS = (
    "role_match",
    "same_text",
    "candidates",
    "article_candidates",
    "coverage_passages",
    "number_passages",
    "reader_passages",
)
_DEFAULT = Weights(ranking={})


MODEL_FILE = "data/ranking_model.json"


@lru_cache(maxsize=4)
def fitted(variant: str = "words") -> Weights:
    """The weights training/fit.py fitted, shipped in the package: `words` for BM25 alone,
    `meaning` when matching by meaning too."""
    doc = json.loads((resources.files("index") / MODEL_FILE).read_text(encoding="utf-8"))
    return Weights.from_json(json.dumps(doc[variant]))


@dataclass(frozen=True)
class Context:
    """What ranks a passage besides its own words."""

    articles: dict[int, float]  # article id to its BM25 score
    meanings: dict[int, float] = field(default_factory=dict)  # passage id to cosine (dense)
    speaker: str | None = None  # the quoted speaker the question means
    # passage id to the passage before it (its id and BM25 score), for questions about speech
    lead_ins: dict[int, tuple[int, float]] = field(default_factory=dict)
    idf: dict[str, float] = field(default_factory=dict)  # smoothed idf of the question's terms
    said_meanings: dict[int, float] = field(default_factory=dict)  # cosine to `Query.said`
    readings: Mapping[int, float] = field(default_factory=dict)  # passage id to reader logit


def smoothed_idf(df: int, n: int) -> float:
    """An idf that stays positive however few passages there are (Lucene's BM25 idf): BM25's
    own is negative for a term in most passages, so a library of one article weighs nothing."""
    return math.log(1.0 + (n - df + 0.5) / (df + 0.5))


def features(
    query: Query, results: list[tuple[int, ScoredPassage]], context: Context
) -> list[list[float]]:
    """Each candidate's feature vector (in `FEATURES` order), for (passage id, result) pairs
    whose score is their BM25 score."""
    articles, meanings, speaker = context.articles, context.meanings, context.speaker
    best_passage = max((r.score for _, r in results), default=0.0)
    best_passage = best_passage if best_passage > 0 else 1.0
    best_article = max(articles.values(), default=0.0)
    best_article = best_article if best_article > 0 else 1.0
    top_article = max(articles, key=lambda a: articles[a]) if articles else None
    asks_words = query.asks_words
    passages = {pid: r.passage for pid, r in results}
    pairs = query.pairs
    asked = set(query.own_terms)
    out = []
    for pid, result in results:
        passage = result.passage
        terms = analysed(passage)
        before, score = context.lead_ins.get(pid, (-1, 0.0))
        lead_in = max(score, 0.0) / best_passage
        lead_in_meaning = meanings.get(before, 0.0) if asks_words else 0.0
        same = asks_words and before in passages and _introduces(passages[before], passage)
        held = query.credited(terms.findable | _title_terms(result.article.title))
        out.append(
            [
                max(result.score, 0.0) / best_passage,
                max(articles.get(result.article.id or -1, 0.0), 0.0) / best_article,
                float(top_article is not None and result.article.id == top_article),
                meanings.get(pid, 0.0),
                lead_in,
                lead_in_meaning,
                lead_in if same else 0.0,
                lead_in_meaning if same else 0.0,
                float(bool(passage.attributions)),
                float(any(a.direct for a in passage.attributions)),
                float(bool(speaker) and quotes(passage, speaker or "")),
                max(
                    (speaker_share(query, a, context.idf) for a in passage.attributions), default=0
                ),
                float(
                    (query.asks_number and has_quantity(passage.text))
                    or (query.asks_when and has_time(passage.text))
                ),
                len(pairs & terms.pairs) / len(pairs) if pairs else 0.0,
                share(asked, held, context.idf),
                share(asked, terms.quoted, context.idf),
                1.0 / (1.0 + passage.ordinal),
                context.said_meanings.get(pid, meanings.get(pid, 0.0)),
                context.readings.get(pid, 0.0),
            ]
        )
    return out


def in_context(
    query: Query,
    results: list[tuple[int, ScoredPassage]],
    context: Context,
    weights: Weights,
    reranking: bool = False,
) -> list[ScoredPassage]:
    """(passage id, result) pairs re-ranked by their features weighed by `weights` (its
    `reranking` coefficients, for the passages the reader read), best first; each result's
    score becomes its weighed sum."""
    coefficients = weights.vector(kind_of(query), reranking)
    rescored = [
        r.model_copy(
            update={"score": round(sum(c * f for c, f in zip(coefficients, x, strict=True)), 4)}
        )
        for (_, r), x in zip(results, features(query, results, context), strict=True)
    ]
    return sorted(rescored, key=lambda r: -r.score)  # stable: ties keep the passage order


@dataclass(frozen=True)
class Terms:
    """A passage's terms as ranking reads them."""

    findable: frozenset[str]  # what it is found by (index/terms.py)
    pairs: frozenset[tuple[str, str]]  # its adjacent terms
    quoted: frozenset[str]  # the terms of its quotations
    words: frozenset[str]  # its words


def analysed(passage: Passage) -> Terms:
    """`passage`'s terms; the same passage is a candidate for question after question, so
    they are kept for the passages seen last."""
    key = (
        passage.text,
        tuple((a.speaker, a.mention, a.role, a.quote) for a in passage.attributions),
    )
    return _analysed(key, passage)


@lru_cache(maxsize=8192)
def _title_terms(title: str) -> frozenset[str]:
    return frozenset(tokenize(title))


_ANALYSED: dict[tuple[object, ...], Terms] = {}
_KEPT = 8192
_ANALYSED_LOCK = threading.Lock()  # ranking runs in worker threads


def _analysed(key: tuple[object, ...], passage: Passage) -> Terms:
    with _ANALYSED_LOCK:
        found = _ANALYSED.get(key)
    if found is None:
        its_words = words(passage.text)
        own = terms_of(its_words)
        found = Terms(
            findable=frozenset(findable_terms(passage, own)),
            pairs=frozenset(pairwise(own)),
            quoted=frozenset(tokenize(" ".join(a.quote for a in passage.attributions))),
            words=frozenset(its_words),
        )
        with _ANALYSED_LOCK:
            if len(_ANALYSED) >= _KEPT:
                _ANALYSED.pop(next(iter(_ANALYSED)))  # the oldest
            _ANALYSED[key] = found
    return found


def _introduces(before: Passage, passage: Passage) -> bool:
    """Whether `before` is about someone `passage` quotes: it quotes them too, or names them
    (by surname: "Delegates questioned how Cruz could …", then "…," he said)."""
    quoted = {a.speaker for a in before.attributions if a.speaker}
    have = analysed(before).words
    for a in passage.attributions:
        name = split_name(a.speaker or "")
        surname = set(words(name.surname)) if name else set()
        if a.speaker in quoted or (surname and surname <= have):
            return True
    return False


# -- abstention ---------------------------------------------------------------------------


# How a question asks rather than what about: its words of saying ("who talked about …", "what
# did X claim …") and "how many / much".
_FRAME = re.compile(rf"\b(?:{QUESTION_SPEECH})\b|\bhow\s+(?:many|much)\b", re.I)


def asked_terms(query: Query) -> set[str]:
    """The question's own terms but those of how it asks (all of them if nothing else is
    left). Abstention weighs what the articles hold of these: a small library need not have
    "many" or "talked" to answer "how many sorties?" or "who talked about 200 sorties?",
    where in a large one some passage always has them."""
    frame = set(tokenize(" ".join(m.group(0) for m in _FRAME.finditer(query.text))))
    own = set(query.own_terms)
    return (own - frame) or own


def coverage(query: Query, found: list[ScoredPassage], idf: dict[str, float]) -> float:
    """The largest share of the question's weight (the idf of its `asked_terms`) that one of
    the `found` passages holds, with its article's title. An informal word counts as held
    where its formal words are ("vets" by "veterans"), and the formal words add no weight."""
    asked = asked_terms(query)
    return max(
        (
            share(
                asked,
                query.credited(analysed(r.passage).findable | _title_terms(r.article.title)),
                idf,
            )
            for r in found
        ),
        default=0.0,
    )


@dataclass(frozen=True)
class Evidence:
    """What abstention knows of a question besides its ranked results."""

    covered: float  # `coverage` by BM25's best passages
    unknown: float  # the share of its terms no stored passage has
    best_meaning: float = 0.0  # the best cosine in meaning (0 without matching by meaning)
    unquoted: bool = False  # it names a speaker no article quotes
    passages: int = 0  # how many passages are stored


def question_features(
    query: Query,
    ranked: list[ScoredPassage],
    found: list[tuple[int, ScoredPassage]],
    evidence: Evidence,
    context: Context,
    w: Weights,
) -> list[float]:
    """The question's features (in `QUESTION_FEATURES` order), for its ranked results and the
    (passage id, result) candidates they were ranked from."""
    top = coverage(query, ranked[:1], context.idf)
    # Ranking copies each result with its new score; the passage inside is the candidate's.
    ids = {id(r.passage): pid for pid, r in found}
    first = ids.get(id(ranked[0].passage), -1) if ranked else -1
    return [
        evidence.covered,
        top,
        evidence.unknown,
        evidence.best_meaning,
        standout(context.meanings, w.candidates),
        context.meanings.get(first, 0.0),
        float(no_quantity(query, ranked, w)),
        float(evidence.unquoted),
        math.log1p(evidence.passages),
        float(evidence.covered >= 1.0 - 1e-9),
        max(context.readings.values(), default=0.0),
    ]


def standout(meanings: Mapping[int, float], nearest: int) -> float:
    """The best cosine less the `nearest`-th best (or the least, in a smaller library): `nearest`
    passages nearest in meaning are always among the cosines kept."""
    if not meanings:
        return 0.0
    cosines = sorted(meanings.values(), reverse=True)
    return cosines[0] - cosines[min(nearest, len(cosines)) - 1]


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


_TIME = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec|Monday|Tuesday|Wednesday|"
    r"Thursday|Friday|Saturday|Sunday|yesterday|today|tomorrow)\b\.?|\b(?:1[89]|20)\d\d\b"
    r"|\b(?:last|next|this)\s+(?:week|month|year|spring|summer|fall|autumn|winter)\b"
    r"|\b\d{1,2}:\d\d\b"
)


def has_time(text: str) -> bool:
    """Whether `text` gives a time: a month, a weekday, a year, "last week", a clock time."""
    return bool(_TIME.search(text))


def has_quantity(text: str) -> bool:
    """Whether `text` gives a number that is no date or time: "50,000 workers", "19-15",
    "a quarter", "three times"; not "Sept. 11" or "in 2014"."""
    return bool(_NUMBER.search(_DATE_OR_TIME.sub(" ", text)))


# -- the same passage twice ---------------------------------------------------------------


def near_duplicate(a: str, b: str, same_text: float = SAME_TEXT) -> bool:
    """The same passage twice (two copies of an article, two versions): most words shared."""
    return _same_words(frozenset(words(a)), frozenset(words(b)), same_text)


def _same_words(wa: frozenset[str], wb: frozenset[str], same_text: float) -> bool:
    return bool(wa and wb) and len(wa & wb) >= same_text * max(len(wa), len(wb))


def distinct(
    results: list[ScoredPassage], k: int, same_text: float = SAME_TEXT
) -> list[ScoredPassage]:
    """The first `k` results, leaving out any that repeats the text of a better one."""
    kept: list[ScoredPassage] = []
    for item in results:
        mine = analysed(item.passage).words
        if not any(_same_words(mine, analysed(o.passage).words, same_text) for o in kept):
            kept.append(item)
            if len(kept) == k:
                break
    return kept
