"""The store: articles, passages and attributions, in one SQLite file (WAL) by default or in a
PostgreSQL database (index/pgstore.py) shared by several bot processes.

Each article is written in one transaction, so an interrupted ingest leaves the article complete
or absent. `generation` in `meta` goes up with every change, so a reader (the index) can tell
whether what it holds is still the store's content.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import sqlite3
import time
import urllib.parse
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import AsyncIterator, Iterable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

import aiosqlite
import numpy as np

from index.attribution.identity import identities
from index.errors import StoreError
from index.models import (
    Article,
    ArticleInfo,
    ArticleSummary,
    Attribution,
    IngestResult,
    IngestStatus,
    ParsedArticle,
    Passage,
)
from index.tokens import fold

SCHEMA_VERSION = 3

# Who follows which speaker (a chat id and the speaker's canonical name), and each quote a chat
# was told of (or knew of when it followed), so none is told twice.
FOLLOWS_SCHEMA = [
    "CREATE TABLE IF NOT EXISTS follows ("
    " chat_id INTEGER NOT NULL, speaker TEXT NOT NULL, created_at REAL NOT NULL,"
    " PRIMARY KEY (chat_id, speaker))",
    "CREATE INDEX IF NOT EXISTS follows_speaker ON follows (speaker)",
    "CREATE TABLE IF NOT EXISTS follow_sent ("
    " chat_id INTEGER NOT NULL, speaker TEXT NOT NULL, quote_key TEXT NOT NULL,"
    " PRIMARY KEY (chat_id, speaker, quote_key))",
]

# What takes a database from the version before each key to that version.
MIGRATIONS = {
    2: [  # web pages bring their author and site name
        "ALTER TABLE articles ADD COLUMN author TEXT",
        "ALTER TABLE articles ADD COLUMN site TEXT",
    ],
    3: FOLLOWS_SCHEMA,  # following a speaker (bot /follow)
}

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    date TEXT,
    content_hash TEXT NOT NULL UNIQUE,
    text TEXT NOT NULL,
    added_at TEXT NOT NULL,
    author TEXT,
    site TEXT
);
CREATE TABLE IF NOT EXISTS passages (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    paragraph INTEGER NOT NULL,
    text TEXT NOT NULL,
    UNIQUE (article_id, ordinal)
);
CREATE TABLE IF NOT EXISTS attributions (
    id INTEGER PRIMARY KEY,
    passage_id INTEGER NOT NULL REFERENCES passages(id) ON DELETE CASCADE,
    speaker TEXT,
    mention TEXT,
    role TEXT,
    addressee TEXT,
    cue TEXT,
    quote TEXT NOT NULL,
    direct INTEGER NOT NULL
);
-- Meaning vectors (the optional dense extra), by model. Additive: a saidwho without the extra
-- ignores the table, and deleting a passage deletes its vectors.
CREATE TABLE IF NOT EXISTS vectors (
    passage_id INTEGER PRIMARY KEY REFERENCES passages(id) ON DELETE CASCADE,
    model TEXT NOT NULL,
    vector BLOB NOT NULL
);
-- What each generation changed, written in the transaction that makes the change, so another
-- process's library catches up by applying the difference instead of rebuilding. Additive: a
-- saidwho without it writes no rows, and a reader that finds a generation missing rebuilds.
CREATE TABLE IF NOT EXISTS changes (
    generation INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL,
    removed_passages BLOB NOT NULL  -- the passage ids the change deleted, int64 little-endian
);
CREATE INDEX IF NOT EXISTS passages_article ON passages (article_id);
CREATE INDEX IF NOT EXISTS attributions_passage ON attributions (passage_id);
CREATE INDEX IF NOT EXISTS attributions_speaker ON attributions (speaker);
""" + "".join(f"{statement};\n" for statement in FOLLOWS_SCHEMA)

# Pages of answers and listings still to show behind a chat's "More" button, so a button works
# after a restart. Made by the first page kept, not at open, so a store only read (`ask`, a
# read-only file) never needs it; additive: an older saidwho ignores the table.
PAGES_SCHEMA = """
CREATE TABLE IF NOT EXISTS pages (
    key TEXT PRIMARY KEY,
    body TEXT NOT NULL,
    generation INTEGER NOT NULL,
    created_at REAL NOT NULL
)
"""

# Questions behind shared links to an answer (a chat's deep link reopens the answer by asking
# again, so it follows the library as it changes). Made on the first share, as pages are;
# additive: an older saidwho ignores the table.
SHARES_SCHEMA = """
CREATE TABLE IF NOT EXISTS shares (
    key TEXT PRIMARY KEY,
    question TEXT NOT NULL,
    created_at REAL NOT NULL
)
"""

_ATTRIBUTION_FIELDS = ("speaker", "mention", "role", "addressee", "cue", "quote", "direct")


log = logging.getLogger(__name__)


