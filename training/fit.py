"""Fit the ranking and abstention weights (index/ranking_model.json) on training questions.

    .venv/bin/python -m training.fit [--shared ../shared] [--dense] [--folds 5]

Reads the training articles and questions (by default ../shared/eval/polnear-train: its natural
questions and its who_said questions), gathers every question's candidates once
(`Answerer.gather`), and fits, for each kind of question (index/ranking.py `KINDS`), a linear
pairwise ranker: logistic regression on the feature differences of (answering, other)
candidate pairs, so a candidate holding the gold passage scores above one that does not. Each
question weighs the same, and within a kind the natural questions weigh as much as the
machine-made ones together. Abstention is a logistic regression on the question's features
(`QUESTION_FEATURES`) for "some article answers it", and its threshold the one that handles the
most natural questions well (abstaining on one no article answers, the answer in the top 3 and
first for the others).
The speaker a role means (`role_match`) is chosen from a few values by the same
cross-validation.

With the reader in the package (index/reader.py, fitted by training/reader.py) the ranking is
then read: the reader reads each question's `reader_passages` best candidates (`--reader-passages`)
and a second set of coefficients per kind (`reranking`, "reader" among its features) orders them,
abstention refitted on top. Both are fitted only on the questions about the articles the reader
was not trained on (training/reader_split.json, and those no article answers), the table printed
for them is k-fold by article among them beside the same questions without the reader, and the
reader is kept only if it does better there.

Cross-validation is k-fold grouped by article (a question about an article never trains the
model that answers it); the table printed gives the held-out folds' figures, scored as
../shared/eval/evaluate.py scores them (training/scoring.py). Then the weights are fitted on
every question and written, rounded, with a fixed order, so the same data gives the same file.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import math
import pickle
import random
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from index.asking import Gathered, decide, ranked, read, shortlist
from index.library import READING_VERSION, Library
from index.matching import quotes
from index.meaning import installed_embedder
from index.models import Answer
from index.ranking import (
    FEATURES,
    KINDS,
    MODEL_FILE,
    QUESTION_FEATURES,
    Weights,
    features,
    fitted,
    kind_of,
    question_features,
)
from index.reader import Reader, installed_reader, reader_model
from index.terms import TERMS_VERSION
from training.scoring import Case, line, passage_hit, rates, tally

ROOT = Path(__file__).resolve().parent.parent
K = 5  # passages per answer, as `saidwho ask` gives by default
ROLE_MATCHES = (0.1, 0.2)
# Abstention is also fitted on the natural questions asked of small libraries (of these many
# articles, in turn): a newsroom's first articles are a handful, and there the same question
# knows fewer words and finds fewer passages near it than in 700 articles.
SMALL_SIZES = (1, 2, 3, 5)
SMALL = "small"  # the source of the questions asked of a small library
SEED = 0
C = 1.0  # the regularisation scikit-learn uses by default
DIGITS = 6  # coefficients are rounded to this many decimals in the model file
_NAMED = FEATURES.index("named")
# Abstention is fitted on how much of the question the articles hold (in words, in meaning, to
# the reader), not on what kind of question it is or how long (index/ranking.py
# `QUESTION_FEATURES` has no such feature): the training questions that no article answers are
# short everyday ones ("how do i reset my router"), and a model that learnt that from them set
# aside short factual questions the articles do answer.


@dataclass
class Item:
    """A training question, its candidates gathered, their labels and features."""

    case: Case
    gathered: Gathered | Answer
    group: str
    labels: list[bool] = field(default_factory=list)
    x: np.ndarray | None = None  # features with the speaker named (or none)
    role_named: np.ndarray | None = None  # the "named" column for the speaker meant by role


def load_cases(path: Path, source: str, limit: int | None = None) -> list[Case]:
    cases = []
    for text in path.read_text(encoding="utf-8").splitlines():
        if text.strip():
            doc = json.loads(text)
            cases.append(
                Case(
                    q=doc["q"],
                    passage=doc.get("passage"),
                    paragraph=doc.get("paragraph"),
                    answer=doc.get("answer"),
                    speaker=doc.get("speaker"),
                    article=doc.get("article"),
                    source=source,
                )
            )
    return cases[:limit] if limit else cases


async def gather(library: Library, cases: Sequence[Case]) -> list[Item]:
    items = []
    for case in cases:
        gathered = await library.answerer.gather(case.q, K)
        # A question no article answers is grouped by its words, so asked of two libraries
        # it is held out of both folds or of neither.
        items.append(Item(case, gathered, case.article or f"{UNANSWERABLE}{case.q}"))
    return items


def small_libraries(cases: Sequence[Case]) -> list[tuple[list[str], list[Case]]]:
    """The natural questions' articles dealt into small libraries (`SMALL_SIZES` articles in
    turn, in a fixed shuffle): each with the questions about its articles and a share of
    those no article answers."""
    natural = [c for c in cases if c.source == "natural"]
    stems = sorted({c.article for c in natural if c.answerable and c.article})
    random.Random(SEED).shuffle(stems)
    libraries: list[list[str]] = []
    while len(stems) > sum(map(len, libraries)):
        start = sum(map(len, libraries))
        libraries.append(stems[start : start + SMALL_SIZES[len(libraries) % len(SMALL_SIZES)]])
    # Each question no article answers is asked of one small library, in turn.
    unanswerable = [c for c in natural if not c.answerable]
    out = []
    for i, chosen in enumerate(libraries):
        about = [c for c in natural if c.answerable and c.article in chosen]
        asked = about + unanswerable[i :: len(libraries)]
        out.append((chosen, [replace(c, source=SMALL) for c in asked]))
    return out


async def gather_small(articles: list[Path], cases: Sequence[Case], dense: bool) -> list[Item]:
    by_stem = {path.stem: path for path in articles}
    embedder = installed_embedder() if dense else None
    items = []
    for stems, asked in small_libraries(cases):
        with tempfile.TemporaryDirectory() as tmp:
            library = await Library.open(Path(tmp) / "small.db", embedder)
            async with library:
                for stem in stems:
                    await library.add_file(by_stem[stem])
                items += await gather(library, asked)
    return items


def prepare(items: list[Item]) -> None:
    """Each item's labels, group and features (again, for candidates kept from a run before)."""
    for item in items:
        case, gathered, group = item.case, item.gathered, item.group
        if isinstance(gathered, Gathered):
            item.labels = [passage_hit(case, r.passage.text) for _, r in gathered.found]
            hits = [r for (_, r), hit in zip(gathered.found, item.labels, strict=True) if hit]
            if case.article is None and hits:
                group = Path(hits[0].article.source).stem  # the article the gold passage is in
            item.group = group
            context = replace(gathered.context(_LOWEST), speaker=gathered.named)
            item.x = np.array(features(gathered.query, gathered.found, context), dtype=float)
            if gathered.by_role and not gathered.named:
                speaker = gathered.by_role[0]
                item.role_named = np.array(
                    [float(quotes(r.passage, speaker)) for _, r in gathered.found]
                )


