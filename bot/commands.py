"""The command layer: a message in, replies out, the same for every adapter.

Adapters (console, Telegram; see `bot.adapter`) turn their input into a `Message`, call
`Commands.handle`, and show the `Reply` objects: HTML text, and an optional key for a "More"
button that pages through the rest of an answer or a listing. A file sent to the bot is a
`Document` for `Commands.handle_document`; it is fetched only once the sender and the file's name
and size pass. A long command (/add, an upload, /reindex) says at once that it started, through
the message's `show_status`, and replies when done. An admin's uploads and /adds queue, one at a
time in the order sent, their status saying how many are ahead ("Queued: 3 ahead of yours"),
then how far the article has got; the heavy work itself runs on the library's own pool, so
nobody's question waits behind it.

Nobody waits on anybody: `admit` turns away a user over their rate before any work, and `turn`
keeps one user's messages in one chat in order while everyone else's run beside them.
"""

from __future__ import annotations

import asyncio
import html
import json
import logging
import secrets
import sqlite3
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import PurePath
from typing import Any

from aiolimiter import AsyncLimiter

from bot import render
from bot.settings import Settings
from index.errors import ArticleError, StoreError
from index.library import Cancelled, Library
from index.models import Answer, IngestResult, IngestStatus

log = logging.getLogger(__name__)

PAGES_KEPT = 10_000  # pages kept in the store for "More"; older buttons say the answer expired
LIST_PAGE = 40  # lines of /articles or /speakers per message
STATUS_EVERY = 1.0  # seconds between progress updates, so a chat is not flooded with edits
# Seconds between updates of a queued article's place: forty uploads are forty status lines
# in one chat, each edited as the queue moves.
QUEUE_STATUS_EVERY = 10.0
SHUTTING_DOWN = "the bot is shutting down; send it again once it is back"
ARTICLE_TYPES = {".txt", ".text", ".html", ".htm", ".xhtml"}
BACKGROUND = {"add", "reindex"}  # commands whose work runs beside the sender's other messages
LIMITED_USERS_KEPT = 10_000  # users whose rate is remembered; the least recent are forgotten
SLOW_DOWN = (
    "You are sending messages faster than I answer them ({rate} a minute). I'll skip the "
    "rest for a moment; ask again in a minute."
)

ShowStatus = Callable[[str], Awaitable[None]]  # shows a status line in place of the last one


@dataclass(frozen=True)
class Message:
    text: str
    user_id: int | None = None
    is_admin: bool = False
    private: bool = True
    local_files: bool = False  # True on the console: /add may read paths on this machine
    show_status: ShowStatus | None = None
    chat_id: int | None = None  # None: the user's private chat


@dataclass(frozen=True)
class Document:
    """A file sent to the bot. `fetch` downloads it; it is called only for a file we will read."""

    name: str
    size: int | None
    fetch: Callable[[], Awaitable[bytes]]


@dataclass(frozen=True)
class Reply:
    html: str
    more: str | None = None  # pass to `Commands.more` to get the next page


Handler = Callable[[Message, str], Awaitable[list[Reply]]]


@dataclass(frozen=True)
class Command:
    handler: Handler
    summary: str
    admin: bool = False
    usage: str = ""


