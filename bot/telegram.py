"""The Telegram adapter: python-telegram-bot's `Application` around the command layer.

`TelegramAdapter` is the `bot.adapter.Adapter` for Telegram. PTB polls and runs each update's
handler as its own task (`concurrent_updates`), so nobody waits for anybody else's answer; each
handler turns its update into an `Incoming` (a `Message`, a `Document`, a More button's key) for
the shared `dispatch`, and the replies go out as HTML, split to fit Telegram's message limit,
with a "More" button where an answer or a listing has further pages.

No answer is lost to a hiccup: sends are retried with backoff on 5xx and dropped connections
(`RetryingRateLimiter`) on top of PTB's waiting out of flood limits (429), a failed "typing"
never stops the answer it announces, and a More button works after its callback query expired
and after a restart (the pages are in the store). This is the only module that imports
`telegram`.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import html
import logging
import re
import traceback
from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from contextlib import asynccontextmanager
from functools import partial
from typing import Any, cast
from urllib.parse import urlsplit

from telegram import (
    BotCommand,
    BotCommandScopeChat,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    LinkPreviewOptions,
    Update,
)
from telegram import Message as TelegramMessage
from telegram.constants import ChatAction, ChatType, MessageLimit, ParseMode
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    ExtBot,
    InlineQueryHandler,
    JobQueue,
    MessageHandler,
    filters,
)

from bot import follow as follows
from bot import links
from bot.adapter import Incoming, Receiver, dispatch
from bot.commands import Commands, Document, Message, Reply
from bot.health import HealthServer
from bot.htmlsplit import split_html
from bot.inline import CACHE_SECONDS, InlineAnswers
from bot.redact import hide_in_logs, redact
from bot.settings import Settings
from bot.signals import exit_signals
from index.library import Library

App = Application[
    ExtBot[int],  # int: the rate limiter's per-call argument, the retries
    ContextTypes.DEFAULT_TYPE,
    dict[Any, Any],
    dict[Any, Any],
    dict[Any, Any],
    JobQueue[ContextTypes.DEFAULT_TYPE],
]

log = logging.getLogger(__name__)

MORE = "more:"  # callback data of a "More" button: MORE + the page key
RUN = "run:"  # callback data of a command button (Yes/No, Undo): RUN + the command it sends
RATE_LIMIT_RETRIES = 5  # times a request that hit a flood-wait (429) is retried after waiting
NETWORK_RETRIES = 5  # times a send that met a 5xx or a dropped connection is tried again
FIRST_BACKOFF = 0.25  # seconds before the first of those retries; doubled each time
# What is retried: sending and editing what the user reads, and fetching an upload. Not the
# "typing" action, which is only worth sending now, nor getUpdates, which polls again anyway.
RETRIED = {"sendMessage", "sendPhoto", "editMessageText", "getFile"}
ADMIN_HINT = "Admins are the Telegram user ids listed in the bot's SAIDWHO_ADMIN_IDS setting."
POLL_TIMEOUT = 10  # seconds a getUpdates long poll waits for updates
SORRY = "Sorry, something went wrong while handling that. Please try again in a moment."
ADMINS_TOLD = " The admins have been told."
UPDATES = [Update.MESSAGE, Update.EDITED_MESSAGE, Update.CALLBACK_QUERY, Update.INLINE_QUERY]


# -- building and running ----------------------------------------------------------------


def build_application(
    library: Library,
    settings: Settings,
    base_url: str | None = None,
    base_file_url: str | None = None,
) -> App:
    """The bot, ready to poll; `base_url`/`base_file_url` point it at another Bot API server."""
    if settings.telegram_token is None:
        raise ValueError("TELEGRAM_TOKEN is not set")
    token = settings.telegram_token.get_secret_value()
    hide_in_logs(token)
    builder = (
        ApplicationBuilder()
        .token(token)
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .rate_limiter(RetryingRateLimiter(max_retries=RATE_LIMIT_RETRIES))
        .concurrent_updates(True)
        .post_init(set_commands)
    )
    if base_url:
        builder = builder.base_url(base_url)
    if base_file_url:
        builder = builder.base_file_url(base_file_url)
    application = builder.build()
    application.bot_data["commands"] = Commands(library, settings, admin_hint=ADMIN_HINT)
    application.bot_data["adapter"] = TelegramAdapter(application)
    application.bot_data["inline"] = InlineAnswers(library, MessageLimit.MAX_TEXT_LENGTH)
    add_handlers(application)
    return application


class RetryingRateLimiter(AIORateLimiter):
    """PTB's rate limiter (which keeps under Telegram's flood limits and waits out a 429's
    retry_after), also trying a send again after a 5xx or a dropped connection, with backoff:
    such failures pass in a moment, and the answer they would lose cost a search. A read
    timeout is retried too, though Telegram may have delivered the message: a rare duplicate
    beats a lost answer."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        backoff = FIRST_BACKOFF
        for attempt in range(NETWORK_RETRIES + 1):
            try:
                return await super().process_request(
                    callback, args, kwargs, endpoint, data, rate_limit_args
                )
            except NetworkError as exc:
                if isinstance(exc, BadRequest) or endpoint not in RETRIED:
                    raise
                if attempt == NETWORK_RETRIES:
                    raise
                log.warning("%s failed (%s); trying again in %.2f s", endpoint, exc, backoff)
                await asyncio.sleep(backoff)
                backoff *= 2
        raise AssertionError("unreachable")  # the loop returns or raises


