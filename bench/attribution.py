"""Time attribution extraction over a folder of article texts.

    .venv/bin/python bench/attribution.py [FOLDER] [--repeat N] [--joined]

FOLDER defaults to ../shared/eval/polnear-train/articles (beside the project, or under the
folder $SAIDWHO_SHARED names) when present, else the bundled sample article. Only `attribute`
is timed, not reading or paragraph splitting; the target is 100 articles/s on one core.

`--joined` reads the folder's stories joined into one article instead (as a page of many
stories, or a digest, comes), an eighth, a quarter, a half and all of them: the CPU seconds
per MB should stay flat as the article grows (attribution near-linear in its length; the 700
training articles are 3.1 MB).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from index.attribution import attribute
from index.passages import paragraphs

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("SAIDWHO_SHARED") or ROOT.parent / "shared")
EVAL_ARTICLES = SHARED / "eval" / "polnear-train" / "articles"
SAMPLE = ROOT / "index" / "sample"


def default_folder() -> Path:
    return EVAL_ARTICLES if EVAL_ARTICLES.is_dir() else SAMPLE


def load(folder: Path) -> list[list[str]]:
    """Each article's content paragraphs, as the indexer would give them to `attribute`."""
    files = sorted(folder.glob("*.txt"))
    return [[p.text for p in paragraphs(f.read_text(encoding="utf-8"))] for f in files]


def run(articles: list[list[str]], repeat: int) -> tuple[int, float]:
    """Attributions found (in one pass) and the best wall time of `repeat` passes."""
    best, found = float("inf"), 0
    for _ in range(repeat):
        start = time.perf_counter()
        found = sum(len(a) for article in articles for a in attribute(article))
        best = min(best, time.perf_counter() - start)
    return found, best


def joined(articles: list[list[str]]) -> list[tuple[float, int, float]]:
    """MB, paragraphs and CPU seconds of one article of the first 1/8, 1/4, 1/2 and all of
    the stories, joined."""
    paras = [p for article in articles for p in article]
    rows = []
    for share in (8, 4, 2, 1):
        part = paras[: len(paras) // share]
        start = time.process_time()
        attribute(part)
        seconds = time.process_time() - start
        rows.append((sum(len(p) for p in part) / 1e6, len(part), seconds))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "folder",
        nargs="?",
        type=Path,
        default=default_folder(),
        help="folder of .txt articles (default: %(default)s)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="passes; the best is reported")
    parser.add_argument(
        "--joined", action="store_true", help="time the stories joined into one article"
    )
    args = parser.parse_args()
    articles = load(args.folder)
    if not articles:
        sys.exit(f"no .txt articles in {args.folder}")
    if args.joined:
        print(f"folder: {args.folder}, joined into one article")
        print(f"{'MB':>6} {'paragraphs':>11} {'CPU s':>7} {'s/MB':>6}")
        for mb, count, seconds in joined(articles):
            print(f"{mb:6.2f} {count:11d} {seconds:7.1f} {seconds / mb:6.1f}")
        return
    found, seconds = run(articles, max(1, args.repeat))
    rows = [
        ("articles", f"{len(articles)}"),
        ("paragraphs", f"{sum(len(a) for a in articles)}"),
        ("attributions", f"{found}"),
        ("seconds", f"{seconds:.3f}"),
        ("articles/s", f"{len(articles) / seconds:.1f}" if seconds else "inf"),
    ]
    print(f"folder: {args.folder}")
    for name, value in rows:
        print(f"{name:<13}{value:>10}")


if __name__ == "__main__":
    main()
