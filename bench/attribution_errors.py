"""Attribution misses by category, scored in-process as `evaluate.py attribution` scores them.

    .venv/bin/python bench/attribution_errors.py [SET_DIR] [--show CATEGORY] [--limit N]

SET_DIR defaults to ../shared/eval/polnear-train (beside the project; $SAIDWHO_SHARED names
another shared folder): a folder with attributions.jsonl and articles/. Fit and study on
train; dev is for validation only.

Categories, for gold quotes no extraction matched:
  not-found      no extraction overlaps the gold content at all
  partial        the best extraction shares words but under half the longer one
  taken          the best extraction was already matched to another gold quote
and for extractions no gold matched: `spurious` (nothing overlaps) or `spurious-partial`.
Speaker misses (a matched quote whose named source is not in speaker, mention or role) are
split by the gold source's kind: pronoun-resolved, surname, full name, other.
"""

from __future__ import annotations

import argparse
import json
import os
import re
from collections import Counter
from pathlib import Path

from index.inputs import load_file
from index.reading import read

ROOT = Path(__file__).resolve().parent.parent
# The evaluation sets live beside the project (../shared), or where SAIDWHO_SHARED says.
SHARED = Path(os.environ.get("SAIDWHO_SHARED") or ROOT.parent / "shared")
DEFAULT = SHARED / "eval" / "polnear-train"
_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'", "\u00a0": " "})
PRONOUNS = {"he", "she", "they", "we", "i", "you", "it"}


def norm(text: str | None) -> str:
    return re.sub(r"\s+", " ", (text or "").translate(_QUOTES)).strip().casefold()


def words(text: str | None) -> list[str]:
    return re.findall(r"[\w']+", norm(text))


def overlap(a: list[str], b: list[str]) -> float:
    common = sum((Counter(a) & Counter(b)).values())
    return common / max(len(a), len(b)) if a and b else 0.0


def match(golds: list[list[str]], found: list[list[str]]) -> list[int]:
    """For each gold quote (its words), the extraction it matches, as `evaluate.py attribution`
    matches: the unused one overlapping it most, when that is at least half; else -1."""
    used: set[int] = set()
    out = []
    for gw in golds:
        best, best_i = 0.0, -1
        for i, w in enumerate(found):
            if i not in used and (s := overlap(gw, w)) > best:
                best, best_i = s, i
        if best >= 0.5:
            used.add(best_i)
        out.append(best_i if best >= 0.5 else -1)
    return out


def speaker_matches(gold_source: str, got: dict[str, str | None]) -> bool:
    names = [w for w in re.findall(r"[\w'’-]+", gold_source) if w[:1].isupper()]
    said = norm(" ".join(str(got.get(k) or "") for k in ("speaker", "mention", "role")))
    return bool(names) and norm(names[-1]) in said


def extract(path: Path) -> list[dict[str, str | None]]:
    parsed = read(load_file(path))
    return [
        {**a.model_dump(mode="json"), "passage": p.text}
        for p in parsed.passages
        for a in p.attributions
    ]


def score(set_dir: Path) -> tuple[Counter[str], list[tuple[str, str, dict[str, object]]]]:
    gold: dict[str, list[dict[str, str]]] = {}
    for line in (set_dir / "attributions.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            g = json.loads(line)
            gold.setdefault(g["article"], []).append(g)
    tally: Counter[str] = Counter()
    misses: list[tuple[str, str, dict[str, object]]] = []
    for name, golds in gold.items():
        found = extract(set_dir / "articles" / f"{name}.txt")
        fw = [words(a.get("quote")) for a in found]
        gws = [words(g["content"]) for g in golds]
        chosen = match(gws, fw)
        used = {i for i in chosen if i >= 0}
        tally["found"] += len(found)
        for g, gw, best_i in zip(golds, gws, chosen, strict=True):
            tally["gold"] += 1
            if best_i >= 0:
                tally["matched"] += 1
                if (
                    any(w[:1].isupper() for w in g["source"].split())
                    and g["source"].lower() not in PRONOUNS
                ):
                    tally["speaker_n"] += 1
                    if speaker_matches(g["source"], found[best_i]):
                        tally["speaker"] += 1
                    else:
                        kind = _source_kind(g["source"], found[best_i])
                        tally[f"speaker-miss {kind}"] += 1
                        misses.append((f"speaker-{kind}", name, {"gold": g, "got": found[best_i]}))
                continue
            near = [i for i, w in enumerate(fw) if overlap(gw, w) > 0]
            anywhere = max((overlap(gw, fw[i]) for i in near), default=0.0)
            # taken: what overlaps it enough, or all that overlaps it, went to other gold quotes
            taken = anywhere >= 0.5 or all(i in used for i in near)
            kind = "not-found" if not near else "taken" if taken else "partial"
            tally[f"miss {kind}"] += 1
            nearest = max(near, key=lambda i: overlap(gw, fw[i]), default=-1)
            got = found[nearest] if nearest >= 0 else None
            misses.append((kind, name, {"gold": g, "near": got}))
        for i, a in enumerate(found):
            if i in used:
                continue
            anywhere = max((overlap(words(g["content"]), fw[i]) for g in golds), default=0.0)
            kind = "spurious" if anywhere == 0 else "spurious-partial"
            tally[kind] += 1
            misses.append((kind, name, {"got": a}))
    return tally, misses


def _source_kind(source: str, got: dict[str, str | None]) -> str:
    if not got.get("speaker"):
        return "none"
    if (got.get("mention") or "").lower() in ("he", "she"):
        return "pronoun"
    return "surname" if len(source.split()) == 1 else "name"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("set_dir", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--show", help="print the misses of this category")
    parser.add_argument("--limit", type=int, default=40)
    args = parser.parse_args()
    tally, misses = score(args.set_dir)
    p = tally["matched"] / tally["found"] if tally["found"] else 0.0
    r = tally["matched"] / tally["gold"] if tally["gold"] else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    print(f"precision {p:.3f}  recall {r:.3f}  F1 {f1:.3f}")
    sp = tally["speaker"] / tally["speaker_n"] if tally["speaker_n"] else 0.0
    print(f"speaker {tally['speaker']}/{tally['speaker_n']} ({100 * sp:.1f}%)")
    for key, value in sorted(tally.items()):
        print(f"  {key:<24}{value:>7}")
    if args.show:
        shown = [m for m in misses if m[0] == args.show][: args.limit]
        for _, name, detail in shown:
            print(f"--- {name}")
            print(json.dumps(detail, ensure_ascii=False, indent=1)[:1500])


if __name__ == "__main__":
    main()
