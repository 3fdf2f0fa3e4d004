from hypothesis import given
from hypothesis import strategies as st

from index.tokens import STOPWORDS, tokenize, words


def test_stemming_matches_word_forms() -> None:
    assert tokenize("intervened") == tokenize("intervening") == tokenize("intervenes")
    assert tokenize("Russians") == tokenize("russian")


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
