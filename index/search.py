"""The BM25 index over passages: the one interface callers use to rank passages.

rank-bm25's `BM25Okapi` (k1 1.5, b 0.75, epsilon 0.25) defines the score, and this index
reproduces it: idf is log((N - n + 0.5) / (n + 0.5)), an idf below zero is replaced by epsilon
times the average idf over the whole vocabulary, a term repeated in the query counts each time,
an unseen term scores 0, and an empty passage counts as one empty term (as it always has here).

How it is fast: postings (`index.postings`) hold raw term frequencies, not weights. A query
touches only its terms' postings, computes their BM25 weights vectorised, adds them into a
score array and picks the top k with a partial sort. Nothing walks every document in Python.

How idf drift is handled: it is not allowed to drift. N, the document frequencies, the total
length and so the average length and average idf are kept live as passages come and go, and
every query is scored with the statistics of that moment, exactly as a BM25Okapi rebuilt over
the live passages would score it. Because weights are not precomputed, a change never has to
rewrite postings: it only invalidates the cached statistics (average idf over the vocabulary,
each document's length norm), which the next query recomputes in one vectorised pass.

How it grows: the big main segment is immutable (memory-mapped when loaded from its file). New
passages go to a small append-only side segment; removed ones are masked, and their terms'
document frequencies decremented from the segment's doc-major term lists. When the side segment
or the masked part grows past a fraction of the main one, both are merged into a new main
segment, in a worker thread while queries go on against the old one.
"""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from index import postings
from index.postings import Document, Ints, Segment

log = logging.getLogger(__name__)

Floats = NDArray[np.float64]

K1, B, EPSILON = 1.5, 0.75, 0.25  # BM25Okapi's defaults

# Merge when the side segment, or the masked part of the main one, passes this share of the main
# segment: a bigger share slows queries (side postings are gathered from lists), a smaller one
# merges (rewrites the main segment) more often.
MERGE_SHARE = 1 / 16
MERGE_AT_LEAST = 2_000  # documents; below this a side segment costs nothing to search
# Weights kept for terms already asked about, until the next change: 12 bytes a posting.
CACHE_POSTINGS = 8_000_000


@dataclass(frozen=True)
class _Statistics:
    """What a query needs besides postings, cached until the next change."""

    n: int
    floor: float  # the idf that replaces a negative one: epsilon * average idf
    main_norm: Floats  # k1 * (1 - b + b * length / avgdl) per main document
    side_norm: Floats
    dead: Ints  # positions (main, then side) of removed documents


class _Side:
    """The append-only side segment: documents added since the main segment was built."""

    def __init__(self, docs: Sequence[Document] = (), dead: Sequence[bool] = ()) -> None:
        self.docs: list[Document] = []
        self.dead: list[bool] = []
        self.where: dict[int, int] = {}  # live passage id -> position
        self._lists: dict[int, tuple[list[int], list[int]]] = {}
        self._arrays: dict[int, tuple[Ints, Ints]] = {}
        for doc, is_dead in zip(docs, dead, strict=True):
            self.append(doc)
            if is_dead:
                self.kill(doc.passage_id)

    def __len__(self) -> int:
        return len(self.docs)

    def append(self, doc: Document) -> None:
        position = len(self.docs)
        self.docs.append(doc)
        self.dead.append(False)
        self.where[doc.passage_id] = position
        for term_id, freq in zip(doc.term_ids.tolist(), doc.freqs.tolist(), strict=True):
            positions, freqs = self._lists.setdefault(term_id, ([], []))
            positions.append(position)
            freqs.append(freq)
            self._arrays.pop(term_id, None)

    def kill(self, passage_id: int) -> Document | None:
        position = self.where.pop(passage_id, None)
        if position is None:
            return None
        self.dead[position] = True
        return self.docs[position]

    def postings(self, term_id: int) -> tuple[Ints, Ints]:
        found = self._arrays.get(term_id)
        if found is None:
            positions, freqs = self._lists.get(term_id, ([], []))
            found = np.array(positions, np.int64), np.array(freqs, np.int64)
            self._arrays[term_id] = found
        return found


@dataclass(frozen=True)
class _Snapshot:
    """What a merge reads, taken under the lock, so changes during the merge can be replayed."""

    main: Segment
    main_kept: NDArray[np.bool_]
    side_count: int
    side_kept: NDArray[np.bool_]


