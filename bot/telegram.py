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
import html
import logging
import re
import traceback
from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from contextlib import asynccontextmanager
from functools import partial
from typing import Any, cast

from telegram import (
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Update,
)
from telegram import Message as TelegramMessage
from telegram._utils.types import JSONDict
from telegram.constants import ChatAction, ChatType, MessageLimit, ParseMode
from telegram.error import BadRequest, InvalidToken, NetworkError, TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    ExtBot,
    JobQueue,
    MessageHandler,
    filters,
)

from bot.adapter import Incoming, Receiver, dispatch
from bot.commands import Commands, Document, Message, Reply
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
RATE_LIMIT_RETRIES = 5  # times a request that hit a flood-wait (429) is retried after waiting
NETWORK_RETRIES = 5  # times a send that met a 5xx or a dropped connection is tried again
FIRST_BACKOFF = 0.25  # seconds before the first of those retries; doubled each time
# What is retried: sending and editing what the user reads, and fetching an upload. Not the
# "typing" action, which is only worth sending now, nor getUpdates, which polls again anyway.
RETRIED = {"sendMessage", "editMessageText", "getFile"}
ADMIN_HINT = "Admins are the Telegram user ids listed in the bot's SAIDWHO_ADMIN_IDS setting."
POLL_TIMEOUT = 10  # seconds a getUpdates long poll waits for updates
SORRY = "Sorry, something went wrong while handling that. Please try again in a moment."
ADMINS_TOLD = " The admins have been told."
UPDATES = [Update.MESSAGE, Update.EDITED_MESSAGE, Update.CALLBACK_QUERY]


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
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | JSONDict | list[JSONDict]:
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

    async def start(self) -> None:
        """What `Application.run_polling` does, for a caller that already runs an event loop."""
        application = self.application
        await application.initialize()
        if application.post_init:
            await application.post_init(application)
        updater = application.updater
        assert updater is not None  # ApplicationBuilder always makes one unless told not to
        await updater.start_polling(timeout=self.poll_timeout, allowed_updates=UPDATES)
        await application.start()

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
            for text, markup in _as_telegram_messages(reply):
                if isinstance(origin, TelegramMessage):
                    await origin.reply_html(text, reply_markup=markup)
                else:  # a button's chat id: the button's message may be long gone
                    await self.application.bot.send_message(origin, text, reply_markup=markup)

    async def stop(self) -> None:
        self._stopped.set()
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
                log.info("Answering on Telegram as @%s; Ctrl-C stops.", application.bot.username)
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


