"""Who a mention is: full names for surnames and titles, antecedents for pronouns, roles.

An article introduces a person once in full ("Captain Naji Mustafa, spokesman for …") and then
says "Mustafa" or "he". The cast is read from the whole article before any mention is resolved,
so a role given anywhere in the article reaches every attribution of that speaker.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import takewhile

from index import budget
from index.attribution.fields import is_place
from index.attribution.names import (
    PARTICLES,
    ROLE_NOUNS,
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

_PRONOUN_GENDER = {
    "he": "m",
    "his": "m",
    "himself": "m",
    "she": "f",
    "hers": "f",
    "herself": "f",
}
# Only subject and possessive forms tell a named person's gender: in "McCaskill scolded him" or
# "Trump attacked her" the object pronoun is someone else.
_PRONOUN = re.compile(r"\b(?:he|his|himself|she|hers|herself)\b", re.I)
_RECENT_PARAGRAPHS = 4
_PARTY_HEADS = PARTIES | {"democratic", "gop", "party"}
# Particles that are also first names when capitalised first: Ben Carson, Van Jones (but "De
# Blasio" opening a sentence is a surname).
_FIRST_NAMES = frozenset("Ben Van".split())
# Known by one name after the title: "King Salman", "Pope Francis", and British peers ("Lord
# Falconer", "Baroness Thatcher").
_ONE_NAME_TITLES = frozenset(
    "king queen prince princess pope sheikh emir lord lady baroness baron".split()
)
# Words after which a role mention only says where or what: "the senator from Ohio".
_QUALIFIERS = frozenset("from of for at in with".split())


def role_head(words: list[str]) -> str | None:
    """The title a role mention is headed by ("senator" in "the senator from Ohio"), or None
    when the mention is no role ("the campaign")."""
    cut = next((i for i, w in enumerate(words) if i and w.lower() in _QUALIFIERS), len(words))
    head = words[cut - 1].lower().strip(",.")
    return head if head in TITLE_WORDS else None


# A role's words before the noun it is headed by: "who served as the chief U.S. military
# adviser in Iraq" is an adviser.
_ROLE_LEAD = re.compile(
    r"^(?:who|which)\s+(?:\w+\s+){0,2}?(?:as|is|was|has\s+been|had\s+been)\s+(?:(?:the|a|an)\s+)?",
    re.I,
)
_ROLE_CUT = frozenset("of for to at in with from on who which that and whose by".split())
# Words that make a role one held before: "former candidate for governor in California".
PAST = frozenset("former ex onetime one-time erstwhile then late".split())


def role_noun(role: str) -> tuple[str, bool] | None:
    """The noun a role is headed by, and whether it is a role held before: ("president",
    False) for "president of the American Action Network", ("adviser", False) for "adviser to
    the president", ("candidate", True) for "former candidate for governor"."""
    words = [w.strip(',.;:()"“”').lower() for w in _ROLE_LEAD.sub("", role.strip()).split()]
    cut = next((i for i, w in enumerate(words) if i and w in _ROLE_CUT), len(words))
    piece = [w for w in words[:cut] if w]
    if not piece:
        return None
    past = any(w in PAST or w.startswith(("ex-", "former-")) for w in piece[:-1])
    return piece[-1], past


@dataclass
class Person:
    name: str
    genders: Counter[str] = field(default_factory=Counter)
    role: str | None = None
    titles: set[str] = field(default_factory=set)  # "mayor" from "Mayor Bill de Blasio"
    # Named by the last word of the name alone ("Sanders said"): a person's name, since no
    # story shortens "Wells Fargo" to "Fargo".
    surnamed: bool = False

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
    # Who puts a question ("Tapper asked whether …", "asked by Matt Lauer") is not who answers:
    # the he or she after it is the one asked.
    asker: bool = False
    # The subject of a clause within the sentence: "when Michael Capellas … called", "what
    # Melania Trump told NBC", "leader Ray Halbritter, who …". Not a name after a preposition
    # ("the scrutiny over Melania Trump") or the object of a verb.
    clause_subject: bool = False


@dataclass(frozen=True)
class PronounSubject:
    """A sentence of paragraph `paragraph` opening at `offset` with "he" or "she" (outside
    quotations): the person it means goes on as the one the story is about."""

    paragraph: int
    offset: int
    gender: str


