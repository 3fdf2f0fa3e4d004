"""Ingest with matching by meaning: one process (today's path) against a local Dask cluster.

    SAIDWHO_SHARED=/work/shared .venv/bin/python bench/ingest_cluster.py [--workers 2] [--limit N]

Ingests the training articles (polnear-train, 700) into a fresh database three ways and prints a
table: `Library.add_input` one after another (what `saidwho ingest` does without --workers),
`Library.add_on_cluster` on N local worker processes, and the cluster's overhead on the first
50 articles (cluster start and stop included: what a small batch pays). Needs the cluster extra
and the sentence model. The machine's load is printed too: on a shared machine the speed-up is
bounded by the cores others leave free.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

from index.library import Library

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("SAIDWHO_SHARED", ROOT.parent / "shared"))


async def sequential(specs: list[str], db: Path) -> float:
    start = time.perf_counter()
    async with await Library.open(db, dense=True) as library:
        assert library.embedder is not None, "the sentence model is not installed"
        for spec in specs:
            await library.add_input(spec)
    return time.perf_counter() - start


async def on_cluster(specs: list[str], db: Path, workers: int) -> tuple[float, int]:
    start = time.perf_counter()
    failed = 0
    async with await Library.open(db) as library:
        async for _, outcome in library.add_on_cluster(specs, Library.load_input, workers=workers):
            failed += isinstance(outcome, BaseException)
    return time.perf_counter() - start, failed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()
    folder = SHARED / "eval" / "polnear-train" / "articles"
    specs = sorted(str(p) for p in folder.glob("*.txt"))[: args.limit]
    if not specs:
        sys.exit(f"no articles in {folder}: set SAIDWHO_SHARED")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        load = os.getloadavg()[0]
        one = asyncio.run(sequential(specs, Path(tmp) / "one.db"))
        rows.append(("1 process (today's path)", len(specs), one, 0))
        many, failed = asyncio.run(on_cluster(specs, Path(tmp) / "many.db", args.workers))
        rows.append((f"{args.workers} local Dask workers", len(specs), many, failed))
        small = specs[:50]
        one_small = asyncio.run(sequential(small, Path(tmp) / "one-small.db"))
        many_small, _ = asyncio.run(on_cluster(small, Path(tmp) / "many-small.db", args.workers))
    print(f"cores: {os.cpu_count()}, load average at start: {load:.1f}\n")
    print(f"{'way':28} {'articles':>8} {'seconds':>8} {'articles/s':>10} {'failed':>6}")
    for name, n, seconds, failed in rows:
        print(f"{name:28} {n:>8} {seconds:>8.1f} {n / seconds:>10.2f} {failed:>6}")
    print(f"\nspeed-up with {args.workers} workers: {one / many:.2f}x")
    print(
        f"50 articles: 1 process {one_small:.1f} s, {args.workers} workers {many_small:.1f} s "
        f"(cluster start, model load per worker and stop included)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