async def on_more(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A "More" button: the next page as a new message; the pressed button goes away. Telegram
    forgets a callback query after some seconds ("query is too old"), and the message under
    the button may be gone: neither stops the next page."""
    query = update.callback_query
    if query is None or query.data is None or update.effective_chat is None:
        return
    try:
        await query.answer()
    except BadRequest as exc:
        log.info("Could not answer a More button's query: %s", exc.message)
    try:
        await query.edit_message_reply_markup(reply_markup=None)
    except BadRequest as exc:  # the message is too old to edit, or was already edited
        log.debug("Could not remove a More button: %s", exc.message)
    incoming = Incoming(
        _message(update, context),
        more=query.data.removeprefix(MORE),
        origin=update.effective_chat.id,
    )
    await _adapter(context.bot_data).deliver(incoming)


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
    trace = _redact("".join(traceback.format_exception(error)))
    summary = _redact(f"⚠️ saidwho: {type(error).__name__}{who}: {error}")
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


def _as_telegram_messages(reply: Reply) -> list[tuple[str, InlineKeyboardMarkup | None]]:
    """A reply as Telegram messages; the "More" button goes under the last."""
    chunks = split_html(reply.html)
    button = None
    if reply.more:
        button = InlineKeyboardMarkup(
            [[InlineKeyboardButton("More", callback_data=MORE + reply.more)]]
        )
    return [(chunk, button if i == len(chunks) - 1 else None) for i, chunk in enumerate(chunks)]


# -- splitting long HTML -----------------------------------------------------------------

_TAG = re.compile(r"<(/?)([a-zA-Z-]+)[^>]*>")
_SEPARATORS = ("\n\n", "\n", " ")
_ENTITY_MAX = 10  # the longest HTML entity we might cut through, "&#x1F600;"
_ENTITY_START = re.compile(r"&#?[0-9a-zA-Z]*")  # an entity cut before its ";"


def split_html(text: str, limit: int = MessageLimit.MAX_TEXT_LENGTH) -> list[str]:
    """Telegram HTML as messages of at most `limit` characters, cut at a paragraph break (else
    a line break, else a space) and never inside a tag or an entity. A tag open at a cut is
    closed before it and opened again after it, so every message is valid HTML."""
    chunks: list[str] = []
    while len(text) > limit:
        head, text = _cut(text, limit)
        chunks.append(head)
    if text.strip():
        chunks.append(text)
    return chunks


def _cut(text: str, limit: int) -> tuple[str, str]:
    budget = limit
    while True:
        at = _cut_point(text, budget)
        open_tags = _open_tags(text[:at])
        closing = "".join(f"</{name}>" for name, _ in reversed(open_tags))
        head = text[:at].rstrip() + closing
        if len(head) <= limit or budget <= 1:
            break
        budget -= len(head) - limit  # the closing tags did not fit: cut earlier
    reopening = "".join(tag for _, tag in open_tags)
    return head, reopening + text[at:].lstrip()


def _cut_point(text: str, budget: int) -> int:
    window = text[:budget]
    for separator in _SEPARATORS:
        at = _outside_markup(window, window.rfind(separator))
        if at > 0 and _TAG.sub("", window[:at]).strip():
            return at
    at = _outside_markup(window, budget)
    return at if at > 0 else budget


def _outside_markup(text: str, at: int) -> int:
    """`at`, or the start of the tag or entity that `at` falls inside."""
    if at <= 0:
        return at
    before = text[:at]
    tag_start = before.rfind("<")
    if tag_start > before.rfind(">"):
        return tag_start
    amp = before.rfind("&")
    if amp >= 0 and at - amp <= _ENTITY_MAX and _ENTITY_START.fullmatch(before[amp:]):
        return amp
    return at


def _open_tags(text: str) -> list[tuple[str, str]]:
    """The tags still open at the end of `text`, outermost first: (name, opening tag)."""
    stack: list[tuple[str, str]] = []
    for match in _TAG.finditer(text):
        closing, name = match.group(1), match.group(2).lower()
        if not closing:
            stack.append((name, match.group(0)))
            continue
        for i in range(len(stack) - 1, -1, -1):
            if stack[i][0] == name:
                del stack[i]
                break
    return stack


# -- keeping the token out of logs --------------------------------------------------------

_hidden: set[str] = set()


def hide_in_logs(secret: str) -> None:
    """Replace `secret` with "[token]" in every log record from now on, whichever logger or
    handler it goes through: httpx logs request URLs, which carry the token, and PTB puts it in
    some messages. httpx's per-request lines are noise anyway, so they go too."""
    logging.getLogger("httpx").setLevel(logging.WARNING)
    if not _hidden:
        _wrap_record_factory()
    _hidden.add(secret)


def _wrap_record_factory() -> None:
    make_record: Callable[..., logging.LogRecord] = logging.getLogRecordFactory()

    def redacting_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: the handler reports it, as it always does
            return record
        if any(secret in message for secret in _hidden):
            record.msg, record.args = _redact(message), None
        if record.exc_info:
            record.exc_text = _redact(logging.Formatter().formatException(record.exc_info))
        return record

    logging.setLogRecordFactory(redacting_record)


def _redact(text: str) -> str:
    for secret in _hidden:
        text = text.replace(secret, "[token]")
    return text
