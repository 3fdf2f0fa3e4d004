"""The Telegram bot under load: the real Application polling the fake Bot API server
(tests/fakebotapi.py) on 127.0.0.1, everything local and bounded in count and time.

    .venv/bin/python bench/telegram_load.py busy    [--users 20 --each 10 --flood 500]
    .venv/bin/python bench/telegram_load.py upload  [--users 10 --window 300]
    .venv/bin/python bench/telegram_load.py uploads [--users 10 --window 300 --uploads 40]
    .venv/bin/python bench/telegram_load.py faults  [--users 100 --each 10 --fail 0.10]

busy, upload and uploads run with matching by meaning on (the sentence model, when installed,
as `saidwho run` does): embedding an article is the heavy work questions must not wait behind
(issue 32, rows 1 and 9). --words runs them without it.

busy (issue 16, item 3): while an admin uploads a 5 MB article and adds a URL that a local slow
HTTP server takes 14 s to serve (just under the fetch's 15 s cap, so it lands), and one user
floods 500 questions at once, `--users` other users each ask `--each` questions, one at a time,
a second or so apart. Prints, per kind of user, how many questions were asked and answered and
the answer latency (from the update being offered to the answer reaching the server); "in
limiter" is the part of it spent waiting in PTB's outgoing rate limiter (Telegram's 30
messages a second, 20 a minute per group), reported apart as the issue asks.

upload (issue 32, row 1): an admin uploads a ~5 MB article of varied prose (about 33,000
passages) while `--users` users each ask a question a second or so apart (once the last is
answered), until the upload is done or `--window` seconds have passed.

uploads (issue 32, row 9): an admin sends `--uploads` articles of ~30 KB at once, the same users
asking meanwhile.

Both print the other users' answer latency (p50, p95, max), how many went unanswered within
ANSWER_TIMEOUT, and when the admin's work was done (or that it was not, when the users were).

faults (issue 16, item 4): `--users` users each ask `--each` questions, one at a time, while
`--fail` of all Bot API calls but getUpdates fail at random (429 with retry_after 1, 500, 502,
a dropped connection, in turn). Prints how many questions were answered exactly once, more than
once, not at all, or with "Sorry", and the latency.

The slow page is served on 127.0.0.1: the bench passes `fetch_allow_private=True` to Settings
(issue 16's SAIDWHO_FETCH_ALLOW_PRIVATE, where the fetcher refuses private addresses).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import logging
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Coroutine, Sequence
from pathlib import Path
from typing import Any

from aiohttp import web

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the fake server lives with the tests, in tests/

import bot.telegram  # noqa: E402
from bench.telegram_latency import QUESTIONS  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.telegram import SORRY, build_application, polling  # noqa: E402
from index.library import Library  # noqa: E402
from tests.fakebotapi import TOKEN, FakeBotApi  # noqa: E402
from tests.webserver import ARTICLE_HTML  # noqa: E402

ADMIN = 1
FLOODER = 2
FIRST_USER = 10_000
SLOW_PAGE_SECONDS = 14.0
UPLOAD_BYTES = 5 * 1024 * 1024 - 4096  # under SAIDWHO_MAX_FILE_BYTES' default of 5 MiB
ANSWER_TIMEOUT = 120.0  # a question not answered by then counts as lost


# -- time in PTB's outgoing rate limiter ---------------------------------------------------


class _Waits:
    """Seconds each sendMessage spent in the rate limiter before it went out, by chat."""

    def __init__(self) -> None:
        self.by_chat: dict[int, list[float]] = defaultdict(list)


WAITS = _Waits()


# The bot's own rate limiter class (on an older saidwho, PTB's AIORateLimiter, so the same bench
# measures the code before a change).
LIMITER_NAME = (
    "RetryingRateLimiter" if hasattr(bot.telegram, "RetryingRateLimiter") else ("AIORateLimiter")
)


class TimedRateLimiter(getattr(bot.telegram, LIMITER_NAME)):  # type: ignore[misc]
    """The bot's own rate limiter, noting how long each sendMessage waited in it."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Any]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Any:
        entered = time.perf_counter()
        first_call: list[float] = []

        async def timed(*a: Any, **k: Any) -> Any:
            if not first_call:
                first_call.append(time.perf_counter())
            return await callback(*a, **k)

        try:
            return await super().process_request(
                timed, args, kwargs, endpoint, data, rate_limit_args
            )
        finally:
            if endpoint == "sendMessage" and first_call and "chat_id" in data:
                WAITS.by_chat[int(data["chat_id"])].append(first_call[0] - entered)


