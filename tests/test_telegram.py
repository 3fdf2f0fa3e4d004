"""The Telegram bot end to end: the real Application polls a fake Bot API server on 127.0.0.1
(tests/fakebotapi.py) and answers from a real SQLite database holding the sample article."""

from __future__ import annotations

import html
import logging
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.htmlsplit import split_html
from bot.settings import Settings
from bot.telegram import build_application, polling
from index.library import Library
from index.models import Answer
from tests.fakebotapi import DROPPED, TOKEN, Call, FakeBotApi

ADMIN = 1001
USER = 2002
GROUP = -100500
QUESTION = "who said Russians intervened directly?"

LIGHTHOUSE = """Lighthouse on Skerry Point to be staffed again

12 May 2023

The lighthouse on Skerry Point will have keepers again from June, the coast authority said.

"A lamp that nobody tends is a lamp that fails," Ingrid Halvorsen, chief engineer of the coast \
authority, told the Coastal Times.

The light has been automatic since 1987.
"""


def settings(**overrides: Any) -> Settings:
    # fetch_allow_private: the pages these tests fetch are served on 127.0.0.1.
    return Settings(
        TELEGRAM_TOKEN=TOKEN,
        admin_ids=[ADMIN],
        _env_file=None,
        fetch_allow_private=True,
        **overrides,
    )


@asynccontextmanager
async def running_bot(
    api: FakeBotApi, library: Library, chosen: Settings | None = None
) -> AsyncIterator[None]:
    app = build_application(
        library, chosen or settings(), base_url=api.base_url, base_file_url=api.base_file_url
    )
    async with polling(app):
        yield


@pytest.fixture
async def bot(api: FakeBotApi, library: Library) -> AsyncIterator[None]:
    async with running_bot(api, library):
        yield


def more_button(call: Call) -> str:
    [(label, data)] = [(label, data) for label, data in call.buttons if data]  # not links
    assert label == "More"
    return data


# -- questions and answers ---------------------------------------------------------------


async def test_a_question_gets_the_passage_and_its_attribution(api: FakeBotApi, bot: None) -> None:
    mark = api.mark()
    reply = await api.reply_to(QUESTION, user_id=USER)

    assert "The Russians are intervening directly now" in reply.plain
    assert "Naji Mustafa" in reply.plain
    assert "told Reuters" in reply.plain
    assert "Russian soldiers fighting in Idlib campaign" in reply.plain
    assert "18 July 2019" in reply.plain
    assert reply.params["parse_mode"] == "HTML"
    assert reply.params["link_preview_options"] == {"is_disabled": True}
    [typing] = api.calls_to("sendChatAction", after=mark)
    assert typing.params["action"] == "typing"
    assert typing.at < reply.at


async def test_more_pages_through_further_results(api: FakeBotApi, bot: None) -> None:
    first = await api.reply_to(QUESTION, user_id=USER)
    assert first.plain.startswith("1.")

    mark = api.press(first, user_id=USER)
    second = await api.wait_for("sendMessage", after=mark)

    assert second.plain.startswith("4.")
    assert second.plain not in first.plain
    [spent] = api.calls_to("editMessageReplyMarkup", after=mark)
    assert spent.params["message_id"] == first.message_id
    assert "reply_markup" not in spent.params  # the pressed button is gone
    assert api.calls_to("answerCallbackQuery", after=mark)


async def test_an_old_more_button_after_a_reindex_says_so(api: FakeBotApi, bot: None) -> None:
    answer = await api.reply_to(QUESTION, user_id=USER)
    more_button(answer)

    mark = api.send_text("/reindex", user_id=ADMIN)
    done = await api.wait_for("sendMessage", after=mark, where=lambda c: "Re-indexed" in c.plain)
    assert "Re-indexed 1 article" in done.plain
    [status] = [c for c in api.sent_to(ADMIN, after=mark) if "Re-indexing" in c.plain]
    assert status.message_id is not None
    assert "1/1" in api.message_html(ADMIN, status.message_id)  # edited in place

    mark = api.press(answer, user_id=USER)
    stale = await api.wait_for("sendMessage", after=mark)
    assert "The articles changed since that answer" in stale.plain


async def test_start_says_what_the_bot_knows_and_the_menu_is_set(
    api: FakeBotApi, bot: None
) -> None:
    reply = await api.reply_to("/start", user_id=USER)

    assert "I know 1 article " in reply.plain
    assert "/ask" in reply.plain
    menus = api.calls_to("setMyCommands")
    everyone = next(c for c in menus if "scope" not in c.params)
    admins = next(c for c in menus if c.params.get("scope", {}).get("chat_id") == ADMIN)
    assert {"ask", "articles", "speakers"} <= {c["command"] for c in everyone.params["commands"]}
    assert "remove" not in {c["command"] for c in everyone.params["commands"]}
    assert {"remove", "reindex", "stats"} <= {c["command"] for c in admins.params["commands"]}


