"""Who a description names: "the company", "the candidate", "the Florida senator".

A story names someone once and then describes them: "Ben Carson …" then "the retired
neurosurgeon said", "Twitter said in a statement" then "the company said". A description is
resolved only where the article itself ties it to a name, and otherwise stays as written ("a
spokesman", "a source", "the official"): a wrong name is worse than none.

- a name set off right after it: "The French minister of environment and energy, Ségolène
  Royal, alluded …", or right before it: "the economist Jared Bernstein, a former adviser in
  the Obama White House, wrote";
- a name inside it: "a still-struggling HP", "the nationalist Global Times tabloid";
- for a person ("the candidate", "the businessman", "the actress"), in this order: the one its
  own sentence names outside what is reported ("Cruz defends his record: “…,” the senator
  says"), or the sentence before ("… star Selenis Leyva opened up. The actress explained"),
  unless someone holding that role was named in this paragraph or the one before; the one
  the article gives that title or role noun lately (else the only one), a role held before
  only for a "former" mention; the one the next paragraph introduces with it, as wire copy
  bridges ("The Pentagon's recent top adviser went further." then "… said retired Army Lt.
  Gen. Mick Bednarek, who served as the chief U.S. military adviser"); else, for a noun
  that says what someone is (not "the official"), whom the text is about just before (the
  subject of the paragraph, or of the one before, as for a he or she), of the sex the noun
  says, and never a judge or a pope for a party office. Nobody the text brought in unnamed
  by the same noun ("a fashion designer …" then "the designer");
- for an organisation ("the company", "the newspaper", "the campaign", "the group"): the
  organisation quoted lately or opening a sentence lately ("Twitter has now made clear …",
  "CNN was quick to push back") whose kind fits (a newspaper for "the paper", no school for
  "the company"), or the one whose name holds the noun ("the Sanders campaign" for "the
  campaign"); an acronym as the name it stands for; nothing when the text spoke of an
  unnamed one since ("the trade group for …"); for "the statement", "the email" or "the
  memo", who issued it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from index.attribution.fields import is_place
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
from index.attribution.speakers import PAST, Cast, Person, Place
from index.sentences import sentence_spans

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
        contender rival frontman leader manager founder owner organizer organiser
        designer developer publisher editor host anchor professor scientist researcher
        historian scholar""".split()
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
# Heads that fit a news organisation as well as any other: "the network" is CNN.
_MEDIA_HEADS = frozenset("network outlet station channel website site publication".split())
# Kinds of organisation, by the nouns that say them: a description of one kind never means
# a name of another ("the company" is not "Columbia's Graduate School of Journalism"); the
# kinds of _NAMED_KINDS are named as such ("the institute" is some "… Institute").
_KINDS = {
    "business": """company firm corporation corp inc retailer automaker manufacturer maker
    airline bank""",
    "academic": "university college school institute",
    "government": "department ministry agency bureau office administration commission",
    "political": "party campaign committee caucus",
    "news": "newspaper paper tabloid daily broadsheet magazine times post news journal",
    "court": "court tribunal",
}
_KIND_OF = {word: kind for kind, words in _KINDS.items() for word in words.split()}
_NAMED_KINDS = frozenset("academic court".split())


def _kind(noun: str) -> str | None:
    return _KIND_OF.get(noun.strip(".,"))


