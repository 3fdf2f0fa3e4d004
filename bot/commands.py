"""The command layer: a message in, replies out, the same for every adapter.

Adapters (console, Telegram) turn their input into a `Message`, call `Commands.handle`, and show
the `Reply` objects: HTML text, and an optional key for a "More" button that pages through the
rest of an answer.
"""

from __future__ import annotations

import html
import itertools
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from bot import render
from bot.settings import Settings
from index.answers import Query, analyse
from index.articles import ArticleError
from index.library import Library
from index.models import Answer, IngestResult, IngestStatus

PAGES_KEPT = 500  # answers remembered for "More"; older buttons say the answer expired


@dataclass(frozen=True)
class Message:
    text: str
    user_id: int | None = None
    is_admin: bool = False
    private: bool = True
    local_files: bool = False  # True on the console: /add may read paths on this machine


@dataclass(frozen=True)
class Reply:
    html: str
    more: str | None = None  # pass to `Commands.more` to get the next page


@dataclass
class _Page:
    answer: Answer
    query: Query
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
            "add": Command(self.add, "add an article file", admin=True, usage="<path>"),
            "remove": Command(self.remove, "remove an article", admin=True, usage="<id>"),
            "stats": Command(self.stats, "what the store holds", admin=True),
        }
        self._last_more: dict[int | None, str] = {}

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
        counts = await self.library.store.counts()
        return [
            Reply(
                "<b>saidwho</b> finds who said what in news articles.\n"
                f"I know {counts['articles']} articles with {counts['passages']} passages "
                f"and {counts['attributions']} quotes.\n"
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
        page = _Page(answer, analyse(args), 0, await self.library.store.generation())
        return [self._page(msg, page, size)]

    def _page(self, msg: Message, page: _Page, size: int) -> Reply:
        text = render.answer(page.answer, page.query, start=page.shown, count=size)
        page.shown += size
        if page.shown >= len(page.answer.results):
            return Reply(text)
        key = str(next(self._keys))
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
        if page.generation != await self.library.store.generation():
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
        found = [a for a in await self.library.articles() if a.id == article_id]
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
        if not args:
            return [Reply("Give a file path, e.g. /add articles/story.txt, or send a file.")]
        if "://" in args:
            return [Reply("Adding from a URL is not supported yet; send the article as a file.")]
        if not msg.local_files:
            return [Reply("Send the article as a .txt file instead of a path.")]
        try:
            result = await self.library.add_file(
                Path(args).expanduser(), self.settings.max_file_bytes
            )
        except ArticleError as exc:
            return [Reply(f"Not added: {html.escape(str(exc))}")]
        return [Reply(_ingested(result))]

    async def remove(self, msg: Message, args: str) -> list[Reply]:
        article_id = _parse_id(args)
        if article_id is None:
            return [Reply("Which article? Give its id, e.g. /remove 3 (see /articles).")]
        if not await self.library.remove(article_id):
            return [Reply(f"There is no article {article_id}; nothing was removed.")]
        return [Reply(f"Removed article {article_id}.")]

    async def stats(self, msg: Message, args: str) -> list[Reply]:
        return [Reply(render.stats(await self.library.stats()))]


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
        f"({result.passages} passages). Ask away."
    )