def _writable(path: Path) -> bool:
    """Whether SQLite can write here: the file, and its folder (WAL keeps files beside it)."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def _read_only_uri(path: Path, immutable: bool) -> str:
    query = "mode=ro&immutable=1" if immutable else "mode=ro"
    return f"file:{urllib.parse.quote(str(path.resolve()))}?{query}"


# Changes kept for catching up; a library further behind than this rebuilds its index.
KEEP_CHANGES = 10_000


@dataclass
class Delta:
    """What changed in the store after a generation, as of a later one: the passages to drop
    from an index, and the articles whose stored passages (and text) are now these (an article
    touched and then removed is in `removed_articles` and nowhere else)."""

    generation: int
    removed_passages: list[int]
    passages: list[tuple[int, Passage]]
    articles: list[tuple[int, Article]]
    removed_articles: list[int]
    vectors: list[tuple[int, bytes]]


@dataclass
class Saved:
    """What one save changed, so the index can follow."""

    result: IngestResult
    removed: list[int] = field(default_factory=list)
    added: list[tuple[int, Passage]] = field(default_factory=list)


# A model's name and one vector (as bytes) per passage of an article, in passage order.
Vectors = tuple[str, list[bytes]]


def _fold_or_none(text: str | None) -> str | None:
    """SQL fold(): names compared without case or accents ("Castaneda" finds "Castañeda")."""
    return None if text is None else fold(text)


def _attribution_row(a: Attribution) -> tuple[Any, ...]:
    """An attribution's columns; `direct` as the 0 or 1 both engines store."""
    return (a.speaker, a.mention, a.role, a.addressee, a.cue, a.quote, int(a.direct))


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def failure(path: Path, error: sqlite3.Error) -> StoreError:
    """A database error said in one line that names the file: a full disk and a read-only
    file by name, anything else as SQLite says it."""
    code = getattr(error, "sqlite_errorcode", 0) & 0xFF  # the primary code
    if code == sqlite3.SQLITE_FULL:
        return StoreError(f"{path}: the disk is full; the change in progress was not saved")
    if code == sqlite3.SQLITE_READONLY:
        return StoreError(f"{path}: the database is read-only; nothing was changed")
    if code == sqlite3.SQLITE_CANTOPEN:
        return StoreError(f"{path}: cannot open the database ({error})")
    return StoreError(f"{path}: {error}")


