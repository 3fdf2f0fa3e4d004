import json
import logging
import os
import sqlite3
import struct
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rank_bm25 import BM25Okapi

from index import postings
from index.library import Library
from index.postings import Segment
from index.search import SearchIndex
from tests.conftest import CLI, ROOT, SAMPLE

# Terms: a small vocabulary (so terms repeat within and across documents), "half" in about half
# the documents (its raw idf is near or below zero, so the epsilon rule applies), and "unseen",
# which no document has.
_term = st.sampled_from([f"t{i}" for i in range(25)])
_doc = st.builds(
    lambda terms, half: terms + ["half"] * half,
    st.lists(_term, min_size=1, max_size=20),
    st.integers(0, 2),
)
_corpus = st.lists(_doc, min_size=1, max_size=40)
_query = st.lists(st.one_of(_term, st.sampled_from(["half", "unseen"])), min_size=1, max_size=6)


NOISE = 1e-9


def _assert_matches_bm25okapi(
    index: SearchIndex, live: dict[int, list[str]], query: list[str]
) -> None:
    """Scores equal BM25Okapi's over the live passages (in the order added) to 1e-6, and the
    top 10 come in BM25Okapi's order (ties by that order)."""
    ids = list(live)
    expected = BM25Okapi([live[i] for i in ids]).get_scores(query)
    got = index.scores(query)
    assert set(got) == set(ids)
    for pid, score in zip(ids, expected, strict=True):
        assert abs(got[pid] - score) <= 1e-6
    # A score within float noise of zero (an idf of epsilon times an average idf that sums to
    # 0.0 or 1e-17, depending on the order of the additions) counts as zero on both sides.
    best = [ids[i] for i in np.argsort(-expected, kind="stable")[:10] if expected[i] > NOISE]
    assert [pid for pid, score in index.search(query, 10) if score > NOISE] == best


@settings(max_examples=150, deadline=None)
@given(_corpus, _query)
def test_scores_and_top_ten_are_bm25okapi(docs: list[list[str]], query: list[str]) -> None:
    index = SearchIndex.build((100 + i, doc) for i, doc in enumerate(docs))
    _assert_matches_bm25okapi(index, {100 + i: doc for i, doc in enumerate(docs)}, query)


@settings(max_examples=100, deadline=None)
@given(_corpus, _corpus, st.data(), _query)
def test_side_segment_removals_and_merge_keep_scores_exact(
    main: list[list[str]], side: list[list[str]], data: st.DataObject, query: list[str]
) -> None:
    live = dict(enumerate(main))
    index = SearchIndex.build(live.items())
    for i, doc in enumerate(side, start=len(main)):
        index.add(i, doc)
        live[i] = doc
    removed = data.draw(st.lists(st.sampled_from(sorted(live)), max_size=len(live) - 1))
    index.remove(removed)
    for pid in removed:
        live.pop(pid, None)
    _assert_matches_bm25okapi(index, live, query)
    index.merge()
    assert len(index) == len(live)
    _assert_matches_bm25okapi(index, live, query)
    index.add(10_000, ["t1", "half"])  # the merged index grows again
    live[10_000] = ["t1", "half"]
    _assert_matches_bm25okapi(index, live, query)


@settings(max_examples=60, deadline=None)
@given(_corpus, _query, st.integers(1, 10))
def test_search_returns_the_best_positive_scores_best_first(
    docs: list[list[str]], query: list[str], k: int
) -> None:
    index = SearchIndex()
    for i, doc in enumerate(docs):
        index.add(i, doc)
    found = index.search(query, k)
    assert len(found) <= k
    assert all(s > 0 for _, s in found)
    positive = sorted((s for s in index.scores(query).values() if s > 0), reverse=True)
    assert [s for _, s in found] == positive[:k]


