"""How an answer is scored: the rules of ../shared/eval/evaluate.py (`qa`), for answers made in
process, so fitting and cross-validation score exactly as the evaluation does."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from index.models import Answer, ScoredPassage

_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'", "\u00a0": " "})


def norm(text: str | None) -> str:
    return re.sub(r"\s+", " ", (text or "").translate(_QUOTES)).strip().casefold()


def _words(text: str | None) -> list[str]:
    return re.findall(r"[\w']+", norm(text))


@dataclass(frozen=True)
class Case:
    """One question of a set: the gold passage snippet (or SQuAD paragraph and answer), the
    gold speaker, and the article it is about (None when no article answers it)."""

    q: str
    passage: str | None = None
    paragraph: str | None = None
    answer: str | None = None
    speaker: str | None = None
    article: str | None = None
    source: str = ""  # which set it comes from

    @property
    def answerable(self) -> bool:
        return self.passage is not None or self.paragraph is not None


def passage_hit(case: Case, text: str) -> bool:
    got_text = norm(text)
    if case.passage:
        return norm(case.passage) in got_text
    if case.paragraph:
        got, inside = _words(got_text), set(_words(case.paragraph))
        answer = norm(case.answer)
        return (
            bool(got)
            and sum(w in inside for w in got) >= 0.6 * len(got)
            and (not answer or answer in got_text)
        )
    return False


def speaker_hit(case: Case, answer: Answer) -> bool:
    said = norm(answer.speaker)
    if not said or not case.speaker:
        return False
    gold = norm(case.speaker)
    if gold in said:
        return True
    top: ScoredPassage | None = answer.results[0] if answer.results else None
    attributions = top.attributions or top.passage.attributions if top else []
    return any(
        norm(a.speaker) == said and gold in norm(f"{a.mention or ''} {a.role or ''}")
        for a in attributions
    )


def tally(cases: list[Case], answers: list[Answer]) -> Counter[str]:
    """The counts `evaluate.py qa` prints: p1, p3 and n; speaker and speaker_n; abstain and
    abstain_n."""
    out: Counter[str] = Counter()
    for case, answer in zip(cases, answers, strict=True):
        results = answer.results
        if not case.answerable:
            out["abstain_n"] += 1
            out["abstain"] += not results
            continue
        out["n"] += 1
        out["p1"] += bool(results) and passage_hit(case, results[0].passage.text)
        out["p3"] += any(passage_hit(case, r.passage.text) for r in results[:3])
        if case.speaker:
            out["speaker_n"] += 1
            out["speaker"] += speaker_hit(case, answer)
    return out


def rates(t: Counter[str]) -> dict[str, float]:
    def rate(hit: str, n: str) -> float:
        return t[hit] / t[n] if t[n] else 0.0

    return {
        "p1": rate("p1", "n"),
        "p3": rate("p3", "n"),
        "speaker": rate("speaker", "speaker_n"),
        "abstain": rate("abstain", "abstain_n"),
    }


def line(t: Counter[str]) -> str:
    def pct(hit: str, n: str) -> str:
        return f"{t[hit]}/{t[n]} ({100.0 * t[hit] / t[n]:.1f}%)" if t[n] else "0/0"

    return (
        f"passage@1 {pct('p1', 'n')}, passage@3 {pct('p3', 'n')}, "
        f"speaker {pct('speaker', 'speaker_n')}, abstain {pct('abstain', 'abstain_n')}"
    )
