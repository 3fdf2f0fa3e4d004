"""The command layer: a message in, replies out, the same for every adapter.

Adapters (console, Telegram; see `bot.adapter`) turn their input into a `Message`, call
`Commands.handle`, and show the `Reply` objects: HTML text, and an optional key for a "More"
button that pages through the rest of an answer or a listing. A file sent to the bot is a
`Document` for `Commands.handle_document`; it is fetched only once the sender and the file's name
and size pass. A long command (/add, an upload, /reindex) says at once that it started, through
the message's `show_status`, and replies when done.

Nobody waits on anybody: `admit` turns away a user over their rate before any work, and `turn`
keeps one user's messages in one chat in order while everyone else's run beside them.
"""

from __future__ import annotations

import asyncio
import html
import json
import logging
import re
import secrets
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from aiolimiter import AsyncLimiter

from bot import render
from bot.settings import Settings
from index.errors import ArticleError, StoreError
from index.library import Library
from index.models import (
    Answer,
    ArticleInfo,
    IngestResult,
    IngestStatus,
    Passage,
    ScoredPassage,
)

log = logging.getLogger(__name__)

PAGES_KEPT = 10_000  # pages kept in the store for "More"; older buttons say the answer expired
MAX_ID = 2**63 - 1  # SQLite's largest INTEGER PRIMARY KEY: no article id is larger
SHOWN_INPUT = 40  # characters of a bad argument repeated back to its sender
LIST_PAGE = 40  # lines of /articles or /speakers per message
STATUS_EVERY = 1.0  # seconds between progress updates, so a chat is not flooded with edits
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
        # The key of the last More per (chat, user): /more in a group must never page on
        # through what the same user asked in private.
        self._last_more: OrderedDict[tuple[int | None, int | None], str] = OrderedDict()
        self._reindexing = asyncio.Lock()
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
        try:
            return await command.handler(msg, args.strip())
        except StoreError as exc:  # a read-only or full store, wherever a command meets it
            return [Reply(_store_failed(msg, exc))]

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
        size = self.settings.results
        text = render.answer(answer, start=0, count=size)
        rest = [_place(result) for result in answer.results[size:]]
        return [
            await self._with_more(msg, text, {"results": rest} if rest else None, size, generation)
        ]

    async def _with_more(
        self, msg: Message, text: str, rest: dict[str, Any] | None, shown: int, generation: int
    ) -> Reply:
        """A page (`text`), with a More button when something is left (`rest`, what names it;
        `shown` items shown so far). What is left is kept in the store behind a random key, so
        a More button works after a restart and cannot be guessed. It is kept small, the
        places of the passages still to show or which listing it is, and rendered again
        from the store when asked for (the generation says the store did not change): whole
        answers, ~20 KB a page, grew a database by 200 MB at the page cap."""
        if rest is None:
            return Reply(text)
        key = secrets.token_urlsafe(12)
        body = json.dumps({**rest, "shown": shown, "chat": msg.chat_id})
        try:
            kept = await self.library.save_page(key, body, generation, PAGES_KEPT)
        except StoreError as exc:  # a full disk: the page shown goes out, without a button
            log.warning("Could not keep the next page for More: %s", exc)
            kept = False
        if not kept:  # no button for a page that was never stored
            return Reply(text)
        where = (msg.chat_id, msg.user_id)
        self._last_more.pop(where, None)
        self._last_more[where] = key
        while len(self._last_more) > LIMITED_USERS_KEPT:
            self._last_more.popitem(last=False)
        return Reply(text, more=key)

    async def _next_page(self, msg: Message, page: dict[str, Any], generation: int) -> Reply:
        """The page after `shown` of what a kept page names: an answer's results by place, a
        listing by name (or, kept before pages were small, a whole answer or listing)."""
        shown = int(page["shown"])
        if "answer" in page:  # kept by an older saidwho: the whole answer
            answer = Answer.model_validate(page["answer"])
            page = {"results": [_place(result) for result in answer.results[shown:]]}
        if "results" in page:
            size = self.settings.results
            places: list[list[Any]] = page["results"]
            found = await self.library.passages_at([(int(p[0]), int(p[1])) for p in places[:size]])
            items = [_result(place, found) for place in places[:size]]
            text = render.numbered([item for item in items if item is not None], shown + 1)
            rest = {"results": places[size:]} if places[size:] else None
            return await self._with_more(msg, text, rest, shown + size, generation)
        if "listing" in page:
            text = await self._listing_text(page["listing"], page.get("article"))
            listing = {"listing": page["listing"], "article": page.get("article")}
        else:  # kept by an older saidwho: the listing's lines
            text = "\n".join([page["head"], *page["lines"]])
            listing = {"head": page["head"], "lines": page["lines"]}
        return await self._listing_page(msg, text, listing, shown, generation)

    async def _listing_page(
        self, msg: Message, text: str, listing: dict[str, Any], shown: int, generation: int
    ) -> Reply:
        """Lines `shown` on of a listing rendered whole (a head line, then one per item)."""
        head, *lines = text.split("\n")
        size, total = LIST_PAGE, len(lines)
        page = "\n".join([head, *lines[shown : shown + size]])
        if total > size:
            page += f"\n<i>{shown + 1}–{min(shown + size, total)} of {total}</i>"
        rest = listing if shown + size < total else None
        return await self._with_more(msg, page, rest, shown + size, generation)

    async def more(self, msg: Message, key: str) -> list[Reply]:
        """The next page of the answer or listing that `key` came with, in the chat it was
        shown in."""
        try:
            kept = await self.library.take_page(key)
        except StoreError as exc:
            return [Reply(_store_failed(msg, exc))]
        if kept is None:
            return [Reply("That answer has expired. Please ask again.")]
        body, generation = kept
        page = json.loads(body)
        if page.pop("chat", msg.chat_id) != msg.chat_id:
            return [Reply("That answer was given in another chat. Please ask again here.")]
        if generation != await self.library.generation():
            return [Reply("The articles changed since that answer. Please ask again.")]
        return [await self._next_page(msg, page, generation)]

    async def more_command(self, msg: Message, args: str) -> list[Reply]:
        key = self._last_more.pop((msg.chat_id, msg.user_id), None)
        if key is None:
            return [Reply("Nothing more to show here. Ask a question first.")]
        return await self.more(msg, key)

    async def _listing(self, msg: Message, listing: str, article: int | None = None) -> list[Reply]:
        """A listing (`listing`: "articles" or "speakers", of `article` or all), a page at a
        time."""
        generation = await self.library.generation()
        text = await self._listing_text(listing, article)
        named = {"listing": listing, "article": article}
        return [await self._listing_page(msg, text, named, 0, generation)]

    async def _listing_text(self, listing: str, article: int | None) -> str:
        if listing == "articles":
            return render.articles(await self.library.articles())
        scope = "in all articles" if article is None else f"in article {article}"
        return render.speakers(await self.library.speakers(article), scope)

    async def articles(self, msg: Message, args: str) -> list[Reply]:
        return await self._listing(msg, "articles")

    async def article(self, msg: Message, args: str) -> list[Reply]:
        article_id = _parse_id(args)
        if article_id is None:
            return [Reply(_not_an_id(args, "Which article? Give its id, e.g. /article 1"))]
        found = await self.library.articles(article_id)
        if not found:
            return [Reply(f"There is no article {article_id}. See /articles.")]
        speakers = await self.library.speakers(article_id)
        return [Reply(render.article(found[0], speakers))]

    async def speakers(self, msg: Message, args: str) -> list[Reply]:
        if not args:
            return await self._listing(msg, "speakers")
        article_id = _parse_id(args)
        if article_id is None:
            return [
                Reply(
                    _not_an_id(
                        args, "Give an article id, e.g. /speakers 1, or nothing for all articles"
                    )
                )
            ]
        return await self._listing(msg, "speakers", article_id)

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
        await _ThrottledStatus(msg.show_status).show(f"Adding {html.escape(args)}…")
        try:
            result = await self.library.add_input(
                args,
                self.settings.max_file_bytes,
                local=msg.local_files,
                allow_private=self.settings.fetch_allow_private,
            )
        except (ArticleError, StoreError) as exc:  # StoreError: a full disk, a read-only store
            return [Reply(f"Not added: {html.escape(str(exc))}")]
        return [Reply(_ingested(result))]

    async def remove(self, msg: Message, args: str) -> list[Reply]:
        article_id = _parse_id(args)
        if article_id is None:
            return [Reply(_not_an_id(args, "Which article? Give its id, e.g. /remove 3"))]
        try:
            removed = await self.library.remove(article_id)
        except StoreError as exc:  # a read-only or full store
            return [Reply(f"Article {article_id} was not removed: {html.escape(str(exc))}")]
        if not removed:
            return [Reply(f"There is no article {article_id}; nothing was removed.")]
        return [Reply(f"Removed article {article_id}.")]

    async def reindex(self, msg: Message, args: str) -> list[Reply]:
        if self._reindexing.locked():
            return [Reply("A re-index is already running; try again once it is done.")]
        async with self._reindexing:
            status = _ThrottledStatus(msg.show_status)
            await status.show("Re-indexing the articles…")
            try:
                count = await self.library.reindex(status.progress)
            except StoreError as exc:  # a read-only or full store: what was saved stays
                return [Reply(f"Re-indexing stopped: {html.escape(str(exc))}")]
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
        await _ThrottledStatus(msg.show_status).show(f"Adding {name}…")
        data = await doc.fetch()
        if len(data) > limit:
            return [Reply(_too_large(name, len(data), limit))]
        try:
            result = await self.library.add_upload(doc.name, data, source=f"upload: {doc.name}")
        except (ArticleError, StoreError) as exc:  # StoreError: a full disk, a read-only store
            return [Reply(f"Not added: {html.escape(str(exc))}")]
        return [Reply(_ingested(result))]


