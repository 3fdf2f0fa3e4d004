"""Letters to the editor and readers' comments: a paragraph that is only a name (or a social
media handle) signs the paragraphs above it, back to the previous signature or heading.

    LETTERS.
    I cannot fathom how … we replace our democracy with a tyranny.
    Michael Pravica.
    Henderson, Nev.
    TWITTER.
    Give her a break. Melania was born in a poor communist country.
    @Fred_945.

No quotation marks and no speech verb: only the layout says who wrote what, so an article is
read this way only under a letters heading ("LETTERS.", "Letters to the Editor"), never because
a paragraph happens to be a name or a section title ("Human Rights.").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from index.attribution.names import is_capitalised, split_name
from index.models import Attribution
from index.places import ap_abbreviations

_HANDLE = re.compile(r"@\w{1,30}")
# Headings of a letters page, as newspapers set them, and of readers' comments beside it.
_LETTERS_HEADINGS = frozenset(
    ["letters", "letter", "mailbag", "feedback", "letters to the editor", "letter to the editor"]
)
_COMMENT_HEADINGS = frozenset("twitter facebook instagram comments".split())
_MAX_LETTER_PARAGRAPHS = 15
_MAX_PLACE_WORDS = 4


@dataclass(frozen=True)
class _Signature:
    paragraph: int
    name: str
    place: str | None
    heading: str | None  # the heading the letter sits under: "LETTERS.", "TWITTER."


def signed(paragraphs: Sequence[str]) -> list[list[Attribution]]:
    """For each paragraph, the attribution of its signed text to the letter's writer (none for
    paragraphs outside a letters page)."""
    result: list[list[Attribution]] = [[] for _ in paragraphs]
    # Most articles are no letters page: the cheap check first, then the name parsing.
    if not any(_bare(p).lower() in _LETTERS_HEADINGS for p in paragraphs if _is_heading(p)):
        return result
    signatures, bodies = _read(paragraphs)
    for signature, body in zip(signatures, bodies, strict=True):
        for index in body:
            result[index].append(_attribution(paragraphs[index], signature))
    return result


def _read(paragraphs: Sequence[str]) -> tuple[list[_Signature], list[list[int]]]:
    """The signatures in order, each with the paragraphs it signs."""
    signatures: list[_Signature] = []
    bodies: list[list[int]] = []
    body: list[int] = []
    heading: str | None = None
    index = 0
    while index < len(paragraphs):
        text = paragraphs[index]
        name = _signer(text)
        if _is_heading(text):
            heading, body = _bare(text), []
        elif name is not None and body:
            place = _place(paragraphs, index + 1)
            signatures.append(_Signature(index, name, place, heading))
            # A handle signs one comment; what comes before it is the editor's prompt.
            bodies.append(body[-1:] if name.startswith("@") else body[-_MAX_LETTER_PARAGRAPHS:])
            body = []
            index += 1 if place is None else 2
            continue
        elif text.strip():
            body.append(index)
        index += 1
    return signatures, bodies


def _bare(text: str) -> str:
    return text.strip().rstrip(".:").strip()


def _is_heading(text: str) -> bool:
    """ "LETTERS.", "TWITTER.", "Letters.": a word or two set off as a section heading."""
    bare = _bare(text)
    words = bare.split()
    if not words or len(words) > 4 or not any(c.isalpha() for c in bare):
        return False
    known = _LETTERS_HEADINGS | _COMMENT_HEADINGS
    return bare.isupper() or bare.lower() in known


def _signer(text: str) -> str | None:
    """The writer, when the paragraph is only a signature: "Vicki Venhuizen.", "@Fred_945."."""
    bare = _bare(text)
    if _HANDLE.fullmatch(bare):
        return bare
    words = bare.split()
    if not 2 <= len(words) <= 4 or not all(is_capitalised(w) or len(w) <= 3 for w in words):
        return None
    parts = split_name(bare)
    if parts is None or parts.title or parts.name != bare.rstrip(",;"):
        return None
    return parts.name


def _place(paragraphs: Sequence[str], index: int) -> str | None:
    """The town under a signature: "Henderson, Nev.", "Washington, D.C.", "Staunton Va."."""
    if index >= len(paragraphs):
        return None
    text = paragraphs[index].strip()
    words = text.split()
    if not words or len(words) > _MAX_PLACE_WORDS or _is_heading(text):
        return None
    if not all(is_capitalised(w.strip(",")) for w in words):
        return None
    # The line's full stop goes; a state's abbreviation keeps its own ("Nev.", "D.C.").
    return text if words[-1] in ap_abbreviations() else text.rstrip(".")


def _attribution(text: str, signature: _Signature) -> Attribution:
    heading = (signature.heading or "").lower()
    if heading and heading not in _LETTERS_HEADINGS:
        role = f"reader on {heading.title()}"  # "TWITTER." -> a reader on Twitter
    else:
        role = "letter writer"
    if signature.place:
        role += f" from {signature.place}"
    return Attribution(
        speaker=signature.name,
        mention=signature.name,
        role=role,
        cue="wrote",
        quote=text.strip(),
        direct=False,
    )
