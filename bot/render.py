"""Answers and listings as Telegram-style HTML (<b>, <i>, <u>); every adapter shows these."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import PurePath

from index.library import for_terminal, look_alike
from index.models import (
    PART_JOIN,
    Answer,
    ArticleInfo,
    ArticleSummary,
    Attribution,
    Reason,
    ScoredPassage,
    Stats,
)

WHO_IS = "who is"  # the kind of question (QuestionRead.kind) that asks who someone is
REPHRASE = "Ask with a few words from what was said, e.g. “who said Russians intervened?”"
NOTHING_STORED = (
    "I don't know any articles yet. An admin can add some with /add, or with saidwho ingest "
    "on the bot's machine."
)
NOTHING_RELEVANT = "Nothing in the articles I know answers that."
NOT_ENGLISH = (
    "Nothing in the articles I know answers that. I read questions in English: "
    "try asking in English."
)


def human_date(date: dt.date | None) -> str:
    return f"{date.day} {date:%B %Y}" if date else "undated"


def short_source(source: str) -> str:
    """A URL shows as it is; a file path, or a labelled one ("upload: x.txt"), as its name."""
    if "://" in source:
        return source
    return PurePath(source.split(": ", 1)[-1]).name


def speaker_name(a: Attribution) -> str:
    """The mention when it names the speaker in full with a title ("Captain Naji Mustafa"),
    else the full name."""
    speaker = a.speaker or a.mention or "unnamed source"
    if a.mention and a.speaker and a.speaker in a.mention:
        return a.mention
    return speaker


def flagged(name: str) -> str:
    """A speaker's name, escaped, with a warning when it mixes scripts in a word ("Barack
    Obаma", its "а" Cyrillic): it looks like someone it is not."""
    warning = look_alike(name)
    return html.escape(name) + (f" ⚠ <i>({warning})</i>" if warning else "")


def attribution_line(a: Attribution) -> str:
    """ "— Captain Naji Mustafa, spokesman for ..., told Reuters" in HTML."""
    line = f"— <b>{html.escape(speaker_name(a))}</b>"
    if a.speaker and (warning := look_alike(a.speaker)):
        line += f" ⚠ <i>({warning})</i>"
    if a.role:
        line += f", {html.escape(a.role)}"
    if a.addressee:
        line += f", {html.escape(a.cue or 'told')} {html.escape(a.addressee)}"
    return line


def source_line(article: ArticleInfo, paragraph: int) -> str:
    """Title, date, paragraph, article id, then where it came from (site, URL or file)."""
    parts = [f"<i>{html.escape(article.title)}</i>", human_date(article.date)]
    parts.append(f"paragraph {paragraph}")
    if article.id is not None:
        parts.append(f"article {article.id}")
    origin = short_source(article.source) if article.source else ""
    if article.site and article.site not in origin:
        origin = f"{article.site} {origin}".strip()
    if origin:
        parts.append(html.escape(origin))
    return " · ".join(parts)


def marked_passage(text: str, quote: str | None) -> str:
    """The passage, escaped, with each part of the attributed quote underlined where it is
    found verbatim (a quotation split by its cue has two)."""
    out, done = [], 0
    for part in (quote or "").split(PART_JOIN):
        start = text.find(part, done) if part else -1
        if start >= 0:
            out += [html.escape(text[done:start]), f"<u>{html.escape(part)}</u>"]
            done = start + len(part)
    return "".join(out) + html.escape(text[done:])


def result(item: ScoredPassage, number: int | None = None) -> str:
    attribution = item.attribution
    lines = [marked_passage(item.passage.text, attribution.quote if attribution else None)]
    if number is not None:
        lines[0] = f"<b>{number}.</b> {lines[0]}"
    if attribution:
        lines.append(attribution_line(attribution))
    lines.append(source_line(item.article, item.passage.paragraph))
    return "\n".join(lines)


def note(ans: Answer) -> str | None:
    """Why an answer has no results, for people; None when it has some."""
    if ans.results:
        return None
    if ans.reason is Reason.NO_CONTENT:
        return REPHRASE
    if ans.reason is Reason.NOTHING_STORED:
        return NOTHING_STORED
    if ans.reason is Reason.NOT_QUOTED and ans.read and ans.read.speaker:
        return f"None of the articles I know quotes {ans.read.speaker}{full_stop(ans.read.speaker)}"
    if ans.reason is Reason.NOT_ENGLISH:
        return NOT_ENGLISH
    return NOTHING_RELEVANT


def introduction(ans: Answer) -> str | None:
    """For "who is X?": X and their role first, then the paragraph that introduces them (not
    marked as a quote: it answers who they are, not what they said); None for other answers."""
    if not (ans.read and ans.read.kind == WHO_IS and ans.speaker and ans.results):
        return None
    item = ans.results[0]
    own = [a for a in item.attributions if a.speaker == ans.speaker]
    role = next((a.role for a in own if a.role), None)
    mention = next((a.mention for a in own if a.mention and ans.speaker in a.mention), None)
    name = mention or ans.speaker
    lead = f"<b>{html.escape(name)}</b>" + (f", {html.escape(role)}" if role else "")
    if not role:
        lead += ", as the article introduces them"
    lines = [
        lead + ":",
        html.escape(item.passage.text),
        source_line(item.article, item.passage.paragraph),
    ]
    return "\n".join(lines)


