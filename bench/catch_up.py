"""Catching up with another process's write: a running library (the bot) over a store of
2,000 articles, while `saidwho ingest` adds one article in another process. How long after the
ingest's commit does the running library answer a question about the new article?

    .venv/bin/python bench/catch_up.py [--articles 2000] [--rounds 3] [--db PATH]

The store is built from ../shared/eval/polnear-train/articles (700 articles, repeated under
other titles to reach --articles; each distinct article is read once and its passages stored
again for each copy). The commit is seen by polling the store's generation from another
connection every 2 ms; the question is asked at once, as a user's question arriving right after
the commit would be. Each round ingests a new made-up article with a word found nowhere else.
"incremental" is how the library catches up (the store's change log); "full rebuild" is how it
did before (forced by making the log unusable to the library), for comparison. Prints a table.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sqlite3
import statistics
import string
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from index.articles import content_hash, parse_article  # noqa: E402
from index.library import READING_VERSION, READING_VERSION_KEY, Library  # noqa: E402
from index.models import ParsedArticle  # noqa: E402
from index.reading import read  # noqa: E402
from index.store import Store  # noqa: E402

# ../shared beside the repo (a worktree one level further down finds it too).
TRAIN = next(
    (
        found
        for base in (ROOT.parent, ROOT.parent.parent)
        if (found := base / "shared" / "eval" / "polnear-train" / "articles").is_dir()
    ),
    ROOT.parent / "shared" / "eval" / "polnear-train" / "articles",
)
SAIDWHO = Path(sys.executable).parent / "saidwho"

NEW_ARTICLE = """Lighthouse keepers vote to stay on {word} Point

June 4, 2024

The last keepers of the {word} Point lighthouse voted on Monday to stay at their post after
the coast authority offered to automate the light.

"A machine does not row out to a boat in trouble," said Mara Ellison, the head keeper of
{word} Point, who has worked at the light for twenty years.
"""


async def build_store(db: Path, count: int) -> None:
    files = sorted(TRAIN.glob("*.txt"))
    store = await Store.open(db)
    try:
        parsed: list[ParsedArticle] = []
        done = 0
        while (await store.counts())["articles"] < count:
            path = files[done % len(files)]
            copy = done // len(files)
            done += 1
            if copy == 0:
                article = parse_article(
                    path.read_text(encoding="utf-8"), source=str(path), name=path.name
                )
                parsed.append(read(article))
                await store.save(parsed[-1])
                continue
            # A copy: another title and source, so another article; the same passages.
            first = parsed[(done - 1) % len(files)]
            text = f"{first.article.title} (copy {copy})\n" + first.article.text.split("\n", 1)[1]
            article = first.article.model_copy(
                update={
                    "title": f"{first.article.title} (copy {copy})",
                    "source": f"{first.article.source}#copy{copy}",
                    "text": text,
                    "content_hash": content_hash(text),
                }
            )
            await store.save(ParsedArticle(article=article, passages=first.passages))
            if done % 250 == 0:
                print(f"  stored {done} articles", file=sys.stderr, flush=True)
        await store.set_meta(READING_VERSION_KEY, READING_VERSION)
    finally:
        await store.close()


def generation(db: Path) -> int:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        row = conn.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
    return int(row[0]) if row else 0


async def one_round(bot: Library, db: Path, folder: Path, word: str) -> tuple[float, float, bool]:
    """(seconds from the commit to the answer, seconds the ingest took, answer right?)"""
    path = folder / f"{word.lower()}.txt"
    path.write_text(NEW_ARTICLE.format(word=word), encoding="utf-8")
    before = generation(db)
    env = {**os.environ, "SAIDWHO_DENSE": "false", "SAIDWHO_LOG_LEVEL": "WARNING"}
    started = time.perf_counter()
    ingest = await asyncio.create_subprocess_exec(
        str(SAIDWHO), "ingest", "--db", str(db), str(path), env=env, cwd=folder
    )
    while generation(db) == before:
        if ingest.returncode is not None:
            raise SystemExit("the ingest ended without committing")
        await asyncio.sleep(0.002)
    committed = time.perf_counter()
    answer = await bot.ask(f"who said a machine does not row out at {word} Point?")
    answered = time.perf_counter()
    await ingest.wait()
    right = bool(answer.results) and word in answer.results[0].passage.text
    return answered - committed, time.perf_counter() - started, right


async def run(db: Path, count: int, rounds: int) -> list[tuple[str, list[float], float, bool]]:
    if not db.exists():
        if not any(TRAIN.glob("*.txt")):
            sys.exit(f"no articles in {TRAIN}")
        print(f"building a store of {count} articles in {db}…", file=sys.stderr, flush=True)
        await build_store(db, count)
    rows = []
    folder = db.parent
    # A made-up word per round, new on every run (a reused store already holds the last ones).
    words = iter("Quill" + "".join(random.choices(string.ascii_lowercase, k=6)) for _ in range(99))
    async with await Library.open(db) as bot:
        articles = (await bot.store.counts())["articles"]
        print(f"running library over {articles} articles", file=sys.stderr, flush=True)
        for mode in ("incremental", "full rebuild"):
            if mode == "full rebuild":

                async def no_log() -> bool:
                    return False

                bot._apply_delta = no_log  # type: ignore[method-assign]
            times, ingests, right = [], [], True
            for _ in range(rounds):
                latency, took, ok = await one_round(bot, db, folder, next(words))
                times.append(latency)
                ingests.append(took)
                right = right and ok
            rows.append((mode, times, statistics.median(ingests), right))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--db", type=Path, help="keep (or reuse) the store here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        db = args.db or Path(scratch) / "catch-up.db"
        rows = asyncio.run(run(db, args.articles, args.rounds))
    print(f"{'mode':<14} {'commit to answer, median s':>27} {'max s':>7} {'ingest s':>9} right")
    for mode, times, ingest, right in rows:
        median, worst = statistics.median(times), max(times)
        print(f"{mode:<14} {median:>27.3f} {worst:>7.3f} {ingest:>9.2f} {'yes' if right else 'NO'}")


if __name__ == "__main__":
    main()