class Store(ABC):
    """What the library keeps in a database, whichever engine holds it. The queries every
    engine runs alike are here, written with `?` placeholders and standard SQL (upserts by ON
    CONFLICT, new ids by RETURNING); each engine's class (SQLiteStore below, PostgresStore in
    index/pgstore.py) connects, runs them, and says what differs: its schema and migrations,
    its transactions, its errors, the pages behind More, and how another process hears of a
    change."""

    writable: bool = True
    # Where the library keeps its saved search index: `<index_base>.bm25` and so on.
    index_base: Path
    # What messages call the database (a path, or a URI without its password).
    name: str
    # What `--db` takes to open this very store again (another process, the CLI).
    target: str

    @classmethod
    async def open(cls, path: Path, *, create: bool = True) -> Store:
        """The embedded default, a SQLite file (SQLiteStore.connect); index.library's
        `open_store` opens whichever store a path or URI names."""
        return await SQLiteStore.connect(Path(path), create=create)

    @abstractmethod
    async def close(self) -> None: ...

    # -- what each engine runs queries with -----------------------------------------------

    @abstractmethod
    async def _rows(self, sql: str, params: Iterable[Any] = ()) -> list[Any]:
        """Every row `sql` gives (inside the current task's transaction, if it holds one)."""

    @abstractmethod
    async def _row(self, sql: str, params: Iterable[Any] = ()) -> Any:
        """The first row `sql` gives, or None."""

    @abstractmethod
    async def _execute(self, sql: str, params: Iterable[Any] = ()) -> int:
        """Run `sql`; how many rows it changed."""

    @abstractmethod
    async def _executemany(self, sql: str, rows: list[tuple[Any, ...]]) -> None: ...

    @abstractmethod
    def _stream(self, sql: str, params: Iterable[Any] = ()) -> AsyncIterator[Any]:
        """The rows of `sql` one by one, never all in memory at once."""

    @abstractmethod
    def _transaction(self) -> AbstractAsyncContextManager[None]:
        """One write transaction, one writer at a time; a database error is a StoreError."""

    @abstractmethod
    async def _announce(self, generation: int) -> None:
        """Tell other processes of `generation` (in the transaction that made it)."""

    @abstractmethod
    async def save_page(self, key: str, body: str, generation: int, keep: int) -> bool:
        """Keep a page under `key`, and only the `keep` newest pages; False on a read-only
        store (nothing kept, so no More button), StoreError if it could not be kept."""

    @abstractmethod
    async def take_page(self, key: str) -> tuple[str, int] | None:
        """The page kept under `key` (its body and the generation it was made at), which is
        then forgotten: each page is shown once. StoreError if the store fails."""

    @abstractmethod
    async def save_share(self, key: str, question: str) -> bool:
        """Keep `question` under `key` (the same question, the same key: kept once). False on
        a read-only store, where nothing can be kept; a failure to write raises StoreError."""

    @abstractmethod
    async def shared(self, key: str) -> str | None:
        """The question kept under `key`, or None."""

    @abstractmethod
    async def size(self) -> int:
        """Bytes the database takes."""

    # Whether `changes` tells of each change as it is made (PostgreSQL's LISTEN/NOTIFY); where
    # not, answering compares the store's generation before each question (which it does
    # anyway), and that is how another process's change is found.
    announces = False

    def changes(self) -> AsyncIterator[int]:
        """The generations committed (by any process), as they are committed."""
        raise NotImplementedError(f"{type(self).__name__} does not announce changes")

    # -- schema versions --------------------------------------------------------------------

    # What takes a database from the version before each key to that version, per engine.
    migrations: dict[int, list[str]]

    async def _check_version(self) -> None:
        version = await self.get_meta("schema_version")
        if version is None:  # a new database: the schema made it at the current version
            await self.set_meta("schema_version", str(SCHEMA_VERSION))
        elif int(version) > SCHEMA_VERSION:
            raise StoreError(
                f"{self.name} has schema version {version}; this saidwho reads up to "
                f"{SCHEMA_VERSION}. Upgrade saidwho or use another database."
            )
        elif int(version) < SCHEMA_VERSION:
            await self._migrate(int(version))

    async def _migrate(self, version: int) -> None:
        """Bring an older database up to date, all steps in one transaction."""
        missing = [v for v in range(version + 1, SCHEMA_VERSION + 1) if v not in self.migrations]
        if missing:
            raise StoreError(
                f"{self.name} has schema version {version}, which no saidwho made on this "
                f"engine; nothing was changed"
            )
        async with self._transaction():
            for target in range(version + 1, SCHEMA_VERSION + 1):
                for statement in self.migrations[target]:
                    await self._execute(statement)
            await self._set_meta("schema_version", str(SCHEMA_VERSION))

    async def get_meta(self, key: str) -> str | None:
        row = await self._row("SELECT value FROM meta WHERE key = ?", (key,))
        return None if row is None else str(row[0])

    async def set_meta(self, key: str, value: str) -> None:
        if not self.writable:
            raise StoreError(f"{self.name}: the database is read-only; nothing was changed")
        async with self._transaction():
            await self._set_meta(key, value)

    async def _set_meta(self, key: str, value: str) -> None:
        await self._execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    async def generation(self) -> int:
        return int(await self.get_meta("generation") or 0)

    async def _bump_generation(self, article_id: int, removed: list[int]) -> None:
        """The next generation, and what it changed in the log (in the caller's transaction)."""
        await self._execute(
            "INSERT INTO meta (key, value) VALUES ('generation', '1') ON CONFLICT (key) "
            "DO UPDATE SET value = CAST(CAST(meta.value AS BIGINT) + 1 AS TEXT)"
        )
        generation = await self.generation()
        await self._execute(
            "INSERT INTO changes (generation, article_id, removed_passages) VALUES (?, ?, ?) "
            "ON CONFLICT (generation) DO UPDATE SET article_id = excluded.article_id, "
            "removed_passages = excluded.removed_passages",
            (generation, article_id, np.asarray(removed, dtype="<i8").tobytes()),
        )
        await self._execute(
            "DELETE FROM changes WHERE generation <= ?", (generation - KEEP_CHANGES,)
        )
        await self._announce(generation)

    async def _one(self, sql: str, params: Iterable[Any] = ()) -> Any:
        row = await self._row(sql, tuple(params))
        return None if row is None else row[0]

    async def _new_id(self, sql: str, params: Iterable[Any]) -> int:
        """The id an INSERT ... RETURNING id made."""
        return int(await self._one(sql, params))

    # -- writing ---------------------------------------------------------------------------

    async def save(self, parsed: ParsedArticle, *, vectors: Vectors | None = None) -> Saved:
        """Add an article, replace the older version from the same source (keeping its id), or
        do nothing if this very content is already stored. `vectors` (model, one per passage)
        are stored with the passages. All in one transaction."""
        async with self._transaction():
            saved = await self._save(parsed)
            await self._saved(saved, vectors)
        return saved

    async def reread(
        self, article_id: int, parsed: ParsedArticle, *, vectors: Vectors | None = None
    ) -> Saved | None:
        """Replace article `article_id`'s passages with `parsed`'s (read again from its stored
        text, for re-indexing), only if the store still holds that very version: checked in
        the write transaction, so an article removed or replaced meanwhile (by /remove, by
        another process) stays as that change left it. None when it was not written."""
        async with self._transaction():
            stored = await self._one(
                "SELECT content_hash FROM articles WHERE id = ?", (article_id,)
            )
            if stored != parsed.article.content_hash:
                return None
            saved = await self._save(parsed, reread=article_id)
            await self._saved(saved, vectors)
        return saved

    async def _saved(self, saved: Saved, vectors: Vectors | None) -> None:
        """What every save does after its rows are in (in its transaction): the vectors, and
        the next generation."""
        if vectors is not None and saved.added:
            await self._insert_vectors(saved.added, vectors)
        if saved.result.status is not IngestStatus.UNCHANGED:
            await self._bump_generation(saved.result.article_id, saved.removed)

    async def _save(self, parsed: ParsedArticle, reread: int | None = None) -> Saved:
        """`reread`: the id of the article `parsed` is read from, replaced even though its
        content is the same."""
        a = parsed.article
        old = await self._one("SELECT id FROM articles WHERE source = ?", (a.source,))
        same = await self._one("SELECT id FROM articles WHERE content_hash = ?", (a.content_hash,))
        if same is not None and not (reread is not None and same == old == reread):
            count = await self._one("SELECT COUNT(*) FROM passages WHERE article_id = ?", (same,))
            result = IngestResult(
                status=IngestStatus.UNCHANGED,
                article_id=same,
                title=a.title,
                source=a.source,
                passages=count,
            )
            return Saved(result)
        date = a.date.isoformat() if a.date else None
        row = (a.title, date, a.content_hash, a.text, a.author, a.site)
        if old is None:
            article_id = await self._new_id(
                "INSERT INTO articles (title, date, content_hash, text, author, site, source,"
                " added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (*row, a.source, dt.datetime.now(dt.UTC).isoformat(timespec="seconds")),
            )
            removed: list[int] = []
        else:
            article_id, removed = old, await self._delete_passages(old)
            await self._execute(
                "UPDATE articles SET title = ?, date = ?, content_hash = ?, text = ?, author = ?,"
                " site = ? WHERE id = ?",
                (*row, old),
            )
        added = [(await self._insert_passage(article_id, p), p) for p in parsed.passages]
        result = IngestResult(
            status=IngestStatus.ADDED if old is None else IngestStatus.REPLACED,
            article_id=article_id,
            title=a.title,
            source=a.source,
            passages=len(added),
        )
        return Saved(result, removed, added)

    async def _insert_passage(self, article_id: int, p: Passage) -> int:
        passage_id = await self._new_id(
            "INSERT INTO passages (article_id, ordinal, paragraph, text) VALUES (?, ?, ?, ?)"
            " RETURNING id",
            (article_id, p.ordinal, p.paragraph, p.text),
        )
        await self._executemany(
            "INSERT INTO attributions (passage_id, speaker, mention, role, addressee, cue, quote,"
            " direct) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(passage_id, *_attribution_row(x)) for x in p.attributions],
        )
        return passage_id

    async def _insert_vectors(self, added: list[tuple[int, Passage]], vectors: Vectors) -> None:
        model, blobs = vectors
        await self._executemany(
            "INSERT INTO vectors (passage_id, model, vector) VALUES (?, ?, ?) "
            "ON CONFLICT (passage_id) DO UPDATE SET model = excluded.model, "
            "vector = excluded.vector",
            [(pid, model, blob) for (pid, _), blob in zip(added, blobs, strict=True)],
        )

    async def _delete_passages(self, article_id: int) -> list[int]:
        removed = await self.passage_ids(article_id)
        await self._execute("DELETE FROM passages WHERE article_id = ?", (article_id,))
        return removed

    async def _delete_article(self, article_id: int) -> list[int]:
        removed = await self._delete_passages(article_id)
        await self._execute("DELETE FROM articles WHERE id = ?", (article_id,))
        return removed

    async def remove(self, article_id: int) -> list[int] | None:
        """Delete an article; its passage ids, or None if there was no such article."""
        async with self._transaction():
            exists = await self._one("SELECT 1 FROM articles WHERE id = ?", (article_id,))
            removed = await self._delete_article(article_id) if exists else None
            if removed is not None:
                await self._bump_generation(article_id, removed)
        return removed

    # -- reading ---------------------------------------------------------------------------

    async def _rows_for(self, sql: str, ids: list[int], more: tuple[Any, ...] = ()) -> list[Any]:
        """The rows of `sql` for `ids`, which fill its `{ids}` placeholder list (then `more`
        fill the placeholders after it); in chunks, so a long list stays within SQLite's limit
        on parameters."""
        rows: list[Any] = []
        for chunk in _chunks(ids, 500):
            query = sql.format(ids=",".join("?" * len(chunk)))
            rows += await self._rows(query, (*chunk, *more))
        return rows

    async def _attributions(self, passage_ids: list[int]) -> dict[int, list[Attribution]]:
        out: dict[int, list[Attribution]] = {pid: [] for pid in passage_ids}
        rows = await self._rows_for(
            f"SELECT passage_id, {', '.join(_ATTRIBUTION_FIELDS)} FROM attributions "
            "WHERE passage_id IN ({ids}) ORDER BY id",
            passage_ids,
        )
        for row in rows:
            values = dict(zip(_ATTRIBUTION_FIELDS, row[1:], strict=True))
            values["direct"] = bool(values["direct"])
            # Validated when stored: built again without validating, which answering a
            # question does for about eighty passages.
            out[int(row[0])].append(Attribution.model_construct(**values))
        return out

    async def passages(self) -> AsyncIterator[tuple[int, Passage]]:
        """Every stored passage with its attributions, for building the index."""
        batch: list[tuple[int, Passage]] = []
        async for row in self._stream(
            "SELECT id, ordinal, paragraph, text FROM passages ORDER BY id"
        ):
            batch.append((int(row[0]), Passage(ordinal=row[1], paragraph=row[2], text=row[3])))
        for chunk in _chunks(batch, 2000):
            found = await self._attributions([pid for pid, _ in chunk])
            for pid, passage in chunk:
                passage.attributions = found[pid]
                yield pid, passage

    async def delta(self, since: int, model: str | None = None) -> Delta | None:
        """What changed after generation `since`; None if the log does not hold every
        generation since (too far behind, or written by a saidwho without the log), so the
        caller rebuilds. `model`: the vectors of the changed passages too. The reads agree
        with each other: every commit bumps the generation, so an unchanged generation after
        them means no commit came between (no read transaction is held open, which would
        get in the way of this connection's other users)."""
        for _ in range(3):
            generation = await self.generation()
            delta = await self._delta(since, generation, model)
            if await self.generation() == generation:
                return delta
        return None  # the store is changing too fast to catch up by difference

    async def _delta(self, since: int, generation: int, model: str | None) -> Delta | None:
        rows = list(
            await self._rows(
                "SELECT article_id, removed_passages FROM changes "
                "WHERE generation > ? AND generation <= ? ORDER BY generation",
                (since, generation),
            )
        )
        if len(rows) != generation - since:
            return None
        removed: set[int] = set()
        touched: set[int] = set()
        for article_id, blob in rows:
            touched.add(int(article_id))
            removed.update(np.frombuffer(bytes(blob), dtype="<i8").tolist())
        articles = await self.stored_articles(sorted(touched))
        present = [aid for aid, _ in articles]
        passages: list[tuple[int, Passage]] = []
        rows = await self._rows_for(
            "SELECT id, ordinal, paragraph, text FROM passages WHERE article_id IN ({ids}) "
            "ORDER BY id",
            present,
        )
        found = await self._attributions([int(r[0]) for r in rows])
        for r in rows:
            passage = Passage(ordinal=r[1], paragraph=r[2], text=r[3], attributions=found[r[0]])
            passages.append((int(r[0]), passage))
        vectors: list[tuple[int, bytes]] = []
        if model is not None and passages:
            vector_rows = await self._rows_for(
                "SELECT passage_id, vector FROM vectors WHERE passage_id IN ({ids}) AND model = ?",
                [pid for pid, _ in passages],
                (model,),
            )
            vectors = [(int(r[0]), bytes(r[1])) for r in vector_rows]
        return Delta(
            generation=generation,
            removed_passages=sorted(removed),
            passages=passages,
            articles=articles,
            removed_articles=sorted(touched - set(present)),
            vectors=vectors,
        )

    async def passages_by_id(self, ids: list[int]) -> dict[int, tuple[Passage, ArticleInfo]]:
        rows = await self._rows_for(
            "SELECT p.id, p.ordinal, p.paragraph, p.text, a.id, a.title, a.date, a.source, "
            "a.author, a.site "
            "FROM passages p JOIN articles a ON a.id = p.article_id WHERE p.id IN ({ids})",
            ids,
        )
        found = await self._attributions([int(r[0]) for r in rows])
        # Each speaker by the one name the library knows them by ("Obama" in one article is
        # Barack Obama, quoted in full in another); the passage's own words stay the mention.
        canonical = await self._identities()
        for attributions in found.values():
            for i, a in enumerate(attributions):
                if a.speaker and (person := canonical.get(a.speaker, a.speaker)) != a.speaker:
                    attributions[i] = a.model_copy(
                        update={"speaker": person, "mention": a.mention or a.speaker}
                    )
        return {
            int(r[0]): (
                Passage.model_construct(
                    ordinal=r[1], paragraph=r[2], text=r[3], attributions=found[int(r[0])]
                ),
                ArticleInfo.model_construct(
                    id=r[4], title=r[5], date=_date(r[6]), source=r[7], author=r[8], site=r[9]
                ),
            )
            for r in rows
        }

    async def passages_at(
        self, places: list[tuple[int, int]]
    ) -> dict[tuple[int, int], tuple[Passage, ArticleInfo]]:
        """The passages at (article id, ordinal) places, as `passages_by_id` gives them: what a
        More page names its results by."""
        found: dict[int, tuple[int, int]] = {}
        for chunk in _chunks(places, 400):
            where = " OR ".join("(article_id = ? AND ordinal = ?)" for _ in chunk)
            params = [number for place in chunk for number in place]
            found.update(
                {
                    int(r[0]): (int(r[1]), int(r[2]))
                    for r in await self._rows(
                        f"SELECT id, article_id, ordinal FROM passages WHERE {where}", params
                    )
                }
            )
        passages = await self.passages_by_id(list(found))
        return {found[pid]: passage for pid, passage in passages.items()}

    async def passage_ids(self, article_id: int) -> list[int]:
        """The ids of an article's passages, in order."""
        return [
            int(r[0])
            for r in await self._rows(
                "SELECT id FROM passages WHERE article_id = ? ORDER BY ordinal", (article_id,)
            )
        ]

    async def following(self, ids: list[int]) -> dict[int, int]:
        """For each passage id, the id of the passage after it in its article (if any)."""
        rows = await self._rows_for(
            "SELECT p.id, n.id FROM passages p JOIN passages n "
            "ON n.article_id = p.article_id AND n.ordinal = p.ordinal + 1 "
            "WHERE p.id IN ({ids})",
            ids,
        )
        return {int(r[0]): int(r[1]) for r in rows}

    async def articles(self, article_id: int | None = None) -> list[ArticleSummary]:
        """Every article, or the one with `article_id` (none if there is no such article)."""
        where, params = ("WHERE a.id = ?", (article_id,)) if article_id is not None else ("", ())
        rows = await self._rows(
            "SELECT a.id, a.title, a.date, a.source, "
            "(SELECT COUNT(*) FROM passages p WHERE p.article_id = a.id), "
            "(SELECT COUNT(*) FROM attributions t JOIN passages p ON p.id = t.passage_id "
            f" WHERE p.article_id = a.id) FROM articles a {where} ORDER BY a.id",
            params,
        )
        return [
            ArticleSummary(
                id=r[0], title=r[1], date=_date(r[2]), source=r[3], passages=r[4], attributions=r[5]
            )
            for r in rows
        ]

    async def article_ids(self) -> list[int]:
        return [int(r[0]) for r in await self._rows("SELECT id FROM articles ORDER BY id")]

    async def stored_articles(self, ids: list[int] | None = None) -> list[tuple[int, Article]]:
        """Every article (or those of `ids` that exist), with its id, as it was read in."""
        columns = "SELECT id, title, date, source, text, content_hash, author, site FROM articles"
        if ids is not None:
            rows = await self._rows_for(columns + " WHERE id IN ({ids}) ORDER BY id", ids)
        else:
            rows = list(await self._rows(columns + " ORDER BY id"))
        return [
            (
                r[0],
                Article(
                    title=r[1],
                    date=_date(r[2]),
                    source=r[3],
                    text=r[4],
                    content_hash=r[5],
                    author=r[6],
                    site=r[7],
                ),
            )
            for r in rows
        ]

    async def _identities(self) -> dict[str, str]:
        """Every stored speaker name's canonical name: one identity per person across
        articles ("Obama" and "Barack Obama" are one speaker; see attribution.identity)."""
        return (await self._identity_index())[0]

    async def _identity_index(self) -> tuple[dict[str, str], dict[str, set[str]]]:
        """The canonical names, and the stored names by folded word. Kept until the store
        changes: reading every attribution for each question would cost a scan of the
        table."""
        generation = await self.generation()
        cached = _IDENTITIES.get(self)
        if cached is not None and cached[0] == generation:
            return cached[1], cached[2]
        rows = [
            (str(r[0]), r[1], int(r[2]))
            for r in await self._rows(
                "SELECT speaker, role, COUNT(*) FROM attributions WHERE speaker IS NOT NULL "
                "GROUP BY speaker, role"
            )
        ]
        canonical = identities(rows)
        by_word: dict[str, set[str]] = {}
        for speaker in canonical:
            for word in fold(speaker).split():
                by_word.setdefault(word, set()).add(speaker)
        _IDENTITIES[self] = (generation, canonical, by_word)
        return canonical, by_word

    async def speakers(self, article_id: int | None = None) -> list[tuple[str, int]]:
        """Who is quoted, and how often, most quoted first; each person once, by the full name
        the library knows them by."""
        scope, params = (
            ("AND p.article_id = ?", (article_id,)) if article_id is not None else ("", ())
        )
        rows = await self._rows(
            "SELECT t.speaker, COUNT(*) AS n FROM attributions t "
            "JOIN passages p ON p.id = t.passage_id "
            f"WHERE t.speaker IS NOT NULL {scope} "
            "GROUP BY t.speaker",
            params,
        )
        canonical = await self._identities()
        counts: Counter[str] = Counter()
        for speaker, n in rows:
            counts[canonical.get(str(speaker), str(speaker))] += int(n)
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))

    async def speaker_dates(
        self, article_id: int | None = None
    ) -> list[tuple[str, dt.date | None, int]]:
        """How often each person is quoted in each article's date (None: undated), by the name
        the library knows them by."""
        scope, params = ("AND p.article_id = ?", (article_id,)) if article_id else ("", ())
        rows = await self._rows(
            "SELECT t.speaker, a.date, COUNT(*) FROM attributions t "
            "JOIN passages p ON p.id = t.passage_id JOIN articles a ON a.id = p.article_id "
            f"WHERE t.speaker IS NOT NULL {scope} GROUP BY t.speaker, a.date",
            params,
        )
        canonical = await self._identities()
        counts: Counter[tuple[str, dt.date | None]] = Counter()
        for speaker, date, n in rows:
            when = dt.date.fromisoformat(str(date)) if date else None
            counts[(canonical.get(str(speaker), str(speaker)), when)] += int(n)
        return [(speaker, when, n) for (speaker, when), n in counts.items()]

    async def speaker_passages(self, name: str) -> tuple[str, list[int]] | None:
        """The most quoted person whose full name (or any name they are stored under) holds
        every word of `name` ("Mustafa", "naji mustafa"), by their canonical name, and the
        passages quoting them under any of their names, in reading order."""
        name_words = [w for w in fold(name).split() if w.isalpha() or "-" in w]
        if not name_words:
            return None
        canonical, by_word = await self._identity_index()
        holding = set.intersection(*(by_word.get(word, set()) for word in name_words))
        matching = {canonical[speaker] for speaker in holding}
        if not matching:
            return None
        names = [speaker for speaker, person in canonical.items() if person in matching]
        found: list[Any] = []
        for chunk in _chunks(names, 500):
            marks = ", ".join("?" for _ in chunk)
            found.extend(
                await self._rows(
                    f"SELECT t.speaker, p.id, p.article_id, p.ordinal FROM attributions t "
                    f"JOIN passages p ON p.id = t.passage_id WHERE t.speaker IN ({marks})",
                    chunk,
                )
            )
        found.sort(key=lambda r: (r[2], r[3]))
        rows = [(canonical[str(r[0])], int(r[1])) for r in found]
        if not rows:
            return None
        counts = Counter(person for person, _ in rows)
        person = max(counts, key=lambda s: (counts[s], -len(s)))
        return person, list(dict.fromkeys(pid for s, pid in rows if s == person))

    async def holds(self, article: Article) -> bool:
        """Whether this very content is stored already (saving it again changes nothing)."""
        found = await self._one(
            "SELECT 1 FROM articles WHERE content_hash = ?", (article.content_hash,)
        )
        return found is not None

    async def vectors(self, model: str) -> AsyncIterator[tuple[int, bytes]]:
        """Every passage vector made by `model`."""
        async for row in self._stream(
            "SELECT passage_id, vector FROM vectors WHERE model = ?", (model,)
        ):
            yield int(row[0]), bytes(row[1])

    async def without_vectors(self, model: str) -> int:
        """How many passages have no vector from `model` (stored before it was installed)."""
        return int(
            await self._one(
                "SELECT COUNT(*) FROM passages p WHERE NOT EXISTS (SELECT 1 FROM vectors v "
                "WHERE v.passage_id = p.id AND v.model = ?)",
                (model,),
            )
        )

    async def counts(self) -> dict[str, int]:
        return {
            "articles": await self._one("SELECT COUNT(*) FROM articles"),
            "passages": await self._one("SELECT COUNT(*) FROM passages"),
            "attributions": await self._one("SELECT COUNT(*) FROM attributions"),
            "speakers": await self._one(
                "SELECT COUNT(DISTINCT speaker) FROM attributions WHERE speaker IS NOT NULL"
            ),
        }

    # -- following speakers -----------------------------------------------------------------

    async def follow(self, chat_id: int, speaker: str) -> bool:
        """`chat_id` follows `speaker` (a canonical name); the quotes stored now count as told,
        so only new ones are. False if it already did."""
        async with self._transaction():
            new = await self._execute(
                "INSERT INTO follows (chat_id, speaker, created_at) VALUES (?, ?, ?) "
                "ON CONFLICT DO NOTHING",
                (chat_id, speaker, time.time()),
            )
            if new == 0:
                return False
            keys = [key for key, _ in await self._quotes_by(speaker)]
            await self._executemany(
                "INSERT INTO follow_sent (chat_id, speaker, quote_key) VALUES (?, ?, ?) "
                "ON CONFLICT DO NOTHING",
                [(chat_id, speaker, key) for key in keys],
            )
        return True

    async def unfollow(self, chat_id: int, speaker: str | None = None) -> list[str]:
        """`chat_id` stops following `speaker` (None: everyone); the names it stopped following."""
        followed = await self.followed_by(chat_id)
        gone = [s for s in followed if speaker is None or s.casefold() == speaker.casefold()]
        if gone:
            async with self._transaction():
                for name in gone:
                    for table in ("follows", "follow_sent"):
                        await self._execute(
                            f"DELETE FROM {table} WHERE chat_id = ? AND speaker = ?",
                            (chat_id, name),
                        )
        return gone

    async def followed_by(self, chat_id: int) -> list[str]:
        return [
            str(row[0])
            for row in await self._rows(
                "SELECT speaker FROM follows WHERE chat_id = ? ORDER BY speaker", (chat_id,)
            )
        ]

    async def followers(self, speaker: str) -> list[int]:
        return [
            int(row[0])
            for row in await self._rows(
                "SELECT chat_id FROM follows WHERE speaker = ? ORDER BY created_at", (speaker,)
            )
        ]

    async def _quotes_by(self, speaker: str, since: int | None = None) -> list[tuple[str, int]]:
        """(quote key, passage id) of each quote by `speaker` under any of their names; with
        `since`, only in articles changed after that generation."""
        canonical = await self._identities()
        # By canonical name, whatever the case it was followed in before anyone was quoted.
        folded = speaker.casefold()
        names = [name for name, person in canonical.items() if person.casefold() == folded]
        names = names or [speaker]
        marks = ",".join("?" * len(names))
        scope, params = "", list[str | int](names)
        if since is not None:
            scope = "AND p.article_id IN (SELECT article_id FROM changes WHERE generation > ?)"
            params.append(since)
        rows = await self._rows(
            "SELECT p.article_id, p.id, t.quote FROM attributions t "
            f"JOIN passages p ON p.id = t.passage_id WHERE t.speaker IN ({marks}) {scope} "
            "ORDER BY p.id",
            params,
        )
        return [(quote_key(int(r[0]), str(r[2])), int(r[1])) for r in rows]

    async def news_for_followers(self, since: int) -> list[tuple[int, str, str, int]]:
        """Quotes by followed speakers in articles changed after generation `since` that their
        followers were not told of: (chat id, speaker, quote key, passage id), by speaker."""
        speakers = [str(row[0]) for row in await self._rows("SELECT DISTINCT speaker FROM follows")]
        news = []
        for speaker in speakers:
            quotes = await self._quotes_by(speaker, since)
            if not quotes:
                continue
            told = {
                (int(r[0]), str(r[1]))
                for r in await self._rows(
                    "SELECT chat_id, quote_key FROM follow_sent WHERE speaker = ?", (speaker,)
                )
            }
            for chat_id in await self.followers(speaker):
                news += [
                    (chat_id, speaker, key, pid)
                    for key, pid in quotes
                    if (chat_id, key) not in told
                ]
        return news

    async def told(self, chat_id: int, speaker: str, key: str, *, told: bool = True) -> bool:
        """Record that `chat_id` was told of the quote `key`, so it never is again (`told`
        False: forget that, after a send that failed). Whether this call changed the record:
        False when another process (a replica) recorded it first, and so tells it."""
        statement = (
            "INSERT INTO follow_sent (chat_id, speaker, quote_key) VALUES (?, ?, ?) "
            "ON CONFLICT DO NOTHING"
            if told
            else "DELETE FROM follow_sent WHERE chat_id = ? AND speaker = ? AND quote_key = ?"
        )
        async with self._transaction():
            return await self._execute(statement, (chat_id, speaker, key)) > 0


