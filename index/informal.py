"""Informal words and names people type in questions, and the words news articles use for
them: a reader asks about "vets", "two hundred bucks" and "the Windy City", the article says
"veterans", "$200 or less" and "Chicago"."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from index.tokens import cased_words, tokenize, words

# Reference: WordNet 3.0 (Princeton; Debian's wordnet-base), every entry checked by
# bench/word_tables.py: the informal word is a lemma of the formal word's synset ("buck" beside
# "dollar", "hoops" beside "basketball", "GOP" beside "Republican Party", "ER" beside "emergency
# room"), or of a synset whose hypernym or gloss is the formal word ("mom": informal terms for a
# mother; "cop": a policeman, police officer). Words WordNet does not list, or lists for another
# meaning ("AG" is silver, "ex" an ex-wife), are not here, nor are proper names it lacks (WaPo).
FORMAL = {
    "biz": "business",
    "brits": "british",
    "bucks": "dollars",
    "ceo": "chief executive",
    "cop": "police",
    "cops": "police",
    "da": "district attorney",
    "dad": "father",
    "dads": "fathers",
    "er": "emergency room",
    "exec": "executive",
    "execs": "executives",
    "feds": "federal",
    "folks": "people",
    "gop": "republican",
    "grads": "graduates",
    "hoops": "basketball",
    "hubby": "husband",
    "icu": "intensive care",
    "kid": "child",
    "kids": "children",
    "mom": "mother",
    "moms": "mothers",
    "nuke": "nuclear",
    "nukes": "nuclear weapons",
    "pic": "photo",
    "pics": "photos",
    "pols": "politicians",
    "prof": "professor",
    "pricey": "expensive",
    "teen": "teenager",
    "teens": "teenagers",
    "vets": "veterans",
    "vp": "vice president",  # WordNet's "V.P.", without the periods
}

# What people call places and groups that news names plainly. Reference: WordNet 3.0 as above,
# each nickname a lemma or the gloss of the place's synset; bench/word_tables.py checks them.
NICKNAMES = {
    # cities and places: WordNet lists each nickname with its city ("Chicago, Windy City";
    # "Twin Cities: nickname for Saint Paul and Minneapolis"; "Capitol Hill ... where Congress
    # meets"; "Foggy Bottom" a part of the State Department)
    "beantown": "boston",
    "capitol hill": "congress",
    "foggy bottom": "state department",
    "motor city": "detroit",
    "twin cities": "minneapolis",
    "windy city": "chicago",
    # states: every nickname WordNet lists in a state's synset ("Ohio, Buckeye State, OH"), but
    # Arkansas's "Land of Opportunity", which questions say of America
    "aloha state": "hawaii",
    "badger state": "wisconsin",
    "battle born state": "nevada",
    "bay state": "massachusetts",
    "beaver state": "oregon",
    "beehive state": "utah",
    "bluegrass state": "kentucky",
    "buckeye state": "ohio",
    "camellia state": "alabama",
    "centennial state": "colorado",
    "coyote state": "south dakota",
    "empire state": "new york",
    "empire state of the south": "georgia",
    "equality state": "wyoming",
    "everglade state": "florida",
    "evergreen state": "washington",
    "garden state": "new jersey",
    "gem state": "idaho",
    "golden state": "california",
    "grand canyon state": "arizona",
    "granite state": "new hampshire",
    "great lakes state": "michigan",
    "green mountain state": "vermont",
    "hawkeye state": "iowa",
    "heart of dixie": "alabama",
    "hoosier state": "indiana",
    "keystone state": "pennsylvania",
    "land of enchantment": "new mexico",
    "land of lincoln": "illinois",
    "last frontier": "alaska",
    "little rhody": "rhode island",
    "lone star state": "texas",
    "magnolia state": "mississippi",
    "mormon state": "utah",
    "mount rushmore state": "south dakota",
    "mountain state": "west virginia",
    "ocean state": "rhode island",
    "old colony": "massachusetts",
    "old dominion": "virginia",
    "old dominion state": "virginia",
    "old north state": "north carolina",
    "palmetto state": "south carolina",
    "peace garden state": "north dakota",
    "peach state": "georgia",
    "pelican state": "louisiana",
    "pine tree state": "maine",
    "prairie state": "illinois",
    "sagebrush state": "nevada",
    "show me state": "missouri",
    "silver state": "nevada",
    "sooner state": "oklahoma",
    "sunflower state": "kansas",
    "sunshine state": "florida",
    "tar heel state": "north carolina",
    "treasure state": "montana",
    "volunteer state": "tennessee",
    "wolverine state": "michigan",
    # people: "Dubya" is a lemma of George W. Bush's synset
    "dubya": "george w. bush",
    # countries by their capital or seat of government: WordNet's capitals ("Tehran, capital of
    # Iran"; Moscow is part of Russia; the Kremlin "housing the offices of the Russian
    # government"; Kyiv is its Kiev, "capital of the Ukraine", spelt as news spells it now)
    "beijing": "china",
    "kiev": "ukraine",
    "kremlin": "russia",
    "kyiv": "ukraine",
    "moscow": "russia",
    "pyongyang": "north korea",
    "tehran": "iran",
    # groups: WordNet's "Hispanic, Latino" synset, and "Black" similar to "African-American"
    "black": "african american",
    "blacks": "african americans",
    "hispanic": "latino",
    "hispanics": "latinos",
    "latino": "hispanic",
    "latinos": "hispanics",
}


@dataclass(frozen=True)
class Alternative:
    """Another way to say what the question says: its terms, and the terms articles use."""

    informal: tuple[str, ...]
    formal: tuple[str, ...]


@lru_cache(maxsize=1)
def _table() -> tuple[dict[tuple[str, ...], str], int]:
    """The informal words and names by their words, and the longest's length."""
    table = {tuple(words(key)): formal for key, formal in (FORMAL | NICKNAMES).items()}
    return table, max(map(len, table))


def alternatives(text: str) -> list[Alternative]:
    """The informal words and names in `text`, longest first where they overlap, and the
    formal words for each."""
    table, longest = _table()
    cased = cased_words(text)
    said = [w.casefold() for w in cased]
    found: list[Alternative] = []
    i = 0
    while i < len(said):
        for n in range(min(longest, len(said) - i), 0, -1):
            formal = table.get(tuple(said[i : i + n]))
            if formal is not None and not _in_longer_name(cased, i, n):
                informal = tuple(tokenize(" ".join(said[i : i + n])))
                found.append(Alternative(informal, tuple(tokenize(formal))))
                i += n
                break
        else:
            i += 1
    return found


def formal_terms(alternatives: Iterable[Alternative], have: list[str]) -> list[str]:
    """The terms of the formal words for the informal ones, leaving out those in `have` (the
    question's own terms). They are searched for beside the informal word, not instead of it:
    a quotation may use the informal word itself."""
    found: list[str] = []
    for alternative in alternatives:
        for term in alternative.formal:
            if term not in have and term not in found:
                found.append(term)
    return found


def _in_longer_name(cased: list[str], start: int, n: int) -> bool:
    """Whether the words at `start` begin a longer capitalised name: "Black Caucus", "Moscow
    Times" name something else than "Black voters" and "Moscow" do. An acronym ("GOP Senate")
    stands for itself."""
    first, after = cased[start], cased[start + n] if start + n < len(cased) else ""
    return first[:1].isupper() and not first.isupper() and after[:1].isupper()
