"""One identity per person across articles.

Each article resolves its own mentions ("Mustafa", "he") to the full name it introduces. Across
a library, one person still shows under several speaker names: "Barack Obama" in one article,
"Obama" in another that only ever says "President Obama", "Donald J. Trump" beside "Donald
Trump". `identities` maps every stored speaker name to one canonical name:

- full names with the same first and last word are one person ("Donald J. Trump", "Donald
  Trump"), shown as the spelling quoted most often;
- a bare surname, or a peer's title and surname ("Lord Falconer"), is the one full-named
  person who carries it; of several carriers, the one
  whose role shares an office with the bare surname's ("President"), else the one quoted more
  often than all the others together (a story that names someone by surname alone means the
  one its readers know);
- groups and organisations ("officials", "the Washington Post") are left as they are;
- so is a name that mixes scripts in a word ("Barack Obаma", its "а" Cyrillic): a look-alike
  is never merged with the person it imitates.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from index.attribution.names import PARTICLES, SUFFIXES, TITLE_WORDS
from index.textclean import mixed_script
from index.tokens import fold

# Title words that say nothing about which office: "former", "U.S.", "Democratic".
_MODIFIERS = frozenset(
    """former acting then-senator then-candidate u.s. us un state house senate white press
    democratic republican gop party national first prime chief deputy assistant associate
    executive special majority minority retired ret""".split()
)

Key = tuple[str, str]  # a person's folded first name and surname
# British titles a person is named by with their surname alone: "Lord Falconer".
_PEERAGE = frozenset("lord lady baroness baron".split())


def _person_words(name: str) -> list[str] | None:
    """The folded words of a person's name, or None for what is no name ("the campaign")."""
    words = name.split()
    if not words or len(words) > 5 or mixed_script(name):
        return None
    for word in words:
        low = word.lower()
        if not (word[:1].isupper() or low in PARTICLES or low in SUFFIXES):
            return None
    return [fold(w) for w in words if w.lower() not in SUFFIXES] or None


def _titles(role: str | None) -> set[str]:
    """The offices a role names: "Former Florida Gov." -> {"gov"}."""
    words = fold(role or "").replace(".", " ").split()
    return {w for w in words if w in TITLE_WORDS and w not in _MODIFIERS}


def identities(rows: Iterable[tuple[str, str | None, int]]) -> dict[str, str]:
    """The canonical name of each speaker, from (speaker, role, quotes) rows of a library."""
    counts: Counter[str] = Counter()
    titles: dict[str, set[str]] = {}
    for speaker, role, n in rows:
        counts[speaker] += n
        titles.setdefault(speaker, set()).update(_titles(role))
    canonical = {speaker: speaker for speaker in counts}
    people: dict[Key, list[str]] = {}
    bare: list[str] = []
    surnames: dict[str, str] = {}
    for speaker in counts:
        words = _person_words(speaker)
        if words is None:
            continue
        if len(words) == 2 and words[0] in _PEERAGE:
            # "Lord Falconer" is Charles Falconer, known by title and surname
            bare.append(speaker)
            surnames[speaker] = words[1]
            titles[speaker].add(words[0])
        elif len(words) == 1:
            bare.append(speaker)
        else:
            people.setdefault((words[0], words[-1]), []).append(speaker)
    totals: dict[Key, int] = {}
    offices: dict[Key, set[str]] = {}
    for key, names in people.items():
        shown = max(names, key=lambda s: (counts[s], len(s)))
        for name in names:
            canonical[name] = shown
        totals[key] = sum(counts[n] for n in names)
        offices[key] = set().union(*(titles[n] for n in names))
    for speaker in bare:
        surname = surnames.get(speaker) or fold(speaker)
        carriers = [key for key in people if key[1] == surname]
        chosen = _carrier(carriers, titles[speaker], totals, offices)
        if chosen is not None:
            canonical[speaker] = canonical[people[chosen][0]]
    return canonical


def _carrier(
    carriers: list[Key],
    titles: set[str],
    totals: dict[Key, int],
    offices: dict[Key, set[str]],
) -> Key | None:
    """Which of the full-named people carrying a bare surname it means, if any."""
    if len(carriers) <= 1:
        return carriers[0] if carriers else None
    if titles:
        titled = [key for key in carriers if titles & offices[key]]
        if len(titled) == 1:
            return titled[0]
    best = max(carriers, key=lambda key: totals[key])
    others = sum(totals[key] for key in carriers) - totals[best]
    return best if totals[best] > others else None
