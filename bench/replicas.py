"""Two replicas on one PostgreSQL: two real `saidwho run` processes in webhook mode (as behind a
load balancer) on one database, replies going to the fake Bot API (tests/fakebotapi.py).

    .venv/bin/python bench/replicas.py [--trials 20] [--questions 1000] [--clients 50]
                                       [--db postgresql://...]

Without --db, a PostgreSQL 16 server is started in a temp dir (pgserver, the dev extra).

1. Catch-up: each trial, `saidwho ingest` (a third process) adds a new article with a word
   found nowhere else; the bench sees the commit by polling the store's generation every 2 ms
   from its own connection, then at once posts a question about the new article to one
   replica (the two take turns). The time is from the commit to that replica's answer naming
   the article's speaker: what a user asking right after an ingest waits.
2. Load: `--questions` questions, each from a user of its own, posted alternately to the two
   replicas by `--clients` concurrent clients; every one must be answered exactly once.

SAIDWHO_DENSE (default false here, as bench/webhook.py) switches matching by meaning on.
Prints a table.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx
import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the fake server lives with the tests, in tests/

from tests.fakebotapi import TOKEN, FakeBotApi  # noqa: E402

SECRET = "bench-secret"
SAMPLE = ROOT / "index" / "sample" / "russian-soldiers-idlib-2019-07-18.txt"
SAIDWHO = Path(sys.executable).parent / "saidwho"
QUESTIONS = [
    "who said Russians intervened directly?",
    "who said Russia failed?",
    "what did Mustafa say about the special forces?",
    "/articles",
]
NEW_ARTICLE = """Lighthouse keepers vote to stay on {word} Point

June 4, 2024

The last keepers of the {word} Point lighthouse voted on Monday to stay at their post after
the coast authority offered to automate the light.

