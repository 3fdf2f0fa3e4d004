"""The source phrase of a cue: who is speaking, in the words of this paragraph, with any role.

Before the cue: "Captain Naji Mustafa, spokesman for the NLF, told", "opposition figures told",
"longtime Democratic pollster Pat Caddell told", "he said". After it (inverted order, after a
quotation): "said Mohammad Rashid, a spokesperson for Jaish al-Nasr". After "according to": any
noun phrase, "according to opposition sources".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from index.attribution.cues import AUXILIARIES, PRE_CUE_TIME, skip_adjuncts
from index.attribution.fields import PREPOSITIONS, is_abbreviation, is_adverb, is_place
from index.attribution.lookback import words_back
from index.attribution.names import (
    SPELLED_OUT,
    NameParts,
    is_capitalised,
    is_honorific,
    is_title,
    split_name,
)
from index.attribution.phrases import (
    CLAUSE_WORDS,
    CONNECTIVES,
    DETERMINERS,
    FUNCTION_WORDS,
    NOT_A_SOURCE,
    OBJECT_PRONOUNS,
    PRONOUNS,
    QUANTIFIERS,
    SENTENCE_ADVERBS,
    STOP_AFTER_NAME,
    appositive_role,
    head_index,
    is_appositive,
    is_clause,
    is_relative,
    speaks_for_named,
    split_title,
    tail_after_boundary,
    title_role,
    whole_phrase,
)

_PARTY = re.compile(r"\([RDI]-")
_TRAILING_TAG = re.compile(r"\s*\([^()]{1,20}\)\s*$")


_NOMINAL_LINKS = frozenset("at in with from to on about".split())


# "He went on to say …", "she proceeded to explain …": the cue's lead-in is no part of the
# subject.
# "He's said …", "they've said …": a contracted "has"/"have" is no part of the subject either.
_AUX_TAIL = re.compile(
    r"(?:['’](?:s|ve|d)\s+(?=\S*$)|\s+(?:(?:went|goes|go|going|proceeded|proceeds)\s+(?:on\s+)?to\s+)?)"
    + AUXILIARIES
    + r"$"
)
_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class Source:
    """A speaker as this paragraph words it: `mention` ("Mustafa", "he", "a source"), `role`
    from an appositive or a descriptor before the name, and where the phrase lies."""

    mention: str
    role: str | None
    start: int
    end: int


def _words(text: str, lo: int, hi: int) -> list[re.Match[str]]:
    return list(_WORD.finditer(text, lo, hi))


def _comma_segments(masked: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """[lo, hi) cut at commas (and dashes, semicolons, colons) not inside parentheses:
    "fireworks on Friday: Republicans said" has the subject "Republicans"."""
    segments, depth, start = [], 0, lo
    for i in range(lo, hi):
        char = masked[i]
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(0, depth - 1)
        elif depth == 0 and (char in ",;—–" or (char == ":" and masked[i + 1 : i + 2] == " ")):
            segments.append((start, i))
            start = i + 1
    segments.append((start, hi))
    return segments


def _strip_span(masked: str, lo: int, hi: int) -> tuple[int, int]:
    while lo < hi and masked[lo] in ' \t\n,"':
        lo += 1
    while hi > lo and masked[hi - 1] in ' \t\n,"':
        hi -= 1
    return lo, hi


_CONCESSIVE = frozenset(("though", "although"))  # "Though executives who … say"


def _skip_connectives(masked: str, lo: int, hi: int) -> int:
    for word in _words(masked, lo, hi):
        if word.group(0).lower().strip(",") not in CONNECTIVES | _CONCESSIVE:
            return word.start()
    return hi


def _head_phrase(masked: str, lo: int, hi: int) -> tuple[int, int] | None:
    """The noun phrase a cue's subject segment ends with: the whole segment when it is short
    and not a clause, else its trailing pronoun or name."""
    lo = _skip_connectives(masked, lo, hi)
    words = _words(masked, lo, hi)
    if not words:
        return None
    texts = [w.group(0) for w in words]
    if any(t.startswith(('"', "“")) or "x" * 3 in t for t in texts):
        return None  # a quotation is no speaker
    limit = 12 if texts[0].lower() in DETERMINERS else 8
    if len(words) <= limit and not is_clause(texts) and whole_phrase(texts):
        return lo, hi
    last = texts[-1].lower()
    if last in PRONOUNS or texts == ["It"] or texts == ["it"]:  # "…, and it says …"
        return words[-1].start(), hi
    tail = tail_after_boundary(texts)
    if tail is not None:
        return words[tail].start(), hi
    k = len(words)
    while k > 0 and (is_capitalised(texts[k - 1]) or texts[k - 1].lower() in ("al", "de", "van")):
        k -= 1
    if k == len(words) or (k > 0 and texts[k - 1].lower() in ("in", "near")):
        return None  # "… the server taken from Mrs. Clinton's house in Chappaqua": a place
    if split_name(" ".join(texts[k:])) is not None:
        return words[k].start(), hi
    return None


def source_before(masked: str, lo: int, cue_start: int) -> Source | None:
    """The speaker phrase that ends right before a cue, with its appositive role if any."""
    lo = words_back(masked, lo, cue_start)
    hi = _before_auxiliaries(masked, lo, cue_start)
    segments = [s for s in _comma_segments(masked, lo, hi) if _strip_span(masked, *s)[0] < s[1]]
    segments = [_strip_span(masked, *s) for s in segments]
    segments = [s for s in segments if s[0] < s[1]]
    if not segments:
        return None
    head = head_index([masked[slice(*seg)] for seg in segments])
    phrase = _head_phrase(masked, *segments[head])
    last = head == len(segments) - 1
    if phrase is None:
        return _modified_group(masked, *segments[head]) if last else None
    if (
        last
        and masked[phrase[0] : phrase[0] + 1].isupper()
        and _WHO_BEFORE.search(masked, segments[head][0], phrase[0])
    ):
        # "Many of the local GOP leaders who'd rather be campaigning for … Ben Carson said":
        # the name ends a relative clause; the group it is on speaks.
        group = _modified_group(masked, *segments[head])
        if group is not None:
            return group
    role = None
    if head < len(segments) - 1:
        described = [seg for seg in segments[head + 1 :] if not is_relative(masked[slice(*seg)])]
        kept = segments[head + 1 : head + 1 + len(described)] if described else []
        if kept and kept == described:
            role = appositive_role(masked[kept[0][0] : kept[-1][1]])
        elif described and not is_relative(masked[slice(*segments[head + 1])]):
            # After "whose latest start-up, Paradata, …" what follows is the clause's.
            role = appositive_role(masked[slice(*described[0])])
    texts = [masked[slice(*seg)] for seg in segments]
    if phrase[0] == segments[head][0] and " and " in masked[phrase[0] : phrase[1]]:
        # "Jason Dana, Robyn Dawes and Nathanial Peterson wrote": the list is the speaker.
        first = head
        while first > 0 and _listed_name(texts[first - 1]):
            first -= 1
        if first < head:
            return _source(masked, segments[first][0], phrase[1], role)
    if head == 1 and phrase[0] == segments[1][0] and described_then_named(texts):
        # "the company's chief executive, John J. Ferriola, said": the description is his
        # role and part of the source, not of what he said.
        source = _source(
            masked, phrase[0], phrase[1], role or appositive_role(masked[slice(*segments[0])])
        )
        return None if source is None else replace(source, start=segments[0][0])
    return _source(masked, phrase[0], phrase[1], role)


def _listed_name(text: str) -> bool:
    """A name as a list gives it: "Carson", "Robyn Dawes", "Ms. Toretti"."""
    words = text.split()
    return (
        1 <= len(words) <= 4
        and all(is_capitalised(w) for w in words)
        and words[0].lower() not in FUNCTION_WORDS | PREPOSITIONS
        and not is_place(text)
    )


def _without_full_stop(masked: str, end: int) -> int:
    """Where a phrase ending at `end` ends without the sentence's full stop ("Trump.", not
    "Jr.")."""
    last = masked[:end].rsplit(None, 1)[-1]
    return end - 1 if last.endswith(".") and not is_abbreviation(last) else end


# A quotation after these words is the title of a work ("author of "…"").
_NAMES_A_WORK = re.compile(r"\b(?:of|titled|called|dubbed|named)\s*$")
# Whom someone speaks for, named after them: "… for Mayor Frank G. Jackson of Cleveland".
_FOR_NAMED = re.compile(
    r"\s+(?:close\s+)?(?P<to>to|for)\s+(?:the\s+)?[A-Z][\w.'’-]*"
    r"(?:\s+(?:of\s+(?:the\s+)?)?[A-Z][\w.'’-]*)*"
)
_PHRASE_END = re.compile(r"\s*(?:[,;:!?\"]|\.(?:\s|$)|$)")


def for_named_end(masked: str, lo: int, end: int, limit: int) -> int | None:
    """Where the phrase from `lo` to `end` ends when it is someone who speaks for, or stands
    near, a person named right after it ("a spokesman for Mayor Frank G. Jackson",
    "a person close to the Clintons"), else None."""
    run = _FOR_NAMED.match(masked, end, limit)
    if run is None or not speaks_for_named(masked[lo : run.start("to") + 3]):
        return None
    return _without_full_stop(masked, run.end())


_LISTED = r"[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}"
_LIST_AFTER = re.compile(rf"(?:,\s+{_LISTED})*,?\s+and\s+{_LISTED}(?=\s*(?:[.,;:!?\"]|$))")
_NAME_AFTER = re.compile(
    r",\s+((?:[A-Z][\w'’-]*\.?\s+){1,3}[A-Z][\w'’-]+)"
    # "…, Andrew J. Pincus of the law firm Mayer Brown.": where the person is from
    r"(?:\s+of\s+(?P<of>(?:the\s+)?(?:[\w&'’.-]+\s+){0,5}[A-Z][\w&'’-]*))?"
    r"(?=\s*(?:[,.;:!?\"]|$))"
)
# "the company's chief executive", "Clinton's campaign chairman"
_DESCRIPTOR_START = re.compile(
    r"(?:the|a|an|another|its|his|her|their|our|(?:(?:Mr|Mrs|Ms|Dr)\.\s+)?[A-Z][\w.-]*['’]s)\s",
    re.I,
)


def _is_full_name(text: str) -> bool:
    """ "John J. Ferriola": a person's name of two or more words and nothing else."""
    parts = split_name(text.strip(" ,."))
    return parts is not None and not parts.title and len(parts.name.split()) >= 2


