"""Search speed: saidwho's BM25 index against plain rank-bm25 and bm25s, and end-to-end `ask`.

    .venv/bin/python bench/search.py [--sizes 10000,100000,1000000] [--json]

Passages come from the polnear articles (../shared/eval/polnear-dev/articles) read as saidwho
reads them (paragraphs, attributions, findable terms), or from a bundled generator when
../shared is absent; to reach N they are recombined with a fixed seed: the head of one passage
joined to the tail of another. Questions are 2-6 consecutive words of a passage, "who said"
in front. Every timing is single-threaded. saidwho's index is built, saved, then loaded and
queried in a fresh process, so start-up and RSS are those of a restarted bot; its query times
are of a second pass over the questions (the first, with the file's pages not yet read and no
term weights cached, is in the JSON as cold_p50_ms / cold_p95_ms). RSS for rank-bm25 and bm25s
is what building them added to the bench process. QPS is 1 / mean latency for every engine
(so "x rank-bm25" compares means); plain rank-bm25 is timed on a sample of the questions
(--okapi-queries: 200 at 10k, 50 at 100k, 5 at 1M by default), the others on all of them.
bm25s (a bench-only extra: pip install bm25s) is skipped when it is not installed.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from index.articles import content_hash, parse_article  # noqa: E402
from index.models import Article, ParsedArticle, Passage  # noqa: E402
from index.reading import read  # noqa: E402
from index.terms import findable_terms  # noqa: E402
from index.tokens import tokenize  # noqa: E402

POLNEAR = ROOT.parent / "shared" / "eval" / "polnear-dev" / "articles"
PASSAGES_PER_ARTICLE = 20

Row = dict[str, Any]


# -- the corpus ---------------------------------------------------------------------------


def pool_of_passages(seed: int) -> tuple[str, list[Passage]]:
    """Passages with their attributions, read the way saidwho reads articles."""
    if POLNEAR.is_dir():
        files = sorted(POLNEAR.glob("*.txt"))
        texts = [(f.name, f.read_text(encoding="utf-8")) for f in files]
        origin = f"polnear ({len(files)} articles)"
    else:
        texts = generated_articles(seed)
        origin = f"generated ({len(texts)} articles)"
    passages = []
    for name, text in texts:
        passages += read(parse_article(text, source=name, name=name)).passages
    return origin, passages


def generated_articles(seed: int, count: int = 120) -> list[tuple[str, str]]:
    """News-like articles over a Zipf-distributed made-up vocabulary, with quotes to attribute."""
    rng = random.Random(seed)
    syllables = ["ka", "lo", "ri", "ven", "tas", "mor", "el", "din", "sa", "quo", "ber", "nit"]
    words = ["".join(rng.choices(syllables, k=rng.randint(2, 4))) for _ in range(20_000)]
    weights = [1 / (rank + 1) for rank in range(len(words))]
    names = [
        f"{w.title()} {v.title()}" for w, v in zip(words[100:160], words[200:260], strict=True)
    ]

    def sentence() -> str:
        return " ".join(rng.choices(words, weights, k=rng.randint(8, 20))).capitalize() + "."

    articles = []
    for i in range(count):
        paragraphs = []
        for _ in range(rng.randint(8, 25)):
            if rng.random() < 0.4:
                paragraphs.append(f'"{sentence()[:-1]}," said {rng.choice(names)}, the minister.')
            else:
                paragraphs.append(" ".join(sentence() for _ in range(rng.randint(1, 4))))
        title = " ".join(rng.choices(words, weights, k=6)).title()
        articles.append((f"generated-{i}.txt", title + "\n\n" + "\n\n".join(paragraphs) + "\n"))
    return articles


def recombined(rng: random.Random, pieces: Sequence[Sequence[str]], n: int) -> list[list[str]]:
    """n sequences, each the head of one piece followed by the tail of another."""
    pieces = [p for p in pieces if p]
    out = []
    for _ in range(n):
        head, tail = rng.choice(pieces), rng.choice(pieces)
        out.append([*head[: rng.randint(1, len(head))], *tail[rng.randrange(len(tail)) :]])
    return out


def questions(rng: random.Random, passages: list[Passage], count: int) -> list[str]:
    out: list[str] = []
    while len(out) < count:
        words = rng.choice(passages).text.split()
        size = rng.randint(2, 6)
        start = rng.randrange(max(1, len(words) - size))
        question = "who said " + " ".join(words[start : start + size]) + "?"
        if tokenize(question):
            out.append(question)
    return out


# -- measuring ----------------------------------------------------------------------------


def timed(run: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = run()
    return time.perf_counter() - start, result


def latencies(run: Callable[[Any], object], inputs: Sequence[Any]) -> dict[str, float]:
    times = []
    for item in inputs:
        start = time.perf_counter()
        run(item)
        times.append(time.perf_counter() - start)
    return summary(times)


def summary(times: list[float]) -> dict[str, float]:
    times = sorted(times)
    return {
        "queries": len(times),
        "mean_ms": 1000 * statistics.fmean(times),
        "p50_ms": 1000 * statistics.median(times),
        "p95_ms": 1000 * times[min(len(times) - 1, int(0.95 * len(times)))],
        "qps": len(times) / sum(times),  # from the mean, for every engine alike
    }


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


# -- the contenders -----------------------------------------------------------------------

LOADED = """
import json, sys, time
start = time.perf_counter()
sys.path.insert(0, {root!r})
from pathlib import Path
from index.search import SearchIndex
imported = time.perf_counter()
index = SearchIndex.load(Path({path!r}), {meta!r})
loaded = time.perf_counter()
assert index is not None, "the saved index did not load"
queries = json.loads(Path({queries!r}).read_text())
def timed_pass():
    times = []
    for terms in queries:
        t = time.perf_counter()
        index.search(terms, 10)
        times.append(time.perf_counter() - t)
    return times