setattr(bot.telegram, LIMITER_NAME, TimedRateLimiter)


# -- users ---------------------------------------------------------------------------------


async def ask(api: FakeBotApi, user_id: int, question: str) -> float | None:
    """Seconds from the update being offered until the answer reaches the server; None if it
    never does."""
    sent = time.perf_counter()
    mark = api.send_text(question, user_id=user_id)
    try:
        answer = await api.wait_for(
            "sendMessage", after=mark, where=lambda c: c.chat_id == user_id, timeout=ANSWER_TIMEOUT
        )
    except TimeoutError:
        return None
    return answer.at - sent


async def asking_until(
    api: FakeBotApi, user_id: int, done: asyncio.Event, pause: float, rng: random.Random
) -> list[float | None]:
    """A user asking a question every `pause` seconds or so, each once the last is answered
    (or lost), until `done` is set."""
    latencies = []
    for i in itertools.count():
        await asyncio.sleep(rng.uniform(0, 2 * pause))
        if done.is_set():
            break
        latencies.append(await ask(api, user_id, QUESTIONS[(user_id + i) % len(QUESTIONS)]))
    return latencies


async def user(
    api: FakeBotApi, user_id: int, count: int, pause: float, rng: random.Random
) -> list[float | None]:
    latencies = []
    for i in range(count):
        await asyncio.sleep(rng.uniform(0, 2 * pause))
        latencies.append(await ask(api, user_id, QUESTIONS[(user_id + i) % len(QUESTIONS)]))
    return latencies


def percentile(values: list[float], p: int) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def ms(values: list[float], p: int) -> str:
    return f"{percentile(values, p) * 1000:>8.0f}" if values else f"{'-':>8}"


# -- busy: an admin's slow work and a flood beside everyone else ---------------------------


async def slow_page_server() -> tuple[web.AppRunner, str]:
    async def slow(request: web.Request) -> web.Response:
        await asyncio.sleep(SLOW_PAGE_SECONDS)
        return web.Response(text=ARTICLE_HTML, content_type="text/html")

    app = web.Application()
    app.router.add_get("/slow.html", slow)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    return runner, f"http://127.0.0.1:{port}/slow.html"


_WHO = [
    ("Mara Olsen", "who chairs the harbour board"),
    ("Tomasz Brill", "a councillor for the east ward"),
    ("Aiyana Reyes", "the port's chief engineer"),
    ("Devi Ramaswamy", "a spokeswoman for the fishermen's union"),
    ("Henrik Saltz", "the regional transport minister"),
    ("Odile Marchetti", "an economist at the state university"),
]
_SUBJECTS = [
    "the dredging contract",
    "the new breakwater",
    "ferry fares",
    "the fish market",
    "the tidal barrier",
    "the container terminal",
    "winter storms",
    "the channel survey",
    "the cruise season",
    "silt from the river",
    "the pilots' strike",
    "the lighthouse repairs",
]
_VERBS = [
    "will cost",
    "has delayed",
    "could double",
    "threatens",
    "was never meant to fund",
    "depends on",
    "has already changed",
    "would protect",
    "has split",
    "cannot replace",
]
_OBJECTS = [
    "the town's budget",
    "every boat owner",
    "the summer trade",
    "the old quay",
    "jobs on the waterfront",
    "the nesting birds",
    "the council's plans",
    "insurance costs",
    "the night shift",
    "the north beach",
    "the ferry timetable",
    "the harbour's future",
]
_AFTER_QUOTE = ["said", "argued", "warned", "added"]
_BEFORE_THAT = ["said", "told reporters", "argued", "warned", "wrote in a statement"]