def _is_description(text: str) -> bool:
    """ "the company's chief executive", "a former spokesman for Ukraine's Foreign Ministry": a
    short noun phrase led by a determiner, no clause."""
    texts = text.split()
    return (
        bool(_DESCRIPTOR_START.match(text))
        and 2 <= len(texts) <= 10
        and not is_clause(texts)
        and whole_phrase(texts)
    )


def described_then_named(segments: list[str]) -> bool:
    """The first two comma segments are a description and the full name it describes."""
    return len(segments) >= 2 and _is_description(segments[0]) and _is_full_name(segments[1])


# Where a group's noun phrase gives way to what is said of it: "some voters | who have
# listened …", "Republican activists | clamoring to block …", "sources | privy to …".
_WHO_BEFORE = re.compile(r"\s(?:who|whom|whose)(?:['’]d|['’]s|['’]ve)?\s")
_MODIFIER_START = re.compile(
    r"(?:who|who['’]d|that|which|whose|privy|close|familiar|in|of|from|at|on|with|across|around|"
    r"[a-z]+ing|[a-z]+ed)$"
)
_GROUP_START = re.compile(
    r"(?:a|an|the|some|many|most|several|few|both|all|other|multiple|"
    r"\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten)$",
    re.I,
)
_MAX_GROUP_SUBJECT = 25