class Cast:
    """The people an article names, in order, with what the article says about them."""

    def __init__(self, paragraphs: list[str], quotes: list[list[Quote]]) -> None:
        self.texts = paragraphs
        self.people: dict[str, Person] = {}
        # Who has a word in their name, by its form (see `_put`): a lookup reads the few
        # people a word names, never the whole cast, so a long article of many stories is
        # read in time in proportion to its length.
        self._order: dict[int, int] = {}  # id -> when the name it is known by was put
        self._puts = 0
        self._with_word: dict[str, list[Person]] = {}  # a word after the first
        self._with_last: dict[str, list[Person]] = {}
        self._with_first: dict[str, list[Person]] = {}
        # Each person's sightings and subject sightings, in reading order.
        self._places: dict[int, list[Place]] = {}
        self._subject_places: dict[int, list[Place]] = {}
        # Who has a title or a word in their role (`_note_roles`), for a role mention.
        self._with_role_word: dict[str, list[Person]] = {}
        self.sightings: list[Sighting] = []
        self.pronoun_subjects: list[PronounSubject] = []
        # The same, by paragraph: the walk back from a pronoun reads a few paragraphs, never
        # the whole article.
        self._seen_in: dict[int, list[Sighting]] = {}
        self._subjects_in: dict[int, list[PronounSubject]] = {}
        self._chained: dict[Place, Person | None] = {}
        self._chain_next = 0  # pronoun_subjects before this index are resolved, or being
        for index, text in enumerate(paragraphs):
            budget.check()  # an article's people are read paragraph by paragraph
            self._read(index, text, quotes[index])
        # Where each person is first named (by id of the person), for bridging and newcomers.
        self._first = _first_sightings(self.sightings)

    def _read(self, index: int, text: str, quotes: list[Quote]) -> None:
        mentions = name_mentions(text)
        starts = [start for start, _ in sentence_spans(text)]
        hints = [
            gender_of_title(parts.title) or _appositive_gender(text, o) for o, parts in mentions
        ]
        people = [
            self._person(parts, gender=hint)
            for (_, parts), hint in zip(mentions, hints, strict=True)
        ]
        self._read_pronoun_subjects(index, text, starts, quotes)
        for k, (offset, parts) in enumerate(mentions):
            person = people[k]
            if person is None:
                continue
            gender = hints[k]
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
            end = offset + len(parts.name)
            sentence = max((s for s in starts if s <= offset), default=0)
            # Not after another person named in an opening phrase: in "Take a look at what John
            # Leguizamo, Zoe Saldana, …" no one is the subject yet.
            named_before = any(
                sentence <= o < offset
                and people[j] is not None
                and not text.startswith(("'s", "’s"), o + len(other.name))
                for j, (o, other) in enumerate(mentions)
            )
            subject = _starts_sentence(text, starts, offset, end, named_before)
            if pronoun and subject:
                person.genders[_PRONOUN_GENDER[pronoun.group(0).lower()]] += 1
            after = appositive_after(text, end)
            if after and (said := gender_of_title(" ".join(after.split()[:3]))):
                person.genders[said] += 1  # "Grant, the son of …"
            if person.role is None:
                person.role = after or title_role(parts.title)
            # Only the words that are titles: a headline in capitals ("America Ferrera Sent
            # Donald Trump A Message About Latinos") makes no title of "Sent" or "Message".
            titles = [w.lower().rstrip(".") for w in parts.title.split() if is_title(w)]
            titles += _role_words_before(text, offset)  # "columnist Ai Jun", "star Selenis Leyva"
            person.titles.update(titles + [SPELLED_OUT[t] for t in titles if t in SPELLED_OUT])
            self._note_roles(person)
            if not any(q.start <= offset < q.end for q in quotes):
                start = max((s for s in starts if s <= offset), default=0)
                asker = _asks(text[start:offset], text[end:])
                asked = bool(_ASKED_OBJECT.search(text[start:offset]))
                clause = bool(
                    _CLAUSE_BEFORE.search(text[start:offset])
                    or _WHO_AFTER.match(text, end)
                    or _ROLE_BEFORE.search(text[start:offset])
                )
                sighting = Sighting(
                    index, offset, person, (subject or asked) and not asker, asker, clause
                )
                self.sightings.append(sighting)
                self._seen_in.setdefault(index, []).append(sighting)
                self._places.setdefault(id(person), []).append((index, offset))
                if sighting.subject:
                    self._subject_places.setdefault(id(person), []).append((index, offset))

    def _read_pronoun_subjects(
        self, index: int, text: str, starts: list[int], quotes: list[Quote]
    ) -> None:
        for start in starts:
            if any(q.start <= start < q.end for q in quotes):
                continue
            found = _PRONOUN_SUBJECT.match(text, start)
            if found is not None and not any(q.start <= found.start(1) < q.end for q in quotes):
                gender = _PRONOUN_GENDER[found.group(1).lower()]
                subject = PronounSubject(index, found.start(1), gender)
                self.pronoun_subjects.append(subject)
                self._subjects_in.setdefault(index, []).append(subject)

    def _person(
        self, parts: NameParts, before: Place | None = None, gender: str | None = None
    ) -> Person | None:
        if is_place(parts.name.rstrip("?!")):
            return None  # "New Hampshire" is capitalised like a name, and no person
        words = parts.name.split()
        regnal = parts.title.split()[-1:]  # "King Salman", "Pope Francis": known by one name
        if len(words) == 1 and regnal and regnal[0].lower() in _ONE_NAME_TITLES:
            name = f"{regnal[0].capitalize()} {words[0]}"
            return self._setdefault(name)
        if len(words) >= 2 and (words[0].lower() not in PARTICLES or words[0] in _FIRST_NAMES):
            known = self._by_surname(parts.surname, words[0], before) or self._ending(words)
            if known is None:
                known = self._known_by_surname(parts.surname, gender) or Person(parts.name)
                known.name = parts.name
                self._put(known)
            return known
        # A surname alone: "Mustafa", or "De Blasio" opening a sentence; or the family name
        # that comes first ("Shen" for Shen Xincheng, "Ban" for Ban Ki-moon).
        known = self._by_surname(parts.surname, None, before)
        if known is not None and len(words) == 1 and len(known.name.split()) > 1:
            known.surnamed = True
        if known is None and len(words) == 1:
            known = self._ending([words[0]], first=True)
        if known is None and parts.title and len(words) == 1:
            # "President Obama", "Mr. Obama" in a story that never gives his first name: a
            # person all the same, known by the surname until a full name comes.
            known = self._setdefault(words[0])
        return known

    def _put(self, person: Person) -> None:
        """Put `person` in the cast under their name, and index its words."""
        if person.name not in self.people:
            self._order[id(person)] = self._puts
            self._puts += 1
        self.people[person.name] = person
        words = [_same_form(w) for w in person.name.split()]
        for word in set(words[1:]):
            self._with_word.setdefault(word, []).append(person)
        self._with_last.setdefault(words[-1], []).append(person)
        self._with_first.setdefault(words[0], []).append(person)

    def _setdefault(self, name: str) -> Person:
        known = self.people.get(name)
        if known is None:
            known = Person(name)
            self._put(known)
        return known

    def _note_roles(self, person: Person) -> None:
        """Index `person` by their titles and the words of their role, as they now are."""
        words = set(person.titles)
        if person.role:
            words.update(person.role.lower().split())
            words.update(w.strip(",.;:") for w in person.role.lower().split())
            if (noun := role_noun(person.role)) is not None:
                words.add(noun[0])
        for word in words:
            listed = self._with_role_word.setdefault(word, [])
            if not listed or listed[-1] is not person:
                listed.append(person)

    def _current(self, people: list[Person]) -> list[Person]:
        """Of `people` (from an index), those the cast still knows by the name indexed, once
        each, in the order the cast's dict has them."""
        alive = {id(p): p for p in people if self.people.get(p.name) is p}
        return sorted(alive.values(), key=lambda p: self._order[id(p)])

    def _ending(self, words: list[str], first: bool = False) -> Person | None:
        """The one person whose full name ends with `words` ("Vargas Llosa" is Mario Vargas
        Llosa, "Suu Kyi" is Aung San Suu Kyi), or with `first`, the one two-word name that
        starts with the word."""
        wanted = [_same_form(w) for w in words]
        found = []
        index = self._with_first if first else self._with_last
        for person in self._current(index.get(wanted[0] if first else wanted[-1], [])):
            named = [_same_form(w) for w in person.name.split()]
            if first:
                if len(named) == 2 and named[0] == wanted[0]:
                    found.append(person)
            elif len(named) > len(wanted) and named[-len(wanted) :] == wanted:
                found.append(person)
        return found[0] if len(found) == 1 else None

    def _known_by_surname(self, surname: str, gender: str | None = None) -> Person | None:
        """A person so far named only by title and surname ("Mr. Obama"), now named in full:
        one person, renamed; not when the article shows another sex ("President Obama" and
        "the first lady, Michelle Obama")."""
        person = self.people.get(surname)
        if person is None or person.name != surname:
            return None
        if gender is not None and person.gender not in (None, gender):
            return None
        del self.people[surname]
        self._order.pop(id(person), None)
        return person

    def _by_surname(self, surname: str, first: str | None, before: Place | None) -> Person | None:
        """The person a surname means. Of two with that surname, the one last named as the
        subject of a sentence before `before` (by default, so far): Jeh Johnson once "Homeland
        Security Secretary Jeh Johnson says …" has moved the story on from Gary Johnson; else
        the first named ("Clinton said" in a story on Bill Clinton's speech that mentions
        "his wife Hillary Clinton")."""
        surname = _same_form(surname)
        found = []
        for person in self._current(self._with_word.get(surname, [])):
            words = [_same_form(w) for w in person.name.split()]
            if surname in words[1:] and (first is None or words[0] == _same_form(first)):
                found.append(person)
        if len(found) < 2:
            return found[0] if found else None
        latest: tuple[Place, Person] | None = None
        for person in found:
            places = self._subject_places.get(id(person), [])
            cut = len(places) if before is None else bisect_left(places, before)
            if cut and (latest is None or places[cut - 1] > latest[0]):
                latest = (places[cut - 1], person)
        return latest[1] if latest is not None else found[0]

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
            for p in self._current(self._with_role_word.get(head, []))
            if head in p.titles or (p.role and head in p.role.lower().split())
        ]
        opens_paragraph = at is not None and at[1] == 0
        if not found and at is not None and opens_paragraph and (person := self._named_next(at[0])):
            person.role = mention[4:] if words[0].lower() == "the" else mention
            self._note_roles(person)
            return person
        if len(found) > 1 and at is not None and head not in _PARTY_HEADS:
            # "the governor": the one named last with that title (a party is no office: "the
            # Wisconsin Republican" is not the last Republican named)
            return self._last_named([p for p in found if head in p.titles] or found, at)
        return found[0] if len(found) == 1 else None

    def with_role(self, head: str, past: bool = False) -> list[Person]:
        """The people the article gives `head` as a title or as their role's noun
        ("candidate" for "presidential candidate Donald Trump", "columnist" for "columnist Ai
        Jun", "adviser" for "who served as the chief U.S. military adviser in Iraq"; not
        "president" for "adviser to the president"). A role the person held before ("former
        candidate for governor") only when the mention says so too (`past`)."""
        found = []
        for p in self._current(self._with_role_word.get(head, [])):
            if not _person_like(p):
                continue
            noun = role_noun(p.role) if p.role else None
            if head in p.titles or (noun is not None and noun[0] == head and (past or not noun[1])):
                found.append(p)
        return found

    def in_sentence(
        self, at: Place, gender: str | None, content: Sequence[tuple[int, int]] = ()
    ) -> Person | None:
        """Whom a description at `at` means when its own sentence names them before it: the
        subject when no one else is named ("Cruz defends his record: “…,” the senator says"),
        else the one other person ("Mr. Trump took on Hillary Clinton after the Democratic
        front-runner had said" is Clinton); None when it could be either."""
        paragraph, offset = at
        starts = [s for s, _ in sentence_spans(self.texts[paragraph])]
        sentence = max((s for s in starts if s <= offset), default=0)
        askers = self._askers(paragraph)
        named = [
            s
            for s in self._seen_in.get(paragraph, [])
            if sentence <= s.offset < offset
            and _compatible(s.person, gender)
            and _person_like(s.person)
            and id(s.person) not in askers
            and not any(a <= s.offset < b for a, b in content)  # who is said of, not who said
        ]
        subjects = {id(s.person): s.person for s in named if s.subject}
        others = {id(s.person): s.person for s in named if not s.subject}
        others = {k: p for k, p in others.items() if k not in subjects}
        if subjects and len(others) == 1:
            return next(iter(others.values()))
        if len(subjects) == 1 and not others:
            return next(iter(subjects.values()))
        return None

    def named_before(self, at: Place, gender: str | None) -> tuple[list[Person], list[Person]]:
        """The subjects and the people named in the last sentence before `at`'s, in its
        paragraph, that names anyone (not a cheer in between: "Rubio sought … . Walking into
        the office to chants of "Marco! Marco!," the senator said")."""
        paragraph, offset = at
        starts = [s for s, _ in sentence_spans(self.texts[paragraph])]
        here = max((s for s in starts if s <= offset), default=0)
        earlier = [s for s in self._seen_in.get(paragraph, []) if s.offset < here and not s.asker]
        if not earlier:
            return [], []
        before = max(s for s in starts if s <= earlier[-1].offset)
        seen = [
            s
            for s in earlier
            if before <= s.offset and _compatible(s.person, gender) and _person_like(s.person)
        ]
        subjects = {id(s.person): s.person for s in seen if s.subject}
        named = {id(s.person): s.person for s in seen}
        return list(subjects.values()), list(named.values())

    def newcomer_after(self, at: Place, head: str) -> Person | None:
        """Whom a description opening paragraph `at` introduces, as wire copy writes: "The
        Pentagon's recent top adviser went further" then "“…,” said retired Army Lt. Gen. Mick
        Bednarek, who served as the chief U.S. military adviser in Iraq". The first person the
        article first names in the next paragraph, with that title or role; in a story's
        opening lines (nobody named before), with any role unless the description is an
        office."""
        paragraph, offset = at
        lead = self.texts[paragraph][:offset]
        if len(lead.split()) > 2 or any(c in lead for c in '.,;:"“”'):
            return None  # not the paragraph's opening words ("Even the organizer of …")
        opening = not self.sightings or self.sightings[0].paragraph >= paragraph
        for sighting in self._seen_in.get(paragraph + 1, []):
            person = sighting.person
            if sighting.asker or self._first.get(id(person)) is not sighting:
                continue
            noun = role_noun(person.role) if person.role else None
            if head in person.titles or (noun is not None and noun[0] == head):
                return person
            # an office names one role: "The insurance commissioner says …" is not Dana
            # Whitlock, "a spokeswoman for the brokers"; a party or epithet fits any role
            free = head not in TITLE_WORDS or head in _PARTY_HEADS
            return person if opening and free and person.role is not None else None
        return None

    def is_subject(self, paragraph: int, offset: int, end: int) -> bool:
        """Whether words at `offset` to `end` of a paragraph are its sentence's subject."""
        starts = [s for s, _ in sentence_spans(self.texts[paragraph])]
        return _starts_sentence(self.texts[paragraph], starts, offset, end)

    def named_since(self, person: Person, paragraph: int, at: Place) -> bool:
        """Whether `person` is named from `paragraph` on, before `at`."""
        places = self._places.get(id(person), [])
        cut = bisect_left(places, at)
        return bool(cut) and places[cut - 1] >= (paragraph, -1)

    def last_named(self, people: list[Person], at: Place) -> Person | None:
        return self._last_named(people, at)

    def about(
        self,
        at: Place,
        gender: str | None,
        last_speakers: list[tuple[Place, Person]],
        paragraphs: int,
    ) -> Person | None:
        """Whom the text is about just before `at`, for a description there ("the retired
        neurosurgeon"): the subject or speaker of an earlier sentence of its paragraph or of
        the `paragraphs` before, of the sex given. None when another person is named in the
        description's own sentence before it: "Mr. Trump took on Hillary Clinton after the
        Democratic front-runner had said" could mean either."""
        paragraph, offset = at
        starts = [s for s, _ in sentence_spans(self.texts[paragraph])]
        sentence = max((s for s in starts if s <= offset), default=0)

        def fits(p: Person) -> bool:
            return _compatible(p, gender) and _person_like(p) and id(p) not in askers

        askers = self._askers(paragraph)
        named = [s for s in self._seen_in.get(paragraph, []) if sentence <= s.offset < offset]
        if named:
            # a description is not the subject of its own sentence (that would be a he or
            # she): "Mr. Trump took on Hillary Clinton after the Democratic front-runner had
            # said" is Clinton; with two others it could be either
            others = {id(s.person): s.person for s in named if not s.subject and fits(s.person)}
            subjects = [s for s in named if s.subject]
            return next(iter(others.values())) if subjects and len(others) == 1 else None
        here = self._subject_here(paragraph, sentence, fits, last_speakers)
        if here is not None:
            return here
        walked = self._walk_back(paragraph, sentence, fits, last_speakers)
        if not walked:
            return None
        person = walked[0]
        lately = range(paragraph - paragraphs, paragraph + 1)
        spoke = any(p is person for q in lately for _, p in _speakers_in(last_speakers, q))
        return person if spoke or any(self._named_in(person, p) for p in lately) else None

    def _last_named(self, people: list[Person], at: Place) -> Person | None:
        """Of `people`, the one named last before `at`, lately."""
        ids = {id(p) for p in people}
        seen = [
            s
            for paragraph in range(max(0, at[0] - _RECENT_PARAGRAPHS), at[0] + 1)
            for s in self._seen_in.get(paragraph, [])
            if id(s.person) in ids and (s.paragraph, s.offset) < at
        ]
        return max(seen, key=lambda s: (s.paragraph, s.offset)).person if seen else None

    def _named_next(self, paragraph: int) -> Person | None:
        """The person the next paragraph opens with, when it is the first time the article
        names them and they come with no role of their own to contradict the mention's."""
        for sighting in self._seen_in.get(paragraph + 1, []):
            if sighting.subject:
                person = sighting.person
                is_first = self._first.get(id(person)) is sighting
                return person if is_first and person.role is None else None
        return None

    def _introduced_in(self, paragraph: int, fits: Callable[[Person], bool]) -> Person | None:
        """The last person that `fits` whom the article first names in `paragraph` with a
        role: someone brought in to be quoted next."""
        seen = self._seen_in.get(paragraph, [])
        starts = [s for s, _ in sentence_spans(self.texts[paragraph])] if seen else []
        for sighting in reversed(seen):
            person = sighting.person
            if self._first[id(person)] is not sighting or person.role is None or not fits(person):
                continue
            # not someone named in another's description: "Cherie Blair, the wife of former
            # British Prime Minister Tony Blair, was in the audience"
            sentence = max((s for s in starts if s <= sighting.offset), default=0)
            if not any(s.subject and sentence <= s.offset < sighting.offset for s in seen):
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
            found = self._setdefault(parts.name)
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
        """The person a he/she at (paragraph, offset) most likely means: whom the story is
        about just before it. Going back from the pronoun: the subject or speaker of an
        earlier sentence of its paragraph, else anyone named there before it; then, paragraph
        by paragraph, the last subject, speaker or he/she subject of each. Never the one it is
        `spoken_to` ("Hannity asked Trump …" then "“…,” he told Hannity" is Trump), nor one who
        only put the question, nor a name that is no person ("China", "Officials"). Most people
        quoted in news are men, so someone the article says nothing about is more likely a
        "he" than a "she": a "she" goes first to a woman the article shows as one (Mrs.,
        Ms., spokeswoman, her own "she") named lately, unless her own paragraph's subject may
        be her."""
        askers = self._askers(paragraph)

        def fits(p: Person) -> bool:
            return (
                _compatible(p, gender)
                and p is not spoken_to
                and _person_like(p)
                and id(p) not in askers
            )

        here = self._subject_here(paragraph, offset, fits, last_speakers)
        if here is not None:
            return here
        walked = list(self._walk_back(paragraph, offset, fits, last_speakers))
        if gender == "f":
            # Of people the article says nothing about, the speaker lately quoted is likelier a
            # she than whoever was last the subject of a sentence.
            woman = next((p for p in walked if p.gender == "f"), None)
            if woman is None and walked and self._named_in(walked[0], paragraph):
                woman = walked[0]  # "… what Melania Trump told NBC. …, she said"
            return woman or self._nearest(paragraph, offset, fits, last_speakers)
        if walked:
            return walked[0]
        return self._nearest(paragraph, offset, fits, last_speakers)

    def _askers(self, paragraph: int) -> set[int]:
        """Who put a question in this paragraph or the one before, and is not its subject."""
        return {
            id(s.person)
            for p in (paragraph - 1, paragraph)
            for s in self._seen_in.get(p, [])
            if s.asker
        }

    def _walk_back(
        self,
        paragraph: int,
        offset: int,
        fits: Callable[[Person], bool],
        last_speakers: list[tuple[Place, Person]],
    ) -> list[Person]:
        """The people that `fits` whom the text has lately been about, latest first: in the
        pronoun's own paragraph anyone named before it; then in each paragraph before (at most
        `_RECENT_PARAGRAPHS`), its subjects, speakers and he/she subjects from the last, and
        someone it introduces with a role."""
        found: list[Person] = []

        def add(person: Person | None) -> None:
            if person is not None and fits(person) and all(p is not person for p in found):
                found.append(person)

        here: list[tuple[int, int, Person | None]] = [
            (s.offset, 0, s.person)
            for s in self._seen_in.get(paragraph, [])
            if s.offset < offset and s.clause_subject and not s.asker
        ]
        here += self._chained_in(paragraph, offset, last_speakers)
        for _, _, person in sorted(here, key=lambda e: e[:2], reverse=True):
            add(person)
        if not found:
            # "… listening to FBI Director James Comey's statement. He called …": the one
            # person the sentence before names
            add(self._only_named_before(paragraph, offset, fits))
        for back in range(paragraph - 1, max(-1, paragraph - 1 - _RECENT_PARAGRAPHS), -1):
            events: list[tuple[int, int, Person | None]] = [
                (s.offset, 0, s.person) for s in self._seen_in.get(back, []) if s.subject
            ]
            events += [(w[1], 1, p) for w, p in _speakers_in(last_speakers, back)]
            events += self._chained_in(back, None, last_speakers)
            # latest first; on a tie the speaker ("Trump senior communications adviser Jason
            # Miller said": Trump opens the sentence, Miller speaks)
            for _, _, person in sorted(events, key=lambda e: e[:2], reverse=True):
                add(person)
            if back == paragraph - 1:
                add(self._introduced_in(back, fits))  # brought in to be quoted next
        if not found:
            # a paragraph about someone it never makes the subject ("As we watched …, Nega
            # defended his decision"): the last person the nearest such paragraph names
            for back in range(paragraph - 1, max(-1, paragraph - 1 - _RECENT_PARAGRAPHS), -1):
                named = [s for s in self._seen_in.get(back, []) if not s.asker and fits(s.person)]
                if named:
                    add(named[-1].person)
                    break
        return found

    def _only_named_before(
        self, paragraph: int, offset: int, fits: Callable[[Person], bool]
    ) -> Person | None:
        """The one person that `fits` named in the sentence before `offset`'s, if only one."""
        starts = [s for s, _ in sentence_spans(self.texts[paragraph])]
        here = max((s for s in starts if s <= offset), default=0)
        before = max((s for s in starts if s < here), default=None)
        if before is None:
            return None
        named = {
            id(s.person): s.person
            for s in self._seen_in.get(paragraph, [])
            if before <= s.offset < here and not s.asker and fits(s.person)
        }
        return next(iter(named.values())) if len(named) == 1 else None

    def _chained_in(
        self, paragraph: int, before: int | None, last_speakers: list[tuple[Place, Person]]
    ) -> list[tuple[int, int, Person | None]]:
        return [
            (ps.offset, 0, self._chain(ps, last_speakers))
            for ps in self._subjects_in.get(paragraph, [])
            if before is None or ps.offset < before
        ]

    def _chain(
        self, subject: PronounSubject, last_speakers: list[tuple[Place, Person]]
    ) -> Person | None:
        """Whom a he/she opening an earlier sentence means, resolved once. The ones before it
        are resolved first, in order, and none after it (a cursor says how far they are), so a
        chain of them never recurses deeply and each is looked at once."""
        target = (subject.paragraph, subject.offset)
        while self._chain_next < len(self.pronoun_subjects):
            earlier = self.pronoun_subjects[self._chain_next]
            at = (earlier.paragraph, earlier.offset)
            if at > target:
                break
            self._chain_next += 1
            if at in self._chained:
                continue
            self._chained[at] = None  # never its own antecedent
            before = last_speakers[: bisect_left(last_speakers, at, key=lambda item: item[0])]
            self._chained[at] = self.antecedent(*at, earlier.gender, before)
        return self._chained.get(target)

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
            for s in self._seen_in.get(paragraph, [])
            if s.offset < offset and s.subject and fits(s.person)
        ]
        here += [
            (where[1], 1, person)
            for where, person in _speakers_in(last_speakers, paragraph)
            if where[1] < offset and fits(person)
        ]
        return max(here, key=lambda item: item[:2])[2] if here else None

    def _named_in(self, person: Person, paragraph: int) -> bool:
        return any(s.person is person for s in self._seen_in.get(paragraph, []))

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
        # the speakers of the last paragraphs only: a long article's are never all read again
        lately = bisect_left(
            last_speakers, paragraph - _RECENT_PARAGRAPHS, key=lambda item: item[0][0]
        )
        recent = [person for _, person in last_speakers[lately:] if fits(person)]
        if recent and any(p is recent[-1] for _, p in _speakers_in(last_speakers, paragraph - 1)):
            return recent[-1]  # the speaker of the paragraph before goes on
        newcomer = self._introduced_in(paragraph - 1, fits)
        if newcomer is not None:
            return newcomer  # "… concerns Henry Crespo, president of …" then "“…,” he said."
        if recent:
            return recent[-1]
        return self._last_seen(paragraph, offset, fits)

    def _last_seen(
        self, paragraph: int, offset: int, fits: Callable[[Person], bool]
    ) -> Person | None:
        """The last subject that `fits` named in this paragraph or the one before, before
        `offset`, else the last person that `fits` named before it at all (read back
        paragraph by paragraph, as far as needed)."""
        for back in (paragraph, paragraph - 1):
            for s in reversed(self._seen_in.get(back, [])):
                if s.subject and (s.paragraph, s.offset) < (paragraph, offset) and fits(s.person):
                    return s.person
        for back in range(paragraph, -1, -1):
            for s in reversed(self._seen_in.get(back, [])):
                if (s.paragraph, s.offset) < (paragraph, offset) and fits(s.person):
                    return s.person
        return None