cold = timed_pass()  # pages of the mapped file faulted in, term weights not yet cached
times = timed_pass()
rss = [l for l in Path("/proc/self/status").read_text().splitlines() if l.startswith("VmRSS:")]
print(json.dumps({{"load_s": loaded - imported, "startup_s": loaded - start, "times": times,
                  "cold": cold,
                  "rss_mb": int(rss[0].split()[1]) / 1024}}))
"""


def bench_saidwho(docs: list[list[str]], queries: list[list[str]], folder: Path) -> Row:
    from index.search import SearchIndex

    build_s, index = timed(lambda: SearchIndex.build(enumerate(docs)))
    assert isinstance(index, SearchIndex)
    path, meta = folder / "bench.bm25", {"bench": len(docs)}
    start = time.perf_counter()
    index.save(path, meta)
    save_s = time.perf_counter() - start
    postings = index._main.n_postings
    del index
    gc.collect()
    query_file = folder / "queries.json"
    query_file.write_text(json.dumps(queries))
    script = LOADED.format(root=str(ROOT), path=str(path), meta=meta, queries=str(query_file))
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    loaded = json.loads(out.stdout)
    return {
        "engine": "saidwho",
        "build_s": build_s,
        "save_s": save_s,
        "load_s": loaded["load_s"],
        "startup_s": loaded["startup_s"],
        "rss_mb": loaded["rss_mb"],
        "bytes_per_posting": path.stat().st_size / max(1, postings),
        **summary(loaded["times"]),
        "cold_p50_ms": summary(loaded["cold"])["p50_ms"],
        "cold_p95_ms": summary(loaded["cold"])["p95_ms"],
    }


def bench_okapi(docs: list[list[str]], queries: list[list[str]]) -> Row:
    from rank_bm25 import BM25Okapi

    before = rss_mb()
    build_s, model = timed(lambda: BM25Okapi(docs))
    assert isinstance(model, BM25Okapi)
    row = {"engine": "rank-bm25", "build_s": build_s, "rss_mb": rss_mb() - before}
    row.update(latencies(model.get_scores, queries))
    return row


def bench_bm25s(docs: list[list[str]], queries: list[list[str]]) -> list[Row]:
    """bm25s's `retrieve`, and its core without `retrieve`'s per-call overhead: precomputed
    scores summed for the query (`get_scores`), then the top 10 by a partial sort."""
    try:
        import bm25s
        import numpy as np
    except ImportError:
        return []
    before = rss_mb()
    model = bm25s.BM25(method="robertson")
    build_s, _ = timed(lambda: model.index(docs, show_progress=False))

    def retrieve(terms: list[str]) -> object:
        return model.retrieve([terms], k=10, show_progress=False, n_threads=1)

    def core(terms: list[str]) -> object:
        scores = model.get_scores(terms)
        top = np.argpartition(-scores, 10)[:10]
        return top[np.argsort(-scores[top])]

    retrieve(queries[0])
    return [
        {"engine": "bm25s", "build_s": build_s, "rss_mb": rss_mb() - before}
        | latencies(retrieve, queries),
        {"engine": "bm25s core"} | latencies(core, queries),
    ]


# -- end to end ---------------------------------------------------------------------------


async def bench_ask(passages: list[Passage], n: int, asked: list[str], folder: Path) -> Row:
    from index.library import Library

    db = folder / f"ask-{n}.db"
    fill_s = await fill_store(db, passages, n)
    rebuild_s, library = await atimed(Library.open(db))  # no saved index: rebuilt from store
    await library.close()
    startup_s, library = await atimed(Library.open(db))  # the saved index, loaded
    times = []
    for question in asked:
        start = time.perf_counter()
        await library.ask(question)
        times.append(time.perf_counter() - start)
    await library.close()
    return {
        "engine": "saidwho ask",
        "fill_s": fill_s,
        "rebuild_s": rebuild_s,
        "startup_s": startup_s,
        **summary(times),
    }


async def atimed(awaitable: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    result = await awaitable
    return time.perf_counter() - start, result


async def fill_store(db: Path, pool: list[Passage], n: int) -> float:
    """A database of n passages in articles of 20, each passage the head of one pool passage
    and the tail of another, keeping the first one's attributions."""
    from index.library import READING_VERSION, READING_VERSION_KEY
    from index.store import Store

    rng = random.Random(n)
    start = time.perf_counter()
    store = await Store.open(db)
    texts = [p.text.split() for p in pool]
    for first in range(0, n, PASSAGES_PER_ARTICLE):
        count = min(PASSAGES_PER_ARTICLE, n - first)
        picks = [rng.randrange(len(pool)) for _ in range(count)]
        bodies = [" ".join(w) for w in recombined(rng, [texts[i] for i in picks], count)]
        passages = [
            Passage(ordinal=i, paragraph=i, text=body, attributions=pool[pick].attributions)
            for i, (pick, body) in enumerate(zip(picks, bodies, strict=True))
        ]
        text = "\n\n".join(bodies)
        unique = f"{text}\n{first}"
        article = Article(
            title=f"Bench {first}",
            source=f"bench:{first}",
            text=text,
            content_hash=content_hash(unique),
        )
        await store.save(ParsedArticle(article=article, passages=passages))
    # The attributions come from this version's reading of the pool: the store is current.
    await store.set_meta(READING_VERSION_KEY, READING_VERSION)
    await store.close()
    return time.perf_counter() - start


