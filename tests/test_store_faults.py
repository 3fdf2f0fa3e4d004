"""Faults of the database said for what they are, in one line naming the file: a full disk
(simulated on a real file with SQLite's `max_page_count`, the limit a full disk imposes), a
read-only file or folder (`ask` still answers), a database that does not exist."""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot import cli as saidwho
from index.errors import StoreError
from index.library import Library
from index.store import Store
from tests.conftest import CLI, HARBOUR, ORCHARD, SAMPLE

# Far more text than the page budget below leaves room for.
LONG = "Long report on the budget\n\n" + "\n\n".join(
    f'"Paragraph {n} of the council budget is about roads and schools," said Ann Lee.'
    for n in range(3000)
)
ROOM = 60  # pages (4 KB each) the database may still grow by once opened


async def _full_after(store: Store, pages: int) -> None:
    """Let the database grow by `pages` more pages, as a nearly full disk would."""
    async with store._db.execute("PRAGMA page_count") as cur:
        row = await cur.fetchone()
    assert row is not None
    await store._db.execute(f"PRAGMA max_page_count = {int(row[0]) + pages}")


async def test_a_full_disk_says_so_and_keeps_what_was_stored(library: Library) -> None:
    await _full_after(library.store, ROOM)
    before = await library.store.generation()
    long = library.store.path.parent / "long.txt"
    long.write_text(LONG, encoding="utf-8")
    with pytest.raises(StoreError) as caught:
        await library.add_file(long)
    message = str(caught.value)
    assert "disk is full" in message and str(library.store.path) in message
    assert "rollback" not in message
    assert await library.store.generation() == before
    assert len(await library.articles()) == 1  # the article is absent, not half there
    assert (await library.ask("who said Russians intervened directly?")).speaker == "Naji Mustafa"
    harbour = library.store.path.parent / "harbour.txt"
    harbour.write_text(HARBOUR, encoding="utf-8")
    assert (await library.add_file(harbour)).passages  # no transaction left hanging


def test_cli_ingest_on_a_full_disk_prints_what_landed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    opened = Store.open.__func__  # type: ignore[attr-defined]

    async def nearly_full(cls: type[Store], path: Path, **options: bool) -> Store:
        store: Store = await opened(cls, path, **options)
        await _full_after(store, ROOM)
        return store

    monkeypatch.setattr(Store, "open", classmethod(nearly_full))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SAIDWHO_DENSE", "false")
    monkeypatch.setenv("SAIDWHO_LOG_LEVEL", "WARNING")
    inputs = []
    for name, text in [("a.txt", HARBOUR), ("b.txt", ORCHARD), ("c.txt", LONG), ("d.txt", "")]:
        (tmp_path / name).write_text(text, encoding="utf-8")
        inputs.append(str(tmp_path / name))
    db = tmp_path / "full.db"
    code = saidwho.main(["ingest", "--db", str(db), *inputs])
    err = capsys.readouterr().err
    assert code == 2
    assert f"c.txt: not saved: {db}: the disk is full" in err
    assert "2 added, 0 unchanged, 1 failed, 1 not tried" in err
    assert "Traceback" not in err and "rollback" not in err


# -- read-only and missing databases ---------------------------------------------------------


# Root writes through any file mode; without these capabilities it obeys them as anyone does.
UNPRIVILEGED = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search,-fowner"]


@pytest.fixture
def readonly_cli(cli: CLI, tmp_path: Path) -> Iterator[CLI]:
    """The CLI as a process that file modes stop (under root: without the capabilities that
    override them); the folder's modes restored afterwards, for cleaning up."""
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("running as root, and setpriv is not there to drop root's privileges")
        cli.prefix = UNPRIVILEGED
    try:
        yield cli
    finally:
        for inner in [tmp_path, *tmp_path.rglob("*")]:
            if inner.is_dir():
                inner.chmod(0o755)