def _speakers_in(
    last_speakers: list[tuple[Place, Person]], paragraph: int
) -> list[tuple[Place, Person]]:
    """The speakers of one paragraph, from the list of all so far (in reading order)."""
    start = bisect_left(last_speakers, paragraph, key=lambda item: item[0][0])
    end = bisect_left(last_speakers, paragraph + 1, key=lambda item: item[0][0])
    return last_speakers[start:end]


def _first_sightings(sightings: list[Sighting]) -> dict[int, Sighting]:
    first: dict[int, Sighting] = {}
    for sighting in sightings:
        first.setdefault(id(sighting.person), sighting)
    return first


def _same_form(word: str) -> str:
    """O’Neill and O'Neill are one name."""
    return word.replace("’", "'")


# Words that open a subordinate clause: "If Clinton is elected, he said …" has Clinton as no
# subject of the sentence.
_SUBORDINATORS = frozenset(
    "if when whenever while although though because since unless until once whether as".split()
)
# A name this far into its sentence is no opening subject; the bound keeps a sentence of
# thousands of names (text built to be slow) from being read again for each of them.
_LEAD_CHARS = 600


def _starts_sentence(
    text: str, starts: list[int], offset: int, end: int | None = None, named_before: bool = False
) -> bool:
    """Whether a name at `offset` (ending at `end`) is the subject of its sentence: it opens it
    (after titles or "But"), or follows an opening phrase set off by a comma ("On Sunday,
    Trump …", "Kazakhstan's foreign minister, Erlan Idrissov, …"); a possessive is not
    ("Schilling's son, Grant, …" is about Grant)."""
    if end is not None and text.startswith(("'s", "’s"), end):
        return False
    at = bisect_right(starts, offset)  # the sentence's start: the last at or before offset
    start = starts[at - 1] if at else 0
    if offset - start > _LEAD_CHARS:
        return False
    lead_text = text[start:offset]
    lead = lead_text.split()
    # an opening phrase: short, or a longer one that opens with a preposition or a
    # participle ("In his assessment of the real estate magnate, Calderon …", "Asked about
    # Cruz's charges, Rubio …")
    opening = lead and (
        len(lead) <= _OPENING_PHRASE
        or (
            len(lead) <= 2 * _OPENING_PHRASE
            and (lead[0].lower() in _PREPOSITIONS or lead[0].lower().endswith(("ed", "ing")))
        )
    )
    if (
        opening
        and not named_before
        and lead_text.rstrip().endswith(",")
        and not any(c in lead_text for c in '"“”')
    ):
        return True
    if any(w.lower().strip(",") in _SUBORDINATORS for w in lead):
        return False
    # "Former Arizona governor Jan Brewer, …, calls", "Republican presidential front-runner
    # Ben Carson": titles and modifiers in lower case open it all the same
    return all(
        w[:1].isupper()
        or w.lower() in _LEAD_WORDS
        or is_title(w.strip(","))
        or w.strip(",") in ROLE_NOUNS
        or _modifier(w)
        for w in lead
    )


