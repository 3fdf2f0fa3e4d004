"""An archive on one box: the BM25 index and meaning search at millions of passages.

    .venv/bin/python bench/archive.py --passages 1000000 [--vectors 1000000] [--queries 200]

SYNTHETIC data, for timing, not quality: passages are term lists drawn from a Zipf-distributed
vocabulary of 300,000 terms (30 terms each on average, as a news passage has after stop words;
the real tokenizer is skipped: indexing starts from terms), questions are a common term and 1
to 4 rarer ones. Vectors are 384-dimensional unit
vectors in 2,000 clusters (sentence embeddings cluster by topic; uniform random vectors would be
the worst case for any graph index), questions a stored vector plus noise.

Prints: BM25 build time and peak RSS; then, in a fresh process as a restarted bot would, the
saved index's load time ("start"), its RSS, and search p50/p95 (SearchIndex.search, k=100:
the index's part of `ask`; the store's fetch of the few passages shown does not grow with the
archive). Meaning: the exact scan of a float16 memory-mapped matrix (in blocks) against a
usearch HNSW index (int8), build time, load, p50/p95 and recall@20 against the exact scan.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from index.search import SearchIndex

ROOT = Path(__file__).resolve().parent.parent

VOCABULARY = 300_000
DIM = 384
META = {"bench": "archive"}
EXPANSIONS = (64, 128, 256)
RERANK = 100  # ANN candidates ranked again exactly  # usearch expansion_search: recall against time


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def terms_of(n: int, seed: int = 0) -> list[list[str]]:
    """n passages of Zipf-drawn term ids, as strings."""
    rng = np.random.default_rng(seed)
    names = [f"t{i}" for i in range(VOCABULARY)]
    lengths = rng.integers(15, 46, size=n)
    draws = (rng.zipf(1.1, size=int(lengths.sum())) - 1) % VOCABULARY
    out, at = [], 0
    for length in lengths.tolist():
        out.append([names[t] for t in draws[at : at + length].tolist()])
        at += length
    return out


def questions(count: int, seed: int = 1) -> list[list[str]]:
    """One common term (rank 5 to 100: in 0.1% to 2% of passages, like "president") and one
    to four rarer ones (rank 100 to 20,000), as a question's words after stop words."""
    rng = np.random.default_rng(seed)
    return [
        [f"t{rng.integers(5, 100)}"]
        + [f"t{t}" for t in rng.integers(100, 20_000, size=rng.integers(1, 5))]
        for _ in range(count)
    ]


def percentiles(times: list[float]) -> tuple[float, float]:
    ms = np.array(times) * 1000
    return float(np.percentile(ms, 50)), float(np.percentile(ms, 95))


def build_bm25(n: int, path: Path) -> dict[str, float]:
    chunk = 250_000
    start = time.perf_counter()

    def pairs():  # generated as consumed, as passages stream out of a store
        for lo in range(0, n, chunk):
            yield from enumerate(terms_of(min(chunk, n - lo), seed=lo), start=lo)

    index = SearchIndex.build(pairs())
    built = time.perf_counter() - start
    index.save(path, META)
    return {"build_s": built, "build_peak_mb": peak_mb(), "file_mb": path.stat().st_size / 2**20}


def serve_bm25(path: Path, count: int) -> dict[str, float]:
    """In a fresh process: load the saved index, answer questions."""
    before = rss_mb()
    start = time.perf_counter()
    index = SearchIndex.load(path, META)
    loaded = time.perf_counter() - start
    assert index is not None
    times = []
    for terms in questions(count):
        t = time.perf_counter()
        index.search(terms, 100)
        times.append(time.perf_counter() - t)
    first = times[0]
    p50, p95 = percentiles(times[1:])
    return {
        "start_s": loaded,
        "first_ms": first * 1000,
        "p50_ms": p50,
        "p95_ms": p95,
        "rss_mb": rss_mb(),
        "rss_before_mb": before,
    }


def vectors_file(n: int, path: Path) -> np.memmap:
    rng = np.random.default_rng(7)
    centres = rng.standard_normal((2000, DIM)).astype(np.float32)
    matrix = np.lib.format.open_memmap(path, mode="w+", dtype=np.float16, shape=(n, DIM))
    for lo in range(0, n, 100_000):
        hi = min(n, lo + 100_000)
        block = centres[rng.integers(0, 2000, hi - lo)] + rng.standard_normal(
            (hi - lo, DIM), dtype=np.float32
        )
        block /= np.linalg.norm(block, axis=1, keepdims=True)
        matrix[lo:hi] = block
    matrix.flush()
    return matrix


def exact(matrix: np.ndarray, query: np.ndarray, k: int) -> np.ndarray:
    """The exact top k by dot product, a block of the float16 matrix at a time."""
    best_ids, best = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    for lo in range(0, len(matrix), 262_144):
        sims = np.asarray(matrix[lo : lo + 262_144], dtype=np.float32) @ query
        top = np.argpartition(-sims, min(k, len(sims) - 1))[:k]
        best_ids = np.concatenate([best_ids, top + lo])
        best = np.concatenate([best, sims[top]])
    keep = np.argsort(-best, kind="stable")[:k]
    return best_ids[keep]