def _modified_group(masked: str, lo: int, hi: int) -> Source | None:
    """A group named with a modifier that makes the whole subject too long or clause-like for a
    name: "A woman who has accused former President Bill Clinton of rape said …",
    "Republican activists clamoring to block Donald Trump … say …". The head noun phrase is
    the speaker, the modifier their role."""
    lo = _skip_connectives(masked, lo, hi)
    words = _words(masked, lo, hi)
    texts = [w.group(0) for w in words]
    if not 2 <= len(texts) <= _MAX_GROUP_SUBJECT or any("xxx" in t for t in texts):
        return None
    opens = _GROUP_START.fullmatch(texts[0]) or (
        texts[0][:1].isupper() and len(texts) > 1 and texts[1][:1].islower()
    )
    if not opens:
        return None
    # "Many of the local GOP leaders who …": a quantity and what it is of are the head
    first = 3 if len(texts) > 3 and texts[1] == "of" and texts[0].lower() in QUANTIFIERS else 1
    cut = next(
        (
            i
            for i in range(first, min(len(texts), first + 5))
            if _MODIFIER_START.fullmatch(texts[i])
        ),
        None,
    )
    if cut is None or texts[cut - 1].lower() in FUNCTION_WORDS:
        return None
    head_end = words[cut - 1].end()
    group = _group(masked[lo:head_end], None, lo, head_end)
    if group is None:
        return None
    role = masked[words[cut].start() : hi].strip(" ,")
    return Source(group.mention, role or None, lo, hi)


