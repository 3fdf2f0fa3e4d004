"""Followers told of a new quote: N followers of one speaker, an article quoting them uploaded
through the real Application polling the fake Bot API (tests/fakebotapi.py) on 127.0.0.1.

    .venv/bin/python bench/follow.py [--followers 200]

Prints how many followers were told once (and more than once), how long telling everyone
took, and the highest number of messages sent in any one-second window (Telegram allows 30).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import cast

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the fake server lives with the tests, in tests/

from bot.settings import Settings  # noqa: E402
from bot.telegram import TelegramAdapter, build_application, polling  # noqa: E402
from index.library import Library  # noqa: E402
from tests.fakebotapi import TOKEN, FakeBotApi  # noqa: E402

ADMIN = 1
FIRST_FOLLOWER = 50_000
ARTICLE = """Lighthouse on Skerry Point to be staffed again

12 May 2023

"A lamp that nobody tends is a lamp that fails," Ingrid Halvorsen, chief engineer of the coast \
authority, told the Coastal Times.

The light has been automatic since 1987.
"""


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument("--followers", type=int, default=200)
    return p.parse_args(argv)


async def bench(args: argparse.Namespace, db: Path) -> str:
    settings = Settings(TELEGRAM_TOKEN=TOKEN, admin_ids=[ADMIN], _env_file=None)
    followers = range(FIRST_FOLLOWER, FIRST_FOLLOWER + args.followers)
    async with await Library.open(db) as library, FakeBotApi() as api:
        for chat_id in followers:
            await library.follow(chat_id, "Ingrid Halvorsen")
        application = build_application(
            library, settings, base_url=api.base_url, base_file_url=api.base_file_url
        )
        cast(TelegramAdapter, application.bot_data["adapter"]).follow_poll = 0.5
        async with polling(application):
            await asyncio.sleep(1)  # the rate limiter's bucket drains after start-up calls
            mark = api.send_document("lighthouse.txt", ARTICLE.encode(), user_id=ADMIN)
            added = await api.wait_for(
                "sendMessage", after=mark, where=lambda c: "Added" in c.plain
            )
            deadline = time.perf_counter() + 120
            told: Counter[int] = Counter()
            while time.perf_counter() < deadline:
                told = Counter(c.chat_id or 0 for c in api.calls_to("sendMessage", after=mark))
                if all(told[f] for f in followers):
                    break
                await asyncio.sleep(0.2)
            await asyncio.sleep(3)  # more rounds of looking: a second message would come now
            calls = [
                c
                for c in api.calls_to("sendMessage", after=mark)
                if c.error_code is None and (c.chat_id or 0) >= FIRST_FOLLOWER
            ]
    told = Counter(c.chat_id or 0 for c in calls)
    times = sorted(c.at for c in calls)
    per_second = max(
        (sum(1 for t in times[i:] if t - start < 1.0) for i, start in enumerate(times)), default=0
    )
    took = times[-1] - added.at if times else float("nan")
    once = sum(1 for f in followers if told[f] == 1)
    more = sum(1 for f in followers if told[f] > 1)
    return "\n".join(
        [
            f"{'followers':>9} {'told once':>9} {'twice+':>6} {'never':>5} "
            f"{'all told s':>10} {'max msgs in 1 s':>15}",
            f"{args.followers:>9} {once:>9} {more:>6} {args.followers - once - more:>5} "
            f"{took:>10.1f} {per_second:>15}",
        ]
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        print(asyncio.run(bench(args, Path(tmp) / "bench.db")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
