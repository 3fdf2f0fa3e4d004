"""Long Telegram-style HTML cut into messages that each fit a length limit and stay valid.

Transport-neutral (no telegram import): the Telegram adapter passes its message limit.
"""

from __future__ import annotations

import re

_TAG = re.compile(r"<(/?)([a-zA-Z-]+)[^>]*>")
_SEPARATORS = ("\n\n", "\n", " ")
_ENTITY_MAX = 10  # the longest HTML entity we might cut through, "&#x1F600;"
_ENTITY_START = re.compile(r"&#?[0-9a-zA-Z]*")  # an entity cut before its ";"


def split_html(text: str, limit: int) -> list[str]:
    """Telegram HTML as messages of at most `limit` characters, cut at a paragraph break (else
    a line break, else a space) and never inside a tag or an entity. A tag open at a cut is
    closed before it and opened again after it, so every message is valid HTML."""
    chunks: list[str] = []
    while len(text) > limit:
        head, text = _cut(text, limit)
        chunks.append(head)
    if text.strip():
        chunks.append(text)
    return chunks


def _cut(text: str, limit: int) -> tuple[str, str]:
    budget = limit
    while True:
        at = _cut_point(text, budget)
        open_tags = _open_tags(text[:at])
        closing = "".join(f"</{name}>" for name, _ in reversed(open_tags))
        head = text[:at].rstrip() + closing
        if len(head) <= limit or budget <= 1:
            break
        budget -= len(head) - limit  # the closing tags did not fit: cut earlier
    reopening = "".join(tag for _, tag in open_tags)
    return head, reopening + text[at:].lstrip()


def _cut_point(text: str, budget: int) -> int:
    window = text[:budget]
    for separator in _SEPARATORS:
        at = _outside_markup(window, window.rfind(separator))
        if at > 0 and _TAG.sub("", window[:at]).strip():
            return at
    at = _outside_markup(window, budget)
    return at if at > 0 else budget


def _outside_markup(text: str, at: int) -> int:
    """`at`, or the start of the tag or entity that `at` falls inside."""
    if at <= 0:
        return at
    before = text[:at]
    tag_start = before.rfind("<")
    if tag_start > before.rfind(">"):
        return tag_start
    amp = before.rfind("&")
    if amp >= 0 and at - amp <= _ENTITY_MAX and _ENTITY_START.fullmatch(before[amp:]):
        return amp
    return at


def _open_tags(text: str) -> list[tuple[str, str]]:
    """The tags still open at the end of `text`, outermost first: (name, opening tag)."""
    stack: list[tuple[str, str]] = []
    for match in _TAG.finditer(text):
        closing, name = match.group(1), match.group(2).lower()
        if not closing:
            stack.append((name, match.group(0)))
            continue
        for i in range(len(stack) - 1, -1, -1):
            if stack[i][0] == name:
                del stack[i]
                break
    return stack
