"""The console adapter: the bot's commands over stdin and stdout, no token needed."""

from __future__ import annotations

import sys
from typing import TextIO

from bot import render
from bot.commands import Commands, Message, Reply
from bot.settings import Settings
from index.library import Library

BYE = "Bye."


def _show(replies: list[Reply], out: TextIO) -> None:
    for reply in replies:
        out.write(render.plain(reply.html) + "\n")
        if reply.more:
            out.write("(/more shows more results)\n")
        out.write("\n")
    out.flush()


async def run_console(
    library: Library,
    settings: Settings,
    *,
    admin: bool = False,
    stdin: TextIO = sys.stdin,
    stdout: TextIO = sys.stdout,
) -> None:
    """Answer lines from `stdin` until /quit or end of input. A prompt shows only on a terminal,
    so piped output holds just the answers."""
    commands = Commands(library, settings)
    interactive = stdin.isatty()
    greeting = await commands.handle(Message("/start", is_admin=admin, local_files=True))
    if interactive:
        _show(greeting, stdout)
    while True:
        if interactive:
            stdout.write("> ")
            stdout.flush()
        line = stdin.readline()
        if not line:
            break
        text = line.strip()
        if text.lower() in ("/quit", "/exit", "/q"):
            break
        msg = Message(text, user_id=0, is_admin=admin, private=True, local_files=True)
        _show(await commands.handle(msg), stdout)
    if interactive:
        stdout.write(BYE + "\n")
