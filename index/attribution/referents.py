"""Who a description names: "the company", "the candidate", "the Florida senator".

A story names someone once and then describes them: "Ben Carson …" then "the retired
neurosurgeon said", "Twitter said in a statement" then "the company said". A description is
resolved only where the article itself ties it to a name, and otherwise stays as written ("a
spokesman", "a source", "the official"): a wrong name is worse than none.

- a name set off right after it: "The French minister of environment and energy, Ségolène
  Royal, alluded …";
- a name inside it: "a still-struggling HP", "the nationalist Global Times tabloid";
- for a person ("the candidate", "the businessman", "the actress"): the one the article gives
  that role or title (lately, else the only one), else whom the text is about just before (the
  subject of the paragraph, or of the one before, as for a he or she), of the sex the noun
  says;
- for an organisation ("the company", "the newspaper", "the campaign", "the group"): the
  organisation quoted lately whose kind fits (a newspaper for "the paper"), or the one whose
  name holds the noun ("the Sanders campaign" for "the campaign"); for "the statement", who
  issued it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from index.attribution.names import (
    FEMALE_NOUNS,
    MALE_NOUNS,
    ORG_WORDS,
    TITLE_WORDS,
    gender_of_title,
    is_name_word,
    is_title,
    split_name,
)
from index.attribution.speakers import Cast, Person, Place

_DETERMINERS = frozenset("the a an".split())
# Words after which a description only says where or what: "the senator from Ohio".
_QUALIFIERS = frozenset("from of for at in with who whose which that on to by out".split())
# Nouns that describe someone the story never names, or names only beside them: "a source",
# "the official", "the insider". Never resolved but by a role the article gives someone.
_ANONYMOUS = frozenset(
    """source sources official officials person people man woman men women insider employee
    member aide aides adviser advisers advisor expert experts analyst analysts witness
    officer staffer resident residents voter voters supporter supporters reporter narrator
    diplomat spokesman spokeswoman spokesperson representative agent investigator
    investigators prosecutor prosecutors lawyer lawyers attorney attorneys friend relative
    neighbor neighbour critic critics observer observers""".split()
)
# Nouns for someone in the news by what they do or are: resolved to the person the text is
# about when no role in the article says otherwise.
_EPITHETS = (
    TITLE_WORDS
    | MALE_NOUNS
    | FEMALE_NOUNS
    | frozenset(
        """candidate nominee front-runner frontrunner hopeful businessman businesswoman
        billionaire mogul tycoon magnate lawmaker legislator republican democrat
        independent socialist libertarian conservative liberal progressive neurosurgeon
        surgeon physician actress actor star singer rapper comedian pollster strategist
        speechwriter columnist commentator pundit economist author writer novelist
        journalist filmmaker director entrepreneur executive investor activist preacher
        evangelist pastor athlete player marathoner veteran incumbent challenger
        contender rival frontman leader""".split()
    )
) - _ANONYMOUS
_JOINERS = frozenset("of for and & de".split())
_PARTY_NOUNS = frozenset("republican democrat independent libertarian gop".split())
# What a newspaper, and what an organisation quoted, is called.
_NEWS_HEADS = frozenset("newspaper paper tabloid daily broadsheet magazine".split())
_ORG_HEADS = frozenset(
    """company firm corporation group organization organisation network agency campaign
    party bank airline union board committee department ministry university college
    foundation institute coalition association retailer automaker manufacturer maker
    giant outlet station channel website site publication""".split()
)
_STATEMENT_HEADS = frozenset("statement release announcement".split())
_OUTLETS = frozenset(
    """times post news journal sentinel herald tribune gazette leader daily telegraph
    guardian globe register star inquirer chronicle bee examiner observer independent mail
    express mirror sun record press review reuters ap bbc cnn msnbc politico axios
    bloomberg magazine""".split()
)
_RECENT = 2  # paragraphs back a description looks for whom the text is about
_ROLE_PARAGRAPHS = 6  # paragraphs back it looks for someone given its role
_APPOSITIVE_NAME = re.compile(
    r"(?:\s+(?:and|of|for|on)\s+[a-z][\w-]*){0,3},\s+([^,;:\"“”]{3,60}?),"
)
_STATEMENT_GIVEN = re.compile(
    r"(?:^|[\s(])((?:[A-Z][\w.'’-]*\s+){0,3}[A-Z][\w'’-]*)\s+"
    r"(?:provided|issued|released|sent|put out)\s+(?:a|an|the)\s+(?:\w+\s+)?statement"
)


@dataclass(frozen=True)
class Described:
    """What a description resolves to: a person of the cast, or an organisation by name."""

    person: Person | None = None
    group: str | None = None


@dataclass(frozen=True)
class Quoted:
    """A speaker the article quoted before: where, and as a person or by a group's name."""

    at: Place
    person: Person | None
    group: str | None


