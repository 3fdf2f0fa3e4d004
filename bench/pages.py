"""The pages behind "More": what 5,000 questions cost the database, and `save_page` at the cap.

    .venv/bin/python bench/pages.py [--questions 5000] [--cap 10000] [--timed 200]

A library over the bundled sample article (plus the polnear-dev articles when
../shared/eval is there) answers --questions questions through the command layer, as chat
users' questions arrive; each answer with more results than a page keeps the rest for its
More button. The answers themselves are computed once per distinct question and reused: this
measures the store, not asking. Then the pages table is filled to --cap and --timed more
answers are given, each `save_page` timed (the insert and the pruning of the oldest page).
Prints the database's growth (after a WAL checkpoint) and the save_page times at the cap.
Runs against whichever saidwho is first on sys.path (before/after: a checkout of the older
commit on PYTHONPATH).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(os.environ.get("PYTHONPATH", "").split(os.pathsep)[0] or Path(__file__).parent.parent)
sys.path.insert(0, str(ROOT))

from bot.commands import Commands, Message  # noqa: E402
from bot.settings import Settings  # noqa: E402
from index.library import Library  # noqa: E402
from index.models import Answer  # noqa: E402

SHARED = Path(os.environ.get("SAIDWHO_SHARED", ROOT.parent / "shared"))
DEV = SHARED / "eval" / "polnear-dev"
QUESTIONS = [
    "who said Russians intervened directly?",
    "what did the spokesman say about the battlefield?",
    "who said the opposition would fight on?",
    "what did Trump say about the election?",
    "who said the campaign was over?",
    "what did Clinton say about the debate?",
    "who said the economy was strong?",
    "what did the governor say about taxes?",
]


def _size(db: Path) -> int:
    return db.stat().st_size


async def _checkpointed(library: Library) -> int:
    await library.store._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return _size(library.store.path)


async def main(questions: int, cap: int, timed: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="saidwho-pages-"))
    db = folder / "pages.db"
    async with await Library.open(db, dense=False) as library:
        await library.seed_sample()
        if DEV.is_dir():
            for path in sorted((DEV / "articles").glob("*.txt")):
                await library.add_file(path)
        asked: dict[str, Answer] = {}
        real_ask = library.ask

        async def ask(question: str, k: int = 5) -> Answer:
            if question not in asked:
                asked[question] = await real_ask(question, k)
            return asked[question]

        library.ask = ask  # type: ignore[method-assign]
        saves: list[float] = []
        real_save = library.save_page

        async def save_page(*args: Any) -> Any:
            started = time.perf_counter()
            try:
                return await real_save(*args)
            finally:
                saves.append(time.perf_counter() - started)

        library.save_page = save_page  # type: ignore[method-assign]
        commands = Commands(library, Settings(_env_file=None), rate_limited=False)

        async def answer(n: int) -> None:
            chat = n % 500
            text = QUESTIONS[n % len(QUESTIONS)]
            await commands.handle(Message(text, user_id=chat, chat_id=chat))

        await answer(0)  # the pages table exists
        before = await _checkpointed(library)
        for n in range(questions):
            await answer(n)
        grown = await _checkpointed(library) - before
        kept = await library.store._one("SELECT COUNT(*) FROM pages")
        body = await library.store._one("SELECT AVG(LENGTH(body)) FROM pages")
        n = questions
        while await library.store._one("SELECT COUNT(*) FROM pages") < cap:
            for _ in range(1000):
                await answer(n)
                n += 1
        saves.clear()
        for _ in range(timed):
            await answer(n)
            n += 1
    ms = sorted(s * 1000 for s in saves)
    print(f"{'questions':>10} {'pages kept':>10} {'bytes/page':>10} {'DB growth':>10}")
    print(f"{questions:>10,} {kept:>10,} {body:>10,.0f} {grown / 2**20:>8.1f} MB")
    print()
    print(f"save_page at the cap of {cap:,} pages ({len(ms)} saves)")
    print(f"{'median':>10} {'p95':>10} {'max':>10}")
    p95 = ms[int(len(ms) * 0.95) - 1]
    print(f"{statistics.median(ms):>8.2f}ms {p95:>8.2f}ms {ms[-1]:>8.2f}ms")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--questions", type=int, default=5000)
    parser.add_argument("--cap", type=int, default=10_000)
    parser.add_argument("--timed", type=int, default=200)
    options = parser.parse_args()
    asyncio.run(main(options.questions, options.cap, options.timed))
