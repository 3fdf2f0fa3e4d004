"""The `saidwho` command: ingest, ask, extract (the contract in the README), console and run."""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import io
import json
import logging
import os
import sqlite3
import sys
from collections import Counter
from collections.abc import AsyncGenerator, Iterator, Sequence
from contextlib import aclosing
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError
from tqdm import tqdm

from bot import render
from bot.settings import Settings, default_db, setting_errors
from bot.signals import exit_signals
from index.errors import ArticleError, StoreError
from index.library import (
    Cancelled,
    Library,
    extract_article,
    for_terminal,
    inputs,
    is_postgres,
    read_capped,
    shown_path,
)
from index.models import Answer, Article, IngestResult, IngestStatus, ParsedArticle

log = logging.getLogger(__name__)


def _db(args: argparse.Namespace, settings: Settings) -> Path | str:
    """A SQLite file, or a postgresql:// URI (kept as written: a path would fold its `//`)."""
    db = str(args.db) if args.db else settings.db
    return db if is_postgres(db) else Path(db)


def _is_default(args: argparse.Namespace, settings: Settings) -> bool:
    """Whether the database is the default one, the only one the bundled sample goes into (a
    database of one's own, by --db or SAIDWHO_DB, holds one's own articles)."""
    return _db(args, settings) == default_db()


async def _open(
    args: argparse.Namespace, settings: Settings, *, create: bool = True, dense: bool = True
) -> Library:
    """The library, with the dense extra's model when it is installed and not switched off
    (nor `dense` False: the model works elsewhere); a missing database is made only if
    `create` (a typo in `ask --db` is not a new one)."""
    return await Library.open(
        _db(args, settings),
        dense=settings.dense and dense,
        create=create,
        read_seconds=settings.read_seconds,
    )


# -- ingest -------------------------------------------------------------------------------


async def _ingest_one(library: Library, spec: str, settings: Settings) -> IngestResult:
    if spec == "-":
        if sys.stdin is None:  # started with stdin closed (<&-)
            raise ArticleError("stdin: closed, nothing to read")
        data = read_capped(sys.stdin.buffer, "stdin", settings.max_file_bytes)
        source = f"stdin:{hashlib.sha256(data).hexdigest()[:16]}"
        return await library.add_upload("stdin", data, source=source)
    return await library.add_input(
        spec, settings.max_file_bytes, allow_private=settings.fetch_allow_private
    )


def _describe(result: IngestResult) -> str:
    if result.status is IngestStatus.UNCHANGED:
        return f"already indexed as article {result.article_id}"
    passages = render.counted(result.passages, "passage")
    return f"{result.status.value} as article {result.article_id}, {passages}"


async def _load_one(library: Library, spec: str, settings: Settings) -> Article:
    """An input loaded, not yet read (for a cluster's workers to read)."""
    if spec == "-":
        if sys.stdin is None:
            raise ArticleError("stdin: closed, nothing to read")
        data = read_capped(sys.stdin.buffer, "stdin", settings.max_file_bytes)
        source = f"stdin:{hashlib.sha256(data).hexdigest()[:16]}"
        return await library.load_upload("stdin", data, source=source)
    return await library.load_input(
        spec, settings.max_file_bytes, allow_private=settings.fetch_allow_private
    )


async def _outcomes(
    library: Library, specs: list[str], args: argparse.Namespace, settings: Settings
) -> AsyncGenerator[tuple[str, IngestResult | BaseException]]:
    """Each input's result or what stopped it: here one at a time, or on a cluster's workers
    (`--workers`, `--cluster`) in the order they finish."""
    if args.workers is None and args.cluster is None:
        for spec in specs:
            try:
                yield spec, await _ingest_one(library, spec, settings)
            except (ArticleError, StoreError, UnicodeError, ValueError, OSError) as exc:
                yield spec, exc
        return
    async for outcome in library.add_on_cluster(
        specs,
        lambda spec: _load_one(library, spec, settings),
        workers=args.workers,
        address=args.cluster,
        dense=settings.dense,
    ):
        yield outcome


