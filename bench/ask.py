"""`ask` latency per question over the polnear-dev corpus, BM25 alone and, when the dense extra
is installed, with matching by meaning; ingest time and model load beside it.

    .venv/bin/python bench/ask.py [--articles FOLDER] [--questions FILE ...]
                                  [--engine sqlite|postgresql|both] [--words-only]

Defaults: ../shared/eval/polnear-dev (articles, natural_questions.jsonl and who_said.jsonl).
`--engine postgresql` stores in PostgreSQL 16 (pgserver, the dev extra: a server started in a
temp dir, on a unix socket, a fresh database per run); `both` puts the engines side by side,
each question asked of one then the other, so both see the same load on the machine.
Questions go through `Library.ask`, in process, one at a time, as the bot asks them. Prints a
table.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg

from index.library import Library
from index.meaning import Embedder, installed_embedder

ROOT = Path(__file__).resolve().parent.parent
POLNEAR = ROOT.parent / "shared" / "eval" / "polnear-dev"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def measure(
    articles: list[Path], questions: list[str], embedder: Embedder | None, dbs: list[Path | str]
) -> list[dict[str, float]]:
    """Ingest into each database, then ask each question of each library in turn: with two
    engines, the machine's load at a moment weighs on both alike."""
    async with contextlib.AsyncExitStack() as stack:
        libraries, ingest_s = [], []
        for db in dbs:
            start = time.perf_counter()
            library = await stack.enter_async_context(await Library.open(db, embedder))
            for path in articles:
                await library.add_file(path)
            ingest_s.append(time.perf_counter() - start)
            await library.ask(questions[0])  # warm-up: first-use costs are not per question
            libraries.append(library)
        latencies: list[list[float]] = [[] for _ in dbs]
        for question in questions:
            for library, times in zip(libraries, latencies, strict=True):
                began = time.perf_counter()
                await library.ask(question)
                times.append((time.perf_counter() - began) * 1000)
    return [
        {
            "ingest_s": ingested,
            "p50_ms": statistics.median(times),
            "p95_ms": percentile(times, 0.95),
            "max_ms": max(times),
        }
        for ingested, times in zip(ingest_s, latencies, strict=True)
    ]


@contextlib.contextmanager
def _databases(home: Path, engines: list[str]) -> Iterator[Callable[[str], Path | str]]:
    """A new database for each run: a SQLite file, or a database on a PostgreSQL server
    started for the bench (pgserver) on a unix socket in `home`."""
    server = None
    if "postgresql" in engines:
        import pgserver  # the dev extra

        server = pgserver.get_server(home / "postgres", cleanup_mode="stop")
    made = itertools.count()

    def new(engine: str) -> Path | str:
        name = f"bench{next(made)}"
        if engine == "sqlite":
            return home / f"{name}.db"
        assert server is not None
        with psycopg.connect(server.get_uri(), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return str(server.get_uri()).replace("/postgres?", f"/{name}?")

    try:
        yield new
    finally:
        if server is not None:
            server.cleanup()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=Path, default=POLNEAR / "articles")
    parser.add_argument(
        "--questions",
        type=Path,
        nargs="+",
        default=[POLNEAR / "natural_questions.jsonl", POLNEAR / "who_said.jsonl"],
    )
    parser.add_argument("--engine", choices=["sqlite", "postgresql", "both"], default="sqlite")
    parser.add_argument("--words-only", action="store_true", help="no run with meaning")
    args = parser.parse_args()
    articles = sorted(args.articles.glob("*.txt"))
    if not articles or not all(q.exists() for q in args.questions):
        print(f"needs {args.articles} and {args.questions} (../shared/eval)", file=sys.stderr)
        return 1
    questions = [
        json.loads(line)["q"]
        for path in args.questions
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    load_start = time.perf_counter()
    dense = None if args.words_only else installed_embedder()
    load_s = time.perf_counter() - load_start
    runs: list[tuple[str, Embedder | None]] = [("BM25 + article", None)]
    if dense is not None:
        runs.append((f"+ meaning ({dense.name}, model load {load_s:.1f} s)", dense))
    print(f"{len(articles)} articles, {len(questions)} questions, one at a time\n")
    engines = ["sqlite", "postgresql"] if args.engine == "both" else [args.engine]
    print("| engine | run | ingest s | ask p50 ms | ask p95 ms | max ms |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp, _databases(Path(tmp), engines) as databases:
        for name, embedder in runs:
            dbs = [databases(engine) for engine in engines]
            found = asyncio.run(measure(articles, questions, embedder, dbs))
            for engine, m in zip(engines, found, strict=True):
                print(
                    f"| {engine} | {name} | {m['ingest_s']:.1f} | {m['p50_ms']:.1f} "
                    f"| {m['p95_ms']:.1f} | {m['max_ms']:.1f} |",
                    flush=True,
                )
    if dense is None and not args.words_only:
        print("\n(the sentence model is not installed: `pip install -e .` adds the second row)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
