"""Removing an article as an admin: asked first (Yes/No), and undone for a while after.

`/remove 3` asks "Remove article 3 …?" with a Yes and a No button (on the console: the
commands those buttons send, `/remove 3 yes` and `/remove 3 no`). A removed article's text is
kept for `UNDO_SECONDS`, so `/undo` (the Undo button under "Removed article 3") adds it back.
What is kept lives in this process only: a restart ends the time to undo.
"""

from __future__ import annotations

import html
import time
from dataclasses import dataclass, field

from bot import render
from bot.replies import Button, Reply
from index.errors import ArticleError, StoreError
from index.library import Library
from index.models import Article

UNDO_SECONDS = 15 * 60  # how long a removed article can be added back with /undo
UNDO_KEPT = 20  # removed articles kept per admin for /undo, the most recent


@dataclass
class Removed:
    article_id: int
    article: Article
    at: float


@dataclass
class Removals:
    """The articles each admin removed lately, most recent last, to undo."""

    library: Library
    undo_seconds: float = UNDO_SECONDS
    _kept: dict[int | None, list[Removed]] = field(default_factory=dict)

    async def remove(self, user_id: int | None, article_id: int, answer: str) -> list[Reply]:
        """`answer` "" asks first; "yes" removes; "no" keeps."""
        found = await self.library.stored_article(article_id)
        if found is None:
            return [Reply(f"There is no article {article_id}; nothing was removed.")]
        title = html.escape(found.title)
        if answer == "no":
            return [Reply(f"Kept article {article_id}: <i>{title}</i>.")]
        if answer != "yes":
            minutes = round(self.undo_seconds / 60)
            return [
                Reply(
                    f"Remove article {article_id}: <i>{title}</i>? "
                    f"You can undo it for {minutes} minutes.",
                    buttons=(
                        Button("Yes, remove it", f"/remove {article_id} yes"),
                        Button("No", f"/remove {article_id} no"),
                    ),
                )
            ]
        try:
            removed = await self.library.remove(article_id)
        except StoreError as exc:  # a read-only or full store
            return [Reply(f"Article {article_id} was not removed: {html.escape(str(exc))}")]
        if not removed:  # removed meanwhile, by someone else
            return [Reply(f"There is no article {article_id}; nothing was removed.")]
        kept = self._kept.setdefault(user_id, [])
        kept.append(Removed(article_id, found, time.monotonic()))
        del kept[:-UNDO_KEPT]
        return [
            Reply(
                f"Removed article {article_id}: <i>{title}</i>{render.full_stop(found.title)}",
                buttons=(Button("Undo", "/undo"),),
            )
        ]

    async def undo(self, user_id: int | None) -> list[Reply]:
        """Add back the article `user_id` removed last, if that was within the time to undo."""
        kept = self._kept.get(user_id, [])
        now = time.monotonic()
        kept[:] = [r for r in kept if now - r.at <= self.undo_seconds]
        if not kept:
            minutes = round(self.undo_seconds / 60)
            return [
                Reply(f"Nothing to undo: no article was removed in the last {minutes} minutes.")
            ]
        removed = kept.pop()
        try:
            result = await self.library.add(removed.article)
        except (ArticleError, StoreError) as exc:
            kept.append(removed)  # not lost: /undo can try again
            return [Reply(f"Not restored: {html.escape(str(exc))}")]
        title = html.escape(result.title)
        return [
            Reply(
                f"Restored article {removed.article_id} as article {result.article_id}: "
                f"<i>{title}</i>{render.full_stop(result.title)}"
            )
        ]
