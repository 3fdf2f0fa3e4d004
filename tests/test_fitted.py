"""Answers from the fitted ranking: easy questions over the bundled article answer right,
off-topic ones abstain, a library of one article answers, and the fitting script turns a small
slice of questions into a model that answers."""

from __future__ import annotations

import asyncio
import json
import pickle
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from index.library import Library
from index.models import Answer, Reason
from index.ranking import Weights
from tests.conftest import HARBOUR, ORCHARD, SAMPLE
from training import fit

POLITICS = """Nevada voters weigh a close Senate race

October 2, 2016

Nevada is far from being a solid red state, strategists for both parties said on Sunday.

"The economy is the issue that decides this race," said Ann Ruiz, a pollster in Las Vegas.

Turnout among young voters in Clark County could decide the result, she said.
"""


@pytest.fixture
async def news(tmp_path: Path) -> AsyncIterator[Library]:
    """The bundled article beside three small ones, one about politics."""
    folder = tmp_path / "news"
    folder.mkdir()
    for name, text in (("harbour.txt", HARBOUR), ("orchard.txt", ORCHARD), ("nv.txt", POLITICS)):
        (folder / name).write_text(text, encoding="utf-8")
    async with await Library.open(tmp_path / "news.db") as library:
        await library.seed_sample()
        for path in sorted(folder.iterdir()):
            await library.add_file(path)
        yield library


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("What did Turkey send to the rebels?", "anti-tank missiles"),
        ("When did the Idlib campaign begin?", "which began in April"),
        ("who said Russians intervened directly?", "The Russians are intervening directly now"),
    ],
)
async def test_easy_questions_over_the_bundled_article_answer_right(
    news: Library, question: str, answer: str
) -> None:
    found = await news.ask(question)
    assert found.results, found.reason
    assert answer in found.results[0].passage.text


@pytest.mark.parametrize(
    "question",
    [
        "whats a good banana bread recipe",
        "How do I get red wine out of a couch cushion?",
        "who won the world series in 2016",
    ],
)
async def test_off_topic_questions_abstain(news: Library, question: str) -> None:
    found = await news.ask(question)
    assert found.results == [] and found.reason is Reason.NOTHING_RELEVANT


async def test_a_library_of_one_article_answers_about_it(tmp_path: Path) -> None:
    (tmp_path / "tunnel.txt").write_text(
        'Tunnel reopens\n\n"The tunnel is safe," said Tom Berg, an engineer.\n', encoding="utf-8"
    )
    async with await Library.open(tmp_path / "one.db") as library:
        await library.add_file(tmp_path / "tunnel.txt")
        found = await library.ask("who said the tunnel is safe?")
    assert found.results and found.speaker == "Tom Berg"


@pytest.mark.parametrize(
    "question", ["who talked about more than 200 sorties?", "how many sorties?"]
)
async def test_a_library_of_the_bundled_article_alone_answers_what_it_holds(
    tmp_path: Path, question: str
) -> None:
    # Its key word is there ("sorties"); "many" and "talked" are not, as in most small
    # libraries, and say how the question asks, not what about.
    async with await Library.open(tmp_path / "sample.db") as library:
        await library.seed_sample()
        found = await library.ask(question)
    assert found.results, found.reason
    assert found.results[0].passage.ordinal == 7  # paragraph 8: "… more than 200 sorties"


def test_the_fitting_script_makes_a_model_that_answers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    for name, text in (("harbour.txt", HARBOUR), ("orchard.txt", ORCHARD), ("nv.txt", POLITICS)):
        (articles / name).write_text(text, encoding="utf-8")
    (articles / SAMPLE.name).write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    sample, harbour = SAMPLE.stem, "harbour"
    cases = [  # question, gold snippet, the article it is about
        ("who said Russians intervened directly?", "The Russians are intervening directly", sample),
        ("what did Mustafa say about defeat?", "has been exposed to defeat", sample),
        ("who said the silt should not decide the town's future?", "let the silt decide", harbour),
        ("what did the councillor think of the cost?", "a lot of money for a little mud", harbour),
        ("who remembers a frost this late?", "Nobody alive remembers a frost this late", "orchard"),
        ("what did the pollster say decides the race?", "The economy is the issue", "nv"),
        ("what did Turkey send to the rebel forces?", "anti-tank missiles", sample),
        ("how many people were forced from their home?", "300,000", sample),
        ("whats a good banana bread recipe", None, None),
        ("how tall is Mount Everest?", None, None),
    ]
    natural = tmp_path / "natural.jsonl"
    natural.write_text(
        "".join(json.dumps({"q": q, "passage": p, "article": a}) + "\n" for q, p, a in cases),
        encoding="utf-8",
    )
    out = tmp_path / "model.json"
    argv = ["--articles", str(articles), "--natural", str(natural), "--who-said", ""]
    assert fit.main([*argv, "--out", str(out), "--folds", "2", "--role-matches", "0.2"]) == 0
    # Held-out figures for the questions asked of the whole library and of small ones.
    table = capsys.readouterr().out
    assert " natural " in table and " small " in table
    weights = Weights.from_json(json.dumps(json.loads(out.read_text())["words"]))
    assert set(weights.ranking) == {"words", "who", "factual"}
    assert 0.0 <= weights.threshold <= 1.0
    question = "what did the pollster say decides the race?"
    found = asyncio.run(_ask(tmp_path / "fitted.db", weights, articles, question))
    assert found.results and "The economy is the issue" in found.results[0].passage.text
    again = [*argv, "--folds", "2", "--role-matches", "0.2", "--cache", str(tmp_path / "c.pkl")]
    assert fit.main([*again, "--out", str(tmp_path / "again.json")]) == 0
    assert (tmp_path / "again.json").read_text() == out.read_text()  # the same data, the same file
    capsys.readouterr()
    assert fit.main([*again, "--out", str(tmp_path / "cached.json")]) == 0
    assert (tmp_path / "cached.json").read_text() == out.read_text()
    assert "gathering again" not in capsys.readouterr().err
    # Candidates gathered by another reading of the articles are gathered again, not reused.
    (tmp_path / "c.pkl").write_bytes(pickle.dumps(("passages 1, attribution 1", [])))
    assert fit.main([*again, "--out", str(tmp_path / "stale.json")]) == 0
    assert "gathered otherwise; gathering again" in capsys.readouterr().err
    assert (tmp_path / "stale.json").read_text() == out.read_text()


async def _ask(db: Path, weights: Weights, articles: Path, question: str) -> Answer:
    async with await Library.open(db, weights=weights) as library:
        for path in sorted(articles.iterdir()):
            await library.add_file(path)
        return await library.ask(question)


async def test_a_question_in_another_language_is_told_the_bot_reads_english(
    news: Library,
) -> None:
    found = await news.ask("¿Quién dijo que el puerto necesita dragado urgente?")
    assert found.results == [] and found.reason is Reason.NOT_ENGLISH
    english = await news.ask("whats a good banana bread recipe")
    assert english.reason is Reason.NOTHING_RELEVANT
