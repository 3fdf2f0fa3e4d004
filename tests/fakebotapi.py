"""A fake Telegram Bot API server for the tests and the latency bench.

It listens on 127.0.0.1 on an ephemeral port and answers the methods python-telegram-bot calls
(getMe, deleteWebhook, getUpdates with long polling, sendMessage, editMessageText,
editMessageReplyMarkup, answerCallbackQuery, sendChatAction, setMyCommands, getFile and the file
download). It records every call but getUpdates, and lets a test inject updates (text, commands,
button presses, documents, served slowly if asked) and failures for the next call of a method (an
error, a 429 with `retry_after`, a dropped connection) or for a share of all calls at random. A
real `Application` polls it through `base_url` and `base_file_url`.

    async with FakeBotApi() as api:
        app = build_application(..., base_url=api.base_url, base_file_url=api.base_file_url)
        mark = api.send_text("who said it?", user_id=7)
        reply = await api.wait_for("sendMessage", after=mark)
"""

from __future__ import annotations

import asyncio
import html
import itertools
import json
import random
import re
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

from aiohttp import web

TOKEN = "123456789:AAFakeTokenForTestsOnly-0123456789ab"
BOT_USER: dict[str, Any] = {
    "id": 123456789,
    "is_bot": True,
    "first_name": "saidwho",
    "username": "saidwho_test_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}
# Parameters that are free text: PTB sends strings as they are and everything else JSON-encoded.
TEXT_PARAMS = {
    "text",
    "caption",
    "callback_query_id",
    "file_id",
    "action",
    "parse_mode",
    "url",
    "secret_token",
}
_TAG = re.compile(r"<[^>]+>")

JSON = dict[str, Any]


@dataclass
class Call:
    """One request the bot made, with what the server answered."""

    method: str
    params: JSON
    at: float  # time.perf_counter() when it arrived
    result: Any = None
    error_code: int | None = None

    @property
    def chat_id(self) -> int | None:
        chat_id = self.params.get("chat_id")
        return None if chat_id is None else int(chat_id)

    @property
    def text(self) -> str:
        """The text as sent, with its HTML (a photo's caption)."""
        return str(self.params.get("text", self.params.get("caption", "")))

    @property
    def plain(self) -> str:
        """The text as the user reads it."""
        return html.unescape(_TAG.sub("", self.text))

    @property
    def message_id(self) -> int | None:
        if isinstance(self.result, dict):
            return int(self.result["message_id"])
        return None

    @property
    def buttons(self) -> list[tuple[str, str]]:
        """(label, callback data) of each inline button under the message."""
        markup = self.params.get("reply_markup") or {}
        rows = markup.get("inline_keyboard", []) if isinstance(markup, dict) else []
        return [(b["text"], b.get("callback_data", "")) for row in rows for b in row]

    @property
    def links(self) -> list[tuple[str, str]]:
        """(label, url) of each link button under the message."""
        markup = self.params.get("reply_markup") or {}
        rows = markup.get("inline_keyboard", []) if isinstance(markup, dict) else []
        return [(b["text"], b["url"]) for row in rows for b in row if "url" in b]


DROPPED = 0  # the error_code recorded for a call whose connection was dropped unanswered


@dataclass
class Failure:
    error_code: int
    description: str
    retry_after: int | None = None

    @property
    def drop(self) -> bool:
        return self.error_code == DROPPED


# What `fail_at_random` injects, in turn: a flood-wait, two server errors, a dropped connection.
RANDOM_FAILURES = (
    Failure(429, "Too Many Requests: retry after 1", retry_after=1),
    Failure(500, "Internal Server Error"),
    Failure(502, "Bad Gateway"),
    Failure(DROPPED, "connection dropped"),
)


@dataclass
class _Chat:
    id: int
    type: str
    messages: dict[int, JSON] = field(default_factory=dict)
    next_message_id: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def as_json(self) -> JSON:
        if self.type == "private":
            return {"id": self.id, "type": "private", "first_name": f"User {self.id}"}
        return {"id": self.id, "type": self.type, "title": f"Chat {self.id}"}


class FakeBotApi:
    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.calls: list[Call] = []
        self.polls = 0  # getUpdates requests served
        self.inline_sent: dict[str, float] = {}  # inline query id -> when it was pushed
        self.blocked: set[int] = set()  # chats whose user blocked the bot: sends get 403
        self.photos: dict[tuple[int, int], bytes] = {}  # (chat, message id) -> the photo sent
        self._updates: list[JSON] = []
        self._update_ids = itertools.count(1)
        self._query_ids = itertools.count(1)
        self._chats: dict[int, _Chat] = {}
        self._files: dict[str, tuple[str, bytes]] = {}  # file_id -> (file_path, data)
        self._download_delays: dict[str, float] = {}  # file_path -> seconds before serving
        self._failures: dict[str, deque[Failure]] = {}
        self._random_share = 0.0
        self._random = random.Random(0)
        self._next_failure = itertools.cycle(RANDOM_FAILURES)
        self._new_update = asyncio.Event()
        self._new_call = asyncio.Event()
        self._closing = False
        self._runner: web.AppRunner | None = None
        self.port = 0

    # -- lifecycle -------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        self._runner = web.AppRunner(app, access_log=None, handler_cancellation=True)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = int(self._runner.addresses[0][1])

    async def close(self) -> None:
        self._closing = True
        self._new_update.set()  # long polls return at once
        if self._runner is not None:
            await self._runner.cleanup()

    async def __aenter__(self) -> FakeBotApi:
        await self.start()
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    # -- what a test injects ---------------------------------------------------------------

    def send_text(
        self, text: str, *, user_id: int, chat_id: int | None = None, chat_type: str = "private"
    ) -> int:
        """A user writes `text` (a command if it starts with "/"). Returns a mark for
        `wait_for(after=...)`."""
        return self._push(
            self.text_update(text, user_id=user_id, chat_id=chat_id, chat_type=chat_type)
        )

    def text_update(
        self, text: str, *, user_id: int, chat_id: int | None = None, chat_type: str = "private"
    ) -> JSON:
        """The update for a user writing `text`, not queued for getUpdates: for a test that
        posts it to a webhook itself (it takes an update_id of its own)."""
        message = self._user_message(user_id, chat_id, chat_type)
        message["text"] = text
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        return {"message": message, "update_id": next(self._update_ids)}

    def send_document(
        self,
        name: str,
        data: bytes,
        *,
        user_id: int,
        mime_type: str = "text/plain",
        chat_id: int | None = None,
        chat_type: str = "private",
        download_delay: float = 0.0,
    ) -> int:
        """A user sends a file; its download waits `download_delay` seconds, as a big file on a
        slow link would."""
        file_id = f"file-{len(self._files) + 1}"
        self._files[file_id] = (f"documents/{file_id}-{name}", data)
        self._download_delays[f"documents/{file_id}-{name}"] = download_delay
        message = self._user_message(user_id, chat_id, chat_type)
        message["document"] = {
            "file_id": file_id,
            "file_unique_id": f"unique-{file_id}",
            "file_name": name,
            "mime_type": mime_type,
            "file_size": len(data),
        }
        return self._push({"message": message})

    def send_inline_query(self, query: str, *, user_id: int) -> tuple[str, int]:
        """A user types `@bot query` in any chat. Returns the inline query's id (which
        answerInlineQuery names) and a mark; `inline_sent[id]` is when it was pushed."""
        query_id = f"inline-{next(self._query_ids)}"
        self.inline_sent[query_id] = time.perf_counter()
        update = {
            "inline_query": {
                "id": query_id,
                "from": self._user(user_id),
                "query": query,
                "offset": "",
                "chat_type": "sender",
            }
        }
        return query_id, self._push(update)

    def press(self, sent: Call, data: str | None = None, *, user_id: int) -> int:
        """A user presses a button under a message the bot sent (its first button by default)."""
        return self._push(self.press_update(sent, data, user_id=user_id))

    def press_update(self, sent: Call, data: str | None = None, *, user_id: int) -> JSON:
        """The update for a button press, not queued for getUpdates: for a test that posts it
        to a webhook itself (to another replica than the one that sent the message)."""
        if sent.message_id is None or sent.chat_id is None:
            raise ValueError(f"{sent.method} did not send a message")
        chat = self._chats[sent.chat_id]
        message = chat.messages[sent.message_id]
        query = {
            "id": f"query-{next(self._query_ids)}",
            "from": self._user(user_id),
            "message": _public(message),
            "chat_instance": f"instance-{chat.id}",
            "data": data if data is not None else sent.buttons[0][1],
        }
        return {"callback_query": query, "update_id": next(self._update_ids)}

    def fail_next(
        self,
        method: str,
        error_code: int = 400,
        description: str = "Bad Request: injected failure",
        *,
        retry_after: int | None = None,
        drop: bool = False,
    ) -> None:
        """The next call of `method` fails; with `retry_after`, as a 429 flood-wait; with
        `drop`, the connection closes with no answer at all."""
        if retry_after is not None:
            error_code = 429
            description = f"Too Many Requests: retry after {retry_after}"
        if drop:
            error_code, description = DROPPED, "connection dropped"
        failure = Failure(error_code, description, retry_after)
        self._failures.setdefault(method, deque()).append(failure)

    def fail_at_random(
        self, share: float, *, seed: int = 0, failures: tuple[Failure, ...] = RANDOM_FAILURES
    ) -> None:
        """From now on, each call but getUpdates fails with probability `share`, with one of
        `failures` in turn; 0 stops it."""
        self._random_share = share
        self._random = random.Random(seed)
        self._next_failure = itertools.cycle(failures)

    # -- what a test reads -----------------------------------------------------------------

    def mark(self) -> int:
        return len(self.calls)

    def calls_to(self, method: str, after: int = 0) -> list[Call]:
        return [c for c in self.calls[after:] if c.method == method]

    def sent_to(self, chat_id: int, after: int = 0) -> list[Call]:
        """The messages sent to a chat, successfully."""
        return [
            c
            for c in self.calls_to("sendMessage", after)
            if c.chat_id == chat_id and c.error_code is None
        ]

    def message_html(self, chat_id: int, message_id: int) -> str:
        """A sent message's text as it is now, after any edits."""
        return str(self._chats[chat_id].messages[message_id]["_html"])

    async def wait_for(
        self,
        method: str,
        *,
        after: int = 0,
        where: Callable[[Call], bool] | None = None,
        timeout: float = 5.0,
    ) -> Call:
        """The first successful call of `method` past `after` that matches `where`."""
        async with asyncio.timeout(timeout):
            while True:
                for call in self.calls[after:]:
                    if call.method != method or call.error_code is not None:
                        continue
                    if where is None or where(call):
                        return call
                self._new_call.clear()
                await self._new_call.wait()

    async def reply_to(self, text: str, *, user_id: int, timeout: float = 5.0) -> Call:
        """Send `text` in the user's private chat and return the bot's first message back."""
        mark = self.send_text(text, user_id=user_id)
        return await self.wait_for(
            "sendMessage", after=mark, where=lambda c: c.chat_id == user_id, timeout=timeout
        )

    # -- building updates ------------------------------------------------------------------

    def _chat(self, chat_id: int, chat_type: str) -> _Chat:
        if chat_id not in self._chats:
            self._chats[chat_id] = _Chat(chat_id, chat_type)
        return self._chats[chat_id]

    @staticmethod
    def _user(user_id: int) -> JSON:
        return {"id": user_id, "is_bot": False, "first_name": f"User {user_id}"}

    def _user_message(self, user_id: int, chat_id: int | None, chat_type: str) -> JSON:
        chat = self._chat(user_id if chat_id is None else chat_id, chat_type)
        message_id = next(chat.next_message_id)
        message = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": chat.as_json(),
            "from": self._user(user_id),
        }
        chat.messages[message_id] = message
        return message

    def _push(self, update: JSON) -> int:
        update.setdefault("update_id", next(self._update_ids))
        self._updates.append(update)
        self._new_update.set()
        return self.mark()

    # -- serving ---------------------------------------------------------------------------

    async def _api(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _error(Failure(401, "Unauthorized"))
        method = request.match_info["method"]
        params = await _params(request)
        if method == "getUpdates":
            self.polls += 1
            return _ok(await self._get_updates(params))
        call = Call(method, params, time.perf_counter())
        self.calls.append(call)
        self._new_call.set()
        failures = self._failures.get(method)
        failure = failures.popleft() if failures else None
        if failure is None and self._random_share and self._random.random() < self._random_share:
            failure = next(self._next_failure)
        if failure is not None:
            call.error_code = failure.error_code
            if failure.drop:
                _drop(request)
            return _error(failure)
        try:
            call.result = self._answer(method, params)
        except _ApiError as exc:
            call.error_code = exc.failure.error_code
            return _error(exc.failure)
        return _ok(call.result)

    async def _get_updates(self, params: JSON) -> list[JSON]:
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        timeout = float(params.get("timeout") or 0)
        if offset:  # Telegram forgets the updates before offset: they were confirmed
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        deadline = asyncio.get_running_loop().time() + timeout
        while not self._updates and not self._closing:
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                break
            self._new_update.clear()
            try:
                async with asyncio.timeout(remaining):
                    await self._new_update.wait()
            except TimeoutError:
                break
        return self._updates[:limit]

    def _answer(self, method: str, params: JSON) -> Any:
        if method == "getMe":
            return BOT_USER
        if method in (
            "deleteWebhook",
            "setWebhook",
            "setMyCommands",
            "answerCallbackQuery",
            "sendChatAction",
        ):
            return True
        if method == "sendMessage":
            return self._send_message(params)
        if method in ("editMessageText", "editMessageReplyMarkup"):
            return self._edit_message(params)
        if method == "getFile":
            return self._get_file(params)
        if method == "sendPhoto":
            return self._send_photo(params)
        if method == "answerInlineQuery":
            return self._answer_inline_query(params)
        raise _ApiError(Failure(404, "Not Found"))

    def _answer_inline_query(self, params: JSON) -> bool:
        """Checked as Telegram does: a known query, at most 50 results, unique ids of at most
        64 bytes, each message text at most 4096 characters."""
        if str(params.get("inline_query_id")) not in self.inline_sent:
            raise _ApiError(Failure(400, "Bad Request: query is too old or query ID is invalid"))
        results = params.get("results") or []
        if isinstance(results, str):
            results = json.loads(results)
        ids = [str(r["id"]) for r in results]
        if len(results) > 50 or len(set(ids)) != len(ids) or any(len(i.encode()) > 64 for i in ids):
            raise _ApiError(Failure(400, "Bad Request: RESULTS_INVALID"))
        for result in results:
            content = result["input_message_content"]
            if len(_visible(str(content["message_text"]), content)) > 4096:
                raise _ApiError(Failure(400, "Bad Request: MESSAGE_TOO_LONG"))
        return True

    def _send_message(self, params: JSON) -> JSON:
        chat_id = int(params["chat_id"])
        chat = self._chats.get(chat_id) or self._chat(
            chat_id, "private" if chat_id > 0 else "group"
        )
        if chat_id in self.blocked:
            raise _ApiError(Failure(403, "Forbidden: bot was blocked by the user"))
        text = str(params["text"])
        if not text.strip():
            raise _ApiError(Failure(400, "Bad Request: message text is empty"))
        if len(_visible(text, params)) > 4096:
            raise _ApiError(Failure(400, "Bad Request: message is too long"))
        message_id = next(chat.next_message_id)
        message: JSON = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": chat.as_json(),
            "from": BOT_USER,
            "text": _visible(text, params),
            "_html": text,  # kept for the test, never sent
        }
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        chat.messages[message_id] = message
        return _public(message)

    def _send_photo(self, params: JSON) -> JSON:
        """A photo uploaded with the call (multipart): kept as `photo_bytes` in the message."""
        chat_id = int(params["chat_id"])
        chat = self._chats.get(chat_id) or self._chat(chat_id, "private")
        upload = params.get("photo")
        data = getattr(upload, "file", None)
        if data is None:
            raise _ApiError(Failure(400, "Bad Request: there is no photo in the request"))
        photo = data.read()
        caption = str(params.get("caption", ""))
        if len(_visible(caption, params)) > 1024:
            raise _ApiError(Failure(400, "Bad Request: message caption is too long"))
        message_id = next(chat.next_message_id)
        message: JSON = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": chat.as_json(),
            "from": BOT_USER,
            "caption": _visible(caption, params),
            "photo": [
                {
                    "file_id": f"photo-{message_id}",
                    "file_unique_id": f"p{message_id}",
                    "width": 800,
                    "height": 600,
                }
            ],
        }
        self.photos[(chat_id, message_id)] = photo
        chat.messages[message_id] = message
        return message

    def _edit_message(self, params: JSON) -> JSON:
        chat = self._chats.get(int(params.get("chat_id", 0)))
        message = chat.messages.get(int(params.get("message_id", 0))) if chat else None
        if message is None:
            raise _ApiError(Failure(400, "Bad Request: message to edit not found"))
        text = str(params.get("text", message["_html"]))
        markup = params.get("reply_markup")
        if text == message["_html"] and markup == message.get("reply_markup"):
            raise _ApiError(Failure(400, "Bad Request: message is not modified"))
        if "text" in params:
            message.update({"text": _visible(text, params), "_html": text})
        message.pop("reply_markup", None)
        if markup:
            message["reply_markup"] = markup
        return _public(message)

    def _get_file(self, params: JSON) -> JSON:
        file_id = str(params.get("file_id"))
        if file_id not in self._files:
            raise _ApiError(Failure(400, "Bad Request: invalid file_id"))
        path, data = self._files[file_id]
        return {
            "file_id": file_id,
            "file_unique_id": f"unique-{file_id}",
            "file_size": len(data),
            "file_path": path,
        }

    async def _download(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.Response(status=401)
        for path, data in self._files.values():
            if path == request.match_info["path"]:
                await asyncio.sleep(self._download_delays.get(path, 0.0))
                return web.Response(body=data, content_type="application/octet-stream")
        return web.Response(status=404)


class _ApiError(Exception):
    def __init__(self, failure: Failure) -> None:
        super().__init__(failure.description)
        self.failure = failure


async def _params(request: web.Request) -> JSON:
    """The call's parameters: PTB posts a form whose non-string values are JSON."""
    if request.content_type == "application/json":
        body = await request.json()
        return dict(body) if isinstance(body, dict) else {}
    form = await request.post()
    params: JSON = {}
    for key, value in form.items():
        if not isinstance(value, str) or key in TEXT_PARAMS:
            params[key] = value
            continue
        try:
            params[key] = json.loads(value)
        except ValueError:
            params[key] = value
    return params


def _drop(request: web.Request) -> None:
    """Close the connection unanswered: the client sees the server disconnect."""
    if request.transport is not None:
        request.transport.close()


def _visible(text: str, params: JSON) -> str:
    """What Telegram shows of a text: with parse_mode HTML, the tags go and entities resolve."""
    if str(params.get("parse_mode", "")).upper() == "HTML":
        return html.unescape(_TAG.sub("", text))
    return text


def _public(message: JSON) -> JSON:
    return {k: v for k, v in message.items() if not k.startswith("_")}


def _ok(result: Any) -> web.Response:
    return web.json_response({"ok": True, "result": result})


def _error(failure: Failure) -> web.Response:
    body: JSON = {"ok": False, "error_code": failure.error_code, "description": failure.description}
    if failure.retry_after is not None:
        body["parameters"] = {"retry_after": failure.retry_after}
    return web.json_response(body, status=failure.error_code)