_OPENING_PHRASE = (
    7  # words: "In an interview on Fox News Sunday," opens a sentence, a clause does not
)
_PREPOSITIONS = frozenset(
    "in on at after before during despite with for from since amid following under".split()
)
_LEAD_WORDS = frozenset("but and so of even also then yet still".split())
_MODIFIER = re.compile(
    r"(?:[a-z-]+(?:al|ial|ian|ive|ary|ic|ior|ent|ant|ist|er|or)|front-?runner|hopeful|"
    r"mogul|billionaire|senior|longtime|veteran|retired|campaign|communications|house|"
    r"state|press|staff|policy|security|affairs)",
)


def _modifier(word: str) -> bool:
    """A lower-case word of a title before a name ("presidential", "front-runner", "adviser"),
    not a verb ("met", "thanked", "says") or a function word."""
    return bool(_MODIFIER.fullmatch(word.strip(",").lower())) and word.lower() not in (
        "after",
        "over",
        "under",
        "for",
        "or",
        "nor",
        "her",
        "whether",
        "other",
        "either",
    )


# "Tapper asked whether …", "Dunford, recently, asked …": the one putting the question.
_ASKS_AFTER = re.compile(r"^[\s,]*(?:\w+ly\s+)?(?:asked|pressed|questioned|interviewed)\b")
_ASKS_BEFORE = re.compile(
    r"\b(?:[Aa]sked|[Qq]uestioned|[Pp]ressed|[Ii]nterviewed) by\s+(?:\S+\s+){0,3}$"
    r"|\b(?:interview|conversation) with\s+(?:\S+\s+){0,3}$"
)
# "… asked Admiral Harris just that question": the one asked, who answers next.
_ASKED_OBJECT = re.compile(r"\basked\s+(?:[A-Z][\w.]*\s+){0,2}$")
_PRONOUN_SUBJECT = re.compile(
    r"(?:(?:But|And|So|Yet|Still|Then|Now|Later|Instead),?\s+|[^,\"“”]{1,60},\s+)?([Hh]e|[Ss]he)\b"
)


