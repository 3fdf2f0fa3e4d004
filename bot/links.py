"""Links in and out of answers: a button to each source article that has a URL, deep links
that open an article (`?start=a12`) or reopen a shared answer (`?start=q<key>`), and the
words typed as text that page on like /more.

A shared answer is kept as its question under a key made from the question, so the same
question shares the same link and reopening it asks again, over the library as it is then.
Telegram's start parameter allows 64 characters of A-Z, a-z, 0-9, _ and -.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from bot.replies import Button
from index.models import ScoredPassage

ARTICLE = "a"  # /start a12: article 12
SHARED = "q"  # /start q<key>: the answer shared under key
MORE_WORDS = {"more", "next", "more please", "next page"}  # typed as text, they page on
_PAYLOAD = re.compile(r"^(?P<kind>[aq])(?P<rest>[A-Za-z0-9_-]{1,63})$")


@dataclass(frozen=True)
class StartLink:
    kind: str  # ARTICLE or SHARED
    value: str  # the article id, or the share key


def start_link(args: str) -> StartLink | None:
    """What a /start parameter opens; None for anything else (a plain /start)."""
    match = _PAYLOAD.match(args.strip())
    if match is None:
        return None
    kind, rest = match.group("kind"), match.group("rest")
    if kind == ARTICLE and not rest.isdigit():
        return None
    return StartLink(kind, rest)


def share_key(question: str) -> str:
    """A short key for `question`, the same for the same words whatever their case or spacing."""
    folded = " ".join(question.lower().split()).encode("utf-8")
    return base64.urlsafe_b64encode(hashlib.sha256(folded).digest()[:9]).decode("ascii")


def is_more(text: str) -> bool:
    """ "more", "More", "next." typed as a message: the next page, as /more."""
    return text.strip().strip(".!…").lower() in MORE_WORDS


def source_buttons(shown: Sequence[ScoredPassage]) -> tuple[Button, ...]:
    """A button to each article with a web address among the results shown, in order."""
    buttons: list[Button] = []
    seen: set[str] = set()
    for item in shown:
        url = item.article.source
        if not url.lower().startswith(("http://", "https://")) or url in seen:
            continue
        seen.add(url)
        where = item.article.site or urlsplit(url).hostname or "the article"
        label = f"Source: {where}"
        if item.article.id is not None:
            label = f"Article {item.article.id} at {where}"
        buttons.append(Button(label, url=url))
    return tuple(buttons)


def deep_link(bot_username: str, key: str) -> str:
    """The t.me link that reopens the answer shared under `key` in a chat with the bot."""
    return f"https://t.me/{bot_username}?start={SHARED}{key}"


def share_url(bot_username: str, key: str) -> str:
    """Telegram's share dialog for the answer's deep link."""
    return f"https://t.me/share/url?url={quote(deep_link(bot_username, key), safe='')}"
