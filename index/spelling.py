"""Misspelt question words ("purhcased", "srevice") read as the nearest term the articles use.

A word is taken for a typo only when no stored passage has its term and it is no English word
(lemminflect's dictionary knows "drive" and "score", so they are never "corrected" to "drove"
or "scare"). Its term is then replaced by the stored term one edit away (OSA distance:
a transposition counts as one edit) that the most passages have. Shorter words have too many
neighbours one edit away to guess.
"""

from __future__ import annotations

import re
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import NamedTuple, Protocol

from lemminflect import getAllLemmas
from rapidfuzz.distance import OSA

from index.textclean import mixed_script
from index.tokens import STOPWORDS, fold, tokenize, words

MIN_LETTERS = 5
MAX_EDITS = 1


def is_english(word: str) -> bool:
    return bool(getAllLemmas(word))


def reads_as_english(text: str) -> bool:
    """Whether most words of `text` are English ones (names aside, which no dictionary holds):
    "¿Quién dijo que los rusos intervinieron?" is not."""
    found = [w for w in words(text) if w.isalpha()]
    known = sum(is_english(w) or w in STOPWORDS for w in found)
    return len(found) < 3 or known >= len(found) / 2


def load_dictionary() -> None:
    """Load the English dictionary now (a quarter of a second) rather than on the first typo."""
    is_english("dictionary")


class Correction(NamedTuple):
    word: str  # as typed: "srevice"
    term: str  # its search term: "srevic"
    meant: str  # the stored term read instead: "servic"


def surface(term: str, texts: Iterable[str]) -> str | None:
    """A word of `texts` whose search term is `term` ("service" for "servic"), to show the
    user what a misspelt word was read as."""
    for text in texts:
        for match in _WORD.finditer(text):
            if tokenize(match.group(0)) == [term]:
                return match.group(0)
    return None


_WORD = re.compile(r"[^\W_]+")


def respelt_name(name: str, known: list[str]) -> str | None:
    """`name` with each misspelt word replaced by the word of a `known` name one edit away
    ("Mustfa" -> "Mustafa"), the earlier name first; None when no word changes."""
    # A word mixing scripts ("Obаma", its "а" Cyrillic) is a look-alike, never what a typo meant.
    words_known = list(
        dict.fromkeys(w for full in known for w in full.split() if not mixed_script(w))
    )
    folded = [fold(w) for w in words_known]
    out, changed = [], False
    for word in name.split():
        if len(word) >= MIN_LETTERS and fold(word) not in folded and not is_english(word):
            edits = [OSA.distance(fold(word), w, score_cutoff=MAX_EDITS) for w in folded]
            near = next((i for i, e in enumerate(edits) if e <= MAX_EDITS), None)
            if near is not None:
                word, changed = words_known[near], True
        out.append(word)
    return " ".join(out) if changed else None


class Vocabulary(Protocol):
    def vocabulary(self) -> list[str]: ...
    def vocabulary_size(self) -> int: ...
    def document_frequency(self, term: str) -> int: ...


class Speller:
    """Typo corrections against the current index's vocabulary, grouped by first letter (a typo
    rarely hits the first letter) and regrouped when the vocabulary changes."""

    def __init__(self, index: Callable[[], Vocabulary]) -> None:
        self._index = index
        self._by_letter: dict[str, list[str]] = {}
        self._grouped: tuple[int, int] = (0, -1)  # (id of the index, its vocabulary size)
        self._lock = threading.Lock()

    def _frequency(self, term: str) -> int:
        return self._index().document_frequency(term)

    def corrections(self, question: str) -> list[Correction]:
        """The question's words whose terms no passage has, with the stored terms meant."""
        found: dict[str, Correction] = {}
        for typed in _WORD.findall(question):
            folded = words(typed)  # "½" is two words folded, a lone accent none
            word = folded[0] if len(folded) == 1 else ""
            terms = tokenize(word)
            if len(terms) != 1 or len(word) < MIN_LETTERS or not word.isalpha():
                continue
            term = terms[0]
            if term in found or self._frequency(term) or is_english(word):
                continue
            if (near := self._nearest(term)) is not None:
                found[term] = Correction(typed, term, near)
        return list(found.values())

    def _nearest(self, term: str) -> str | None:
        best: tuple[int, int, str] | None = None
        for candidate in self._candidates(term[0]):
            if abs(len(candidate) - len(term)) > MAX_EDITS or mixed_script(candidate):
                continue  # a look-alike ("obаma", Cyrillic "а") is never what a typo meant
            edits = OSA.distance(term, candidate, score_cutoff=MAX_EDITS)
            if edits > MAX_EDITS or not (frequency := self._frequency(candidate)):
                continue
            key = (edits, -frequency, candidate)
            if best is None or key < best:
                best = key
        return best[2] if best else None

    def _candidates(self, letter: str) -> list[str]:
        with self._lock:
            index = self._index()
            now = (id(index), index.vocabulary_size())
            if now != self._grouped:
                grouped: dict[str, list[str]] = defaultdict(list)
                for term in index.vocabulary():
                    if term:
                        grouped[term[0]].append(term)
                self._by_letter, self._grouped = dict(grouped), now
            return self._by_letter.get(letter, [])