def varied_prose(size: int, seed: int, title: str) -> bytes:
    """About `size` bytes of an article of varied prose: a title and date, then paragraphs of
    one to three sentences, most quoting one of a handful of people (seeded, so each run reads
    the same text)."""
    rng = random.Random(seed)
    parts = [f"{title}\n\n2 March 2024\n\n"]
    total = len(parts[0])
    while total < size:
        sentences = []
        for _ in range(rng.randint(1, 3)):
            claim = f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)}"
            name, role = rng.choice(_WHO)
            kind = rng.random()
            if kind < 0.4:
                sentences.append(
                    f'"{claim[0].upper()}{claim[1:]} by {rng.randint(2, 90)} percent," '
                    f"{rng.choice(_AFTER_QUOTE)} {name}, {role}."
                )
            elif kind < 0.7:
                sentences.append(f"{name} {rng.choice(_BEFORE_THAT)} that {claim}.")
            else:
                sentences.append(
                    f"In {rng.choice(['May', 'June', 'July', 'October'])} "
                    f"{rng.randint(1990, 2023)}, {claim} for {rng.randint(2, 40)} weeks."
                )
        paragraph = " ".join(sentences) + "\n\n"
        parts.append(paragraph)
        total += len(paragraph.encode())
    return "".join(parts).encode()


def big_article() -> bytes:
    """About 5 MB of a plausible article: a title, then quoted paragraphs."""
    lines = ["Harbour dredging to run for ten years\n\n2 March 2024\n"]
    n, size = 0, 0
    while size < UPLOAD_BYTES - 400:
        line = (
            f'"Dredging section {n} will cost the town more than it saves," said Mara Olsen, '
            f"who chairs the harbour board, on day {n} of the hearings about the channel.\n\n"
        )
        lines.append(line)
        size += len(line.encode())
        n += 1
    return "".join(lines).encode()


async def busy(args: argparse.Namespace, db: Path) -> str:
    settings = Settings(
        TELEGRAM_TOKEN=TOKEN, admin_ids=[ADMIN], fetch_allow_private=True, _env_file=None
    )
    rng = random.Random(1)
    runner, slow_url = await slow_page_server()
    try:
        async with await Library.open(db, dense=args.dense) as library, FakeBotApi() as api:
            await library.seed_sample()
            application = build_application(
                library, settings, base_url=api.base_url, base_file_url=api.base_file_url
            )
            async with polling(application):
                await ask(api, FIRST_USER - 1, QUESTIONS[0])  # warm up: the index is loaded
                await asyncio.sleep(1)
                started = time.perf_counter()
                mark = api.mark()
                api.send_document("harbour.txt", big_article(), user_id=ADMIN)
                api.send_text(f"/add {slow_url}", user_id=ADMIN)
                for i in range(args.flood):
                    api.send_text(QUESTIONS[i % len(QUESTIONS)], user_id=FLOODER)
                others = await asyncio.gather(
                    *(
                        user(api, FIRST_USER + i, args.each, args.pause, rng)
                        for i in range(args.users)
                    )
                )
                admin_done = await asyncio.gather(
                    *(
                        api.wait_for(
                            "sendMessage",
                            after=mark,
                            where=lambda c, w=words: (
                                c.chat_id == ADMIN
                                and not c.plain.startswith(("Adding", "Queued"))
                                and any(word in c.plain for word in w)
                            ),
                            timeout=60,
                        )
                        for words in (("harbour", "Harbour"), ("slow.html", "Bridge closure"))
                    ),
                    return_exceptions=True,
                )
                elapsed = time.perf_counter() - started
                flooded = api.sent_to(FLOODER, after=mark)
                # Stop at once: the rest of the admin's work is not what is measured.
                cancel = getattr(library, "cancel", None)
                if cancel is not None:
                    cancel()
    finally:
        await runner.cleanup()

    latencies = [s for per_user in others for s in per_user if s is not None]
    lost = sum(s is None for per_user in others for s in per_user)
    waits = [w for uid in range(FIRST_USER, FIRST_USER + args.users) for w in WAITS.by_chat[uid]]
    told = sum("faster than I answer" in c.plain for c in flooded)
    rows = [
        f"{'who':<28} {'asked':>6} {'answered':>8} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} "
        f"{'limiter p50':>11} {'limiter p95':>11}",
        f"{f'{args.users} other users':<28} {args.users * args.each:>6} {len(latencies):>8} "
        f"{ms(latencies, 50)} {ms(latencies, 95)} {max(latencies) * 1000:>8.0f} "
        f"{ms(waits, 50):>11} {ms(waits, 95):>11}",
        f"{'the flooder':<28} {args.flood:>6} {len(flooded) - told:>8} "
        f"{'(told to slow down ' + str(told) + 'x)':>38}",
    ]
    for name, done in zip(("admin: 5 MB upload", "admin: /add 14 s URL"), admin_done, strict=True):
        if isinstance(done, BaseException):
            rows.append(f"{name:<28} not done in 60 s")
        else:
            reply = done.plain.splitlines()[0][:60]
            rows.append(f"{name:<28} done after {done.at - started:5.1f} s: {reply}")
    rows.append(f"lost (no answer in {ANSWER_TIMEOUT:g} s): {lost}; wall time {elapsed:.1f} s")
    return "\n".join(rows)


