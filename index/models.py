"""The typed data that crosses module boundaries and that the CLI prints as JSON."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, Field

# Joins the parts of a quotation its cue splits ("A," she said, "B.") into one `quote`.
PART_JOIN = " … "


class Attribution(BaseModel):
    """Who said what in a passage: the speaker as the article introduces them, and the rest."""

    speaker: str | None = Field(description="Full name (or group) as the article first gives it")
    mention: str | None = Field(default=None, description="The words this passage uses")
    role: str | None = Field(default=None, description="Title or appositive from the article")
    addressee: str | None = Field(default=None, description='"Reuters" in "told Reuters"')
    cue: str | None = Field(default=None, description='The speech verb: "said", "told"')
    quote: str = Field(description="The content attributed, direct or reported")
    direct: bool = Field(default=True, description="True for a quotation in quote marks")


class Passage(BaseModel):
    """A piece of an article small enough to be an answer."""

    ordinal: int = Field(description="Position among the article's passages, from 0")
    paragraph: int = Field(
        description="The article paragraph it comes from, counted from 1 as replies show it"
    )
    text: str
    attributions: list[Attribution] = Field(default_factory=list)


class ArticleInfo(BaseModel):
    """What an answer says about where a passage comes from."""

    id: int | None = None
    title: str
    date: dt.date | None = None
    source: str = ""
    author: str | None = None
    site: str | None = None


class Article(BaseModel):
    """A loaded article: its text, where it came from, and what identifies its content."""

    title: str
    date: dt.date | None = None
    source: str
    text: str
    content_hash: str
    author: str | None = None
    site: str | None = None


class ParsedArticle(BaseModel):
    """An article split into passages, each carrying its attributions."""

    article: Article
    passages: list[Passage]

    @property
    def info(self) -> ArticleInfo:
        a = self.article
        return ArticleInfo(
            title=a.title, date=a.date, source=a.source, author=a.author, site=a.site
        )


class ScoredPassage(BaseModel):
    score: float
    passage: Passage
    article: ArticleInfo
    # The passage's attributions, at the result's own level as the command-line contract has
    # them, and the one the result is answered with (what the reply shows and underlines).
    attributions: list[Attribution] = Field(default_factory=list)
    attribution: Attribution | None = None


class Reason(StrEnum):
    """Why an answer has no results; adapters word it for people."""

    NO_CONTENT = "no content"  # nothing to search by: "who said that?"
    NOTHING_STORED = "nothing stored"  # the library is empty
    NOT_QUOTED = "not quoted"  # the question names a speaker no article quotes
    NOTHING_RELEVANT = "nothing relevant"  # nothing stored is about the question
    NOT_ENGLISH = "not english"  # nothing found, and the question is not in English


class QuestionRead(BaseModel):
    """How the question was read."""

    kind: str = Field(description="who is, said, factual or no content")
    terms: list[str] = Field(default_factory=list, description="What it was searched by")
    speaker: str | None = Field(
        default=None, description="The speaker it names, by name or by role"
    )


class Answer(BaseModel):
    """The reply to one question; `results == []` means nothing relevant was found."""

    question: str
    speaker: str | None = None
    results: list[ScoredPassage] = Field(default_factory=list)
    reason: Reason | None = Field(default=None, description="Why there are no results")
    note: str | None = Field(default=None, description="Why there are no results, for people")
    read: QuestionRead | None = Field(default=None, description="How the question was read")
    confidence: float | None = Field(
        default=None, description="The probability that the articles answer the question"
    )
    respelt: dict[str, str] = Field(
        default_factory=dict, description="Misspelt words of the question and what was read"
    )


class FollowNews(BaseModel):
    """A new quote by a speaker a chat follows, not yet told to that chat."""

    chat_id: int
    speaker: str = Field(description="The followed speaker's canonical name")
    key: str = Field(description="The quote's key, to record that the chat was told")
    result: ScoredPassage


class IngestStatus(StrEnum):
    ADDED = "added"
    REPLACED = "replaced"
    UNCHANGED = "unchanged"


class IngestResult(BaseModel):
    status: IngestStatus
    article_id: int
    title: str
    source: str
    passages: int


class ArticleSummary(BaseModel):
    id: int
    title: str
    date: dt.date | None
    source: str
    passages: int
    attributions: int


class Stats(BaseModel):
    articles: int
    passages: int
    attributions: int
    speakers: int
    db_bytes: int
    indexed_at: dt.datetime | None
    meaning_model: str | None = None  # the dense extra's model, when in use
    without_vectors: int = 0  # passages that model has not embedded yet
    read_by_older_version: bool = False  # articles read by an older saidwho: reindex