_LOWEST = Weights(ranking={}, role_match=math.inf)  # no speaker meant by role
_BASE = Weights(ranking={})
WHO_SAID_READ = 400  # who_said questions read for the reranking fit (of those the reader never saw)
UNANSWERABLE = "unanswerable:"  # the group of a question no article answers, before its words


def _matrix(item: Item, role_match: float) -> np.ndarray:
    assert item.x is not None
    g = item.gathered
    assert isinstance(g, Gathered)
    if item.role_named is not None and g.by_role and g.by_role[1] >= role_match:
        x = item.x.copy()
        x[:, _NAMED] = item.role_named
        return x
    return item.x


def fit_ranking(items: Iterable[Item], role_match: float) -> dict[str, dict[str, float]]:
    """Per kind, the coefficients of a pairwise logistic regression over (answering, other)
    candidate pairs; each question weighs the same, natural and machine-made alike in sum."""
    pairs: dict[str, list[tuple[np.ndarray, float, str]]] = defaultdict(list)
    for item in items:
        g = item.gathered
        if not isinstance(g, Gathered) or not any(item.labels) or all(item.labels):
            continue
        if item.case.source == SMALL:
            continue  # the same questions as the natural ones, ranked among fewer passages
        x = _matrix(item, role_match)
        good = x[np.array(item.labels)]
        bad = x[~np.array(item.labels)]
        diffs = (good[:, None, :] - bad[None, :, :]).reshape(-1, x.shape[1])
        pairs[kind_of(g.query)].append((diffs, 1.0 / len(diffs), item.case.source))
    out: dict[str, dict[str, float]] = {}
    for kind in KINDS:
        found = pairs.get(kind, [])
        if not found:
            out[kind] = {"passage": 1.0}
            continue
        per_source = Counter(source for _, _, source in found)
        most = max(per_source.values())
        xs, weights = [], []
        for diffs, weight, source in found:
            share = most / per_source[source]  # each source weighs as much as the largest
            xs += [diffs, -diffs]
            weights += [np.full(len(diffs), weight * share)] * 2
        x = np.vstack(xs)
        y = np.concatenate([np.r_[np.ones(len(d)), np.zeros(len(d))] for d, *_ in found])
        model = LogisticRegression(C=C, fit_intercept=False, max_iter=2000)
        model.fit(x, y, sample_weight=np.concatenate(weights))
        out[kind] = {
            name: round(float(c), DIGITS)
            for name, c in zip(FEATURES, model.coef_[0], strict=True)
            if round(float(c), DIGITS) != 0.0
        }
    return out


