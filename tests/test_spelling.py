"""Typos in questions: read as the nearest term the articles use, never a real word changed."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from index.library import Library
from index.search import SearchIndex
from index.spelling import Speller, respelt_name
from index.tokens import tokenize

TEXTS = [
    "Sky won four of the six packages of Premier League rights.",
    "The service costs subscribers an additional monthly charge.",
    "Setanta Sports bought the remaining two packages.",
    "Broadcasting began in 1989 from the Astra satellite.",
]


def speller() -> Speller:
    index = SearchIndex.build((i, tokenize(text)) for i, text in enumerate(TEXTS))
    return Speller(lambda: index)


def read_as(question: str) -> dict[str, str]:
    return {fix.word: fix.meant for fix in speller().corrections(question)}


def test_a_typo_is_read_as_the_stored_term_one_edit_away() -> None:
    fixes = read_as("Who bought the remaining pacakges of Primier League rights?")
    assert fixes == {"pacakges": tokenize("packages")[0], "Primier": "premier"}


def test_a_swapped_pair_of_letters_is_one_edit() -> None:
    assert read_as("what additional srevice") == {"srevice": "servic"}


def test_real_words_and_short_words_are_left_alone() -> None:
    # "drive" is one edit from nothing stored here but "drove" would be elsewhere; "charm" is
    # one edit from "charg"; both are English words. "Sty" is too short to guess.
    assert read_as("does the charm drive Sty subscribers away?") == {}


def test_a_name_nobody_stored_close_to_is_left_alone() -> None:
    assert read_as("What did Quetzalcoatl say?") == {}


@given(st.text(max_size=80))
def test_any_question_is_read_without_error_and_only_into_stored_terms(question: str) -> None:
    index = SearchIndex.build((i, tokenize(text)) for i, text in enumerate(TEXTS))
    for fix in Speller(lambda: index).corrections(question):
        assert fix.word in question
        assert index.document_frequency(fix.meant) > 0


@given(st.sampled_from(" ".join(TEXTS).split()))
def test_a_word_the_articles_use_is_never_corrected(word: str) -> None:
    assert read_as(word) == {}


async def test_a_question_with_typos_finds_the_passage(library: Library, tmp_path: Path) -> None:
    (tmp_path / "rights.txt").write_text("Rights auction\n\n" + "\n\n".join(TEXTS) + "\n")
    await library.add_file(tmp_path / "rights.txt")
    answer = await library.ask("when did braodcasting from the satelite begin?")
    assert answer.results, "every content word is misspelt: read as typed, nothing matches"
    assert answer.results[0].passage.text.startswith("Broadcasting began in 1989")
    assert answer.respelt == {"braodcasting": "Broadcasting", "satelite": "satellite"}


def test_a_misspelt_speaker_name_is_respelt_from_the_names_quoted() -> None:
    known = ["Naji Mustafa", "Jamil al-Saleh"]
    assert respelt_name("Mustfa", known) == "Mustafa"
    assert respelt_name("naji Mustafa", known) is None  # nothing misspelt
    assert respelt_name("Vladimir Putin", known) is None  # nobody close


async def test_what_a_misspelt_speaker_said_is_found(library: Library) -> None:
    answer = await library.ask("what did Mustfa say about defeat?")
    assert answer.speaker == "Naji Mustafa"
    assert "exposed to defeat" in answer.results[0].passage.text
    answer = await library.ask("who is Naji Mustfa?")
    assert answer.speaker == "Naji Mustafa"
    assert answer.results[0].passage.text.startswith('"These special Russian forces')
