"""Following a speaker (issue 29, item 5): /follow, /unfollow, /following over a real database,
and followers told of a new quote once, end to end through the fake Bot API, whether the
article came from the chat or from `saidwho ingest` beside the running bot."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import cast

import pytest

from bot import render
from bot.commands import Commands, Message, Reply
from bot.settings import Settings
from bot.telegram import TelegramAdapter, build_application, polling
from index.library import Library
from tests.conftest import CLI
from tests.fakebotapi import TOKEN, FakeBotApi

ADMIN = 1001
USER = 2002
OTHER = 3003

LIGHTHOUSE = """Lighthouse on Skerry Point to be staffed again

12 May 2023

The lighthouse on Skerry Point will have keepers again from June, the coast authority said.

"A lamp that nobody tends is a lamp that fails," Ingrid Halvorsen, chief engineer of the coast \
authority, told the Coastal Times.

The light has been automatic since 1987.
"""
SECOND = LIGHTHOUSE.replace("Skerry Point", "Hollow Head").replace(
    "A lamp that nobody tends is a lamp that fails", "Keepers see what sensors miss"
)


def user(text: str, user_id: int = USER) -> Message:
    return Message(text, user_id=user_id, chat_id=user_id)


def text_of(replies: list[Reply]) -> str:
    return "\n".join(render.plain(r.html) for r in replies)


@pytest.fixture
def commands(library: Library) -> Commands:
    return Commands(library, Settings(admin_ids=[ADMIN], _env_file=None))


async def test_follow_names_the_person_the_words_mean(commands: Commands) -> None:
    text = text_of(await commands.handle(user("/follow Mustafa")))
    assert text.startswith("Following Naji Mustafa")
    assert "Naji Mustafa" in text_of(await commands.handle(user("/following")))


async def test_following_someone_not_quoted_yet_says_so(commands: Commands) -> None:
    text = text_of(await commands.handle(user("/follow Ingrid Halvorsen")))
    assert text.startswith("Nobody named Ingrid Halvorsen is quoted yet")


async def test_unfollow_stops_following(commands: Commands) -> None:
    await commands.handle(user("/follow Naji Mustafa"))
    assert "No longer following Naji Mustafa" in text_of(
        await commands.handle(user("/unfollow mustafa"))
    )
    assert "You follow nobody" in text_of(await commands.handle(user("/following")))


async def test_following_twice_is_following_once(commands: Commands) -> None:
    await commands.handle(user("/follow Naji Mustafa"))
    assert "already follow" in text_of(await commands.handle(user("/follow Naji Mustafa")))


# -- told on Telegram -----------------------------------------------------------------------


@asynccontextmanager
async def running_bot(api: FakeBotApi, db: Path) -> AsyncIterator[Library]:
    async with await Library.open(db) as library:
        await library.seed_sample()
        settings = Settings(TELEGRAM_TOKEN=TOKEN, admin_ids=[ADMIN], _env_file=None)
        app = build_application(
            library, settings, base_url=api.base_url, base_file_url=api.base_file_url
        )
        cast(TelegramAdapter, app.bot_data["adapter"]).follow_poll = 0.1
        async with polling(app):
            yield library


def news_to(api: FakeBotApi, chat_id: int, after: int = 0) -> list[str]:
    return [c.plain for c in api.sent_to(chat_id, after=after) if "New quote from" in c.plain]


async def test_a_follower_is_told_of_an_uploaded_quote_once(
    api: FakeBotApi, tmp_path: Path
) -> None:
    async with running_bot(api, tmp_path / "t.db"):
        await api.reply_to("/follow Ingrid Halvorsen", user_id=USER)
        mark = api.send_document("lighthouse.txt", LIGHTHOUSE.encode(), user_id=ADMIN)

        told = await api.wait_for(
            "sendMessage", after=mark, where=lambda c: c.chat_id == USER, timeout=10
        )
        assert told.plain.startswith("New quote from Ingrid Halvorsen")
        assert "A lamp that nobody tends is a lamp that fails" in told.plain
        await asyncio.sleep(0.5)  # several more rounds of looking
        assert len(news_to(api, USER)) == 1


async def test_a_quote_told_is_not_told_again_after_a_restart(
    api: FakeBotApi, tmp_path: Path
) -> None:
    db = tmp_path / "t.db"
    async with running_bot(api, db):
        await api.reply_to("/follow Ingrid Halvorsen", user_id=USER)
        mark = api.send_document("lighthouse.txt", LIGHTHOUSE.encode(), user_id=ADMIN)
        await api.wait_for("sendMessage", after=mark, where=lambda c: c.chat_id == USER)

    async with running_bot(api, db) as library:
        await library.reindex()  # re-read: new rows, the same quotes
        await asyncio.sleep(0.5)
        assert len(news_to(api, USER)) == 1
        assert await library.following(USER) == ["Ingrid Halvorsen"]


async def test_a_cli_ingest_beside_the_running_bot_reaches_followers(
    api: FakeBotApi, tmp_path: Path, cli: CLI
) -> None:
    db = tmp_path / "t.db"
    article = tmp_path / "lighthouse.txt"
    article.write_text(LIGHTHOUSE, encoding="utf-8")
    async with running_bot(api, db):
        await api.reply_to("/follow Ingrid Halvorsen", user_id=USER)
        mark = api.mark()

        done = await asyncio.to_thread(cli, "ingest", "--db", str(db), str(article))
        assert done.returncode == 0, done.stderr

        told = await api.wait_for(
            "sendMessage", after=mark, where=lambda c: c.chat_id == USER, timeout=20
        )
        assert "A lamp that nobody tends" in told.plain


async def test_a_follower_who_blocked_the_bot_stops_following(
    api: FakeBotApi, tmp_path: Path
) -> None:
    async with running_bot(api, tmp_path / "t.db") as library:
        await api.reply_to("/follow Ingrid Halvorsen", user_id=USER)
        await api.reply_to("/follow Ingrid Halvorsen", user_id=OTHER)
        api.blocked.add(OTHER)

        mark = api.send_document("lighthouse.txt", LIGHTHOUSE.encode(), user_id=ADMIN)
        await api.wait_for("sendMessage", after=mark, where=lambda c: c.chat_id == USER)
        await asyncio.sleep(0.5)

        assert await library.following(OTHER) == []
        assert await library.following(USER) == ["Ingrid Halvorsen"]
        api.blocked.clear()
        mark = api.send_document("hollow.txt", SECOND.encode(), user_id=ADMIN)
        await api.wait_for("sendMessage", after=mark, where=lambda c: c.chat_id == USER)
        await asyncio.sleep(0.5)
        assert news_to(api, OTHER) == []
