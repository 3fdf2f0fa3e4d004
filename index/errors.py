"""The errors the core raises for people to read: each message names what failed and why."""

from __future__ import annotations


class ArticleError(ValueError):
    """An input that cannot become an article; the message names the input and the reason."""


class NotALink(ArticleError):
    """A path given where only links are taken (a chat user cannot read the bot's files)."""


class StoreError(RuntimeError):
    """The database cannot be used as asked; the message names it."""


class PrivateAddress(ArticleError):
    """A URL whose host (or a redirect's) is on a loopback, private or other non-public
    address, refused unless fetching such addresses is allowed (an intranet)."""
