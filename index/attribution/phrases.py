"""What kind of phrase a stretch of words is: a noun phrase that can speak, an appositive that
describes the name before it, a role, a clause. Word lists, no model.
"""

from __future__ import annotations

import re

from index.attribution.fields import (
    PREPOSITIONS,
    SPEECH_VERBS,
    is_abbreviation,
    is_adverb,
    is_place,
)
from index.attribution.names import is_capitalised, is_title, split_name

PRONOUNS = frozenset("he she they i we".split())

CONNECTIVES = frozenset(
    """but and so yet still now then also meanwhile however instead later earlier indeed
    moreover again thus plus or while separately elsewhere similarly likewise finally even
    only perhaps neither either nor""".split()
)

DETERMINERS = frozenset("a an the his her its their our my one two three several some".split())

CLAUSE_WORDS = frozenset(
    """is are was were will would can could should may might must do does did has have had
    that which because if when although though whether where there this it am been not
    isn't wasn't doesn't don't didn't won't can't what how why""".split()
)

_APPOSITIVE_OPENERS = frozenset(
    """a an the his her its their our my who whose which now then formerly also both one
    himself herself once still speaking writing appearing as""".split()
)

STOP_AFTER_NAME = frozenset(
    """in on at during after before while when as to from about that who which because
    with""".split()
)

QUANTIFIERS = frozenset("all many some most several few both other others another each".split())

OBJECT_PRONOUNS = frozenset("me him us them you it".split())

_BOUNDARY_WORDS = frozenset(
    """where when that which because as while after before since if although though and but
    so whom""".split()
)

SENTENCE_ADVERBS = frozenset(
    """overall however meanwhile still instead indeed moreover separately additionally
    ultimately finally later earlier today yesterday now yet also similarly likewise
    nonetheless nevertheless afterward afterwards previously currently recently again otherwise
    regardless specifically notably importantly initially eventually originally
    traditionally typically generally historically privately publicly personally
    politically meanwhile then thus therefore hence besides furthermore""".split()
)

# "who heads the Center …", "who served as ambassador …": a relative clause that is a role.
_ROLE_CLAUSE = re.compile(
    r"who\s+(?:is|was|serves|served|heads|headed|runs|ran|leads|led|chairs|chaired|directs|"
    r"directed|represents|represented|studies|works|worked|helmed|oversees|oversaw|founded|"
    r"co-founded|teaches|taught|manages|managed|covers|covered|advises|advised|sits|sat)\b",
    re.I,
)

PARTIES = frozenset("democrat republican independent libertarian".split())

_PLACE_OPENERS = (["of"], ["from"], ["in"], ["near"])

_PROPER_JOINERS = frozenset("of and the for & de".split())

_PARTY_TAG = re.compile(r"^\(?[RDI]-[A-Z]")

_SPEECH_TAIL = re.compile(rf"\s+(?:{'|'.join(SPEECH_VERBS)})\s*[.,]?\s*$")

