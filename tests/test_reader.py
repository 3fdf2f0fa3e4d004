"""The reader shipped in the package reads a question against passages: the paragraph that
answers scores above one about something else; and the fitted model names what it weighs."""

from __future__ import annotations

import json

import pytest

from index.ranking import KNOBS, Weights, fitted
from index.reader import installed_reader
from tests.conftest import SAMPLE


def _paragraph(words: str) -> str:
    text = SAMPLE.read_text(encoding="utf-8")
    return next(p for p in text.split("\n\n") if words in p)


@pytest.mark.parametrize(
    ("question", "answering", "other"),
    [
        ("how many sorties did the russians fly?", "200 sorties", "anti-tank missiles"),
        ("what did turkey give the rebels?", "anti-tank missiles", "200 sorties"),
    ],
)
def test_the_reader_scores_the_answering_paragraph_higher(
    question: str, answering: str, other: str
) -> None:
    reader = installed_reader()
    assert reader is not None
    good, bad = reader.scores(question, [_paragraph(answering), _paragraph(other)])
    assert good > bad


def test_a_question_longer_than_the_readers_limit_is_still_read() -> None:
    """A question past the reader's 128 word pieces (the bot takes 1,000 characters) had
    made the tokenizer refuse it, and `ask` fail, wherever the reader re-ranks."""
    reader = installed_reader()
    assert reader is not None
    question = "who said the russians flew more than 200 sorties " + "over Idlib " * 200
    good, bad = reader.scores(question, [_paragraph("200 sorties"), _paragraph("anti-tank")])
    assert good > bad


@pytest.mark.parametrize("variant", ["words", "meaning"])
def test_the_fitted_model_writes_every_knob_by_name(variant: str) -> None:
    weights = fitted(variant)
    doc = json.loads(weights.to_json())
    assert set(doc["knobs"]) == set(KNOBS)
    assert Weights.from_json(weights.to_json()) == weights


def test_a_model_with_a_knob_this_code_lacks_is_refused_by_name() -> None:
    doc = json.loads(fitted("words").to_json())
    doc["knobs"]["passage_window"] = 3
    with pytest.raises(ValueError, match="passage_window"):
        Weights.from_json(json.dumps(doc))