def _question_rows(items: Iterable[Item], weights: Weights) -> list[tuple[Item, list[float]]]:
    rows = []
    for item in items:
        g = item.gathered
        if not isinstance(g, Gathered):
            continue
        best, _ = ranked(g, K, weights)
        context = g.context(weights)
        rows.append((item, question_features(g.query, best, g.found, g.evidence, context, weights)))
    return rows


def fit_abstention(items: list[Item], weights: Weights) -> Weights:
    """The abstention model and its threshold, for ranking by `weights`."""
    natural = [i for i in items if i.case.source in ("natural", SMALL)]
    rows = _question_rows(natural, weights)
    x = np.array([r for _, r in rows])
    # Whether some article answers: a question about what the articles cover is answered even
    # when its best passage is not the answer (the next ones often are), one about anything
    # else is not. (Labelled "the first passage answers", cross-validation set aside many more
    # answerable questions: natural abstain 75% with passage@3 55%, against 89% and 56%.)
    y = np.array([item.case.answerable for item, _ in rows])
    if len(set(y.tolist())) < 2:
        return replace(weights, abstention={}, intercept=10.0, threshold=0.5)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=C, max_iter=2000)
    model.fit((x - mean) / scale, y)
    coef = model.coef_[0] / scale
    intercept = float(model.intercept_[0] - (model.coef_[0] * mean / scale).sum())
    fitted = replace(
        weights,
        abstention={  # a feature the model zeroes is left out, as in the ranking
            n: round(float(c), DIGITS)
            for n, c in zip(QUESTION_FEATURES, coef, strict=True)
            if round(float(c), DIGITS) != 0.0
        },
        intercept=round(intercept, DIGITS),
        threshold=0.0,
    )
    return replace(fitted, threshold=_best_threshold(items, fitted))


def _best_threshold(items: list[Item], weights: Weights) -> float:
    """The threshold that handles the most natural questions well, each counting once as they
    come: one no article answers is handled by abstaining, one an article answers by answering
    (half for the answer in the top 3, half for it first). Counted so, an abstention is worth
    what one answer is; weighing the abstain rate like the passage@ rates instead (a tenth of
    the questions being unanswerable) set aside a fifth of the answerable ones."""
    scored = []  # (probability, answerable, hit@1, hit@3)
    for item in items:
        g = item.gathered
        if not isinstance(g, Gathered) or item.case.source not in ("natural", SMALL):
            continue
        best, chance = ranked(g, K, weights)
        hits = [passage_hit(item.case, r.passage.text) for r in best[:3]]
        scored.append((chance, item.case.answerable, any(hits[:1]), any(hits)))
    best_t, best_value = 0.0, -1.0
    for t in sorted({0.0, *(round(c, 4) for c, *_ in scored)}):
        value = sum(
            (chance >= t) * (hit1 + hit3) / 2 if answerable else float(chance < t)
            for chance, answerable, hit1, hit3 in scored
        )
        if value > best_value + 1e-12:
            best_t, best_value = t, value
    return best_t


