"""Inline mode (issue 29, item 1): `@bot <question>` in any chat, end to end through the fake
Bot API (answerInlineQuery) over a real database holding the sample article."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.inline import CACHE_SECONDS, InlineAnswers
from bot.settings import Settings
from bot.telegram import build_application, polling
from index.library import Library
from tests.fakebotapi import TOKEN, Call, FakeBotApi

USER = 2002
QUESTION = "who said russians intervened directly"


@pytest.fixture
async def bot(api: FakeBotApi, library: Library) -> AsyncIterator[None]:
    settings = Settings(TELEGRAM_TOKEN=TOKEN, _env_file=None)
    app = build_application(library, settings, base_url=api.base_url)
    async with polling(app):
        yield


async def inline_answer(api: FakeBotApi, query: str, user_id: int = USER) -> Call:
    query_id, mark = api.send_inline_query(query, user_id=user_id)
    return await api.wait_for(
        "answerInlineQuery", after=mark, where=lambda c: c.params["inline_query_id"] == query_id
    )


async def test_an_inline_query_offers_the_best_passages_with_attribution(
    api: FakeBotApi, bot: None
) -> None:
    answered = await inline_answer(api, QUESTION)

    [best, *_] = answered.params["results"]
    assert best["type"] == "article"
    assert best["title"] == "Captain Naji Mustafa"
    assert best["description"].startswith('"These special Russian forces')
    sent = best["input_message_content"]
    assert sent["parse_mode"] == "HTML"
    assert "— <b>Captain Naji Mustafa</b>, spokesman for" in sent["message_text"]
    assert "paragraph 4" in sent["message_text"]


async def test_inline_answers_are_shared_and_briefly_cached(api: FakeBotApi, bot: None) -> None:
    answered = await inline_answer(api, QUESTION)
    assert answered.params["is_personal"] is False
    assert int(answered.params["cache_time"]) == CACHE_SECONDS


@pytest.mark.parametrize("query", ["", "wh", "zzqx vlorp"], ids=["empty", "short", "unknown"])
async def test_an_inline_query_with_nothing_to_offer_gets_no_results(
    api: FakeBotApi, bot: None, query: str
) -> None:
    answered = await inline_answer(api, query)
    assert answered.params["results"] == []


async def test_an_inline_query_stores_nothing(api: FakeBotApi, bot: None, library: Library) -> None:
    await inline_answer(api, QUESTION)
    async with library.store._db.execute(
        "SELECT name FROM sqlite_master WHERE name IN ('pages', 'shares')"
    ) as cur:
        assert await cur.fetchall() == []


async def test_typing_the_same_query_again_is_answered_from_the_cache(library: Library) -> None:
    inline = InlineAnswers(library)
    asked: list[str] = []
    ask = library.ask

    async def counted(question: str, k: int = 5):  # type: ignore[no-untyped-def]
        asked.append(question)
        return await ask(question, k)

    library.ask = counted  # type: ignore[method-assign]
    first = await inline.results(QUESTION)
    again = await inline.results("  Who said Russians intervened   directly ")

    assert again == first and len(first) > 0
    assert len(asked) == 1
