"""The BM25 index over passages: the one interface callers use to rank passages.

rank-bm25's `BM25Okapi` (k1 1.5, b 0.75, epsilon 0.25) defines the score, and this index
reproduces it: idf is log((N - n + 0.5) / (n + 0.5)), an idf below zero is replaced by epsilon
times the average idf over the whole vocabulary, a term repeated in the query counts each time,
an unseen term scores 0, and an empty passage counts as one empty term (as it always has here).

How it is fast: postings (`index.postings`) hold raw term frequencies, not weights. A query
touches only its terms' postings, computes their BM25 weights vectorised (and keeps them, live
postings only, until the next change), adds them into a score array kept zeroed between queries,
reads back and re-zeroes only what it touched (or, when its postings reach a good share of the
documents, scans the array), and picks the top k with a partial sort. A one-term query needs
no score array at all. Nothing walks every document in Python, and only a query whose
postings reach a good share of the documents goes over the whole score array.

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
# Weights kept for terms already asked about, until the next change: 16 bytes a posting.
CACHE_POSTINGS = 8_000_000
# A query whose postings reach more than 1 / DENSE_SHARE of the documents finds its candidates
# by scanning the whole score array, which then costs less than reading them back one by one.
DENSE_SHARE = 8


@dataclass(frozen=True)
class _Statistics:
    """What a query needs besides postings, cached until the next change."""

    n: int
    floor: float  # the idf that replaces a negative one: epsilon * average idf
    main_norm: Floats  # k1 * (1 - b + b * length / avgdl) per main document
    side_norm: Floats
    alive: NDArray[np.bool_] | None  # by position (main, then side); None if none is removed
    ids: Ints  # passage id by position (main, then side)
    total: Floats  # all zeros between queries: a query adds into it and zeroes what it touched


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
        self._weight_cache: dict[str, _Weights] = {}
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
        except postings.StaleIndex as error:
            log.info("search index not loaded, rebuilding: %s", error)
            return None
        except (OSError, ValueError, KeyError, TypeError) as error:
            # One line naming the file: a damaged index is worth knowing about (the disk?).
            reason = str(error).removeprefix(f"{path}: ")
            log.warning("search index %s is damaged (%s); rebuilding it", path, reason)
            return None
        index.persisted = dict(meta)
        return index

    # -- queries ---------------------------------------------------------------------------

    def scores(self, terms: Sequence[str]) -> dict[int, float]:
        """Every passage's BM25 score for `terms` (for tests and re-ranking)."""
        with self._lock:
            if not self._live:
                return {}
            stats = self._statistics()
            dense = np.zeros(len(stats.ids))
            for positions, values in self._query_weights(terms, stats):
                dense[positions] += values  # in query order, as `search` adds them
            alive = np.arange(len(dense)) if stats.alive is None else np.flatnonzero(stats.alive)
            return dict(zip(stats.ids[alive].tolist(), dense[alive].tolist(), strict=True))

    def idf(self, terms: Iterable[str]) -> dict[str, float]:
        """Each term's BM25 idf as scoring uses it; a term no live passage has gets the idf of
        a term in none, the highest there is (a word we have never seen weighs most)."""
        with self._lock:
            if not self._live:
                return dict.fromkeys(terms, 0.0)
            stats = self._statistics()
            out = {}
            for term in terms:
                term_id = self._vocab.get(term)
                df = int(self._df[term_id]) if term_id is not None else 0
                out[term] = self._idf(df, stats)
            return out

    def document_frequency(self, term: str) -> int:
        """How many live passages have `term`."""
        with self._lock:
            term_id = self._vocab.get(term)
            return int(self._df[term_id]) if term_id is not None else 0

    def vocabulary(self) -> list[str]:
        """Every term ever indexed, in the order first seen (a term whose passages are all
        removed stays, with document frequency 0)."""
        with self._lock:
            return list(self._terms)

    def vocabulary_size(self) -> int:
        return len(self._terms)

    def scores_of(self, terms: Sequence[str], passage_ids: Iterable[int]) -> dict[int, float]:
        """The BM25 scores of the given passages (0 for one no term reaches)."""
        wanted = set(passage_ids)
        with self._lock:
            if not self._live or not wanted:
                return {}
            stats = self._statistics()
            found = dict.fromkeys(wanted, 0.0)
            chosen = np.isin(stats.ids, np.fromiter(wanted, dtype=np.int64))
            for positions, values in self._query_weights(terms, stats):
                hit = chosen[positions]
                for pid, value in zip(
                    stats.ids[positions[hit]].tolist(), values[hit].tolist(), strict=True
                ):
                    found[pid] += value
            return found

    def search(self, terms: Sequence[str], k: int) -> list[tuple[int, float]]:
        """The `k` best (passage id, score) pairs with a positive score, best first; ties in
        the order passages were added, as BM25Okapi's stable sort would give."""
        if not terms or k <= 0:
            return []
        with self._lock:
            if not self._live:
                return []
            stats = self._statistics()
            parts = self._query_weights(terms, stats)
            if not parts:
                return []
            if len(parts) == 1:  # one term: its weights are the scores
                positions, values = parts[0]
                positive = values > 0
                positions, values = positions[positive], values[positive]
            else:
                positions, values = _summed(parts, stats.total)
            if len(values) > k:
                # Keep everything tied with the k-th best, so the cut is decided by position.
                kth = np.partition(values, len(values) - k)[len(values) - k]
                best = values >= kth
                positions, values = positions[best], values[best]
            order = np.lexsort((positions, -values))[:k]
            ids = stats.ids[positions[order]].tolist()
        return list(zip(ids, values[order].tolist(), strict=True))

    def _query_weights(self, terms: Sequence[str], stats: _Statistics) -> list[_Weights]:
        """Each query term's weights by position, in query order (a repeated term is there
        again, as BM25Okapi adds it again), leaving out terms no live passage has."""
        cache = self._weight_cache
        parts = []
        for term in terms:
            found = cache.get(term)
            if found is None:
                found = self._cache_weights(term, stats)
            if len(found[0]):
                parts.append(found)
        return parts

    def _cache_weights(self, term: str, stats: _Statistics) -> _Weights:
        """A term's weights, kept until the statistics change: questions repeat terms, and a
        common term's weights are most of a query's work."""
        found = self._term_weights(term, stats)
        size = max(1, len(found[0]))
        if self._cached_postings + size > CACHE_POSTINGS:
            self._weight_cache.clear()
            self._cached_postings = 0
        self._weight_cache[term] = found
        self._cached_postings += size
        return found

    def _term_weights(self, term: str, stats: _Statistics) -> _Weights:
        """(positions, weights) of a term's live postings, main then side, positions rising."""
        term_id = self._vocab.get(term)
        if term_id is None or not self._df[term_id]:
            return _NO_WEIGHTS
        idf = self._idf(int(self._df[term_id]), stats)
        docs, freqs = self._main.postings(term_id)
        positions: Ints = np.array(docs, dtype=np.intp)  # a plain array, even from a memmap
        weights = self._weights(idf, freqs, stats.main_norm[docs])
        side_docs, side_freqs = self._side.postings(term_id)
        if len(side_docs):
            side_weights = self._weights(idf, side_freqs, stats.side_norm[side_docs])
            positions = np.concatenate([positions, side_docs + self._main.n_docs])
            weights = np.concatenate([weights, side_weights])
        if stats.alive is not None:
            live = stats.alive[positions]
            positions, weights = positions[live], weights[live]
        return positions, weights

    @staticmethod
    def _weights(idf: float, freqs: Ints, norm: Floats) -> Floats:
        """idf * (tf * (k1 + 1) / (tf + norm)): BM25Okapi.get_scores's operations in its order,
        for the same floats, in place to spare temporaries (`norm` is a fresh gather)."""
        weights = np.array(freqs, dtype=np.float64)
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
            side = self._side.docs
            side_lengths = np.array([d.length for d in side], dtype=np.float64)
            main_ids: Ints = np.asarray(self._main.ids)  # a plain array, not a memmap
            ids = main_ids
            if side:
                side_ids = np.array([d.passage_id for d in side], dtype=np.int64)
                ids = np.concatenate([main_ids, side_ids])
            alive = None
            if self._main_dead_count or any(self._side.dead):
                side_dead = np.array(self._side.dead, dtype=np.bool_)
                alive = ~np.concatenate([self._main_dead, side_dead])
            self._stats = _Statistics(
                n=n,
                floor=EPSILON * float(idf.sum()) / len(df),
                main_norm=_length_norm(self._main.lengths.astype(np.float64), avgdl),
                side_norm=_length_norm(side_lengths, avgdl),
                alive=alive,
                ids=ids,
                total=np.zeros(len(ids)),
            )
        return self._stats