def _cluster_installed() -> bool:
    """Whether Dask is installed for `--workers`/`--cluster` (said in a line if not)."""
    try:
        import distributed  # noqa: F401  # the `cluster` extra
    except ImportError:
        print(
            "error: --workers and --cluster need the cluster extra: pip install 'saidwho[cluster]'",
            file=sys.stderr,
        )
        return False
    if not logging.getLogger().isEnabledFor(logging.DEBUG):
        # Dask logs every worker's start and stop at INFO on a handler of its own (set up as
        # it is imported, so here): our summary says what happened.
        logging.getLogger("distributed").setLevel(logging.WARNING)
    return True


async def ingest(args: argparse.Namespace, settings: Settings) -> int:
    """Each input lands or fails on its own; a progress bar shows on a terminal only."""
    if (args.workers or args.cluster) and not _cluster_installed():
        return 2
    specs = inputs(args.paths)
    tally: Counter[str] = Counter()
    store_failed = False  # the database failed (a full disk, a read-only file): stop there
    stopped = 0  # inputs not tried after that
    done = 0
    bar = tqdm(total=len(specs), unit="article", file=sys.stderr, disable=not sys.stderr.isatty())
    # On a cluster the workers embed: this process loads no model of its own.
    local = args.workers is None and args.cluster is None
    async with (
        await _open(args, settings, dense=local) as library,
        aclosing(_outcomes(library, specs, args, settings)) as outcomes,
    ):
        async for spec, outcome in outcomes:
            done += 1
            if isinstance(outcome, StoreError):  # every later input would fail the same way
                tally["failed"] += 1
                store_failed, stopped = True, len(specs) - done
                bar.write(f"error: {_shown(spec)}: not saved: {outcome}", file=sys.stderr)
                break
            if isinstance(outcome, ArticleError):
                tally["failed"] += 1
                bar.write(f"error: {for_terminal(str(outcome))}", file=sys.stderr)
            elif isinstance(outcome, BaseException):  # what an input should not raise
                tally["failed"] += 1
                log.debug("ingest of %s failed", spec, exc_info=outcome)
                bar.write(f"error: {_shown(spec)}: {_one_line(outcome)}", file=sys.stderr)
            else:
                tally[outcome.status.value] += 1
                if args.verbose:
                    bar.write(f"{_shown(spec)}: {_describe(outcome)}", file=sys.stderr)
            bar.update()
    bar.close()
    added = tally[IngestStatus.ADDED] + tally[IngestStatus.REPLACED]
    summary = f"{added} added, {tally[IngestStatus.UNCHANGED]} unchanged, {tally['failed']} failed"
    print(summary + (f", {stopped} not tried" if stopped else ""), file=sys.stderr)
    if store_failed:
        return 2
    return 1 if tally["failed"] else 0


async def _reindex_with_bar(library: Library) -> int:
    """`library.reindex` with a progress bar on a terminal."""
    bar = tqdm(unit="article", file=sys.stderr, disable=not sys.stderr.isatty())

    async def progress(done: int, total: int) -> None:
        bar.total = total
        bar.update(done - bar.n)

    count = await library.reindex(progress)
    bar.close()
    return count


async def reindex(args: argparse.Namespace, settings: Settings) -> int:
    """Re-read every stored article (after an upgrade, or to embed articles stored before the
    dense extra was installed); a progress bar shows on a terminal only. SIGINT or SIGTERM
    stops it within seconds, every article re-read so far kept."""
    async with await _open(args, settings, create=False) as library:
        with exit_signals(library.cancel):
            try:
                count = await _reindex_with_bar(library)
            except Cancelled:
                print(
                    "stopped: the articles not re-read yet keep their earlier reading; "
                    "`saidwho reindex` again finishes",
                    file=sys.stderr,
                )
                return 130
    print(f"{render.counted(count, 'article')} re-indexed", file=sys.stderr)
    return 0


