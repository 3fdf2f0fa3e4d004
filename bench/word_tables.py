"""Which entries of the word tables (index/informal.py) WordNet 3.0 supports, and how.

    apt-get install wordnet-base   # Princeton WordNet 3.0's database, in /usr/share/wordnet
    .venv/bin/python bench/word_tables.py [--wordnet DIR] [--roles]

An informal word is supported when WordNet lists it (or its base form) in a synset where the
formal word is a lemma, or in one whose hypernym, hyponym, similar adjective, pertainym,
derivation or holonym has the formal word as a lemma ("cop" under "policeman, police officer";
"Moscow" part of "Russia"). A lemma holds the formal word when it is it or begins or ends with it
("police officer" for "police"). `--roles` checks role-synonym groups, pair by pair, from
ROLE_GROUPS (the ranking's role synonyms, index/matching.py). Prints a table; an
unsupported row needs another reference or goes.
"""

from __future__ import annotations

import argparse
import itertools
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from index.informal import FORMAL, NICKNAMES
from index.matching import ROLE_SYNONYMS as ROLE_GROUPS

POS = ("noun", "verb", "adj", "adv")
POINTER_POS = {"n": "noun", "v": "verb", "a": "adj", "s": "adj", "r": "adv"}
# hypernym, instance hypernym, hyponym, instance hyponym, similar to, pertainym, derivation,
# attribute, part holonym, member holonym
RELATIONS = {"@", "@i", "~", "~i", "&", "\\", "+", "=", "%p", "#p", "#m"}


@dataclass
class WordNet:
    """Index and data files of one WordNet database, read whole (about 30 MB)."""

    senses: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # lemma -> synsets
    synsets: dict[tuple[str, str], tuple[list[str], list[tuple[str, str, str]], str]] = field(
        default_factory=dict
    )
    exceptions: dict[str, list[str]] = field(default_factory=dict)  # irregular plurals

    @classmethod
    def read(cls, folder: Path) -> WordNet:
        wn = cls()
        for pos in POS:
            for line in (folder / f"index.{pos}").read_text(encoding="latin-1").splitlines():
                if line.startswith(" "):
                    continue
                f = line.split()
                pointers = int(f[3])
                offsets = f[4 + pointers + 2 :]
                wn.senses.setdefault(f[0].casefold(), []).extend((pos, o) for o in offsets)
            for line in (folder / f"data.{pos}").read_text(encoding="latin-1").splitlines():
                if line.startswith(" "):
                    continue
                head, _, gloss = line.partition("|")
                f = head.split()
                count = int(f[3], 16)
                lemmas = [
                    re.sub(r"\(.*\)$", "", f[4 + 2 * i]).replace("_", " ").casefold()
                    for i in range(count)
                ]
                at = 4 + 2 * count
                pointers = [
                    (f[at + 1 + 4 * j], POINTER_POS[f[at + 3 + 4 * j]], f[at + 2 + 4 * j])
                    for j in range(int(f[at]))
                ]
                wn.synsets[(pos, f[0])] = (lemmas, pointers, gloss.strip())
            exc = folder / f"{pos}.exc"
            if exc.exists():
                for line in exc.read_text(encoding="latin-1").splitlines():
                    word, *bases = line.split()
                    wn.exceptions.setdefault(word, []).extend(bases)
        return wn

    def bases(self, word: str) -> set[str]:
        word = word.casefold().replace(" ", "_")
        out = {word, *self.exceptions.get(word, [])}
        for suffix, replacement in (("ies", "y"), ("es", ""), ("s", "")):
            if word.endswith(suffix):
                out.add(word[: -len(suffix)] + replacement)
        return out

    def senses_of(self, word: str) -> list[tuple[str, str]]:
        # "lone star state" is WordNet's "Lone-Star_State": try each space as a hyphen too
        spellings = {word, *(word.replace(" ", "-", i) for i in range(1, word.count(" ") + 1))}
        spellings |= {s.replace("-", " ", 1) for s in spellings}
        if word.isalpha() and len(word) <= 3:  # "VP" is WordNet's "V.P."
            spellings.add("".join(f"{letter}." for letter in word))
        return [
            sense
            for spelling in spellings
            for base in self.bases(spelling)
            for sense in self.senses.get(base, [])
        ]

    def support(self, informal: str, formal: str) -> str | None:
        """How WordNet links `informal` to `formal`, or None."""
        wanted = {_plain(b) for b in self.bases(formal) | {formal}}
        for sense in self.senses_of(informal):
            lemmas, pointers, gloss = self.synsets[sense]
            if _holds(lemmas, wanted):
                return f"same synset: {', '.join(lemmas[:5])}"
            for symbol, pos, offset in pointers:
                if symbol in RELATIONS and _holds(self.synsets[(pos, offset)][0], wanted):
                    other = self.synsets[(pos, offset)][0]
                    return f"{', '.join(lemmas[:3])} {symbol} {', '.join(other[:3])}"
        for sense in self.senses_of(informal):  # last, the weakest: the gloss names it
            lemmas, _, gloss = self.synsets[sense]
            if any(re.search(rf"\b{re.escape(w)}", _plain(gloss)) for w in wanted):
                return f"{', '.join(lemmas[:3])}: gloss '{gloss[:70]}'"
        return None


def _plain(word: str) -> str:
    return word.replace("_", " ").replace("-", " ").casefold()


def _holds(lemmas: list[str], wanted: set[str]) -> bool:
    for lemma in map(_plain, lemmas):
        for w in wanted:
            if lemma == w or lemma.startswith(w + " ") or lemma.endswith(" " + w):
                return True
    return False


def _linked(wn: WordNet, group: list[str], a: str, b: str) -> str | None:
    """How two roles of a group are linked: directly, or each to a third of the group
    ("spokesman" and "spokeswoman" are both a "spokesperson")."""
    direct = wn.support(a, b) or wn.support(b, a)
    if direct:
        return direct
    for c in group:
        linked_a = c not in (a, b) and (wn.support(a, c) or wn.support(c, a))
        if linked_a and (wn.support(b, c) or wn.support(c, b)):
            return f"both linked to {c}"
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wordnet", type=Path, default=Path("/usr/share/wordnet"))
    parser.add_argument("--roles", action="store_true", help="check ROLE_GROUPS too")
    args = parser.parse_args()
    if not (args.wordnet / "data.noun").exists():
        print(f"needs WordNet's database in {args.wordnet} (wordnet-base)", file=sys.stderr)
        return 1
    wn = WordNet.read(args.wordnet)
    rows = [
        (table, informal, formal, wn.support(informal, formal))
        for table, entries in (("FORMAL", FORMAL), ("NICKNAMES", NICKNAMES))
        for informal, formal in entries.items()
    ]
    if args.roles:
        rows += [
            ("roles", a, b, _linked(wn, group, a, b))
            for group in ROLE_GROUPS
            for a, b in itertools.combinations(group, 2)
        ]
    print("| table | word | formal | WordNet |")
    print("|---|---|---|---|")
    for table, informal, formal, how in rows:
        print(f"| {table} | {informal} | {formal} | {how or '**not supported**'} |")
    unsupported = sum(how is None for *_, how in rows)
    print(f"\n{len(rows) - unsupported}/{len(rows)} supported")
    return 0


if __name__ == "__main__":
    sys.exit(main())
