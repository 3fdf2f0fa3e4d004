"""The library: the store and the search index kept in step, and the operations on both.

This is what every adapter (CLI, console, Telegram) talks to. CPU work runs in worker
threads so a chat adapter's event loop stays responsive, and the heavy work of articles coming
in (reading, embedding, indexing them, for an add or a re-index) has a pool of its own, of
INGEST_WORKERS threads, apart from answering's: forty uploads at once queue there, not in front
of anyone's question (issue 32, row 9). An article's passages are embedded a batch at a time.

Long work stops when the process is asked to exit (`cancel`): between articles, between
batches, and (through `index.budget`) inside reading; an article stopped half-way is not saved,
each saved one is whole (one transaction each).
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import datetime as dt
import functools
import logging
import threading
import uuid
from collections.abc import AsyncGenerator, Awaitable, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from importlib import resources
from pathlib import Path
from types import TracebackType
from typing import Any, ParamSpec, TypeVar

from index.articles import MAX_BYTES as MAX_BYTES  # the default upload limit, for settings
from index.articles import parse_article
from index.asking import Answerer, Indexes
from index.attribution import VERSION as ATTRIBUTION_VERSION
from index.budget import Cancelled as Cancelled  # what long work raises on `cancel`
from index.budget import OverBudget
from index.errors import ArticleError, NotALink, StoreError
from index.inputs import article_from_bytes, expand, is_url, load, load_file
from index.inputs import read_capped as read_capped  # for stdin, in the CLI
from index.meaning import (
    Embedder,
    MeaningIndex,
    from_blob,
    installed_embedder,
    passage_text,
    to_blob,
)
from index.models import (
    Answer,
    Article,
    ArticleInfo,
    ArticleSummary,
    FollowNews,
    IngestResult,
    IngestStatus,
    ParsedArticle,
    Passage,
    ScoredPassage,
    Stats,
)
from index.passages import VERSION as PASSAGES_VERSION
from index.ranking import Weights, fitted
from index.reading import READ_SECONDS as READ_SECONDS  # the default budget, for settings
from index.reading import read_within
from index.search import SearchIndex
from index.spelling import load_dictionary
from index.store import Saved, Store, Vectors
from index.store import is_postgres as is_postgres  # what --db names, for the CLI
from index.terms import TERMS_VERSION, article_terms, findable_terms
from index.textclean import clean
from index.textclean import for_terminal as for_terminal  # for what adapters print
from index.textclean import look_alike as look_alike  # for how replies show a speaker
from index.textclean import shown_path as shown_path  # for file names the CLI prints

log = logging.getLogger(__name__)

SAMPLE_NAME = "russian-soldiers-idlib-2019-07-18.txt"
# How stored articles were read (split into passages, then attributed): kept in the store's
# meta, so a store read by an older saidwho says so until reindexed.
READING_VERSION = f"passages {PASSAGES_VERSION}, attribution {ATTRIBUTION_VERSION}"
READING_VERSION_KEY = "reading_version"
FOLLOW_GENERATION_KEY = "follow_generation"  # changes up to it were looked at for followers

Progress = Callable[[int, int], Awaitable[None]]  # (done, total)

# Threads for articles coming in. One: on two cores that leaves the other to answering (the
# Python of reading holds the GIL, and the passages' model session runs on one thread).
INGEST_WORKERS = 1
# Passages embedded per run of the pool: between two runs another article's work or the
# shutdown gets its turn (about a second's work on one core).
EMBED_BATCH = 64

P = ParamSpec("P")
R = TypeVar("R")

# Changed passages up to which (or up to a quarter of the index) another process's changes are
# applied one by one; past that (a reindex by the CLI), building the index anew is quicker.
CATCH_UP_PASSAGES = 5_000


def sample_article() -> Article:
    """The article bundled with the package, so a fresh install has something to answer from."""
    text = (resources.files("index") / "sample" / SAMPLE_NAME).read_text(encoding="utf-8")
    return parse_article(text, source=f"saidwho sample: {SAMPLE_NAME}", name=SAMPLE_NAME)


class Library:
    def __init__(
        self,
        store: Store,
        embedder: Embedder | None = None,
        weights: Weights | None = None,
        read_seconds: float | None = READ_SECONDS,
    ) -> None:
        self.store = store
        self.read_seconds = read_seconds  # how long reading one article may take
        self.embedder = embedder  # the sentence model, unless switched off
        self._indexes = Indexes(SearchIndex(), SearchIndex(), MeaningIndex())
        if weights is None:  # the fitted ones, for words alone or with meaning
            weights = fitted("meaning" if embedder else "words")
        self.answerer = Answerer(store, self._indexes, embedder, weights)
        self._generation = -1
        # Held while our own change is saved and the indexes follow it, so a question asked
        # meanwhile neither sees the store ahead of the index nor rebuilds it (see `_catch_up`).
        self._writing = asyncio.Lock()
        self.indexed_at: dt.datetime | None = None
        self._ingest = ThreadPoolExecutor(INGEST_WORKERS, thread_name_prefix="saidwho-ingest")
        self._cancelled = threading.Event()  # set by `cancel`: long work stops
        self._listener: asyncio.Task[None] | None = None  # catching up as the store announces
        self._announced_sync = False  # whether `_writing` is held to catch up on an announcement

    def cancel(self) -> None:
        """Stop long work (an add, a re-index) soon, the process is exiting: what runs raises
        `Cancelled` at its next check, the article it was on unsaved; questions still work."""
        self._cancelled.set()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def _check(self) -> None:
        if self._cancelled.is_set():
            raise Cancelled("stopped: shutting down")

    async def _heavy(self, work: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
        """`work` on the ingest pool, unless `cancel` was called."""
        self._check()
        return await self._pooled(work, *args, **kwargs)

    async def _pooled(self, work: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
        """`work` on the ingest pool (with this task's context, as `asyncio.to_thread`)."""
        call = functools.partial(contextvars.copy_context().run, work, *args, **kwargs)
        return await asyncio.get_running_loop().run_in_executor(self._ingest, call)

    def _read(self, article: Article) -> ParsedArticle:
        """`read`, refused by name (`OverBudget`) past `read_seconds`, and stopped at the
        reader's checks once `cancel` is called; either way before it is stored."""
        return read_within(article, self.read_seconds, self._cancelled)

    @classmethod
    async def open(
        cls,
        path: Path | str,
        embedder: Embedder | None = None,
        *,
        dense: bool = False,
        create: bool = True,
        weights: Weights | None = None,
        read_seconds: float | None = READ_SECONDS,
    ) -> Library:
        """The library stored at `path`, a SQLite file (made if missing and `create`; opened
        read-only, for answering, if this process may not write it) or a postgresql:// URI;
        `dense`: with the sentence model, when it is installed (loading it takes under a
        second); `weights`: ranking weights other than the fitted ones; `read_seconds`: how
        long reading one article may take before it is refused (`OverBudget`, naming it)."""
        if embedder is None and dense:
            embedder = await asyncio.to_thread(installed_embedder)
        library = cls(await open_store(path, create=create), embedder, weights, read_seconds)
        await library._sync()
        library._listen()
        if await library.read_by_older_version():
            log.warning(
                "the stored articles were read by an older saidwho; "
                "`saidwho reindex` or /reindex reads them again"
            )
        if embedder and (missing := await library.store.without_vectors(embedder.name)):
            log.warning(
                "%d passages have no meaning vectors yet; `saidwho reindex` or /reindex adds them",
                missing,
            )
        return library

    async def read_by_older_version(self) -> bool:
        """Whether stored articles were split into passages or attributed by another version
        than this one. A store with no articles yet takes this version."""
        stored = await self.store.get_meta(READING_VERSION_KEY)
        if stored == READING_VERSION:
            return False
        if (await self.store.counts())["articles"] == 0:
            if self.store.writable:
                await self.store.set_meta(READING_VERSION_KEY, READING_VERSION)
            return False
        return True

    def _listen(self) -> None:
        """Where the store announces changes (PostgreSQL), catch up as each is made, so a
        replica's index follows another's ingest before anyone asks."""
        if not self.store.announces:
            return
        self._listener = asyncio.create_task(self._follow_changes(), name="saidwho-changes")

    async def _follow_changes(self) -> None:
        """Catch up on each generation announced, until cancelled; a lost connection is
        opened again (what was announced meanwhile is caught up by the next question)."""
        while True:
            try:
                async for generation in self.store.changes():
                    if generation != self._generation:
                        await self._catch_up(announced=True)
            except StoreError as error:  # the listening connection or a catch-up failed
                log.warning("%s; listening for changes again in 1 s", error)
            except Exception:  # a bug must not stop catching up: each question still does
                log.exception("catching up on an announced change failed")
            await asyncio.sleep(1)  # the connection ended: listen again

    async def close(self) -> None:
        self.cancel()  # any work still running (an add left behind) stops
        self._ingest.shutdown(wait=False, cancel_futures=True)
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
        try:
            await self._save_index()
        finally:
            await self.store.close()

    async def __aenter__(self) -> Library:
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    async def _sync(self) -> None:
        """Bring the index to the store's generation (at open, or when another process wrote).
        Behind by changes the store's log still holds: those are applied, whatever the store's
        size (a CLI ingest while the bot runs costs the bot that article, not a rebuild).
        Otherwise loaded from the index saved beside the store if it was saved at that
        generation, else rebuilt from the store and saved."""
        generation = await self.store.generation()
        if generation == self._generation:
            return
        if self._generation >= 0 and await self._apply_delta():
            return
        meta = await self._index_meta(generation)
        index = await asyncio.to_thread(SearchIndex.load, self.index_path, meta)
        if index is None:
            index = await self._rebuilt_index()
            if self._may_save(meta):
                await asyncio.to_thread(index.save, self.index_path, meta)
        articles = await asyncio.to_thread(SearchIndex.load, self.article_index_path, meta)
        if articles is None:
            articles = await self._rebuilt_article_index()
            if self._may_save(meta):
                await asyncio.to_thread(articles.save, self.article_index_path, meta)
        self._indexes.passages, self._indexes.articles = index, articles
        self._generation = generation
        self._indexes.meaning = await self._loaded_meaning()
        self.indexed_at = dt.datetime.now(dt.UTC)

    async def _apply_delta(self) -> bool:
        """Apply what other processes changed since our generation; False if the store's log
        cannot say (then the caller rebuilds)."""
        model = self.embedder.name if self.embedder is not None else None
        delta = await self.store.delta(self._generation, model)
        indexes = self._indexes
        if delta is None or len(delta.passages) > max(
            CATCH_UP_PASSAGES, len(indexes.passages) // 4
        ):
            return False  # a gap in the log, or so much changed that building is quicker

        def apply() -> None:
            indexes.passages.remove(delta.removed_passages)
            for passage_id, passage in delta.passages:
                indexes.passages.add(passage_id, findable_terms(passage))
            indexes.articles.remove(delta.removed_articles)
            for article_id, article in delta.articles:
                indexes.articles.add(article_id, article_terms(article))
            indexes.meaning.remove(delta.removed_passages)
            if delta.vectors:
                indexes.meaning.add((pid, from_blob(blob)) for pid, blob in delta.vectors)

        await asyncio.to_thread(apply)
        log.debug(
            "caught up from generation %d to %d: %d passages out, %d in",
            self._generation,
            delta.generation,
            len(delta.removed_passages),
            len(delta.passages),
        )
        self._generation = delta.generation
        self.indexed_at = dt.datetime.now(dt.UTC)
        await self._merge_if_due()
        return True

    async def _loaded_meaning(self) -> MeaningIndex:
        meaning = MeaningIndex()
        if self.embedder is not None:
            pairs = [
                (pid, from_blob(blob)) async for pid, blob in self.store.vectors(self.embedder.name)
            ]
            await asyncio.to_thread(meaning.add, pairs)
        return meaning

    @property
    def index_path(self) -> Path:
        """The saved passage index: beside the SQLite file, or in the cache folder for a
        PostgreSQL store (index/pgstore.py)."""
        base = self.store.index_base
        return base.with_name(base.name + ".bm25")

    @property
    def article_index_path(self) -> Path:
        """The saved article index, beside the passage index."""
        base = self.store.index_base
        return base.with_name(base.name + ".articles.bm25")

    async def _index_meta(self, generation: int) -> dict[str, Any]:
        """What a saved index must match to be used: this store at this generation, indexed
        with these terms. The store is named by a key kept in it, so a new database at the same
        path never gets an old index whose generation happens to match."""
        key = await self.store.get_meta("index_key")
        if key is None and self.store.writable:
            key = uuid.uuid4().hex
            await self.store.set_meta("index_key", key)
        # A read-only store without a key yet: no saved index can match, and none is saved.
        return {"store": key, "generation": generation, "terms": TERMS_VERSION}

    async def _rebuilt_index(self) -> SearchIndex:
        """The index built from the stored passages and attributions (nothing is re-read)."""
        passages = [(passage_id, passage) async for passage_id, passage in self.store.passages()]

        def build() -> SearchIndex:
            return SearchIndex.build((pid, findable_terms(passage)) for pid, passage in passages)

        return await asyncio.to_thread(build)

    async def _rebuilt_article_index(self) -> SearchIndex:
        stored = await self.store.stored_articles()

        def build() -> SearchIndex:
            return SearchIndex.build((aid, article_terms(article)) for aid, article in stored)

        return await asyncio.to_thread(build)

    def _may_save(self, meta: dict[str, Any]) -> bool:
        """Whether to save the index beside the store: not beside a read-only one."""
        return self.store.writable and meta["store"] is not None

    async def _save_index(self) -> None:
        """Save the index if it holds changes the saved one lacks, so the next start loads it
        rather than rebuilding; not if another process changed the store since we synced."""
        if self._generation < 0 or self._generation != await self.store.generation():
            return
        meta = await self._index_meta(self._generation)
        if not self._may_save(meta):
            return
        for index, path in (
            (self._indexes.passages, self.index_path),
            (self._indexes.articles, self.article_index_path),
        ):
            if index.persisted != meta:
                await asyncio.to_thread(index.save, path, meta)

    async def _merge_if_due(self) -> None:
        """Fold the index's side segment into its main one, in a worker thread: answering goes
        on meanwhile."""
        for index in (self._indexes.passages, self._indexes.articles):
            if index.needs_merge():
                await asyncio.to_thread(index.merge)

    async def _catch_up(self, *, announced: bool = False) -> None:
        """Bring the indexes to the store before answering, unless our own change is under
        way: it brings them there itself, and until then they hold the store as it was. A
        catch-up on another process's announced change is waited for: that change is
        committed, and a question after it is answered with it. `announced`: this is one."""
        if not self._writing.locked() or self._announced_sync:
            async with self._writing:
                self._announced_sync = announced
                try:
                    await self._sync()
                finally:
                    self._announced_sync = False

    async def _follow(self, saved: Saved, parsed: ParsedArticle, vectors: Vectors | None) -> None:
        """Update the indexes after our own change (the caller holds `_writing`), in a worker
        thread: tokenizing a big article takes seconds, which would stall every chat. Resync
        instead if another process also wrote."""
        if saved.result.status is IngestStatus.UNCHANGED:
            return
        generation = await self.store.generation()
        if generation != self._generation + 1:
            await self._sync()
            return
        await self._pooled(self._apply, saved, parsed, vectors)  # saved: followed, even now
        self._generation = generation
        self.indexed_at = dt.datetime.now(dt.UTC)
        await self._merge_if_due()

    def _apply(self, saved: Saved, parsed: ParsedArticle, vectors: Vectors | None) -> None:
        indexes = self._indexes
        indexes.passages.remove(saved.removed)
        for passage_id, passage in saved.added:
            indexes.passages.add(passage_id, findable_terms(passage))
        indexes.articles.add(saved.result.article_id, article_terms(parsed.article))
        indexes.meaning.remove(saved.removed)
        if vectors is not None:
            pids = [pid for pid, _ in saved.added]
            indexes.meaning.add(zip(pids, map(from_blob, vectors[1]), strict=True))

    # -- articles in -----------------------------------------------------------------------

    async def add(self, article: Article, progress: Progress | None = None) -> IngestResult:
        """Read, embed and store `article`; `progress` hears of its passages embedded."""
        parsed = await self._heavy(self._read, article)
        _answerable(parsed)
        vectors = None
        if not await self.store.holds(article):  # an unchanged article keeps its vectors
            vectors = await self._vectors(parsed, progress)
        return await self.add_read(parsed, vectors)

    async def add_read(self, parsed: ParsedArticle, vectors: Vectors | None) -> IngestResult:
        """Store an article already read (and embedded, when `vectors`), elsewhere: by a
        worker of a cluster (`index.cluster`). One transaction; the indexes follow."""
        _answerable(parsed)
        self._check()  # not saved once the process is exiting: it has the rest to do
        async with self._writing:
            await self._sync()
            saved = await self.store.save(parsed, vectors=vectors)
            await self._follow(saved, parsed, vectors)
        return saved.result

    async def add_on_cluster(
        self,
        specs: Sequence[str],
        load: Callable[[str], Awaitable[Article]],
        *,
        workers: int | None = None,
        address: str | None = None,
        dense: bool = True,
    ) -> AsyncGenerator[tuple[str, IngestResult | BaseException]]:
        """`specs`, each loaded by `load`, read and embedded on a Dask cluster (a local one of
        `workers` processes, or the one at `address`; the `cluster` extra), embedded there when
        `dense` and the model is installed there, stored here: (spec, its result or what
        stopped it) in the order they finish (see `index.cluster`). This library needs no
        model of its own for it."""
        from index import cluster

        async with cluster.connected(workers, address) as client:
            async for outcome in cluster.ingest(
                client,
                specs,
                load,
                self.store.holds,
                self.add_read,
                dense=dense,
            ):
                yield outcome

    async def add_file(
        self, path: Path, max_bytes: int = MAX_BYTES, progress: Progress | None = None
    ) -> IngestResult:
        return await self.add(await self._heavy(load_file, path, max_bytes), progress)

    @staticmethod
    def takes(spec: str, *, local: bool) -> bool:
        """Whether `add_input` reads `spec`: an http(s) URL, or with `local` a path too."""
        return local or is_url(spec)

    async def add_input(
        self,
        spec: str,
        max_bytes: int = MAX_BYTES,
        *,
        local: bool = True,
        allow_private: bool = False,
        progress: Progress | None = None,
    ) -> IngestResult:
        """Add what an http(s) URL names (non-public addresses only if `allow_private`), or a
        path on this machine when `local` (a chat user may not read the bot's files:
        NotALink)."""
        article = await self.load_input(spec, max_bytes, local=local, allow_private=allow_private)
        return await self.add(article, progress)

    @staticmethod
    async def load_input(
        spec: str, max_bytes: int = MAX_BYTES, *, local: bool = True, allow_private: bool = False
    ) -> Article:
        """The article an http(s) URL or (when `local`) a path names, loaded, not yet read."""
        if not is_url(spec):
            if not local:
                raise NotALink(f"{spec}: not an http(s) link")
            spec = str(Path(spec).expanduser())
        return await load(spec, max_bytes, allow_private=allow_private)

    async def add_upload(
        self,
        name: str,
        data: bytes,
        source: str | None = None,
        progress: Progress | None = None,
    ) -> IngestResult:
        """An article sent as a file (a chat upload): `.txt` or `.html`, by name or content."""
        return await self.add(await self.load_upload(name, data, source), progress)

    async def load_upload(self, name: str, data: bytes, source: str | None = None) -> Article:
        """The article in an upload's bytes, loaded, not yet read."""
        return await self._heavy(article_from_bytes, data, name, source or name)

    async def reindex(self, progress: Progress | None = None) -> int:
        """Re-split, re-attribute and re-index every stored article, one transaction each, so
        answering goes on meanwhile and an interruption loses nothing: `cancel` stops it
        between articles (or inside one, which keeps its earlier reading), raising `Cancelled`.
        An article over the reading budget keeps its earlier reading. Returns the count."""
        ids = await self.store.article_ids()
        for done, article_id in enumerate(ids, start=1):
            # Each article as it is stored now, not as it was when the re-index began: one
            # removed or replaced meanwhile is left as that change made it.
            for _, article in await self.store.stored_articles([article_id]):
                try:
                    parsed = await self._heavy(self._read, article)
                except OverBudget as exc:  # kept as it was read before, not lost
                    log.warning("not re-indexed: %s", exc)
                    continue
                vectors = await self._vectors(parsed)
                self._check()
                async with self._writing:
                    saved = await self.store.reread(article_id, parsed, vectors=vectors)
                    if saved is None:
                        log.info(
                            "article %d changed while re-indexing: kept as changed", article_id
                        )
                    else:
                        await self._follow(saved, parsed, vectors)
            if progress:
                await progress(done, len(ids))
        await self.store.set_meta(READING_VERSION_KEY, READING_VERSION)
        return len(ids)

    async def _vectors(
        self, parsed: ParsedArticle, progress: Progress | None = None
    ) -> Vectors | None:
        """The passages' meaning vectors, when matching by meaning: EMBED_BATCH at a time on
        the ingest pool; `progress` hears how many are done."""
        embedder = self.embedder
        if embedder is None or not parsed.passages:
            return None

        def embed(texts: list[str]) -> list[bytes]:
            return [to_blob(row) for row in embedder.embed_passages(texts)]

        texts = [passage_text(p) for p in parsed.passages]
        blobs: list[bytes] = []
        for start in range(0, len(texts), EMBED_BATCH):
            blobs += await self._heavy(embed, texts[start : start + EMBED_BATCH])
            if progress:
                await progress(len(blobs), len(texts))
        return embedder.name, blobs

    async def seed_sample(self) -> IngestResult | None:
        """Add the bundled article on a database's first start, and never again (an admin who
        removed it meant it)."""
        if not self.store.writable or await self.store.get_meta("sample_seeded"):
            return None
        result = await self.add(sample_article())
        await self.store.set_meta("sample_seeded", "1")
        return result

    async def stored_article(self, article_id: int) -> Article | None:
        """Article `article_id` as it was read in (its text, to add back), or None."""
        found = await self.store.stored_articles([article_id])
        return found[0][1] if found else None

    async def remove(self, article_id: int) -> bool:
        async with self._writing:
            await self._sync()
            removed = await self.store.remove(article_id)
            if removed is None:
                return False
            generation = await self.store.generation()
            if generation != self._generation + 1:
                await self._sync()
                return True
            self._indexes.passages.remove(removed)
            self._indexes.articles.remove([article_id])
            self._indexes.meaning.remove(removed)
            self._generation = generation
            await self._merge_if_due()
        return True

    # -- questions -------------------------------------------------------------------------

    async def ask(self, question: str, k: int = 5) -> Answer:
        """The answer to `question`, its `k` best passages each with the attribution it is
        answered with, from the store as it is now (another process's writes included)."""
        await self._catch_up()
        # As articles are stored: "Donald\u200b Trump" and "Ｔｒｕｍｐ" ask about Donald Trump.
        return await self.answerer.ask(clean(question), k)

    async def warm_up(self) -> None:
        """Load what the first question would wait for (the speller's English dictionary)."""
        await asyncio.to_thread(load_dictionary)

    # -- what is known ---------------------------------------------------------------------

    async def counts(self) -> dict[str, int]:
        """How many articles, passages, attributions and speakers are stored."""
        return await self.store.counts()

    @property
    def writable(self) -> bool:
        """Whether changes can be stored (False for a database opened read-only)."""
        return self.store.writable

    @property
    def passages_indexed(self) -> int:
        """How many passages the search index holds (the store's count, once caught up)."""
        return len(self._indexes.passages)

    # -- following speakers -----------------------------------------------------------------

    async def follow(self, chat_id: int, name: str) -> tuple[str, bool, bool]:
        """`chat_id` follows the person `name` means ("Mustafa": Naji Mustafa), or `name` as
        given when nobody by it is quoted yet. Returns (the name followed, whether it is new,
        whether that person is quoted now)."""
        found = await self.store.speaker_passages(name)
        speaker = found[0] if found else " ".join(name.split())
        async with self._writing:  # one write transaction at a time on the connection
            new = await self.store.follow(chat_id, speaker)
        return speaker, new, found is not None

    async def unfollow(self, chat_id: int, name: str | None = None) -> list[str]:
        """Stop following `name` (as given or as the person it means), or everyone (None)."""
        async with self._writing:
            if name is not None and (found := await self.store.speaker_passages(name)):
                gone = await self.store.unfollow(chat_id, found[0])
                if gone:
                    return gone
            return await self.store.unfollow(chat_id, name)

    async def following(self, chat_id: int) -> list[str]:
        return await self.store.followed_by(chat_id)

    async def follow_news(self) -> tuple[int, list[FollowNews]]:
        """Quotes by followed speakers added since the last `followed_up_to` (by this process
        or another, as the store's change log says), not yet told: the generation they reach,
        and the news. The first call only starts counting from now."""
        await self._catch_up()
        generation = await self.store.generation()
        since = await self.store.get_meta(FOLLOW_GENERATION_KEY)
        if since is None or not self.store.writable:  # read-only: nothing could be recorded
            if self.store.writable:
                await self.followed_up_to(generation)
            return generation, []
        found = await self.store.news_for_followers(int(since))
        passages = await self.store.passages_by_id(sorted({pid for *_, pid in found}))
        news = []
        for chat_id, speaker, key, pid in found:
            if pid not in passages:
                continue
            passage, article = passages[pid]
            theirs = [
                a
                for a in passage.attributions
                if (a.speaker or "").casefold() == speaker.casefold()
            ]
            result = ScoredPassage(
                score=0.0,
                passage=passage,
                article=article,
                attributions=passage.attributions,
                attribution=theirs[0] if theirs else None,
            )
            news.append(FollowNews(chat_id=chat_id, speaker=speaker, key=key, result=result))
        return generation, news

    async def followed_up_to(self, generation: int) -> None:
        """Every change up to `generation` was looked at for followers."""
        async with self._writing:
            await self.store.set_meta(FOLLOW_GENERATION_KEY, str(generation))

    async def told(self, news: FollowNews, *, told: bool = True) -> bool:
        """Record that `news` was told to its chat (`told=False`: that it was not after all);
        False if it already was recorded, by another replica that tells it."""
        async with self._writing:
            return await self.store.told(news.chat_id, news.speaker, news.key, told=told)

    async def save_share(self, key: str, question: str) -> bool:
        """Keep a question behind a shared link's `key`; False where nothing can be kept."""
        return await self.store.save_share(key, question)

    async def shared(self, key: str) -> str | None:
        return await self.store.shared(key)

    async def save_page(self, key: str, body: str, generation: int, keep: int) -> bool:
        """Keep the rest of a reply behind `key` (a chat's More button), the `keep` newest;
        False if the store is read-only (nothing kept), StoreError if keeping it failed."""
        return await self.store.save_page(key, body, generation, keep)

    async def passages_at(
        self, places: list[tuple[int, int]]
    ) -> dict[tuple[int, int], tuple[Passage, ArticleInfo]]:
        """The passages at (article id, ordinal) places, for a More page that names them."""
        return await self.store.passages_at(places)

    async def take_page(self, key: str) -> tuple[str, int] | None:
        """The page kept behind `key` and the generation it was made at; shown once."""
        return await self.store.take_page(key)

    async def generation(self) -> int:
        """A number that changes whenever the stored articles do."""
        return await self.store.generation()

    async def articles(self, article_id: int | None = None) -> list[ArticleSummary]:
        return await self.store.articles(article_id)

    async def speaker_dates(
        self, article_id: int | None = None
    ) -> list[tuple[str, dt.date | None, int]]:
        """(person, article date or None, quotes) for a chart of who is quoted over time."""
        return await self.store.speaker_dates(article_id)

    async def quotes_by(self, name: str) -> tuple[str, list[ScoredPassage]] | None:
        """The person `name` means and every passage quoting them, each with their attribution,
        newest article first (undated last), in reading order within an article."""
        found = await self.store.speaker_passages(name)
        if found is None:
            return None
        speaker, passage_ids = found
        passages = await self.store.passages_by_id(passage_ids)
        results = []
        for pid in passage_ids:
            if pid not in passages:
                continue
            passage, article = passages[pid]
            theirs = [a for a in passage.attributions if a.speaker == speaker]
            results.append(
                ScoredPassage(
                    score=0.0,
                    passage=passage,
                    article=article,
                    attributions=passage.attributions,
                    attribution=theirs[0] if theirs else None,
                )
            )
        results.sort(key=lambda r: r.article.date or dt.date.min, reverse=True)  # stable
        return speaker, results

    async def speakers(self, article_id: int | None = None) -> list[tuple[str, int]]:
        return await self.store.speakers(article_id)

    async def stats(self) -> Stats:
        counts = await self.store.counts()
        size = await self.store.size()
        model = self.embedder.name if self.embedder else None
        missing = await self.store.without_vectors(model) if model else 0
        return Stats(
            **counts,
            db_bytes=size,
            indexed_at=self.indexed_at,
            meaning_model=model,
            without_vectors=missing,
            read_by_older_version=await self.read_by_older_version(),
        )


async def open_store(target: Path | str, *, create: bool = True) -> Store:
    """The store `target` names: a postgresql:// (or postgres://) URI, any libpq takes (a unix
    socket as `?host=/path`), is a PostgreSQL database; anything else a SQLite file, made there
    if it is missing and `create` (else StoreError)."""
    if is_postgres(target):
        from index.pgstore import PostgresStore  # psycopg is loaded only for PostgreSQL

        return await PostgresStore.connect(str(target), create=create)
    return await Store.open(Path(target), create=create)


def _answerable(parsed: ParsedArticle) -> None:
    """An article nothing can be answered from is no article: ArticleError naming it."""
    if not parsed.passages:
        raise ArticleError(
            f"{parsed.article.source}: no passage to answer from (nothing but a title line)"
        )


def inputs(specs: Sequence[str]) -> list[str]:
    """What `saidwho ingest` or `extract` is given, folders expanded to the articles in them."""
    return list(expand(specs))


async def extract_article(
    spec: str,
    max_bytes: int = MAX_BYTES,
    *,
    allow_private: bool = False,
    read_seconds: float | None = READ_SECONDS,
) -> ParsedArticle:
    """An article (a path or a URL) read into passages and attributions, stored nowhere;
    refused by name (`OverBudget`) once reading it has taken `read_seconds`."""
    article = await load(spec, max_bytes, allow_private=allow_private)
    return await asyncio.to_thread(read_within, article, read_seconds)
