"""Inputs: whatever an admin hands over (a path, a folder, a URL, an upload) made an Article.

Every failure is an `ArticleError` whose message names the input and says what is wrong.
"""

from __future__ import annotations

import asyncio
import os
import stat
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

from index.articles import MAX_BYTES, decode, parse_article
from index.errors import ArticleError
from index.fetch import FetchLimits, fetch
from index.models import Article
from index.textclean import shown_path
from index.webpages import looks_like_html, parse_html

TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
ARTICLE_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES


def is_url(spec: str) -> bool:
    return spec.lower().startswith(("http://", "https://"))


def expand(specs: Sequence[str]) -> Iterator[str]:
    """URLs and files as given; folders as the article files inside them, recursively, in
    name order (other files in a folder are skipped, not refused). A folder with no article in
    it is given as it is, so that loading it says so."""
    for spec in specs:
        path = Path(spec)
        if not is_url(spec) and path.is_dir():
            found = (p for p in path.rglob("*") if p.suffix.lower() in ARTICLE_SUFFIXES)
            files = [str(p) for p in sorted(found) if p.is_file()]
            yield from files or [spec]
        else:
            yield spec


def article_from_bytes(data: bytes, name: str, source: str) -> Article:
    """An article from a file's bytes; `name` (file name or URL) decides HTML or text."""
    text = decode(data, name)
    suffix = Path(name.split("?", 1)[0]).suffix.lower()
    if suffix in HTML_SUFFIXES or (suffix not in TEXT_SUFFIXES and looks_like_html(text)):
        return parse_html(text, source=source)
    return parse_article(text, source=source, name=Path(name).name)


def _kind_of(mode: int) -> str:
    for test, kind in (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a pipe (FIFO)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return kind
    return "not a regular file"


def read_capped(stream: BinaryIO, name: str, max_bytes: int) -> bytes:
    """At most `max_bytes` from `stream` (a file, stdin), never reading more than one byte
    past it: an endless input (/dev/zero, a pipe) costs the cap, not all memory."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ArticleError(f"{name}: too large (more than the limit of {max_bytes:,} bytes)")
    return data


def load_file(path: Path, max_bytes: int = MAX_BYTES) -> Article:
    """An article from a `.txt` or `.html` file; its resolved path is its source. Only a
    regular file is read: a device or a pipe is refused by name before it is opened (so a FIFO
    with no writer cannot hang the reader), and no file is read past `max_bytes` whatever size
    it reports (/proc files say 0)."""
    try:
        mode = os.stat(path).st_mode
        if stat.S_ISDIR(mode):
            raise ArticleError(f"{path}: a folder with no .txt or .html articles in it")
        if not stat.S_ISREG(mode):
            raise ArticleError(f"{path}: {_kind_of(mode)}, not a file; only files are read")
        # O_NONBLOCK: should the path be swapped for a FIFO after the check, opening it does
        # not wait for a writer, and the check on the opened file below refuses it.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as file:
            opened = os.fstat(file.fileno())
            if not stat.S_ISREG(opened.st_mode):
                raise ArticleError(f"{path}: {_kind_of(opened.st_mode)}, not a file")
            if opened.st_size > max_bytes:
                raise ArticleError(
                    f"{path}: too large ({opened.st_size:,} bytes; the limit is {max_bytes:,})"
                )
            data = read_capped(file, str(path), max_bytes)
    except OSError as exc:
        raise ArticleError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    suffix = path.suffix.lower()
    # A path is named on purpose, so a README, a Makefile or /etc/hostname would land as an
    # "article" of one line; only a page saved without its extension is read as well.
    if suffix not in ARTICLE_SUFFIXES and not looks_like_html(decode(data, str(path))):
        kind = f"a {suffix} file" if suffix else "a file without a .txt or .html extension"
        raise ArticleError(
            f"{shown_path(path)}: not an article ({kind}); articles are .txt or .html files"
        )
    # A file name that is not UTF-8 is stored (and printed) with its bytes escaped.
    return article_from_bytes(data, str(path), source=shown_path(path.resolve()))


async def load(
    spec: str, max_bytes: int = MAX_BYTES, timeout: float = 15.0, *, allow_private: bool = False
) -> Article:
    """The article a path or URL names. URLs on loopback, private and other non-public
    addresses are refused unless `allow_private` (an intranet deployment)."""
    if is_url(spec):
        limits = FetchLimits(timeout=timeout, max_bytes=max_bytes, allow_private=allow_private)
        page = await fetch(spec, limits)
        if page.content_type == "text/plain":
            return parse_article(page.text, source=spec, name=page.url)
        # trafilatura takes seconds on a big page: not on the event loop.
        return await asyncio.to_thread(parse_html, page.text, source=spec, url=page.url)
    return await asyncio.to_thread(load_file, Path(spec), max_bytes)