# -- upload, uploads: an admin's articles beside everyone else's questions ------------------


async def uploading(args: argparse.Namespace, db: Path) -> str:
    """Other users' answers while the admin's uploads (one of ~5 MB, or `--uploads` of ~30 KB)
    are read, embedded and indexed."""
    # The users ask a question a second or so after the last is answered: faster than the
    # per-user rate a bot keeps users to, which is not what is measured here.
    settings = Settings(TELEGRAM_TOKEN=TOKEN, admin_ids=[ADMIN], user_rate=1000, _env_file=None)
    if args.scenario == "upload":
        files = [("harbour.txt", varied_prose(UPLOAD_BYTES, 0, "Harbour works to run a decade"))]
    else:
        files = [
            (f"harbour-{i}.txt", varied_prose(30_000, i, f"Harbour report number {i}"))
            for i in range(args.uploads)
        ]
    rng = random.Random(1)
    async with await Library.open(db, dense=args.dense) as library, FakeBotApi() as api:
        await library.seed_sample()
        embedding = library.embedder.name if library.embedder else "off"
        application = build_application(
            library, settings, base_url=api.base_url, base_file_url=api.base_file_url
        )
        async with polling(application):
            await ask(api, FIRST_USER - 1, QUESTIONS[0])  # warm up: the index is loaded
            await asyncio.sleep(1)
            started = time.perf_counter()
            mark = api.mark()
            for name, data in files:
                api.send_document(name, data, user_id=ADMIN)

            def added() -> list[Any]:
                return [
                    c
                    for c in api.sent_to(ADMIN, after=mark)
                    if c.plain.startswith(("Added", "Replaced", "Already", "Not added"))
                ]

            done = asyncio.Event()

            async def admin_done() -> None:
                async with asyncio.timeout(args.window):
                    while len(added()) < len(files):
                        await asyncio.sleep(0.5)
                done.set()

            watching = asyncio.create_task(admin_done())
            users = asyncio.gather(
                *(
                    asking_until(api, FIRST_USER + i, done, args.pause, rng)
                    for i in range(args.users)
                )
            )
            try:
                await watching
            except TimeoutError:
                done.set()
            others = await users
            asked_for = time.perf_counter() - started
            answered = added()
            admin = f"{len(answered)} of {len(files)} uploads answered in {args.window:g} s"
            if answered:
                admin += f" (the last after {max(c.at for c in answered) - started:.1f} s)"
            # Stop at once: the rest of the admin's work is not what is measured.
            cancel = getattr(library, "cancel", None)
            if cancel is not None:
                cancel()
            closing = time.perf_counter()
        closed = time.perf_counter() - closing
    latencies = [s for per_user in others for s in per_user if s is not None]
    lost = sum(s is None for per_user in others for s in per_user)
    size = sum(len(data) for _, data in files)
    return "\n".join(
        [
            f"{len(files)} upload(s), {size / 1e6:.1f} MB in all; matching by meaning: {embedding}",
            f"{'who':<20} {'asked':>6} {'answered':>8} {'unanswered':>10} {'p50 ms':>8} "
            f"{'p95 ms':>8} {'max ms':>8}",
            f"{f'{args.users} other users':<20} {len(latencies) + lost:>6} {len(latencies):>8} "
            f"{lost:>10} {ms(latencies, 50)} {ms(latencies, 95)} "
            f"{max(latencies, default=float('nan')) * 1000:>8.0f}",
            f"admin: {admin}",
            f"users asked for {asked_for:.1f} s; the bot stopped {closed:.1f} s after being told",
        ]
    )


