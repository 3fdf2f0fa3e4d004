"""The command layer: a message in, replies out, the same for every adapter.

Adapters (console, Telegram) turn their input into a `Message`, call `Commands.handle`, and show
the `Reply` objects: HTML text, and an optional key for a "More" button that pages through the
rest of an answer. A file sent to the bot is a `Document` for `Commands.handle_document`; it is
fetched only once the sender and the file's name and size pass. A long command (/reindex) reports
progress through the message's `show_status`, which an adapter may supply.
"""

from __future__ import annotations

import asyncio
import html
import itertools
import secrets
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import PurePath

from bot import render
from bot.settings import Settings
from index.errors import ArticleError, NotALink, StoreError
from index.library import Library
from index.models import Answer, IngestResult, IngestStatus

PAGES_KEPT = 500  # answers remembered for "More"; older buttons say the answer expired
STATUS_EVERY = 1.0  # seconds between progress updates, so a chat is not flooded with edits
ARTICLE_TYPES = {".txt", ".text", ".html", ".htm", ".xhtml"}

ShowStatus = Callable[[str], Awaitable[None]]  # shows a status line in place of the last one


@dataclass(frozen=True)
class Message:
    text: str
    user_id: int | None = None
    is_admin: bool = False
    private: bool = True
    local_files: bool = False  # True on the console: /add may read paths on this machine
    show_status: ShowStatus | None = None


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


@dataclass
class _Page:
    answer: Answer
    shown: int
    generation: int


Handler = Callable[[Message, str], Awaitable[list[Reply]]]


@dataclass(frozen=True)
class Command:
    handler: Handler
    summary: str
    admin: bool = False
    usage: str = ""


class Commands:
    def __init__(self, library: Library, settings: Settings) -> None:
        self.library = library
        self.settings = settings
        self._pages: OrderedDict[str, _Page] = OrderedDict()
        self._keys = itertools.count(1)
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
        # Keys carry a per-process prefix, so a button from before a restart cannot open another
        # answer that happens to have its number.
        self._key_prefix = secrets.token_hex(3)
        self._reindexing = asyncio.Lock()

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
            return [Reply(f"Sorry, /{name} is for admins only. Nothing was changed.")]
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
        size = self.settings.results
        answer = await self.library.ask(args, k=size * 4)
        page = _Page(answer, 0, await self.library.generation())
        return [self._page(msg, page, size)]

    def _page(self, msg: Message, page: _Page, size: int) -> Reply:
        text = render.answer(page.answer, start=page.shown, count=size)
        page.shown += size
        if page.shown >= len(page.answer.results):
            return Reply(text)
        key = f"{self._key_prefix}.{next(self._keys)}"
        self._pages[key] = page
        while len(self._pages) > PAGES_KEPT:
            self._pages.popitem(last=False)
        self._last_more[msg.user_id] = key
        return Reply(text, more=key)

    async def more(self, msg: Message, key: str) -> list[Reply]:
        """The next page of the answer that `key` came with."""
        page = self._pages.pop(key, None)
        if page is None:
            return [Reply("That answer has expired. Please ask again.")]
        if page.generation != await self.library.generation():
            return [Reply("The articles changed since that answer. Please ask again.")]
        return [self._page(msg, page, self.settings.results)]

    async def more_command(self, msg: Message, args: str) -> list[Reply]:
        key = self._last_more.pop(msg.user_id, None)
        if key is None:
            return [Reply("Nothing more to show. Ask a question first.")]
        return await self.more(msg, key)

    async def articles(self, msg: Message, args: str) -> list[Reply]:
        return [Reply(render.articles(await self.library.articles()))]

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
            return [Reply(render.speakers(await self.library.speakers(), "in all articles"))]
        article_id = _parse_id(args)
        if article_id is None:
            return [Reply("Give an article id, e.g. /speakers 1, or nothing for all articles.")]
        items = await self.library.speakers(article_id)
        return [Reply(render.speakers(items, f"in article {article_id}"))]

    # -- admins ----------------------------------------------------------------------------

    async def add(self, msg: Message, args: str) -> list[Reply]:
        """/add <url>, or on the console /add <path>: paths on the bot's machine are not for
        chat users."""
        if not args:
            example = "/add https://example.org/story.html"
            if msg.local_files:
                example += " or /add articles/story.txt"
            return [Reply(f"What should I add? For example {html.escape(example)}.")]
        try:
            result = await self.library.add_input(
                args,
                self.settings.max_file_bytes,
                local=msg.local_files,
                allow_private=self.settings.fetch_allow_private,
            )
        except NotALink:
            return [Reply("Give an http(s) link, or send the article as a .txt or .html file.")]
        except (ArticleError, StoreError) as exc:  # StoreError: a full disk, a read-only store
            return [Reply(f"Not added: {html.escape(str(exc))}")]
        return [Reply(_ingested(result))]

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
            status = _ThrottledStatus(msg.show_status)
            await status.show("Re-indexing the articles…")
            count = await self.library.reindex(status.progress)
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
        data = await doc.fetch()
        if len(data) > limit:
            return [Reply(_too_large(name, len(data), limit))]
        try:
            result = await self.library.add_upload(doc.name, data, source=f"upload: {doc.name}")
        except (ArticleError, StoreError) as exc:  # StoreError: a full disk, a read-only store
            return [Reply(f"Not added: {html.escape(str(exc))}")]
        return [Reply(_ingested(result))]


class _ThrottledStatus:
    """Progress for a long command, shown at most every STATUS_EVERY seconds, and at the end."""

    def __init__(self, show_status: ShowStatus | None) -> None:
        self._show_status = show_status
        self._shown_at = -STATUS_EVERY

    async def show(self, text: str) -> None:
        if self._show_status is not None:
            self._shown_at = time.monotonic()
            await self._show_status(text)

    async def progress(self, done: int, total: int) -> None:
        if done == total or time.monotonic() - self._shown_at >= STATUS_EVERY:
            await self.show(f"Re-indexing the articles… {done}/{total}")


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
