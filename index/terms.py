"""What a passage and an article are found by: the terms the search indexes hold for them.

Ingest and re-indexing build the indexes from these; questions are read into the same terms
(index/question.py), so both sides go through index/tokens.py.
"""

from __future__ import annotations

from index.models import Article, Passage
from index.places import party_words, state_words
from index.tokens import acronyms, tokenize

# Bump when `findable_terms` or the tokenizer changes: a saved index built otherwise is rebuilt.
TERMS_VERSION = "7"


def article_terms(article: Article) -> list[str]:
    """What an article is found by: its title and its whole text (and the initials of the
    names in them)."""
    text = f"{article.title}\n{article.text}"
    return tokenize(f"{text}\n{party_words(text)}") + acronyms(text)


def findable_terms(passage: Passage, own: list[str] | None = None) -> list[str]:
    """What a passage is found by: its words, and the names and roles of those it quotes, since
    the paragraph often gives only "he" or a surname. Context words the text already has are
    not added again: they would only lengthen a self-contained passage and lower its score.
    `own`: the text's terms, when the caller has them already."""
    own = tokenize(passage.text) if own is None else own
    context = " ".join(
        f"{a.speaker or ''} {a.mention or ''} {a.role or ''}" for a in passage.attributions
    )
    have = set(own)
    both = f"{passage.text} {context}"
    found_by = tokenize(f"{context} {party_words(both)} {state_words(context)}") + acronyms(both)
    extra = dict.fromkeys(t for t in found_by if t not in have)
    return own + list(extra)
