"""Who said what, paragraph by paragraph: quotations and reported speech with their speakers.

Rules and regular expressions only (no model). Each paragraph is read on its own for cues,
source phrases and content (claims.py); the article as a whole then resolves who the sources
are (speakers.py): "Mustafa" and "he" become "Naji Mustafa", a role given once is given to every
attribution of that speaker, and a quotation with no cue of its own is given to the speaker of
the paragraph before (a quotation running on, or one announced by "X said:"). Every field a
reader sees passes fields.py (no mask, dateline, clause or place); across a library, one
person's names are one identity (identity.py, used by the store).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from index import budget
from index.attribution.claims import Claim, ParagraphReading, read_paragraph
from index.attribution.fields import (
    clean_role,
    dateline_end,
    has_mask,
    is_place,
    speaker_problem,
)
from index.attribution.fitted_cues import DROPPED_CUES
from index.attribution.letters import signed
from index.attribution.names import ROLE_NOUNS, is_title, split_name
from index.attribution.phrases import PRONOUNS, speaks_for_named
from index.attribution.quotes import find_quotes, mask
from index.attribution.referents import Quoted, is_description, resolve
from index.attribution.speakers import Cast, Person, Place, role_head
from index.models import PART_JOIN, Attribution

__all__ = ["PART_JOIN", "VERSION", "attribute"]

# Bump when what `attribute` finds changes: a store whose articles were read by another version
# says so, and `saidwho reindex` (or /reindex) reads them again.
VERSION = "22"

_GENDER = {"he": "m", "she": "f"}
_QUOTED_LATELY = 20  # attributions back that a description ("the company") may mean


@dataclass
class _Resolved:
    """A claim with its speaker settled: a person from the cast, or a group by its words."""

    paragraph: int
    claim: Claim
    person: Person | None
    group: str | None

    @property
    def speaker(self) -> str | None:
        return self.person.name if self.person else self.group


def attribute(paragraphs: Sequence[str]) -> list[list[Attribution]]:
    """For an article given as its content paragraphs (title and boilerplate already removed),
    the attributions found in each paragraph, in order (result[i] belongs to paragraphs[i])."""
    texts = [str(p) for p in paragraphs]
    readings = []
    for text in texts:
        budget.check()
        readings.append(read_paragraph(text))
    cast = Cast(texts, [r.quotes for r in readings])
    resolved = _resolve(readings, cast)
    roles = _roles(texts, resolved)
    headings = _headings(texts)
    result: list[list[Attribution]] = [[] for _ in texts]
    for item in resolved:
        attribution = _attribution(texts[item.paragraph], item, roles, headings)
        if attribution is not None:
            result[item.paragraph].append(attribution)
    for found, letter in zip(result, signed(texts), strict=True):
        found.extend(letter)
    return result


def _resolve(readings: list[ParagraphReading], cast: Cast) -> list[_Resolved]:
    resolved: list[_Resolved] = []
    speakers: list[tuple[Place, Person]] = []
    for index, reading in enumerate(readings):
        budget.check()
        for claim in reading.claims:
            item = _resolve_claim(index, reading.text, claim, cast, speakers, resolved)
            resolved.append(item)
            start = item.claim.source.start if item.claim.source else item.claim.position
            if item.person is not None and not _reported_within(start, claim, reading.claims):
                speakers.append(((index, start), item.person))
        if not reading.claims:
            follow = _floating(index, reading, readings, resolved)
            if follow is not None:
                resolved.append(follow)
    return [r for r in resolved if not r.claim.colon]


def _reported_within(start: int, claim: Claim, claims: list[Claim]) -> bool:
    """Whether a source at `start` lies in what another claim reports: in "Melendres said …
    whereas Petraeus acknowledged that he knew …" Petraeus speaks only within Melendres's
    account, and the "He also said" after it goes on with Melendres."""
    return any(
        other is not claim and any(a <= start < b for a, b in other.spans) for other in claims
    )


def _resolve_claim(
    index: int,
    text: str,
    claim: Claim,
    cast: Cast,
    speakers: list[tuple[Place, Person]],
    resolved: list[_Resolved],
) -> _Resolved:
    if claim.source is None:
        return _Resolved(index, claim, None, None)
    claim = _house_style(text, claim)
    assert claim.source is not None
    if _THE_NAME.fullmatch(claim.source.mention) and not _titled(claim.source.mention):
        return _Resolved(index, claim, None, claim.source.mention)  # "The Sunday Telegraph"
    mention = claim.source.mention
    low = mention.lower()
    if low in _GENDER:
        at = (index, claim.source.start)
        spoken_to = cast.named(claim.addressee, at) if claim.addressee else None
        person = cast.antecedent(index, claim.source.start, _GENDER[low], speakers, spoken_to)
        return _Resolved(index, claim, person, None)
    if low == "they":
        group = next(
            (
                r.group
                for r in reversed(resolved)
                if r.group and index - r.paragraph <= 2 and not _one_person(r.group)
            ),
            None,
        )
        return _Resolved(index, claim, None, group)
    if low == "it":
        # "It said that …": the organisation or document last quoted, if one was lately.
        group = next(
            (
                r.speaker
                for r in reversed(resolved)
                if index - r.paragraph <= 2 and r.speaker and _an_it(r)
            ),
            None,
        )
        return _Resolved(index, claim, None, group)
    if low in PRONOUNS:
        return _Resolved(index, claim, None, None)
    at = (index, claim.source.start)
    parts = split_name(mention)
    if parts is not None and speaks_for_named(parts.title):
        return _Resolved(index, claim, None, _group_name(mention))  # "Aides to Gov. Christie"
    person = cast.resolve_name(mention, at)
    if person is not None:
        return _Resolved(index, claim, person, None)
    quoted = [
        Quoted(
            (r.paragraph, r.claim.source.start if r.claim.source else r.claim.position),
            r.person,
            r.group,
        )
        for r in resolved[-_QUOTED_LATELY:]
    ]
    # A description is read in its context first ("the senator" in a sentence about Cruz),
    # a role mention no description ("Connecticut's tax commissioner says") by roles alone.
    described = resolve(mention, at, text, cast, speakers, quoted, claim.spans)
    if described is not None:
        return _Resolved(index, claim, described.person, described.group)
    if not is_description(mention) and (person := cast.by_role(mention, at)) is not None:
        return _Resolved(index, claim, person, None)
    return _Resolved(index, claim, None, _group_name(mention))


_THE_NAME = re.compile(r"(?:The|the)\s+(?:[A-Z][\w'’&.-]*\s*)+$")
# "Election watchdog the Electoral Commission": a capitalised word and nouns, then the name.
_GROUP_AFTER_ROLE = re.compile(
    r"^((?!(?:The|A|An)\s)[A-Z][\w-]*(?:\s+(?!(?:of|for|at|in|from|with|to|on|by)\s)"
    r"[a-z][\w-]*){1,3})\s+(the\s+[A-Z].*)$"
)
_AGENT = re.compile(r"[a-z-]+(?:er|or|ist|ian|ant|ent|man|woman|person)s?")


def _house_style(text: str, claim: Claim) -> Claim:
    """The source as other house styles than PolNeAR's write it, set right before it is
    resolved: a wire dateline before it ("WASHINGTON -- The Supreme Court justice said"), a
    newspaper whose name holds a weekday or "Daily" ("The Sunday Telegraph says", read as
    "Telegraph" with role "Sunday"), a role that is no title ("The memory Gordon Brown says
    he cherishes …"), a group after its role ("Election watchdog the Electoral
    Commission")."""
    source = claim.source
    assert source is not None
    mention, role, start = source.mention, source.role, source.start
    cut = dateline_end(mention, 0)
    if cut:
        mention, start = mention[cut:].lstrip(), start + len(mention) - len(mention[cut:].lstrip())
    span = text[source.start : source.end]
    if role and _THE_NAME.fullmatch(span) and not _titled(span):
        mention, role = span, None  # "The Sunday Telegraph", "The Daily Mail"
    elif role and _no_title(role) and re.match(rf"(?:The|the)\s+{re.escape(role)}\s", span):
        role = None  # "The memory Gordon Brown says …"
    if (group := _GROUP_AFTER_ROLE.match(mention)) and role is None:
        role, mention = group.group(1), group.group(2)
        start = source.start + source.mention.find(mention) if mention in source.mention else start
    if (mention, role, start) == (source.mention, source.role, source.start):
        return claim
    return replace(claim, source=replace(source, mention=mention, role=role, start=start))


def _titled(name: str) -> bool:
    """ "The Rev. Al Sharpton" is a person: a title among the words after "The"."""
    return any(is_title(w) for w in name.split()[1:])


def _no_title(role: str) -> bool:
    """A lower-case phrase with nothing of a title or an agent noun in it ("memory")."""
    words = role.split()
    return (
        len(words) <= 2
        and all(w[:1].islower() for w in words)
        and not any(is_title(w) or w in ROLE_NOUNS or _AGENT.fullmatch(w) for w in words)
    )


def _an_it(item: _Resolved) -> bool:
    """ "The Times", "the report", "Politico" can be an "it"; "officials", or a person the
    article says anything of (a title, a he or she), cannot."""
    if item.person is not None:
        person = item.person
        return len(person.name.split()) == 1 and not person.titles and not person.genders
    last = (item.group or "").split()[-1].lower()
    return not last.endswith("s") or last.endswith(("ss", "news", "times", "us"))


def _one_person(group: str) -> bool:
    """ "the senator from Ohio" is one person nobody named: no "they" refers to it."""
    words = group.split()
    return len(words) > 1 and words[0].lower() in ("the", "a", "an") and bool(role_head(words))


def _group_name(mention: str) -> str:
    """ "The campaign" at a sentence start is "the campaign"; "The New York Times" stays."""
    words = mention.split()
    if len(words) > 1 and words[0] in ("The", "A", "An") and words[1][:1].islower():
        words[0] = words[0].lower()
    return " ".join(words)


def _floating(
    index: int,
    reading: ParagraphReading,
    readings: list[ParagraphReading],
    resolved: list[_Resolved],
) -> _Resolved | None:
    """A paragraph of quotation with no cue continues the previous paragraph's speaker."""
    if index == 0 or not resolved or resolved[-1].paragraph != index - 1:
        return None
    last = resolved[-1]
    announced = last.claim.colon
    if not (last.claim.direct or announced or readings[index - 1].opens_unclosed):
        return None
    text = reading.text
    spans, direct = list(reading.floating), True
    if not spans and announced and not reading.quotes and text.strip():
        # "The governor added:" then a paragraph set off without marks: the statement itself.
        spans, direct = [(len(text) - len(text.lstrip()), len(text.rstrip()))], False
    if not spans or sum(end - start for start, end in spans) < 0.5 * len(text.strip()):
        return None
    claim = Claim(
        source=last.claim.source if announced else None,
        cue=last.claim.cue if announced else None,
        addressee=last.claim.addressee if announced else None,
        spans=spans,
        direct=direct,
        position=spans[0][0],
    )
    return _Resolved(index, claim, last.person, last.group)


def _roles(texts: list[str], resolved: list[_Resolved]) -> dict[str, str]:
    """Each speaker's role: the first the article gives at an attribution, else anywhere, as
    its paragraph spells it (a role may quote the title of a work)."""
    roles: dict[str, str] = {}
    for item in resolved:
        speaker = item.speaker
        role = item.claim.source.role if item.claim.source else None
        if role and has_mask(role):
            role = _unmasked(texts[item.paragraph], role)
        if speaker and role and speaker not in roles:
            roles[speaker] = role
    for item in resolved:
        if item.person and item.person.role and item.person.name not in roles:
            roles[item.person.name] = item.person.role
    return roles


_HEADING = re.compile(r"[A-Z][\w'’-]*(?:\s+[A-Z&][\w'’-]*){0,2}")


def _headings(texts: list[str]) -> frozenset[str]:
    """The article's subheadings, a paragraph of a word or three and no sentence ("Market",
    "Election", "Statistics" in British copy): a heading names a section, never who spoke."""
    return frozenset(t.strip() for t in texts if _HEADING.fullmatch(t.strip()))


def _attribution(
    text: str, item: _Resolved, roles: dict[str, str], headings: frozenset[str]
) -> Attribution | None:
    quote = _quote_text(text, item.claim.spans)
    if not quote or (item.claim.cue, item.claim.direct) in DROPPED_CUES:
        # A cue form news gold does not count as attribution ("boasted", a tweet quoted): its
        # speaker still counts for the pronouns after it, but it is not shown as said.
        return None
    source = item.claim.source
    speaker = item.speaker
    # The appositive at this mention first ("Flynn, a top Trump surrogate,"), else the role
    # the article gives the speaker elsewhere.
    role = source.role if source is not None else None
    if role is None and speaker:
        role = roles.get(speaker)
    mention = source.mention if source else None
    if has_mask(role):
        role = _unmasked(text, role)
    if (
        has_mask(mention)
        or (speaker and speaker_problem(speaker, clean_role(role)))
        or (speaker in headings and len(speaker.split()) == 1)
    ):
        # A quotation, a place or a heading read as the source: better no speaker than a
        # wrong one.
        speaker = mention = None
    return Attribution(
        speaker=speaker,
        mention=mention,
        role=clean_role(role),
        addressee=_addressee(item.claim.addressee),
        cue=item.claim.cue,
        quote=quote,
        direct=item.claim.direct,
    )


def _addressee(addressee: str | None) -> str | None:
    """Whom it was said to, never where: "in an interview in Honolulu" is no addressee."""
    if addressee is None:
        return None
    # A sentence's full stop is no part of the name ("told Reuters."), an initial's is ("U.S.").
    addressee = re.sub(r"(?<=[a-z]{3})\.$", "", addressee.strip().rstrip(",;:"))
    return None if not addressee or is_place(addressee) else addressee


_CLOSING_MARK = re.compile(r'[,.]?"')


def _unmasked(text: str, phrase: str | None) -> str | None:
    """`phrase` read on the masked paragraph, as the paragraph spells it: roles are found with
    quotations masked, and a role may quote ("whose move reeks of "desperation"")."""
    if phrase is None:
        return None
    masked = mask(text, find_quotes(text))
    # The role's words, however the paragraph spaces them (a mask writes '' as ' "').
    found = re.search(r"\s+".join(map(re.escape, phrase.split())), masked)
    if found is None:
        return None
    at, end = found.span()
    # "host of MSNBC’s “Morning Joe,”": a quotation opened in the role closes in it too
    if phrase.count('"') % 2 and (close := _CLOSING_MARK.match(masked, end)):
        end = close.end()
        if text[end - 1 : end + 1] in ("''", "’’"):
            end += 1  # the mask writes a closing '' as '" '
    return text[at:end]


def _quote_text(text: str, spans: list[tuple[int, int]]) -> str:
    """The content: its parts in reading order, joined by PART_JOIN when a quotation is split
    by its cue or runs on in sentences of its own."""
    parts = [text[a:b].strip() for a, b in spans if text[a:b].strip()]
    return PART_JOIN.join(parts)