@dataclass
class _Turns:
    """One user's messages in one chat: in turn (`lock`), and the long work still running."""

    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    jobs: set[asyncio.Future[None]] = field(default_factory=set)
    users: int = 0  # messages holding or awaiting a turn; at 0 the entry goes


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


# ASCII digits only: str.isdigit() also takes "²" and "٣", which int() refuses or reads.
_ID = re.compile(r"#?([0-9]+)")


def _parse_id(args: str) -> int | None:
    """An article id as typed ("3", "#3"): ASCII digits naming 1 to MAX_ID; else None."""
    match = _ID.fullmatch(args.strip())
    if match is None:
        return None
    digits = match.group(1).lstrip("0")
    if not digits or len(digits) > len(str(MAX_ID)):  # bounded before int(): "9" × 10,000
        return None
    number = int(digits)
    return number if number <= MAX_ID else None


def _not_an_id(args: str, ask: str) -> str:
    """What to say when `args` is no article id: what was typed, then how to give one."""
    typed = args.strip()
    if not typed:
        return html.escape(f"{ask} (see /articles).")
    if len(typed) > SHOWN_INPUT:
        typed = typed[:SHOWN_INPUT] + "…"
    return html.escape(f"“{typed}” is not an article id. {ask} (see /articles).")


def _place(result: ScoredPassage) -> list[Any]:
    """Where a result is, to show it again: its article, passage ordinal, score, and which of
    the passage's attributions it is answered with (-1: none)."""
    attributions = result.passage.attributions
    chosen = attributions.index(result.attribution) if result.attribution in attributions else -1
    return [result.article.id, result.passage.ordinal, result.score, chosen]


