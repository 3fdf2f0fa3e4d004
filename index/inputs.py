"""Inputs: whatever an admin hands over (a path, a folder, a URL, an upload) made an Article.

Every failure is an `ArticleError` whose message names the input and says what is wrong.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Sequence
from pathlib import Path

from index.articles import MAX_BYTES, decode, parse_article
from index.errors import ArticleError
from index.fetch import FetchLimits, fetch
from index.models import Article
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


def load_file(path: Path, max_bytes: int = MAX_BYTES) -> Article:
    """An article from a `.txt` or `.html` file; its resolved path is its source."""
    if path.is_dir():
        raise ArticleError(f"{path}: a folder with no .txt or .html articles in it")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ArticleError(f"{path}: too large ({size:,} bytes; the limit is {max_bytes:,})")
        data = path.read_bytes()
    except OSError as exc:
        raise ArticleError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    return article_from_bytes(data, str(path), source=str(path.resolve()))


async def load(spec: str, max_bytes: int = MAX_BYTES, timeout: float = 15.0) -> Article:
    """The article a path or URL names."""
    if is_url(spec):
        page = await fetch(spec, FetchLimits(timeout=timeout, max_bytes=max_bytes))
        if page.content_type == "text/plain":
            return parse_article(page.text, source=spec, name=page.url)
        return parse_html(page.text, source=spec, url=page.url)
    return await asyncio.to_thread(load_file, Path(spec), max_bytes)
