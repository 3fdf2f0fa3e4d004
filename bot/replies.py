"""What the command layer answers with, for every adapter to show: HTML, and buttons."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Button:
    """A button under a reply. `command` is sent as if its presser typed it ("/remove 3 yes"),
    so it is checked like anything typed; `url` opens a page instead. Adapters without buttons
    show the command to type, or the link."""

    label: str
    command: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Reply:
    html: str
    more: str | None = None  # pass to `Commands.more` to get the next page
    buttons: tuple[Button, ...] = ()
    share: str | None = None  # the key of a link that reopens this answer (bot.links)
    photo: bytes | None = None  # a PNG to show, `html` its caption (adapters that show photos)
