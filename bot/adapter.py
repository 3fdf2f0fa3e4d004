"""What every chat adapter is: a small protocol over the shared command layer.

As opsdroid's `Connector` and Errbot's backends, an adapter starts, hands each incoming message
to the bot (`receive`, which runs until its input ends or the bot stops), shows the replies
(`reply`), and stops. `serve` runs an adapter over `Commands`; `dispatch` is what happens to one
incoming message, the same on every adapter: the sender's rate is checked before any work, then
the message waits its turn behind the same user's earlier ones in that chat (and nobody else's),
is answered, and the replies are shown in order. Long work (an upload, /add, /reindex) does not
wait its turn: it starts at once, and the sender's later messages wait for it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, Protocol

from bot.commands import Commands, Document, Message, Reply


@dataclass(frozen=True)
class Incoming:
    """One thing a user sent: a message, a file, or a press of a More button (`more`, its key).
    `working` shows that the bot is on it (Telegram's "typing"), once it is admitted; `origin` is
    the adapter's own record of where to reply."""

    message: Message
    document: Document | None = None
    more: str | None = None
    working: Callable[[], Awaitable[None]] | None = None
    origin: Any = None


Receiver = Callable[[Incoming], Coroutine[Any, Any, None]]


class Adapter(Protocol):
    admin_hint: str  # how a user becomes an admin here

    async def start(self) -> None:
        """Connect; after this, `reply` works."""

    async def receive(self, handle: Receiver) -> None:
        """Call `handle` for each incoming message, concurrently, until the input ends or `stop`
        is called; returns once every handled message has been answered."""

    async def reply(self, to: Incoming, replies: Sequence[Reply]) -> None:
        """Show `replies` where `to` came from, in order."""

    async def stop(self) -> None:
        """Make `receive` return, and disconnect."""


async def dispatch(adapter: Adapter, commands: Commands, incoming: Incoming) -> None:
    msg = incoming.message
    background = commands.in_background(msg, incoming.document)
    refusal = await commands.admit(msg)  # no pause when admitted: the order is kept for `turn`
    if refusal is not None:
        if refusal:
            await adapter.reply(incoming, refusal)
        return
    async with commands.turn(msg, background=background):
        if incoming.working is not None:
            await incoming.working()
        if incoming.more is not None:
            replies = await commands.more(msg, incoming.more)
        elif incoming.document is not None:
            replies = await commands.handle_document(msg, incoming.document)
        else:
            replies = await commands.handle(msg)
        await adapter.reply(incoming, replies)


async def serve(adapter: Adapter, commands: Commands) -> None:
    """Run `adapter` over `commands` until its input ends or it is stopped."""
    await adapter.start()
    try:
        await adapter.receive(partial(dispatch, adapter, commands))
    finally:
        await adapter.stop()
