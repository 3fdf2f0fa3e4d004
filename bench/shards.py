"""Search sharded by article, simulated: global IDF and scatter-gather give exactly the scores
and the top k of one index over everything.

    SAIDWHO_SHARED=/work/shared .venv/bin/python bench/shards.py [--shards 2 3 4] [--k 20]

The training articles (polnear-train, 700) are read into passages as ingest reads them, then
dealt to S shards by article (article i to shard i mod S: an article's passages never split, so
its own statistics and its passages' neighbours stay on one shard). Each question (the training
who-said and natural questions) goes through two steps, as replicas would over the network:

1. statistics: each shard sends N (its passages), its total length and, for the question's
   terms, their document frequencies; for the epsilon floor of negative idfs, rank-bm25
   averages the idf over the whole vocabulary, so each shard also keeps its df per term and the
   coordinator the summed table (a vocabulary-sized table sent once, and on change: the
   dfs add across shards because a passage lives on exactly one shard);
2. scoring: each shard scores its own postings with the global N, average length, idfs and
   floor, and returns its top k; the coordinator merges them (score, then the order the
   passages were added) and keeps k.

Checked against SearchIndex over all the passages (which is rank-bm25's BM25Okapi, see
index/search.py): the same k passage ids in the same order with bit-identical scores. Prints a
table per S: questions, exact matches, the largest score difference, and the bytes a question
costs between coordinator and shards.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

from index.articles import parse_article
from index.reading import read
from index.search import EPSILON, K1, B, SearchIndex
from index.terms import findable_terms
from index.tokens import tokenize

ROOT = Path(__file__).resolve().parent.parent

SHARED = Path(os.environ.get("SAIDWHO_SHARED", ROOT.parent / "shared"))


class Shard:
    """One replica's part: the passages of its articles, postings of raw term counts."""

    def __init__(self, docs: list[tuple[int, list[str]]]) -> None:
        # An empty passage counts as one empty term, as in index.search.
        docs = [(pid, terms or [""]) for pid, terms in docs]
        self.ids = np.array([pid for pid, _ in docs], dtype=np.int64)
        self.lengths = np.array([len(terms) for _, terms in docs], dtype=np.float64)
        postings: dict[str, tuple[list[int], list[int]]] = {}
        for row, (_, terms) in enumerate(docs):
            for term, tf in Counter(terms).items():
                rows, tfs = postings.setdefault(term, ([], []))
                rows.append(row)
                tfs.append(tf)
        self.postings = {t: (np.array(r), np.array(f)) for t, (r, f) in postings.items()}

    # step 1: what this shard tells the coordinator
    def statistics(self) -> tuple[int, float, dict[str, int]]:
        return (
            len(self.ids),
            float(self.lengths.sum()),
            {t: len(r) for t, (r, _) in self.postings.items()},
        )

    # step 2: its top k under the global statistics
    def top(
        self, terms: list[str], idf: dict[str, float], avgdl: float, k: int
    ) -> list[tuple[float, int]]:
        total = np.zeros(len(self.ids))
        norm_all = K1 * (1 - B + B * self.lengths / avgdl)  # as index.search._length_norm
        for term in terms:  # in query order, a repeated term again, as BM25Okapi adds it
            if term not in self.postings:
                continue
            rows, tfs = self.postings[term]
            weights = np.array(tfs, dtype=np.float64)  # index.search._weights' operations
            norm = norm_all[rows] + weights
            weights *= K1 + 1
            weights /= norm
            weights *= idf[term]
            total[rows] += weights
        hit = np.flatnonzero(total > 0)
        order = sorted(hit.tolist(), key=lambda r: (-total[r], self.ids[r]))[:k]
        return [(float(total[r]), int(self.ids[r])) for r in order]


def global_statistics(
    shards: list[Shard], vocabulary: list[str]
) -> tuple[int, float, dict[str, int], float]:
    """N, average length, summed dfs, and the epsilon floor, from the shards' statistics; the
    floor's mean idf is summed over the vocabulary in the single index's order (first seen),
    the order its float sum takes."""
    n, total, df = 0, 0.0, Counter[str]()
    for shard in shards:
        sn, stotal, sdf = shard.statistics()
        n, total = n + sn, total + stotal
        df.update(sdf)
    dfs = np.array([df[t] for t in vocabulary if df[t] > 0], dtype=np.float64)
    idf = np.log(n - dfs + 0.5) - np.log(dfs + 0.5)
    return n, total / n, dict(df), EPSILON * float(idf.sum()) / len(dfs)


def idf_of(term: str, n: int, df: dict[str, int], floor: float) -> float:
    d = df.get(term, 0)
    value = math.log(n - d + 0.5) - math.log(d + 0.5)
    return floor if value < 0 else value


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shards", type=int, nargs="+", default=[2, 3, 4])
    parser.add_argument("--k", type=int, default=20)
    parser.add_argument("--articles", type=int, default=None, help="the first N only")
    args = parser.parse_args()
    train = SHARED / "eval" / "polnear-train"
    files = sorted((train / "articles").glob("*.txt"))[: args.articles]
    if not files:
        sys.exit(f"no articles in {train}: set SAIDWHO_SHARED")
    start = time.perf_counter()
    by_article: list[list[tuple[int, list[str]]]] = []
    pid = 0
    for path in files:
        parsed = read(parse_article(path.read_text(encoding="utf-8"), source=str(path)))
        docs = []
        for passage in parsed.passages:
            docs.append((pid, findable_terms(passage)))
            pid += 1
        by_article.append(docs)
    everything = [doc for docs in by_article for doc in docs]
    single = SearchIndex.build(everything)
    vocabulary = single.vocabulary()
    questions = [
        json.loads(line)["q"]
        for name in ("who_said.jsonl", "natural_questions.jsonl")
        for line in (train / name).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    queries = [terms for terms in map(tokenize, questions) if terms]
    print(
        f"{len(files)} articles, {len(everything):,} passages, {len(queries)} questions "
        f"(read in {time.perf_counter() - start:.0f} s), k = {args.k}\n"
    )
    print(f"{'shards':>6} {'questions':>9} {'exact':>6} {'max |diff|':>10} {'bytes/question':>14}")
    for count in args.shards:
        shards = [
            Shard([doc for i, docs in enumerate(by_article) if i % count == s for doc in docs])
            for s in range(count)
        ]
        n, avgdl, df, floor = global_statistics(shards, vocabulary)
        exact, worst, sent = 0, 0.0, 0
        for terms in queries:
            idf = {t: idf_of(t, n, df, floor) for t in set(terms)}
            merged = sorted(
                (hit for shard in shards for hit in shard.top(terms, idf, avgdl, args.k)),
                key=lambda hit: (-hit[0], hit[1]),
            )[: args.k]
            want = single.search(terms, args.k)
            got = [(p, s) for s, p in merged]
            exact += got == want
            if [p for p, _ in got] == [p for p, _ in want]:
                worst = max([worst, *(abs(a[1] - b[1]) for a, b in zip(got, want, strict=True))])
            else:
                worst = math.inf
            # per shard: the terms and their dfs out and back (~16 bytes each), idfs out, and
            # k (passage id, score) pairs back (16 bytes each)
            sent += count * (len(set(terms)) * 16 * 2 + args.k * 16)
        print(
            f"{count:>6} {len(queries):>9} {exact:>6} {worst:>10.3g} {sent / len(queries):>14,.0f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