def quote_key(article_id: int, quote: str) -> str:
    """The same quote in the same article, the same key, whatever re-reading did to row ids."""
    digest = hashlib.sha256(" ".join(quote.split()).encode("utf-8")).hexdigest()[:16]
    return f"{article_id}:{digest}"


T = TypeVar("T")


# Each open store's speaker identities, with the generation they were read at.
# Per store: its generation, each speaker name's canonical name, and the names by folded word.
_IDENTITIES: WeakKeyDictionary[Store, tuple[int, dict[str, str], dict[str, set[str]]]] = (
    WeakKeyDictionary()
)


def _chunks(items: list[T], size: int) -> list[list[T]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


class SQLiteStore(Store):
    """One SQLite file (WAL) through aiosqlite, one connection: the embedded default."""

    migrations = MIGRATIONS

    def __init__(self, db: aiosqlite.Connection, path: Path, *, writable: bool = True) -> None:
        self._db = db
        self.path = path
        self.writable = writable
        self.index_base = path
        self.name = str(path)
        self.target = str(path)

    @classmethod
    async def connect(cls, path: Path, *, create: bool = True) -> SQLiteStore:
        """The store in `path`, made there if it is missing and `create` (else StoreError). A
        file or folder this process may not write is opened read-only: reading works, and
        every write is a StoreError naming the path."""
        if not path.exists():
            if not create:
                raise StoreError(f"{path}: the database does not exist (ingest creates it)")
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise StoreError(
                    f"{path}: cannot create the database ({error.strerror})"
                ) from error
        elif not _writable(path):
            return await cls._open_read_only(path)
        try:
            db = await aiosqlite.connect(path, isolation_level=None)
        except sqlite3.Error as error:
            raise failure(path, error) from error
        try:
            await db.execute("PRAGMA journal_mode=WAL")
            await db.execute("PRAGMA synchronous=NORMAL")
            await cls._prepare(db)
            await db.executescript(SCHEMA)
            store = cls(db, path)
            await store._check_version()
        except sqlite3.Error as error:
            await db.close()
            raise failure(path, error) from error
        except BaseException:
            await db.close()
            raise
        return store

    @classmethod
    async def _open_read_only(cls, path: Path) -> SQLiteStore:
        """Read-only: `mode=ro` where SQLite may keep its shared-memory file beside the
        database, else (a read-only folder) `immutable=1`, which reads the file as it is."""
        last: sqlite3.Error | None = None
        for immutable in (False, True):
            try:
                db = await aiosqlite.connect(
                    _read_only_uri(path, immutable), uri=True, isolation_level=None
                )
            except sqlite3.Error as error:
                last = error
                continue
            try:
                await cls._prepare(db)
                store = cls(db, path, writable=False)
                version = await store.get_meta("schema_version")
            except sqlite3.Error as error:
                await db.close()
                last = error
                continue
            if version is None or int(version) != SCHEMA_VERSION:
                await db.close()
                raise StoreError(
                    f"{path}: read-only, and its schema version ({version}) is not this "
                    f"saidwho's ({SCHEMA_VERSION}); open it once where it can be written"
                )
            log.info("%s is read-only: answering from it, no changes", path)
            return store
        assert last is not None
        raise failure(path, last) from last

    @staticmethod
    async def _prepare(db: aiosqlite.Connection) -> None:
        await db.execute("PRAGMA foreign_keys=ON")
        await db.execute("PRAGMA busy_timeout=10000")
        await db.create_function("fold", 1, _fold_or_none, deterministic=True)

    async def close(self) -> None:
        await self._db.close()

    async def _rows(self, sql: str, params: Iterable[Any] = ()) -> list[Any]:
        async with self._db.execute(sql, tuple(params)) as cur:
            return list(await cur.fetchall())

    async def _row(self, sql: str, params: Iterable[Any] = ()) -> Any:
        async with self._db.execute(sql, tuple(params)) as cur:
            return await cur.fetchone()

    async def _execute(self, sql: str, params: Iterable[Any] = ()) -> int:
        async with self._db.execute(sql, tuple(params)) as cur:
            return cur.rowcount

    async def _executemany(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        await self._db.executemany(sql, rows)

    async def _stream(self, sql: str, params: Iterable[Any] = ()) -> AsyncIterator[Any]:
        async with self._db.execute(sql, tuple(params)) as cur:
            async for row in cur:
                yield row

    @asynccontextmanager
    async def _transaction(self) -> AsyncIterator[None]:
        """One write transaction. On failure it is rolled back if SQLite has not already done
        so (on a full disk it has, and a second ROLLBACK would hide why), and a database error
        becomes a StoreError that says what happened to which file."""
        if not self.writable:
            raise StoreError(f"{self.path}: the database is read-only; nothing was changed")
        try:
            await self._db.execute("BEGIN IMMEDIATE")
            try:
                yield
                await self._db.execute("COMMIT")
            except BaseException:
                await self._rollback()
                raise
        except sqlite3.Error as error:
            raise failure(self.path, error) from error

    async def _rollback(self) -> None:
        if self._db.in_transaction:
            try:
                await self._db.execute("ROLLBACK")
            except sqlite3.Error as error:  # the error being handled is the one to report
                log.debug("rollback failed after an error: %s", error)

    async def set_meta(self, key: str, value: str) -> None:
        """One statement, no transaction of its own: SQLite writes it atomically, and it may
        come while this connection's transaction is open."""
        if not self.writable:
            raise StoreError(f"{self.path}: the database is read-only; nothing was changed")
        try:
            await self._set_meta(key, value)
        except sqlite3.Error as error:
            raise failure(self.path, error) from error

    async def _announce(self, generation: int) -> None:
        """Nothing to send: a reader compares the generation before each question."""

    async def size(self) -> int:
        return sum(p.stat().st_size for p in (self.path, Path(f"{self.path}-wal")) if p.exists())

    async def save_page(self, key: str, body: str, generation: int, keep: int) -> bool:
        """Pages are pruned by rowid, which SQLite raises with each insert (INSERT OR REPLACE
        included): deleting those `keep` below the newest is a range on the table's own
        b-tree, a few rows each time, where ordering by created_at scanned and sorted the
        whole table (85 ms at 10,000 pages)."""
        if not self.writable:
            return False
        try:
            await self._db.execute(PAGES_SCHEMA)
            async with self._db.execute(
                "INSERT OR REPLACE INTO pages (key, body, generation, created_at) "
                "VALUES (?, ?, ?, ?)",
                (key, body, generation, time.time()),
            ) as cur:
                newest = cur.lastrowid
            if newest is not None:
                await self._db.execute("DELETE FROM pages WHERE rowid <= ?", (newest - keep,))
        except sqlite3.Error as error:
            raise failure(self.path, error) from error
        return True

    async def take_page(self, key: str) -> tuple[str, int] | None:
        if not self.writable:
            return None  # none was kept
        try:
            row = await self._row(
                "DELETE FROM pages WHERE key = ? RETURNING body, generation", (key,)
            )
        except sqlite3.OperationalError as error:
            if "no such table" in str(error):
                return None  # no page was ever kept here
            raise failure(self.path, error) from error
        except sqlite3.Error as error:
            raise failure(self.path, error) from error
        return None if row is None else (str(row[0]), int(row[1]))

    async def save_share(self, key: str, question: str) -> bool:
        if not self.writable:
            return False
        try:
            await self._db.execute(SHARES_SCHEMA)
            await self._db.execute(
                "INSERT OR IGNORE INTO shares (key, question, created_at) VALUES (?, ?, ?)",
                (key, question, time.time()),
            )
        except sqlite3.Error as error:
            raise failure(self.path, error) from error
        return True

    async def shared(self, key: str) -> str | None:
        try:
            row = await self._row("SELECT question FROM shares WHERE key = ?", (key,))
        except sqlite3.OperationalError as exc:
            if "no such table" in str(exc):
                return None  # nothing was ever shared here
            raise failure(self.path, exc) from exc
        return None if row is None else str(row[0])


def is_postgres(target: Path | str) -> bool:
    """Whether `target` names a PostgreSQL database (a URI libpq takes) rather than a file."""
    return isinstance(target, str) and target.startswith(("postgresql://", "postgres://"))
