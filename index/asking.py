"""Asking: a question in, an `Answer` out, complete with what a reply shows.

The `Answerer` holds what answering reads (the store, the search indexes, the meaning index,
the speller) and runs the pipeline: read the question (index/question.py), respell typos, find
candidates (BM25's best, the best article's passages, the speaker's quotes, the passages after
a lead-in, those nearest in meaning), rank them (index/ranking.py), abstain when nothing is
about the question, and answer each result with one attribution (index/matching.py). CPU work
runs in worker threads so a chat's event loop stays responsive.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field, replace

from index.matching import answering_attribution, speaker_by_role
from index.meaning import Embedder, MeaningIndex, Vectors
from index.models import Answer, QuestionRead, Reason, ScoredPassage
from index.question import Kind, Query, analyse, asked_speaker
from index.ranking import (
    Context,
    Evidence,
    Weights,
    asked_terms,
    coverage,
    distinct,
    in_context,
    question_features,
    smoothed_idf,
)
from index.reader import Reader, installed_reader, reader_text
from index.search import SearchIndex
from index.spelling import Correction, Speller, reads_as_english, respelt_name, surface
from index.store import Store
from index.tokens import tokenize


@dataclass
class Indexes:
    """The search indexes answering reads; the library replaces them as the store changes."""

    passages: SearchIndex  # passages, by passage id
    articles: SearchIndex  # whole articles, by article id
    meaning: MeaningIndex  # passage vectors, by passage id (when matching by meaning)


Candidates = list[tuple[int, ScoredPassage]]


@dataclass(frozen=True)
class Gathered:
    """A question's candidates and all that ranks them, before any weight is applied: what
    `decide` turns into an answer (and what training/fit.py fits the weights on)."""

    query: Query
    fixes: list[Correction]
    found: Candidates  # each with its BM25 score
    articles: dict[int, float]  # article id to BM25 score
    meanings: dict[int, float]  # passage id to cosine (when matching by meaning)
    lead_ins: dict[int, tuple[int, float]]
    idf: dict[str, float]  # the smoothed idf of the question's terms
    evidence: Evidence
    named: str | None = None  # the quoted speaker the question names
    by_role: tuple[str, float] | None = None  # the speaker its role words hold most, and how much
    unquoted: str | None = None  # a name it asks about that no article quotes
    # passage id to cosine with what the question says was said (`Query.said`), when it says
    said_meanings: dict[int, float] = field(default_factory=dict)
    # passage id to the reader's logit, for the passages it read (`read`); None: none read
    readings: dict[int, float] | None = None

    def meant(self, weights: Weights) -> str | None:
        """The speaker the question means: named, or held by role words enough."""
        if self.named:
            return self.named
        if self.by_role and self.by_role[1] >= weights.role_match:
            return self.by_role[0]
        return None

    def context(self, weights: Weights) -> Context:
        return Context(
            self.articles,
            self.meanings,
            self.meant(weights),
            self.lead_ins,
            self.idf,
            self.said_meanings,
            self.readings or {},
        )


class Answerer:
    def __init__(
        self,
        store: Store,
        indexes: Indexes,
        embedder: Embedder | None,
        weights: Weights,
        reader: Reader | None = None,
    ) -> None:
        self.store = store
        self.indexes = indexes
        self.embedder = embedder
        self.weights = weights
        # The reader, when the weights re-rank with it (and it is installed).
        self.reader = reader if reader or not weights.reranking else installed_reader()
        self.speller = Speller(lambda: self.indexes.passages)  # typos, read against the terms

    async def ask(self, question: str, k: int = 5) -> Answer:
        gathered = await self.gather(question, k)
        if isinstance(gathered, Answer):
            return gathered
        return await asyncio.to_thread(self._decide, gathered, k)

    def _decide(self, gathered: Gathered, k: int) -> Answer:
        if self.reader is not None and self.weights.reranking:
            gathered = read(gathered, self.weights, self.reader)
        return decide(gathered, k, self.weights)

    async def gather(self, question: str, k: int = 5) -> Gathered | Answer:
        """The question's candidates and their signals; an answer already when there is
        nothing to rank (no words, no articles, a "who is" question)."""
        query = analyse(question)
        if not query.terms:
            return _nothing(query, Reason.NO_CONTENT)
        if not len(self.indexes.passages):
            return _nothing(query, Reason.NOTHING_STORED)
        fixes = await asyncio.to_thread(self.speller.corrections, query.text)
        if fixes:
            read_as = {fix.term: fix.meant for fix in fixes}
            query = replace(query, terms=[read_as.get(t, t) for t in query.terms])
        if query.subject and (introduced := await self._introduction(query.subject)):
            speaker, result = introduced
            return _answer(query, [result], speaker, fixes, introduces=True)
        passages = self.indexes.passages
        frequencies = {t: passages.document_frequency(t) for t in set(query.terms)}
        quoted, unquoted = None, None
        if named := asked_speaker(query):
            quoted = await self._speaker_passages(named)
            if quoted is None:
                # A name no article quotes: a question about someone the articles never
                # mention is about nothing stored; one they mention ("what did Turkey send
                # …") is searched as it is.
                if not _mentioned(named, frequencies):
                    return _nothing(query, Reason.NOT_QUOTED, speaker=named)
                unquoted = named
        return await self._candidates(query, k, quoted, frequencies, fixes, unquoted)

    async def _candidates(
        self,
        query: Query,
        k: int,
        quoted: tuple[str, list[int]] | None,
        frequencies: dict[str, int],
        fixes: list[Correction],
        unquoted: str | None,
    ) -> Gathered:
        """BM25's best passages, the best article's, the passages after a lead-in, those of
        the speaker the question names (or means by role), and those nearest in meaning."""
        w, indexes = self.weights, self.indexes
        n = len(indexes.passages)
        idf = {t: smoothed_idf(df, n) for t, df in frequencies.items()}
        # The question's meaning is worked out while BM25 searches: it needs only the words.
        embedding = self._embedding(query)
        try:
            # More candidates than asked for: ranking reorders them and duplicates drop out.
            ranked = await asyncio.to_thread(
                indexes.passages.search, query.terms, max(2 * k, w.candidates)
            )
            articles = await asyncio.to_thread(
                indexes.articles.search, query.terms, w.article_candidates
            )
            speaker, theirs = quoted if quoted else (None, [])
            lead_ins = await self._lead_ins(query, ranked)
            theirs_best = await self._scores_of(query, theirs, best=w.candidates)
            after_lead_ins = await self._scores_of(query, list(lead_ins), best=len(lead_ins))
            in_best_article = await self._in_best_article(query, articles)
            few = await self._all_if_few(query)
        except BaseException:
            if embedding is not None:
                embedding.cancel()
            raise
        by_words = few | in_best_article | theirs_best | after_lead_ins | dict(ranked)
        meanings, said_meanings = await self._meanings(query, list(by_words), embedding)
        candidates = by_words | {pid: 0.0 for pid in meanings if pid not in by_words}
        scored = await self._scored(list(candidates.items()))
        top = {pid for pid, _ in ranked[: w.coverage_passages]} or set(few)
        by_role = None
        if speaker is None and (by_role := speaker_by_role(query, [r for _, r in scored], idf)):
            known = {pid for pid, _ in scored}
            found = await self.store.speaker_passages(by_role[0])
            more = [pid for pid in (found[1] if found else []) if pid not in known]
            scored += await self._scored(
                list((await self._scores_of(query, more, best=w.candidates)).items())
            )
        own = asked_terms(query)
        # An informal word is known where its formal words are ("bucks" where "dollars" is).
        heard = query.credited({t for t, df in frequencies.items() if df})
        evidence = Evidence(
            covered=coverage(query, [r for pid, r in scored if pid in top], idf),
            unknown=len(own - heard) / len(own) if own else 0.0,
            best_meaning=max(meanings.values(), default=0.0),
            unquoted=unquoted is not None,
            passages=n,
        )
        return Gathered(
            query,
            fixes,
            scored,
            dict(articles),
            meanings,
            lead_ins,
            idf,
            evidence,
            named=speaker,
            by_role=by_role,
            unquoted=unquoted,
            said_meanings=said_meanings,
        )

    async def _all_if_few(self, query: Query) -> dict[int, float]:
        """Every passage, when there are no more than ranking looks at anyway: in a library of
        an article or two BM25's idf is about nothing, and may leave the answer out."""
        if len(self.indexes.passages) > self.weights.candidates:
            return {}
        ids = [pid async for pid, _ in self.store.passages()]
        return await self._scores_of(query, ids, best=len(ids))

    async def _speaker_passages(self, name: str) -> tuple[str, list[int]] | None:
        """The quoted speaker `name` means and their passages; a misspelt name ("Mustfa") is
        respelt from the names quoted."""
        found = await self.store.speaker_passages(name)
        if found is None:
            known = [speaker for speaker, _ in await self.store.speakers()]
            if respelt := await asyncio.to_thread(respelt_name, name, known):
                found = await self.store.speaker_passages(respelt)
        return found

    async def _lead_ins(
        self, query: Query, ranked: list[tuple[int, float]]
    ) -> dict[int, tuple[int, float]]:
        """For a question about what was said: the passages right after BM25's best ones, with
        the passage before each (its lead-in) and its score. A quotation often runs on from the
        paragraph that names the occasion and the topic ("… told the Post when asked about …")."""
        if query.kind is not Kind.SAID or not ranked:
            return {}
        after = await self.store.following([pid for pid, _ in ranked])
        scores = dict(ranked)
        return {nxt: (pid, scores[pid]) for pid, nxt in after.items()}

    async def _in_best_article(
        self, query: Query, articles: list[tuple[int, float]]
    ) -> dict[int, float]:
        """The best passages of the article that matches the question best, as candidates
        though BM25's top ones left them out: a paraphrase shares more words with the article
        around its answer than with the answer, which the article's score then lifts."""
        if not articles:
            return {}
        passage_ids = await self.store.passage_ids(articles[0][0])
        return await self._scores_of(query, passage_ids, best=self.weights.candidates)

    async def _scores_of(self, query: Query, passage_ids: list[int], best: int) -> dict[int, float]:
        """The BM25 scores of the `best` of these passages (a much-quoted speaker has
        thousands), so they join the candidates though the index's top ones left them out."""
        if not passage_ids:
            return {}
        scores = await asyncio.to_thread(self.indexes.passages.scores_of, query.terms, passage_ids)
        return dict(sorted(scores.items(), key=lambda item: -item[1])[:best])

    def _embedding(self, query: Query) -> asyncio.Task[Vectors] | None:
        """The question's vector (and that of what it says was said), started in a thread;
        None without matching by meaning."""
        embedder = self.embedder
        if embedder is None or not len(self.indexes.meaning):
            return None
        texts = [query.text, query.said] if query.said else [query.text]
        return asyncio.create_task(asyncio.to_thread(embedder.embed, texts))

    async def _meanings(
        self, query: Query, ranked: list[int], embedding: asyncio.Task[Vectors] | None
    ) -> tuple[dict[int, float], dict[int, float]]:
        """When matching by meaning: the passages nearest the question in meaning, and the BM25
        candidates' similarity too (passage id to cosine); and the same passages' similarity
        to what the question says was said, when it says. Empty without it."""
        if embedding is None:
            return {}, {}
        vectors = await embedding
        meaning = self.indexes.meaning

        def compare() -> tuple[dict[int, float], dict[int, float]]:
            near = dict(meaning.nearest(vectors[0], self.weights.candidates))
            found = meaning.similarity(vectors[0], ranked) | near
            said = meaning.similarity(vectors[1], found) if query.said else {}
            return found, said

        return await asyncio.to_thread(compare)

    async def _scored(self, ranked: list[tuple[int, float]]) -> Candidates:
        found = await self.store.passages_by_id([pid for pid, _ in ranked])
        return [
            (
                pid,
                ScoredPassage(score=round(score, 4), passage=found[pid][0], article=found[pid][1]),
            )
            for pid, score in ranked
            if pid in found
        ]

    async def _introduction(self, name: str) -> tuple[str, ScoredPassage] | None:
        """For "who is X": the quoted person X names, and the passage that introduces them."""
        found = await self._speaker_passages(name)
        if not found:
            return None
        speaker, passage_ids = found
        results = [r for _, r in await self._scored([(pid, 1.0) for pid in passage_ids])]
        introducing = [r for r in results if speaker in r.passage.text] or results
        return speaker, introducing[0]