_CLAUSE_BEFORE = re.compile(
    r"\b(?:when|whenever|while|what|whereas|because|after|before|since|if|that|although|"
    r"though|until|once|as)\s+(?:[A-Z][\w.'’-]*\s+|[a-z][\w-]*\s+(?=[A-Z])){0,4}$"
)
_WHO_AFTER = re.compile(r",?\s+who\b")
# A name set off after the role it fills: "the French ambassador to the United Nations,
# François Delattre, uttered …".
_ROLE_BEFORE = re.compile(
    r"\b(?:[Tt]he|[Aa]n?|[Hh]is|[Hh]er|[Ii]ts|[Tt]heir)\s+[^,;\"“”]{2,60},\s*$"
)


def _asks(before: str, after: str) -> bool:
    return bool(_ASKS_AFTER.match(after) or _ASKS_BEFORE.search(before))


_APPOSITIVE_BEFORE = re.compile(r"\b(?:the|a|an|his|her|their)\s+((?:[\w-]+\s+){0,3}[\w-]+),\s*$")


def _appositive_gender(text: str, offset: int) -> str | None:
    """The sex an appositive just before a name gives: "the first lady, Michelle Obama"."""
    found = _APPOSITIVE_BEFORE.search(text, max(0, offset - 60), offset)
    return gender_of_title(found.group(1)) if found else None


