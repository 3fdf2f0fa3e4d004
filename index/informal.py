"""Informal words people type in questions, and the words news articles use for them: a reader
asks about "vets" and "two hundred bucks", the article says "veterans" and "$200 or less"."""

from __future__ import annotations

from index.tokens import tokenize, words

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
    "dems": "democrats",
    "econ": "economy",
    "ex": "former",
    "exec": "executive",
    "execs": "executives",
    "fave": "favorite",
    "feds": "federal",
    "folks": "people",
    "gop": "republican",
    "grads": "graduates",
    "hoops": "basketball",
    "hubby": "husband",
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
    "wapo": "washington post",
    "wsj": "wall street journal",
}


def formal_terms(text: str, have: list[str]) -> list[str]:
    """The search terms of the formal words for the informal ones in `text`, leaving out those
    in `have` (the question's own terms). They are searched for beside the informal word, not
    instead of it: a quotation may use the informal word itself."""
    found: list[str] = []
    for word in words(text):
        for term in tokenize(FORMAL.get(word, "")):
            if term not in have and term not in found:
                found.append(term)
    return found