def fit(items: list[Item], role_match: float, version: str, base: Weights = _BASE) -> Weights:
    """The ranking without the reader, and abstention for it; `base`: the knobs the
    candidates were gathered with."""
    ranking = fit_ranking(items, role_match)
    weights = replace(base, ranking=ranking, reranking={}, role_match=role_match, version=version)
    return fit_abstention(items, weights)


# -- the reader ----------------------------------------------------------------------------


def reading_view(item: Item, weights: Weights) -> Item:
    """`item` as the reranking sees it: only the candidates the reader read that are the
    shortlist by `weights` (index/asking.py `ranked`), their features with its logits."""
    g = item.gathered
    assert isinstance(g, Gathered) and g.readings is not None
    chosen = set(shortlist(g, weights, weights.reader_passages)) & set(g.readings)
    found = [(pid, r) for pid, r in g.found if pid in chosen]
    view = Item(item.case, replace(g, found=found), item.group)
    view.labels = [passage_hit(item.case, r.passage.text) for _, r in found]
    context = replace(g.context(_LOWEST), speaker=g.named)
    view.x = np.array(features(g.query, found, context), dtype=float).reshape(-1, len(FEATURES))
    if g.by_role and not g.named:
        view.role_named = np.array([float(quotes(r.passage, g.by_role[0])) for _, r in found])
    return view


def fit_reading(items: list[Item], first: Weights, version: str) -> Weights:
    """`first` (the ranking without the reader) with the reranking of what the reader read
    and abstention refitted for both, on `items` (read: questions the reader never saw)."""
    views = [reading_view(i, first) for i in items if isinstance(i.gathered, Gathered)]
    reranking = fit_ranking(views, first.role_match)
    weights = replace(first, reranking=reranking, version=version)
    return fit_abstention(items, weights)


def read_items(items: list[Item], weights: Weights, reader: Reader, kept: Path | None) -> None:
    """The reader's logits for each item's shortlist by `weights` (kept in `kept`, by the
    reader's model file and the shortlist, and reused)."""
    model = hashlib.sha256(reader_model().read_bytes()).hexdigest()
    key = f"{model}; {weights.to_json()}; {len(items)}"
    if kept and kept.exists():
        doc = pickle.loads(kept.read_bytes())  # our own
        if doc[0] == key:
            for item, readings in zip(items, doc[1], strict=True):
                if isinstance(item.gathered, Gathered):
                    item.gathered = replace(item.gathered, readings=readings)
            return
    started = time.monotonic()
    for n, item in enumerate(items, 1):
        if isinstance(item.gathered, Gathered):
            item.gathered = read(item.gathered, weights, reader)
        if n % 200 == 0:
            print(f"read {n}/{len(items)}, {time.monotonic() - started:.0f} s", flush=True)
    if kept:
        readings = [
            i.gathered.readings if isinstance(i.gathered, Gathered) else None for i in items
        ]
        kept.write_bytes(pickle.dumps((key, readings)))


def cross_validate_reading(
    unseen: list[Item], folds: int, first: Weights
) -> tuple[dict[str, Counter[str]], dict[str, Counter[str]]]:
    """Over the questions the reader never saw (`unseen`), k-fold by article: each source's
    figures with the reranking and abstention fitted on the other folds, and with `first`
    alone (the ranking without the reader, fitted on every question: both lines share it)."""
    groups = [i.group for i in unseen]
    with_reader: dict[str, Counter[str]] = defaultdict(Counter)
    without: dict[str, Counter[str]] = defaultdict(Counter)
    splitter = GroupKFold(n_splits=min(folds, len(set(groups))))
    for train, held in splitter.split(np.zeros(len(unseen)), groups=groups):
        weights = fit_reading([unseen[i] for i in train], first, "cv")
        held_items = [unseen[i] for i in held]
        for source in sorted({i.case.source for i in held_items}):
            mine = [i for i in held_items if i.case.source == source]
            cases = [i.case for i in mine]
            with_reader[source] += tally(cases, answers(mine, weights))
            without[source] += tally(cases, answers(mine, first))
    return with_reader, without


