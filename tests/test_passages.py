import pytest
from hypothesis import given
from hypothesis import strategies as st

from index.passages import MAX_WORDS, cut, is_boilerplate, paragraphs
from index.sentences import sentences
from tests.conftest import SAMPLE


def test_sample_paragraphs_skip_title_and_boilerplate() -> None:
    found = paragraphs(SAMPLE.read_text())
    texts = [p.text for p in found]
    assert [p.index for p in found] == list(range(len(found)))
    assert not any(t.startswith("2 min read") or t == "18 July, 2019" for t in texts)
    assert not any(t.endswith("[Getty]") for t in texts)
    assert "Syria opposition" not in texts[0]  # the title is not a passage
    assert texts[3].startswith('"These special Russian forces')


@pytest.mark.parametrize(
    "line",
    [
        "2 min read",
        "5 minute read",
        "Rebels gather near the front line [AFP]",
        "18 July, 2019",
        "Thursday, March 3, 2021",
        "Advertisement",
        "Share this article",
        "Photo: Jane Doe",
        "* * *",
    ],
)
def test_boilerplate_lines(line: str) -> None:
    assert is_boilerplate(line)


@pytest.mark.parametrize(
    "line",
    [
        "Russian troops are now operating on the frontlines, opposition figures told Reuters.",
        '"We will not leave," she said.',
        "Follow the money, the senator said, and you will find the culprit in the state budget.",
        "Tancred was instrumental in the conquest of Jerusalem.[citation needed]",
        "Bohemond took Antioch in 1098 after a long siege.[12]",
        " ".join(["The crusade went on for years and years without an end in sight."] * 6)
        + " [Reuters]",
    ],
)
def test_content_lines_are_kept(line: str) -> None:
    assert not is_boilerplate(line)


def test_reference_marks_are_dropped_but_an_editors_words_stay() -> None:
    text = (
        "Normans\n\n"
        "Tancred was instrumental in the conquest of Jerusalem.[citation needed]\n\n"
        "The duchy was founded in 911.[3] Rollo became its first ruler.[a]\n\n"
        '"They [the police] never told us," she said.\n'
    )
    assert [p.text for p in paragraphs(text)] == [
        "Tancred was instrumental in the conquest of Jerusalem.",
        "The duchy was founded in 911. Rollo became its first ruler.",
        '"They [the police] never told us," she said.',
    ]


def test_ordinals_are_stable_when_text_is_appended() -> None:
    text = SAMPLE.read_text()
    before = paragraphs(text)
    after = paragraphs(text + "\n\nA new closing paragraph was added later.\n")
    assert [(p.index, p.text) for p in after[: len(before)]] == [(p.index, p.text) for p in before]


def test_hard_wrapped_paragraphs_are_joined() -> None:
    text = (
        "Title\n\n"
        "The committee met on Monday to discuss the budget for the coming year and\n"
        "agreed to postpone the vote until the auditors had finished their report on\n"
        "the spending of the previous council.\n\n"
        "A second paragraph follows here.\n"
    )
    found = paragraphs(text)
    assert len(found) == 2
    assert found[0].text.startswith("The committee met") and found[0].text.endswith("council.")


def test_long_paragraph_is_cut_at_sentence_boundaries() -> None:
    sentence = "The minister said the plan would cost more than anyone had expected at first. "
    text = (sentence * 30).strip()
    pieces = cut(text)
    assert len(pieces) > 1
    for piece in pieces:
        assert piece.endswith("first.")
        assert len(piece.split()) <= MAX_WORDS + 15


def test_short_paragraph_is_one_passage() -> None:
    assert cut("Just one short paragraph.") == ["Just one short paragraph."]


_word = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDE", min_size=1, max_size=10)
_sentence = st.lists(_word, min_size=1, max_size=30).map(lambda ws: " ".join(ws).capitalize())
_end = st.sampled_from([".", "!", "?", '."', "…"])


@given(st.lists(st.tuples(_sentence, _end), min_size=1, max_size=40))
def test_cut_keeps_every_word_in_order(parts: list[tuple[str, str]]) -> None:
    text = " ".join(s + e for s, e in parts)
    pieces = cut(text)
    assert " ".join(pieces).split() == text.split()
    assert all(piece.strip() == piece and piece for piece in pieces)


@given(st.lists(st.tuples(_sentence, _end), min_size=1, max_size=40))
def test_pieces_are_short_unless_a_sentence_is_long(parts: list[tuple[str, str]]) -> None:
    text = " ".join(s + e for s, e in parts)
    longest_sentence = max(len(s.split()) for s in sentences(text))
    for piece in cut(text):
        assert len(piece.split()) <= max(MAX_WORDS, longest_sentence) + longest_sentence


@given(st.text(max_size=3000))
def test_paragraphs_never_raise_and_never_hold_blank_text(text: str) -> None:
    for p in paragraphs(text):
        assert p.text.strip() == p.text and p.text
        assert "\n" not in p.text
