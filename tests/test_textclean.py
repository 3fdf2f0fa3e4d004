"""Text hygiene (#32 row 12): names that look alike are not the same person, invisible and
compatibility characters do not make a second speaker, and nothing an article or a user wrote
acts on the terminal it is printed to."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot import render
from bot.commands import Commands, Message
from bot.settings import Settings
from index.articles import parse_article
from index.library import Library
from index.textclean import clean, for_terminal, mixed_script
from tests.conftest import CLI

REAL = """Obama speaks on trade

May 3, 2016

"Trade deals must protect workers first," said Barack Obama, the president, at a rally.
"""
# "Obаma" with a Cyrillic "а": looks the same, is not the same.
FAKE = """Obama speaks on taxes

May 4, 2016

"We will abolish every tax on yachts tomorrow," said Barack Ob\u0430ma, the president.
"""


def _quoting(name: str, topic: str) -> str:
    return f"""Rally on {topic}

May 5, 2016

"The {topic} plan is a disgrace," said {name}, the candidate, in Ohio.
"""


async def _replies(library: Library, text: str) -> str:
    commands = Commands(library, Settings(_env_file=None))
    return "\n".join(render.plain(r.html) for r in await commands.handle(Message(text)))


@pytest.mark.parametrize("beside_the_real_one", [False, True], ids=["alone", "beside the real"])
async def test_a_look_alike_name_is_never_the_person_it_imitates(
    db_path: Path, beside_the_real_one: bool
) -> None:
    async with await Library.open(db_path) as library:
        if beside_the_real_one:
            await library.add(parse_article(REAL, source="real.txt"))
        await library.add(parse_article(FAKE, source="fake.txt"))

        answer = await library.ask("what did Barack Obama say about yachts?")
        listed = await _replies(library, "/speakers")

    assert answer.speaker != "Barack Obama"  # never merged into the real one
    assert "mixes Cyrillic and Latin letters: a look-alike name" in listed
    if beside_the_real_one:
        assert "Barack Obama · 1" in listed  # two people, the fake one flagged
    else:
        assert answer.results == []  # "what did Barack Obama say" is not answered by the fake
        assert answer.read is not None and answer.read.speaker == "Barack Obama"


@pytest.mark.parametrize(
    "spelling",
    ["Donald\u200b Trump", "Donald \u200dTrump", "Ｄｏｎａｌｄ Ｔｒｕｍｐ", "Don\u00adald Trump"],
    ids=["zero-width space", "zero-width joiner", "full-width letters", "soft hyphen"],
)
async def test_invisible_or_compatibility_characters_make_no_second_speaker(
    db_path: Path, spelling: str
) -> None:
    async with await Library.open(db_path) as library:
        await library.add(parse_article(_quoting("Donald Trump", "tax"), source="a.txt"))
        await library.add(parse_article(_quoting(spelling, "wall"), source="b.txt"))
        speakers = await library.speakers()
        answer = await library.ask(f"what did {spelling} say about the wall?")

    assert speakers == [("Donald Trump", 2)]
    assert answer.speaker == "Donald Trump"


ESCAPES = "\x1b[2J\x1b]0;owned\x07\x1b[31m"  # clear the screen, retitle the window, go red


@pytest.mark.parametrize("command", ["ask", "extract", "console"])
def test_nothing_printed_to_a_terminal_acts_on_it(cli: CLI, tmp_path: Path, command: str) -> None:
    article = tmp_path / "escapes.txt"
    article.write_text(
        f'Council {ESCAPES}votes\n\n"The roads {ESCAPES}come first," said Ann Lee, the mayor.\n',
        encoding="utf-8",
    )
    db = str(tmp_path / "e.db")
    assert cli("ingest", "--db", db, str(article)).returncode == 0
    if command == "ask":
        done = cli("ask", "--db", db, "who said the roads come first?")
    elif command == "extract":
        done = cli("extract", str(article))
    else:  # what the user typed is said back: "I don't know /…"
        done = cli("console", "--db", db, stdin=f"/x{ESCAPES}\nwho said the roads come first?\n")
    assert done.returncode == 0, done.stderr
    assert "Ann Lee" in done.stdout
    assert "\x1b" not in done.stdout and "\x07" not in done.stdout


_DANGEROUS = {chr(c) for c in [*range(0x20), *range(0x7F, 0xA0)]} - {"\n", "\t"}


@given(st.text())
def test_terminal_text_holds_no_control_character(text: str) -> None:
    shown = for_terminal(text)
    assert not _DANGEROUS & set(shown)
    assert for_terminal(shown) == shown


@given(st.text())
def test_clean_text_is_nfkc_without_invisible_characters_and_stays_so(text: str) -> None:
    cleaned = clean(text)
    assert clean(cleaned) == cleaned
    assert not _DANGEROUS & set(cleaned)
    assert "\u200b" not in cleaned and "\ufeff" not in cleaned
    assert all(unicodedata.normalize("NFKC", part) == part for part in cleaned.split("…"))


@pytest.mark.parametrize(
    "name, mixed",
    [("Barack Ob\u0430ma", True), ("Sergei Лавров", False), ("Νίκος", False), ("Obama", False)],
)
def test_a_name_mixes_scripts_only_within_a_word(name: str, mixed: bool) -> None:
    assert mixed_script(name) is mixed