class Commands:
    def __init__(
        self,
        library: Library,
        settings: Settings,
        *,
        admin_hint: str = "",
        rate_limited: bool = True,
    ) -> None:
        """`admin_hint` tells a user refused an admin command how to become one, where they
        chat (the console's --admin, Telegram's SAIDWHO_ADMIN_IDS). `rate_limited`: users are
        held to `settings.user_rate`."""
        self.library = library
        self.rate_limited = rate_limited
        self.settings = settings
        self.admin_hint = admin_hint
        self.table: dict[str, Command] = {
            "start": Command(self.start, "what this bot is and how to ask"),
            "help": Command(self.help, "the commands"),
            "ask": Command(self.ask, "ask a question", usage="<question>"),
            "more": Command(self.more_command, "the next results of the last answer"),
            "articles": Command(self.articles, "the articles I know, with ids"),
            "article": Command(self.article, "one article's details", usage="<id>"),
            "speakers": Command(self.speakers, "who is quoted, how often", usage="[article id]"),
            "add": Command(
                self.add,
                "add a web page (or send a .txt or .html file; a path on the console)",
                admin=True,
                usage="<url>",
            ),
            "remove": Command(self.remove, "remove an article", admin=True, usage="<id>"),
            "reindex": Command(self.reindex, "re-read and re-index every article", admin=True),
            "stats": Command(self.stats, "what the store holds", admin=True),
        }
        self._last_more: dict[int | None, str] = {}
        self._reindexing = asyncio.Lock()
        self._queues: dict[int | None, _Queue] = {}  # each admin's articles coming in
        self._turns: dict[tuple[int | None, int | None], _Turns] = {}
        self._limiters: OrderedDict[int | None, AsyncLimiter] = OrderedDict()
        self._told_to_slow_down: set[int | None] = set()

    # -- who goes when ---------------------------------------------------------------------

    async def admit(self, msg: Message) -> list[Reply] | None:
        """None if `msg` may be handled now; else what to tell its sender: once that they are
        over their rate, then nothing until they are under it again. Admins are not limited:
        they are few, trusted, and their uploads come in bursts."""
        # aiolimiter's leaky bucket (already PTB's, for its flood limits) rather than a token
        # bucket of our own: has_capacity() lets the excess be dropped instead of queued.
        if msg.is_admin or not self.rate_limited:
            return None
        limiter = self._limiters.pop(msg.user_id, None) or AsyncLimiter(self.settings.user_rate, 60)
        self._limiters[msg.user_id] = limiter  # now the most recent
        while len(self._limiters) > LIMITED_USERS_KEPT:
            forgotten, _ = self._limiters.popitem(last=False)
            self._told_to_slow_down.discard(forgotten)
        if limiter.has_capacity():
            await limiter.acquire()  # does not wait: there is capacity
            self._told_to_slow_down.discard(msg.user_id)
            return None
        if msg.user_id in self._told_to_slow_down:
            return []
        self._told_to_slow_down.add(msg.user_id)
        return [Reply(SLOW_DOWN.format(rate=self.settings.user_rate))]

    def in_background(self, msg: Message, document: Document | None = None) -> bool:
        """Whether `msg` starts long work (an upload, /add, /reindex) that runs beside the
        sender's other messages, rather than in turn with them."""
        name = msg.text.strip()[1:].partition(" ")[0].split("@", 1)[0].lower()
        return document is not None or (msg.text.startswith("/") and name in BACKGROUND)

    @asynccontextmanager
    async def turn(self, msg: Message, *, background: bool = False) -> AsyncIterator[None]:
        """One user's messages in one chat are handled in the order they came, while other
        users' and chats' run meanwhile. Long work (`background`) starts at once, beside the
        sender's other work, and what the sender sends after it waits until it is done: an
        article added, then asked about, is found. Enter in the order the messages came: what
        came earlier is noted before the first pause."""
        key = (msg.chat_id, msg.user_id)
        turns = self._turns.setdefault(key, _Turns())
        turns.users += 1
        try:
            if background:
                done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
                turns.jobs.add(done)
                try:
                    yield
                finally:
                    turns.jobs.discard(done)
                    done.set_result(None)
            else:
                earlier = set(turns.jobs)
                async with turns.lock:
                    if earlier:
                        await asyncio.wait(earlier)
                    yield
        finally:
            turns.users -= 1
            if not turns.users:
                del self._turns[key]

    # -- dispatch --------------------------------------------------------------------------

    async def handle(self, msg: Message) -> list[Reply]:
        text = msg.text.strip()
        if not text:
            return []
        if not text.startswith("/"):
            if not msg.private:
                return []  # in a group, only /ask is addressed to the bot
            return await self.ask(msg, text)
        name, _, args = text[1:].partition(" ")
        name = name.split("@", 1)[0].lower()
        command = self.table.get(name)
        if command is None:
            return [Reply(f"I don't know /{html.escape(name)}. Try /help.")]
        if command.admin and not msg.is_admin:
            hint = f" {html.escape(self.admin_hint)}" if self.admin_hint else ""
            return [Reply(f"Sorry, /{name} is for admins only. Nothing was changed.{hint}")]
        return await command.handler(msg, args.strip())

    # -- everyone --------------------------------------------------------------------------

    async def start(self, msg: Message, args: str) -> list[Reply]:
        counts = await self.library.counts()
        return [
            Reply(
                "<b>saidwho</b> finds who said what in news articles.\n"
                f"I know {render.counted(counts['articles'], 'article')} with "
                f"{render.counted(counts['passages'], 'passage')} "
                f"and {render.counted(counts['attributions'], 'quote')}.\n"
                "Ask me a question, e.g. <i>who said Russians intervened directly?</i> "
                "(in a group: /ask &lt;question&gt;). /help lists the commands."
            )
        ]

    async def help(self, msg: Message, args: str) -> list[Reply]:
        lines = ["<b>Commands</b>"]
        for name, command in self.table.items():
            if command.admin and not msg.is_admin:
                continue
            usage = f" {html.escape(command.usage)}" if command.usage else ""
            lines.append(f"/{name}{usage} — {command.summary}")
        lines.append("Or just type a question.")
        return [Reply("\n".join(lines))]

    async def ask(self, msg: Message, args: str) -> list[Reply]:
        if not args:
            return [Reply("Ask a question after /ask, e.g. /ask who said Russia failed?")]
        if len(args) > self.settings.max_question_chars:
            return [
                Reply(
                    f"That message is {len(args):,} characters; I take questions of up to "
                    f"{self.settings.max_question_chars:,}. Ask in a sentence or two."
                )
            ]
        answer = await self.library.ask(args, k=self.settings.results * 4)
        generation = await self.library.generation()
        return [await self._page(msg, {"answer": answer.model_dump(mode="json")}, 0, generation)]

    async def _page(self, msg: Message, page: dict[str, Any], shown: int, generation: int) -> Reply:
        """One page of an answer (`page["answer"]`) or a listing (`page["head"]` and
        `page["lines"]`) from `shown` on; what is left is kept in the store behind a random key,
        so a More button works after a restart and cannot be guessed."""
        if "answer" in page:
            answer = Answer.model_validate(page["answer"])
            size, total = self.settings.results, len(answer.results)
            text = render.answer(answer, start=shown, count=size)
        else:
            lines: list[str] = page["lines"]
            size, total = LIST_PAGE, len(lines)
            text = "\n".join([page["head"], *lines[shown : shown + size]])
            if total > size:
                last = min(shown + size, total)
                text += f"\n<i>{shown + 1}–{last} of {total}</i>"
        shown += size
        if shown >= total:
            return Reply(text)
        key = secrets.token_urlsafe(12)
        body = json.dumps({**page, "shown": shown})
        try:
            await self.library.save_page(key, body, generation, PAGES_KEPT)
        except sqlite3.Error as exc:  # a read-only or full store: the page shown is not lost
            log.warning("Could not keep the next page for More: %s", exc)
            return Reply(text)
        self._last_more[msg.user_id] = key
        return Reply(text, more=key)

    async def more(self, msg: Message, key: str) -> list[Reply]:
        """The next page of the answer or listing that `key` came with."""
        kept = await self.library.take_page(key)
        if kept is None:
            return [Reply("That answer has expired. Please ask again.")]
        body, generation = kept
        if generation != await self.library.generation():
            return [Reply("The articles changed since that answer. Please ask again.")]
        page = json.loads(body)
        return [await self._page(msg, page, int(page.pop("shown")), generation)]

    async def more_command(self, msg: Message, args: str) -> list[Reply]:
        key = self._last_more.pop(msg.user_id, None)
        if key is None:
            return [Reply("Nothing more to show. Ask a question first.")]
        return await self.more(msg, key)

    async def _listing(self, msg: Message, text: str) -> list[Reply]:
        """A listing rendered whole (a head line, then one line per item), a page at a time."""
        head, *lines = text.split("\n")
        generation = await self.library.generation()
        return [await self._page(msg, {"head": head, "lines": lines}, 0, generation)]

    async def articles(self, msg: Message, args: str) -> list[Reply]:
        return await self._listing(msg, render.articles(await self.library.articles()))

    async def article(self, msg: Message, args: str) -> list[Reply]:
        article_id = _parse_id(args)
        if article_id is None:
            return [Reply("Which article? Give its id, e.g. /article 1 (see /articles).")]
        found = await self.library.articles(article_id)
        if not found:
            return [Reply(f"There is no article {article_id}. See /articles.")]
        speakers = await self.library.speakers(article_id)
        return [Reply(render.article(found[0], speakers))]

    async def speakers(self, msg: Message, args: str) -> list[Reply]:
        if not args:
            everyone = await self.library.speakers()
            return await self._listing(msg, render.speakers(everyone, "in all articles"))
        article_id = _parse_id(args)
        if article_id is None:
            return [Reply("Give an article id, e.g. /speakers 1, or nothing for all articles.")]
        items = await self.library.speakers(article_id)
        return await self._listing(msg, render.speakers(items, f"in article {article_id}"))

    # -- admins ----------------------------------------------------------------------------

    async def add(self, msg: Message, args: str) -> list[Reply]:
        """/add <url>, or on the console /add <path>: paths on the bot's machine are not for
        chat users."""
        if not args:
            example = "/add https://example.org/story.html"
            if msg.local_files:
                example += " or /add articles/story.txt"
            return [Reply(f"What should I add? For example {html.escape(example)}.")]
        if not self.library.takes(args, local=msg.local_files):
            return [Reply("Give an http(s) link, or send the article as a .txt or .html file.")]
        status = _ThrottledStatus(msg.show_status, f"Adding {html.escape(args)}…")
        try:
            async with self._queued(msg, status):
                await status.show(status.doing)
                result = await self.library.add_input(
                    args,
                    self.settings.max_file_bytes,
                    local=msg.local_files,
                    allow_private=self.settings.fetch_allow_private,
                    progress=status.embedded,
                )
        except (ArticleError, StoreError) as exc:  # StoreError: a full disk, a read-only store
            return [Reply(f"Not added: {html.escape(str(exc))}")]
        except Cancelled:
            return [Reply(f"Not added: {SHUTTING_DOWN}.")]
        return [Reply(_ingested(result))]

    @asynccontextmanager
    async def _queued(self, msg: Message, status: _ThrottledStatus) -> AsyncIterator[None]:
        """The block runs when the sender's earlier articles are in; meanwhile the status
        says how many are ahead. Raises `Cancelled` if the bot stops first."""
        queue = self._queues.setdefault(msg.user_id, _Queue())
        me = object()
        queue.line.append(me)
        try:
            shown_at = -QUEUE_STATUS_EVERY
            while ahead := queue.line.index(me):
                if self.library.cancelled:
                    raise Cancelled("stopped while queued: shutting down")
                if time.monotonic() - shown_at >= QUEUE_STATUS_EVERY:
                    shown_at = time.monotonic()
                    await status.show(f"Queued: {ahead} ahead of yours. {status.doing}")
                async with queue.moved:
                    await queue.moved.wait_for(partial(_moved, queue.line, me, ahead))
            yield
        finally:
            queue.line.remove(me)
            async with queue.moved:
                queue.moved.notify_all()
            if not queue.line:
                del self._queues[msg.user_id]

    async def remove(self, msg: Message, args: str) -> list[Reply]:
        article_id = _parse_id(args)
        if article_id is None:
            return [Reply("Which article? Give its id, e.g. /remove 3 (see /articles).")]
        if not await self.library.remove(article_id):
            return [Reply(f"There is no article {article_id}; nothing was removed.")]
        return [Reply(f"Removed article {article_id}.")]

    async def reindex(self, msg: Message, args: str) -> list[Reply]:
        if self._reindexing.locked():
            return [Reply("A re-index is already running; try again once it is done.")]
        async with self._reindexing:
            status = _ThrottledStatus(msg.show_status, "Re-indexing the articles…")
            await status.show(status.doing)
            try:
                count = await self.library.reindex(status.progress)
            except Cancelled:
                done, total = status.done
                return [
                    Reply(
                        f"Re-indexing stopped: the bot is shutting down. {done} of {total} "
                        "articles were re-read; the others keep their earlier reading. "
                        "/reindex again once it is back."
                    )
                ]
        counts = await self.library.counts()
        return [
            Reply(
                f"Re-indexed {render.counted(count, 'article')}: "
                f"{render.counted(counts['passages'], 'passage')}, "
                f"{render.counted(counts['attributions'], 'quote')}."
            )
        ]

    async def stats(self, msg: Message, args: str) -> list[Reply]:
        return [Reply(render.stats(await self.library.stats()))]

    async def handle_document(self, msg: Message, doc: Document) -> list[Reply]:
        """An article sent as a file: admins only, .txt or .html, within the size limit."""
        if not msg.is_admin:
            return [Reply("Sorry, only admins can add articles. Nothing was changed.")]
        name = html.escape(doc.name)
        suffix = PurePath(doc.name).suffix.lower()
        if suffix not in ARTICLE_TYPES:
            return [Reply(f"Not added: {name} is an unsupported type. Send a .txt or .html file.")]
        limit = self.settings.max_file_bytes
        if doc.size is not None and doc.size > limit:
            return [Reply(_too_large(name, doc.size, limit))]
        status = _ThrottledStatus(msg.show_status, f"Adding {name}…")
        try:
            async with self._queued(msg, status):
                await status.show(status.doing)
                data = await doc.fetch()  # in its turn: forty files are not held at once
                if len(data) > limit:
                    return [Reply(_too_large(name, len(data), limit))]
                result = await self.library.add_upload(
                    doc.name, data, source=f"upload: {doc.name}", progress=status.embedded
                )
        except (ArticleError, StoreError) as exc:  # StoreError: a full disk, a read-only store
            return [Reply(f"Not added: {html.escape(str(exc))}")]
        except Cancelled:
            return [Reply(f"Not added: {name}: {SHUTTING_DOWN}.")]
        return [Reply(_ingested(result))]


