"""SIGTERM during a /reindex: how long the real `saidwho run` (Telegram, polling the fake Bot
API of tests/fakebotapi.py on 127.0.0.1) takes to exit, and whether the store is whole after.
Issue 32, row 7: with the 700 polnear-train articles it took 134 s (systemd kills at 90 s).

    SAIDWHO_SHARED=/work/shared .venv/bin/python bench/shutdown.py [--db built.db] [--after 20]

The articles ($SAIDWHO_SHARED/eval/polnear-train/articles) are ingested into a temporary
database first, with matching by meaning as `saidwho run` has it (or a copy of `--db` is used,
a database built that way before, to skip that). An admin sends /reindex; `--after` seconds
after the first article is re-read the process gets SIGTERM. Prints the seconds to exit, the
exit code, how far the re-index got, and the store's integrity check and article count. The
process runs this tree's code (`python -m bot.cli`), so the same script measures a checkout of
an older commit.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the fake server lives with the tests, in tests/

from tests.fakebotapi import TOKEN, FakeBotApi  # noqa: E402

SHARED = Path(os.environ.get("SAIDWHO_SHARED") or ROOT.parent / "shared")
ARTICLES = SHARED / "eval" / "polnear-train" / "articles"
ADMIN = 1


def _env(db: Path, home: Path, **more: str) -> dict[str, str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "SAIDWHO_DB": str(db),
        "SAIDWHO_LOG_LEVEL": "WARNING",
        "XDG_DATA_HOME": str(home / "xdg-data"),
        **more,
    }
    env.pop("TELEGRAM_TOKEN", None)
    return env | more


def _generation(db: Path) -> int:
    with sqlite3.connect(db) as con:
        row = con.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
    return int(row[0]) if row else 0


def _store(db: Path) -> tuple[str, int, int]:
    """The integrity check, the articles, and the articles without passages."""
    with sqlite3.connect(db) as con:
        check = str(con.execute("PRAGMA integrity_check").fetchone()[0])
        articles = int(con.execute("SELECT COUNT(*) FROM articles").fetchone()[0])
        empty = int(
            con.execute(
                "SELECT COUNT(*) FROM articles a WHERE NOT EXISTS "
                "(SELECT 1 FROM passages p WHERE p.article_id = a.id)"
            ).fetchone()[0]
        )
    return check, articles, empty


async def run(args: argparse.Namespace, work: Path) -> str:
    db = work / "bench.db"
    if args.db:
        shutil.copy(args.db, db)
    else:
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "bot.cli", "ingest", str(ARTICLES)],
            env=_env(db, work),
            cwd=work,
            capture_output=True,
            text=True,
            check=False,
        )
        print(f"ingested in {time.perf_counter() - started:.0f} s: {done.stderr.strip()}")
    async with FakeBotApi() as api:
        env = _env(
            db,
            work,
            TELEGRAM_TOKEN=TOKEN,
            SAIDWHO_TELEGRAM_API_URL=api.base_url,
            SAIDWHO_ADMIN_IDS=str(ADMIN),
        )
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.cli", "run", env=env, cwd=work,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        try:
            await api.reply_to("/start", user_id=ADMIN, timeout=300)  # ready to answer
            before = _generation(db)
            api.send_text("/reindex", user_id=ADMIN)
            while _generation(db) == before:
                await asyncio.sleep(0.1)
            await asyncio.sleep(args.after)
            reread = _generation(db) - before
            proc.send_signal(signal.SIGTERM)
            sent = time.perf_counter()
            _, stderr = await asyncio.wait_for(proc.communicate(), timeout=600)
            took = time.perf_counter() - sent
        finally:
            if proc.returncode is None:
                proc.kill()
    check, articles, empty = _store(db)
    total = _generation(db) - before
    return "\n".join(
        [
            f"{'articles':>8} {'re-read at SIGTERM':>18} {'re-read in all':>14} "
            f"{'exit s':>7} {'rc':>4} {'integrity':>9} {'articles after':>14} {'empty':>5}",
            f"{articles:>8} {reread:>18} {total:>14} {took:>7.1f} {proc.returncode:>4} "
            f"{check:>9} {articles:>14} {empty:>5}",
        ]
        + ([stderr.decode().strip()[-500:]] if proc.returncode else [])
    )


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument("--db", type=Path, help="a database of the articles built before (copied)")
    p.add_argument("--after", type=float, default=20, help="seconds of re-index before SIGTERM")
    args = p.parse_args(argv)
    if not args.db and not ARTICLES.is_dir():
        p.error(f"{ARTICLES} not found: set SAIDWHO_SHARED")
    with tempfile.TemporaryDirectory() as tmp:
        print(asyncio.run(run(args, Path(tmp))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
