"""Fit which cues the attribution reader keeps: the cue forms whose findings the gold of
polnear-train almost never counts as attributions ("admitted", "boasted", a tweet quoted).

    .venv/bin/python bench/attribution_cues.py [SET_DIR] [--write]

SET_DIR defaults to ../shared/eval/polnear-train (fit on train only; dev is validation). Every
finding is read with no cue dropped and labelled matched or not, as `evaluate.py attribution`
matches; findings are grouped by cue form and by whether they quote. Dropping a group that finds
`m` matched of `n` raises F1 = 2M / (F + G) exactly when m / n < F1 / 2, so a group is dropped
when its smoothed precision is below half the current F1 and it has enough findings to judge.
The least support is chosen by 5-fold cross-validation over articles (seeded), which also gives
the held-out gain. `--write` rewrites index/attribution/fitted_cues.py.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the scorer lives beside this script, in bench/

import index.attribution as attribution  # noqa: E402
from bench.attribution_errors import DEFAULT, extract, match, words  # noqa: E402

TABLE = ROOT / "index" / "attribution" / "fitted_cues.py"
SEED = 0
FOLDS = 5
SUPPORTS = (1, 2, 3, 5, 8, 12, 20)
PRIOR_WEIGHT = 2.0  # pseudo-findings at the overall precision: a small group proves little

Key = tuple[str, bool]
# An article's findings: each one's group and whether it matched gold; and its gold count.
Article = tuple[list[tuple[Key, bool]], int]


def key_of(found: dict[str, str | None]) -> Key | None:
    """The group a finding is judged in. Findings with no cue word (a quotation running on
    into the next paragraph, one signed after a dash) and letters on a letters page are read
    from the layout, not from a cue, and are not judged here."""
    cue, role = found.get("cue"), found.get("role") or ""
    if not cue or (cue == "wrote" and role.startswith(("letter writer", "reader on"))):
        return None
    return (cue, bool(found.get("direct")))


def label(set_dir: Path) -> list[Article]:
    """Every article's findings with no cue dropped, matched greedily as the scorer does."""
    gold: dict[str, list[list[str]]] = {}
    for line in (set_dir / "attributions.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            g = json.loads(line)
            gold.setdefault(g["article"], []).append(words(g["content"]))
    kept = attribution.DROPPED_CUES
    attribution.DROPPED_CUES = frozenset()  # judge every cue, the dropped ones too
    try:
        return [_article(extract(set_dir / "articles" / f"{n}.txt"), gold[n]) for n in sorted(gold)]
    finally:
        attribution.DROPPED_CUES = kept


def _article(found: list[dict[str, str | None]], golds: list[list[str]]) -> Article:
    used = set(match(golds, [words(a.get("quote")) for a in found])) - {-1}
    rows = [(key, i in used) for i, a in enumerate(found) if (key := key_of(a)) is not None]
    unjudged = sum(1 for i, a in enumerate(found) if key_of(a) is None and i in used)
    return rows, len(golds) - unjudged


def totals(articles: Iterable[Article], dropped: frozenset[Key] = frozenset()) -> tuple[int, ...]:
    matched = found = gold = 0
    for rows, g in articles:
        gold += g
        for key, hit in rows:
            if key not in dropped:
                found += 1
                matched += hit
    return matched, found, gold


def f1(matched: int, found: int, gold: int) -> float:
    return 2 * matched / (found + gold) if found + gold else 0.0


def fit(articles: Sequence[Article], support: int) -> frozenset[Key]:
    hits: Counter[Key] = Counter()
    seen: Counter[Key] = Counter()
    for rows, _ in articles:
        for key, hit in rows:
            seen[key] += 1
            hits[key] += hit
    matched, found, gold = totals(articles)
    precision, threshold = matched / found, f1(matched, found, gold) / 2
    return frozenset(
        key
        for key, n in seen.items()
        if n >= support and (hits[key] + PRIOR_WEIGHT * precision) / (n + PRIOR_WEIGHT) < threshold
    )


def cross_validate(articles: Sequence[Article], support: int) -> tuple[float, float]:
    """Held-out F1 over all folds pooled, without and with the groups fitted on the rest."""
    order = list(range(len(articles)))
    random.Random(SEED).shuffle(order)
    base = [0, 0, 0]
    dropped = [0, 0, 0]
    for fold in range(FOLDS):
        held = [articles[i] for n, i in enumerate(order) if n % FOLDS == fold]
        rest = [articles[i] for n, i in enumerate(order) if n % FOLDS != fold]
        table = fit(rest, support)
        for acc, got in ((base, totals(held)), (dropped, totals(held, table))):
            for j in range(3):
                acc[j] += got[j]
    return f1(*base), f1(*dropped)


def write(table: frozenset[Key], support: int) -> None:
    lines = [
        '"""Cue forms whose findings polnear-train\'s gold almost never counts as attributions,',
        "fitted by bench/attribution_cues.py (do not edit: run it with --write). Each entry is",
        f"(cue, quotes directly); least support {support} findings.",
        '"""',
        "",
        "DROPPED_CUES: frozenset[tuple[str, bool]] = frozenset(",
        "    {",
        *(f"        ({json.dumps(cue)}, {direct})," for cue, direct in sorted(table)),
        "    }",
        ")",
        "",
    ]
    TABLE.write_text("\n".join(lines), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("set_dir", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--write", action="store_true", help="rewrite fitted_cues.py")
    args = parser.parse_args()
    articles = label(args.set_dir)
    print(f"all cues kept: F1 {f1(*totals(articles)):.4f} over {len(articles)} articles")
    scores = {s: cross_validate(articles, s) for s in SUPPORTS}
    for s, (before, after) in scores.items():
        print(f"least support {s:>3}: held-out F1 {before:.4f} -> {after:.4f}")
    # On a tie the larger support: the table that judges on more evidence.
    support = max(reversed(SUPPORTS), key=lambda s: scores[s][1] - scores[s][0])
    table = fit(articles, support)
    print(f"chosen {support}; fitted on all: F1 -> {f1(*totals(articles, table)):.4f}")
    for cue, direct in sorted(table):
        print(f"  drop {cue}{' (quoting)' if direct else ''}")
    if args.write:
        write(table, support)
        print(f"wrote {TABLE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
