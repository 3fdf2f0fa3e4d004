import math

from hypothesis import given, settings
from hypothesis import strategies as st
from rank_bm25 import BM25Okapi

from index.search import SearchIndex

_term = st.sampled_from([f"t{i}" for i in range(25)])
_doc = st.lists(_term, min_size=1, max_size=20)


@settings(max_examples=60, deadline=None)
@given(st.lists(_doc, min_size=1, max_size=30), st.lists(_term, min_size=1, max_size=5))
def test_scores_are_bm25okapi_scores(docs: list[list[str]], query: list[str]) -> None:
    index = SearchIndex()
    for i, doc in enumerate(docs):
        index.add(100 + i, doc)
    expected = BM25Okapi(docs).get_scores(query)
    got = index.scores(query)
    for i, score in enumerate(expected):
        assert math.isclose(got[100 + i], score, abs_tol=1e-9)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(_doc, min_size=1, max_size=30),
    st.lists(_term, min_size=1, max_size=5),
    st.integers(1, 10),
)
def test_search_returns_the_best_positive_scores_best_first(
    docs: list[list[str]], query: list[str], k: int
) -> None:
    index = SearchIndex()
    for i, doc in enumerate(docs):
        index.add(i, doc)
    scores = index.scores(query)
    found = index.search(query, k)
    assert len(found) <= k
    assert [s for _, s in found] == sorted((s for _, s in found), reverse=True)
    assert all(s > 0 for _, s in found)
    positive = sorted((s for s in scores.values() if s > 0), reverse=True)
    assert [s for _, s in found] == positive[:k]


def test_removed_passages_are_not_found() -> None:
    index = SearchIndex()
    index.add(1, ["rebel", "idlib"])
    index.add(2, ["harbour", "dredg"])
    index.add(3, ["frost", "apricot"])
    assert index.search(["idlib"], 3)[0][0] == 1
    index.remove([1])
    assert index.search(["idlib"], 3) == []
    assert len(index) == 2


def test_empty_index_and_empty_query() -> None:
    index = SearchIndex()
    assert index.search(["anything"], 5) == []
    index.add(1, ["word"])
    assert index.search([], 5) == []