def test_changes_during_a_merge_are_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    live = {i: [f"t{i % 7}", f"t{i % 3}", "all"] for i in range(50)}
    index = SearchIndex.build(list(live.items())[:30])
    for pid in range(30, 50):
        index.add(pid, live[pid])
    index.remove([3, 35])
    merge = postings.merge

    def merge_while_others_write(*args: object) -> Segment:
        merged = merge(*args)  # type: ignore[arg-type]
        index.remove([4, 36, 3])  # a main and a side passage, one already gone
        index.add(60, ["t1", "late"])
        index.add(5, ["t2", "replaced"])
        return merged

    monkeypatch.setattr(postings, "merge", merge_while_others_write)
    index.merge()
    for pid in (3, 35, 4, 36, 5):
        live.pop(pid)
    live[60] = ["t1", "late"]
    live[5] = ["t2", "replaced"]
    for query in (["t1", "late"], ["all", "t2"], ["replaced"]):
        assert index.scores(query) == pytest.approx(
            dict(zip(live, BM25Okapi(list(live.values())).get_scores(query), strict=True))
        )
    assert len(index) == len(live)


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
    assert index.scores(["anything"]) == {}
    index.add(1, ["word"])
    assert index.search([], 5) == []


# -- persistence --------------------------------------------------------------------------

META = {"store": "abc", "generation": 7}
DOCS = {i: [f"t{i % 5}", f"t{i % 11}", "news"] + ["x"] * (i % 3) for i in range(200)}


def _saved(path: Path) -> SearchIndex:
    index = SearchIndex.build(list(DOCS.items())[:150])
    for pid, terms in list(DOCS.items())[150:]:
        index.add(pid, terms)
    index.remove([0, 160])
    assert index.save(path, META)
    return index


def test_saved_index_loads_with_the_same_scores(tmp_path: Path) -> None:
    path = tmp_path / "x.db.bm25"
    index = _saved(path)
    loaded = SearchIndex.load(path, META)
    assert loaded is not None and len(loaded) == len(index) == 198
    for query in (["t1", "x"], ["news"], ["t3", "t3", "nothing"]):
        assert loaded.scores(query) == pytest.approx(index.scores(query), abs=1e-12)
        assert loaded.search(query, 10) == index.search(query, 10)
    loaded.add(500, ["t1", "fresh"])
    assert loaded.search(["fresh"], 1)[0][0] == 500


def test_index_of_another_generation_or_store_is_not_loaded(tmp_path: Path) -> None:
    path = tmp_path / "x.db.bm25"
    _saved(path)
    assert SearchIndex.load(path, {**META, "generation": 8}) is None
    assert SearchIndex.load(path, {**META, "store": "other"}) is None
    assert SearchIndex.load(tmp_path / "missing.bm25", META) is None


@pytest.mark.parametrize(
    "damage", ["truncate", "garbage", "zeros", "bad_posting", "empty", "zeroed_freqs", "term"]
)
def test_corrupt_index_is_not_loaded(tmp_path: Path, damage: str) -> None:
    path = tmp_path / "x.db.bm25"
    _saved(path)
    data = bytearray(path.read_bytes())
    if damage == "truncate":
        data = data[: len(data) - 100]
    elif damage == "garbage":
        data = bytearray(b"not an index at all" * 10)
    elif damage == "zeros":
        data[8:16] = b"\0" * 8
    elif damage == "bad_posting":
        # A posting's document position pointing past the last document.
        at = _array_offset(path, "docs") + 4 * 10
        data[at : at + 4] = (10**6).to_bytes(4, "little")
    elif damage == "zeroed_freqs":
        # Well-formed still (every shape check passes), but nothing matches any more.
        at = _array_offset(path, "freqs")
        data[at : at + len(DOCS)] = b"\0" * len(DOCS)
    elif damage == "term":
        at = data.index(b'"t3"')
        data[at + 1 : at + 3] = b"t9"  # a term renamed in the vocabulary
    else:
        data = bytearray()
    path.write_bytes(bytes(data))
    assert SearchIndex.load(path, META) is None


