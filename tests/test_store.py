import sqlite3
from pathlib import Path

import pytest

from index.articles import parse_article
from index.errors import StoreError
from index.inputs import load_file
from index.library import open_store
from index.models import IngestStatus
from index.reading import read
from index.store import SCHEMA_VERSION, Store
from tests.conftest import SAMPLE, fresh_database


async def test_round_trip_keeps_passages_and_attributions(db: str) -> None:
    parsed = read(load_file(SAMPLE))
    store = await open_store(db)
    saved = await store.save(parsed)
    assert saved.result.status is IngestStatus.ADDED
    stored = [p async for _, p in store.passages()]
    assert stored == parsed.passages
    [summary] = await store.articles()
    assert summary.title == parsed.article.title and summary.date == parsed.article.date
    assert summary.passages == len(parsed.passages)
    await store.close()


async def test_store_is_one_wal_sqlite_file_with_a_schema_version(db_path: Path) -> None:
    store = await Store.open(db_path)
    await store.save(read(load_file(SAMPLE)))
    await store.close()
    with sqlite3.connect(db_path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        version = db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0]
        assert int(version) == SCHEMA_VERSION
        assert db.execute("SELECT COUNT(*) FROM attributions").fetchone()[0] > 0


async def test_identical_content_is_a_no_op(db: str) -> None:
    store = await open_store(db)
    first = await store.save(read(load_file(SAMPLE)))
    generation = await store.generation()
    again = await store.save(read(load_file(SAMPLE)))
    assert again.result.status is IngestStatus.UNCHANGED
    assert again.result.article_id == first.result.article_id
    assert await store.generation() == generation
    assert (await store.counts())["passages"] == len(first.added)
    await store.close()


async def test_changed_article_from_same_source_replaces_it_and_keeps_its_id(
    db: str,
) -> None:
    store = await open_store(db)
    v1 = read(parse_article("Budget vote\n\nThe council voted.", source="feed/budget"))
    v2 = read(
        parse_article("Budget vote\n\nThe council voted again.\n\nMore.", source="feed/budget")
    )
    first = await store.save(v1)
    second = await store.save(v2)
    assert second.result.status is IngestStatus.REPLACED
    assert second.result.article_id == first.result.article_id
    assert second.removed == [pid for pid, _ in first.added]
    texts = [p.text async for _, p in store.passages()]
    assert texts == ["The council voted again.", "More."]
    await store.close()