@dataclass
class _Turns:
    """One user's messages in one chat: in turn (`lock`), and the long work still running."""

    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    jobs: set[asyncio.Future[None]] = field(default_factory=set)
    users: int = 0  # messages holding or awaiting a turn; at 0 the entry goes


@dataclass
class _Queue:
    """One admin's articles coming in: the first in `line` is being added, the rest wait."""

    line: list[object] = field(default_factory=list)
    moved: asyncio.Condition = field(default_factory=asyncio.Condition)


class _ThrottledStatus:
    """Progress for a long command (`doing`, e.g. "Adding x…"), shown at most every
    STATUS_EVERY seconds, and at the end."""

    def __init__(self, show_status: ShowStatus | None, doing: str) -> None:
        self._show_status = show_status
        self._shown_at = -STATUS_EVERY
        self.doing = doing
        self.done = (0, 0)  # the last progress heard: done, total

    async def show(self, text: str) -> None:
        if self._show_status is not None:
            self._shown_at = time.monotonic()
            await self._show_status(text)

    async def _progress(self, text: str, done: int, total: int) -> None:
        self.done = (done, total)
        if done == total or time.monotonic() - self._shown_at >= STATUS_EVERY:
            await self.show(text)

    async def progress(self, done: int, total: int) -> None:
        """Articles re-indexed."""
        await self._progress(f"{self.doing} {done}/{total}", done, total)

    async def embedded(self, done: int, total: int) -> None:
        """An article's passages embedded (matching by meaning)."""
        await self._progress(
            f"{self.doing} {done:,} of {render.counted(total, 'passage')} embedded", done, total
        )


def _moved(line: list[object], me: object, ahead: int) -> bool:
    return line.index(me) != ahead


def _too_large(name: str, size: int, limit: int) -> str:
    return f"Not added: {name} is too large ({size:,} bytes; the limit is {limit:,})."


def _parse_id(args: str) -> int | None:
    args = args.strip().lstrip("#")
    return int(args) if args.isdigit() else None


def _ingested(result: IngestResult) -> str:
    title = html.escape(result.title)
    if result.status is IngestStatus.UNCHANGED:
        return f"Already indexed as article {result.article_id}: <i>{title}</i>."
    verb = "Replaced" if result.status is IngestStatus.REPLACED else "Added"
    return (
        f"{verb} article {result.article_id}: <i>{title}</i> "
        f"({render.counted(result.passages, 'passage')}). Ask away."
    )