def add_handlers(application: App) -> None:
    commands = _commands(application.bot_data)
    private = filters.ChatType.PRIVATE
    application.add_handler(CommandHandler("ask", on_question))
    others = [name for name in commands.table if name != "ask"]
    application.add_handler(CommandHandler(others, on_command))
    # In a group, plain text is people talking to each other, and unknown commands may be
    # another bot's: only in a private chat is the bot addressed by them.
    application.add_handler(MessageHandler(private & filters.TEXT & ~filters.COMMAND, on_question))
    application.add_handler(MessageHandler(private & filters.COMMAND, on_command))
    application.add_handler(MessageHandler(private & filters.Document.ALL, on_document))
    application.add_handler(CallbackQueryHandler(on_more, pattern=f"^{re.escape(MORE)}"))
    application.add_handler(CallbackQueryHandler(on_button, pattern=f"^{re.escape(RUN)}"))
    application.add_handler(InlineQueryHandler(on_inline))
    application.add_error_handler(on_error)


class TelegramAdapter:
    """The `Adapter` over a PTB `Application`: PTB receives (each update's handler hands its
    `Incoming` to `receive`'s callback), `reply` sends."""

    admin_hint = ADMIN_HINT

    def __init__(self, application: App, poll_timeout: int = POLL_TIMEOUT) -> None:
        self.application = application
        self.poll_timeout = poll_timeout
        self._handle: Receiver | None = None
        self._receiving = asyncio.Event()
        self._stopped = asyncio.Event()
        self._health: HealthServer | None = None
        self._telling: asyncio.Task[None] | None = None
        self.follow_poll = follows.POLL_SECONDS

    async def start(self) -> None:
        """What `Application.run_polling` does, for a caller that already runs an event loop."""
        application = self.application
        await application.initialize()
        if application.post_init:
            await application.post_init(application)
        updater = application.updater
        assert updater is not None  # ApplicationBuilder always makes one unless told not to
        settings = _commands(application.bot_data).settings
        if settings.webhook_url:
            await self._start_webhook(settings)
        else:
            await updater.start_polling(timeout=self.poll_timeout, allowed_updates=UPDATES)
        await application.start()
        library = _commands(application.bot_data).library
        self._telling = asyncio.create_task(
            follows.keep_telling(library, self.send_news, self.follow_poll), name="followers"
        )

    async def send_news(self, chat_id: int, text: str) -> follows.Delivery:
        """A follower's news, through the rate limiter like every send. A chat that blocked
        the bot (403) or is gone is GONE: its follows are dropped."""
        try:
            for chunk in split_html(text, MessageLimit.MAX_TEXT_LENGTH):
                await self.application.bot.send_message(chat_id, chunk)
        except Forbidden:
            return follows.Delivery.GONE
        except BadRequest as exc:
            if "chat not found" in exc.message.lower():
                return follows.Delivery.GONE
            log.warning("Could not send a follower %s their news: %s", chat_id, exc.message)
            return follows.Delivery.FAILED
        except TelegramError as exc:
            log.warning("Could not send a follower %s their news: %s", chat_id, exc)
            return follows.Delivery.FAILED
        return follows.Delivery.SENT

    async def _start_webhook(self, settings: Settings) -> None:
        """What `Application.run_webhook` does, for a caller that already runs an event loop:
        PTB's webhook server (tornado) on SAIDWHO_WEBHOOK_LISTEN:PORT, the webhook set with
        Telegram, and updates without the secret token refused (403) by PTB; and the health
        endpoint beside it."""
        updater = self.application.updater
        assert updater is not None and settings.webhook_url and settings.webhook_secret
        await updater.start_webhook(
            listen=settings.webhook_listen,
            port=settings.webhook_port,
            url_path=urlsplit(settings.webhook_url).path.lstrip("/"),
            webhook_url=settings.webhook_url,
            secret_token=settings.webhook_secret.get_secret_value(),
            allowed_updates=UPDATES,
        )
        self._health = HealthServer(self._healthy, settings.webhook_listen, settings.health_port)
        self._health.start()
        log.info(
            "Webhook server on %s:%s; health on %s:%s/health",
            settings.webhook_listen,
            settings.webhook_port,
            settings.webhook_listen,
            settings.health_port,
        )

    async def _healthy(self) -> dict[str, Any] | None:
        """What the health endpoint reports: None (503) unless updates are being taken."""
        updater = self.application.updater
        if not (self.application.running and updater is not None and updater.running):
            return None
        counts = await _commands(self.application.bot_data).library.counts()
        return {"articles": counts["articles"]}

    async def receive(self, handle: Receiver) -> None:
        self._handle = handle
        self._receiving.set()
        await self._stopped.wait()

    async def deliver(self, incoming: Incoming) -> None:
        """From a handler: `incoming` to the bot, once `receive` is running."""
        await self._receiving.wait()
        assert self._handle is not None  # set before _receiving
        await self._handle(incoming)

    async def reply(self, to: Incoming, replies: Sequence[Reply]) -> None:
        origin = to.origin
        for reply in replies:
            if reply.photo is not None:
                await self._send_photo(origin, reply)
                continue
            for text, markup in _as_telegram_messages(reply, self.application.bot.username):
                if isinstance(origin, TelegramMessage):
                    await origin.reply_html(text, reply_markup=markup)
                else:  # a button's chat id: the button's message may be long gone
                    await self.application.bot.send_message(origin, text, reply_markup=markup)

    async def _send_photo(self, origin: TelegramMessage | int, reply: Reply) -> None:
        """A picture with its caption (`reply.html`, at most 1,024 characters)."""
        assert reply.photo is not None
        markup = _markup(reply, self.application.bot.username)
        chat_id = origin.chat_id if isinstance(origin, TelegramMessage) else origin
        await self.application.bot.send_photo(
            chat_id, reply.photo, caption=reply.html, reply_markup=markup
        )

    async def stop(self) -> None:
        self._stopped.set()
        if self._telling is not None:
            self._telling.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._telling
            self._telling = None
        if self._health is not None:
            await self._health.stop()
            self._health = None
        application = self.application
        if application.updater is not None and application.updater.running:
            await application.updater.stop()
        if application.running:
            await application.stop()
        await application.shutdown()