_Weights = tuple[Ints, Floats]
_NO_WEIGHTS: _Weights = (np.zeros(0, dtype=np.intp), np.zeros(0))


def _summed(parts: list[_Weights], total: Floats) -> tuple[Ints, Floats]:
    """The positions with a positive sum of the parts' weights, and those sums, added into
    `total` (all zeros, and left so) in query order, so they are a dense score array's sums.

    When the parts reach a good share of the documents, the positive sums are found by a scan
    of `total`, then it is zeroed whole. Else `total` is read back part by part and zeroed as
    it is read, so a position reached by several terms is taken once: met again, it reads 0."""
    try:
        # `total` is zeros, so setting the first part is adding it; with two parts either may
        # go first (a + b == b + a), and setting the bigger one spares the most work.
        first = 0 if len(parts) > 2 or len(parts[0][0]) >= len(parts[1][0]) else 1
        positions, values = parts[first]
        total[positions] = values
        reached = 0
        for i, (positions, values) in enumerate(parts):
            reached += len(positions)
            if i != first:
                total[positions] += values  # positions are distinct within one part
        if reached * DENSE_SHARE >= len(total):
            found = np.flatnonzero(total > 0)
            sums = total[found]
            total.fill(0.0)
            return found, sums
        found_positions, found_values = [], []
        seen: set[int] = set()
        for positions, _ in parts:
            if id(positions) in seen:  # a repeated term: its positions are read already
                continue
            seen.add(id(positions))
            sums = total[positions]
            total[positions] = 0.0
            positive = sums > 0
            found_positions.append(positions[positive])
            found_values.append(sums[positive])
    except BaseException:
        total.fill(0.0)  # never leave a query's sums behind for the next one
        raise
    return np.concatenate(found_positions), np.concatenate(found_values)


def _length_norm(lengths: Floats, avgdl: float) -> Floats:
    # BM25Okapi: k1 * (1 - b + b * doc_len / avgdl), evaluated in that order.
    norm: Floats = K1 * (1 - B + B * lengths / avgdl)
    return norm


def _with_parameters(meta: dict[str, Any]) -> dict[str, Any]:
    """The caller's metadata plus what the saved numbers depend on."""
    return {**meta, "bm25": [K1, B, EPSILON], "format": 1}