async def test_in_a_group_only_ask_is_answered(api: FakeBotApi, bot: None) -> None:
    mark = api.send_text(QUESTION, user_id=USER, chat_id=GROUP, chat_type="group")
    api.send_text(
        f"/ask@saidwho_test_bot {QUESTION}", user_id=USER, chat_id=GROUP, chat_type="group"
    )

    answer = await api.wait_for("sendMessage", after=mark)

    assert "Naji Mustafa" in answer.plain
    assert answer.chat_id == GROUP
    assert len(api.sent_to(GROUP, after=mark)) == 1  # the plain text was not for the bot


async def test_a_long_reply_is_split_at_paragraphs_without_breaking_html(
    api: FakeBotApi, library: Library, bot: None
) -> None:
    titles = [
        f"Story {n:02d}: " + "a long headline about harbours and tides " * 3 for n in range(60)
    ]
    for n, title in enumerate(titles):
        text = f'{title}\n\n"Tide number {n} was high," said Ann Lee, a harbour pilot.\n'
        await library.add_upload(f"story-{n}.txt", text.encode())

    mark = api.send_text("/articles", user_id=USER)
    last = await api.wait_for("sendMessage", after=mark, where=lambda c: bool(c.buttons))
    while last.buttons:  # the listing comes a page at a time
        last = await api.wait_for("sendMessage", after=api.press(last, user_id=USER))

    messages = api.sent_to(USER, after=mark)
    assert len(messages) > 2
    for message in messages:
        assert len(message.plain) <= 4096
        assert message.text.count("<b>") == message.text.count("</b>")
    shown = "\n".join(m.plain for m in messages)
    positions = [shown.index(title.strip()) for title in titles]
    assert positions == sorted(positions)


# -- admins ------------------------------------------------------------------------------


async def test_a_non_admin_cannot_remove_an_article(api: FakeBotApi, bot: None) -> None:
    refusal = await api.reply_to("/remove 1", user_id=USER)

    assert "for admins only" in refusal.plain
    listing = await api.reply_to("/articles", user_id=USER)
    assert "Russian soldiers fighting in Idlib campaign" in listing.plain
    answer = await api.reply_to(QUESTION, user_id=USER)
    assert "Naji Mustafa" in answer.plain


async def test_remove_is_confirmed_with_a_button_and_undone_with_another(
    api: FakeBotApi, bot: None, library: Library
) -> None:
    asked = await api.reply_to("/remove 1", user_id=ADMIN)
    assert asked.buttons == [("Yes, remove it", "run:/remove 1 yes"), ("No", "run:/remove 1 no")]
    assert [a.id for a in await library.articles()] == [1]

    removed = await api.wait_for("sendMessage", after=api.press(asked, user_id=ADMIN))
    assert "Removed article 1" in removed.plain
    assert await library.articles() == []

    mark = api.press(removed, user_id=ADMIN)  # Undo
    restored = await api.wait_for("sendMessage", after=mark)
    assert "Restored article 1" in restored.plain
    assert "Naji Mustafa" in (await api.reply_to(QUESTION, user_id=USER)).plain


async def test_a_pressed_button_is_checked_like_a_typed_command(
    api: FakeBotApi, bot: None, library: Library
) -> None:
    asked = await api.reply_to("/remove 1", user_id=ADMIN)

    refused = await api.wait_for("sendMessage", after=api.press(asked, user_id=USER))

    assert "for admins only" in refused.plain
    assert [a.id for a in await library.articles()] == [1]


async def test_an_admin_uploads_an_article_and_it_answers_at_once(
    api: FakeBotApi, bot: None
) -> None:
    mark = api.send_document("lighthouse.txt", LIGHTHOUSE.encode(), user_id=ADMIN)
    added = await api.wait_for("sendMessage", after=mark, where=lambda c: "Added" in c.plain)
    assert "Added article 2" in added.plain
    [started, _] = api.sent_to(ADMIN, after=mark)
    assert started.plain == "Adding lighthouse.txt…"
    assert "Lighthouse on Skerry Point" in added.plain

    answer = await api.reply_to("who said a lamp that nobody tends fails?", user_id=USER)

    assert "A lamp that nobody tends is a lamp that fails" in answer.plain
    assert "Ingrid Halvorsen" in answer.plain
    assert "12 May 2023" in answer.plain