@asynccontextmanager
async def polling(application: App, poll_timeout: int = POLL_TIMEOUT) -> AsyncIterator[App]:
    """The bot answering on Telegram inside the block."""
    adapter = _adapter(application.bot_data)
    adapter.poll_timeout = poll_timeout
    commands = _commands(application.bot_data)
    await adapter.start()
    receiving = asyncio.create_task(adapter.receive(partial(dispatch, adapter, commands)))
    try:
        yield application
    finally:
        await adapter.stop()
        await receiving


async def run_telegram(library: Library, settings: Settings) -> int:
    """Poll Telegram until SIGINT or SIGTERM; returns an exit code."""
    base_file_url = None
    if settings.telegram_api_url:
        base_file_url = settings.telegram_api_url.replace("/bot", "/file/bot", 1)
    application = build_application(
        library, settings, base_url=settings.telegram_api_url, base_file_url=base_file_url
    )
    stop = asyncio.Event()
    # A signal stops long work too (a /reindex, an upload), whose handlers PTB waits for
    # before it stops: they reply that they stopped, and the process exits in seconds.
    with exit_signals(library.cancel, stop.set):
        try:
            async with polling(application):
                how = "a webhook" if settings.webhook_url else "polling"
                log.info(
                    "Answering on Telegram as @%s (%s); Ctrl-C stops.",
                    application.bot.username,
                    how,
                )
                await stop.wait()
        except InvalidToken:
            log.error("Telegram rejected TELEGRAM_TOKEN; check it with @BotFather.")
            return 2
        except TelegramError as exc:
            log.error("Cannot reach Telegram: %s", exc)
            return 1
    return 0