def answer(ans: Answer, start: int = 0, count: int | None = None) -> str:
    if not ans.results:
        return html.escape(note(ans) or NOTHING_RELEVANT)
    if start == 0 and (introduced := introduction(ans)) is not None:
        return introduced
    shown = ans.results[start : start + count if count else None]
    numbered = len(ans.results) > 1
    parts = [result(item, start + i + 1 if numbered else None) for i, item in enumerate(shown)]
    if ans.respelt and start == 0:
        read = ", ".join(
            f"“{html.escape(a)}” as “{html.escape(b)}”" for a, b in ans.respelt.items()
        )
        parts.insert(0, f"<i>Read {read}.</i>")
    return "\n\n".join(parts)


def full_stop(text: str) -> str:
    """ "." to end a sentence that ends with `text`, unless `text` ends one already (a title
    "… endorses Clinton." ends "Clinton.", not "Clinton..")."""
    return "" if text.rstrip().endswith((".", "!", "?", "…")) else "."


def numbered(items: list[ScoredPassage], first: int) -> str:
    """Results after the first page of an answer, numbered from `first`."""
    return "\n\n".join(result(item, first + i) for i, item in enumerate(items))


def counted(n: int, noun: str) -> str:
    """ "1 article", "2 articles", "0 quotes": the number and its noun, plural unless 1."""
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


def articles(items: list[ArticleSummary]) -> str:
    if not items:
        return "No articles yet. An admin can add one with /add or by sending a file."
    lines = [f"<b>{len(items)} article{'s' if len(items) != 1 else ''}</b>"]
    for a in items:
        lines.append(
            f"<b>{a.id}</b> · {html.escape(a.title)} · {human_date(a.date)} · "
            f"{counted(a.passages, 'passage')}, {counted(a.attributions, 'quote')}"
        )
    return "\n".join(lines)


def article(a: ArticleSummary, speakers: list[tuple[str, int]]) -> str:
    lines = [
        f"<b>{html.escape(a.title)}</b>",
        f"Article {a.id} · {human_date(a.date)}",
        f"Source: {html.escape(short_source(a.source))}",
        f"{counted(a.passages, 'passage')}, {counted(a.attributions, 'quote')}",
    ]
    if speakers:
        lines.append("Quoted: " + ", ".join(f"{flagged(s)} ({n})" for s, n in speakers))
    return "\n".join(lines)


def speakers(items: list[tuple[str, int]], scope: str) -> str:
    if not items:
        return f"Nobody is quoted {scope}."
    lines = [f"<b>Quoted {html.escape(scope)}</b>"]
    lines += [f"{flagged(name)} · {n}" for name, n in items]
    return "\n".join(lines)


def quotes(speaker: str, items: list[ScoredPassage]) -> str:
    """One person's quotes, one line each, in the order given (newest first), with where each
    comes from; a head line first."""
    lines = [f"<b>Quotes of {html.escape(speaker)}</b> · {counted(len(items), 'quote')}"]
    for item in items:
        said = item.attribution.quote if item.attribution else item.passage.text
        said = " ".join(said.split())
        lines.append(f"“{html.escape(said)}” — {source_line(item.article, item.passage.paragraph)}")
    return "\n".join(lines)


def stats(s: Stats) -> str:
    indexed = s.indexed_at.strftime("%Y-%m-%d %H:%M:%S UTC") if s.indexed_at else "never"
    return (
        f"<b>Statistics</b>\nArticles: {s.articles}\nPassages: {s.passages}\n"
        f"Quotes: {s.attributions}\nSpeakers: {s.speakers}\n"
        f"Database: {s.db_bytes / 1024:,.0f} KiB\nLast indexed: {indexed}\n"
        f"Matching by meaning: {_meaning(s)}"
        + ("\nArticles were read by an older version: /reindex" if s.read_by_older_version else "")
    )


def _meaning(s: Stats) -> str:
    if s.meaning_model is None:
        return "off (words only: SAIDWHO_DENSE=false, or the sentence model did not load)"
    if s.without_vectors:
        return f"{s.meaning_model}, {s.without_vectors} passages not embedded yet: /reindex"
    return s.meaning_model


_TAG = re.compile(r"</?(b|i|u|s|code|pre|a)(\s[^>]*)?>")


def plain(text: str) -> str:
    """The HTML above as plain text, for a terminal: control characters and escape sequences
    (from an article's text, a question, a file name) shown as escapes, never acted on."""
    return for_terminal(html.unescape(_TAG.sub("", text)))
