"""Which speaker a question means, and which attribution of a passage answers it.

A question names its speaker outright ("what did Mustafa say …", index/question.py) or by role
("what did the Seton Hall professor expect …"), matched here against the speakers quoted in
the passages found. Each result is then answered with one attribution, chosen once here and
carried to every adapter.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from functools import lru_cache

from index.attribution.names import split_name
from index.models import Attribution, Passage, ScoredPassage
from index.places import place_words
from index.question import Query
from index.tokens import tokenize


def share(asked: AbstractSet[str], have: AbstractSet[str], idf: dict[str, float]) -> float:
    """The share of the asked terms' weight (idf) that `have` holds."""
    total = sum(idf.get(t, 0.0) for t in asked)
    return sum(idf.get(t, 0.0) for t in asked & have) / total if total > 0 else 0.0


def speaker_share(query: Query, attribution: Attribution, idf: dict[str, float]) -> float:
    """The share of the question's weight that a speaker's name and role hold ("the Seton Hall
    professor" in Jo-Renee Formicola, a professor at Seton Hall), role synonyms counted."""
    asked = set(query.terms)
    who = _speaker_terms(attribution.speaker or "", attribution.role or "")
    return share(asked, _with_synonyms(set(who), asked), idf)


@lru_cache(maxsize=16384)
def _speaker_terms(speaker: str, role: str) -> frozenset[str]:
    return frozenset(tokenize(f"{speaker} {role} {place_words(role)}"))


def speaker_by_role(
    query: Query, found: list[ScoredPassage], idf: dict[str, float]
) -> tuple[str, float] | None:
    """The speaker a question after someone's words means by a role ("what did the Seton Hall
    professor expect …"): of those quoted in the `found` passages, the one whose name and role
    hold the most of the question's weight, with that share, when no other person holds as
    much."""
    if not query.asks_words:
        return None
    held: dict[str, float] = {}
    for result in found:
        for a in result.passage.attributions:
            if a.speaker and a.speaker not in held:
                held[a.speaker] = speaker_share(query, a, idf)
    # Among equals a person beats a nominal source: "Homeland Security Secretary" Jeh Johnson,
    # not "a Homeland Security Department official".
    ranked = sorted(held.items(), key=lambda item: (-item[1], not is_person(item[0])))
    if not ranked or ranked[0][1] <= 0:
        return None
    if len(ranked) > 1 and ranked[1][1] >= ranked[0][1] and is_person(ranked[1][0]):
        return None
    return ranked[0]


# How news and the people asking about it name the same role differently ("the Manhattan
# judge" is a Supreme Court Justice). Phrases of one group are one role: a speaker whose role
# holds one phrase in full holds the others the question uses. Each group is one WordNet 3.0
# links (a synonym or the same synset; bench/word_tables.py --roles checks them).
ROLE_SYNONYMS = [
    ["judge", "justice"],
    ["doctor", "physician"],
    ["spokesman", "spokeswoman", "spokesperson"],
    ["adviser", "advisor", "consultant"],
    ["congressman", "congresswoman", "representative"],
    ["chairman", "chairwoman", "chair"],
    ["mother", "mom"],
    ["father", "dad"],
]


@lru_cache(maxsize=1)
def _role_groups() -> list[list[set[str]]]:
    return [[set(tokenize(phrase)) for phrase in group] for group in ROLE_SYNONYMS]


def _with_synonyms(terms: set[str], asked: set[str]) -> set[str]:
    """`terms` and the words of each role phrase the question holds in full that is
    synonymous with a phrase `terms` hold in full ("top cop" for "police chief")."""
    out = set(terms)
    for group in _role_groups():
        if any(phrase <= terms for phrase in group):
            out.update(*(phrase for phrase in group if phrase <= asked))
    return out


def is_person(speaker: str) -> bool:
    return split_name(speaker) is not None


def quotes(passage: Passage, speaker: str) -> bool:
    return any(a.speaker == speaker for a in passage.attributions)


def _overlap(
    query: Query, attribution: Attribution, others: list[Attribution]
) -> tuple[bool, int, int]:
    """Whether the question names the speaker (unless it asks who spoke: "did trump admit …"
    is Trump's answer, not the reporter's question beside it), then how many question terms are
    quoted, then how many name the speaker (name or role).
    Content that reports another attribution's words ('“…,” O’Malley said, according to the
    Las Vegas Sun') holds that speaker's name as who said them, not as what was said: "did
    O'Malley question …" means O'Malley, not the paper. A question asking who said words
    that hold the name quotes the reporting itself."""
    who = set(tokenize(f"{attribution.speaker or ''} {attribution.role or ''}"))
    quoted = set(tokenize(attribution.quote))
    asked = set(query.terms)
    if query.asks_who:  # "who said '… O'Malley said …'?": its words are the quote's
        return False, sum(t in quoted for t in asked), sum(t in who for t in asked)
    for other in others:
        if other is not attribution and other.quote and other.quote in attribution.quote:
            quoted -= set(tokenize(f"{other.speaker or ''} {other.mention or ''}"))
    named = bool(asked & set(tokenize(attribution.speaker or "")))
    return named, sum(t in quoted for t in asked), sum(t in who for t in asked)


def answering_attribution(
    query: Query, passage: Passage, meant: str | None = None
) -> Attribution | None:
    """The attribution of `passage` a result is answered with: the speaker the question means
    (by name or role) when the passage quotes them, else the quote the question shares most
    words with, and among equals the speaker it names ("what did Warren say …")."""
    if not passage.attributions:
        return None
    theirs = [a for a in passage.attributions if meant and a.speaker == meant]
    every = passage.attributions
    return max(theirs or every, key=lambda a: _overlap(query, a, every))