async def test_uploads_that_cannot_be_added_are_explained(api: FakeBotApi, bot: None) -> None:
    mark = api.send_document(
        "photo.jpg", b"\xff\xd8\xff\xe0", user_id=ADMIN, mime_type="image/jpeg"
    )
    assert "unsupported type" in (await api.wait_for("sendMessage", after=mark)).plain
    mark = api.send_document("lighthouse.txt", LIGHTHOUSE.encode(), user_id=USER)
    assert "only admins" in (await api.wait_for("sendMessage", after=mark)).plain

    assert not api.calls_to("getFile")  # nothing was downloaded for any of them

    mark = api.send_document("page.html", b"<html><body><p>Hi</p></body></html>", user_id=ADMIN)
    refused = await api.wait_for("sendMessage", after=mark, where=lambda c: "Not" in c.plain)
    assert "no article text" in refused.plain


# -- when things go wrong ----------------------------------------------------------------


# PTB 22 warns about its own RetryAfter internals; nothing here reads `retry_after`.
@pytest.mark.filterwarnings("ignore:.*retry_after.*")
async def test_a_flood_wait_is_waited_out_and_the_answer_arrives(
    api: FakeBotApi, bot: None
) -> None:
    api.fail_next("sendMessage", retry_after=1)

    answer = await api.reply_to(QUESTION, user_id=USER)

    assert "Naji Mustafa" in answer.plain
    [refused] = [c for c in api.calls_to("sendMessage") if c.error_code == 429]
    assert answer.at - refused.at >= 1.0


