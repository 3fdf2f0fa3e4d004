"""Webhook mode under load: a real `saidwho run` process with SAIDWHO_WEBHOOK_URL, updates
posted to its webhook server over HTTP on 127.0.0.1 by concurrent clients, replies going to
the fake Bot API (tests/fakebotapi.py).

    .venv/bin/python bench/webhook.py [--updates 1000] [--clients 50] [--refused 100]

Each update is a question from a user of its own (so no user's rate limit skips any); every
one must be answered exactly once. Then `--refused` posts with a wrong or missing secret token
(half each) must all get 403 and none be answered. Replies are paced by the bot's rate
limiter (Telegram's 30 messages a second, and each answer costs two: "typing" and the answer),
so the time to answer everything is bounded below by that, not by the server.
"""

from __future__ import annotations

import argparse
import asyncio
import json
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

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the fake server lives with the tests, in tests/

from tests.fakebotapi import TOKEN, FakeBotApi  # noqa: E402

SECRET = "bench-secret"
QUESTIONS = [
    "who said Russians intervened directly?",
    "who said Russia failed?",
    "what did Mustafa say about the special forces?",
    "/articles",
    "/start",
]
FIRST_USER = 100_000


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument("--updates", type=int, default=1000)
    p.add_argument("--clients", type=int, default=50, help="concurrent HTTP clients")
    p.add_argument("--refused", type=int, default=100, help="posts without the right secret")
    return p.parse_args(argv)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def post_all(
    hook: str, updates: list[tuple[dict[str, object], str | None]], clients: int
) -> tuple[Counter[int], list[float]]:
    """Post every update, `clients` at a time; the status codes, and each post's seconds."""
    statuses: Counter[int] = Counter()
    seconds: list[float] = []
    queue: asyncio.Queue[tuple[dict[str, object], str | None]] = asyncio.Queue()
    for item in updates:
        queue.put_nowait(item)
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(limits=limits, timeout=60) as client:

        async def worker() -> None:
            while not queue.empty():
                update, secret = queue.get_nowait()
                headers = {"Content-Type": "application/json"}
                if secret is not None:
                    headers["X-Telegram-Bot-Api-Secret-Token"] = secret
                started = time.perf_counter()
                response = await client.post(hook, content=json.dumps(update), headers=headers)
                seconds.append(time.perf_counter() - started)
                statuses[response.status_code] += 1

        await asyncio.gather(*(worker() for _ in range(clients)))
    return statuses, seconds


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


async def bench(args: argparse.Namespace, home: Path) -> str:
    port, health_port = free_port(), free_port()
    script = Path(sys.executable).parent / "saidwho"
    async with FakeBotApi() as api:
        env = {
            **os.environ,
            "TELEGRAM_TOKEN": TOKEN,
            "SAIDWHO_TELEGRAM_API_URL": api.base_url,
            "SAIDWHO_WEBHOOK_URL": f"https://bot.example.org/hook/{port}",
            "SAIDWHO_WEBHOOK_PORT": str(port),
            "SAIDWHO_WEBHOOK_SECRET": SECRET,
            "SAIDWHO_HEALTH_PORT": str(health_port),
            # XDG_DATA_HOME: the default database, which `run` seeds with the sample article.
            "XDG_DATA_HOME": str(home / "data"),
            "SAIDWHO_DENSE": os.environ.get("SAIDWHO_DENSE", "false"),
            "SAIDWHO_LOG_LEVEL": "WARNING",
        }
        env.pop("SAIDWHO_DB", None)
        process = await asyncio.create_subprocess_exec(
            str(script), "run", env=env, cwd=home, stderr=subprocess.PIPE
        )
        try:
            await wait_healthy(f"http://127.0.0.1:{health_port}/health", process)
            hook = f"http://127.0.0.1:{port}/hook/{port}"
            mark = api.mark()
            good = [
                (api.text_update(QUESTIONS[i % len(QUESTIONS)], user_id=FIRST_USER + i), SECRET)
                for i in range(args.updates)
            ]
            started = time.perf_counter()
            statuses, seconds = await post_all(hook, good, args.clients)
            posted = time.perf_counter() - started
            users = {FIRST_USER + i for i in range(args.updates)}
            deadline = time.perf_counter() + 600
            while time.perf_counter() < deadline:
                answered = Counter(
                    c.chat_id
                    for c in api.calls_to("sendMessage", after=mark)
                    if c.error_code is None
                )
                if set(answered) >= users:
                    break
                await asyncio.sleep(0.5)
            answered_in = time.perf_counter() - started
            await asyncio.sleep(2)  # a duplicate would come now
            answered = Counter(
                c.chat_id for c in api.calls_to("sendMessage", after=mark) if c.error_code is None
            )
            once = sum(1 for user in users if answered[user] == 1)
            twice = sum(1 for user in users if answered[user] > 1)

            bad_mark = api.mark()
            first_bad = FIRST_USER + args.updates
            bad = [
                (
                    api.text_update(QUESTIONS[0], user_id=first_bad + i),
                    None if i % 2 else "not-the-secret",
                )
                for i in range(args.refused)
            ]
            bad_statuses, _ = await post_all(hook, bad, args.clients)
            await asyncio.sleep(2)
            handled = [
                c
                for c in api.calls_to("sendMessage", after=bad_mark)
                if (c.chat_id or 0) >= first_bad
            ]
        finally:
            process.send_signal(signal.SIGINT)
            _, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
    ms = sorted(s * 1000 for s in seconds)
    p50 = statistics.median(ms)
    p95 = statistics.quantiles(ms, n=100, method="inclusive")[94]
    lines = [
        f"{'updates':>7} {'clients':>7} {'HTTP 200':>8} {'post p50 ms':>11} {'post p95 ms':>11} "
        f"{'posted s':>8} {'answered once':>13} {'twice+':>6} {'all answered s':>14}",
        f"{args.updates:>7} {args.clients:>7} {statuses[200]:>8} {p50:>11.1f} {p95:>11.1f} "
        f"{posted:>8.1f} {once:>13} {twice:>6} {answered_in:>14.1f}",
        "",
        f"{'wrong or missing secret':>23} {'HTTP 403':>8} {'handled':>7}",
        f"{args.refused:>23} {bad_statuses[403]:>8} {len(handled):>7}",
    ]
    if process.returncode != 0:
        lines.append(f"saidwho run exited {process.returncode}: {stderr.decode()[-2000:]}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        print(asyncio.run(bench(args, Path(tmp))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
