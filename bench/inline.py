"""Inline-mode latency: the real Application polling the fake Bot API server on 127.0.0.1,
from an inline query being offered to the bot until its answerInlineQuery reaches the server.

    .venv/bin/python bench/inline.py [--users 20] [--per-user 5] [--articles DIR]

Each user types a question as people do: one inline query per few keystrokes, `--pace`
seconds apart (or on the answer to the last, if that comes later), starting at a random moment
of the first second; `--pace 0` is the worst case, every user's queries back to back from the
same instant. Each --pace is a row. By default the library is the sample article and,
when the evaluation sets are found (../shared, or SAIDWHO_SHARED), the 84 polnear-dev
articles. Prints one table row: queries, p50, p95 and max in ms, and how many were answered.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the fake server lives with the tests, in tests/

from bot.inline import InlineAnswers  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.telegram import build_application, polling  # noqa: E402
from index.library import Library, inputs  # noqa: E402
from tests.fakebotapi import TOKEN, FakeBotApi  # noqa: E402

# One question a user: nobody is answered from the cache another user filled.
QUESTIONS = [
    "who said russians intervened directly",
    "what did trump say about the debate",
    "who said clinton was unfit to be president",
    "what did pence say about gennifer flowers",
    "who said the polls were rigged",
    "how many voters are undecided",
    "who said russia failed",
    "what did obama say about the economy",
    "who called the election a disaster",
    "what did sanders say about wall street",
    "who said the wall would be paid for",
    "what did the campaign manager say about the emails",
    "who said the fbi should reopen the case",
    "how much money did the super pac raise",
    "who said veterans deserve better care",
    "what did kaine say about the vice presidential debate",
    "who said the tax returns would be released",
    "what did the governor say about the pipeline",
    "who said black voters would not turn out",
    "what did the pollster say about wealthy voters",
]
FIRST_USER = 20_000


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument("--users", type=int, default=20, help="users typing at once (default 20)")
    p.add_argument("--per-user", type=int, default=5, help="inline queries each (default 5)")
    p.add_argument("--articles", help="a folder of articles (default: polnear-dev if found)")
    p.add_argument(
        "--pace",
        type=float,
        action="append",
        help="seconds between one user's queries, 0 for back to back; repeat for more rows "
        "(default: 0.3 and 0)",
    )
    return p.parse_args(argv)


def typed(question: str, steps: int) -> list[str]:
    """The queries Telegram sends as `question` is typed: prefixes growing to the whole."""
    words = question.split()
    cuts = [max(1, round(len(words) * (i + 1) / steps)) for i in range(steps)]
    return [" ".join(words[:cut]) for cut in cuts]


async def one_user(
    api: FakeBotApi, user_id: int, queries: list[str], pace: float = 0.0, start: float = 0.0
) -> list[float | None]:
    """Seconds from each query being offered to its answer; None for one never answered."""
    latencies: list[float | None] = []
    next_at = time.perf_counter() + start
    for query in queries:
        await asyncio.sleep(max(0.0, next_at - time.perf_counter()))
        next_at += pace
        query_id, mark = api.send_inline_query(query, user_id=user_id)
        try:
            answer = await api.wait_for(
                "answerInlineQuery",
                after=mark,
                where=lambda c, q=query_id: c.params.get("inline_query_id") == q,  # type: ignore[misc]
                timeout=30,
            )
        except TimeoutError:
            latencies.append(None)
            continue
        latencies.append(answer.at - api.inline_sent[query_id])
    return latencies


def articles_folder(given: str | None) -> Path | None:
    if given:
        return Path(given)
    shared = Path(os.environ.get("SAIDWHO_SHARED", ROOT.parent / "shared"))
    folder = shared / "eval" / "polnear-dev" / "articles"
    return folder if folder.is_dir() else None


async def bench(args: argparse.Namespace, db: Path) -> str:
    settings = Settings(TELEGRAM_TOKEN=TOKEN, _env_file=None)
    async with await Library.open(db, dense=settings.dense) as library, FakeBotApi() as api:
        await library.seed_sample()
        folder = articles_folder(args.articles)
        if folder is not None:
            for spec in inputs([str(folder)]):
                await library.add_input(spec)
        count = len(await library.articles())
        application = build_application(library, settings, base_url=api.base_url)
        rows = [
            f"{'articles':>8} {'users':>5} {'pace s':>6} {'queries':>7} {'answered':>8} "
            f"{'p50 ms':>7} {'p95 ms':>7} {'max ms':>7}"
        ]
        rng = random.Random(0)
        async with polling(application):
            await one_user(api, FIRST_USER - 1, ["warm up the speller"])
            for round_, pace in enumerate(args.pace or [0.3, 0.0]):
                # A cold cache for each row: none is answered from what another row filled.
                application.bot_data["inline"] = InlineAnswers(library)
                per_user = await asyncio.gather(
                    *(
                        one_user(
                            api,
                            FIRST_USER + round_ * 1000 + i,
                            typed(QUESTIONS[i % len(QUESTIONS)], args.per_user),
                            pace,
                            rng.random() if pace else 0.0,
                        )
                        for i in range(args.users)
                    )
                )
                found = [s for latencies in per_user for s in latencies]
                ms = [s * 1000 for s in found if s is not None]
                p50, p95 = (
                    statistics.quantiles(ms, n=100, method="inclusive")[i] for i in (49, 94)
                )
                rows.append(
                    f"{count:>8} {args.users:>5} {pace:>6g} {len(found):>7} {len(ms):>8} "
                    f"{p50:>7.1f} {p95:>7.1f} {max(ms):>7.1f}"
                )
    return "\n".join(rows)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.users < 1 or args.per_user < 1:
        print("need at least 1 user and 1 query each", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        print(asyncio.run(bench(args, Path(tmp) / "bench.db")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