async def test_a_failing_handler_tells_the_user_and_the_bot_goes_on(
    api: FakeBotApi, library: Library, bot: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_ask = library.ask
    failures = iter([RuntimeError("disk full at /var/lib/saidwho")])

    async def ask_failing_once(question: str, k: int = 5) -> Answer:
        if (error := next(failures, None)) is not None:
            raise error
        return await real_ask(question, k)

    monkeypatch.setattr(library, "ask", ask_failing_once)
    mark = api.mark()

    sorry = await api.reply_to(QUESTION, user_id=USER)

    assert "something went wrong" in sorry.plain and "admins have been told" in sorry.plain
    assert "RuntimeError" not in sorry.plain and "/var/lib" not in sorry.plain
    notice = await api.wait_for("sendMessage", after=mark, where=lambda c: c.chat_id == ADMIN)
    assert "RuntimeError" in notice.plain and "disk full" in notice.plain
    answer = await api.reply_to(QUESTION, user_id=USER)
    assert "Naji Mustafa" in answer.plain


async def test_a_failed_progress_edit_does_not_stop_a_reindex(api: FakeBotApi, bot: None) -> None:
    api.fail_next("editMessageText", 400, "Bad Request: message can't be edited")

    mark = api.send_text("/reindex", user_id=ADMIN)

    done = await api.wait_for("sendMessage", after=mark, where=lambda c: "Re-indexed" in c.plain)
    assert "Re-indexed 1 article" in done.plain
    assert [c.error_code for c in api.calls_to("editMessageText", after=mark)] == [400]
    assert not any("something went wrong" in c.plain for c in api.sent_to(ADMIN, after=mark))


async def test_the_token_never_reaches_the_logs(
    api: FakeBotApi, library: Library, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with running_bot(api, library):
        caplog.set_level(logging.DEBUG, logger="httpx")  # it logs every request URL at INFO
        await api.reply_to(QUESTION, user_id=USER)

    assert "/bot[token]/sendMessage" in caplog.text  # the lines were there, redacted
    assert TOKEN not in caplog.text
    assert TOKEN.split(":")[1] not in caplog.text


# -- nobody waits on anybody ------------------------------------------------------------


async def add_stories(library: Library, count: int) -> None:
    for n in range(count):
        text = f'Story {n}: tides\n\n"Tide number {n} was high," said Ann Lee, a harbour pilot.\n'
        await library.add_upload(f"story-{n}.txt", text.encode())


async def test_a_long_listing_in_a_group_is_one_page_with_more(
    api: FakeBotApi, library: Library, bot: None
) -> None:
    await add_stories(library, 120)

    mark = api.send_text("/articles", user_id=USER, chat_id=GROUP, chat_type="group")
    first = await api.wait_for("sendMessage", after=mark, where=lambda c: bool(c.buttons))
    question = await api.reply_to(QUESTION, user_id=USER + 1)

    assert "Naji Mustafa" in question.plain
    assert api.sent_to(GROUP, after=mark) == [first]  # one message, not one per 40 articles
    assert "1–40 of 121" in first.plain
    mark = api.press(first, user_id=USER)
    second = await api.wait_for("sendMessage", after=mark)
    assert "41–80 of 121" in second.plain and "Story 39: tides" in second.plain


async def test_a_slow_upload_keeps_nobody_else_waiting(api: FakeBotApi, bot: None) -> None:
    mark = api.send_document(
        "lighthouse.txt", LIGHTHOUSE.encode(), user_id=ADMIN, download_delay=2.0
    )
    started = await api.wait_for("sendMessage", after=mark)
    answer = await api.reply_to(QUESTION, user_id=USER)
    added = await api.wait_for("sendMessage", after=mark, where=lambda c: "Added" in c.plain)

    assert started.plain == "Adding lighthouse.txt…"
    assert "Naji Mustafa" in answer.plain
    assert answer.at < added.at  # answered while the upload was still on its way
    assert "Added article 2" in added.plain


async def test_a_slow_add_keeps_nobody_else_waiting(api: FakeBotApi, bot: None, web: str) -> None:
    mark = api.send_text(f"/add {web}/slow", user_id=ADMIN)
    started = await api.wait_for("sendMessage", after=mark)
    answer = await api.reply_to(QUESTION, user_id=USER)
    added = await api.wait_for(
        "sendMessage", after=mark, where=lambda c: "Added" in c.plain, timeout=10
    )

    assert started.plain == f"Adding {web}/slow…"
    assert "Naji Mustafa" in answer.plain
    assert answer.at < added.at
    assert "Bridge closure angers commuters" in added.plain


async def test_an_admins_articles_queue_in_order_saying_their_place_and_a_question_waits(
    api: FakeBotApi, bot: None, web: str
) -> None:
    """Issue 32, row 9: an admin's uploads and /adds are taken one at a time, in the order
    sent, each saying how many are ahead of it; a question sent after them is answered once
    they have landed."""
    mark = api.send_document(
        "lighthouse.txt", LIGHTHOUSE.encode(), user_id=ADMIN, download_delay=2.0
    )
    api.send_text(f"/add {web}/slow", user_id=ADMIN)
    api.send_text("who said a lamp that nobody tends fails?", user_id=ADMIN)

    answer = await api.wait_for(
        "sendMessage", after=mark, where=lambda c: "Ingrid" in c.plain, timeout=20
    )
    calls = [c for c in api.calls[mark:] if c.chat_id == ADMIN and c.error_code is None]
    shown = [c.plain for c in calls]

    def first(text: str) -> int:
        return next(i for i, line in enumerate(shown) if line.startswith(text))

    assert f"Queued: 1 ahead of yours. Adding {web}/slow…" in shown
    assert first("Added article 2") < first(f"Adding {web}/slow…") < first("Added article 3")
    assert shown[-1] == answer.plain
    assert "A lamp that nobody tends is a lamp that fails" in answer.plain


async def test_a_user_flooding_questions_is_told_once_and_others_are_answered(
    api: FakeBotApi, library: Library
) -> None:
    async with running_bot(api, library, settings(user_rate=5)):
        mark = api.mark()
        for _ in range(60):
            api.send_text(QUESTION, user_id=USER)
        other = await api.reply_to(QUESTION, user_id=USER + 1, timeout=10)
        told = await api.wait_for("sendMessage", after=mark, where=lambda c: "faster" in c.plain)
        await api.wait_for(
            "sendMessage",
            after=mark,
            where=lambda c: len([m for m in api.sent_to(USER, mark) if "Naji" in m.plain]) == 5,
            timeout=10,
        )
        answers = [m for m in api.sent_to(USER, after=mark) if "Naji Mustafa" in m.plain]

        assert "Naji Mustafa" in other.plain
        assert other.at < answers[-1].at  # not behind the flood
        assert len(answers) == 5  # the rate: the other 55 were skipped
        assert [m for m in api.sent_to(USER, after=mark) if "faster" in m.plain] == [told]
        assert "20 a minute" not in told.plain and "5 a minute" in told.plain


# -- no answer lost ----------------------------------------------------------------------


@pytest.mark.parametrize("code", [400, 500])
async def test_a_failed_typing_action_does_not_stop_the_answer(
    api: FakeBotApi, bot: None, code: int
) -> None:
    api.fail_next("sendChatAction", code, "Bad Request: chat action failed")
    mark = api.mark()

    answer = await api.reply_to(QUESTION, user_id=USER)

    assert "Naji Mustafa" in answer.plain
    assert [c.error_code for c in api.calls_to("sendChatAction", after=mark)] == [code]
    assert not any("went wrong" in c.plain for c in api.sent_to(USER, after=mark))


@pytest.mark.parametrize(
    "failure", [(500, "Internal Server Error"), (502, "Bad Gateway"), (DROPPED, "")]
)
async def test_a_failed_send_is_tried_again_and_the_answer_arrives_once(
    api: FakeBotApi, bot: None, failure: tuple[int, str]
) -> None:
    code, description = failure
    api.fail_next("sendMessage", code, description, drop=code == DROPPED)
    mark = api.mark()

    answer = await api.reply_to(QUESTION, user_id=USER)

    assert "Naji Mustafa" in answer.plain
    tries = api.calls_to("sendMessage", after=mark)
    assert [c.error_code for c in tries] == [code, None]
    assert tries[0].text == answer.text  # the same answer, sent again
    assert len(api.sent_to(USER, after=mark)) == 1


async def test_more_works_after_its_callback_query_expired(api: FakeBotApi, bot: None) -> None:
    first = await api.reply_to(QUESTION, user_id=USER)
    api.fail_next(
        "answerCallbackQuery",
        400,
        "Bad Request: query is too old and response timeout expired or query id is invalid",
    )

    mark = api.press(first, user_id=USER)
    second = await api.wait_for("sendMessage", after=mark)

    assert second.plain.startswith("4.")
    assert [c.error_code for c in api.calls_to("answerCallbackQuery", after=mark)] == [400]


async def test_more_works_after_a_restart(api: FakeBotApi, tmp_path: Path) -> None:
    async with await Library.open(tmp_path / "r.db") as library:
        await library.seed_sample()
        async with running_bot(api, library):
            first = await api.reply_to(QUESTION, user_id=USER)

    async with await Library.open(tmp_path / "r.db") as library, running_bot(api, library):
        mark = api.press(first, user_id=USER)
        second = await api.wait_for("sendMessage", after=mark)

    assert second.plain.startswith("4.")
    assert "Naji Mustafa" in first.plain


async def test_admin_commands_say_how_to_become_admin(api: FakeBotApi, bot: None) -> None:
    refusal = await api.reply_to("/reindex", user_id=USER)

    assert "for admins only" in refusal.plain
    assert "SAIDWHO_ADMIN_IDS" in refusal.plain


# -- splitting long messages -------------------------------------------------------------

_TAG = re.compile(r"<[^>]+>")


def _visible(text: str) -> str:
    return "".join(html.unescape(_TAG.sub("", text)).split())


def _balanced(text: str) -> bool:
    stack: list[str] = []
    for match in re.finditer(r"<(/?)(\w+)[^>]*>", text):
        if not match.group(1):
            stack.append(match.group(2))
        elif not stack or stack.pop() != match.group(2):
            return False
    return not stack


def test_a_split_prefers_paragraph_breaks() -> None:
    paragraphs = ["<b>1.</b> " + "word " * 150, "<b>2.</b> " + "word " * 150]
    chunks = split_html("\n\n".join(paragraphs), limit=1000)
    assert [c.strip() for c in chunks] == [p.strip() for p in paragraphs]


def test_a_tag_open_at_a_cut_is_closed_and_reopened() -> None:
    chunks = split_html("<i>" + "tide &amp; time " * 100 + "</i>", limit=300)
    assert len(chunks) > 1
    for chunk in chunks:
        assert chunk.startswith("<i>") and chunk.endswith("</i>")
        assert "&amp;" in chunk and not re.search(r"&(?!amp;)", chunk)


words = st.text(alphabet="abcxyz&<>\"'é", min_size=1, max_size=30)
pieces = st.tuples(
    words, st.sampled_from(["", "b", "i", "u"]), st.sampled_from([" ", "\n", "\n\n"])
)


@given(st.lists(pieces, max_size=80), st.integers(min_value=60, max_value=400))
def test_split_messages_fit_are_valid_and_lose_nothing(
    parts: list[tuple[str, str, str]], limit: int
) -> None:
    text = "".join(
        (f"<{tag}>{html.escape(word)}</{tag}>" if tag else html.escape(word)) + separator
        for word, tag, separator in parts
    )
    chunks = split_html(text, limit)
    assert all(len(chunk) <= limit for chunk in chunks)
    assert all(_balanced(chunk) for chunk in chunks)
    assert "".join(_visible(c) for c in chunks) == _visible(text)