# Up to this many stored articles, a bot started after an upgrade re-reads them before it
# answers (about 2 s per 100 articles; matching by meaning, which embeds them too, about 15 s
# per 100 on two cores, hence a tenth as many); a larger store is left to /reindex, which
# answers meanwhile.
REREAD_AT_START = 1000


async def ready_to_answer(library: Library, *, sample: bool = False) -> None:
    """With `sample` (the default database), the bundled article on its first start; articles
    read by an older saidwho, or stored before the dense extra was installed, read again. A
    store that cannot be written (a full disk) still answers what it holds: the failure is
    said in one line, not fatal."""
    await library.warm_up()
    try:
        await _prepare_store(library, sample)
    except StoreError as exc:
        print(f"warning: {exc}", file=sys.stderr)


async def _prepare_store(library: Library, sample: bool) -> None:
    if not library.writable:
        return  # read-only: answer from what is there
    if sample:
        await library.seed_sample()
    stats = await library.stats()
    if stats.read_by_older_version:
        why = "stored by an older saidwho"
    elif stats.without_vectors:
        why = "stored before the sentence model was installed"
    else:
        return
    if stats.articles > (REREAD_AT_START if library.embedder is None else REREAD_AT_START // 10):
        return  # Library.open has logged a warning: /reindex
    print(f"Re-reading {render.counted(stats.articles, 'article')} {why}…", file=sys.stderr)
    await _reindex_with_bar(library)


# -- ask ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Unreadable:
    """A line of stdin that is no text: what it read as, and why."""

    text: str
    why: str


def _questions(args: argparse.Namespace) -> Iterator[str | _Unreadable]:
    """The question given as arguments, or each line of stdin: a line that is not UTF-8 is
    an `_Unreadable`, and the lines after it are still read."""
    if args.question:
        yield " ".join(args.question)
        return
    if sys.stdin is None:  # started with stdin closed (<&-)
        raise _Closed("stdin is closed: give the question as arguments, or pipe questions in")
    for number, line in enumerate(sys.stdin.buffer, start=1):
        line = line.rstrip(b"\n").removesuffix(b"\r")
        try:
            yield line.decode("utf-8")
        except UnicodeDecodeError as exc:
            text = line.decode("utf-8", errors="replace")
            yield _Unreadable(
                text,
                f"line {number} is not UTF-8 (byte {exc.object[exc.start]:#04x} at {exc.start})",
            )


class _Closed(Exception):
    """An input the command needs is closed."""


async def ask(args: argparse.Namespace, settings: Settings) -> int:
    """Each question answered in turn; a line that cannot be read gets an error (an object
    with `error` under --json, one per line as the contract says) and the rest go on."""
    failed = 0
    async with await _open(args, settings, create=False) as library:
        for question in _questions(args):
            if isinstance(question, _Unreadable):
                failed += 1
                print(f"error: stdin: {question.why}", file=sys.stderr)
                if args.json:
                    unread = Answer(question=question.text).model_dump(mode="json")
                    print(json.dumps({**unread, "error": question.why}), flush=True)
                continue
            answer = await library.ask(question, k=args.k)
            if args.json:
                told = answer.model_copy(update={"note": render.note(answer)})
                print(told.model_dump_json(), flush=True)
            else:
                print(render.plain(render.answer(answer)) + "\n", flush=True)
    return 1 if failed else 0


# -- extract ------------------------------------------------------------------------------


async def extract(args: argparse.Namespace, settings: Settings) -> int:
    failed = 0
    for spec in inputs(args.paths):
        try:
            parsed = await extract_article(
                spec,
                settings.max_file_bytes,
                allow_private=settings.fetch_allow_private,
                read_seconds=settings.read_seconds,
            )
        except ArticleError as exc:
            failed += 1
            print(f"error: {for_terminal(str(exc))}", file=sys.stderr)
            continue
        except (UnicodeError, ValueError, OSError) as exc:  # what an input should not raise
            failed += 1
            log.debug("extract of %s failed", spec, exc_info=True)
            print(f"error: {_shown(spec)}: {_one_line(exc)}", file=sys.stderr)
            continue
        if args.json:
            doc = {
                "article": parsed.info.model_dump(mode="json", exclude={"id"}),
                "passages": [p.model_dump(mode="json") for p in parsed.passages],
            }
            print(json.dumps(doc, ensure_ascii=False), flush=True)
        else:
            _print_extract(parsed)
    return 1 if failed else 0


def _print_extract(parsed: ParsedArticle) -> None:
    """Passages' attributions for people, every piece of the article's text made inert for a
    terminal."""
    print(for_terminal(f"# {parsed.info.title}"))
    for p in parsed.passages:
        for a in p.attributions:
            who = render.plain(render.attribution_line(a))
            print(for_terminal(f"[{p.ordinal}] {a.cue or ''}: “{a.quote}” {who}"))
    print()


def _shown(spec: str) -> str:
    """An input as given, printable (a file name that is not UTF-8 escaped)."""
    return for_terminal(shown_path(spec))


def _one_line(exc: BaseException) -> str:
    """An unexpected error in one line: its kind and what it says."""
    said = " ".join(str(exc).split())
    return for_terminal(f"{type(exc).__name__}: {said}" if said else type(exc).__name__)


# -- the bot ------------------------------------------------------------------------------


async def _ready(args: argparse.Namespace, settings: Settings, library: Library) -> bool:
    """`ready_to_answer`, stopped by SIGINT or SIGTERM (then False: exit, not start)."""
    with exit_signals(library.cancel):
        try:
            await ready_to_answer(library, sample=_is_default(args, settings))
        except Cancelled:
            return False
    return not library.cancelled


async def console(args: argparse.Namespace, settings: Settings) -> int:
    from bot.console import run_console

    # Started with stdin closed (<&-): no lines to read, as at the end of a piped input.
    stdin = sys.stdin if sys.stdin is not None else io.StringIO()
    async with await _open(args, settings) as library:
        if await _ready(args, settings, library):
            await run_console(library, settings, admin=args.admin, group=args.group, stdin=stdin)
    return 0


async def run(args: argparse.Namespace, settings: Settings) -> int:
    if settings.telegram_token is None:
        print("No TELEGRAM_TOKEN set: starting the console bot.", file=sys.stderr)
        return await console(args, settings)
    from bot.telegram import run_telegram  # only here: the console needs no telegram import

    async with await _open(args, settings) as library:
        if not await _ready(args, settings, library):
            return 0
        return await run_telegram(library, settings)


# -- parser -------------------------------------------------------------------------------


MAX_K = 50  # passages per answer that `ask -k` accepts


def _workers(text: str) -> int:
    """`ingest --workers`: a whole number of worker processes, at least 1."""
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"{n} workers: give 1 or more")
    return n


