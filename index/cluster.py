"""Ingest on a cluster: reading, attribution and embedding on Dask workers, saving here.

`saidwho ingest --workers N` starts a local cluster of N worker processes (one thread each, so
one core each), `--cluster ADDRESS` uses a running one (`dask scheduler` and `dask worker`
processes on other machines, with saidwho installed). Each worker loads the sentence model once
(`Reader`, a worker plugin, set up again on a worker the cluster restarts). The client loads
each input (a file, a URL, stdin: cheap I/O) and sends the article's text, so workers need no
access to its files; a worker returns the article read into passages and attributions, and
their vectors.

Only this process writes the store (SQLite is single-writer), through the library's own saving
path (`Library.add_read`, passed in): one transaction per article, results taken a batch at a
time as they complete. So a worker that dies mid-way has written nothing; Dask gives its articles to
another worker, and an article whose worker died `allowed-failures` times (Dask's setting,
3 by default) is reported by name as failed, the others landing. A local cluster hands a worker
one article at a time, so only the one it was reading when it died is suspected; a running
cluster queues as its own settings say (`distributed.scheduler.worker-saturation`), and an
article queued behind the one that kills its worker may be suspected with it.

Dask, not Ray (README "Past one box"): 44 MB installed against Ray 2.60's 259 MB, pure
Python, and a dead worker's tasks given to another by the scheduler as a matter of course.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager
from typing import Any

import dask
from distributed import Client, LocalCluster, WorkerPlugin, as_completed, get_worker
from distributed.scheduler import KilledWorker

from index.errors import ArticleError, StoreError
from index.meaning import Embedder, installed_embedder, passage_text, to_blob
from index.models import Article, IngestResult, ParsedArticle
from index.reading import READ_SECONDS, read_within
from index.store import Vectors

PLUGIN = "saidwho-reader"
# Articles in flight per worker: enough that a worker never waits for the client, few enough
# that an archive of a million articles is never all in memory at once.
IN_FLIGHT_PER_WORKER = 4

Outcome = IngestResult | BaseException


class Reader(WorkerPlugin):
    """Per worker: the sentence model, loaded once when the worker starts (or restarts)."""

    name = PLUGIN

    def __init__(self, dense: bool) -> None:
        self.dense = dense
        self.embedder: Embedder | None = None

    def setup(self, worker: Any) -> None:
        self.embedder = installed_embedder() if self.dense else None


def read_and_embed(article: Article, embed: bool) -> tuple[ParsedArticle, Vectors | None]:
    """On a worker: `article` read into passages and attributions, and embedded if `embed`
    (not for an article the store holds already: it keeps its vectors)."""
    reader = get_worker().plugins[PLUGIN]
    assert isinstance(reader, Reader), "the saidwho reader plugin is registered first"
    parsed = read_within(article, READ_SECONDS)  # refused by name past the budget, as at home
    embedder = reader.embedder
    if not embed or embedder is None or not parsed.passages:
        return parsed, None
    vectors = embedder.embed_passages([passage_text(p) for p in parsed.passages])
    return parsed, (embedder.name, [to_blob(row) for row in vectors])


@asynccontextmanager
async def connected(workers: int | None, address: str | None) -> AsyncIterator[Client]:
    """A client of the cluster at `address`, or of a local one of `workers` processes."""
    if address is not None:
        async with Client(address, asynchronous=True) as client:
            yield client
        return
    # A worker is given a task only when its thread is free (no queue of its own): when it
    # dies, only the article it was reading is suspected, not those waiting behind it. (Read
    # as the scheduler starts, so set around the whole cluster's life.)
    with dask.config.set({"distributed.scheduler.worker-saturation": 1.0}):
        async with (
            LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                asynchronous=True,
                dashboard_address=None,
                # A worker's errors come back with its tasks; what it logs besides (a missed
                # heartbeat as the cluster closes) is no news for whoever ingests.
                silence_logs=logging.CRITICAL,
            ) as cluster,
            Client(cluster, asynchronous=True) as client,
        ):
            yield client


async def ingest(
    client: Client,
    specs: Iterable[str],
    load: Callable[[str], Awaitable[Article]],
    holds: Callable[[Article], Awaitable[bool]],
    save: Callable[[ParsedArticle, Vectors | None], Awaitable[IngestResult]],
    *,
    dense: bool,
) -> AsyncGenerator[tuple[str, Outcome]]:
    """Each of `specs` loaded here by `load`, read (and embedded unless the store `holds` it)
    on the cluster, stored here by `save` (`Library.add_read`): yields (spec, its result or
    the exception that stopped it) as each is done, in the order they finish. An input that
    fails to load or read fails alone, by name; a StoreError ends it."""
    await client.register_plugin(Reader(dense))
    workers = max(1, len(client.scheduler_info()["workers"]))
    window = workers * IN_FLIGHT_PER_WORKER
    pending = iter(specs)
    names: dict[str, str] = {}  # task key -> spec
    run = uuid.uuid4().hex[:8]  # keys of this run only, on a cluster shared with others
    done = as_completed(loop=client.loop)

    async def submit_next() -> tuple[str, Outcome] | None:
        """Load the next input and submit it; (spec, error) if it failed to load."""
        for n, spec in enumerate(pending, start=len(names)):
            try:
                article = await load(spec)
            except (ArticleError, UnicodeError, ValueError, OSError) as exc:
                return spec, exc
            embed = not await holds(article)
            key = f"saidwho-read-{n}-{run}"
            names[key] = spec
            done.add(client.submit(read_and_embed, article, embed, key=key, retries=0))
            return None
        return None

    async def refill() -> AsyncIterator[tuple[str, Outcome]]:
        while done.count() < window:
            before = len(names)
            failed = await submit_next()
            if failed is not None:
                yield failed
            elif len(names) == before:
                return  # no input left

    async for failed in refill():
        yield failed
    while not done.is_empty():
        # Every result that is in, saved in turn: the store is written from here alone.
        batch = [await done.__anext__(), *done.next_batch(block=False)]
        for future in batch:
            spec = names[future.key]
            try:
                parsed, vectors = await future
            except KilledWorker:
                yield spec, ArticleError(f"{spec}: its worker died each time it was read")
                continue
            except (ArticleError, UnicodeError, ValueError, OSError) as exc:
                yield spec, exc
                continue
            finally:
                future.release()
            try:
                result: Outcome = await save(parsed, vectors)
            except StoreError as exc:  # the store, not this input: the rest would fail too
                yield spec, exc
                return
            except (ArticleError, UnicodeError, ValueError, OSError) as exc:
                result = exc
            yield spec, result
        async for failed in refill():
            yield failed
