"""Reading an article: paragraphs, cut into passages, each carrying its attributions."""

from __future__ import annotations

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


def read(article: Article) -> ParsedArticle:
    paras = paragraphs(article.text)
    found = attribute([p.text for p in paras])
    passages: list[Passage] = []
    for para, attributions in zip(paras, found, strict=True):
        pieces = cut(para.text)
        first = len(passages)
        passages.extend(
            Passage(ordinal=first + i, paragraph=para.index + 1, text=piece)
            for i, piece in enumerate(pieces)
        )
        for attribution in attributions:
            passages[first + _piece_for(attribution, pieces)].attributions.append(attribution)
    return ParsedArticle(article=article, passages=passages)
