"""What a reader may see in an attribution's fields, and what never: the internal quotation
mask, a dateline, a clause or a 15-word run as a role, a cut abbreviation ("Sen" for "Sen."),
a place, a date or a verb or preposition phrase as a speaker.

`problems` names what is wrong with an attribution (the property test and the field bench use
it); `clean_role` is what `attribute` passes every role through, and `speaker_problem` what
it checks every speaker with.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import takewhile

import pycountry
import us

from index.attribution.names import HONORIFICS
from index.models import Attribution
from index.places import ap_abbreviations
from index.sentences import ABBREVIATIONS

MAX_ROLE_WORDS = 15

# quotes.mask keeps a quotation's first letter and hides the rest as x's: "qxxxx".
_MASK = re.compile(r"\b[^\Wx]x{2,}\b")
# "WASHINGTON -- President …", "NEW YORK (Reuters) - …": a wire dateline before the text.
_DATELINE = re.compile(
    r"(?:^|\s)[A-Z][A-Z.'’]+(?:[ ,]+[A-Z][A-Z.'’]+)*,?\s*"
    # a state or country after the place: "LA CROSSE, Wisc. —", "CLEVELAND, Ohio —"
    r"(?:[A-Z][a-z]+\.?(?:\s+[A-Z][a-z]*\.?)?,?\s+(?=--|—|–))?"
    # wire copy: "PARIS, Aug 31 (Reuters) - France's …"
    r"(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}\s*)?(?:\([^)]*\)\s*(?:--|—|–|-)|--|—|–)"
)
# Honorifics and titles a role may end on cut before their full stop: "Massachusetts Sen".
_ABBREVIATED = frozenset(h for h in HONORIFICS if len(h) <= 4) | {"gen", "lt", "gov", "sen"}
_MONTHS = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
_DAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
_DATE_WORDS = _MONTHS | _DAYS | {"today", "yesterday", "tomorrow", "tonight"}
PREPOSITIONS = frozenset(
    """about above across after against along amid among around as at before behind below
    beneath beside besides between beyond by despite during except for from in inside into
    like near of off on onto out outside over past per since through throughout till to
    toward towards under underneath unlike until unto upon via with within without""".split()
)
# A lower-case word a phrase that is no speaker opens with: "contradicting Tulsa police's".
_VERB_FORM = re.compile(r"[a-z]+(?:ing|ed)$")
_NOT_VERBS = frozenset("red bed need seed speed feed breed shed king thing ring string".split())
# A role that is a clause, not a noun phrase: "he was once part of …", "was the best candidate
# but …", "though he added …". A relative clause inside a noun phrase ("a delegate who traveled
# from Illinois") still describes the person and stays.
_CLAUSE = re.compile(
    r"^(?i:is|are|was|were|has|have|had|will|would|though|although|but|because|and|or|if|"
    r"when|while|so|whom|whose)\b|\b(?:[Hh]e|[Ss]he|[Tt]hey|[Ww]e|I)\s+(?:is|was|were|are|has|had|have|"
    r"will|would|said|says|added|told|plans?|wants?|thinks?|believes?)\b"
)

# The verbs that report speech and mean nothing else (of index.speech.CUE_VERBS, which also
# holds "claims", "charges", "posted"). A role holding one ran on into the sentence ("former
# Trump aide, said when"), and is cut before it.
SPEECH_VERBS = frozenset(
    "said says told tells added adds noted wrote explained argued continued stated".split()
)
# A role ends on a noun: "author of" was cut in the middle of its phrase. (Not every
# preposition: "out", "before", "past" end phrasal verbs and adverbs.)
_DANGLING = frozenset("of the a an to and or nor in for with at by from on".split())
# A role ending on one of these was cut at the start of a clause ("released data Monday that").
_SUBORDINATORS = frozenset(
    "that when while if because though although who whom whose which where whether".split()
)


@lru_cache(maxsize=1)
def _places() -> frozenset[str]:
    """US states, their capitals and the largest US cities a news story datelines from: a
    speaker that is exactly one of these names a place, not a person or a group. Countries are
    left alone: "Russia said …" is a government speaking."""
    names = {s.name.lower() for s in [*us.states.STATES_AND_TERRITORIES, us.states.DC]}
    names |= {s.capital.lower() for s in us.states.STATES if s.capital}
    return frozenset(names)


@lru_cache(maxsize=1)
def _british_places() -> frozenset[str]:
    """The United Kingdom's counties, cities and council areas (ISO 3166-2:GB, as pycountry
    has them: "Sheffield", "Oxfordshire", "Bristol, City of" as "Bristol"), for British copy.
    Only a speaker that is exactly one of these is a place: they are no part of `is_place`,
    which would keep "Bolton" or "Kent" from being read as a person's surname."""
    names = set()
    for division in pycountry.subdivisions:
        if division.country_code != "GB":
            continue
        name = re.sub(r"\s*\[.*?\]|,\s*City of$|\s+City$", "", division.name).strip()
        names.add(name.lower())
    return frozenset(names)


