"""Following a speaker: /follow <person>, /unfollow [person], /following; and telling each
follower of a new quote once.

When an article quoting a followed person is added, by anyone (a chat's /add or upload, or
`saidwho ingest` beside the running bot: the store's change log says which articles changed),
each follower gets the quote once: what was told is recorded in the store, so a restart, a
re-index or a second look never tells it again. Sending is the adapter's (`Send`): the Telegram
adapter's rate limiter keeps it under Telegram's limits, and a chat that blocked the bot
(`Delivery.GONE`) stops following.
"""

from __future__ import annotations

import asyncio
import enum
import html
import logging
from collections.abc import Awaitable, Callable

from aiolimiter import AsyncLimiter

from bot import render
from bot.replies import Reply
from index.errors import StoreError
from index.library import Library
from index.models import FollowNews

log = logging.getLogger(__name__)

POLL_SECONDS = 5.0  # how often the change log is looked at for followers' news
# Followers' news a second, one at a time: PTB's limiter lets a burst of 30 through and then 30
# a second, up to 59 in one second; news comes in bursts (200 followers at once), so it is
# paced under Telegram's 30 a second by itself, leaving room for answers.
NEWS_RATE = 25


class Delivery(enum.Enum):
    SENT = "sent"
    GONE = "gone"  # the chat blocked the bot or is gone: stop following for it
    FAILED = "failed"  # a passing failure: try again next time


Send = Callable[[int, str], Awaitable[Delivery]]


def chat_of(chat_id: int | None, user_id: int | None) -> int | None:
    """Where a follower's news goes: the chat they followed in (their private chat if none)."""
    return chat_id if chat_id is not None else user_id


async def follow(library: Library, chat_id: int | None, args: str) -> list[Reply]:
    name = " ".join(args.split())
    if not name:
        return [Reply("Whom should I follow? E.g. /follow Naji Mustafa (see /speakers).")]
    if chat_id is None:
        return [Reply("I can only follow someone for a chat I can write to.")]
    speaker, new, quoted = await library.follow(chat_id, name)
    who = html.escape(speaker)
    if not new:
        return [Reply(f"You already follow <b>{who}</b>. /following lists whom you follow.")]
    if not quoted:
        return [
            Reply(
                f"Nobody named <b>{who}</b> is quoted yet. I'll tell you when an article "
                "quoting them is added."
            )
        ]
    return [
        Reply(
            f"Following <b>{who}</b>: I'll send you each new quote when an article quoting "
            f"them is added. /unfollow {who} stops it."
        )
    ]


async def unfollow(library: Library, chat_id: int | None, args: str) -> list[Reply]:
    if chat_id is None:
        return [Reply("You follow nobody.")]
    name = " ".join(args.split()) or None
    gone = await library.unfollow(chat_id, name)
    if not gone:
        if name is None:
            return [Reply("You follow nobody.")]
        return [Reply(f"You don't follow {html.escape(name)}. /following lists whom you do.")]
    return [Reply("No longer following " + ", ".join(f"<b>{html.escape(g)}</b>" for g in gone))]


async def following(library: Library, chat_id: int | None) -> list[Reply]:
    followed = await library.following(chat_id) if chat_id is not None else []
    if not followed:
        return [Reply("You follow nobody. /follow &lt;person&gt; to get their new quotes.")]
    names = "\n".join(html.escape(name) for name in followed)
    return [Reply(f"<b>You follow</b>\n{names}\n/unfollow &lt;person&gt; to stop.")]


def news_message(news: FollowNews) -> str:
    return (
        f"New quote from <b>{html.escape(news.speaker)}</b>:\n\n{render.result(news.result)}"
        f"\n\n<i>/unfollow {html.escape(news.speaker)} to stop these.</i>"
    )


async def tell_followers(library: Library, send: Send) -> int:
    """Send each follower the new quotes they were not told of; returns how many were sent.
    The change log is marked done only when nothing failed, so a failed send is tried again
    (and the ones sent are not: each is recorded as told). At most once: a process killed
    between recording and sending loses that one message rather than sending it twice."""
    generation, found = await library.follow_news()
    gate = AsyncLimiter(1, 1 / NEWS_RATE)  # no bursts: one every 1/NEWS_RATE s
    gone: set[int] = set()
    failed = False

    async def one(news: FollowNews) -> bool:
        nonlocal failed
        if news.chat_id in gone:
            return False
        async with gate:
            # Recorded before it is sent, so a stop between the two cannot send it twice; a
            # send that failed is un-recorded and tried again next round. Recorded already:
            # another replica on the same store found it first and sends it.
            if not await library.told(news):
                return False
            delivery = await send(news.chat_id, news_message(news))
        if delivery is Delivery.SENT:
            return True
        if delivery is Delivery.GONE:
            gone.add(news.chat_id)
        else:
            await library.told(news, told=False)
            failed = True
        return False

    sent = sum(await asyncio.gather(*(one(news) for news in found)))
    for chat_id in gone:
        log.info("Chat %s blocked the bot or is gone: its follows are dropped", chat_id)
        await library.unfollow(chat_id)
    if not failed:
        await library.followed_up_to(generation)
    return sent


async def keep_telling(library: Library, send: Send, every: float = POLL_SECONDS) -> None:
    """`tell_followers` every `every` seconds until cancelled; a failure is logged, and the
    next round tries again."""
    while True:
        try:
            await tell_followers(library, send)
        except StoreError as exc:  # a full disk, a locked store: next round
            log.warning("Could not tell followers of new quotes: %s", exc)
        except Exception:  # a bug must not end following for everyone: logged, tried again
            log.exception("Telling followers of new quotes failed")
        await asyncio.sleep(every)