def head_noun(words: list[str]) -> tuple[int, str]:
    """The noun a description is about and where it stands: "candidate" in "the Republican
    presidential candidate from Ohio"."""
    # not at a joiner inside a name: "an online University of Texas/Texas Tribune poll"
    cut = next(
        (
            i
            for i, w in enumerate(words)
            if i > 1
            and w.lower() in _QUALIFIERS
            and not (w.lower() in _JOINERS and words[i - 1][:1].isupper())
        ),
        len(words),
    )
    return cut - 1, words[cut - 1].lower().strip(",.;:")


def is_description(mention: str) -> bool:
    """ "the company", "a spokesman", "the Florida senator": a determiner and a common noun,
    not a name ("The New York Times")."""
    words = mention.split()
    if len(words) < 2 or words[0].lower() not in _DETERMINERS:
        return False
    return any(w[:1].islower() for w in words[1:]) or words[-1].lower() in _PARTY_NOUNS


def resolve(
    mention: str,
    at: Place,
    text: str,
    cast: Cast,
    speakers: list[tuple[Place, Person]],
    quoted: Sequence[Quoted],
) -> Described | None:
    """Whom the description `mention`, the source of a claim at `at` in paragraph `text`,
    names; None when the article does not say."""
    if not is_description(mention):
        return None
    words = mention.split()
    if (named := _set_off_after(mention, at, text, cast)) is not None:
        return Described(person=named)
    if (inside := _name_inside(words)) is not None:
        return Described(group=inside)
    if words[0].lower() != "the":
        return None  # "a source", "an aide": someone the story does not name
    index, head = head_noun(words)
    if head in _STATEMENT_HEADS:
        return _issuer(at, text, cast, quoted)
    if head in _NEWS_HEADS or head in _ORG_HEADS or words[index].rstrip(".,").lower() in ORG_WORDS:
        return _organisation(head, at, quoted)
    if head in _EPITHETS:
        person = _person(words, head, at, cast, speakers)
        return Described(person=person) if person is not None else None
    return None


def _set_off_after(mention: str, at: Place, text: str, cast: Cast) -> Person | None:
    """ "The French minister of environment and energy, Ségolène Royal, alluded …"."""
    start = at[1]
    if text[start : start + len(mention)] != mention:
        return None
    _, head = head_noun(mention.split())
    if head not in _EPITHETS and head not in _ANONYMOUS:
        return None  # "According to an FBI summary of its investigation, Cheryl Mills …"
    found = _APPOSITIVE_NAME.match(text, start + len(mention))
    if found is None:
        return None
    phrase = found.group(1).strip()
    parts = split_name(phrase)
    if (
        parts is None
        or any(is_title(w) or w[:1].islower() for w in parts.title.split())
        or len(phrase.split()) < 2
    ):
        return None
    return cast.resolve_name(phrase, at)


