"""Inline mode: `@<bot> who said russians intervened directly` in any chat offers the best
passages to send there, each as the full reply with its attribution.

Transport-neutral: `InlineAnswers.results` turns a query into `InlineResult`s (a title, a
description, the HTML message sent when one is chosen); the Telegram adapter answers the
inline query with them. People type as they go, so every keystroke is a query: answers are
cached per query text (and library generation) for `CACHE_SECONDS`, and Telegram is told it
may cache them too. Nothing is stored for anyone: no pages, no shares, nothing per user, and
the cache holds only answers any user would get.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass

from bot import render
from bot.htmlsplit import split_html
from index.library import Library
from index.models import Answer

RESULTS = 5  # results offered for one query
CACHE_SECONDS = 30  # how long an inline answer is reused, here and by Telegram
CACHE_KEPT = 1_000  # distinct queries cached; the least recent go
DESCRIPTION_CHARS = 100  # of the passage, under the result's title
MIN_QUERY_CHARS = 3  # shorter queries (the first keystrokes) get no results yet
MAX_QUERY_CHARS = 256  # Telegram's limit on an inline query's text


@dataclass(frozen=True)
class InlineResult:
    id: str
    title: str
    description: str
    html: str  # the message sent into the chat when the result is chosen


class InlineAnswers:
    def __init__(self, library: Library, message_limit: int = 4096) -> None:
        self.library = library
        self.message_limit = message_limit
        self._cache: OrderedDict[tuple[str, int], tuple[float, list[InlineResult]]] = OrderedDict()

    async def results(self, query: str) -> list[InlineResult]:
        """The best passages for `query`, as inline results; [] for too short a query or
        nothing relevant."""
        text = " ".join(query.split())[:MAX_QUERY_CHARS]
        if len(text) < MIN_QUERY_CHARS:
            return []
        key = (text.lower(), await self.library.generation())
        now = time.monotonic()
        if (cached := self._cache.get(key)) is not None and now - cached[0] < CACHE_SECONDS:
            self._cache.move_to_end(key)
            return cached[1]
        found = self._as_results(await self.library.ask(text, k=RESULTS))
        self._cache[key] = (now, found)
        self._cache.move_to_end(key)
        while len(self._cache) > CACHE_KEPT:
            self._cache.popitem(last=False)
        return found

    def _as_results(self, answer: Answer) -> list[InlineResult]:
        found = []
        for number, item in enumerate(answer.results[:RESULTS]):
            attribution = item.attribution
            title = render.speaker_name(attribution) if attribution else item.article.title
            passage = " ".join(item.passage.text.split())
            if len(passage) > DESCRIPTION_CHARS:
                passage = passage[: DESCRIPTION_CHARS - 1].rsplit(" ", 1)[0] + "…"
            message = split_html(render.result(item), self.message_limit)[0]
            found.append(
                InlineResult(
                    id=f"{item.article.id}-{item.passage.ordinal}-{number}",
                    title=title,
                    description=passage,
                    html=message,
                )
            )
        return found
