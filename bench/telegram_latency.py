"""Answer latency of the Telegram bot: the real Application polling the fake Bot API server
(tests/fakebotapi.py) on 127.0.0.1, from an update being offered to the bot until its answer
(sendMessage) arrives at the server.

    .venv/bin/python bench/telegram_latency.py [-n 200] [--parallel 1] [--rate 10 --rate 0]

What is measured includes the long poll handing over the update, the "typing" action, the
search, rendering, the rate limiter and HTTP both ways; what is not is Telegram's own network.
Each --rate (questions a second, 0 for back to back) is a row of the table. Back to back, the
rate limiter sets the pace: it keeps the bot under Telegram's 30 messages a second, and each
answer costs two (the "typing" action and the message).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the fake server lives with the tests, in tests/

from bot.settings import Settings  # noqa: E402
from bot.telegram import build_application, polling  # noqa: E402
from index.library import Library  # noqa: E402
from tests.fakebotapi import TOKEN, FakeBotApi  # noqa: E402

QUESTIONS = [
    "who said Russians intervened directly?",
    "what did Mustafa say about the special forces?",
    "who said Russia failed?",
    "what did the Syrian army say?",
    "who said the troops were on the battlefield?",
]
FIRST_USER = 10_000


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument("-n", "--questions", type=int, default=200, help="questions (default 200)")
    p.add_argument(
        "--parallel",
        type=int,
        default=1,
        help="users asking at once, each waiting for an answer before asking again (default 1)",
    )
    p.add_argument(
        "--rate",
        type=float,
        action="append",
        help="questions a second offered, 0 for back to back; repeat for more rows "
        "(default: 10 and 0)",
    )
    p.add_argument("--warmup", type=int, default=5, help="questions not counted (default 5)")
    p.add_argument("--db", help="an existing database to ask (default: a temporary one)")
    return p.parse_args(argv)


async def ask(api: FakeBotApi, user_id: int, question: str) -> float:
    """Seconds from the update being offered until the bot's answer reaches the server."""
    sent = time.perf_counter()
    mark = api.send_text(question, user_id=user_id)
    answer = await api.wait_for(
        "sendMessage", after=mark, where=lambda c: c.chat_id == user_id, timeout=30
    )
    return answer.at - sent


async def user(api: FakeBotApi, user_id: int, questions: list[str], every: float) -> list[float]:
    """One user asking in turn, a question every `every` seconds or as soon as answered."""
    latencies: list[float] = []
    next_at = time.perf_counter()
    for question in questions:
        await asyncio.sleep(max(0.0, next_at - time.perf_counter()))
        next_at += every
        latencies.append(await ask(api, user_id, question))
    return latencies


async def measure(
    api: FakeBotApi, count: int, parallel: int, rate: float
) -> tuple[list[float], float]:
    cycle = itertools.cycle(QUESTIONS)
    sizes = [count // parallel + (i < count % parallel) for i in range(parallel)]
    share = [[next(cycle) for _ in range(size)] for size in sizes]
    every = parallel / rate if rate > 0 else 0.0
    started = time.perf_counter()
    results = await asyncio.gather(
        *(user(api, FIRST_USER + i, questions, every) for i, questions in enumerate(share))
    )
    return [s for per_user in results for s in per_user], time.perf_counter() - started


def percentile(values: list[float], p: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1]


HEADER = (
    f"{'offered':>12} {'questions':>9} {'parallel':>8} {'p50 ms':>8} {'p95 ms':>8} "
    f"{'max ms':>8} {'answers/s':>9}"
)


def row(rate: float, latencies: list[float], elapsed: float, parallel: int) -> str:
    ms = [s * 1000 for s in latencies]
    offered = f"{rate:g}/s" if rate > 0 else "back to back"
    return (
        f"{offered:>12} {len(ms):>9} {parallel:>8} {percentile(ms, 50):>8.1f} "
        f"{percentile(ms, 95):>8.1f} {max(ms):>8.1f} {len(ms) / elapsed:>9.1f}"
    )


async def bench(args: argparse.Namespace, db: Path) -> str:
    # One user asks back to back here: the per-user rate (SAIDWHO_USER_RATE) would skip most.
    settings = Settings(TELEGRAM_TOKEN=TOKEN, user_rate=1_000_000, _env_file=None)
    async with await Library.open(db) as library, FakeBotApi() as api:
        if not args.db:  # never add to a database the user named
            await library.seed_sample()
        application = build_application(
            library, settings, base_url=api.base_url, base_file_url=api.base_file_url
        )
        rows = [HEADER]
        async with polling(application):
            await measure(api, args.warmup, 1, 0)
            for rate in args.rate or [10.0, 0.0]:
                await asyncio.sleep(1)  # the rate limiter's bucket drains between rows
                latencies, elapsed = await measure(api, args.questions, args.parallel, rate)
                rows.append(row(rate, latencies, elapsed, args.parallel))
    return "\n".join(rows)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.questions < 2 or args.parallel < 1:
        print("need at least 2 questions and 1 user", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(args.db) if args.db else Path(tmp) / "bench.db"
        print(asyncio.run(bench(args, db)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