async def test_failure_mid_article_leaves_no_half_article(
    db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = await open_store(db)
    await store.save(read(parse_article("Kept\n\nThis one stays.", source="a")))
    calls = 0
    real_insert = store._insert_passage

    async def crash_on_third(article_id: int, passage):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        if calls == 3:
            raise RuntimeError("disk on fire")
        return await real_insert(article_id, passage)

    monkeypatch.setattr(store, "_insert_passage", crash_on_third)
    with pytest.raises(RuntimeError):
        await store.save(read(load_file(SAMPLE)))
    counts = await store.counts()
    assert counts["articles"] == 1 and counts["passages"] == 1
    await store.close()


async def test_removing_an_article_removes_its_passages(db: str) -> None:
    store = await open_store(db)
    saved = await store.save(read(load_file(SAMPLE)))
    removed = await store.remove(saved.result.article_id)
    assert removed == [pid for pid, _ in saved.added]
    assert await store.counts() == {"articles": 0, "passages": 0, "attributions": 0, "speakers": 0}
    assert await store.remove(saved.result.article_id) is None
    await store.close()


async def test_newer_schema_is_refused_clearly(db: str) -> None:
    store = await open_store(db)
    await store.set_meta("schema_version", str(SCHEMA_VERSION + 1))
    await store.close()
    with pytest.raises(StoreError, match="schema version"):
        await open_store(db)


async def test_speakers_are_counted(db: str) -> None:
    store = await open_store(db)
    await store.save(read(load_file(SAMPLE)))
    speakers = dict(await store.speakers())
    assert speakers["Naji Mustafa"] == 4
    assert speakers["Jamil al-Saleh"] == 1
    await store.close()


async def test_a_version_1_database_is_migrated_and_keeps_its_articles(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    with sqlite3.connect(db_path) as db:  # the schema as version 1 made it
        db.executescript(
            "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
            "INSERT INTO meta VALUES ('schema_version', '1');"
            "CREATE TABLE articles (id INTEGER PRIMARY KEY, source TEXT NOT NULL UNIQUE,"
            " title TEXT NOT NULL, date TEXT, content_hash TEXT NOT NULL UNIQUE,"
            " text TEXT NOT NULL, added_at TEXT NOT NULL);"
            "INSERT INTO articles VALUES (1, 'old.txt', 'Old', NULL, 'h', 'Old\n\nBody.', 'x');"
        )
    store = await Store.open(db_path)
    assert await store.get_meta("schema_version") == str(SCHEMA_VERSION)
    [(old_id, old)] = await store.stored_articles()
    assert old_id == 1 and old.title == "Old" and old.author is None
    await store.save(read(load_file(SAMPLE)))
    assert len(await store.articles()) == 2
    await store.close()


async def test_a_page_kept_for_more_is_shown_once_and_only_the_newest_are_kept(
    db: str,
) -> None:
    store = await open_store(db)
    try:
        assert await store.take_page("never-kept") is None  # before any page: no table yet
        for n in range(5):
            await store.save_page(f"key-{n}", f'{{"n": {n}}}', generation=7, keep=3)

        assert await store.take_page("key-4") == ('{"n": 4}', 7)
        assert await store.take_page("key-4") is None  # shown once
        assert await store.take_page("key-0") is None  # the oldest went
        assert await store.take_page("key-2") == ('{"n": 2}', 7)
    finally:
        await store.close()


@pytest.mark.parametrize("change", ["removed", "replaced"])
async def test_a_reread_of_a_version_no_longer_stored_writes_nothing(db: str, change: str) -> None:
    """A re-index reads an article, then someone removes or replaces it before the re-read is
    written: the write is refused in its transaction, and the change stands."""
    store = await open_store(db)
    v1 = read(parse_article("Budget vote\n\nThe council voted.", source="feed/budget"))
    article_id = (await store.save(v1)).result.article_id
    if change == "removed":
        assert await store.remove(article_id) is not None
    else:
        v2 = read(parse_article("Budget vote\n\nThe council voted again.", source="feed/budget"))
        await store.save(v2)
    generation = await store.generation()
    assert await store.reread(article_id, v1) is None
    assert await store.generation() == generation
    texts = [p.text async for _, p in store.passages()]
    assert texts == ([] if change == "removed" else ["The council voted again."])
    await store.close()


async def test_an_unreachable_postgresql_is_named_without_its_password(tmp_path: Path) -> None:
    uri = f"postgresql://saidwho:hunter2@/saidwho?host={tmp_path}/nowhere&password=hunter3"
    with pytest.raises(StoreError) as error:
        await open_store(uri)
    message = str(error.value)
    assert message.startswith(f"postgresql://saidwho@/saidwho?host={tmp_path}/nowhere: ")
    assert "cannot connect" in message and "hunter" not in message


async def test_a_postgresql_database_without_a_store_is_not_made_by_a_reader(
    postgres_server: str,
) -> None:
    db = fresh_database(postgres_server)
    with pytest.raises(StoreError, match="holds no saidwho store"):
        await open_store(db, create=False)
    store = await open_store(db)  # a writer makes it
    await store.close()
    reopened = await open_store(db, create=False)
    assert await reopened.get_meta("schema_version") == str(SCHEMA_VERSION)
    await reopened.close()


async def test_a_store_opened_again_keeps_its_articles_and_generation(db: str) -> None:
    store = await open_store(db)
    saved = await store.save(read(load_file(SAMPLE)))
    generation = await store.generation()
    await store.close()
    store = await open_store(db, create=False)
    assert [aid for aid, _ in await store.stored_articles()] == [saved.result.article_id]
    assert await store.generation() == generation
    assert await store.get_meta("schema_version") == str(SCHEMA_VERSION)
    await store.close()