def _array_offset(path: Path, name: str) -> int:
    raw = path.read_bytes()
    (length,) = struct.unpack("<Q", raw[8:16])
    header = json.loads(raw[16 : 16 + length])
    start = -(-(16 + length) // 64) * 64
    return start + int(header["arrays"][name]["at"])


def _array_length(path: Path, name: str) -> int:
    raw = path.read_bytes()
    (length,) = struct.unpack("<Q", raw[8:16])
    spec = json.loads(raw[16 : 16 + length])["arrays"][name]
    return int(spec["length"]) * np.dtype(spec["dtype"]).itemsize


def test_save_is_atomic_and_leaves_no_temporary_files(tmp_path: Path) -> None:
    path = tmp_path / "x.db.bm25"
    _saved(path)
    _saved(path)
    assert [p.name for p in tmp_path.iterdir()] == ["x.db.bm25"]


# -- the library: loaded at start, rebuilt when the store changed -------------------------


async def test_library_loads_the_saved_index_instead_of_rebuilding(
    db_path: Path, articles_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with await Library.open(db_path) as library:
        await library.add_file(articles_dir / "orchard-2022-04-20.txt")
    assert Path(f"{db_path}.bm25").exists()

    def no_rebuild(*args: object) -> SearchIndex:
        raise AssertionError("rebuilt although the saved index was current")

    monkeypatch.setattr(SearchIndex, "build", no_rebuild)
    async with await Library.open(db_path) as library:
        answer = await library.ask("apricot frost")
        assert answer.results and "frost" in answer.results[0].passage.text


async def test_store_changed_without_the_index_is_rebuilt(
    db_path: Path, articles_dir: Path
) -> None:
    async with await Library.open(db_path) as library:
        await library.add_file(articles_dir / "orchard-2022-04-20.txt")
    saved = Path(f"{db_path}.bm25").read_bytes()
    async with await Library.open(db_path) as library:
        await library.add_file(articles_dir / "harbour.txt")
    Path(f"{db_path}.bm25").write_bytes(saved)  # as if that process had died before saving
    async with await Library.open(db_path) as library:
        assert (await library.ask("silt harbour dredging")).results
        assert library.passages_indexed == (await library.store.counts())["passages"]


async def test_corrupt_index_file_is_rebuilt_and_rewritten(
    db_path: Path, articles_dir: Path
) -> None:
    async with await Library.open(db_path) as library:
        await library.add_file(articles_dir / "harbour.txt")
    Path(f"{db_path}.bm25").write_bytes(b"SWBM25\x00\x01 and then nonsense")
    async with await Library.open(db_path) as library:
        assert (await library.ask("silt harbour dredging")).results
        meta = await library._index_meta(await library.store.generation())
    assert SearchIndex.load(Path(f"{db_path}.bm25"), meta) is not None


async def test_a_damaged_but_well_formed_index_is_noticed_said_and_rebuilt(
    db_path: Path, articles_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with await Library.open(db_path) as library:
        await library.add_file(articles_dir / "harbour.txt")
    index_file = Path(f"{db_path}.bm25")
    data = bytearray(index_file.read_bytes())
    at, length = _array_offset(index_file, "freqs"), _array_length(index_file, "freqs")
    data[at : at + length] = b"\0" * length  # as a bad sector might: the shape still fits
    index_file.write_bytes(bytes(data))
    with caplog.at_level(logging.WARNING, logger="index"):
        async with await Library.open(db_path) as library:
            answer = await library.ask("silt harbour dredging")
    assert answer.results and "silt" in answer.results[0].passage.text
    damaged = [r.getMessage() for r in caplog.records if "damaged" in r.getMessage()]
    assert len(damaged) == 1 and str(index_file) in damaged[0]
    assert "\n" not in damaged[0]


async def test_new_database_at_the_same_path_never_gets_the_old_index(
    db_path: Path, articles_dir: Path
) -> None:
    async with await Library.open(db_path) as library:
        await library.add_file(articles_dir / "harbour.txt")
    index_file = Path(f"{db_path}.bm25")
    kept = index_file.read_bytes()
    for leftover in db_path.parent.iterdir():
        leftover.unlink()
    async with await Library.open(db_path) as library:
        await library.add_file(articles_dir / "orchard-2022-04-20.txt")
    with sqlite3.connect(db_path) as conn:  # the same generation as the old database had
        conn.execute("UPDATE meta SET value = '1' WHERE key = 'generation'")
    index_file.write_bytes(kept)
    async with await Library.open(db_path) as library:
        assert (await library.ask("silt harbour dredging")).results == []
        assert (await library.ask("apricot frost")).results


@given(st.lists(st.sampled_from(["silt", "town", "harbour", "vote", "mud", "the"]), max_size=12))
def test_a_text_is_a_near_duplicate_of_itself_and_not_of_disjoint_text(ws: list[str]) -> None:
    from index.ranking import near_duplicate

    text = " ".join(ws)
    assert near_duplicate(text, text) == bool(ws)
    assert not near_duplicate(text, "completely different apricot frost")


@settings(max_examples=50, deadline=None)
@given(_corpus, _query, st.data())
def test_scores_of_chosen_passages_and_idf_agree_with_bm25okapi(
    docs: list[list[str]], query: list[str], data: st.DataObject
) -> None:
    index = SearchIndex.build(enumerate(docs))
    chosen = data.draw(st.sets(st.integers(0, len(docs) - 1), max_size=len(docs)))
    every = index.scores(query)
    assert index.scores_of(query, chosen) == pytest.approx({i: every[i] for i in chosen})
    oracle = BM25Okapi(docs)
    known = {t for t in query if t in oracle.idf}
    assert index.idf(known) == pytest.approx({t: oracle.idf[t] for t in known})
    unseen = index.idf(["never-a-term"])["never-a-term"]
    assert unseen >= max(oracle.idf.values(), default=0.0)


# -- an index file changed under a running bot (#32 row 13) ------------------------------

_TRUNCATE_WHILE_LOADED = """
import asyncio, os, sys
from pathlib import Path
from index.library import Library

async def main(db):
    async with await Library.open(Path(db)) as library:
        for path in (library.index_path, library.article_index_path):
            os.truncate(path, 100)  # cut short under the loaded index
        answer = await library.ask("who said Russians intervened directly?")
        print(answer.speaker)

asyncio.run(main(sys.argv[1]))
"""


@pytest.mark.parametrize("swap", ["truncated while loaded", "a FIFO at its path"])
def test_an_index_file_cut_short_or_swapped_never_stops_the_bot(
    cli: CLI, tmp_path: Path, swap: str
) -> None:
    db = tmp_path / "news.db"
    assert cli("ingest", "--db", str(db), str(SAMPLE)).returncode == 0
    index_file = db.with_name(db.name + ".bm25")
    assert index_file.stat().st_size > 100
    if swap == "truncated while loaded":
        done = subprocess.run(
            [sys.executable, "-c", _TRUNCATE_WHILE_LOADED, str(db)],
            capture_output=True,
            text=True,
            timeout=120,
            env=cli.env,
            cwd=ROOT,
        )
        assert done.returncode == 0, done.stderr  # was -7: SIGBUS
        assert done.stdout.strip() == "Naji Mustafa"
    else:
        index_file.unlink()
        os.mkfifo(index_file)
        done = cli("ask", "--db", str(db), "who said Russians intervened directly?", timeout=60)
        assert done.returncode == 0, done.stderr  # was: waiting for a writer for ever
        assert "Naji Mustafa" in done.stdout
        assert f"search index {index_file} is damaged (not a regular file)" in done.stderr
