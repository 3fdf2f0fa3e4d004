"""Crash safety: a multi-article ingest killed with SIGKILL, for real, at several points."""

import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from index.inputs import load_file
from index.library import Library
from index.reading import read
from tests.conftest import CLI

ARTICLES = 120


def _write_articles(folder: Path) -> dict[str, int]:
    """Articles of a few paragraphs each; returns source -> expected passage count."""
    folder.mkdir()
    expected = {}
    for i in range(ARTICLES):
        paragraphs = [
            f'"Station {i} will reopen in spring," said Ada Lorne{i}, the transit chief.',
            *(
                f"Paragraph {j} of report {i} covers track {j * i} and signal {j + i}."
                for j in range(12)
            ),
        ]
        path = folder / f"report-{i:03d}.txt"
        path.write_text(f"Transit report {i}\n\n" + "\n\n".join(paragraphs) + "\n")
        expected[str(path.resolve())] = len(read(load_file(path)).passages)
    return expected


def _articles_in(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return int(conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0])
    except sqlite3.OperationalError:
        return 0  # the schema is not there yet


def _assert_consistent(db: Path, expected: dict[str, int]) -> int:
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT a.source, (SELECT COUNT(*) FROM passages p WHERE p.article_id = a.id) "
            "FROM articles a"
        ).fetchall()
        orphans = conn.execute(
            "SELECT COUNT(*) FROM passages WHERE article_id NOT IN (SELECT id FROM articles)"
        ).fetchone()[0]
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert orphans == 0
    for source, passages in rows:
        assert passages == expected[source], f"half an article: {source}"
    return len(rows)


@pytest.mark.parametrize("kill_after", [1, 30, 75])
async def test_sigkill_mid_ingest_leaves_every_article_whole_or_absent(
    cli: CLI, tmp_path: Path, kill_after: int
) -> None:
    expected = _write_articles(tmp_path / "reports")
    db = tmp_path / "crash.db"
    proc = subprocess.Popen(
        [*cli.command, "ingest", "--db", str(db), str(tmp_path / "reports")],
        env=cli.env,
        cwd=cli.cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while _articles_in(db) < kill_after and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    stored = _assert_consistent(db, expected)
    assert kill_after <= stored < ARTICLES, "the kill did not land mid-ingest"

    async with await Library.open(db) as library:  # the next start: index agrees with store
        counts = await library.store.counts()
        assert library.passages_indexed == counts["passages"]
        answer = await library.ask("Station reopen spring Lorne0")
        assert answer.results and answer.speaker == "Ada Lorne0"

    rerun = cli("ingest", "--db", str(db), str(tmp_path / "reports"))
    assert rerun.returncode == 0
    assert f"{ARTICLES - stored} added, {stored} unchanged, 0 failed" in rerun.stderr
    assert _assert_consistent(db, expected) == ARTICLES
