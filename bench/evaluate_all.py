"""Run every evaluation set in ../shared/eval through the CLI and print a table of the scores.

    .venv/bin/python bench/evaluate_all.py [--shared ../shared] [--only qa|attribution]

Needs ../shared (not shipped with the project); prints why and exits 0 when it is missing.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def runs(shared: Path) -> list[tuple[str, list[str]]]:
    ev = shared / "eval"
    polnear = sorted(str(p) for p in (ev / "polnear-dev" / "articles").glob("*.txt"))
    squad = sorted(str(p) for p in (ev / "squad-sample" / "articles").glob("*.txt"))
    return [
        ("qa who_said", ["qa", str(ev / "polnear-dev" / "who_said.jsonl"), *polnear]),
        ("qa natural", ["qa", str(ev / "polnear-dev" / "natural_questions.jsonl"), *polnear]),
        ("qa squad", ["qa", str(ev / "squad-sample" / "questions.jsonl"), *squad]),
        (
            "attribution",
            [
                "attribution",
                str(ev / "polnear-dev" / "attributions.jsonl"),
                str(ev / "polnear-dev" / "articles"),
            ],
        ),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--only", choices=["qa", "attribution"])
    args = parser.parse_args()
    script = args.shared / "eval" / "evaluate.py"
    if not script.exists():
        print(f"no evaluation sets at {args.shared}; nothing to run")
        return 0
    cmd = str(Path(sys.executable).parent / "saidwho")
    print(f"{'set':<14} {'seconds':>8}  result")
    for name, argv in runs(args.shared):
        if args.only and not name.startswith(args.only):
            continue
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, str(script), *argv, "--cmd", cmd],
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        seconds = time.perf_counter() - start
        lines = (done.stdout or done.stderr).strip().splitlines()
        print(f"{name:<14} {seconds:>8.1f}  {lines[-1] if lines else '(no output)'}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