def _result(
    place: list[Any], found: dict[tuple[int, int], tuple[Passage, ArticleInfo]]
) -> ScoredPassage | None:
    """The result at `place` again, as it was answered; None if it is gone."""
    article_id, ordinal, score, chosen = place
    if (article_id, ordinal) not in found:
        return None
    passage, article = found[(article_id, ordinal)]
    attributions = passage.attributions
    return ScoredPassage(
        score=score,
        passage=passage,
        article=article,
        attributions=attributions,
        attribution=attributions[chosen] if 0 <= chosen < len(attributions) else None,
    )


def _store_failed(msg: Message, exc: StoreError) -> str:
    """A store error as a sentence: for an admin as the store says it (the file, the cause),
    for anyone else without the server's path."""
    log.warning("store error for %s: %s", msg.user_id, exc)
    if msg.is_admin:
        return f"Sorry, the database failed: {html.escape(str(exc))}"
    return "Sorry, the articles cannot be reached right now (a database fault). Try again later."


def _ingested(result: IngestResult) -> str:
    title = html.escape(result.title)
    if result.status is IngestStatus.UNCHANGED:
        return f"Already indexed as article {result.article_id}: <i>{title}</i>."
    verb = "Replaced" if result.status is IngestStatus.REPLACED else "Added"
    return (
        f"{verb} article {result.article_id}: <i>{title}</i> "
        f"({render.counted(result.passages, 'passage')}). Ask away."
    )