class SearchIndex:
    def __init__(self, segment: Segment | None = None) -> None:
        self._lock = threading.RLock()  # queries run in worker threads; changes in the loop's
        self.persisted: dict[str, Any] | None = None  # meta of the file last saved or loaded
        self._adopt(segment if segment is not None else postings.build([]))

    @classmethod
    def build(cls, pairs: Iterable[tuple[int, Sequence[str]]]) -> SearchIndex:
        """An index over (passage id, terms) pairs in one go: far faster than `add` each."""
        # A dict, as `add` has it: a repeated id keeps its first place and its last terms.
        docs = dict(pairs)
        return cls(postings.build((pid, list(terms) or [""]) for pid, terms in docs.items()))

    def _adopt(self, segment: Segment) -> None:
        self._main = segment
        self._terms = list(segment.terms)
        self._vocab = {term: i for i, term in enumerate(self._terms)}
        if len(self._vocab) != len(self._terms):
            raise postings.CorruptIndex("a term appears twice")
        self._main_dead = np.zeros(segment.n_docs, dtype=np.bool_)
        self._main_dead_count = 0
        self._side = _Side()
        self._df = segment.document_frequencies(len(self._terms))
        self._live = segment.n_docs
        self._total_length = int(segment.lengths.sum(dtype=np.int64))
        self._index_main_ids()
        self._stats: _Statistics | None = None
        self._weight_cache: dict[str, list[tuple[Ints, Floats]]] = {}
        self._cached_postings = 0

    def _index_main_ids(self) -> None:
        ids = self._main.ids
        in_order = len(ids) < 2 or bool(np.all(ids[1:] > ids[:-1]))
        self._main_order = None if in_order else np.argsort(ids, kind="stable")
        self._main_sorted = ids if self._main_order is None else ids[self._main_order]

    def __len__(self) -> int:
        return self._live

    # -- changes ---------------------------------------------------------------------------

    def add(self, passage_id: int, terms: Sequence[str]) -> None:
        """Index a passage (replacing one with the same id); it goes to the side segment."""
        with self._lock:
            self._remove_one(passage_id)
            doc = postings.count_terms(passage_id, list(terms) or [""], self._vocab, self._terms)
            if len(self._terms) > len(self._df):
                grow = max(len(self._terms) - len(self._df), len(self._df) + 1024)
                self._df = np.concatenate([self._df, np.zeros(grow, np.int64)])
            self._side.append(doc)
            self._count(doc.term_ids, doc.length, +1)

    def remove(self, passage_ids: Iterable[int]) -> None:
        with self._lock:
            for passage_id in passage_ids:
                self._remove_one(passage_id)

    def _remove_one(self, passage_id: int) -> None:
        doc = self._side.kill(passage_id)
        if doc is not None:
            self._count(doc.term_ids, doc.length, -1)
            return
        position = self._main_position(passage_id)
        if position is not None and not self._main_dead[position]:
            self._main_dead[position] = True
            self._main_dead_count += 1
            length = int(self._main.lengths[position])
            self._count(self._main.distinct_terms(position), length, -1)

    def _count(self, term_ids: Ints, length: int, sign: int) -> None:
        self._df[term_ids] += sign
        self._live += sign
        self._total_length += sign * length
        self._stats = None

    def _main_position(self, passage_id: int) -> int | None:
        found = int(np.searchsorted(self._main_sorted, passage_id))
        if found == len(self._main_sorted) or int(self._main_sorted[found]) != passage_id:
            return None
        return found if self._main_order is None else int(self._main_order[found])

    # -- merging ---------------------------------------------------------------------------

    def needs_merge(self) -> bool:
        limit = max(MERGE_AT_LEAST, int(self._main.n_docs * MERGE_SHARE))
        return len(self._side) > limit or self._main_dead_count > limit

    def merge(self) -> None:
        """Fold the side segment and the removals into a new main segment. The heavy part runs
        without the lock, so queries (and changes) go on; changes made meanwhile are replayed."""
        with self._lock:
            snapshot = _Snapshot(
                self._main,
                ~self._main_dead,
                len(self._side),
                ~np.array(self._side.dead, dtype=np.bool_),
            )
            side = [d for d, kept in zip(self._side.docs, snapshot.side_kept, strict=True) if kept]
            terms = list(self._terms)
        merged = postings.merge(snapshot.main, snapshot.main_kept, side, terms)
        with self._lock:
            self._install(merged, snapshot)

    def _install(self, merged: Segment, snapshot: _Snapshot) -> None:
        main_kept, side_kept = snapshot.main_kept, snapshot.side_kept
        main_to_new = np.cumsum(main_kept) - 1
        side_to_new = int(main_kept.sum()) + np.cumsum(side_kept) - 1
        dead = np.zeros(merged.n_docs, dtype=np.bool_)
        dead[main_to_new[self._main_dead & main_kept]] = True  # removed during the merge
        side_dead_now = np.array(self._side.dead[: snapshot.side_count], dtype=np.bool_)
        dead[side_to_new[side_dead_now & side_kept]] = True
        later = _Side(
            self._side.docs[snapshot.side_count :], self._side.dead[snapshot.side_count :]
        )
        self._main, self._main_dead, self._side = merged, dead, later
        self._main_dead_count = int(dead.sum())
        self._index_main_ids()
        self._stats = None

    # -- persistence -----------------------------------------------------------------------

    def save(self, path: Path, meta: dict[str, Any]) -> bool:
        """Write the index to `path` (merged first, so the file is one segment). False if it
        could not be written: the index still answers, and the next start rebuilds."""
        while True:
            with self._lock:
                if not len(self._side) and not self._main_dead_count:
                    segment = self._main
                    break
            self.merge()
        try:
            postings.save(segment, path, _with_parameters(meta))
        except OSError as error:
            log.warning("search index not saved: %s", error)
            return False
        self.persisted = dict(meta)
        return True

    @classmethod
    def load(cls, path: Path, meta: dict[str, Any]) -> SearchIndex | None:
        """The index saved in `path` with `meta`; None if it is missing, stale or corrupt (the
        caller rebuilds)."""
        try:
            index = cls(postings.load(path, _with_parameters(meta)))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError) as error:
            log.info("search index not loaded, rebuilding: %s", error)
            return None
        index.persisted = dict(meta)
        return index

    # -- queries ---------------------------------------------------------------------------

    def scores(self, terms: Sequence[str]) -> dict[int, float]:
        """Every passage's BM25 score for `terms` (for tests and re-ranking)."""
        with self._lock:
            if not self._live:
                return {}
            dense, _ = self._dense_scores(terms)
            alive = np.flatnonzero(~self._main_dead)
            out = dict(zip(self._main.ids[alive].tolist(), dense[alive].tolist(), strict=True))
            base = self._main.n_docs
            for position, doc in enumerate(self._side.docs):
                if not self._side.dead[position]:
                    out[doc.passage_id] = float(dense[base + position])
            return out

    def search(self, terms: Sequence[str], k: int) -> list[tuple[int, float]]:
        """The `k` best (passage id, score) pairs with a positive score, best first; ties in
        the order passages were added, as BM25Okapi's stable sort would give."""
        if not terms or k <= 0:
            return []
        with self._lock:
            if not self._live:
                return []
            dense, touched = self._dense_scores(terms)
            positions = _candidates(dense, touched)
            values = dense[positions]
            positive = values > 0
            positions, values = positions[positive], values[positive]
            if len(values) > k:
                # Keep everything tied with the k-th best, so the cut is decided by position.
                kth = np.partition(values, len(values) - k)[len(values) - k]
                best = values >= kth
                positions, values = positions[best], values[best]
            order = np.lexsort((positions, -values))[:k]
            ids = self._passage_ids(positions[order])
        return list(zip(ids, values[order].tolist(), strict=True))

    def _passage_ids(self, positions: Ints) -> list[int]:
        base, side = self._main.n_docs, self._side.docs
        return [
            int(self._main.ids[p]) if p < base else side[p - base].passage_id
            for p in positions.tolist()
        ]

    def _dense_scores(self, terms: Sequence[str]) -> tuple[Floats, list[Ints]]:
        """Scores by position (main documents, then side ones; removed documents score 0), and
        the positions that got any."""
        stats = self._statistics()
        scores = np.zeros(self._main.n_docs + len(self._side))
        parts: dict[str, list[tuple[Ints, Floats]]] = {}
        for term in terms:  # a repeated term is added again, as BM25Okapi does
            if term not in parts:
                parts[term] = self._term_scores(term, stats)
            for positions, values in parts[term]:
                scores[positions] += values  # positions are distinct within one term
        scores[stats.dead] = 0.0
        return scores, [positions for part in parts.values() for positions, _ in part]

    def _term_scores(self, term: str, stats: _Statistics) -> list[tuple[Ints, Floats]]:
        """A term's weights by position, kept until the statistics change: questions repeat
        terms, and a common term's weights are most of a query's work."""
        found = self._weight_cache.get(term)
        if found is None:
            found = self._compute_term_scores(term, stats)
            cached = sum(len(positions) for positions, _ in found)
            if self._cached_postings + cached > CACHE_POSTINGS:
                self._weight_cache.clear()
                self._cached_postings = 0
            self._weight_cache[term] = found
            self._cached_postings += cached
        return found

    def _compute_term_scores(self, term: str, stats: _Statistics) -> list[tuple[Ints, Floats]]:
        term_id = self._vocab.get(term)
        if term_id is None or not self._df[term_id]:
            return []
        idf = self._idf(int(self._df[term_id]), stats)
        out = []
        docs, freqs = self._main.postings(term_id)
        if len(docs):
            out.append((docs, self._weights(idf, freqs, stats.main_norm[docs])))
        docs, freqs = self._side.postings(term_id)
        if len(docs):
            side_weights = self._weights(idf, freqs, stats.side_norm[docs])
            out.append((docs + self._main.n_docs, side_weights))
        return out

    @staticmethod
    def _weights(idf: float, freqs: Ints, norm: Floats) -> Floats:
        """idf * (tf * (k1 + 1) / (tf + norm)): BM25Okapi.get_scores's operations in its order,
        for the same floats, in place to spare temporaries (`norm` is a fresh gather)."""
        weights = freqs.astype(np.float64)
        norm += weights
        weights *= K1 + 1
        weights /= norm
        weights *= idf
        return weights

    @staticmethod
    def _idf(df: int, stats: _Statistics) -> float:
        idf = math.log(stats.n - df + 0.5) - math.log(df + 0.5)
        return stats.floor if idf < 0 else idf

    def _statistics(self) -> _Statistics:
        if self._stats is None:
            self._weight_cache = {}
            self._cached_postings = 0
            n = self._live
            avgdl = self._total_length / n
            df = self._df[self._df > 0].astype(np.float64)
            idf = np.log(n - df + 0.5) - np.log(df + 0.5)
            side_lengths = np.array([d.length for d in self._side.docs], dtype=np.float64)
            dead = np.concatenate(
                [
                    np.flatnonzero(self._main_dead),
                    self._main.n_docs + np.flatnonzero(np.array(self._side.dead, np.bool_)),
                ]
            )
            self._stats = _Statistics(
                n=n,
                floor=EPSILON * float(idf.sum()) / len(df),
                main_norm=_length_norm(self._main.lengths.astype(np.float64), avgdl),
                side_norm=_length_norm(side_lengths, avgdl),
                dead=dead,
            )
        return self._stats


