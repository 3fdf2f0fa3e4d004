"""The console adapter: the bot's commands over stdin and stdout, no token needed.

Lines are read by a thread, so a slow terminal or pipe never blocks the event loop, and each is
handed to the bot as it comes, like a chat's messages. With `group`, the console is a group
chat: plain text is people talking to each other, and only /ask (and the other commands)
address the bot, which is how the `/ask` path of a Telegram group can be tried here.
"""

from __future__ import annotations

import asyncio
import sys
import threading
from collections.abc import Sequence
from typing import TextIO

from bot import render
from bot.adapter import Incoming, Receiver, serve
from bot.commands import Commands, Message, Reply
from bot.settings import Settings
from bot.signals import exit_signals
from index.library import Library

BYE = "Bye."
QUIT = ("/quit", "/exit", "/q")
USER = 0  # the console's one user
GROUP_CHAT = -1  # the chat id the console uses as a group
# `saidwho` is on the PATH only inside the venv `make run` makes: name ways that work from the
# project folder as it is after `make run`.
ADMIN_HINT = (
    "To be an admin on the console, start it with: make console-admin "
    "(or .venv/bin/saidwho console --admin)"
)


class ConsoleAdapter:
    admin_hint = ADMIN_HINT

    def __init__(
        self,
        *,
        admin: bool = False,
        group: bool = False,
        stdin: TextIO = sys.stdin,
        stdout: TextIO = sys.stdout,
    ) -> None:
        self.admin = admin
        self.group = group
        self._stdin = stdin
        self._stdout = stdout
        self.interactive = stdin.isatty()
        self._lines: asyncio.Queue[str | None] = asyncio.Queue()
        self._reader: threading.Thread | None = None

    async def start(self) -> None:
        loop = asyncio.get_running_loop()

        def read() -> None:  # a daemon thread: a line blocked on at /quit dies with the process
            while line := self._stdin.readline():
                loop.call_soon_threadsafe(self._lines.put_nowait, line)
            loop.call_soon_threadsafe(self._lines.put_nowait, None)

        self._reader = threading.Thread(target=read, name="console-stdin", daemon=True)
        self._reader.start()

    def message(self, text: str) -> Message:
        return Message(
            text,
            user_id=USER,
            is_admin=self.admin,
            private=not self.group,
            local_files=True,
            show_status=self._status,
            chat_id=GROUP_CHAT if self.group else USER,
        )

    async def receive(self, handle: Receiver) -> None:
        """Each line a message, handled as it comes, until /quit or the end of input."""
        async with asyncio.TaskGroup() as tasks:
            self._prompt()
            while (line := await self._lines.get()) is not None:
                text = line.strip()
                if text.lower() in QUIT:
                    break
                if text:
                    tasks.create_task(handle(Incoming(self.message(text))))
                else:
                    self._prompt()

    async def reply(self, to: Incoming, replies: Sequence[Reply]) -> None:
        self.show(replies)
        self._prompt()

    def show(self, replies: Sequence[Reply]) -> None:
        for reply in replies:
            self._stdout.write(render.plain(reply.html) + "\n")
            if reply.more:
                self._stdout.write("(/more shows more results)\n")
            if reply.buttons:  # no buttons on a terminal: what they would send, to type
                shown = [f"{b.label}: {b.command or b.url}" for b in reply.buttons]
                self._stdout.write(f"({' · '.join(shown)})\n")
            self._stdout.write("\n")
        self._stdout.flush()

    def end_input(self) -> None:
        """No more lines: what is under way finishes, then `receive` returns."""
        self._lines.put_nowait(None)

    async def stop(self) -> None:
        self.end_input()  # a receive still running ends
        if self.interactive:
            self._stdout.write(BYE + "\n")
            self._stdout.flush()

    async def _status(self, text: str) -> None:
        self._stdout.write(render.plain(text) + "\n")
        self._stdout.flush()

    def _prompt(self) -> None:
        """A prompt shows only on a terminal, so piped output holds just the answers."""
        if self.interactive:
            self._stdout.write("> ")
        self._stdout.flush()


async def run_console(
    library: Library,
    settings: Settings,
    *,
    admin: bool = False,
    group: bool = False,
    stdin: TextIO = sys.stdin,
    stdout: TextIO = sys.stdout,
) -> None:
    """Answer lines from `stdin` until /quit or end of input."""
    adapter = ConsoleAdapter(admin=admin, group=group, stdin=stdin, stdout=stdout)
    # The console's one user is whoever sits at the terminal: no rate to keep them to.
    commands = Commands(library, settings, admin_hint=adapter.admin_hint, rate_limited=False)
    if adapter.interactive:
        adapter.show(await commands.handle(adapter.message("/start")))
    # Ctrl-C or SIGTERM: long work (a /reindex) stops and says so, then the console exits.
    with exit_signals(library.cancel, adapter.end_input):
        await serve(adapter, commands)
