from hypothesis import given
from hypothesis import strategies as st

from index.sentences import sentence_spans, sentences


def test_abbreviations_and_initials_are_not_boundaries() -> None:
    text = 'Mr. Trump met Donald J. Smith in the U.S. Senate. "We agree," he said. It ended.'
    assert sentences(text) == [
        "Mr. Trump met Donald J. Smith in the U.S. Senate.",
        '"We agree," he said.',
        "It ended.",
    ]


def test_question_and_exclamation_marks_end_sentences() -> None:
    assert sentences("Why now? Because! Fine.") == ["Why now?", "Because!", "Fine."]


@given(st.text(max_size=500))
def test_spans_are_ordered_disjoint_and_cover_all_text(text: str) -> None:
    spans = sentence_spans(text)
    last_end = 0
    for start, end in spans:
        assert last_end <= start < end <= len(text)
        assert text[start:end].strip() == text[start:end]
        assert not text[last_end:start].strip()  # nothing but spaces between sentences
        last_end = end
    assert not text[last_end:].strip()
