"""Replicas (issue 30, item 2): two real `saidwho run` processes in webhook mode on one
PostgreSQL database, as behind a load balancer. What the chat keeps (More pages, follows) is in
the store, so either replica serves a button the other sent; a change made by a third process
(`saidwho ingest`) reaches a replica's index through LISTEN/NOTIFY, before anyone asks it."""

from __future__ import annotations

import asyncio
import signal
import subprocess
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.follow import Delivery, tell_followers
from index.library import Library
from tests.conftest import CLI, SAMPLE, fresh_database
from tests.fakebotapi import TOKEN, Call, FakeBotApi
from tests.test_follow import LIGHTHOUSE
from tests.test_webhook import SECRET, free_port, wait_healthy

QUESTION = "who said Russians intervened directly?"


@dataclass
class Replica:
    hook: str
    process: asyncio.subprocess.Process
    log: list[str] = field(default_factory=list)  # its stderr, line by line, as it comes


@dataclass
class Replicas:
    api: FakeBotApi
    db: str
    cli: CLI
    one: Replica
    two: Replica

    async def post(self, replica: Replica, update: dict[str, Any]) -> None:
        headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
        async with httpx.AsyncClient() as client:
            response = await client.post(replica.hook, json=update, headers=headers)
        assert response.status_code == 200

    async def ask(self, replica: Replica, text: str, user_id: int) -> Call:
        """`text` from `user_id`, posted to `replica`; the reply it sends."""
        mark = self.api.mark()
        await self.post(replica, self.api.text_update(text, user_id=user_id))
        return await self.api.wait_for(
            "sendMessage", after=mark, where=lambda c: c.chat_id == user_id, timeout=30
        )


async def _read_log(replica: Replica) -> None:
    assert replica.process.stderr is not None
    while line := await replica.process.stderr.readline():
        replica.log.append(line.decode(errors="replace"))


@pytest.fixture
async def replicas(cli: CLI, postgres_server: str) -> AsyncIterator[Replicas]:
    db = fresh_database(postgres_server)
    done = await asyncio.to_thread(cli, "ingest", "--db", db, str(SAMPLE))
    assert done.returncode == 0, done.stderr
    async with FakeBotApi() as api:
        started: list[Replica] = []
        readers = []
        try:
            for _ in range(2):
                port, health_port = free_port(), free_port()
                env = {
                    **cli.env,
                    "TELEGRAM_TOKEN": TOKEN,
                    "SAIDWHO_TELEGRAM_API_URL": api.base_url,
                    "SAIDWHO_DB": db,
                    "SAIDWHO_RESULTS": "1",  # a More button under the first answer
                    "SAIDWHO_WEBHOOK_URL": f"https://bot.example.org/hook/{port}",
                    "SAIDWHO_WEBHOOK_PORT": str(port),
                    "SAIDWHO_WEBHOOK_SECRET": SECRET,
                    "SAIDWHO_HEALTH_PORT": str(health_port),
                    "SAIDWHO_LOG_LEVEL": "DEBUG",
                }
                process = await asyncio.create_subprocess_exec(
                    *cli.command, "run", env=env, cwd=cli.cwd, stderr=subprocess.PIPE
                )
                replica = Replica(f"http://127.0.0.1:{port}/hook/{port}", process)
                started.append(replica)
                readers.append(asyncio.create_task(_read_log(replica)))
                await wait_healthy(f"http://127.0.0.1:{health_port}/health", process)
            yield Replicas(api, db, cli, *started)
        finally:
            for replica in started:
                if replica.process.returncode is None:
                    replica.process.send_signal(signal.SIGINT)
            for replica in started:
                await asyncio.wait_for(replica.process.wait(), timeout=30)
            await asyncio.gather(*readers)


async def test_more_pressed_on_the_other_replica_shows_the_next_page(
    replicas: Replicas,
) -> None:
    first = await replicas.ask(replicas.one, QUESTION, user_id=501)
    [more] = [data for label, data in first.buttons if "More" in label]
    mark = replicas.api.mark()
    await replicas.post(replicas.two, replicas.api.press_update(first, more, user_id=501))
    page = await replicas.api.wait_for(
        "sendMessage", after=mark, where=lambda c: c.chat_id == 501, timeout=30
    )
    assert "expired" not in page.plain
    assert page.plain != first.plain and "Mustafa" in page.plain


async def test_a_follow_made_on_one_replica_is_listed_by_the_other(replicas: Replicas) -> None:
    followed = await replicas.ask(replicas.one, "/follow Mustafa", user_id=502)
    assert "Following" in followed.plain
    listed = await replicas.ask(replicas.two, "/following", user_id=502)
    assert "Naji Mustafa" in listed.plain


async def test_an_article_ingested_elsewhere_is_caught_up_before_anyone_asks(
    replicas: Replicas, articles_dir: Path
) -> None:
    before = len(replicas.two.log)
    harbour = str(articles_dir / "harbour.txt")
    done = await asyncio.to_thread(replicas.cli, "ingest", "--db", replicas.db, harbour)
    assert done.returncode == 0, done.stderr
    async with asyncio.timeout(10):  # woken by NOTIFY: no question has come to it
        while not any("caught up from generation" in line for line in replicas.two.log[before:]):
            await asyncio.sleep(0.05)
    answer = await replicas.ask(replicas.two, "who said it is a lot of money for mud?", 503)
    assert "Peter Vance" in answer.plain


async def test_a_new_quote_found_by_two_replicas_is_told_once(db: str, tmp_path: Path) -> None:
    """Both replicas look for news on the same store: the one that records a quote as told
    sends it, the other leaves it (on each engine; two processes on PostgreSQL)."""
    sent: list[tuple[int, str]] = []

    async def send(chat_id: int, text: str) -> Delivery:
        sent.append((chat_id, text))
        return Delivery.SENT

    article = tmp_path / "lighthouse.txt"
    article.write_text(LIGHTHOUSE, encoding="utf-8")
    async with await Library.open(db) as one, await Library.open(db) as two:
        await one.follow(7, "Ingrid Halvorsen")
        await tell_followers(one, send)  # the first round only starts counting
        await one.add_file(article)
        told = await asyncio.gather(tell_followers(one, send), tell_followers(two, send))
    assert sorted(told) == [0, 1]
    assert [chat for chat, _ in sent] == [7]
    assert "A lamp that nobody tends" in sent[0][1]