"A machine does not row out to a boat in trouble," said Mara {word}son, the head keeper of
{word} Point, who has worked at the light for twenty years.
"""
FIRST_USER = 200_000


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument("--trials", type=int, default=20)
    p.add_argument("--questions", type=int, default=1000)
    p.add_argument("--clients", type=int, default=50)
    p.add_argument("--db", help="a PostgreSQL URI (default: a server started for the bench)")
    return p.parse_args(argv)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def wait_healthy(url: str, process: asyncio.subprocess.Process) -> None:
    async with httpx.AsyncClient() as client:
        for _ in range(600):
            if process.returncode is not None:
                raise SystemExit("saidwho run exited before it was healthy")
            try:
                if (await client.get(url)).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise SystemExit(f"{url} never answered 200")


async def post(client: httpx.AsyncClient, hook: str, update: dict[str, Any]) -> int:
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    return (await client.post(hook, json=update, headers=headers)).status_code


def word(n: int) -> str:
    """A made-up word no article holds (letters only: it is searched as it is written)."""
    letters = "bcdfghjklmnpqrstvwxz"
    return "Qu" + "".join(letters[(n // 20**i) % 20] for i in range(3)) + "ora"


async def catch_up_trials(
    args: argparse.Namespace,
    api: FakeBotApi,
    hooks: list[str],
    db: str,
    home: Path,
    env: dict[str, str],
) -> list[tuple[int, float]]:
    """(replica, seconds from commit to its answer) per trial."""
    timings = []
    watcher = await psycopg.AsyncConnection.connect(db, autocommit=True)
    async with httpx.AsyncClient(timeout=60) as client:
        for trial in range(args.trials):
            name = word(trial)
            path = home / f"keepers-{trial}.txt"
            path.write_text(NEW_ARTICLE.format(word=name), encoding="utf-8")
            cur = await watcher.execute("SELECT value FROM meta WHERE key = 'generation'")
            row = await cur.fetchone()
            before = int(row[0]) if row else 0
            ingest = await asyncio.create_subprocess_exec(
                str(SAIDWHO),
                "ingest",
                "--db",
                db,
                str(path),
                env=env,
                cwd=home,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            while True:  # the commit, seen from another connection
                cur = await watcher.execute("SELECT value FROM meta WHERE key = 'generation'")
                row = await cur.fetchone()
                if row and int(row[0]) > before:
                    committed = time.perf_counter()
                    break
                if ingest.returncode is not None:
                    raise SystemExit(f"ingest failed: {(await ingest.communicate())[1]!r}")
                await asyncio.sleep(0.002)
            replica = trial % 2
            user = FIRST_USER - 1 - trial
            mark = api.mark()
            question = f"who said a machine does not row out to a boat at {name} Point?"
            await post(client, hooks[replica], api.text_update(question, user_id=user))
            answer = await api.wait_for(
                "sendMessage",
                after=mark,
                where=lambda c, user=user: c.chat_id == user,  # type: ignore[misc]
                timeout=30,
            )
            if f"{name}son" not in answer.plain:
                raise SystemExit(f"trial {trial}: answered without the new article: {answer.plain}")
            timings.append((replica, answer.at - committed))
            await ingest.wait()
    await watcher.close()
    return timings


async def load(
    args: argparse.Namespace, api: FakeBotApi, hooks: list[str]
) -> tuple[Counter[int], int, int, float]:
    """Post the questions alternately to the replicas; statuses, answered once, twice+, s."""
    mark = api.mark()
    updates = [
        (hooks[i % 2], api.text_update(QUESTIONS[i % len(QUESTIONS)], user_id=FIRST_USER + i))
        for i in range(args.questions)
    ]
    statuses: Counter[int] = Counter()
    queue: asyncio.Queue[tuple[str, dict[str, Any]]] = asyncio.Queue()
    for item in updates:
        queue.put_nowait(item)
    started = time.perf_counter()
    limits = httpx.Limits(max_connections=args.clients, max_keepalive_connections=args.clients)
    async with httpx.AsyncClient(limits=limits, timeout=60) as client:

        async def worker() -> None:
            while not queue.empty():
                hook, update = queue.get_nowait()
                statuses[await post(client, hook, update)] += 1

        await asyncio.gather(*(worker() for _ in range(args.clients)))
    users = {FIRST_USER + i for i in range(args.questions)}
    deadline = time.perf_counter() + 600
    while time.perf_counter() < deadline:
        answered = Counter(
            c.chat_id for c in api.calls_to("sendMessage", after=mark) if c.error_code is None
        )
        if set(answered) >= users:
            break
        await asyncio.sleep(0.5)
    took = time.perf_counter() - started
    await asyncio.sleep(2)  # a duplicate would come now
    answered = Counter(
        c.chat_id for c in api.calls_to("sendMessage", after=mark) if c.error_code is None
    )
    once = sum(1 for user in users if answered[user] == 1)
    twice = sum(1 for user in users if answered[user] > 1)
    return statuses, once, twice, took


async def bench(args: argparse.Namespace, db: str, home: Path) -> str:
    env = {
        **os.environ,
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "SAIDWHO_DENSE": os.environ.get("SAIDWHO_DENSE", "false"),
        "SAIDWHO_LOG_LEVEL": "WARNING",
    }
    done = subprocess.run(
        [str(SAIDWHO), "ingest", "--db", db, str(SAMPLE)], env=env, capture_output=True, text=True
    )
    if done.returncode:
        raise SystemExit(done.stderr)
    processes = []
    hooks = []
    async with FakeBotApi() as api:
        try:
            for _ in range(2):
                port, health_port = free_port(), free_port()
                process = await asyncio.create_subprocess_exec(
                    str(SAIDWHO),
                    "run",
                    env={
                        **env,
                        "TELEGRAM_TOKEN": TOKEN,
                        "SAIDWHO_TELEGRAM_API_URL": api.base_url,
                        "SAIDWHO_DB": db,
                        "SAIDWHO_WEBHOOK_URL": f"https://bot.example.org/hook/{port}",
                        "SAIDWHO_WEBHOOK_PORT": str(port),
                        "SAIDWHO_WEBHOOK_SECRET": SECRET,
                        "SAIDWHO_HEALTH_PORT": str(health_port),
                    },
                    cwd=home,
                )
                processes.append(process)
                hooks.append(f"http://127.0.0.1:{port}/hook/{port}")
                await wait_healthy(f"http://127.0.0.1:{health_port}/health", process)
            timings = await catch_up_trials(args, api, hooks, db, home, env)
            statuses, once, twice, took = await load(args, api, hooks)
        finally:
            for process in processes:
                if process.returncode is None:
                    process.send_signal(signal.SIGINT)
            for process in processes:
                await asyncio.wait_for(process.wait(), timeout=60)
    ms = sorted(seconds * 1000 for _, seconds in timings)
    by_replica = Counter(replica for replica, _ in timings)
    p95 = statistics.quantiles(ms, n=100, method="inclusive")[94] if len(ms) > 1 else ms[0]
    return "\n".join(
        [
            "Catch-up: `saidwho ingest` commits, a replica answers about the new article",
            f"{'trials':>6} {'replica 1/2':>11} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7}",
            f"{len(ms):>6} {by_replica[0]:>5}/{by_replica[1]:<5} {statistics.median(ms):>7.1f} "
            f"{p95:>7.1f} {ms[-1]:>7.1f}",
            "",
            "Load: questions posted alternately to the two replicas",
            f"{'questions':>9} {'clients':>7} {'HTTP 200':>8} {'answered once':>13} "
            f"{'twice+':>6} {'all answered s':>14}",
            f"{args.questions:>9} {args.clients:>7} {statuses[200]:>8} {once:>13} {twice:>6} "
            f"{took:>14.1f}",
        ]
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        if args.db:
            print(asyncio.run(bench(args, args.db, home)))
            return 0
        import pgserver  # the dev extra

        server = pgserver.get_server(home / "postgres", cleanup_mode="stop")
        try:
            with psycopg.connect(server.get_uri(), autocommit=True) as conn:
                conn.execute("CREATE DATABASE saidwho_bench")
            db = server.get_uri().replace("/postgres?", "/saidwho_bench?")
            print(asyncio.run(bench(args, db, home)))
        finally:
            server.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