def answers(items: Iterable[Item], weights: Weights) -> list[Answer]:
    return [
        decide(item.gathered, K, weights) if isinstance(item.gathered, Gathered) else item.gathered
        for item in items
    ]


def cross_validate(items: list[Item], folds: int, role_match: float) -> dict[str, Counter[str]]:
    """Each source's figures over the held-out folds."""
    groups = [item.group for item in items]
    out: dict[str, Counter[str]] = defaultdict(Counter)
    splitter = GroupKFold(n_splits=min(folds, len(set(groups))))
    for train, held in splitter.split(np.zeros(len(items)), groups=groups):
        weights = fit([items[i] for i in train], role_match, "cross-validation")
        held_items = [items[i] for i in held]
        for source in sorted({i.case.source for i in held_items}):
            mine = [i for i in held_items if i.case.source == source]
            out[source] += tally([i.case for i in mine], answers(mine, weights))
    return out


def _objective(results: dict[str, Counter[str]]) -> float:
    natural = rates(results.get("natural", Counter()))
    who = rates(results.get("who_said", Counter()))
    return natural["p1"] + natural["p3"] + natural["abstain"] + natural["speaker"] + who["p1"]


async def build_library(articles: list[Path], db: Path, dense: bool) -> Library:
    embedder = installed_embedder() if dense else None
    library = await Library.open(db, embedder)
    for path in articles:
        await library.add_file(path)
    return library


def write_model(weights: Weights, variant: str, path: Path) -> None:
    doc = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    doc[variant] = json.loads(weights.to_json())
    path.write_text(json.dumps(doc, indent=1, sort_keys=True) + "\n", encoding="utf-8")


async def run(args: argparse.Namespace) -> int:
    articles = sorted(Path(args.articles).glob("*.txt"))
    cases = [
        *load_cases(Path(args.natural), "natural", args.limit),
        *(load_cases(Path(args.who_said), "who_said", args.limit) if args.who_said else []),
    ]
    variant = "meaning" if args.dense else "words"
    cache = Path(args.cache) if args.cache else None
    # What the cached candidates depend on: a file gathered by another reading of the articles,
    # other terms, another variant or other questions is gathered again, not reused.
    # The knobs the library gathers with (the shipped model's), and how many passages the
    # reader reads, which is chosen here (reading comes after gathering: the readings' own
    # cache is keyed by it).
    base = fitted(variant)
    base = replace(base, reader_passages=args.reader_passages or base.reader_passages)
    gathering = {k: v for k, v in base.knobs().items() if k != "reader_passages"}
    key = (
        f"{READING_VERSION}; terms {TERMS_VERSION}; {variant}; "
        f"{len(articles)} articles; {len(cases)} questions; small {args.small_libraries}; "
        f"knobs {json.dumps(gathering, sort_keys=True)}"
    )
    kept = pickle.loads(cache.read_bytes()) if cache and cache.exists() else None  # our own
    if isinstance(kept, tuple) and kept[0] == key:
        items = kept[1]
    else:
        if kept is not None:
            print(f"{cache} was gathered otherwise; gathering again", file=sys.stderr)
        with tempfile.TemporaryDirectory() as tmp:
            library = await build_library(articles, Path(tmp) / "fit.db", args.dense)
            if args.dense and library.embedder is None:
                print("--dense: the dense extra is not installed", file=sys.stderr)
                return 2
            async with library:
                items = await gather(library, cases)
        if args.small_libraries:
            items += await gather_small(articles, cases, args.dense)
        if cache:
            cache.write_bytes(pickle.dumps((key, items)))
    if args.gather_only:
        print(f"{len(items)} questions' candidates in {cache}")
        return 0
    prepare(items)
    print(f"{len(articles)} articles, {len(items)} questions; variant {variant}")
    print(f"{'role_match':>10}  held-out folds ({args.folds}-fold by article)")
    scores = {}
    for role_match in args.role_matches if args.cross_validate else ():
        results = cross_validate(items, args.folds, role_match)
        scores[role_match] = _objective(results)
        for source, t in sorted(results.items()):
            print(f"{role_match:>10}  {source:<9} {line(t)}", flush=True)
    chosen = max(args.role_matches, key=lambda r: (scores.get(r, 0.0), -r))
    weights = fit(items, chosen, f"{variant}, fitted on {len(items)} questions", base)
    if args.reader:
        weights = _with_reader(items, weights, args, base)
    write_model(weights, variant, Path(args.out))
    print(f"role_match {chosen}; written to {args.out} ({variant})")
    return 0