_WORDS_BEFORE = re.compile(r"((?:[a-z][\w-]*\s+){1,2})$")


def _role_words_before(text: str, offset: int) -> list[str]:
    """Role nouns in lower case right before a name: "columnist Ai Jun", "star Selenis Leyva"."""
    found = _WORDS_BEFORE.search(text, max(0, offset - 40), offset)
    words = found.group(1).split() if found else []
    # "Morning Joe hosts Joe Scarborough and …": one host of two
    singular = [
        w[:-1] if w.endswith("s") and w[:-1] in TITLE_WORDS | ROLE_NOUNS else w for w in words
    ]
    # only the words next to the name: in "The Republican nominee said Ginsburg" the nominee
    # is someone else
    roles = list(takewhile(lambda w: w in ROLE_NOUNS or w in TITLE_WORDS, reversed(singular)))
    return roles[::-1]


def _person_like(person: Person) -> bool:
    """Someone a he or she can mean: a full name, a title or a sex the article gives. "China",
    "Officials" or "Latinos", read as names, are not."""
    return len(person.name.split()) > 1 or bool(person.titles) or bool(person.genders)


def _compatible(person: Person, gender: str | None) -> bool:
    return gender is None or person.gender in (None, gender)


def appositive_after(text: str, name_end: int) -> str | None:
    """The role in ", the head of Jaish al Izza rebel group," right after a name."""
    # The full stop of a middle initial ("the Thomas B. Fordham Institute") ends no appositive.
    match = re.match(r",\s+([^,;\"“”]{3,120}?)(?:,|;|(?<!\b[A-Z])\.(?:\s|$)|$)", text[name_end:])
    if not match or not is_appositive_start(match.group(1)):
        return None
    return appositive_role(match.group(1))
