"""Letters pages: signatures attribute the paragraphs above them (plain functions)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from index.attribution import attribute
from index.attribution.letters import signed

LETTERS = [
    "LETTERS.",
    "I cannot see how the council let the bridge rot for a decade.",
    "When the law applies to some and not others, trust goes.",
    "Maren Holt.",
    "Henderson, Nev.",
    "TWITTER.",
    "We asked readers whether the bridge should be rebuilt.",
    "Tear it down and build a tunnel instead.",
    "@river_fan22.",
]


def writers(paragraphs: list[str]) -> list[list[tuple[str | None, str | None]]]:
    return [[(a.speaker, a.role) for a in found] for found in signed(paragraphs)]


def test_a_signature_signs_the_paragraphs_above_it_with_its_place() -> None:
    found = writers(LETTERS)
    holt = ("Maren Holt", "letter writer from Henderson, Nev.")
    assert found[1] == [holt]
    assert found[2] == [holt]
    assert found[0] == found[3] == found[4] == []  # heading, signature and place sign nothing


def test_a_handle_signs_one_comment_not_the_editors_prompt() -> None:
    found = writers(LETTERS)
    assert found[6] == []
    assert found[7] == [("@river_fan22", "reader on Twitter")]


def test_a_letter_is_what_the_writer_wrote() -> None:
    [letter] = attribute(LETTERS)[1]
    assert (letter.cue, letter.direct) == ("wrote", False)
    assert letter.quote == LETTERS[1]


def test_quotations_inside_a_letter_keep_their_own_speaker_first() -> None:
    paragraphs = [
        "Letters to the Editor.",
        "A friend told me: “For you, the bridge is everything.” She is right.",
        "Ana Ruiz.",
    ]
    found = attribute(paragraphs)[1]
    assert [a.speaker for a in found] == ["a friend", "Ana Ruiz"]


def test_no_letters_heading_no_letters() -> None:
    # Section titles look like signatures; without a letters heading nothing is signed.
    paragraphs = [
        "The agency spent more on travel.",
        "Human Rights.",
        "It also cut staff.",
        "Gender Equality.",
    ]
    assert writers(paragraphs) == [[], [], [], []]


@given(st.lists(st.sampled_from([*LETTERS, "", "New York.", "LETTERS.", "Ed Ames."]), max_size=12))
def test_signatures_never_attribute_a_signature_or_a_heading(paragraphs: list[str]) -> None:
    for text, found in zip(paragraphs, signed(paragraphs), strict=True):
        if found:
            assert text.strip() and text.strip().rstrip(".") not in ("LETTERS", "TWITTER")
            assert all(a.quote == text.strip() for a in found)