_AMONG_THOSE = re.compile(
    r",?\s+(?:is|are|was|were)\s+(?:among|one\s+of)\s+(?:those|the\s+[\w-]+(?:\s+[\w-]+)?)\s*$"
)
_RELATIVE_TAIL = re.compile(r"(?:,\s*|\s+)(?:who|which)\s*$")
_NP_LINKS = frozenset("of on at from in for".split())
_RUN_JOINERS = frozenset("of the and & for".split())


# What may stand between a name and its relative clause: an age, where they are from, an
# appositive.
_DESCRIBES_BEFORE = re.compile(r"\d{1,3}|(?:of|from|in)\s+(?:[A-Z][\w.'’-]*\s*){1,3}")


def _describes(segment: str) -> bool:
    segment = segment.strip()
    if _DESCRIBES_BEFORE.fullmatch(segment):
        return True
    words = segment.split()
    return bool(words) and words[0].lower() in ("a", "an") and is_appositive(segment)


def source_relative(masked: str, lo: int, cue_start: int) -> Source | None:
    """The speaker of a cue in a relative clause: "an architect who said …", "the Chicago
    Police Department, which reported …", "Democrats on Capitol Hill, who have argued …"."""
    lo = words_back(masked, lo, cue_start)
    hi = _before_auxiliaries(masked, lo, cue_start)
    relative = _RELATIVE_TAIL.search(masked, lo, hi)
    if relative is None:
        return None
    rel = relative.start()
    if among := _AMONG_THOSE.search(masked, lo, rel + 1):
        # "Naureen Jahangir, a Sanders supporter, is among those who say …": she says it
        return source_before(masked, lo, among.start() + 1)
    while (comma := masked.rfind(",", lo, rel)) > lo and _describes(masked[comma + 1 : rel]):
        # "Nicky Driscoll, 24, from Manchester, who said", "Howard Rubel, a senior analyst at
        # Jefferies, who notes": the name, not the town or the firm
        rel = comma
    words = _words(masked, lo, rel)
    start = _antecedent_start(words)
    if start is None:
        return None
    lo, hi = words[start].start(), words[-1].end()
    joined = masked.rfind(", and ", lo, hi)
    if joined >= 0:  # "… Syria, and Donald J. Trump, who suggested …": the last conjunct
        lo = joined + len(", and ")
        words = [w for w in words if w.start() >= lo]
        start = 0
    if any(w.group(0).lower() in _NP_LINKS for w in words[start:]):
        return _group(masked[lo:hi], None, lo, hi)  # "Democrats on Capitol Hill"
    return _source(masked, lo, hi, None)


def _antecedent_start(words: list[re.Match[str]]) -> int | None:
    """Index of the first word of the noun phrase that `words` ends with."""
    texts = [w.group(0) for w in words]
    i = _head_start(texts, len(texts) - 1)
    if i is None:
        return None
    if i >= 2 and texts[i - 1].lower() in _NP_LINKS:  # "Democrats on Capitol Hill"
        head = _head_start(texts, i - 2)
        if head is not None and (is_capitalised(texts[i - 2]) or texts[i - 2].endswith("s")):
            i = head
    for k in range(i - 1, max(-1, i - 5), -1):  # modifiers back to a determiner
        low = texts[k].lower()
        if low in DETERMINERS or low in QUANTIFIERS or texts[k].endswith(("'s", "’s")):
            return k
        if low in FUNCTION_WORDS or not re.fullmatch(r"[\w-]+", texts[k]):
            break
    return i


