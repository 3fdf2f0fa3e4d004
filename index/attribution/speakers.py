"""Who a mention is: full names for surnames and titles, antecedents for pronouns, roles.

An article introduces a person once in full ("Captain Naji Mustafa, spokesman for …") and then
says "Mustafa" or "he". The cast is read from the whole article before any mention is resolved,
so a role given anywhere in the article reaches every attribution of that speaker.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from index import budget
from index.attribution.fields import is_place
from index.attribution.names import (
    PARTICLES,
    SPELLED_OUT,
    TITLE_WORDS,
    NameParts,
    gender_of_title,
    is_title,
    name_mentions,
    split_name,
)
from index.attribution.phrases import PARTIES, appositive_role, is_appositive_start, title_role
from index.attribution.quotes import Quote
from index.sentences import sentence_spans

_PRONOUN_GENDER = {"he": "m", "his": "m", "she": "f", "hers": "f"}
# Only subject and possessive forms tell a named person's gender: in "McCaskill scolded him" or
# "Trump attacked her" the object pronoun is someone else.
_PRONOUN = re.compile(r"\b(?:he|his|she|hers)\b", re.I)
_RECENT_PARAGRAPHS = 4
_PARTY_HEADS = PARTIES | {"democratic", "gop", "party"}
_ONE_NAME_TITLES = frozenset("king queen prince princess pope sheikh emir".split())
# Words after which a role mention only says where or what: "the senator from Ohio".
_QUALIFIERS = frozenset("from of for at in with".split())


def role_head(words: list[str]) -> str | None:
    """The title a role mention is headed by ("senator" in "the senator from Ohio"), or None
    when the mention is no role ("the campaign")."""
    cut = next((i for i, w in enumerate(words) if i and w.lower() in _QUALIFIERS), len(words))
    head = words[cut - 1].lower().strip(",.")
    return head if head in TITLE_WORDS else None


@dataclass
class Person:
    name: str
    genders: Counter[str] = field(default_factory=Counter)
    role: str | None = None
    titles: set[str] = field(default_factory=set)  # "mayor" from "Mayor Bill de Blasio"

    @property
    def gender(self) -> str | None:
        if not self.genders:
            return None
        (top, count), *rest = self.genders.most_common()
        return top if not rest or count > rest[0][1] else None


Place = tuple[int, int]  # (paragraph, offset)


@dataclass(frozen=True)
class Sighting:
    """A person named at `offset` of paragraph `paragraph`."""

    paragraph: int
    offset: int
    person: Person
    subject: bool


class Cast:
    """The people an article names, in order, with what the article says about them."""

    def __init__(self, paragraphs: list[str], quotes: list[list[Quote]]) -> None:
        self.people: dict[str, Person] = {}
        self.sightings: list[Sighting] = []
        for index, text in enumerate(paragraphs):
            budget.check()  # an article's people are read paragraph by paragraph
            self._read(index, text, quotes[index])
        # Where each person is first named (by id of the person), for bridging and newcomers.
        self._first = _first_sightings(self.sightings)

    def _read(self, index: int, text: str, quotes: list[Quote]) -> None:
        mentions = name_mentions(text)
        starts = [start for start, _ in sentence_spans(text)]
        people = [self._person(parts) for _, parts in mentions]
        for k, (offset, parts) in enumerate(mentions):
            person = people[k]
            if person is None:
                continue
            gender = gender_of_title(parts.title)
            if gender:
                person.genders[gender] += 2
            # The first he/she after a name, before the next person named ("Thelma and
            # Louise" names nobody), and not inside a quotation, which speaks of others.
            following = next(
                (mentions[j][0] for j in range(k + 1, len(mentions)) if people[j] is not None),
                len(text),
            )
            pronoun = next(
                (
                    m
                    for m in _PRONOUN.finditer(text, offset, min(following, offset + 160))
                    if not any(q.start <= m.start() < q.end for q in quotes)
                ),
                None,
            )
            # Only after the subject of a sentence: in "Warren slammed Trump, saying she …" the
            # "she" goes on with Warren, and tells nothing of Trump.
            if pronoun and _starts_sentence(text, starts, offset):
                person.genders[_PRONOUN_GENDER[pronoun.group(0).lower()]] += 1
            if person.role is None:
                person.role = appositive_after(text, offset + len(parts.name)) or title_role(
                    parts.title
                )
            titles = [w.lower().rstrip(".") for w in parts.title.split()]
            person.titles.update(titles + [SPELLED_OUT[t] for t in titles if t in SPELLED_OUT])
            if not any(q.start <= offset < q.end for q in quotes):
                subject = _starts_sentence(text, starts, offset)
                self.sightings.append(Sighting(index, offset, person, subject))

    def _person(self, parts: NameParts, before: Place | None = None) -> Person | None:
        if is_place(parts.name):
            return None  # "New Hampshire" is capitalised like a name, and no person
        words = parts.name.split()
        regnal = parts.title.split()[-1:]  # "King Salman", "Pope Francis": known by one name
        if len(words) == 1 and regnal and regnal[0].lower() in _ONE_NAME_TITLES:
            name = f"{regnal[0].capitalize()} {words[0]}"
            return self.people.setdefault(name, Person(name))
        if len(words) >= 2 and words[0].lower() not in PARTICLES:
            known = self._by_surname(parts.surname, words[0], before) or self._ending(words)
            if known is None:
                known = self._known_by_surname(parts.surname) or Person(parts.name)
                known.name = parts.name
                self.people[parts.name] = known
            return known
        # A surname alone: "Mustafa", or "De Blasio" opening a sentence; or the family name
        # that comes first ("Shen" for Shen Xincheng, "Ban" for Ban Ki-moon).
        known = self._by_surname(parts.surname, None, before)
        if known is None and len(words) == 1:
            known = self._ending([words[0]], first=True)
        if known is None and parts.title and len(words) == 1:
            # "President Obama", "Mr. Obama" in a story that never gives his first name: a
            # person all the same, known by the surname until a full name comes.
            known = self.people.setdefault(words[0], Person(words[0]))
        return known

    def _ending(self, words: list[str], first: bool = False) -> Person | None:
        """The one person whose full name ends with `words` ("Vargas Llosa" is Mario Vargas
        Llosa, "Suu Kyi" is Aung San Suu Kyi), or with `first`, the one two-word name that
        starts with the word."""
        wanted = [_same_form(w) for w in words]
        found = []
        for person in self.people.values():
            named = [_same_form(w) for w in person.name.split()]
            if first:
                if len(named) == 2 and named[0] == wanted[0]:
                    found.append(person)
            elif len(named) > len(wanted) and named[-len(wanted) :] == wanted:
                found.append(person)
        return found[0] if len(found) == 1 else None

    def _known_by_surname(self, surname: str) -> Person | None:
        """A person so far named only by title and surname ("Mr. Obama"), now named in full:
        one person, renamed."""
        person = self.people.get(surname)
        if person is None or person.name != surname:
            return None
        del self.people[surname]
        return person

    def _by_surname(self, surname: str, first: str | None, before: Place | None) -> Person | None:
        """The person a surname means. Of two with that surname, the one last named as the
        subject of a sentence before `before` (by default, so far): Jeh Johnson once "Homeland
        Security Secretary Jeh Johnson says …" has moved the story on from Gary Johnson; else
        the first named ("Clinton said" in a story on Bill Clinton's speech that mentions
        "his wife Hillary Clinton")."""
        surname = _same_form(surname)
        found = []
        for person in self.people.values():
            words = [_same_form(w) for w in person.name.split()]
            if surname in words[1:] and (first is None or words[0] == _same_form(first)):
                found.append(person)
        if len(found) < 2:
            return found[0] if found else None
        for sighting in reversed(self.sightings):
            if (
                sighting.subject
                and sighting.person in found
                and (before is None or (sighting.paragraph, sighting.offset) < before)
            ):
                return sighting.person
        return found[0]

    def by_role(self, mention: str, at: Place | None = None) -> Person | None:
        """The one person a role mention means: "the mayor" is Mayor Bill de Blasio when he
        is the only mayor the article names (by title or by role). When the article names no
        such person, the role may be bridging to the next paragraph, as wire copy writes:
        "Connecticut's tax commissioner says …" then "Kevin Sullivan says …"; the mention is
        then their role."""
        words = mention.split()
        head = role_head(words)
        determined = words[0].lower() == "the" or words[0].endswith(("'s", "’s"))
        headline = words[0].lower() in TITLE_WORDS  # "Senator from Texas says …"
        if len(words) < 2 or head is None or not (determined or headline):
            return None
        found = [
            p
            for p in self.people.values()
            if head in p.titles or (p.role and head in p.role.lower().split())
        ]
        opens_paragraph = at is not None and at[1] == 0
        if not found and at is not None and opens_paragraph and (person := self._named_next(at[0])):
            person.role = mention[4:] if words[0].lower() == "the" else mention
            return person
        if len(found) > 1 and at is not None and head not in _PARTY_HEADS:
            # "the governor": the one named last with that title (a party is no office: "the
            # Wisconsin Republican" is not the last Republican named)
            return self._last_named([p for p in found if head in p.titles] or found, at)
        return found[0] if len(found) == 1 else None

    def _last_named(self, people: list[Person], at: Place) -> Person | None:
        """Of `people`, the one named last before `at`, lately."""
        seen = [
            s
            for s in self.sightings
            if any(s.person is p for p in people)
            and (s.paragraph, s.offset) < at
            and at[0] - s.paragraph <= _RECENT_PARAGRAPHS
        ]
        return max(seen, key=lambda s: (s.paragraph, s.offset)).person if seen else None

    def _named_next(self, paragraph: int) -> Person | None:
        """The person the next paragraph opens with, when it is the first time the article
        names them and they come with no role of their own to contradict the mention's."""
        for sighting in self.sightings:
            if sighting.paragraph == paragraph + 1 and sighting.subject:
                person = sighting.person
                is_first = self._first.get(id(person)) is sighting
                return person if is_first and person.role is None else None
        return None

    def _introduced_in(self, paragraph: int, candidates: list[Sighting]) -> Person | None:
        """The last person among `candidates` whom the article first names in `paragraph`
        with a role: someone brought in to be quoted next."""
        for sighting in reversed(candidates):
            if sighting.paragraph < paragraph:
                break
            person = sighting.person
            if (
                sighting.paragraph == paragraph
                and self._first[id(person)] is sighting
                and person.role is not None
            ):
                return person
        return None

    def resolve_name(self, mention: str, at: Place | None = None) -> Person | None:
        """The person a mention at `at` (paragraph, offset) names."""
        parts = split_name(re.sub(r"\s*\([^()]*\)\s*$", "", mention))  # "(R-Ohio)"
        if parts is None:
            # A lone word that is no name by itself ("King") may be the surname of someone
            # named in full before ("Larry King").
            lone = mention.split()
            return self._by_surname(lone[0], None, at) if len(lone) == 1 else None
        found = self._person(parts, at)
        if found is None:
            found = self.people.setdefault(parts.name, Person(parts.name))
        gender = gender_of_title(parts.title)
        if gender:
            found.genders[gender] += 2
        return found

    def named(self, mention: str, at: Place | None = None) -> Person | None:
        """The person already known whom a mention at `at` names, if any; unlike
        `resolve_name`, it makes nobody new (an addressee such as "CNN" is no speaker)."""
        parts = split_name(mention)
        if parts is None:
            return None
        words = parts.name.split()
        return self.people.get(parts.name) or self._by_surname(
            parts.surname, words[0] if len(words) > 1 else None, at
        )

    def antecedent(
        self,
        paragraph: int,
        offset: int,
        gender: str | None,
        last_speakers: list[tuple[Place, Person]],
        spoken_to: Person | None = None,
    ) -> Person | None:
        """The person a he/she at (paragraph, offset) most likely means: the nearest compatible
        mention, as `_nearest` finds it, never the one it is `spoken_to` ("Hannity asked Trump
        …" then "“…,” he told Hannity" is Trump). Most people quoted in news are men, so someone
        the article says nothing about is more likely a "he" than a "she": a "she" first goes to
        a woman the article shows as one (Mrs., Ms., her own "she") and named lately, even when
        a man of whom it says nothing spoke last."""

        def fits(p: Person) -> bool:
            return _compatible(p, gender) and p is not spoken_to

        if gender == "f":
            known = self._nearest(
                paragraph, offset, lambda p: p.gender == gender and fits(p), last_speakers
            )
            # ... unless the paragraph's own subject before it may be her: "The Washington
            # Post columnist Ruth Marcus … wrote that …. "…," she wrote."
            here = self._subject_here(paragraph, offset, fits, last_speakers)
            if here is not None and (known is None or not self._named_in(known, paragraph)):
                return here
            if known is not None and self._named_lately(known, paragraph, offset):
                return known
        return self._nearest(paragraph, offset, fits, last_speakers)

    def _subject_here(
        self,
        paragraph: int,
        offset: int,
        fits: Callable[[Person], bool],
        last_speakers: list[tuple[Place, Person]],
    ) -> Person | None:
        """The last subject or speaker of an earlier sentence of this paragraph that `fits` (a
        speaker on a tie: in "Trump campaign spokesman Jason Miller told …", Trump opens the
        sentence, Miller speaks)."""
        here = [
            (s.offset, 0, s.person)
            for s in self.sightings
            if s.paragraph == paragraph and s.offset < offset and s.subject and fits(s.person)
        ]
        here += [
            (where[1], 1, person)
            for where, person in last_speakers
            if where[0] == paragraph and where[1] < offset and fits(person)
        ]
        return max(here, key=lambda item: item[:2])[2] if here else None

    def _named_in(self, person: Person, paragraph: int) -> bool:
        return any(s.person is person and s.paragraph == paragraph for s in self.sightings)

    def _named_lately(self, person: Person, paragraph: int, offset: int) -> bool:
        return any(
            s.person is person
            and (s.paragraph, s.offset) < (paragraph, offset)
            and paragraph - s.paragraph <= _RECENT_PARAGRAPHS
            for s in self.sightings
        )

    def _nearest(
        self,
        paragraph: int,
        offset: int,
        fits: Callable[[Person], bool],
        last_speakers: list[tuple[Place, Person]],
    ) -> Person | None:
        """The last subject or speaker of an earlier sentence of the same paragraph, else the
        latest speaker, else the latest person named, of those that `fits`."""
        if (here := self._subject_here(paragraph, offset, fits, last_speakers)) is not None:
            return here
        before = [
            s
            for s in self.sightings
            if (s.paragraph, s.offset) < (paragraph, offset) and fits(s.person)
        ]
        recent = [
            person
            for (where, _), person in last_speakers
            if paragraph - where <= _RECENT_PARAGRAPHS and fits(person)
        ]
        if recent and any(w[0] == paragraph - 1 for w, p in last_speakers if p is recent[-1]):
            return recent[-1]  # the speaker of the paragraph before goes on
        newcomer = self._introduced_in(paragraph - 1, before)
        if newcomer is not None:
            return newcomer  # "… concerns Henry Crespo, president of …" then "“…,” he said."
        if recent:
            return recent[-1]
        subjects = [s for s in before if s.subject and paragraph - s.paragraph <= 1]
        for sighting in reversed(subjects or before):
            return sighting.person
        return None