_STATEMENT_HEADS = frozenset("statement release announcement email e-mail memo".split())
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
    r"(?:^|[\s(])((?:[A-Z][\w.'’-]*\s+){0,3}[A-Z][\w'’-]*(?:['’]s\s+campaign)?)\s+"
    r"(?:provided|issued|released|sent(?:\s+out)?|put\s+out)\s+(?:a|an|the)\s+"
    r"(?:[\w-]+\s+){0,2}(?:statement|release|announcement|e-?mail|memo)"
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
    # "the California secretary of state’s website" is a website: what follows a possessive
    owned = next((i for i in range(cut, len(words) - 1) if words[i].endswith(("'s", "’s"))), None)
    if owned is not None:
        index, head = head_noun(words[:1] + words[owned + 1 :])
        return index + owned, head
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
    content: Sequence[tuple[int, int]] = (),
) -> Described | None:
    """Whom the description `mention`, the source of a claim at `at` in paragraph `text`
    whose content spans `content`, names; None when the article does not say."""
    if not is_description(mention):
        return None
    words = mention.split()
    if re.search(r"\sand\s+(?:the|a|an)\s", mention):
        return None  # "The State Department and the Department of Homeland Security": two
    if (named := _set_off_after(mention, at, text, cast)) is not None:
        return Described(person=named)
    if (named := _set_off_before(mention, at, text, cast)) is not None:
        return Described(person=named)
    if (inside := _name_inside(words)) is not None:
        return Described(group=inside)
    if words[0].lower() != "the":
        return None  # "a source", "an aide": someone the story does not name
    index, head = head_noun(words)
    if head in _STATEMENT_HEADS:
        return _issuer(head, at, text, cast, quoted)
    if head == "board" and any(w.lower() == "editorial" for w in words):
        head = "newspaper"  # "the editorial board" writes for its paper
    if head in _NEWS_HEADS or head in _ORG_HEADS or words[index].rstrip(".,").lower() in ORG_WORDS:
        if any(w[:1].isupper() or w.endswith(("'s", "’s")) for w in words[1:index]):
            return None  # "the Cruz campaign", "the secretary of state's website" say whose
        return _organisation(head, at, cast, quoted)
    if head in _EPITHETS or head in _ANONYMOUS:
        person = _person(words, head, at, cast, speakers, content)
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


_NAME_BEFORE = re.compile(r"((?:[A-Z][\w.'’-]*\s+){1,3}[A-Z][\w'’-]*),\s*$")


def _set_off_before(mention: str, at: Place, text: str, cast: Cast) -> Person | None:
    """ "the economist Jared Bernstein, a former adviser in the Obama White House, wrote": a
    description set off right after a person's name is that person's."""
    start = at[1]
    if text[start : start + len(mention)] != mention or mention[:1].isupper():
        return None
    _, head = head_noun(mention.split())
    if head not in _EPITHETS and head not in _ANONYMOUS:
        return None  # "As for Mr. Kim, the staff letter noted"
    found = _NAME_BEFORE.search(text, max(0, start - 80), start)
    if found is None:
        return None
    person = cast.named(found.group(1), at)
    return person if person is not None and not _organisation_like(person) else None


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
    words: list[str],
    head: str,
    at: Place,
    cast: Cast,
    speakers: list[tuple[Place, Person]],
    content: Sequence[tuple[int, int]],
) -> Person | None:
    """The person a description headed by `head` means: the one its own sentence names; else
    the one the article gives that title or role, named lately (the last such), else the
    only one; else the one the next paragraph introduces with it; else, for a noun that says
    what someone is ("the candidate", "the retired neurosurgeon"; not "the official"), whom
    the text is about."""
    sex = gender_of_title(head)
    anonymous = head in _ANONYMOUS
    if _introduced_unnamed(head, at, cast.texts):
        return None  # "a fashion designer for the G-III Apparel Group …" then "the designer"
    past = any(w.lower() in PAST for w in words)
    fits = [
        p
        for p in ([] if head in _PARTY_NOUNS else cast.with_role(head, past))
        if sex is None or p.gender in (None, sex)
    ]
    # Someone holding the role, named in this paragraph or the one before, is not overruled
    # by whoever else is near: "Mr. Obama called … Saeed Abedini was free …, the president
    # told her" is Obama's.
    held = [p for p in fits if cast.named_since(p, at[0] - 1, at)]
    if not anonymous:
        own = cast.in_sentence(at, sex, content)
        if own is not None and (own in fits or not held):
            return own
        subjects, named = cast.named_before(at, sex)
        before = subjects[0] if len(subjects) == 1 else _one(named)
        if before is not None and (before in fits or not held):
            return before  # "… star Selenis Leyva opened up …. The actress explained"
    # a party is no office: "the Wisconsin Republican" is not the last Republican named
    for since in (at[0] - 1, at[0] - _ROLE_PARAGRAPHS):
        lately = [p for p in fits if cast.named_since(p, since, at)]
        if len(lately) == 1:
            return lately[0]
        if lately:
            return cast.last_named(lately, at)
    if (newcomer := cast.newcomer_after(at, head)) is not None:
        return newcomer
    earlier = [p for p in fits if cast.named_since(p, 0, at)]
    if len(earlier) == 1:
        return earlier[0]  # the one president the story names
    if anonymous or fits:
        return None
    person = cast.about(at, sex, speakers, paragraphs=_RECENT)
    return person if person is None or _may_hold(person, head) else None