def _head_start(texts: list[str], j: int) -> int | None:
    """Start of the head word or capitalised run ending at texts[j]."""
    if j < 0 or not re.fullmatch(r"[\w.'’&-]+", texts[j]):
        return None
    low = texts[j].lower()
    if low in FUNCTION_WORDS or low in OBJECT_PRONOUNS or low in SENTENCE_ADVERBS:
        return None
    if not is_capitalised(texts[j]):
        return j
    i = j
    while i > 0 and (
        is_capitalised(texts[i - 1])
        or (texts[i - 1].lower() in _RUN_JOINERS and i > 1 and is_capitalised(texts[i - 2]))
    ):
        i -= 1
    return i


# A sentence adverb set off between the subject and its cue: "Will Rogers, for example, said".
_ASIDE = re.compile(
    r"\s*,\s*(?:however|for\s+example|for\s+instance|too|meanwhile|though|in\s+turn|in\s+fact|"
    r"instead|moreover|nonetheless|nevertheless|likewise|similarly|in\s+contrast|by\s+contrast|"
    r"for\s+(?:his|her|their|its)\s+part)\s*,\s*$",
    re.I,
)


# An aside in parentheses of three words or more (a party tag is one): the reporter's.
_PAREN_ASIDE = re.compile(r"\s*\((?:[^()\s]+\s+){2,}[^()]*\)\s*$")


def _before_auxiliaries(masked: str, lo: int, hi: int) -> int:
    """Where the subject ends before a cue at `hi`: auxiliaries, adverbs and time phrases
    ("has not", "just this month", ", on Tuesday,") are no part of it."""
    for _ in range(4):
        moved = hi
        tail = _AUX_TAIL.search(masked[lo:hi] + " ")
        if tail:
            hi = lo + tail.start()
        time = PRE_CUE_TIME.search(masked, lo, hi)
        if time and time.start() > lo:
            hi = time.start()
        aside = _ASIDE.search(masked, lo, hi)
        if aside and aside.start() > lo:
            hi = aside.start()
        said_of = _PAREN_ASIDE.search(masked, lo, hi)
        if said_of and said_of.start() > lo:
            hi = said_of.start()  # "Sen. Chris Murphy (a Democrat so boyish he …) says"
        if hi == moved:
            break
    return hi


def _source(masked: str, lo: int, hi: int, role: str | None, most_words: int = 12) -> Source | None:
    phrase = masked[lo:hi].strip(" ,").lstrip("<>|*#•-–— ")
    if phrase.lower() in PRONOUNS or phrase.lower() == "it":
        return Source(phrase, None, lo, hi)  # "It said …": a paper, a group, a report
    tag = _TRAILING_TAG.search(phrase)  # "Rep. Gwen Moore (D-Wis.)"
    bare = phrase[: tag.start()] if tag else phrase
    parts = split_name(bare)
    if parts is None and (person := _person_from(bare)) is not None:
        parts, where = person
        role = role or _from_role(parts, where)
    if parts is None or speaks_for_named(parts.title):
        # "The former top aide to President George W. Bush said": the aide speaks, not Bush.
        return _group(phrase, role, lo, hi, most_words)
    _, honorific = split_title(parts.title)
    mention = f"{honorific} {parts.name}".strip() + (tag.group(0) if tag else "")
    if role is None:
        role = title_role(parts.title)
    if role is None and tag:
        role = tag.group(0).strip(" ()")
    return Source(mention, role, lo, hi)