NOT_A_SOURCE = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday january february march april
    may june july august september october november december today yesterday tonight""".split()
)

# Words that only say when someone held a title.
_TIME_MODIFIERS = frozenset("former then late current future onetime longtime".split())
# Titles that open with an -ing word, unlike a participle phrase ("managing director",
# "acting secretary", "ranking member"; AP's titles).
_TITLE_PARTICIPLES = frozenset(
    """managing acting ranking founding leading presiding visiting consulting contributing
    commanding outgoing incoming sitting reigning supervising governing""".split()
)
# Punctuation a title never holds (a possessive's apostrophe it may: "Kasich’s chief strategist").
_MARK = re.compile(r"[,\"“”()]|^['‘’]|''|^[-—–]+$")
_NOT_IN_TITLE = CLAUSE_WORDS | frozenset(
    "or nor like unlike after before since until as once".split()
)

FUNCTION_WORDS = DETERMINERS | CLAUSE_WORDS | CONNECTIVES | STOP_AFTER_NAME


_FINITE_OPENERS = frozenset("is are was were will would can could has have had did does".split())


def is_appositive(text: str) -> bool:
    """Whether a comma-separated segment after a name describes it ("the head of X")."""
    words = text.split()
    if not words:
        return False
    first = words[0].strip("(")
    if first.lower() in _FINITE_OPENERS:
        return False  # "…, was also headed to Cairo,": a predicate, the subject's clause goes on
    if first.lower() in _APPOSITIVE_OPENERS or _PARTY_TAG.match(words[0]) or first[:1].isdigit():
        return True
    if first[:1].islower():
        return True
    second = words[1].lower() if len(words) > 1 else ""
    if (is_title(first) or first.lower() in PARTIES) and second in ("of", "for", "at", "from"):
        return True
    # "President Obama's first budget director", "Clinton's Colorado state director",
    # "CrowdTangle chief executive": whose role it is, then the role.
    return _possessive_role(words) or _named_role(words)


def _possessive_role(words: list[str]) -> bool:
    owner = next((i for i, w in enumerate(words[:2]) if w.endswith(("'s", "’s"))), None)
    return owner is not None and any(w[:1].islower() for w in words[owner + 1 :])


def _is_appositive_at(texts: list[str], k: int) -> bool:
    if is_appositive(texts[k]):
        return True
    # "…, of Ashton, Md.,": a place name goes on with a location appositive.
    words = texts[k].split()
    previous = texts[k - 1].split()[:1] if k > 0 else []
    return len(words) <= 2 and all(is_capitalised(w) for w in words) and previous in _PLACE_OPENERS


def head_index(texts: list[str]) -> int:
    """Of the comma segments before a cue, the one naming the speaker; those after it are
    appositives ("Jamil al-Saleh | the head of Jaish al Izza rebel group | told")."""
    last = len(texts) - 1
    if last > 0 and _PARTICIPLE_ASIDE.match(texts[last].strip()):
        # "Two officials, speaking on condition of anonymity, said": an aside on how they
        # spoke is never the subject; the phrase before it is.
        return head_index(texts[:last])
    if (
        last >= 2
        and (texts[last - 1].split() or [""])[0].lower() in ("the", "a", "an")  # "" if blank
        and is_appositive(texts[last - 1].strip())
        and not is_clause(texts[last - 1].split())
        and not is_place(texts[last - 2].strip())
        and name_like(texts[last].strip())
        and texts[last].strip()[:1].isupper()
        and (person := split_name(_without_connectives(texts[last - 2]))) is not None
        and len(person.name.split()) >= 2
    ):
        # "Giovanni Maria Vian, the editor in chief of the Vatican's newspaper, L'Osservatore
        # Romano, said": the name after the description names what it is of; the person
        # before it speaks.
        return head_index(texts[: last - 1])
    # "Dean Johnson, a salesman from Sumter, South Carolina, said": the state closes the
    # appositive; a place never speaks.
    in_place = last > 0 and is_place(texts[last])
    if not in_place and (
        texts[last].strip().lower() in PRONOUNS or not _is_appositive_at(texts, last)
    ):
        return last
    for j in range(last - 1, max(-1, last - 6), -1):
        if is_place(texts[j]) or _PARTY_TAG.match(texts[j].strip()):
            # a state inside the appositive goes on with it: "from Jackson, Miss.,"; so does a
            # party tag: "Sen. Marco Rubio, R-Fla., appearing on Fox News, said"
            continue
        segment = _without_connectives(texts[j])
        if name_like(segment) or _names_joined(segment) or _described_by_relative(texts, j):
            return _before_relative(texts, j)
        if not _is_appositive_at(texts, j):
            break
    return last - 1 if in_place else last


_RELATIVE_OPENER = re.compile(r"(?:who|whose|which)\s", re.I)


def _before_relative(texts: list[str], j: int) -> int:
    """ "Mr. Slinker | whose latest start-up | Paradata | uses big data …": a name inside a
    relative clause is not the subject; the name before the clause is."""
    for k in range(j - 1, 0, -1):
        if _RELATIVE_OPENER.match(texts[k].strip()):
            before = _without_connectives(texts[k - 1])
            return k - 1 if name_like(before) else j
    return j


# "…, speaking on condition of anonymity,", "…, including the Asbury Park Press,": an aside
# on the subject, never the subject.
_PARTICIPLE_ASIDE = re.compile(
    r"(?:speaking|citing|requesting|asking|declining|including"
    # "Powell's office, when contacted by Reuters, said": when and how it was reached
    r"|(?:when|after|once|if)\s+(?:asked|contacted|reached|pressed|questioned|interviewed))\b"
)


def _names_joined(text: str) -> bool:
    """ "Sens. Johnny Isakson of Georgia and John Boozman of Arkansas": people named together."""
    parts = text.split(" and ")
    return len(parts) == 2 and all(name_like(p) for p in parts)


def _without_connectives(text: str) -> str:
    """ "But Megan Hester" -> "Megan Hester"."""
    words = text.split()
    while len(words) > 1 and words[0].lower() in CONNECTIVES:
        words = words[1:]
    return " ".join(words)


def _described_by_relative(texts: list[str], j: int) -> bool:
    """ "the official, who spoke on condition of anonymity, said": the noun phrase before a
    relative clause is the speaker."""
    follower = texts[j + 1].split()[:1] if j + 1 < len(texts) else []
    words = texts[j].split()
    if (
        follower not in (["who"], ["whose"], ["which"])
        or not words
        or len(words) > 6
        or is_clause(words)
    ):
        return False
    return words[0].lower() in DETERMINERS or words[0].lower() in QUANTIFIERS


# "That's seven hours after the police": a subject and its verb in one word.
_CONTRACTED_CLAUSE = frozenset(
    "that's it's there's here's what's who's he's she's they're we're i'm you're".split()
)


# Modals that are also names: "Yin Myint May", "Will Rogers".
_NAME_MODALS = frozenset("may will".split())


def is_clause(words: list[str]) -> bool:
    for i, w in enumerate(words):
        low = w.lower().strip(",.").replace("’", "'")
        if low in _NAME_MODALS and _in_name(words, i):
            continue
        if low in CLAUSE_WORDS or low in _CONTRACTED_CLAUSE:
            return True
    return False


def _in_name(words: list[str], i: int) -> bool:
    """A capitalised word next to another capitalised one, as in a name."""
    if not words[i][:1].isupper():
        return False
    near = words[i - 1 : i] + words[i + 1 : i + 2]
    return any(is_capitalised(w.strip(",.")) for w in near)


def name_like(text: str) -> bool:
    """A person with perhaps a title ("longtime pollster Pat Caddell") or a proper name
    ("United States Citizenship and Immigration Services")."""
    words = text.split()
    if not words or len(words) > 8 or is_clause(words):
        return False
    if len(words) == 1 and words[0].lower() in PRONOUNS:
        return True
    first = words[0].lower().strip(",")
    if first in FUNCTION_WORDS or first in SENTENCE_ADVERBS or is_adverb(first):
        return False  # "In June", "Overall", "Separately": how a sentence starts, not who
    if all(is_capitalised(w) or w.lower() in _PROPER_JOINERS for w in words):
        return is_capitalised(words[0])
    parts = split_name(text)
    if parts is None:
        return False
    return not any(w.lower() in FUNCTION_WORDS - {"of"} for w in parts.title.split())


def is_relative(text: str) -> bool:
    """A clause after a name that says what the person did, not what they are."""
    if _ROLE_CLAUSE.match(text.strip()):
        return False
    first = text.split()[0].lower() if text.split() else ""
    return first in ("who", "whose", "which", "speaking", "writing") or (
        first.endswith("ing") and first not in _TITLE_PARTICIPLES  # "ranking member"
    )


def split_title(title: str) -> tuple[str, str]:
    """The words before a name, split into a descriptor that only makes a role ("longtime
    Democratic pollster") and the title that stays in the mention ("Captain", "Secretary of
    State")."""
    words = title.split()
    k = len(words)
    while k > 0 and _is_title_word(words, k - 1):
        k -= 1
    return " ".join(words[:k]), " ".join(words[k:])


# The family words by which news names someone through a relative ("Schilling's son, Grant",
# "a daughter of …").
KIN = "son|daughter|wife|husband|brother|sister|father|mother|widow|nephew|niece|cousin"

# Someone who speaks for or stands near the person named after them.
_RELATIONAL = re.compile(
    r"\b(?:aides?|advis[eo]rs?|spokes(?:man|woman|person)|lawyers?|attorneys?|friends?|"
    rf"allies|ally|confidants?|associates?|staffers?|supporters?|(?:{KIN})s?|"
    r"(?:person|people|someone|those|sources?))"
    r"(?:\s+close)?\s+(?:to|for)\b",
    re.I,
)


def speaks_for_named(title: str) -> bool:
    """Whether the words before a name make someone else the speaker: "the former top aide to",
    "Aides to Gov.", "a person close to"."""
    return _RELATIONAL.search(title) is not None


def title_role(title: str) -> str | None:
    """The role the words before a name give: "Manhattan Supreme Court Justice" (Frank
    Nervo), "Republican Secretary of State", "President"; none for a bare "Dr." or "Sen."."""
    words = title.split()
    while words and (words[0].lower() in CONNECTIVES or words[0].lower() in SENTENCE_ADVERBS):
        words = words[1:]  # "Even Lindsey Graham", "But Tom Miller": how a sentence goes on
    # "Neither Cruz nor Christie", "If Grayson": a title never spans a clause word or an "or".
    cut = [i for i, w in enumerate(words) if w.lower() in _NOT_IN_TITLE]
    words = words[cut[-1] + 1 :] if cut else words
    # "…la Casa Blanca,'' Mr. Rubio", "“What Donald Trump …": a title never runs across a
    # comma, a quotation mark or a bracket.
    marks = [i for i, w in enumerate(words) if _MARK.search(w)]
    words = words[marks[-1] + 1 :] if marks else words
    while words and words[0].lower() in PREPOSITIONS:
        words = words[1:]  # "For Mr. Rubio": how the sentence reaches him
    if all(w.lower() in _TIME_MODIFIERS for w in words):
        return None  # "Former Trump employees": a modifier with no title to modify
    title = " ".join(words)
    descriptor, honorific = split_title(title)
    if descriptor:
        return appositive_role(title)
    if honorific and any(len(w) > 4 and w[0].isupper() for w in title.split()):
        return honorific
    return None


def _is_title_word(words: list[str], i: int) -> bool:
    word = words[i]
    if word[:1].islower():
        # "Secretary of State": "of" joins two title words.
        return word.lower() in ("of", "for") and 0 < i < len(words) - 1 and is_title(words[i - 1])
    return is_title(word)


_AGE = re.compile(r"^(?:\d{1,3},\s+(?=\S)|\d{1,3}-year-old(?:\s+|$))")


def appositive_role(text: str) -> str | None:
    """The role an appositive or a descriptor gives a speaker, as the source phrase reads it
    (`fields.clean_role` then makes it what a reader sees); an abbreviation ending it keeps
    its full stop ("of Huntsville, Ala.")."""
    text = _SPEECH_TAIL.sub("", " " + text).strip(' ,;:"')
    if text.endswith(".") and not is_abbreviation(text.rsplit(None, 1)[-1]):
        text = text.rstrip(".")
    words = text.split()
    if (
        not words
        or (words[0].endswith("ing") and words[0].lower() not in _TITLE_PARTICIPLES)
        or words[0].lower() in ("which", "as")
    ):
        return None
    if text.isdigit():
        return None  # "Mr. King, 82, told me": an age, not a role
    aged = _AGE.match(text) is not None
    text = _AGE.sub("", text)  # "Yin Myint May, 60, a doctor,": the role is "doctor"
    words = text.split()
    if all(w.lower().strip(",.:") in NOT_A_SOURCE for w in words):
        return None  # "on Friday: Republicans said": a day, not a role
    hometown = (
        aged and words[0].lower() in ("from", "of") and words[1:2] != [] and words[1][:1].isupper()
    )
    if words[0].lower() in _CIRCUMSTANCE and not hometown:
        return None  # ", at a later press gaggle," is when; "24, from Manchester," is who
    if words[0].lower() in ("who", "whose", "whom") and not _ROLE_CLAUSE.match(text):
        return None
    if words[0].lower() in ("a", "an", "the", "another"):
        words = words[1:]
    return " ".join(words) or None


def tail_after_boundary(texts: list[str]) -> int | None:
    """Where a noun phrase starts after the last clause word: "where restructuring experts"."""
    for i in range(len(texts) - 1, 0, -1):
        if texts[i - 1].lower().strip(",") in _BOUNDARY_WORDS:
            tail = texts[i:]
            if len(tail) <= 6 and whole_phrase(tail) and not is_clause(tail):
                return i
            return None
    return None


def whole_phrase(texts: list[str]) -> bool:
    """Whether a short segment reads as one noun phrase ("all the experts I interviewed",
    "opposition figures"), not the tail of a clause ("Trump needs to", "they care enough")."""
    lowered = [t.lower().strip(",.") for t in texts]
    if lowered[-1] in FUNCTION_WORDS or lowered[-1] in OBJECT_PRONOUNS:
        return False
    if lowered[0] in PRONOUNS:
        return len(texts) == 1
    has_pronoun = any(w in PRONOUNS or w in OBJECT_PRONOUNS for w in lowered[1:])
    if lowered[0] in DETERMINERS or lowered[0] in QUANTIFIERS:
        return True
    if texts[0][:1].islower():
        plain = not any(w in FUNCTION_WORDS for w in lowered)
        named = split_name(" ".join(texts)) is not None  # "panel Chairman Jason Chaffetz"
        if (len(texts) <= 4 or named) and not has_pronoun and plain:
            return True
        # "majorities in all five", "three-quarters of the voters": a plural and what of
        return (
            not has_pronoun
            and lowered[0].endswith("s")
            and lowered[0] not in FUNCTION_WORDS
            and lowered[0] not in PREPOSITIONS
            and len(texts) > 1
            and lowered[1] in ("of", "in", "from", "at", "on", "with", "across")
        )
    return not has_pronoun


_ROLE_OPENERS = frozenset("a an the".split())
_ROLE_NOUN = re.compile(
    r"\b(?:spokes(?:man|woman|person)|head|leader|chief|director|president|chair(?:man|woman)?|"
    r"secretary|minister|adviser|advisor|aide|economist|professor|analyst|pollster|strategist|"
    r"member|founder|editor|author|senator|governor|mayor|candidate|nominee|lawyer|attorney|"
    r"official|executive|manager|commander|officer|expert|fellow|researcher|scientist|"
    r"consultant|representative|ambassador|correspondent|reporter|columnist|host|ceo|"
    r"co-founder|partner|owner|organizer|activist|veteran|surrogate|supporter|critic|"
    r"general|colonel|captain|judge|justice|deputy|coordinator|counsel|whip|speaker|"
    # who someone is rather than their office: "Kelly Ayotte, a Republican, said …"
    r"republican|democrat|independent|libertarian|conservative|liberal|progressive|resident|"
    r"native|voter|student|mother|father|widow|son|daughter|wife|husband|friend|businessman|"
    r"businesswoman|retiree|teacher|farmer|actor|actress|singer|comedian|writer|journalist|"
    r"historian|lawmaker|delegate)s?\b",
    re.I,
)


# A phrase opening with one of these says when or where, not who: ", at a later press
# gaggle, said" or ", on his first day as commissioner," is no role.
_CIRCUMSTANCE = frozenset(
    "on at in during after before while when with from to into by upon amid following "
    "despite since until within without".split()
)


def is_appositive_start(text: str) -> bool:
    """Whether text after "Name, " reads as a role: "the head of …", "spokesman for …"."""
    words = text.split()
    if not words or words[0].lower() in _CIRCUMSTANCE:
        return False
    if words[0].lower() in _ROLE_OPENERS or words[0][:1].islower():
        return bool(_ROLE_NOUN.search(" ".join(words[:6])))
    return _named_role(words)


def _named_role(words: list[str]) -> bool:
    """ "House editor for the Cook Political Report", "Democratic strategist": a role opening
    with a capitalised word. Its role noun is lower-case and ends the phrase or takes a
    preposition; "Clinton spokesman Brian Fallon" is another person, not a role."""
    for i, word in enumerate(words[1:3], start=1):
        if word[:1].islower() and _ROLE_NOUN.fullmatch(word.strip(",.")):
            j = i + 1
            while j < len(words) and _ROLE_NOUN.fullmatch(words[j].lower().strip(",.")):
                j += 1  # "CrowdTangle chief executive": a role of two nouns
            after = words[j].lower() if j < len(words) else ""
            return after in ("", "of", "for", "at", "with", "in", "to", "on")
    return False
