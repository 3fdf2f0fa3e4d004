"""US places as news abbreviates them: party tags ("D-Mass.") and AP state abbreviations
("Henderson, Nev."), read back into the names a question would use ("Massachusetts Democrat",
"Nevada")."""

from __future__ import annotations

import re
from functools import lru_cache

import us

# "(D-Mass.)", "R-S.C.", "(R-Utah)": a politician's party and state, as US news tags them.
_PARTY_TAG = re.compile(r"\b([RDI])-([A-Z][A-Za-z.]*)")
_PARTIES = {"R": "Republican", "D": "Democrat Democratic", "I": "Independent"}
# "Nev.", "D.C.", "W.Va.": an abbreviation ending in a full stop, after a comma or a town.
_AP_ABBREVIATION = re.compile(r"(?<![\w.])(?:[A-Z][a-z]{1,4}\.|(?:[A-Z]\.){2}|W\.Va\.)(?!\w)")


def _all_states() -> list[us.states.State]:
    return [*us.states.STATES_AND_TERRITORIES, us.states.DC]


@lru_cache(maxsize=1)
def _states() -> dict[str, str]:
    """US state names by postal code and AP abbreviation, lower-cased: "mass", "s.c", "ma"."""
    table = {}
    for state in _all_states():
        table[state.abbr.lower()] = state.name
        if state.ap_abbr:
            table[state.ap_abbr.lower().rstrip(".")] = state.name
    return table


@lru_cache(maxsize=1)
def ap_abbreviations() -> dict[str, str]:
    """State names by their AP abbreviation, full stop included: "Nev." -> "Nevada"."""
    return {s.ap_abbr: s.name for s in _all_states() if s.ap_abbr and s.ap_abbr.endswith(".")}


def party_words(text: str) -> str:
    """The words a party tag stands for: "Rep. Stephen Lynch (D-Mass.)" is a Massachusetts
    Democrat, which is how a question may name him."""
    found = []
    for party, state in _PARTY_TAG.findall(text):
        name = _states().get(state.lower().rstrip("."))
        if name is not None:
            found.append(f"{_PARTIES[party]} {name}")
    return " ".join(found)


def state_words(text: str) -> str:
    """The states a role abbreviates: "letter writer from Staunton, Va." is from Virginia.
    For roles and places, not running text, where "Miss." or "Ind." may be something else."""
    names = ap_abbreviations()
    return " ".join(names[m] for m in _AP_ABBREVIATION.findall(text) if m in names)


def place_words(role: str) -> str:
    """What a role's party tag and state abbreviations stand for."""
    return f"{party_words(role)} {state_words(role)}"
