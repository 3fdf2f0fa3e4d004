"""Links in and out of answers (issue 29, item 2): a button to the source article, deep links
to an article and to a shared answer, and "more" typed as text. Through the command layer over
a real database, and end to end through the fake Bot API."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot import links, render
from bot.commands import Commands, Message, Reply
from bot.settings import Settings
from bot.telegram import build_application, polling
from index.library import Library
from tests.fakebotapi import TOKEN, FakeBotApi

ADMIN = 1
USER = 2
QUESTION = "who said Russians intervened directly?"


@pytest.fixture
def commands(library: Library) -> Commands:
    return Commands(library, Settings(admin_ids=[ADMIN], _env_file=None))


def user(text: str) -> Message:
    return Message(text, user_id=USER)


def text_of(replies: list[Reply]) -> str:
    return "\n".join(render.plain(r.html) for r in replies)


async def test_an_answer_from_a_web_page_has_a_button_to_it(library: Library, web: str) -> None:
    intranet = Commands(
        library, Settings(admin_ids=[ADMIN], fetch_allow_private=True, _env_file=None)
    )
    await intranet.handle(Message(f"/add {web}/article.html", user_id=ADMIN, is_admin=True))

    [reply] = await intranet.handle(user("who chairs the Holloway residents association?"))

    assert "Agnes Whitlow" in render.plain(reply.html)
    assert [b.url for b in reply.buttons] == [f"{web}/article.html"]
    assert reply.buttons[0].label == "Article 2 at Valley Courier"


async def test_an_answer_from_a_file_has_no_link_button(commands: Commands) -> None:
    [reply] = await commands.handle(user(QUESTION))
    assert [b for b in reply.buttons if b.url] == []


async def test_a_deep_link_opens_an_article(commands: Commands) -> None:
    opened = text_of(await commands.handle(user("/start a1")))
    assert opened == text_of(await commands.handle(user("/article 1")))


async def test_a_shared_answer_reopens_from_its_link(commands: Commands) -> None:
    [first] = await commands.handle(user(QUESTION))
    assert first.share is not None

    [again] = await commands.handle(user(f"/start q{first.share}"))

    assert render.plain(again.html) == render.plain(first.html)


async def test_a_link_to_an_answer_never_kept_says_so(commands: Commands) -> None:
    text = text_of(await commands.handle(user("/start qnever-shared")))
    assert "That link is to an answer I don't have" in text


@pytest.mark.parametrize("typed", ["more", "More", "next", "Next.", " MORE "])
async def test_more_typed_as_text_pages_on(commands: Commands, typed: str) -> None:
    [first] = await commands.handle(user(QUESTION))
    assert first.more is not None

    following = text_of(await commands.handle(user(typed)))

    assert following.startswith("4.")


@given(st.text(max_size=80))
def test_a_start_parameter_is_read_or_ignored_never_misread(args: str) -> None:
    link = links.start_link(args)
    if link is not None:
        assert args.strip() == link.kind + link.value
        assert link.kind != links.ARTICLE or link.value.isdigit()


# -- on Telegram ----------------------------------------------------------------------------


@pytest.fixture
async def bot(api: FakeBotApi, tmp_path: Path) -> AsyncIterator[None]:
    async with await Library.open(tmp_path / "t.db") as library:
        await library.seed_sample()
        settings = Settings(TELEGRAM_TOKEN=TOKEN, admin_ids=[ADMIN], _env_file=None)
        app = build_application(
            library, settings, base_url=api.base_url, base_file_url=api.base_file_url
        )
        async with polling(app):
            yield


async def test_a_shared_link_on_telegram_reopens_the_answer(api: FakeBotApi, bot: None) -> None:
    answer = await api.reply_to(QUESTION, user_id=USER)
    [(label, url)] = answer.links
    assert label == "Share"
    shared = unquote(parse_qs(urlsplit(url).query)["url"][0])
    assert shared.startswith("https://t.me/saidwho_test_bot?start=q")

    payload = parse_qs(urlsplit(shared).query)["start"][0]
    reopened = await api.reply_to(f"/start {payload}", user_id=USER + 1)

    assert reopened.plain == answer.plain
