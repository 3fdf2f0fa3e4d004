import pytest
from hypothesis import given
from hypothesis import strategies as st

from index.tokens import STOPWORDS, acronyms, tokenize, words


def test_stemming_matches_word_forms() -> None:
    assert tokenize("intervened") == tokenize("intervening") == tokenize("intervenes")
    assert tokenize("Russians") == tokenize("russian")


def test_accents_are_folded() -> None:
    assert tokenize("Hervé Castañeda") == tokenize("Herve Castaneda")
    assert words("Zoë’s café") == ["zoe", "cafe"]


def test_stopwords_and_speech_verbs_are_dropped() -> None:
    assert tokenize("Who said that the rebels were there?") == tokenize("rebels")


def test_possessives_and_curly_apostrophes() -> None:
    assert words("Mustafa’s men") == ["mustafa", "men"]
    assert tokenize("Mustafa's") == tokenize("Mustafa")


@given(st.text(max_size=300))
def test_tokens_are_lowercase_words_without_stopwords(text: str) -> None:
    for term in tokenize(text):
        assert term and term == term.casefold()
        assert term not in STOPWORDS
        assert not any(ch.isspace() for ch in term)


@given(st.text(max_size=200))
def test_tokenize_is_deterministic(text: str) -> None:
    assert tokenize(text) == tokenize(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a professor at New York University", ["nyu"]),
        ("Iraq and Afghanistan Veterans of America", ["iava"]),
        ("The Black Lives Matter movement", ["blm"]),
        (
            "the Democratic National Committee and the Environmental Protection Agency",
            ["dnc", "epa"],
        ),
        ("Donald Trump met Hillary Clinton.", []),  # two letters say too little
        ("It was the Tax Policy Center. The President spoke.", ["tpc"]),  # not across sentences
    ],
)
def test_acronyms_of_multiword_names(text: str, expected: list[str]) -> None:
    assert acronyms(text) == expected


@given(st.text(max_size=300))
def test_acronyms_are_lowercase_letters_of_three_or_more(text: str) -> None:
    for term in acronyms(text):
        assert len(term) >= 3 and term == term.casefold() and not term.isspace()