def _passages(text: str) -> int:
    """`-k`: a whole number from 1 to MAX_K (argparse names the flag in its error)."""
    try:
        k = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 1 <= k <= MAX_K:
        raise argparse.ArgumentTypeError(f"{k} passages: give 1 to {MAX_K}")
    return k


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="saidwho",
        description="Who said it? Answers questions about news articles with attribution.",
    )
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def db_option(cmd: argparse.ArgumentParser) -> None:
        cmd.add_argument(
            "--db",
            help="SQLite database file or postgresql:// URI (default: SAIDWHO_DB or user data)",
        )

    cmd = sub.add_parser("ingest", help="add articles: files, folders, URLs, stdin")
    cmd.description = (
        "Add articles to the database: .txt and .html files, folders (every such file inside, "
        "recursively), http(s) URLs, and - for stdin. Bad inputs are reported by name and "
        "skipped; the exit status is non-zero if any failed."
    )
    db_option(cmd)
    cmd.add_argument("paths", nargs="+", metavar="PATH")
    cmd.add_argument("-v", "--verbose", action="store_true", help="a line for every input")
    where = cmd.add_mutually_exclusive_group()
    where.add_argument(
        "--workers",
        type=_workers,
        metavar="N",
        help="read and embed on N worker processes of a local Dask cluster (the cluster extra)",
    )
    where.add_argument(
        "--cluster",
        metavar="ADDRESS",
        help="read and embed on the Dask cluster whose scheduler is at ADDRESS (tcp://host:8786)",
    )

    cmd = sub.add_parser("reindex", help="re-read every stored article")
    cmd.description = (
        "Re-split, re-attribute and re-index every stored article, one at a time (the bot "
        "keeps answering meanwhile); with the dense extra, embed them too."
    )
    db_option(cmd)

    cmd = sub.add_parser("ask", help="answer questions (arguments, or one per line on stdin)")
    cmd.description = (
        "Answer a question given as arguments, or each line of stdin. With --json, print one "
        "JSON object per question."
    )
    db_option(cmd)
    cmd.add_argument("question", nargs="*", help="the question (default: read stdin)")
    cmd.add_argument("--json", action="store_true", help="one JSON object per question")
    cmd.add_argument(
        "-k", type=_passages, default=5, help=f"passages per answer, 1 to {MAX_K} (default 5)"
    )

    cmd = sub.add_parser("extract", help="print passages and attributions, no database")
    cmd.description = (
        "Split articles (files, folders, URLs) into passages and print their attributions, "
        "without touching any database."
    )
    cmd.add_argument("paths", nargs="+", metavar="PATH")
    cmd.add_argument("--json", action="store_true", help="one JSON object per article")

    for name, text in (
        ("console", "chat with the bot in this terminal"),
        ("run", "run the bot: Telegram when TELEGRAM_TOKEN is set, else the console"),
    ):
        cmd = sub.add_parser(name, help=text)
        cmd.description = text[0].upper() + text[1:] + "."
        db_option(cmd)
        cmd.add_argument("--admin", action="store_true", help="act as an admin (console)")
        cmd.add_argument(
            "--group",
            action="store_true",
            help="act as a group chat: only /ask and commands are for the bot (console)",
        )
    return p