def _from_role(parts: NameParts, where: str) -> str | None:
    """The role of a person "of" somewhere: "Senator Chris Murphy of Connecticut" is the
    senator of Connecticut, "David Woodard of Clemson University" is of Clemson University."""
    title = title_role(parts.title) or _spelled_title(parts.title)
    if title and is_place(where):
        spelled = [
            SPELLED_OUT[w.rstrip(".").lower()].capitalize()
            if w.endswith(".") and w.rstrip(".").lower() in SPELLED_OUT
            else w
            for w in title.split()
        ]
        return f"{' '.join(spelled)} of {where}"  # "former Governor of Florida"
    return appositive_role(where)


def _spelled_title(title: str) -> str | None:
    """The title a name is given, if it is one word: "Senator", "Gov."."""
    words = title.split()
    last = words[-1] if words else ""
    known = last.rstrip(".").lower() in SPELLED_OUT or (not last.endswith(".") and is_title(last))
    return last if known and last[:1].isupper() else None  # "Mr.", "Dr." are no office


_FROM = re.compile(r"\s+(?:of|from)\s+(?=(?:the\s+(?:[a-z-]+\s+)?)?[A-Z])")


def _person_from(phrase: str, surname_alone: bool = False) -> tuple[NameParts, str] | None:
    """ "Senator Chris Murphy of Connecticut", "David Woodard of Clemson University": a person,
    then where they are from, which is their role and no part of their name. A surname alone is
    a person only where the cue says so (`surname_alone`: "said Smith of the delegation")."""
    for link in _FROM.finditer(phrase):
        parts = split_name(phrase[: link.start()])
        opener = parts.title.split()[0].lower() if parts and parts.title else ""
        if parts is None or opener in DETERMINERS:
            continue  # "The Hollywood Chamber of Commerce" is no person
        if not (surname_alone or parts.title) and len(parts.name.split()) < 2:
            continue  # "Half of Vermont Democrats"
        where = phrase[link.end() :]
        named = split_name(where)
        if named is not None and len(named.name.split()) >= 2 and named.title:
            return None  # "Chief of Staff Katie Walsh": a title with "of", then the name
        return parts, where
    return None


_SHARE = re.compile(r"\d+(?:\.\d+)?%")


def _group(phrase: str, role: str | None, lo: int, hi: int, most_words: int = 12) -> Source | None:
    """A source that is no person: "opposition figures", "The Tax Policy Center"."""
    words = phrase.split()
    content = [w for w in words if w.lower().strip(",.") not in FUNCTION_WORDS]
    share = len(words) == 1 and _SHARE.fullmatch(words[0])  # "42% say they are liberal"
    if not (share or any(c.isalpha() for w in content for c in w)) or len(words) > most_words:
        return None
    lone = words[0].lower().strip(",.") if len(words) == 1 else ""
    if lone and (lone in NOT_A_SOURCE or lone in SENTENCE_ADVERBS or is_adverb(lone)):
        return None  # "Thursday", "Overall": a lone capitalised word that is no source
    return Source(phrase, role, lo, hi)


