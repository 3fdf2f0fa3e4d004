"""Reading an article: paragraphs, cut into passages, each carrying its attributions.

Reading is near-linear in the article's length, but an article may still be built to be slow
(or be far longer than an article): run under `index.budget.limit`, it stops at the budget
and is refused by name (`OverBudget`), before anything of it is stored.
"""

from __future__ import annotations

import threading

from index import budget
from index.attribution import attribute
from index.models import Article, Attribution, ParsedArticle, Passage
from index.passages import cut, paragraphs


def _piece_for(attribution: Attribution, pieces: list[str]) -> int:
    """Which piece of a cut paragraph an attribution belongs to: where its quote or speaker is."""
    for probe in (attribution.quote[:60], attribution.mention or ""):
        if probe:
            for i, piece in enumerate(pieces):
                if probe in piece:
                    return i
    return 0


# How long reading one article may take, in seconds, unless set otherwise
# (SAIDWHO_READ_SECONDS). The longest of the 784 PolNeAR articles takes 0.1 s; 100 KB of
# text built to be slow to read, under 3 s.
READ_SECONDS = 20.0


def read_within(
    article: Article, seconds: float | None, cancelled: threading.Event | None = None
) -> ParsedArticle:
    """`read`, refused by name once it has taken `seconds` (`OverBudget`, an `ArticleError`),
    and stopped once `cancelled` is set (`Cancelled`). The time counts from here, not from
    when the work was queued."""
    with budget.limit(budget.Budget(seconds, cancelled, what=article.source)):
        return read(article)


def read(article: Article) -> ParsedArticle:
    paras = paragraphs(article.text)
    found = attribute([p.text for p in paras])
    passages: list[Passage] = []
    for para, attributions in zip(paras, found, strict=True):
        budget.check()
        pieces = cut(para.text)
        first = len(passages)
        passages.extend(
            Passage(ordinal=first + i, paragraph=para.index + 1, text=piece)
            for i, piece in enumerate(pieces)
        )
        for attribution in attributions:
            passages[first + _piece_for(attribution, pieces)].attributions.append(attribution)
    return ParsedArticle(article=article, passages=passages)