def _with_reader(
    items: list[Item], first: Weights, args: argparse.Namespace, base: Weights
) -> Weights:
    """The reranking and abstention fitted on the questions about the articles the reader was
    not trained on (`--reader-split`), after the held-out folds' figures among them."""
    reader = installed_reader()
    if reader is None:
        print(f"no reader model in the package ({reader_model()}): fitted without", flush=True)
        return first
    split = set(json.loads(Path(args.reader_split).read_text(encoding="utf-8")))
    held_out = set(split)
    # The questions no article answers too: the reader never trains on them (none has an
    # answering passage), and abstention is fitted on them.
    held_out |= {i.group for i in items if i.group.startswith(UNANSWERABLE)}
    unseen = [i for i in items if i.group in held_out and i.case.source != "who_said"]
    # Some of the machine-made ones, enough to weigh who-questions: reading costs a few
    # milliseconds a passage, and they are many and easy.
    who = [i for i in items if i.group in held_out and i.case.source == "who_said"]
    unseen += random.Random(SEED).sample(who, min(len(who), WHO_SAID_READ))
    if not any(i.case.answerable for i in unseen):
        print("no question about the articles the reader never saw: fitted without it")
        return first
    readings = Path(args.cache + ".readings") if args.cache else None
    read_items(unseen, first, reader, readings)
    with_reader, without = cross_validate_reading(unseen, args.folds, first)
    print(f"{len(unseen)} questions the reader never saw ({len(split)} articles, none):")
    for source in sorted(with_reader):
        print(f"  without the reader  {source:<9} {line(without[source])}")
        print(f"  with the reader     {source:<9} {line(with_reader[source])}", flush=True)
    if _objective(with_reader) <= _objective(without):
        print("the reader does not help on the questions it never saw: fitted without it")
        return first
    return fit_reading(unseen, first, f"{first.version}; reranked on {len(unseen)} read")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    train = ROOT.parent / "shared" / "eval" / "polnear-train"
    p.add_argument("--articles", default=str(train / "articles"))
    p.add_argument("--natural", default=str(train / "natural_questions.jsonl"))
    p.add_argument("--who-said", default=str(train / "who_said.jsonl"))
    p.add_argument("--out", default=str(ROOT / "index" / MODEL_FILE))
    p.add_argument("--folds", type=int, default=5)
    p.add_argument("--dense", action="store_true", help="fit the weights for the dense extra")
    p.add_argument("--limit", type=int, help="only the first N questions of each set")
    p.add_argument("--cache", help="keep the gathered candidates in this file, and reuse them")
    p.add_argument("--role-matches", type=float, nargs="+", default=list(ROLE_MATCHES))
    p.add_argument(
        "--reader-split",
        default=str(ROOT / "training" / "reader_split.json"),
        help="the articles the reader was not trained on (training/reader.py writes it)",
    )
    p.add_argument(
        "--reader-passages",
        type=int,
        help="how many of the best passages the reader reads (default: the shipped model's)",
    )
    p.add_argument(
        "--no-cross-validation",
        dest="cross_validate",
        action="store_false",
        help="skip the k-fold over every question (the first --role-matches is taken)",
    )
    p.add_argument(
        "--gather-only",
        action="store_true",
        help="gather the candidates into --cache, fit nothing (training/reader.py reads them)",
    )
    p.add_argument("--no-reader", dest="reader", action="store_false", help="fit the ranking alone")
    p.add_argument(
        "--no-small-libraries",
        dest="small_libraries",
        action="store_false",
        help="fit abstention on the whole library's questions only",
    )
    return p


def main(argv: Sequence[str] | None = None) -> int:
    return asyncio.run(run(parser().parse_args(argv)))


if __name__ == "__main__":
    sys.exit(main())
