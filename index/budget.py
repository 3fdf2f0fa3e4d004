"""Time budgets for CPU work on text from outside: reading an article that takes too long is
refused by name, and work running in a thread stops soon after the process is asked to exit.

Python cannot stop a thread from outside, so long loops stop themselves: they call `check()`,
which raises once the budget in force is spent or its `cancelled` event is set. The budget in
force is a context variable, set by `limit()`, because the loops that check it sit many calls
below the code that knows the article and the shutdown (`asyncio.to_thread` carries it into the
worker thread). Outside `limit()`, `check()` does nothing.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from index.errors import ArticleError


class OverBudget(ArticleError):
    """Reading an input took longer than its budget; the message names the input."""


class Cancelled(Exception):
    """The work was stopped because the process is shutting down."""


@dataclass
class Budget:
    """`seconds`: how long the work may take (None: no limit). `cancelled`: set to stop it."""

    seconds: float | None = None
    cancelled: threading.Event | None = None
    what: str = "the input"  # named in the error, e.g. the article's file name
    started: float = field(default_factory=time.monotonic)

    def check(self) -> None:
        if self.cancelled is not None and self.cancelled.is_set():
            raise Cancelled(f"stopped reading {self.what}: shutting down")
        if self.seconds is not None and time.monotonic() - self.started > self.seconds:
            raise OverBudget(
                f"{self.what}: took longer than {self.seconds:g} s to read, so it was left "
                "out (text built to be slow to read, or far longer than an article)"
            )


_CURRENT: ContextVar[Budget | None] = ContextVar("saidwho_budget", default=None)


@contextmanager
def limit(budget: Budget) -> Iterator[Budget]:
    """Make `budget` the one `check()` enforces, within this block (and threads it starts
    through `asyncio.to_thread`, which copies the context)."""
    token = _CURRENT.set(budget)
    try:
        yield budget
    finally:
        _CURRENT.reset(token)


def check() -> None:
    """Raise `OverBudget` or `Cancelled` if the budget in force is spent; else nothing."""
    budget = _CURRENT.get()
    if budget is not None:
        budget.check()