# -- faults: a share of all Bot API calls fail ---------------------------------------------


async def faults(args: argparse.Namespace, db: Path) -> str:
    settings = Settings(TELEGRAM_TOKEN=TOKEN, _env_file=None)
    rng = random.Random(2)
    async with await Library.open(db) as library, FakeBotApi() as api:
        await library.seed_sample()
        application = build_application(
            library, settings, base_url=api.base_url, base_file_url=api.base_file_url
        )
        async with polling(application):
            await ask(api, FIRST_USER - 1, QUESTIONS[0])
            mark = api.mark()
            api.fail_at_random(args.fail, seed=3)
            started = time.perf_counter()
            results = await asyncio.gather(
                *(user(api, FIRST_USER + i, args.each, args.pause, rng) for i in range(args.users))
            )
            await asyncio.sleep(3)  # a late duplicate would arrive by now
            elapsed = time.perf_counter() - started
            api.fail_at_random(0)
            calls = api.calls[mark:]
    injected = [c for c in calls if c.error_code is not None]
    by_kind: dict[str, int] = defaultdict(int)
    for c in injected:
        by_kind[f"{c.method} {c.error_code or 'drop'}"] += 1
    once = twice = none = sorry = 0
    for i in range(args.users):
        chat = FIRST_USER + i
        sent = [c for c in calls if c.method == "sendMessage" and c.chat_id == chat]
        ok = [c for c in sent if c.error_code is None]
        sorry += sum(SORRY in c.plain for c in ok)
        answers = len([c for c in ok if SORRY not in c.plain])
        once += min(answers, args.each)
        twice += max(0, answers - args.each)
        none += max(0, args.each - answers)
    latencies = [s for per_user in results for s in per_user if s is not None]
    rows = [
        f"{'questions':>9} {'failed calls':>12} {'answered once':>13} {'extra answers':>13} "
        f"{'unanswered':>10} {'sorry':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'wall s':>6}",
        f"{args.users * args.each:>9} {len(injected):>12} {once:>13} {twice:>13} {none:>10} "
        f"{sorry:>5} {ms(latencies, 50)} {ms(latencies, 95)} {max(latencies) * 1000:>8.0f} "
        f"{elapsed:>6.0f}",
        f"failed of {len(calls)} calls: "
        + ", ".join(f"{k} x{n}" for k, n in sorted(by_kind.items())),
    ]
    return "\n".join(rows)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument("scenario", choices=["busy", "upload", "uploads", "faults"])
    p.add_argument("--uploads", type=int, default=40, help="articles sent at once (uploads)")
    p.add_argument(
        "--window", type=float, default=300, help="seconds users ask at most (upload, uploads)"
    )
    p.add_argument(
        "--words",
        dest="dense",
        action="store_false",
        help="without the sentence model (busy, upload, uploads run with it when installed)",
    )
    p.add_argument("--users", type=int, help="users asking (busy 20, faults 100)")
    p.add_argument("--each", type=int, help="questions per user (busy, faults; default 10)")
    p.add_argument("--pause", type=float, help="mean seconds between one user's questions")
    p.add_argument("--flood", type=int, default=500, help="the flooder's questions (busy)")
    p.add_argument("--fail", type=float, default=0.10, help="share of calls failing (faults)")
    args = p.parse_args(argv)
    if args.users is None:
        args.users = {"busy": 20, "faults": 100}.get(args.scenario, 10)
    if args.each is None:
        args.each = 10
    if args.pause is None:
        args.pause = 0.5 if args.scenario == "faults" else 1.0
    if not (
        1 <= args.users <= 200
        and 1 <= args.each <= 50
        and 0 <= args.flood <= 1000
        and 1 <= args.uploads <= 100
    ):
        p.error("keep it modest: --users 1..200, --each 1..50, --flood 0..1000, --uploads 1..100")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.ERROR)  # the bot's warnings of each retried call: noise
    run = {"busy": busy, "upload": uploading, "uploads": uploading, "faults": faults}[args.scenario]
    with tempfile.TemporaryDirectory() as tmp:
        print(asyncio.run(run(args, Path(tmp) / "bench.db")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
