"""Issue 32, row 7: SIGTERM during long work. A re-index of 700 articles took 134 s to stop
(systemd kills at 90 s). Now the real process, sent SIGTERM mid-way, exits within 10 s, and the
store holds every article whole: each re-read one with all of its new reading, the others as
they were."""

from __future__ import annotations

import asyncio
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from index.articles import parse_article
from index.library import READING_VERSION, READING_VERSION_KEY
from index.models import ParsedArticle, Passage
from index.store import Store
from tests.conftest import CLI
from tests.fakebotapi import TOKEN, FakeBotApi

ARTICLES = 400
PARAGRAPHS = 60
EXIT_WITHIN = 10.0  # seconds from SIGTERM to the process gone


def article_text(n: int) -> str:
    lines = [f"Harbour hearing number {n}", "March 3, 2021"]
    for p in range(PARAGRAPHS):
        lines.append(
            f'"Section {p} of the dredging plan will cost the town {n + p} thousand pounds more '
            f'than it saves," said Mariana Okafor, the harbour master, on day {p} of hearing {n}.'
        )
    return "\n\n".join(lines) + "\n"


async def _store_of_unread_articles(db: Path) -> None:
    """ARTICLES articles stored as their bare paragraphs, without attributions: quick to make,
    and a re-index (which reads each for its attributions) has real work to do on each."""
    store = await Store.open(db)
    try:
        for n in range(ARTICLES):
            article = parse_article(article_text(n), source=f"hearings/{n}.txt")
            paragraphs = article.text.split("\n\n")[2:]  # after the title and date
            passages = [Passage(ordinal=i, paragraph=i, text=t) for i, t in enumerate(paragraphs)]
            await store.save(ParsedArticle(article=article, passages=passages))
        # Read by this saidwho, as far as it knows: not read again at start, only by a reindex.
        await store.set_meta(READING_VERSION_KEY, READING_VERSION)
    finally:
        await store.close()


def _read_again(db: Path) -> int:
    """How many articles were re-read (they have attributions now); asserting that every
    article is whole: all its passages, and all or none of its attributions."""
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        rows = con.execute(
            "SELECT a.id, COUNT(DISTINCT p.id), COUNT(t.id) FROM articles a "
            "LEFT JOIN passages p ON p.article_id = a.id "
            "LEFT JOIN attributions t ON t.passage_id = p.id GROUP BY a.id"
        ).fetchall()
    assert len(rows) == ARTICLES
    assert {passages for _, passages, _ in rows} == {PARAGRAPHS}
    assert {quotes for _, _, quotes in rows} <= {0, PARAGRAPHS}
    return sum(quotes > 0 for _, _, quotes in rows)


def _generation(db: Path) -> int:
    with sqlite3.connect(db) as con:
        row = con.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
    return int(row[0]) if row else 0


async def _stop(proc: asyncio.subprocess.Process) -> tuple[float, bytes, bytes]:
    """SIGTERM, then the seconds until the process is gone, its stdout and its stderr."""
    proc.send_signal(signal.SIGTERM)
    sent = time.monotonic()
    try:
        stdout, stderr = await asyncio.wait_for(proc.communicate(), timeout=120)
    finally:
        if proc.returncode is None:
            proc.kill()
    return time.monotonic() - sent, stdout or b"", stderr


async def _once_started(db: Path, proc: asyncio.subprocess.Process, at: int) -> None:
    """Until the re-index has saved a few articles."""
    async with asyncio.timeout(120):
        while _generation(db) < at:
            assert proc.returncode is None, "the process ended before it was stopped"
            await asyncio.sleep(0.1)


async def test_sigterm_stops_saidwho_reindex_within_seconds_and_loses_nothing(
    cli: CLI, tmp_path: Path
) -> None:
    db = tmp_path / "c.db"
    await _store_of_unread_articles(db)
    proc = await asyncio.create_subprocess_exec(
        *cli.command,
        "reindex",
        "--db",
        str(db),
        env=cli.env,
        cwd=cli.cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    await _once_started(db, proc, ARTICLES + 3)
    took, _, stderr = await _stop(proc)

    assert took < EXIT_WITHIN, f"exited {took:.1f} s after SIGTERM"
    assert proc.returncode == 130 and "stopped" in stderr.decode(), stderr.decode()
    assert 3 <= _read_again(db) < ARTICLES


@pytest.mark.parametrize("adapter", ["telegram", "console"])
async def test_sigterm_stops_saidwho_run_during_reindex_within_seconds(
    cli: CLI, tmp_path: Path, adapter: str
) -> None:
    db = tmp_path / "c.db"
    await _store_of_unread_articles(db)
    async with FakeBotApi() as api:
        env = {**cli.env, "SAIDWHO_DB": str(db), "SAIDWHO_ADMIN_IDS": "1"}
        if adapter == "telegram":
            env |= {"TELEGRAM_TOKEN": TOKEN, "SAIDWHO_TELEGRAM_API_URL": api.base_url}
            args, stdin = ["run"], subprocess.DEVNULL
        else:
            args, stdin = ["console", "--admin"], subprocess.PIPE
        proc = await asyncio.create_subprocess_exec(
            *cli.command,
            *args,
            env=env,
            cwd=cli.cwd,
            stdin=stdin,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        mark = 0
        if proc.stdin is not None:
            proc.stdin.write(b"/reindex\n")  # left open: the console reads on
            await proc.stdin.drain()
        else:
            mark = api.send_text("/reindex", user_id=1)
        await _once_started(db, proc, ARTICLES + 3)
        took, stdout, stderr = await _stop(proc)
        if adapter == "telegram":
            said = [c.plain for c in api.sent_to(1, after=mark)]
        else:
            said = stdout.decode().splitlines()

    assert took < EXIT_WITHIN, f"exited {took:.1f} s after SIGTERM"
    assert proc.returncode == 0, stderr.decode()
    assert any(line.startswith("Re-indexing stopped") for line in said), said
    assert 3 <= _read_again(db) < ARTICLES
