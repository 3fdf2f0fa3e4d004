"""Search terms: lower-cased words without accents, stopwords dropped, Snowball-stemmed
(PyStemmer)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import Stemmer
from lemminflect import getAllLemmas

# Function words carry no topic. Speech verbs are here too: nearly every news paragraph has
# "said", so it would only add noise to "who said ...?" questions.
STOPWORDS = frozenset(
    """a about above after again against all also am an and any are aren't as at be because been
    before being below between both but by can could did didn't do does doesn't doing don't down
    during each few for from further had hadn't has hasn't have haven't having he he'd he'll he's
    her here here's hers herself him himself his how how's i i'd i'll i'm i've if in into is isn't
    it it's its itself just let's me more most mustn't my myself no nor not now of off on once only
    or other ought our ours ourselves out over own same shan't she she'd she'll she's should
    shouldn't so some such than that that's the their theirs them themselves then there there's
    these they they'd they'll they're they've this those through to too under until up upon very
    was wasn't we we'd we'll we're we've were weren't what what's when when's where where's which
    while who who's whom whose why why's will with won't would wouldn't you you'd you'll you're
    you've your yours yourself yourselves s t according
    say says said saying tell tells told""".split()
)

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
_stemmer = Stemmer.Stemmer("english")


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    return str(_stemmer.stemWord(_irregular_verb(word)))


def _irregular_verb(word: str) -> str:
    """The base form of an irregular past form ("began" -> "begin", "wrote" -> "write"), which
    stemming alone leaves apart; only where lemminflect's dictionary knows the word as a verb
    of one base form and nothing else ("left" and "thought" are nouns too, so they stay)."""
    lemmas = getAllLemmas(word)
    if len(lemmas) == 1 and len(verb := lemmas.get("VERB", ())) == 1 and verb[0] != word:
        return str(verb[0])
    return word


# Accents are folded away: people type "Herve" and "Castaneda" for Hervé and Castañeda.
_COMBINING_MARK = re.compile(r"[\u0300-\u036f]")


def without_accents(text: str) -> str:
    """`text` without accents: "Castañeda" is "Castaneda"."""
    return _COMBINING_MARK.sub("", unicodedata.normalize("NFKD", text))


def fold(text: str) -> str:
    """`text` lower-cased, without accents: "Castañeda" is "castaneda"."""
    return without_accents(text).casefold()


def words(text: str) -> list[str]:
    """Lower-cased words without accents, curly apostrophes made straight, possessive "'s"
    removed."""
    return _words_in(fold(text))


def cased_words(text: str) -> list[str]:
    """The words of `text` as `words` has them, but in their own case."""
    return _words_in(without_accents(text))


def _words_in(text: str) -> list[str]:
    if "'" not in text and "’" not in text:
        return list(_WORD.findall(text))  # most text: nothing to straighten or cut
    return [_without_possessive(word) for word in _WORD.findall(text.replace("’", "'"))]


def _without_possessive(word: str) -> str:
    return word[:-2] if word.endswith(_POSSESSIVE) else word


_POSSESSIVE = ("'s", "'S")


def tokenize(text: str) -> list[str]:
    """The terms BM25 indexes and queries with."""
    return terms_of(words(text))


def terms_of(found: list[str]) -> list[str]:
    """`tokenize` for words `words` gave already."""
    return [_stem(w) for w in found if w not in STOPWORDS]


# A name of several capitalised words, maybe joined by "of (the)", "for (the)", "and" or "&":
# "New York University", "Iraq and Afghanistan Veterans of America".
_PROPER_RUN = re.compile(
    r"\b[A-Z][\w'’-]*(?:[ \t]+(?:(?:(?:of|for)(?:[ \t]+the)?|and|&)[ \t]+)?[A-Z][\w'’-]*)+"
)
_LEADING = frozenset("The A An In On At But And So As If When While After Before".split())


def acronyms(text: str) -> list[str]:
    """The initials of the multi-word names in `text`, as terms: "New York University" gives
    "nyu", "Black Lives Matter" "blm", so a question saying NYU finds a passage that spells it
    out. Initials shorter than three letters say too little to be kept."""
    found = []
    for match in _PROPER_RUN.finditer(text):
        words = [w for w in match.group(0).split() if w[:1].isupper()]
        if words and words[0] in _LEADING:
            words = words[1:]
        if len(words) >= 3 or (len(words) == 2 and len(words[0]) > 1):
            initials = "".join(w[0] for w in words).lower()
            if len(initials) >= 3:
                found.append(initials)
    return found