def source_after(masked: str, pos: int, end: int) -> Source | None:
    """The speaker phrase right after a cue in inverted order ("…," said Caddell)."""
    words = _words(masked, pos, end)
    if not words:
        return None
    first = words[0].group(0).rstrip(",.")
    if first in PREPOSITIONS:
        return None  # "…, said in a statement": how, not who
    found = (
        words[0].start() + len(first) if first.lower() in PRONOUNS else _np_end(masked, words, end)
    )
    described = _described_name_end(words)
    if described is not None and (found is None or described > found):
        found = described  # "said MSNBC host Chris Matthews", "said 9/11 widow Terry Strada"
    if found is None:
        return None
    np_start = words[0].start()
    np_end = name_end = found
    tail = for_named_end(masked, np_start, np_end, end)
    if tail is not None and _PHRASE_END.match(masked, tail, end):
        # "said a longtime adviser to Trump.": whom the adviser advises is part of who speaks
        return _source(masked, np_start, tail, None)
    if masked[np_start : np_start + 1].isupper() and (
        listed := _LIST_AFTER.match(masked, np_end, end)
    ):
        # "wrote Jason Dana, Robyn Dawes and Nathanial Peterson.": the list is the speaker.
        return _source(masked, np_start, _without_full_stop(masked, listed.end()), None)
    role, affiliation_role = None, ""
    if affiliation := _AFFILIATION.match(masked, np_end, end):
        # "said Robert Antonacci of the New York delegation.": the sentence's full stop is no
        # part of it, an abbreviation's ("D.C.") is.
        np_end = affiliation.end() - bool(re.search(r"[a-z]{3}\.$", affiliation.group(0)))
        person = _person_from(masked[np_start:np_end], surname_alone=True)
        if person is None:
            name_end = np_end  # "the head of the National Retail Federation"
        else:
            affiliation_role = person[1]  # "Robert Antonacci" speaks, "of" his delegation
            role = _from_role(*person)
    after, _ = skip_adjuncts(masked, np_end, end)
    if outlet := _FOR_OUTLET.match(masked, after, end):
        after = outlet.end()  # "wrote Cameron Easley for Morning Consult"
    if masked.startswith(",", np_end):
        after = np_end  # "said Murphy, now a consultant …": the role, not a time adjunct
    named = _NAME_AFTER.match(masked, after, end) if masked.startswith(",", after) else None
    if named and _is_description(masked[np_start:np_end]) and _is_full_name(named.group(1)):
        # "said the bureau's director, James B. Comey.": the name speaks, the description
        # before it is the role.
        role = appositive_role(masked[np_start:np_end])
        if role and named["of"]:
            role = f"{role} of {named['of']}"
        source = _source(masked, named.start(1), named.end(1), role)
        return None if source is None else replace(source, start=np_start)
    if masked.startswith(",", after) and not masked.startswith(', "', after):
        role_end = masked.find('"', after)
        while role_end >= 0 and _NAMES_A_WORK.search(masked, after, role_end):
            # "said Steven Brill, author of "America's Bitter Pill," a history of …": the
            # title of a work is part of the role.
            closing = masked.find('"', role_end + 1)
            role_end = masked.find('"', closing + 1) if closing >= 0 else -1
        role_end = end if role_end < 0 else role_end
        if clause := _CLAUSE_AFTER_ROLE.search(masked, after + 1, role_end):
            role_end = clause.start()  # "says Jorge Llamas, 31, of Tujunga, Calif., but he …"
        segment = masked[after + 1 : role_end]
        if is_appositive(segment.strip()):
            # "Mujtaba Rahman of the Eurasia Group, a political risk company": both describe him.
            both = f"{affiliation_role}, {segment.strip()}" if role else segment
            role = appositive_role(both) or appositive_role(segment)
            return _source(masked, np_start, name_end, role)
    rest = masked[after:end].lstrip()
    if rest.startswith("(") and ")" in rest:  # "said Mr. Burman (a view shared by many)."
        rest = rest[rest.index(")") + 1 :].lstrip()
    if rest and rest[0] not in '.,;:!?"' and not _RELATIVE_AFTER.match(rest):
        return None
    return _source(masked, np_start, name_end, role)


_CLAUSE_AFTER_ROLE = re.compile(r",\s+(?:but|and|while|although|though|yet)\s")


# "said a former official who oversaw …": a relative clause describes the speaker; it is
# no role (a clause), and no reason to doubt the noun phrase before it.
_RELATIVE_AFTER = re.compile(r"(?:who|whose)\s")


# Where a person after an inverted cue is from: "of the New York delegation", "of Cheyenne",
# "of the National Retail Federation", ending the clause.
_AFFILIATION = re.compile(
    r"\s+(?:of|from)\s+(?:the\s+(?:[a-z-]+\s+)?)?[A-Z][\w.'’&-]*(?:\s+(?:[A-Z][\w.'’&-]*|of|and|for|the))*"
    r"(?:\s+[a-z]+)?(?=\s*[.,;:!?\"]|$)"
)
_FOR_OUTLET = re.compile(r"\s+for\s+(?:the\s+)?[A-Z][\w.'’&-]*(?:\s+[A-Z][\w.'’&-]*){0,4}")
_DESCRIPTOR_WORD = re.compile(r"[\w/'’&.-]+")
_PARTY_AFTER = re.compile(r"\([RDI](?:-[\w.]+)?\)")


