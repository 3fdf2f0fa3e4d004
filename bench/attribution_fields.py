"""Field quality of attributions over a folder of articles: how many speakers are places, dates
or phrases opening with a verb or preposition, how many roles run over 15 words or hold a
dateline, the internal quotation mask, a clause or a cut abbreviation.

    .venv/bin/python bench/attribution_fields.py [FOLDER] [--show N]

FOLDER defaults to ../shared/eval/polnear-train/articles (beside the project, or
$SAIDWHO_SHARED/eval/polnear-train/articles). Every count should be 0.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from pathlib import Path

from index.attribution.fields import problems
from index.inputs import load_file
from index.reading import read

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("SAIDWHO_SHARED") or ROOT.parent / "shared")
DEFAULT = SHARED / "eval" / "polnear-train" / "articles"
KINDS = [
    "speaker: place",
    "speaker: date",
    "speaker: verb or preposition",
    "speaker: mask",
    "speaker: dateline",
    "role: long",
    "role: dateline",
    "role: mask",
    "role: clause",
    "role: cut abbreviation",
    "mention: mask",
    "mention: dateline",
    "addressee: mask",
    "addressee: dateline",
    "cue: mask",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--show", type=int, default=0, help="print up to N examples of each")
    args = parser.parse_args()
    files = sorted(args.folder.glob("*.txt"))
    if not files:
        sys.exit(f"no .txt articles in {args.folder}")
    counts: Counter[str] = Counter()
    examples: dict[str, list[str]] = {}
    total = 0
    for path in files:
        for passage in read(load_file(path)).passages:
            for a in passage.attributions:
                total += 1
                for problem in problems(a):
                    counts[problem] += 1
                    field = problem.split(":")[0]
                    examples.setdefault(problem, []).append(f"{path.stem}: {getattr(a, field)!r}")
    print(f"folder: {args.folder}")
    print(f"{'articles':<32}{len(files):>7}")
    print(f"{'attributions':<32}{total:>7}")
    for kind in KINDS + sorted(set(counts) - set(KINDS)):
        print(f"{kind:<32}{counts[kind]:>7}")
    for kind, shown in examples.items():
        for line in shown[: args.show]:
            print(f"  {kind}: {line}")


if __name__ == "__main__":
    main()