# Offices that keep out of party politics: a judge or a pope is no "Republican nominee" or
# "Democratic presidential candidate", whoever the text was just about.
_APOLITICAL = frozenset("justice judge pope cardinal bishop archbishop rabbi imam".split())


def _may_hold(person: Person, head: str) -> bool:
    """Whether a description headed by the office `head` may be someone the article gives
    an office out of politics: "The Republican nominee" is not Justice Ruth Bader Ginsburg."""
    held = person.titles & _APOLITICAL
    return not held or head in person.titles or head not in TITLE_WORDS


def _one(people: list[Person]) -> Person | None:
    """The one of `people`, or the one of them the article gives a title or role, beside
    names it says nothing of ("… star Selenis Leyva … in a HuffPost Live blog")."""
    if len(people) == 1:
        return people[0]
    described = [p for p in people if p.titles or p.role]
    return described[0] if len(described) == 1 else None


def _organisation(head: str, at: Place, cast: Cast, quoted: Sequence[Quoted]) -> Described | None:
    """The organisation lately quoted or made the subject of a sentence that `head` can
    mean: "the company" after "Twitter has now made clear …", "the network" after "CNN was
    quick to push back", "the campaign" after the Sanders campaign was quoted."""
    candidates: list[tuple[Place, str]] = []
    for item in quoted:
        name = item.group or (item.person.name if item.person else None)
        if at[0] - item.at[0] > _RECENT or name is None:
            continue
        if item.person is not None and not _organisation_like(item.person):
            continue
        candidates.append((item.at, name))
    candidates += _organisations_named(at, cast)
    unnamed = _described_lately(head, at, cast.texts)
    for where, name in sorted(candidates, key=lambda c: c[0], reverse=True):
        if unnamed is not None and unnamed > where:
            return None  # "the trade group for the Blue Cross Blue Shield plans …, the group"
        lowered = name.lower().split()
        if not any(w[:1].isupper() for w in name.split()[1:] or name.split()):
            continue  # "the social media company" is a description itself
        if head in lowered:
            return Described(group=name)  # "the Sanders campaign" for "the campaign"
        if not _is_proper(name):
            continue
        outlet = lowered[-1] in _OUTLETS
        kind = _kind(lowered[-1])
        if _kind(head) != kind and (kind or _kind(head) in _NAMED_KINDS):
            continue  # "the company" is no school, "the institute" none of "Democrats"
        if head in _MEDIA_HEADS:
            return Described(group=name)
        if head in _NEWS_HEADS and outlet:
            return Described(group=name)
        if head not in _NEWS_HEADS and head in _ORG_HEADS and not outlet:
            return Described(group=name)
    return None


_NAME_RUN = re.compile(
    r"(?<![\w'’-])(?:[A-Z][\w&'’.-]*)(?:\s+(?:(?:of|for|and|&)\s+)?(?:[A-Z][\w&'’.-]*))*"
)


