"""Informal words and names people type in questions, and the words news articles use for
them: a reader asks about "vets", "two hundred bucks" and "the Windy City", the article says
"veterans", "$200 or less" and "Chicago"."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from index.tokens import cased_words, tokenize, words

# Only words whose everyday meaning in a question about the news is clear: "doc" may be a
# document and "gov" a government, so they are not here. Proper names people shorten
# ("WaPo") are here too, since a passage never spells them so.
FORMAL = {
    "ag": "attorney general",
    "admin": "administration",
    "biz": "business",
    "brits": "british",
    "bucks": "dollars",
    "ceo": "chief executive",
    "cop": "police",
    "cops": "police",
    "da": "district attorney",
    "dad": "father",
    "dads": "fathers",
    "dem": "democrat",
    "dept": "department",
    "dems": "democrats",
    "econ": "economy",
    "er": "emergency room",
    "ex": "former",
    "exec": "executive",
    "execs": "executives",
    "fave": "favorite",
    "feds": "federal",
    "folks": "people",
    "gop": "republican",
    "govt": "government",
    "grads": "graduates",
    "hoops": "basketball",
    "hubby": "husband",
    "icu": "intensive care",
    "intel": "intelligence",
    "kid": "child",
    "kids": "children",
    "libs": "liberals",
    "meds": "medication",
    "mom": "mother",
    "moms": "mothers",
    "nuke": "nuclear",
    "nukes": "nuclear weapons",
    "nyc": "new york city",
    "nyt": "new york times",
    "pic": "photo",
    "pics": "photos",
    "pols": "politicians",
    "potus": "president",
    "prof": "professor",
    "prez": "president",
    "pricey": "expensive",
    "repubs": "republicans",
    "scotus": "supreme court",
    "stats": "statistics",
    "teen": "teenager",
    "teens": "teenagers",
    "vax": "vaccine",
    "veep": "vice president",
    "vets": "veterans",
    "vp": "vice president",
    "wapo": "washington post",
    "wsj": "wall street journal",
}

# What people call places, people and groups that news names plainly: nicknames ("the Windy
# City", "the Gipper"), presidents by their number, a capital or a seat of government for its
# country ("Moscow", "the Kremlin"), and other names for the same people ("Black", "Latino").
NICKNAMES = {
    # cities and places
    "beantown": "boston",
    "beltway": "washington",
    "big apple": "new york",
    "big easy": "new orleans",
    "capitol hill": "congress",
    "city of angels": "los angeles",
    "foggy bottom": "state department",
    "motor city": "detroit",
    "philly": "philadelphia",
    "sin city": "las vegas",
    "twin cities": "minneapolis",
    "vegas": "las vegas",
    "windy city": "chicago",
    # states
    "badger state": "wisconsin",
    "bay state": "massachusetts",
    "bluegrass state": "kentucky",
    "buckeye state": "ohio",
    "empire state": "new york",
    "garden state": "new jersey",
    "golden state": "california",
    "granite state": "new hampshire",
    "hawkeye state": "iowa",
    "hoosier state": "indiana",
    "keystone state": "pennsylvania",
    "land of lincoln": "illinois",
    "lone star state": "texas",
    "old dominion": "virginia",
    "palmetto state": "south carolina",
    "peach state": "georgia",
    "show me state": "missouri",
    "silver state": "nevada",
    "sunshine state": "florida",
    "tar heel state": "north carolina",
    "volunteer state": "tennessee",
    # presidents
    "40th president": "ronald reagan",
    "41st president": "george h. w. bush",
    "42nd president": "bill clinton",
    "43rd president": "george w. bush",
    "44th president": "barack obama",
    "45th president": "donald trump",
    "46th president": "joe biden",
    "dubya": "george w. bush",
    "gipper": "ronald reagan",
    # countries by their capital or seat of government
    "beijing": "china",
    "kiev": "ukraine",
    "kremlin": "russia",
    "kyiv": "ukraine",
    "moscow": "russia",
    "pyongyang": "north korea",
    "tehran": "iran",
    # groups
    "black": "african american",
    "blacks": "african americans",
    "daesh": "islamic state",
    "hispanic": "latino",
    "hispanics": "latinos",
    "isil": "islamic state",
    "isis": "islamic state",
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