def _name_inside(words: list[str]) -> str | None:
    """The organisation a description is headed by: "a still-struggling HP" is HP, "the
    nationalist Global Times tabloid" the Global Times. Not a name after a qualifier ("a poll
    by the Harvard University Institute of Politics"), a party or a nationality ("the
    Wisconsin Republican"), a possessive ("the Pentagon's recent top adviser")."""
    index, head = head_noun(words)
    end = index + 1 if words[index][:1].isupper() else index
    if end == index and head not in _NEWS_HEADS:
        return None
    start = end
    while start > 1 and not words[start - 1].endswith(("'s", "’s")):
        if words[start - 1][:1].isupper():
            start -= 1
        elif start > 2 and words[start - 1] in _JOINERS and words[start - 2][:1].isupper():
            start -= 1  # "the University of Michigan" is one name
        else:
            break
    run = words[start:end]
    if not run or not any(w[:1].islower() for w in words[1:start]):
        return None  # no lower-case word before the name: it is a name, not a description
    if any(w.lower().strip(",.") in _PARTY_NOUNS | TITLE_WORDS for w in run):
        return None
    if not all(is_name_word(w) or w.isupper() for w in run):
        return None
    return " ".join(run)


def _person(
    words: list[str], head: str, at: Place, cast: Cast, speakers: list[tuple[Place, Person]]
) -> Person | None:
    sex = gender_of_title(head)
    titled = [] if head in _PARTY_NOUNS else cast.with_role(head)
    # a party is no office: "the Wisconsin Republican" is not the last Republican named
    for since in (at[0] - 1, at[0] - _ROLE_PARAGRAPHS):
        fitting = [
            p
            for p in titled
            if cast.named_since(p, since, at) and (sex is None or p.gender in (None, sex))
        ]
        if len(fitting) == 1:
            return fitting[0]
        if fitting:
            return cast.last_named(fitting, at)
    return cast.about(at, sex, speakers, paragraphs=_RECENT)


def _organisation(head: str, at: Place, quoted: Sequence[Quoted]) -> Described | None:
    """The organisation quoted lately that `head` can mean."""
    for item in reversed(quoted):
        name = item.group or (item.person.name if item.person else None)
        if at[0] - item.at[0] > _RECENT or name is None:
            continue
        if item.person is not None and not _organisation_like(item.person):
            continue
        lowered = name.lower().split()
        if not any(w[:1].isupper() for w in name.split()[1:] or name.split()):
            continue  # "the social media company" is a description itself
        if head in lowered:
            return Described(group=name)  # "the Sanders campaign" for "the campaign"
        if not _is_proper(name):
            continue
        outlet = lowered[-1] in _OUTLETS
        if head in _NEWS_HEADS and outlet:
            return Described(group=name)
        if head not in _NEWS_HEADS and head in _ORG_HEADS and not outlet:
            return Described(group=name)
    return None


def _issuer(at: Place, text: str, cast: Cast, quoted: Sequence[Quoted]) -> Described | None:
    """Who gave "the statement": the one the paragraph says issued it ("Cook provided a
    written statement"), else whoever it quoted just before in the same paragraph."""
    earlier = [(text, at[1])] + ([(cast.texts[at[0] - 1], None)] if at[0] else [])
    for paragraph, end in earlier:
        given = list(
            _STATEMENT_GIVEN.finditer(paragraph, 0, len(paragraph) if end is None else end)
        )
        for found in reversed(given):
            person = cast.named(found.group(1), at)
            if person is not None:
                return Described(person=person)
    for item in reversed(quoted):
        if item.at[0] == at[0] and item.at[1] < at[1]:
            if item.person is not None:
                return Described(person=item.person)
            if item.group is not None and any(w[:1].isupper() for w in item.group.split()[1:]):
                return Described(group=item.group)  # "The Trump campaign … the statement said"
    return None


def _organisation_like(person: Person) -> bool:
    """A speaker read as a name that is an organisation's: "Twitter", "the Orlando Sentinel"
    (nothing says a person: no title, no he or she, no role)."""
    last = person.name.split()[-1].lower()
    return (
        last in _OUTLETS
        or last in ORG_WORDS
        or not (person.titles or person.genders or person.role)
    )


def _is_proper(name: str) -> bool:
    words = name.split()
    if words and words[0].lower() == "the":
        words = words[1:]
    return bool(words) and all(w[:1].isupper() or w.lower() in ("of", "and", "for") for w in words)