def has_mask(text: str | None) -> bool:
    return bool(text) and bool(_MASK.search(text or ""))


def has_dateline(text: str | None) -> bool:
    return bool(text) and bool(_DATELINE.search(text or ""))


def is_date(phrase: str) -> bool:
    words = [w.strip(",.").lower() for w in phrase.split()]
    return bool(words) and all(
        w in _DATE_WORDS or w.isdigit() or w in ("the", "of", "last", "next", "this", "on")
        for w in words
    )


# What a capitalised run names when it ends in one of these: "Pacific Ocean", "Midway Atoll".
_GEOGRAPHY = frozenset(
    """ocean sea river lake bay gulf atoll island islands mountain mountains valley canyon
    coast desert peninsula strait channel county province""".split()
)


_REGIONS = frozenset(
    "pacific atlantic europe asia africa america americas mediterranean arctic caribbean "
    "midwest".split()
)
_COMPASS = frozenset(
    "western eastern northern southern central north south east west northeast northwest "
    "southeast southwest".split()
)


def is_place(phrase: str) -> bool:
    """A US state or capital, by name or as news abbreviates it ("Wyo.", "N.H."), or a
    geographic name ("Pacific Ocean")."""
    bare = phrase.strip(" ,.")
    words = bare.split()
    if len(words) > 1 and words[-1].lower() in _GEOGRAPHY and words[0][:1].isupper():
        return True
    if len(words) > 1 and words[0].lower() in _COMPASS:
        rest = " ".join(words[1:])
        if rest.lower() in _REGIONS or is_place(rest):
            return True  # "Western Pacific", "Northern Virginia", "South Florida": a region
    return bare.lower() in _places() or phrase.strip() in ap_abbreviations()


_AUXILIARIES = frozenset(
    "cannot can could will would shall should may might must has had have is was are were "
    "does did do".split()
)


# English adverbs by their endings ("separ-ate-ly", "fin-al-ly", "hast-ily"), which first names
# and surnames in -ly ("Kelly", "Emily", "Beverly", "Reilly", "Sally") do not share. No
# dictionary: loading one costs seconds at every start.
_ADVERB = re.compile(
    r"[a-z]{2,}(?:al|ate|ive|ent|ant|ous|ful|less|ible|able|ort|ard|ast|ic|ed|ing|ear|ect|"
    r"ime|ight|ong|ure|ete|ise|ose|ute|ar|ow|ain|ere|ict|ick|ound|irst|ost|eat|uch|ank|est|"
    r"ious|ual|ain|ate|ick|ee)ly|[a-z]{3,}ily|only|early|likely|mostly|partly|newly|simply|"
    r"surely|largely|nearly|frankly|publicly|[a-z]{3,}bly"
)


def is_adverb(word: str) -> bool:
    """ "Separately", "Early", "Shortly": an adverb by its ending, not a name such as "Kelly",
    "Emily" or "Beverly"."""
    return bool(_ADVERB.fullmatch(word.strip(",.").lower()))


def opens_with_verb_or_preposition(phrase: str) -> bool:
    """A phrase that is no speaker by its first word: "contradicting Tulsa police's", "on
    Saturday", or a sentence's opening word taken for a name ("Shortly", "Amid", "Comey
    cannot"). A capitalised -ing word alone may be a surname ("Manning")."""
    words = phrase.split()
    first = words[0] if words else ""
    if first.lower() in PREPOSITIONS and (not first[:1].isupper() or len(words) == 1):
        return True
    if len(words) > 1 and words[-1] in _AUXILIARIES:
        return True
    if len(words) == 1 and first[:1].isupper():
        bare = first.strip(".,")
        if is_adverb(bare):
            return True  # "Shortly after the vote, …" opened the sentence
    return bool(_VERB_FORM.fullmatch(first)) and first not in _NOT_VERBS


