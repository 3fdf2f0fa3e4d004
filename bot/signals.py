"""SIGINT and SIGTERM stop long work and let the process exit on its own, within seconds.

systemd sends SIGTERM and kills 90 s later; a re-index of 700 articles took 134 s to stop
(issue 32, row 7), since the work in hand ran to its end. Under `exit_signals`, the first
signal calls the given actions (the library's `cancel`, the adapter's stop): the article being
read is dropped unsaved, each saved one is whole (one transaction each), and the process exits.
A second signal exits at once, and so does the process still running GRACE seconds after the
first (work that never reaches a check: a hostile article read before its loops were bounded):
SQLite's transactions keep the store consistent even then, each article saved whole or not at
all, and the search index is rebuilt or caught up at the next start.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

log = logging.getLogger(__name__)

SIGNALS = (signal.SIGINT, signal.SIGTERM)
GRACE = 8.0  # seconds from the first signal to exiting regardless (systemd waits 90)


@contextmanager
def exit_signals(*actions: Callable[[], None]) -> Iterator[None]:
    """Within the block (on the running loop), SIGINT or SIGTERM calls each of `actions`; a
    second one ends the process at once."""
    loop = asyncio.get_running_loop()
    heard: list[int] = []

    def on_signal(number: int) -> None:
        if heard:
            _exit_now(number)
        heard.append(number)
        log.info("stopping (signal %d): the work in hand is left unsaved", number)
        deadline = threading.Timer(GRACE, _exit_now, (number,))
        deadline.daemon = True  # a process that exits in time is not held by it
        deadline.start()
        for action in actions:
            action()

    installed = []
    for number in SIGNALS:
        try:
            loop.add_signal_handler(number, on_signal, number)
        except (NotImplementedError, RuntimeError):  # not on this platform, or not the main thread
            continue
        installed.append(number)
    try:
        yield
    finally:
        for number in installed:
            loop.remove_signal_handler(number)


def _exit_now(number: int) -> None:
    log.warning("stopping at once (signal %d): the work in hand is dropped", number)
    logging.shutdown()  # what was logged is flushed
    os._exit(128 + number)
