"""Fixtures that build real things: article files on disk, real SQLite databases, and a real
PostgreSQL server (pgserver's, one per session) with a fresh database for each test."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.parse
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from index.library import Library
from index.ranking import Weights
from tests.fakebotapi import FakeBotApi

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "index" / "sample" / "russian-soldiers-idlib-2019-07-18.txt"

# Articles written for the tests: a dated one with a surname-only and a pronoun mention, and an
# undated one whose date comes from its file name.
HARBOUR = """Harbour dredging plan splits port town council

March 3, 2021

The council of Port Elwyn voted on Tuesday to dredge the old harbour, ending a decade of delay.

"We cannot let the silt decide the future of this town," said Mariana Okafor, the harbour master.

Okafor said the dredging would let fishing boats land catches at low tide again.

Opponents worry about the cost. "It is a lot of money for a little mud," councillor Peter Vance
told the Elwyn Gazette.
"""

ORCHARD = """Orchard growers count losses after late frost

Growers in the valley lost most of their apricot blossom to a frost in the second week of April.

"Nobody alive remembers a frost this late," said Tomas Lindqvist, who farms forty hectares.

He said insurance would cover less than half of the damage.
"""


@pytest.fixture
def articles_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "harbour.txt").write_text(HARBOUR, encoding="utf-8")
    (folder / "orchard-2022-04-20.txt").write_text(ORCHARD, encoding="utf-8")
    return folder


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "saidwho.db"


@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A PostgreSQL 16 server for the session, in a temp dir, on a unix socket: the URI of its
    `postgres` database (pgserver ships the server in its wheel, so `make test` needs no
    system package)."""
    import pgserver

    server = pgserver.get_server(tmp_path_factory.mktemp("postgres"), cleanup_mode="stop")
    try:
        yield server.get_uri()
    finally:
        server.cleanup()


def fresh_database(server: str) -> str:
    """The URI of a new, empty database on `server`."""
    import psycopg

    name = f"saidwho_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return urllib.parse.urlsplit(server)._replace(path=f"/{name}").geturl()


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A store to test on each engine: a new SQLite file's path, or a new PostgreSQL database's
    URI (its saved search index in the test's own cache folder)."""
    if request.param == "sqlite":
        return str(tmp_path / "data" / "saidwho.db")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return fresh_database(request.getfixturevalue("postgres_server"))


@pytest.fixture
async def library(db_path: Path) -> AsyncIterator[Library]:
    """A real database holding the bundled sample article."""
    async with await Library.open(db_path) as lib:
        await lib.seed_sample()
        yield lib


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    """The fake Bot API on 127.0.0.1, for the Telegram adapter's tests."""
    async with FakeBotApi() as server:
        yield server


class CLI:
    """The installed `saidwho` command, run in a subprocess from an empty folder (so no `.env`
    of the developer's is read) with the user data directory inside the test's temp dir."""

    def __init__(self, cwd: Path) -> None:
        self.cwd = cwd
        script = Path(sys.executable).parent / "saidwho"
        self.command = [str(script)] if script.exists() else [sys.executable, "-m", "bot.cli"]
        self.env = {
            **os.environ,
            "SAIDWHO_LOG_LEVEL": "WARNING",
            # The dense extra, where installed, is tested in test_meaning.py; here its model
            # would only slow every command down.
            "SAIDWHO_DENSE": "false",
            "XDG_DATA_HOME": str(cwd / "xdg-data"),
            "XDG_CACHE_HOME": str(cwd / "xdg-cache"),
        }
        self.env.pop("TELEGRAM_TOKEN", None)
        self.env.pop("SAIDWHO_DB", None)
        self.prefix: list[str] = []  # a command the CLI runs under (see test_store_faults.py)

    def __call__(
        self, *args: str, stdin: str | None = None, timeout: float = 120
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*self.prefix, *self.command, *args],
            input=stdin,
            capture_output=True,
            text=True,
            timeout=timeout,
            env=self.env,
            cwd=self.cwd,
        )


@pytest.fixture
def cli(tmp_path: Path) -> CLI:
    home = tmp_path / "cwd"
    home.mkdir()
    return CLI(home)


@pytest.fixture(scope="session")
def web() -> Iterator[str]:
    """Base URL of a real HTTP server on 127.0.0.1 (see tests/webserver.py)."""
    from tests.webserver import serve

    with serve() as url:
        yield url


# A weighing in which every signal counts for its answer (the values set by hand before the
# weights were fitted) and nothing is set aside: tests of a signal use it to check that the
# signal is there and points the right way, whatever weight the fitted model gives it.
_SIGNALS = {
    "passage": 1.0,
    "article": 0.4,
    "meaning": 1.5,
    "lead_in": 0.2,
    "lead_in_meaning": 0.3,
    "same_speaker_lead_in": 0.5,
    "same_speaker_lead_in_meaning": 0.75,
    "attributed": 0.35,
    "direct": 0.3,
    "named": 1.0,
    "answer_type": 0.3,
    "phrases": 0.25,
    "coverage": 1.0,
}
WEIGHTS = Weights(
    ranking={
        "words": _SIGNALS,
        "who": {k: v for k, v in _SIGNALS.items() if "lead_in_" not in k and k != "direct"},
        "factual": {
            k: _SIGNALS[k]
            for k in ("passage", "article", "meaning", "answer_type", "phrases", "coverage")
        },
    }
)