def speaker_problem(speaker: str, role: str | None = None) -> str | None:
    """Why `speaker` is no person, organisation or group, or None when it may be one. A
    one-word place given a role is a person named like it ("Jackson, the superdelegate from
    Maine"; "Madison", "Lincoln" and "Austin" are surnames too)."""
    if has_mask(speaker):
        return "mask"
    if has_dateline(speaker):
        return "dateline"
    british = speaker.strip(" ,.").lower() in _british_places()
    if (is_place(speaker) or british) and not (role and len(speaker.split()) == 1):
        return "place"
    if is_date(speaker):
        return "date"
    if is_number(speaker):
        return "number"
    if opens_with_verb_or_preposition(speaker) or _is_participle(speaker):
        return "verb or preposition"
    if speaker.strip(" ,.").lower() in _COMPASS:
        return "place"  # "North", "South-east": a region cut from its name
    return None


_NUMBER = re.compile(r"[\d.,]+\s*(?:%|per\s*cent|percent)?")


def is_number(phrase: str) -> bool:
    """ "70%", "1,200", "15 per cent": a count, not who said it."""
    return bool(_NUMBER.fullmatch(phrase.strip()))


def _is_participle(speaker: str) -> bool:
    """A sentence's opening participle alone ("Addressing the conference, …"): an -ing form
    of an English verb. A surname in -ing ("Manning") comes with a first name or a title in
    the article, and the speaker is then the full name."""
    words = speaker.split()
    if len(words) != 1 or not words[0].endswith("ing") or not words[0][:1].isupper():
        return False
    return verb_form(words[0].lower())


@lru_cache(maxsize=4096)
def verb_form(word: str) -> bool:
    """Whether `word` is an inflected form of an English verb (lemminflect's dictionary)."""
    from lemminflect import getAllLemmas  # loaded on first use: the dictionary takes a moment

    return any(lemma != word for lemma in getAllLemmas(word).get("VERB", ()))


_INITIALS = re.compile(r"(?:[A-Z]\.)*[A-Z]")


def is_abbreviation(word: str) -> bool:
    """Whether news writes `word` (with or without its full stop) with a full stop that ends
    no sentence: "Sen.", "Ft.", "Ala.", "U.S.", an initial."""
    bare = word.rstrip(".")
    head, dash, rest = bare.partition("-")
    if dash and rest and (head in ("R", "D", "I") or is_abbreviation(head)):
        return is_abbreviation(rest)  # "R-Ky.", "D-N.Y.", "A.F.L.-C.I.O."
    return (
        bare.lower() in _ABBREVIATED
        or bare.lower() in ABBREVIATIONS
        or f"{bare}." in ap_abbreviations()
        or bool(_INITIALS.fullmatch(bare))
    )


def _is_cut_abbreviation(word: str) -> bool:
    """ "Sen", "Ft", "Ala": an abbreviation whose full stop was cut off (an initial alone may
    be a grade or a plan's name)."""
    return not word.endswith(".") and len(word) > 1 and is_abbreviation(word)


# A finite verb makes a clause ("media would call him a "chicken"", "close friends and
# allies have in the past"), unless a relative pronoun before it opens one on a noun
# ("Navy veteran who now is a civilian employee", "consultant whose firm was retained").
_FINITE = re.compile(
    r"\b(?:would|will|were|was|is|are|has|have|had|could|should|can|did|does)\s+\w+"
)
_RELATIVE_PRONOUN = re.compile(r"\b(?:who|whom|whose|which|that)\b", re.I)


def _finite_verb(role: str) -> bool:
    finite = _FINITE.search(role)
    return finite is not None and not _RELATIVE_PRONOUN.search(role, 0, finite.start())


def role_problem(role: str) -> str | None:
    """Why `role` is no noun phrase a reader can take as someone's role, or None."""
    if has_mask(role):
        return "mask"
    if has_dateline(role):
        return "dateline"
    words = role.split()
    if len(words) > MAX_ROLE_WORDS:
        return "long"
    if words and _is_cut_abbreviation(words[-1]):
        return "cut abbreviation"
    if (
        _CLAUSE.search(role)
        or _finite_verb(role)
        or (
            words
            and (
                words[-1].lower() in _SUBORDINATORS | _DANGLING
                or any(w.lower().strip(",") in SPEECH_VERBS for w in words)
            )
        )
    ):
        return "clause"
    return None


def problems(attribution: Attribution) -> list[str]:
    """What is wrong with the fields a reader sees: ["role: dateline", …]; [] when clean."""
    found = []
    if attribution.speaker and (why := speaker_problem(attribution.speaker, attribution.role)):
        found.append(f"speaker: {why}")
    if attribution.role and (why := role_problem(attribution.role)):
        found.append(f"role: {why}")
    if attribution.addressee and is_place(attribution.addressee):
        found.append("addressee: place")
    for name in ("mention", "addressee", "cue"):
        value = getattr(attribution, name)
        if has_mask(value):
            found.append(f"{name}: mask")
        elif has_dateline(value):
            found.append(f"{name}: dateline")
    return found