async def set_commands(application: App) -> None:
    """The command menu: everyone's commands, and for each admin the admin commands too."""
    commands = _commands(application.bot_data)
    await application.bot.set_my_commands(_menu(commands, admin=False))
    for admin_id in commands.settings.admin_ids:
        try:
            await application.bot.set_my_commands(
                _menu(commands, admin=True), scope=BotCommandScopeChat(admin_id)
            )
        except BadRequest as exc:  # "chat not found" until the admin has written to the bot
            log.warning("No admin command menu for %s: %s", admin_id, exc.message)


def _menu(commands: Commands, admin: bool) -> list[BotCommand]:
    return [
        BotCommand(name, command.summary)
        for name, command in commands.table.items()
        if admin or not command.admin
    ]


# -- handlers ----------------------------------------------------------------------------


async def on_question(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Plain text in a private chat, or /ask anywhere: search, showing "typing" meanwhile."""
    message = update.effective_message
    if message is None or not message.text:
        return
    working = None
    if message.chat.type == ChatType.PRIVATE:
        # Not in groups: the rate limiter counts a chat action against the 20 messages a minute
        # a group may get, which would halve how many questions a group can ask.
        working = partial(_typing, message)
    incoming = Incoming(_message(update, context), working=working, origin=message)
    await _adapter(context.bot_data).deliver(incoming)


async def _typing(message: TelegramMessage) -> None:
    """ "typing…" while the answer is searched for; only a courtesy, so a failure to show it is
    logged and the answer goes on."""
    try:
        await message.chat.send_action(ChatAction.TYPING)
    except TelegramError as exc:
        log.warning("Could not show typing in chat %s: %s", message.chat.id, exc)


async def on_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is None or not message.text:
        return
    incoming = Incoming(_message(update, context), origin=message)
    await _adapter(context.bot_data).deliver(incoming)


async def on_document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is None or message.document is None:
        return
    document = message.document

    async def fetch() -> bytes:
        file = await document.get_file()
        return bytes(await file.download_as_bytearray())

    sent = Document(name=document.file_name or "file", size=document.file_size, fetch=fetch)
    incoming = Incoming(_message(update, context), document=sent, origin=message)
    await _adapter(context.bot_data).deliver(incoming)


async def _pressed(query: CallbackQuery) -> None:
    """A pressed button's query answered and its buttons taken away, so it is pressed once;
    neither failing (a query too old, a message already edited or gone) stops what it asks."""
    try:
        await query.answer()
    except BadRequest as exc:
        log.info("Could not answer a button's query: %s", exc.message)
    try:
        await query.edit_message_reply_markup(reply_markup=None)
    except BadRequest as exc:
        log.debug("Could not remove the buttons: %s", exc.message)


async def on_more(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A "More" button: the next page as a new message; the pressed button goes away. Telegram
    forgets a callback query after some seconds ("query is too old"), and the message under
    the button may be gone: neither stops the next page."""
    query = update.callback_query
    if query is None or query.data is None or update.effective_chat is None:
        return
    await _pressed(query)
    incoming = Incoming(
        _message(update, context),
        more=query.data.removeprefix(MORE),
        origin=update.effective_chat.id,
    )
    await _adapter(context.bot_data).deliver(incoming)


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A command button (Yes/No, Undo): its command, handled as if the presser had typed it
    (so an admin command is still for admins only); the buttons go, so it is pressed once."""
    query = update.callback_query
    if query is None or query.data is None or update.effective_chat is None:
        return
    await _pressed(query)
    message = dataclasses.replace(_message(update, context), text=query.data.removeprefix(RUN))
    incoming = Incoming(message, origin=update.effective_chat.id)
    await _adapter(context.bot_data).deliver(incoming)


async def on_inline(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`@bot <question>` in any chat: the best passages as results to send there. Not rate
    limited per user like messages (every keystroke is a query): answers are cached instead."""
    query = update.inline_query
    if query is None:
        return
    inline = cast(InlineAnswers, context.bot_data["inline"])
    found = await inline.results(query.query)
    results = [
        InlineQueryResultArticle(
            id=r.id,
            title=r.title,
            description=r.description,
            input_message_content=InputTextMessageContent(
                r.html,
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            ),
        )
        for r in found
    ]
    try:
        await query.answer(results, cache_time=CACHE_SECONDS, is_personal=False)
    except BadRequest as exc:  # the user typed on: this query is gone ("query is too old")
        log.info("Could not answer an inline query: %s", exc.message)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the failure with its traceback, tell the user without internals, tell the admins."""
    error = context.error
    log.error("Handling an update failed", exc_info=error)
    admin_ids = _commands(context.bot_data).settings.admin_ids
    if isinstance(update, Update) and update.effective_chat is not None:
        sorry = SORRY + (ADMINS_TOLD if admin_ids else "")
        await _try_send(context, update.effective_chat.id, sorry)
    report = _error_report(update, error)
    for admin_id in admin_ids:
        await _try_send(context, admin_id, report)


async def _try_send(context: ContextTypes.DEFAULT_TYPE, chat_id: int, text: str) -> None:
    """Send from the error handler, where a failure can only be logged."""
    try:
        await context.bot.send_message(chat_id, text)
    except TelegramError as exc:
        log.warning("Could not send the error notice to %s: %s", chat_id, exc)


def _error_report(update: object, error: BaseException | None) -> str:
    """For admins: what failed, for whom, and the end of the traceback."""
    who = ""
    if isinstance(update, Update) and update.effective_user is not None:
        who = f" for user {update.effective_user.id}"
    if error is None:
        return f"⚠️ saidwho: an update failed{who}."
    trace = redact("".join(traceback.format_exception(error)))
    summary = redact(f"⚠️ saidwho: {type(error).__name__}{who}: {error}")
    head = html.escape(summary[:500])
    room = MessageLimit.MAX_TEXT_LENGTH - len(head) - 40
    return f"{head}\n<pre>{html.escape(trace[-room:])}</pre>"


# -- from Telegram to the command layer and back -------------------------------------------


def _commands(bot_data: dict[Any, Any]) -> Commands:
    return cast(Commands, bot_data["commands"])


def _adapter(bot_data: dict[Any, Any]) -> TelegramAdapter:
    return cast(TelegramAdapter, bot_data["adapter"])


def _message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> Message:
    settings = _commands(context.bot_data).settings
    user, chat = update.effective_user, update.effective_chat
    text = update.effective_message.text if update.effective_message else None
    origin = update.effective_message
    return Message(
        text=text or "",
        user_id=user.id if user else None,
        is_admin=user is not None and user.id in settings.admin_ids,
        private=chat is not None and chat.type == ChatType.PRIVATE,
        show_status=StatusMessage(origin) if origin else None,
        chat_id=chat.id if chat else None,
        photos=True,
    )


class StatusMessage:
    """A status line for a long command: sent as a reply the first time, then edited in place."""

    def __init__(self, origin: TelegramMessage) -> None:
        self._origin = origin
        self._sent: TelegramMessage | None = None
        self._text = ""

    async def __call__(self, text: str) -> None:
        if text == self._text:
            return  # Telegram refuses an edit that changes nothing
        try:
            if self._sent is None:
                self._sent = await self._origin.reply_html(text)
            else:
                await self._sent.edit_text(text)
        except TelegramError as exc:  # a lost status line must not stop the work it reports on
            log.warning("Could not show the status %r: %s", text, exc)
            return
        self._text = text


def _markup(reply: Reply, bot_username: str | None) -> InlineKeyboardMarkup | None:
    """The buttons under a reply."""
    # Buttons that act (Yes/No, Undo, More) share the first row; each link has a row of its
    # own, so its label stays readable on a phone.
    acting = [
        InlineKeyboardButton(b.label, callback_data=RUN + (b.command or ""))
        for b in reply.buttons
        if not b.url
    ]
    if reply.more:
        acting.append(InlineKeyboardButton("More", callback_data=MORE + reply.more))
    rows = [acting] if acting else []
    rows += [[InlineKeyboardButton(b.label, url=b.url)] for b in reply.buttons if b.url]
    if reply.share and bot_username:
        rows.append([InlineKeyboardButton("Share", url=links.share_url(bot_username, reply.share))])
    return InlineKeyboardMarkup(rows) if rows else None


def _as_telegram_messages(
    reply: Reply, bot_username: str | None = None
) -> list[tuple[str, InlineKeyboardMarkup | None]]:
    """A reply as Telegram messages; the buttons (a source's link, Share, More, …) go under
    the last."""
    chunks = split_html(reply.html, MessageLimit.MAX_TEXT_LENGTH)
    button = _markup(reply, bot_username)
    return [(chunk, button if i == len(chunks) - 1 else None) for i, chunk in enumerate(chunks)]