def _described_name_end(words: list[re.Match[str]]) -> int | None:
    """End of "descriptor Name" after an inverted cue ("said MSNBC host Chris Matthews."): a
    few plain words, then a person's name of two or more words ending the clause."""
    texts: list[str] = []
    # "said former Pennsylvania Gov. and Democratic National Committee Chairman Ed Rendell."
    for word in words[:12]:
        text = word.group(0)
        bare = text.rstrip(",;:.")
        low = bare.lower()
        if texts and _PARTY_AFTER.fullmatch(bare):
            break  # "said former governor Howard Dean (D), a Clinton supporter"
        if texts and low in STOP_AFTER_NAME:
            break  # "said former tech executive Carly Fiorina during the debate"
        if not _DESCRIPTOR_WORD.fullmatch(bare) or low in CLAUSE_WORDS or low in STOP_AFTER_NAME:
            return None
        texts.append(bare)
        if bare != text and not _is_initial_end(text):
            break
    else:
        return None
    parts = split_name(" ".join(texts))
    if parts is None or not parts.title or len(parts.name.split()) < 2:
        return None
    last = words[len(texts) - 1]
    return last.start() + len(texts[-1])


def _np_end(masked: str, words: list[re.Match[str]], end: int) -> int | None:
    """End of a short noun phrase starting at words[0]; None if none starts there."""
    first = words[0].group(0)
    capital = is_capitalised(first) or is_title(first)
    if not capital and first.lower() not in DETERMINERS and not first[:1].islower():
        return None
    np_end = words[0].start()
    for count, word in enumerate(words):
        text = word.group(0)
        if count >= 10 or _is_stop(text, capital and count > 0, nominal=not capital):
            break
        if count > 0 and skip_adjuncts(masked, word.start(), end)[0] > word.start():
            break  # "said the mayor in a statement": how it was said, not who
        if count > 0 and text.startswith("(") and not _PARTY.match(text):
            break  # "Mr. Burman (a view shared by many)": the aside is no part of the name
        kept = text.rstrip(',;:"')  # "Jr.," keeps its abbreviation's full stop
        np_end = word.start() + (len(kept) if _is_initial_end(kept) else len(text.rstrip(',;:."')))
        if text[-1] in ',;:."(' and not _is_initial_end(text):
            break
    if np_end <= words[0].start():
        return None
    return np_end


def _is_stop(word: str, after_capital: bool, nominal: bool = False) -> bool:
    low = word.lower().strip(",.")
    if nominal and low in _NOMINAL_LINKS:
        return False  # "a nurse at the hospital", "a source close to the talks"
    if low in STOP_AFTER_NAME or low in CLAUSE_WORDS:
        return True
    return after_capital and word[:1].islower() and low not in ("al", "de", "van", "von", "bin")


def _is_initial_end(word: str) -> bool:
    return bool(re.fullmatch(r"(?:[A-Z]\.)+|(?:Jr|Sr|St)\.", word)) or is_honorific(word)


# What is cited may be named at length: "early results of the exit poll conducted by Edison
# Research for the Associated Press and Television Networks".
_MOST_CITED_WORDS = 20


def source_according(masked: str, pos: int, end: int) -> Source | None:
    """The noun phrase after "according to", up to a comma or the sentence end."""
    words = _words(masked, pos, end)
    if not words:
        return None
    stop = end
    for word in words[:_MOST_CITED_WORDS]:
        text = word.group(0)
        if text.lower() in ("that", "who", "which") or text.startswith('"'):
            stop = word.start()
            break
        if text[-1] in ",;:" or (text.endswith(".") and not _is_initial_end(text)):
            stop = word.start() + len(text) - 1
            break
    else:
        stop = min(end, words[min(len(words), _MOST_CITED_WORDS) - 1].end())
    lo, hi = _strip_span(masked, words[0].start(), stop)
    if lo >= hi:
        return None
    role = None
    if masked.startswith(",", hi):
        nxt = masked.find(",", hi + 1, end)
        segment = masked[hi + 1 : nxt if nxt > 0 else end]
        if is_appositive(segment.strip()) and split_name(masked[lo:hi]):
            role = appositive_role(segment)
    return _source(masked, lo, hi, role, most_words=_MOST_CITED_WORDS)