def _candidates(dense: Floats, touched: list[Ints]) -> Ints:
    """The positions a query's postings reached: sorted and deduplicated when they are few,
    else flagged in a byte array and scanned, whichever is cheaper."""
    total = sum(len(positions) for positions in touched)
    if total * 4 >= len(dense):
        reached = np.zeros(len(dense), dtype=np.bool_)  # a byte a document: 8x less than dense
        for positions in touched:
            reached[positions] = True
        return np.flatnonzero(reached)
    if len(touched) < 2:
        return touched[0] if touched else np.zeros(0, np.int64)
    gathered = np.sort(np.concatenate(touched))  # np.unique hashes, several times slower
    first = np.ones(len(gathered), dtype=np.bool_)
    np.not_equal(gathered[1:], gathered[:-1], out=first[1:])
    return gathered[first]


def _length_norm(lengths: Floats, avgdl: float) -> Floats:
    # BM25Okapi: k1 * (1 - b + b * doc_len / avgdl), evaluated in that order.
    norm: Floats = K1 * (1 - B + B * lengths / avgdl)
    return norm


def _with_parameters(meta: dict[str, Any]) -> dict[str, Any]:
    """The caller's metadata plus what the saved numbers depend on."""
    return {**meta, "bm25": [K1, B, EPSILON], "format": 1}
