"""What a reply shows is what the answer says: the attribution each result is answered with is
chosen once, in the core, from the question as read (typos respelt, the speaker meant by name
or role), and every adapter shows that one."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.render import plain
from bot.render import result as rendered_result
from bot.settings import Settings
from bot.telegram import build_application, polling
from index.library import Library
from tests.conftest import CLI, SAMPLE
from tests.fakebotapi import TOKEN, FakeBotApi

TWO_QUOTES = """Repairs for the old crossing

"The bridge is safe," said Ann Lee, the mayor. "The tunnel is safe," said Tom Berg, an engineer.

The city council will vote on the repairs next week, after a long debate about the budget.
"""
TYPO = "who said the tunnle is safe?"


@pytest.fixture
async def crossing(tmp_path: Path) -> AsyncIterator[Library]:
    (tmp_path / "crossing.txt").write_text(TWO_QUOTES)
    async with await Library.open(tmp_path / "crossing.db") as library:
        await library.seed_sample()
        await library.add_file(tmp_path / "crossing.txt")
        yield library


def _speaker_lines(text: str) -> list[str]:
    return re.findall(r"^— (.+)$", text, flags=re.M)


async def test_the_answer_carries_the_attribution_of_the_speaker_read(crossing: Library) -> None:
    answer = await crossing.ask(TYPO)
    assert answer.respelt == {"tunnle": "tunnel"}
    assert answer.speaker == "Tom Berg"
    top = answer.results[0]
    assert top.attribution is not None and top.attribution.speaker == "Tom Berg"
    assert {a.speaker for a in top.attributions} == {"Ann Lee", "Tom Berg"}
    shown = plain(rendered_result(top))
    assert _speaker_lines(shown)[0].startswith("Tom Berg")
    assert "Ann Lee" not in _speaker_lines(shown)[0]


def test_the_console_shows_the_answers_speaker(cli: CLI, tmp_path: Path) -> None:
    (tmp_path / "crossing.txt").write_text(TWO_QUOTES)
    db = str(tmp_path / "c.db")
    script = f"/add {tmp_path / 'crossing.txt'}\n{TYPO}\n"
    shown = cli("console", "--admin", "--db", db, stdin=script)
    assert shown.returncode == 0, shown.stderr
    asked = cli("ask", "--db", db, "--json", stdin=TYPO + "\n")
    answer = json.loads(asked.stdout)
    assert answer["speaker"] == "Tom Berg"
    reply = shown.stdout.split(TYPO)[-1] if TYPO in shown.stdout else shown.stdout
    assert "Read “tunnle” as “tunnel”" in reply
    assert _speaker_lines(reply)[0].startswith(answer["speaker"])
    assert "The tunnel is safe" in reply


async def test_telegram_shows_the_answers_speaker(crossing: Library) -> None:
    settings = Settings(TELEGRAM_TOKEN=TOKEN, admin_ids=[1], _env_file=None)
    answer = await crossing.ask(TYPO, k=settings.results * 4)
    async with FakeBotApi() as api:
        app = build_application(
            crossing, settings, base_url=api.base_url, base_file_url=api.base_file_url
        )
        async with polling(app):
            reply = await api.reply_to(TYPO, user_id=2)
    assert answer.speaker == "Tom Berg"
    assert _speaker_lines(reply.plain)[0].startswith(answer.speaker)
    assert "<u>The tunnel is safe,</u>" in reply.text or "<u>The tunnel is safe" in reply.text


def test_ask_json_has_attributions_at_each_results_own_level(cli: CLI, tmp_path: Path) -> None:
    (tmp_path / "crossing.txt").write_text(TWO_QUOTES)
    db = str(tmp_path / "c.db")
    assert cli("ingest", "--db", db, str(SAMPLE), str(tmp_path / "crossing.txt")).returncode == 0
    asked = cli("ask", "--db", db, "--json", stdin="who said the bridge is safe?\n")
    [result, *_] = json.loads(asked.stdout)["results"]
    fields = {"speaker", "mention", "role", "addressee", "cue", "quote"}
    assert result["attributions"] and all(fields <= set(a) for a in result["attributions"])
    assert result["attributions"] == result["passage"]["attributions"]
    assert result["attribution"]["speaker"] == "Ann Lee"