def meaning(n: int, folder: Path, count: int) -> dict[str, float]:
    from usearch.index import Index

    matrix = vectors_file(n, folder / "vectors.npy")
    rng = np.random.default_rng(3)
    picks = rng.integers(0, n, count)
    queries = np.asarray(matrix[picks], dtype=np.float32) + 0.05 * rng.standard_normal(
        (count, DIM), dtype=np.float32
    )
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    scan_times, truth = [], []
    for q in queries[: min(count, 50)]:
        t = time.perf_counter()
        truth.append(exact(matrix, q, 20))
        scan_times.append(time.perf_counter() - t)
    start = time.perf_counter()
    index = Index(ndim=DIM, metric="ip", dtype="i8", connectivity=16, expansion_add=128)
    for lo in range(0, n, 100_000):
        block = np.asarray(matrix[lo : lo + 100_000], dtype=np.float32)
        index.add(np.arange(lo, lo + len(block)), block, threads=os.cpu_count() or 1)
    built = time.perf_counter() - start
    index.save(str(folder / "meaning.usearch"))
    del index
    start = time.perf_counter()
    index = Index.restore(str(folder / "meaning.usearch"), view=True)  # memory-mapped
    loaded = time.perf_counter() - start
    results = {}
    for expansion in EXPANSIONS:
        index.expansion_search = expansion
        times, hits = [], 0
        for i, q in enumerate(queries):
            t = time.perf_counter()
            found = index.search(q, 20).keys
            times.append(time.perf_counter() - t)
            if i < len(truth):
                hits += len(set(found.tolist()) & set(truth[i].tolist()))
        p50, p95 = percentiles(times)
        results[f"ann{expansion}_p50_ms"] = p50
        results[f"ann{expansion}_p95_ms"] = p95
        results[f"ann{expansion}_recall20"] = hits / (20 * len(truth))
    # int8 rounding ties close neighbours: take 100 candidates, rank them by their exact
    # (float16 matrix) similarity, keep 20.
    index.expansion_search = 128
    times, hits = [], 0
    for i, q in enumerate(queries):
        t = time.perf_counter()
        candidates = np.sort(index.search(q, RERANK).keys)
        sims = np.asarray(matrix[candidates], dtype=np.float32) @ q
        found = candidates[np.argsort(-sims, kind="stable")[:20]]
        times.append(time.perf_counter() - t)
        if i < len(truth):
            hits += len(set(found.tolist()) & set(truth[i].tolist()))
    results["rerank_p50_ms"], results["rerank_p95_ms"] = percentiles(times)
    results["rerank_recall20"] = hits / (20 * len(truth))
    scan50, scan95 = percentiles(scan_times)
    return {
        "vectors": n,
        "scan_p50_ms": scan50,
        "scan_p95_ms": scan95,
        "ann_build_s": built,
        "ann_load_s": loaded,
        "ann_file_mb": (folder / "meaning.usearch").stat().st_size / 2**20,
        **results,
        "rss_mb": rss_mb(),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passages", type=int, default=1_000_000)
    parser.add_argument("--vectors", type=int, default=None, help="default: as many as passages")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)  # the fresh process
    parser.add_argument("--meaning-only", action="store_true")
    parser.add_argument("--bm25-only", action="store_true")
    args = parser.parse_args()
    if args.serve:
        print(json.dumps(serve_bm25(args.serve, args.queries)))
        return 0
    with tempfile.TemporaryDirectory(dir=os.environ.get("TMPDIR")) as tmp:
        folder = Path(tmp)
        if not args.meaning_only:
            path = folder / "archive.bm25"
            built = build_bm25(args.passages, path)
            out = subprocess.run(
                [sys.executable, __file__, "--serve", str(path), "--queries", str(args.queries)],
                capture_output=True,
                text=True,
                check=True,
            )
            served = json.loads(out.stdout)
            print(f"BM25, {args.passages:,} synthetic passages")
            print(f"  build {built['build_s']:.1f} s, peak RSS {built['build_peak_mb']:.0f} MB")
            print(f"  saved index {built['file_mb']:.0f} MB")
            print(
                f"  start (load) {served['start_s']:.2f} s, RSS {served['rss_mb']:.0f} MB "
                f"({served['rss_before_mb']:.0f} MB before loading)"
            )
            print(
                f"  search p50 {served['p50_ms']:.1f} ms, p95 {served['p95_ms']:.1f} ms "
                f"(first {served['first_ms']:.0f} ms: the statistics, computed once)"
            )
        if not args.bm25_only:
            m = meaning(args.vectors or args.passages, folder, args.queries)
            print(f"meaning, {m['vectors']:,} synthetic vectors (384-d)")
            print(f"  exact scan (float16 memmap, blocks) p50 {m['scan_p50_ms']:.0f} ms, ", end="")
            print(f"p95 {m['scan_p95_ms']:.0f} ms")
            print(
                f"  usearch HNSW int8: build {m['ann_build_s']:.0f} s, "
                f"file {m['ann_file_mb']:.0f} MB"
            )
            print(f"  load (memory-mapped view) {m['ann_load_s']:.2f} s")
            for e in EXPANSIONS:
                print(
                    f"  expansion {e}: p50 {m[f'ann{e}_p50_ms']:.2f} ms, "
                    f"p95 {m[f'ann{e}_p95_ms']:.2f} ms, recall@20 {m[f'ann{e}_recall20']:.3f}"
                )
            print(
                f"  expansion 128, {RERANK} candidates ranked exactly: "
                f"p50 {m['rerank_p50_ms']:.2f} ms, p95 {m['rerank_p95_ms']:.2f} ms, "
                f"recall@20 {m['rerank_recall20']:.3f}"
            )
            print(f"  RSS {m['rss_mb']:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