def _organisations_named(at: Place, cast: Cast) -> list[tuple[Place, str]]:
    """Names that are no person's, opening a sentence in the paragraphs just before `at` (and
    in its own before it): "For years, Twitter has positioned itself …", "CNN was quick to
    push back". An acronym of a name given before is that name ("AAN" for the American Action
    Network)."""
    found: list[tuple[Place, str]] = []
    first = max(0, at[0] - _RECENT)
    window = cast.texts[max(0, at[0] - _ROLE_PARAGRAPHS) : at[0] + 1]
    for paragraph in range(first, at[0] + 1):
        text = cast.texts[paragraph]
        end = at[1] if paragraph == at[0] else len(text)
        starts = [s for s, _ in sentence_spans(text)]
        for match in _NAME_RUN.finditer(text, 0, end):
            name = re.sub(r"(?:'s|’s|[.,])$", "", match.group(0))
            words = name.split()
            if not words or any(
                w.lower() in _DETERMINERS
                or w.lower() in _CLAUSE_OPENERS
                or w.lower().endswith(("'s", "’s"))
                or _jumbled(w)
                for w in words
            ):
                continue
            if not _opens_sentence(text, starts, match.start()) or is_place(name):
                continue
            if not _ACTS.match(text, match.start() + len(name)):
                continue  # "ABSTRACT.": a heading, not a name doing anything
            if words[0] in ("I", "I'm", "I’m") or words[0].lower().rstrip(".") in TITLE_WORDS:
                continue  # someone speaking, or a title ("President Obama")
            person = cast.named(name, (paragraph, match.start()))
            if (
                person is not None
                and words[-1].lower() not in ORG_WORDS | _OUTLETS
                and (len(words) > 1 or not _organisation_like(person))
            ):
                continue  # a person's name ("Julian Assange"), not "Twitter"
            if name.isupper():
                name = _spelled_out(name, window) or name
                if name.isupper() and len(name) > 5:
                    continue  # "MANCHESTER, N.H. —": a dateline, no acronym
            elif len(words) == 1 and not any(_capitalised_inside(name, t) for t in window):
                continue  # "Investors will pay …": a word capitalised only to open a sentence
            found.append(((paragraph, match.start()), name))
    return found


# Words that open a sentence or clause capitalised and are no part of a name after them.
_CLAUSE_OPENERS = frozenset(
    """while when if although though because since as after before but and so yet still
    then even also despite during for in on at with by from once unless until among
    about across against around under over through without within like unlike according
    as amid""".split()
)
# What follows a name that opens a sentence as its subject: a verb, or an aside.
_ACTS = re.compile(r"(?:'s|’s)?(?:,|\s+[a-z])")
_LEAD_MODIFIER = re.compile(r"(?:[Tt]he\s+)?(?:[a-z]+-[A-Z][\w-]*\s+)?$")


def _opens_sentence(text: str, starts: list[int], offset: int) -> bool:
    """A name that opens its sentence, after "The" ("The pro-Christie Union Leader") or an
    opening phrase set off by a comma ("For years, Twitter …"); not one inside a clause or
    after a noun it is of ("The dean of Columbia's Graduate School …")."""
    start = max((s for s in starts if s <= offset), default=0)
    lead = text[start:offset]
    if _LEAD_MODIFIER.fullmatch(lead):
        return True
    words = lead.split()
    return (
        lead.rstrip().endswith(",")
        and len(words) <= 7
        and not any(c in lead for c in '"“”')
        and not any(w[:1].isupper() for w in words[1:])
    )


def _jumbled(word: str) -> bool:
    """Words run together by a page's markup ("CarterFlagShareLikeReplyPaige"), no name."""
    return not word.isupper() and sum(c.isupper() for c in word) > 2


