"""Secrets (the bot token) kept out of every log record, whichever logger or handler it goes
through: httpx logs request URLs, which carry the token, and PTB puts it in some messages.

The redaction is installed once, as logging's record factory, wrapping the one it found; a
second secret joins the installed one rather than wrapping it again. Its secrets live in that
factory, the one place logging looks, not in a module global.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

SHOWN_AS = "[token]"


class RedactingFactory:
    """A log record factory that replaces each secret with SHOWN_AS in the message and the
    traceback of every record the factory it wraps makes."""

    def __init__(self, wrapped: Callable[..., logging.LogRecord]) -> None:
        self.wrapped = wrapped
        self.secrets: set[str] = set()

    def __call__(self, *args: Any, **kwargs: Any) -> logging.LogRecord:
        record = self.wrapped(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: the handler reports it, as it always does
            return record
        if any(secret in message for secret in self.secrets):
            record.msg, record.args = self.redact(message), None
        if record.exc_info:
            record.exc_text = self.redact(logging.Formatter().formatException(record.exc_info))
        return record

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, SHOWN_AS)
        return text


def hide_in_logs(secret: str) -> None:
    """Replace `secret` with SHOWN_AS in every log record from now on. httpx's per-request
    lines are noise anyway, so they go too."""
    logging.getLogger("httpx").setLevel(logging.WARNING)
    factory = logging.getLogRecordFactory()
    if not isinstance(factory, RedactingFactory):
        factory = RedactingFactory(factory)
        logging.setLogRecordFactory(factory)
    factory.secrets.add(secret)


def redact(text: str) -> str:
    """`text` with the secrets hidden in logs hidden too (for what is sent, not logged: an
    error report to the admins)."""
    factory = logging.getLogRecordFactory()
    return factory.redact(text) if isinstance(factory, RedactingFactory) else text