def _log_level(args: argparse.Namespace, settings: Settings) -> str:
    """SAIDWHO_LOG_LEVEL when set; else INFO for the Telegram bot (a service's log) and with
    -v, WARNING for the rest, whose output is their summary and progress."""
    if settings.log_level:
        return settings.log_level
    if getattr(args, "verbose", False):
        return "INFO"
    telegram = args.command == "run" and settings.telegram_token is not None
    return "INFO" if telegram else "WARNING"


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        settings = Settings()
    except ValidationError as error:
        for line in setting_errors(error):
            print(f"error: {line}", file=sys.stderr)
        return 2
    level = _log_level(args, settings)
    logging.basicConfig(
        level=level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    if level != "DEBUG":
        # trafilatura warns "discarding data" for a page without article text, which the
        # input's own error already says; httpx logs every request at INFO.
        logging.getLogger("trafilatura").setLevel(logging.ERROR)
        logging.getLogger("httpx").setLevel(logging.WARNING)
    try:
        runners = {
            "ingest": ingest,
            "reindex": reindex,
            "ask": ask,
            "extract": extract,
            "console": console,
            "run": run,
        }
        runner = runners[args.command]
        return asyncio.run(runner(args, settings))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `saidwho ask | head`: the reader has what it wanted
        _quiet_stdout()
        return 0
    except _Closed as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (StoreError, sqlite3.Error, OSError) as exc:  # the database, not an input
        print(f"error: {for_terminal(str(exc))}", file=sys.stderr)
        return 2


def _quiet_stdout() -> None:
    """Point stdout at /dev/null, so the flush at exit does not meet the closed pipe again
    (Python's documented way out of a BrokenPipeError)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, AttributeError, ValueError):
        pass  # stdout is gone altogether: nothing will be flushed to it


if __name__ == "__main__":
    sys.exit(main())