def _spelled_out(acronym: str, texts: Sequence[str]) -> str | None:
    """The name an acronym stands for, as the text gives it before ("AAN" for "The American
    Action Network")."""
    for text in texts:
        for match in _NAME_RUN.finditer(text):
            words = [w for w in match.group(0).split() if w not in _JOINERS and w.lower() != "the"]
            if len(words) == len(acronym) and "".join(w[0] for w in words) == acronym:
                return " ".join(words)
    return None


# A word of a noun phrase before its head, no function word: "a fashion designer", not "a
# contributor with the company".
_MODIFIER = (
    r"(?:(?!(?:the|a|an|with|of|for|to|in|on|at|by|from|and|or|that|who|which|his|her|its"
    r"|their)\s)[\w-]+\s+)"
)


def _described_lately(head: str, at: Place, texts: Sequence[str]) -> Place | None:
    """Where the text before `at` last spoke of an unnamed "the trade group", "a company"
    (the head in lower case, with no name before it)."""
    pattern = re.compile(
        rf"\b(?:(?:[Aa]n?|[Oo]ne|[Aa]nother)\s+{_MODIFIER}{{0,3}}{re.escape(head)}\b"
        rf"|[Tt]he\s+{_MODIFIER}{{1,3}}{re.escape(head)}\s+(?:for|of|that|which)\b)"
    )
    for paragraph in range(at[0], max(-1, at[0] - _RECENT - 1), -1):
        end = at[1] if paragraph == at[0] else len(texts[paragraph])
        found = list(pattern.finditer(texts[paragraph], 0, end))
        if found:
            return (paragraph, found[-1].start())
    return None


def _introduced_unnamed(head: str, at: Place, texts: Sequence[str]) -> bool:
    """Whether the text just before `at` brings in someone unnamed by the same noun: "a
    fashion designer for the G-III Apparel Group" before "the designer"."""
    pattern = re.compile(rf"\b(?:[Aa]n?|[Oo]ne)\s+{_MODIFIER}{{0,3}}{re.escape(head)}\b")
    for paragraph in (at[0] - 1, at[0]):
        if paragraph >= 0:
            end = at[1] if paragraph == at[0] else len(texts[paragraph])
            if pattern.search(texts[paragraph], 0, end):
                return True
    return False


def _capitalised_inside(word: str, text: str) -> bool:
    """Whether `word` is capitalised in the middle of a sentence of `text` too."""
    return re.search(rf"[a-z,;:]\s+{re.escape(word)}\b", text) is not None


def _issuer(
    head: str, at: Place, text: str, cast: Cast, quoted: Sequence[Quoted]
) -> Described | None:
    """Who gave "the statement": the one the paragraph says issued it ("Cook provided a
    written statement"), else whoever it quoted just before in the same paragraph, else
    whoever the paragraph before quoted as giving it ("In a statement, the business mogul
    announced …", "Huma Abedin … emailed supporters …, telling them, “…”")."""
    earlier = [(text, at[1])] + ([(cast.texts[at[0] - 1], None)] if at[0] else [])
    for paragraph, end in earlier:
        given = list(
            _STATEMENT_GIVEN.finditer(paragraph, 0, len(paragraph) if end is None else end)
        )
        for found in reversed(given):
            person = cast.named(found.group(1), at)
            if person is not None:
                return Described(person=person)
            if found.group(1).endswith("campaign"):
                return Described(group=found.group(1))  # "Clinton's campaign sent out an email"
    said = re.compile(rf"\b{re.escape(head)}", re.I)
    for item in reversed(quoted):
        before = item.at[0] == at[0] and item.at[1] < at[1]
        told = item.at[0] == at[0] - 1 and said.search(cast.texts[item.at[0]]) is not None
        if before or told:
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
        or not (person.titles or person.genders or person.role or person.surnamed)
    )


def _is_proper(name: str) -> bool:
    words = name.split()
    if words and words[0].lower() == "the":
        words = words[1:]
    return bool(words) and all(w[:1].isupper() or w.lower() in ("of", "and", "for") for w in words)
