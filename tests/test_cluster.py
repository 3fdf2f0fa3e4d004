"""Ingest on a real local Dask cluster (index/cluster.py): worker processes read and embed,
this process stores; a worker killed mid-way loses nothing and half-writes nothing."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
from pathlib import Path
from typing import Any

import dask
import numpy as np
import pytest
from distributed import Client, WorkerPlugin

from index import cluster
from index.errors import ArticleError
from index.library import Library
from index.meaning import from_blob, installed_embedder, passage_text
from index.models import IngestResult
from tests.conftest import CLI

# Each a distinct article with its own speaker, so every one can be asked for.
TOWNS = ["Brackwater", "Fenmoor", "Ashcombe", "Kettleby", "Wrenfield", "Oxhallow"]


def town_article(town: str) -> str:
    return (
        f"{town} opens a new library after ten years of fundraising\n\n"
        f"The town of {town} opened its new public library on Saturday.\n\n"
        f'"Every child in {town} deserves a room full of books," said Alma {town}son, '
        "the head librarian.\n\n"
        f"The building cost four million pounds, most of it raised by residents of {town}.\n"
    )


@pytest.fixture
def towns(tmp_path: Path) -> Path:
    folder = tmp_path / "towns"
    folder.mkdir()
    for town in TOWNS:
        (folder / f"{town.lower()}.txt").write_text(town_article(town), encoding="utf-8")
    return folder


def test_ingest_on_two_workers_is_answered(cli: CLI, tmp_path: Path, towns: Path) -> None:
    db = str(tmp_path / "c.db")
    (towns / "empty.txt").write_text("")
    done = cli("ingest", "--db", db, "--workers", "2", str(towns), timeout=300)
    assert done.returncode == 1, done.stderr  # the empty file failed, by name
    assert f"{len(TOWNS)} added, 0 unchanged, 1 failed" in done.stderr
    assert "empty.txt: the file is empty" in done.stderr
    assert "distributed" not in done.stderr  # no lines of Dask's own
    for town in TOWNS:
        asked = cli("ask", "--db", db, "--json", f"who said every child in {town} deserves books")
        answer = json.loads(asked.stdout)
        assert answer["speaker"] == f"Alma {town}son", town
    again = cli("ingest", "--db", db, "--workers", "2", str(towns / "fenmoor.txt"), timeout=300)
    assert "0 added, 1 unchanged, 0 failed" in again.stderr


@pytest.mark.parametrize("flags", [["--workers", "0"], ["--workers", "two"]])
def test_a_bad_worker_count_is_refused_by_name(cli: CLI, towns: Path, flags: list[str]) -> None:
    done = cli("ingest", *flags, str(towns))
    assert done.returncode == 2
    assert "--workers" in done.stderr


class Killer(WorkerPlugin):
    """Kills its own worker process (SIGKILL: no goodbye to the scheduler) as the task for
    input number `victim` starts, the first time only when `once` (a marker file says a
    worker already died for it)."""

    name = "test-killer"

    def __init__(self, victim: int, marker: Path, *, once: bool) -> None:
        self.prefix = f"saidwho-read-{victim}-"
        self.marker = marker
        self.once = once

    def transition(self, key: Any, start: str, finish: str, **kwargs: Any) -> None:
        if finish != "executing" or not str(key).startswith(self.prefix):
            return
        if self.once:
            try:
                os.close(os.open(self.marker, os.O_CREAT | os.O_EXCL))
            except FileExistsError:
                return  # died for it once already: this time it is read
        os.kill(os.getpid(), signal.SIGKILL)


async def ingest_with_killer(
    db: Path, folder: Path, *, once: bool, tmp_path: Path
) -> dict[str, IngestResult | BaseException]:
    specs = sorted(str(p) for p in folder.iterdir())
    outcomes: dict[str, IngestResult | BaseException] = {}
    # One death per task is enough to tell: a task whose worker died twice is given up.
    with dask.config.set({"distributed.scheduler.allowed-failures": 1}):
        async with (
            await Library.open(db) as library,
            cluster.connected(2, None) as client,
        ):
            await client.register_plugin(Killer(2, tmp_path / "died", once=once))
            async for spec, outcome in cluster.ingest(
                client,
                specs,
                Library.load_input,
                library.store.holds,
                library.add_read,
                dense=False,
            ):
                assert spec not in outcomes, f"{spec} reported twice"
                outcomes[spec] = outcome
    return outcomes


def stored_sources(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return sorted(row[0] for row in conn.execute("SELECT source FROM articles"))


async def test_a_worker_killed_once_loses_nothing(tmp_path: Path, towns: Path) -> None:
    db = tmp_path / "k.db"
    outcomes = await ingest_with_killer(db, towns, once=True, tmp_path=tmp_path)
    assert (tmp_path / "died").exists()  # a worker did die, reading input 2
    assert all(isinstance(o, IngestResult) for o in outcomes.values()), outcomes
    assert len(outcomes) == len(TOWNS)
    sources = stored_sources(db)
    assert len(sources) == len(set(sources)) == len(TOWNS)  # each stored once
    async with await Library.open(db) as library:
        answer = await library.ask("who said every child in Ashcombe deserves books")
        assert answer.results[0].attribution is not None
        assert answer.results[0].attribution.speaker == "Alma Ashcombeson"


async def test_an_article_whose_worker_always_dies_is_reported_by_name(
    tmp_path: Path, towns: Path
) -> None:
    db = tmp_path / "k.db"
    outcomes = await ingest_with_killer(db, towns, once=False, tmp_path=tmp_path)
    victim = sorted(str(p) for p in towns.iterdir())[2]
    failed = outcomes.pop(victim)
    assert isinstance(failed, ArticleError)
    assert victim in str(failed) and "worker died" in str(failed)
    assert all(isinstance(o, IngestResult) for o in outcomes.values()), outcomes
    assert len(stored_sources(db)) == len(TOWNS) - 1  # the rest landed, nothing half-written
    assert victim not in stored_sources(db)


async def test_meaning_vectors_are_made_on_the_workers(tmp_path: Path, articles_dir: Path) -> None:
    db = tmp_path / "m.db"
    async with await Library.open(db) as library:
        specs = [str(p) for p in sorted(articles_dir.iterdir())]
        results = [
            outcome
            async for _, outcome in library.add_on_cluster(specs, Library.load_input, workers=2)
        ]
    assert all(isinstance(r, IngestResult) for r in results), results
    embedder = installed_embedder()
    if embedder is None:
        pytest.skip("the sentence model is not installed")
    async with await Library.open(db) as library:
        texts = {pid: passage_text(p) async for pid, p in library.store.passages()}
        stored = dict([row async for row in library.store.vectors(embedder.name)])
    assert sorted(stored) == sorted(texts)  # every passage has its vector
    # The vectors this process's own model makes for those passages: workers embed alike.
    mine = embedder.embed_passages(list(texts.values()))
    for pid, row in zip(texts, mine, strict=True):
        assert np.allclose(from_blob(stored[pid]), row, atol=1e-6)


def test_ingest_sends_the_work_to_a_running_cluster(cli: CLI, tmp_path: Path, towns: Path) -> None:
    from distributed import LocalCluster

    db = str(tmp_path / "r.db")
    with LocalCluster(n_workers=1, threads_per_worker=1, dashboard_address=None) as running:
        done = cli("ingest", "--db", db, "--cluster", running.scheduler_address, str(towns))
        assert done.returncode == 0, done.stderr
        assert f"{len(TOWNS)} added, 0 unchanged, 0 failed" in done.stderr
        # The work ran on that cluster's worker: it holds the reader this ingest registered.
        with Client(running) as client:
            plugins = client.run(lambda dask_worker: sorted(dask_worker.plugins))
        assert all(cluster.PLUGIN in names for names in plugins.values())
    asked = cli("ask", "--db", db, "--json", "who said every child in Kettleby deserves books")
    assert json.loads(asked.stdout)["speaker"] == "Alma Kettlebyson"
