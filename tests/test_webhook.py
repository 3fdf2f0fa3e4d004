"""Webhook mode (issue 29, item 3): a real `saidwho run` process with SAIDWHO_WEBHOOK_URL runs
PTB's webhook server on 127.0.0.1; updates are posted to it over real HTTP, as Telegram would,
and its replies go to the fake Bot API."""

from __future__ import annotations

import asyncio
import json
import signal
import socket
import subprocess
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.conftest import CLI
from tests.fakebotapi import TOKEN, FakeBotApi

SECRET = "s3cret-token_for-tests"
QUESTION = "who said Russians intervened directly?"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Running:
    api: FakeBotApi
    hook: str  # where updates are posted
    health: str
    process: asyncio.subprocess.Process


async def wait_healthy(url: str, process: asyncio.subprocess.Process) -> httpx.Response:
    async with httpx.AsyncClient() as client:
        for _ in range(300):
            if process.returncode is not None:
                raise AssertionError("saidwho run exited before it was healthy")
            try:
                response = await client.get(url)
                if response.status_code == 200:
                    return response
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise AssertionError(f"{url} never answered 200")


@pytest.fixture
async def running(cli: CLI) -> AsyncIterator[Running]:
    port, health_port = free_port(), free_port()
    async with FakeBotApi() as api:
        env = {
            **cli.env,
            "TELEGRAM_TOKEN": TOKEN,
            "SAIDWHO_TELEGRAM_API_URL": api.base_url,
            "SAIDWHO_WEBHOOK_URL": f"https://bot.example.org/hook/{port}",
            "SAIDWHO_WEBHOOK_LISTEN": "127.0.0.1",
            "SAIDWHO_WEBHOOK_PORT": str(port),
            "SAIDWHO_WEBHOOK_SECRET": SECRET,
            "SAIDWHO_HEALTH_PORT": str(health_port),
            "SAIDWHO_LOG_LEVEL": "INFO",
        }
        process = await asyncio.create_subprocess_exec(
            *cli.command, "run", env=env, cwd=cli.cwd, stderr=subprocess.PIPE
        )
        health = f"http://127.0.0.1:{health_port}/health"
        try:
            await wait_healthy(health, process)
            yield Running(api, f"http://127.0.0.1:{port}/hook/{port}", health, process)
        finally:
            if process.returncode is None:
                process.send_signal(signal.SIGINT)
            _, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
            assert process.returncode == 0, stderr.decode()
            assert TOKEN not in stderr.decode() and SECRET not in stderr.decode()


async def post(running: Running, update: dict[str, object], secret: str | None) -> int:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    async with httpx.AsyncClient() as client:
        response = await client.post(running.hook, content=json.dumps(update), headers=headers)
    return response.status_code


async def test_the_webhook_is_set_with_its_secret(running: Running) -> None:
    [hook] = running.api.calls_to("setWebhook")
    assert hook.params["url"].startswith("https://bot.example.org/hook/")
    assert hook.params["secret_token"] == SECRET
    assert running.api.polls == 0  # no getUpdates in webhook mode


async def test_an_update_posted_with_the_secret_is_answered(running: Running) -> None:
    api = running.api
    mark = api.mark()

    status = await post(running, api.text_update(QUESTION, user_id=42), SECRET)

    assert status == 200
    reply = await api.wait_for("sendMessage", after=mark, where=lambda c: c.chat_id == 42)
    assert "Naji Mustafa" in reply.plain


@pytest.mark.parametrize("secret", [None, "wrong-secret", ""], ids=["missing", "wrong", "empty"])
async def test_an_update_without_the_right_secret_is_refused(
    running: Running, secret: str | None
) -> None:
    api = running.api
    mark = api.mark()

    status = await post(running, api.text_update(QUESTION, user_id=43), secret)

    assert status == 403
    await asyncio.sleep(0.5)  # what a handled update would have sent by now
    assert api.sent_to(43, after=mark) == []


async def test_the_health_endpoint_says_what_the_bot_holds(running: Running) -> None:
    async with httpx.AsyncClient() as client:
        response = await client.get(running.health)
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "articles": 1}


def test_a_webhook_without_a_secret_is_a_setting_error(cli: CLI, tmp_path: Path) -> None:
    cli.env.update(TELEGRAM_TOKEN=TOKEN, SAIDWHO_WEBHOOK_URL="https://bot.example.org/hook")
    done = cli("run", "--db", str(tmp_path / "c.db"), timeout=60)
    assert done.returncode != 0
    assert "SAIDWHO_WEBHOOK_SECRET: required with SAIDWHO_WEBHOOK_URL" in done.stderr
