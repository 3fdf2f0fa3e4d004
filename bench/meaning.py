"""The sentence model's runtimes side by side: model load, embedding speed and, when both are
installed, how closely the light runtime's cosines follow the torch reference's.

    .venv/bin/python bench/meaning.py [--articles FOLDER] [--questions FILE] [--passages N]

Defaults: ../shared/eval/polnear-dev (its articles' passages, embedded as ingest embeds them, and
natural_questions.jsonl). Install the torch runtime too (`make dense-torch`) for the agreement rows.
Prints tables.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

import numpy as np

from index import meaning
from index.articles import parse_article
from index.meaning import Embedder, Vectors, passage_text
from index.reading import read

ROOT = Path(__file__).resolve().parent.parent
POLNEAR = ROOT.parent / "shared" / "eval" / "polnear-dev"


def ranks(values: Vectors) -> Vectors:
    """Each row's values replaced by their ranks (cosines of floats have no ties to speak of)."""
    return np.argsort(np.argsort(values, axis=1), axis=1).astype(np.float64)


def spearman(a: Vectors, b: Vectors) -> Vectors:
    """Spearman's rank correlation of each row of `a` with the same row of `b`."""
    ra, rb = ranks(a), ranks(b)
    ra -= ra.mean(axis=1, keepdims=True)
    rb -= rb.mean(axis=1, keepdims=True)
    return np.asarray(
        (ra * rb).sum(axis=1) / np.sqrt((ra**2).sum(axis=1) * (rb**2).sum(axis=1)),
        dtype=np.float64,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=Path, default=POLNEAR / "articles")
    parser.add_argument("--questions", type=Path, default=POLNEAR / "natural_questions.jsonl")
    parser.add_argument("--passages", type=int, default=300)
    args = parser.parse_args()
    paths = sorted(args.articles.glob("*.txt"))
    if not paths or not args.questions.exists():
        print(f"needs {args.articles} and {args.questions} (../shared/eval)", file=sys.stderr)
        return 1
    texts = [
        passage_text(passage)
        for path in paths
        for passage in read(parse_article(path.read_text(encoding="utf-8"), str(path))).passages
    ]
    passages = random.Random(0).sample(texts, min(args.passages, len(texts)))
    questions = [
        json.loads(line)["q"]
        for line in args.questions.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    print(f"{len(passages)} passages of {len(paths)} articles, {len(questions)} questions\n")
    print("| runtime | vectors | model load s | passages/s | questions/s |")
    print("|---|---|---|---|---|")
    cosines: dict[str, Vectors] = {}
    for package, runtime in meaning.RUNTIMES:
        try:
            began = time.perf_counter()
            model: Embedder = runtime()
            load_s = time.perf_counter() - began
        except ImportError:
            print(f"| {runtime.__name__} | not installed ({package}) | | | |")
            continue
        model.embed(passages[:8])  # warm-up: first-run costs are not per passage
        began = time.perf_counter()
        passage_vectors = model.embed(passages)
        passage_rate = len(passages) / (time.perf_counter() - began)
        began = time.perf_counter()
        question_vectors = np.vstack([model.embed([q]) for q in questions])  # one at a time
        question_rate = len(questions) / (time.perf_counter() - began)
        cosines[runtime.__name__] = question_vectors @ passage_vectors.T
        print(
            f"| {runtime.__name__} | {model.name} | {load_s:.1f} | {passage_rate:.1f} "
            f"| {question_rate:.1f} |"
        )
    if len(cosines) == 2:
        light, reference = cosines.values()
        diff = np.abs(light - reference)
        rho = spearman(light, reference)
        same_best = np.mean(light.argmax(axis=1) == reference.argmax(axis=1))
        top10 = np.mean(
            [
                len(set(np.argsort(-a)[:10]) & set(np.argsort(-b)[:10])) / 10
                for a, b in zip(light, reference, strict=True)
            ]
        )
        print("\n| question-passage cosines, light vs reference | value |")
        print("|---|---|")
        print(f"| mean absolute difference | {diff.mean():.4f} |")
        p95 = np.percentile(diff, 95)
        print(f"| 95th percentile / max difference | {p95:.4f} / {diff.max():.4f} |")
        print(f"| Spearman per question, mean (min) | {rho.mean():.4f} ({rho.min():.4f}) |")
        print(f"| same nearest passage | {same_best:.1%} |")
        print(f"| top-10 overlap | {top10:.1%} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