# Where a long role may be cut and still be a noun phrase: before a relative clause, a
# semicolon or dash, or a second noun phrase ("… and a former director of …").
_BOUNDARY = re.compile(
    r",?\s+(?:who|whom|whose|which|where)\b|;|\s+--?\s+|\s+[—–]\s*|,?\s+and\s+(?=(?:a|an|the|now|one|also|currently|later)\b)"
)
_NAMED_IN = re.compile(r"\b[A-Z][a-z]+\s+[A-Z][a-z]+\b")
_PLACE_LINKS = frozenset("at in for with".split())
_SENTENCE_BREAK = re.compile(r"([\w.]+)\.\s+(?=[A-Z])")
_SUBJECT_PRONOUN = frozenset("he she they we i it".split())


def _first_sentence(role: str) -> str:
    """ "Democrat of Delaware. He predicted …" is "Democrat of Delaware"; "Sen." and "W." go on."""
    for match in _SENTENCE_BREAK.finditer(role):
        word = match.group(1)
        # "in Ft. Worth", "of Huntsville, Ala. He …", "NATO. He …" go on
        if not is_abbreviation(word) and not re.fullmatch(r"(?:[A-Z]\.?)+", word):
            return role[: match.end(1)]
    return role


def dateline_end(text: str, start: int) -> int:
    """Where the text after a dateline opening `text` at `start` begins, else `start`."""
    match = _DATELINE.match(text, start)
    return match.end() if match else start


def _after_dateline(text: str) -> str:
    """What follows the last dateline in `text`: "WASHINGTON -- President" -> "President"."""
    ends = [m.end() for m in _DATELINE.finditer(text)]
    return text[ends[-1] :] if ends else text


def clean_role(role: str | None) -> str | None:
    """A role a reader can take, or None: "WASHINGTON -- President" is "President",
    "Massachusetts Sen" is "Massachusetts Sen.", "pollster who is president of X" is
    "pollster"; a clause, a masked quotation or an age alone is dropped."""
    if not role:
        return None
    role = _after_dateline(role)
    role = _first_sentence(role.strip())
    words = role.strip(" ,;:").split()
    if len(words) > MAX_ROLE_WORDS:
        cuts = [m.start() for m in _BOUNDARY.finditer(role)]
        # The words before a cut only grow from one cut to the next: the first too long ends
        # the search (each cut split from the start took n² steps on a role of pages).
        text = role  # a str here, for the count below
        fitting = list(takewhile(lambda c: len(text[:c].split()) <= MAX_ROLE_WORDS, cuts))
        if fitting or cuts:
            role = role[: max(fitting) if fitting else cuts[0]]
            words = role.strip(" ,;:").split()
    if len(words) > MAX_ROLE_WORDS and "," in role:
        words = role[: role.index(",")].split()
    if len(words) > MAX_ROLE_WORDS:
        # "co-director of the Liberty and National Security Program at New York University's
        # Brennan Center for Justice": the head and what it is of, before a place it is at
        cuts = [
            i
            for i, w in enumerate(words)
            if w in _PLACE_LINKS
            and 2 <= i <= MAX_ROLE_WORDS
            and not (w == "for" and words[i - 1][:1].isupper())  # "Brennan Center for Justice"
        ]
        if cuts:
            words = words[: max(cuts)]
    if len(words) > MAX_ROLE_WORDS:
        # "assistant to the president and director of the White House's Office of Political
        # Strategy and Outreach": the first of two roles
        ands = [i for i, w in enumerate(words) if w == "and" and 2 <= i <= MAX_ROLE_WORDS]
        if ands and not _NAMED_IN.search(" ".join(words[: ands[0]])):
            words = words[: ands[0]]  # (a list of people read as a role is left to fail)
    speech = next((i for i, w in enumerate(words) if w.lower().strip(",") in SPEECH_VERBS), None)
    if speech is not None:
        words = words[:speech]  # "former Fed governor who argued with …" is a former governor
    trailing = _DANGLING if speech is None else _DANGLING | _SUBORDINATORS
    while words and words[-1].lower().strip(",") in trailing:
        words = words[:-1]
    if words and _is_cut_abbreviation(words[-1]):
        words[-1] += "."
    role = " ".join(words).strip(" ,;:")
    if (
        not role
        or role.replace(",", "").isdigit()
        or (words[0].lower() in _SUBJECT_PRONOUN and not words[0].isupper())  # "IT professional"
        or role_problem(role)
    ):
        return None
    return role
