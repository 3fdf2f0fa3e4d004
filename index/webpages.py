"""Web pages: the main text and metadata of an HTML page, through trafilatura."""

from __future__ import annotations

import datetime as dt

import trafilatura

from index.articles import HEADER_LINES, content_hash, find_date
from index.errors import ArticleError
from index.models import Article

MIN_WORDS = 20  # less than this is navigation, a paywall stub or an error page


def looks_like_html(text: str) -> bool:
    head = text.lstrip()[:1024].lower()
    return head.startswith(("<!doctype html", "<html", "<?xml")) or "<body" in head


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return find_date(value)


def parse_html(html: str, source: str, url: str | None = None) -> Article:
    """An article from a web page's HTML; refuses pages with no article text in them."""
    try:
        doc = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            # Only dates the page's markup gives: htmldate's extensive search turns a bare year
            # in the text ("since 2006", a copyright line) into 1 January of it. Dates written
            # out in the text are found below, as in a .txt article.
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as exc:  # lxml raises many kinds on garbage; all mean "cannot read"
        raise ArticleError(f"{source}: cannot read the HTML ({type(exc).__name__})") from exc
    if doc is None:
        raise ArticleError(f"{source}: no article text found in the page")
    doc = doc if isinstance(doc, dict) else doc.as_dict()
    lines = [" ".join(line.split()) for line in str(doc.get("text") or "").splitlines()]
    lines = [line for line in lines if line]
    title = " ".join(str(doc.get("title") or "").split()) or (lines[0] if lines else "")
    if lines and lines[0] == title:
        lines = lines[1:]
    if sum(len(line.split()) for line in lines) < MIN_WORDS:
        raise ArticleError(f"{source}: no article text found in the page")
    text = title + "\n\n" + "\n\n".join(lines) + "\n"
    return Article(
        title=title,
        date=_date(doc.get("date")) or find_date("\n".join(lines[:HEADER_LINES])),
        source=source,
        text=text,
        content_hash=content_hash(text),
        author=doc.get("author") or None,
        site=doc.get("sitename") or None,
    )