def shortlist(gathered: Gathered, weights: Weights, n: int) -> list[int]:
    """The ids of the `n` best candidates by the ranking without the reader, near-duplicates
    dropped: what the reader reads."""
    g = gathered
    order = in_context(g.query, g.found, g.context(weights), weights)
    ids = {id(r.passage): pid for pid, r in g.found}
    return [ids[id(r.passage)] for r in distinct(order, n, weights.same_text)]


def read(gathered: Gathered, weights: Weights, reader: Reader, n: int | None = None) -> Gathered:
    """`gathered` with the reader's logits for its `reader_passages` best candidates (`n`)."""
    chosen = shortlist(gathered, weights, n or weights.reader_passages)
    passages = {pid: r.passage for pid, r in gathered.found}
    logits = reader.scores(gathered.query.text, [reader_text(passages[pid]) for pid in chosen])
    return replace(gathered, readings=dict(zip(chosen, logits, strict=True)))


def ranked(gathered: Gathered, k: int, weights: Weights) -> tuple[list[ScoredPassage], float]:
    """The `k` best candidates by `weights`, near-duplicates dropped, and the probability that
    the articles answer the question. When the reader has read the best ones, they come first,
    in the order of the `reranking` coefficients; the rest follow, ranked without it."""
    g, query = gathered, gathered.query
    context = g.context(weights)
    order = in_context(query, g.found, context, weights)
    if weights.reranking and g.readings:
        # The ones read are the `reader_passages` best (a fit may read more, once, for models
        # that shortlist otherwise); the best of those are the shortlist here.
        chosen = set(shortlist(g, weights, weights.reader_passages)) & set(g.readings)
        read_ = [(pid, r) for pid, r in g.found if pid in chosen]
        first = in_context(query, read_, context, weights, reranking=True)
        shown = {id(r.passage) for r in first}
        order = first + [r for r in order if id(r.passage) not in shown]
    best = distinct(order, k, weights.same_text)
    return best, weights.answers(
        question_features(query, best, g.found, g.evidence, context, weights)
    )


