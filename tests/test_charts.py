"""Pictures and one person's quotes (issue 29, item 4): /speakers as a PNG chart where pictures
show (sendPhoto through the fake Bot API), the listing elsewhere; /quotes newest first, paged."""

from __future__ import annotations

import datetime as dt
import struct
from pathlib import Path

import pytest

from bot import charts, render
from bot.commands import Commands, Message, Reply
from bot.settings import Settings
from bot.telegram import build_application, polling
from index.library import Library
from tests.fakebotapi import TOKEN, FakeBotApi

ADMIN = 1
USER = 2
PNG = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(PNG)
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def text_of(replies: list[Reply]) -> str:
    return "\n".join(render.plain(r.html) for r in replies)


def orchard(date: str, quotes: int, said: str) -> str:
    paragraphs = [
        f'"{said} {i}," said Tomas Lindqvist, who farms forty hectares.' for i in range(quotes)
    ]
    return f"Orchard report {date}\n\n{date}\n\n" + "\n\n".join(paragraphs) + "\n"


@pytest.fixture
def commands(library: Library) -> Commands:
    return Commands(library, Settings(admin_ids=[ADMIN], _env_file=None))


def test_a_chart_of_dated_quotes_also_draws_them_over_time() -> None:
    undated = [("Ann Lee", None, 3), ("Bo Chan", None, 1)]
    dated = [("Ann Lee", dt.date(2020, 1, 1), 3), ("Ann Lee", dt.date(2020, 2, 1), 2)]

    flat = charts.speakers_chart(undated, "Quoted")
    over_time = charts.speakers_chart(dated, "Quoted")

    assert png_size(over_time)[1] > png_size(flat)[1]


@pytest.mark.parametrize("count", [3, 200], ids=["fits", "cut"])
def test_a_caption_fits_telegrams_limit_and_says_what_it_left_out(count: int) -> None:
    lines = [f"Person number {i} · {i}" for i in range(count)]
    caption = charts.caption("<b>Quoted</b>", lines, "… and {left} more")
    assert len(caption) <= charts.MAX_CAPTION
    assert ("more" in caption) == (count == 200)


async def test_speakers_where_pictures_show_is_a_chart_with_the_listing_as_caption(
    commands: Commands,
) -> None:
    [reply] = await commands.handle(Message("/speakers", user_id=USER, photos=True))
    assert reply.photo is not None and reply.photo.startswith(PNG)
    assert "Naji Mustafa" in render.plain(reply.html)


@pytest.mark.parametrize(
    ("text", "photos"), [("/speakers list", True), ("/speakers", False)], ids=["list", "console"]
)
async def test_speakers_as_text_where_asked_or_no_pictures_show(
    commands: Commands, text: str, photos: bool
) -> None:
    [reply] = await commands.handle(Message(text, user_id=USER, photos=photos))
    assert reply.photo is None
    assert "Naji Mustafa" in render.plain(reply.html)


async def test_quotes_of_a_person_come_newest_first_and_page_on(
    commands: Commands, library: Library, tmp_path: Path
) -> None:
    old, new = tmp_path / "old.txt", tmp_path / "new.txt"
    old.write_text(orchard("3 March 2020", 30, "Old frost"), encoding="utf-8")
    new.write_text(orchard("4 April 2022", 15, "New frost"), encoding="utf-8")
    await library.add_input(str(old))
    await library.add_input(str(new))

    [first] = await commands.handle(Message("/quotes Lindqvist", user_id=USER))
    text = render.plain(first.html)
    assert text.startswith("Quotes of Tomas Lindqvist · 45 quotes")
    assert text.index("New frost 0") < text.index("Old frost 0")
    assert first.more is not None

    following = text_of(await commands.more(Message("", user_id=USER), first.more))
    assert "Old frost 29" in following and "41–45 of 45" in following


async def test_quotes_of_nobody_quoted_says_so(commands: Commands) -> None:
    text = text_of(await commands.handle(Message("/quotes Zelda Quux", user_id=USER)))
    assert text == "None of the articles I know quotes Zelda Quux."


async def test_speakers_on_telegram_is_sent_as_a_photo(api: FakeBotApi, library: Library) -> None:
    settings = Settings(TELEGRAM_TOKEN=TOKEN, _env_file=None)
    app = build_application(library, settings, base_url=api.base_url)
    async with polling(app):
        mark = api.send_text("/speakers", user_id=USER)
        sent = await api.wait_for("sendPhoto", after=mark)

    assert "Naji Mustafa" in sent.plain
    assert sent.chat_id == USER
    [photo] = [data for (chat, _), data in api.photos.items() if chat == USER]
    assert png_size(photo)[0] > 300