def _stored(cli: CLI, folder: Path) -> Path:
    folder.mkdir()
    db = folder / "news.db"
    done = cli("ingest", "--db", str(db), str(SAMPLE))
    assert done.returncode == 0, done.stderr
    return db


@pytest.mark.parametrize("read_only", ["file", "folder"])
def test_ask_answers_from_a_read_only_database(
    readonly_cli: CLI, tmp_path: Path, read_only: str
) -> None:
    folder = tmp_path / "data"
    db = _stored(readonly_cli, folder)
    for path in folder.iterdir():
        path.chmod(0o444)
    folder.chmod(0o555 if read_only == "folder" else 0o777)
    before = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    asked = readonly_cli("ask", "--db", str(db), "who said Russians intervened directly?")
    assert asked.returncode == 0, asked.stderr
    assert "Naji Mustafa" in asked.stdout
    assert "Traceback" not in asked.stderr
    after = {p.name: p.stat().st_mtime_ns for p in folder.iterdir() if p.name in before}
    assert after == before  # nothing written
    assert not stat.S_IMODE(db.stat().st_mode) & 0o222


def test_writing_to_a_read_only_database_says_so_in_one_line(
    readonly_cli: CLI, tmp_path: Path
) -> None:
    folder = tmp_path / "data"
    db = _stored(readonly_cli, folder)
    for path in folder.iterdir():
        path.chmod(0o444)
    folder.chmod(0o777)
    note = tmp_path / "note.txt"
    note.write_text(HARBOUR, encoding="utf-8")
    note.chmod(0o444)
    done = readonly_cli("ingest", "--db", str(db), str(note))
    assert done.returncode == 2
    assert f"{db}: the database is read-only" in done.stderr
    assert "Traceback" not in done.stderr
    assert "0 added, 0 unchanged, 1 failed" in done.stderr


def test_ask_on_a_missing_database_says_so_instead_of_making_one(cli: CLI, tmp_path: Path) -> None:
    typo = tmp_path / "tyop.db"
    asked = cli("ask", "--db", str(typo), "who said it?")
    assert asked.returncode == 2
    assert asked.stderr.strip() == f"error: {typo}: the database does not exist (ingest creates it)"
    assert not typo.exists()
    assert cli("ingest", "--db", str(typo), str(SAMPLE)).returncode == 0  # ingest makes it


def test_the_console_runs_on_a_read_only_database_and_says_why_it_cannot_add(
    readonly_cli: CLI, tmp_path: Path
) -> None:
    folder = tmp_path / "data"
    db = _stored(readonly_cli, folder)
    for path in folder.iterdir():
        path.chmod(0o444)
    folder.chmod(0o555)
    note = tmp_path / "harbour.txt"
    note.write_text(HARBOUR, encoding="utf-8")
    script = f"/add {note}\nwho said Russians intervened directly?\n"
    done = readonly_cli("console", "--admin", "--db", str(db), stdin=script)
    assert done.returncode == 0, done.stderr
    assert f"Not added: {db}: the database is read-only" in done.stdout
    assert "Naji Mustafa" in done.stdout


def test_the_console_on_a_read_only_database_says_so_and_goes_on(
    readonly_cli: CLI, tmp_path: Path
) -> None:
    """#32 row 6: /remove and /reindex on a read-only store had ended the console (rc 1)."""
    folder = tmp_path / "data"
    db = _stored(readonly_cli, folder)
    for path in folder.iterdir():
        path.chmod(0o444)
    folder.chmod(0o777)
    lines = ["/remove 1 yes", "/reindex", "who said Russians intervened directly?"]

    done = readonly_cli("console", "--db", str(db), "--admin", stdin="\n".join(lines) + "\n")

    assert done.returncode == 0, done.stderr
    assert f"Article 1 was not removed: {db}: the database is read-only" in done.stdout
    assert f"Re-indexing stopped: {db}: the database is read-only" in done.stdout
    assert "Naji Mustafa" in done.stdout  # and it still answers
    assert "Traceback" not in done.stderr