def decide(gathered: Gathered, k: int, weights: Weights) -> Answer:
    """The answer from a question's candidates: ranked by `weights`, given only when the
    probability that the articles answer it reaches the threshold."""
    g, query = gathered, gathered.query
    context = g.context(weights)
    best, chance = ranked(g, k, weights)
    # The decision training/fit.py fits: the threshold alone ("held", a question every word
    # of which a best passage holds, is one of the features it weighs).
    if not best or chance < weights.threshold:
        if g.unquoted:
            return _nothing(query, Reason.NOT_QUOTED, speaker=g.unquoted)
        if not reads_as_english(query.text):
            return _nothing(query, Reason.NOT_ENGLISH)
        return _nothing(query, Reason.NOTHING_RELEVANT, speaker=context.speaker)
    answer = _answer(query, best, context.speaker, g.fixes)
    return answer.model_copy(update={"confidence": round(chance, 3)})


def _mentioned(name: str, frequencies: dict[str, int]) -> bool:
    """Whether stored passages have every word of `name` (the question's own words)."""
    terms = tokenize(name)
    return bool(terms) and all(frequencies.get(t, 0) > 0 for t in terms)


def _read(query: Query, speaker: str | None = None) -> QuestionRead:
    return QuestionRead(kind=query.kind.value, terms=query.terms, speaker=speaker)


