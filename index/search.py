"""The BM25 index over passages: the one interface callers use to rank passages.

rank-bm25's `BM25Okapi` defines the score. This class keeps the indexed terms so it can follow
the store (add and remove passages) and rebuilds the BM25 statistics lazily, on the first search
after a change.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from rank_bm25 import BM25Okapi


class SearchIndex:
    def __init__(self) -> None:
        self._terms: dict[int, list[str]] = {}
        self._ids: list[int] = []
        self._bm25: BM25Okapi | None = None

    def __len__(self) -> int:
        return len(self._terms)

    def add(self, passage_id: int, terms: Sequence[str]) -> None:
        self._terms[passage_id] = list(terms)
        self._bm25 = None

    def remove(self, passage_ids: Iterable[int]) -> None:
        for passage_id in passage_ids:
            self._terms.pop(passage_id, None)
        self._bm25 = None

    def _model(self) -> BM25Okapi:
        if self._bm25 is None:
            self._ids = list(self._terms)
            # rank-bm25 divides by the corpus size; an empty passage would still count.
            self._bm25 = BM25Okapi([self._terms[i] or [""] for i in self._ids])
        return self._bm25

    def scores(self, terms: Sequence[str]) -> dict[int, float]:
        """Every passage's BM25 score for `terms` (for tests and re-ranking)."""
        if not self._terms:
            return {}
        raw = self._model().get_scores(list(terms))
        return {pid: float(s) for pid, s in zip(self._ids, raw, strict=True)}

    def search(self, terms: Sequence[str], k: int) -> list[tuple[int, float]]:
        """The `k` best (passage id, score) pairs with a positive score, best first."""
        if not self._terms or not terms or k <= 0:
            return []
        raw = np.asarray(self._model().get_scores(list(terms)), dtype=np.float64)
        k = min(k, len(raw))
        top = np.argpartition(-raw, k - 1)[:k]
        top = top[np.argsort(-raw[top], kind="stable")]
        return [(self._ids[i], float(raw[i])) for i in top if raw[i] > 0]