# -- the table ----------------------------------------------------------------------------

COLUMNS = [
    ("n", "N", "{:>9,}"),
    ("engine", "engine", "{:<11}"),
    ("build_s", "build s", "{:>8.2f}"),
    ("rebuild_s", "rebuild s", "{:>9.2f}"),
    ("load_s", "load s", "{:>7.3f}"),
    ("startup_s", "start s", "{:>7.3f}"),
    ("rss_mb", "RSS MB", "{:>7.0f}"),
    ("bytes_per_posting", "B/post", "{:>6.1f}"),
    ("queries", "queries", "{:>7}"),
    ("mean_ms", "mean ms", "{:>8.3f}"),
    ("p50_ms", "p50 ms", "{:>8.3f}"),
    ("p95_ms", "p95 ms", "{:>8.3f}"),
    ("qps", "QPS", "{:>9.0f}"),
    ("speedup", "x rank-bm25", "{:>11.0f}"),
]


def table(rows: list[Row]) -> str:
    def cell(row: Row, key: str, form: str) -> str:
        width = len(form.format(0 if key != "engine" else ""))
        return form.format(row[key]) if key in row else " " * width

    head = [h.rjust(len(cell({k: 0 if k != "engine" else ""}, k, f))) for k, h, f in COLUMNS]
    lines = ["  ".join(head)]
    lines += ["  ".join(cell(row, k, f) for k, _, f in COLUMNS) for row in rows]
    return "\n".join(lines)


def okapi_count(spec: str, i: int, n: int) -> int:
    """How many questions plain rank-bm25 is timed on at size n, the i-th size: it is too slow
    for all of them, and too few make its QPS, which every speedup divides by, a noisy one."""
    items = [item.strip() for item in spec.split(",") if item.strip()]
    if all(":" not in item for item in items):
        return int(items[min(i, len(items) - 1)])
    by_size = sorted((int(a), int(b)) for a, b in (item.split(":") for item in items))
    return next((c for size, c in reversed(by_size) if size <= n), by_size[0][1])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="passage counts, a,b,c")
    parser.add_argument("--queries", type=int, default=1000, help="questions per size")
    parser.add_argument(
        "--okapi-queries",
        default="10000:200,100000:50,1000000:5",
        help="plain rank-bm25 questions (sampled) by size, N:count,... (a size takes the count "
        "of the largest N not above it), or counts in the order of --sizes",
    )
    parser.add_argument("--ask-max", type=int, default=100_000, help="largest N for ask")
    parser.add_argument("--seed", type=int, default=20240611)
    parser.add_argument("--json", action="store_true", help="also print one JSON object a row")
    parser.add_argument("--folder", type=Path, help="where to write (default: a temp folder)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]

    rng = random.Random(args.seed)
    origin, pool = pool_of_passages(args.seed)
    pool_terms = [findable_terms(p) for p in pool]
    asked = questions(rng, pool, args.queries)
    queries = [tokenize(q) for q in asked]
    print(f"corpus: {origin}, {len(pool)} passages recombined; seed {args.seed}", file=sys.stderr)
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(dir=args.folder) as folder:
        for i, n in enumerate(sizes):
            docs = recombined(random.Random(args.seed + n), pool_terms, n)
            okapi_n = okapi_count(args.okapi_queries, i, n)
            found = [
                bench_saidwho(docs, queries, Path(folder)),
                bench_okapi(docs, queries[:okapi_n]),
                *bench_bm25s(docs, queries),
            ]
            gc.collect()
            if n <= args.ask_max:
                found.append(asyncio.run(bench_ask(pool, n, asked, Path(folder))))
            okapi_qps = found[1]["qps"] if found[1] else None
            for row in found:
                row["n"] = n
                if okapi_qps and "qps" in row and row["engine"] != "saidwho ask":
                    row["speedup"] = row["qps"] / okapi_qps
                rows.append(row)
                print(table([row]).splitlines()[1], file=sys.stderr, flush=True)
            del docs
            gc.collect()
    print(table(rows))
    if args.json:
        for row in rows:
            print(json.dumps(row))


if __name__ == "__main__":
    main()