def _nothing(query: Query, reason: Reason, speaker: str | None = None) -> Answer:
    return Answer(question=query.text, reason=reason, read=_read(query, speaker))


def _answer(
    query: Query,
    results: list[ScoredPassage],
    meant: str | None,
    fixes: list[Correction],
    introduces: bool = False,
) -> Answer:
    """The answer with each result's attribution chosen, once: the speaker the question means
    when the passage quotes them, else the quote it is most about. `introduces`: the result
    introduces the speaker meant ("who is X?"), who is the answer's speaker."""
    answered = [
        r.model_copy(
            update={
                "attributions": r.passage.attributions,
                "attribution": answering_attribution(query, r.passage, meant),
            }
        )
        for r in results
    ]
    top = answered[0].attribution
    return Answer(
        question=query.text,
        speaker=meant if introduces else (top.speaker if top else None),
        results=answered,
        read=_read(query, meant),
        respelt=_respelt(fixes, answered),
    )


def _respelt(fixes: list[Correction], results: list[ScoredPassage]) -> dict[str, str]:
    """Each misspelt word of the question and the word the answer has for what was read."""
    texts = [r.passage.text for r in results]
    found = {fix.word: surface(fix.meant, texts) for fix in fixes}
    return {typed: word for typed, word in found.items() if word}