def _first_sightings(sightings: list[Sighting]) -> dict[int, Sighting]:
    first: dict[int, Sighting] = {}
    for sighting in sightings:
        first.setdefault(id(sighting.person), sighting)
    return first


def _same_form(word: str) -> str:
    """O’Neill and O'Neill are one name."""
    return word.replace("’", "'")


_WORD = re.compile(r"\S+")


def _starts_sentence(text: str, starts: list[int], offset: int) -> bool:
    """Whether a name at `offset` opens its sentence (after titles or "But"), as subjects do."""
    at = bisect_right(starts, offset)  # the sentence's start: the last at or before offset
    start = starts[at - 1] if at else 0
    # Read lazily: a long sentence of names is read up to its first lower-case word only.
    lead = (word.group(0) for word in _WORD.finditer(text, start, offset))
    # "Former Arizona governor Jan Brewer, …, calls": a title in lower case opens it all the same
    return all(
        w[:1].isupper() or w.lower() in ("but", "and", "so", "of") or is_title(w) for w in lead
    )


def _compatible(person: Person, gender: str | None) -> bool:
    return gender is None or person.gender in (None, gender)


def appositive_after(text: str, name_end: int) -> str | None:
    """The role in ", the head of Jaish al Izza rebel group," right after a name."""
    # The full stop of a middle initial ("the Thomas B. Fordham Institute") ends no appositive.
    match = re.match(r",\s+([^,;\"“”]{3,120}?)(?:,|;|(?<!\b[A-Z])\.(?:\s|$)|$)", text[name_end:])
    if not match or not is_appositive_start(match.group(1)):
        return None
    return appositive_role(match.group(1))
