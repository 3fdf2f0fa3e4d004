"""Read articles built to be slow to read, and time each.

    .venv/bin/python bench/adversarial.py [--articles N] [--most CHARS] [--seed S] [--slowest K]
                                          [--save FOLDER]

Hypothesis makes N articles (default 1,000) of up to CHARS characters (default 100,000) out of
long runs of what the readers of text look for (tests/adversarial.py: cue verbs, names,
quotation marks, commas, full stops, abbreviations …). Each is read as `saidwho ingest` and
`extract` read it (`reading.read_within`, under SAIDWHO_READ_SECONDS, 20 s by default), in
this process, one at a time. Prints a table: how many were read, refused over the budget or
crashed; the median, p95 and largest CPU time per article, and per 100 KB; then the slowest
articles, each with the pattern it was built of; `--save` writes them to FOLDER to look into.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, seed, settings

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for tests.adversarial

from index.articles import parse_article
from index.budget import OverBudget
from index.reading import READ_SECONDS, read_within
from tests.adversarial import articles


@dataclass
class Reading:
    text: str
    seconds: float  # CPU time: the machine may be shared, and reading is one thread's work
    wall: float
    outcome: str  # "read", "over budget" or the exception's name


def read_one(text: str, budget: float) -> Reading:
    article = parse_article(text, source="adversarial.txt")
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        read_within(article, budget)
        outcome = "read"
    except OverBudget:
        outcome = "over budget"
    except Exception as exc:  # a crash is what this looks for: count it, show it, go on
        outcome = type(exc).__name__
        traceback.print_exc()
    return Reading(text, time.process_time() - cpu, time.perf_counter() - wall, outcome)


def run(count: int, most: int, budget: float, random_seed: int) -> list[Reading]:
    readings: list[Reading] = []

    @seed(random_seed)
    @settings(
        max_examples=count,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(articles(most))
    def read_each(text: str) -> None:
        readings.append(read_one(text, budget))
        if len(readings) % 100 == 0:
            print(f"{len(readings)} read", file=sys.stderr, flush=True)

    read_each()
    return readings


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def describe(text: str) -> str:
    body = text.split("\n\n", 1)[-1]
    return f"{len(body):>7,} chars  {body[:60]!r}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000, help="how many (%(default)s)")
    parser.add_argument("--most", type=int, default=100_000, help="chars each (%(default)s)")
    parser.add_argument("--seed", type=int, default=32, help="hypothesis seed (%(default)s)")
    parser.add_argument("--slowest", type=int, default=5, help="slowest shown (%(default)s)")
    parser.add_argument("--save", type=Path, help="write the slowest articles to this folder")
    parser.add_argument(
        "--budget", type=float, default=READ_SECONDS, help="seconds per article (%(default)s)"
    )
    args = parser.parse_args()
    readings = run(args.articles, args.most, args.budget, args.seed)
    cpu = [r.seconds for r in readings]
    per_100k = [r.seconds * 100_000 / max(1, len(r.text)) for r in readings]
    outcomes = {o: sum(r.outcome == o for r in readings) for o in {r.outcome for r in readings}}
    rows = [
        ("articles", f"{len(readings)}"),
        ("read", f"{outcomes.pop('read', 0)}"),
        (f"over budget ({args.budget:g} s)", f"{outcomes.pop('over budget', 0)}"),
        ("crashed", f"{sum(outcomes.values())}"),
        ("median chars", f"{statistics.median(len(r.text) for r in readings):,.0f}"),
        ("CPU s median", f"{statistics.median(cpu):.3f}"),
        ("CPU s p95", f"{percentile(cpu, 0.95):.3f}"),
        ("CPU s max", f"{max(cpu):.3f}"),
        ("wall s max", f"{max(r.wall for r in readings):.3f}"),
        ("CPU s per 100 KB, p95", f"{percentile(per_100k, 0.95):.3f}"),
        ("CPU s per 100 KB, max", f"{max(per_100k):.3f}"),
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value:>10}")
    if outcomes:
        print("crashes:", ", ".join(f"{name} x{n}" for name, n in sorted(outcomes.items())))
    print(f"\nslowest {args.slowest} (CPU s, size, how it opens):")
    for rank, r in enumerate(sorted(readings, key=lambda r: r.seconds, reverse=True)):
        if rank < args.slowest:
            print(f"{r.seconds:8.3f}  {r.outcome:<11} {describe(r.text)}")
            if args.save:
                args.save.mkdir(parents=True, exist_ok=True)
                (args.save / f"slowest-{rank + 1}.txt").write_text(r.text, encoding="utf-8")


if __name__ == "__main__":
    main()
