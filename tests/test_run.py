"""`saidwho run` with a token: the real process polls a Bot API server (the fake one here, via
SAIDWHO_TELEGRAM_API_URL), answers, and stops cleanly on SIGINT."""

import asyncio
import signal
import subprocess
from pathlib import Path

from tests.conftest import CLI
from tests.fakebotapi import TOKEN, FakeBotApi


async def test_run_with_a_token_answers_on_telegram_and_stops_on_sigint(
    cli: CLI, tmp_path: Path
) -> None:
    async with FakeBotApi() as api:
        env = {
            **cli.env,
            "TELEGRAM_TOKEN": TOKEN,
            "SAIDWHO_TELEGRAM_API_URL": api.base_url,
            "SAIDWHO_LOG_LEVEL": "INFO",
        }
        proc = await asyncio.create_subprocess_exec(
            *cli.command,
            "run",  # the default database, which the sample goes into
            env=env,
            cwd=cli.cwd,
            stderr=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
        )
        try:
            reply = await api.reply_to(
                "who said Russians intervened directly?", user_id=42, timeout=30
            )
            assert "Naji Mustafa" in reply.plain and "told Reuters" in reply.plain
        finally:
            proc.send_signal(signal.SIGINT)
            _, stderr = await asyncio.wait_for(proc.communicate(), timeout=30)
        assert proc.returncode == 0, stderr.decode()
        assert TOKEN not in stderr.decode()  # the token never reaches the logs
