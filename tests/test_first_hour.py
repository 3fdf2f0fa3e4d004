"""What a new user's first hour hit (issue 29, item 6): one test per rough edge, through the
command layer over a real database, the console and the CLI in subprocesses."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from bot import render
from bot.commands import Commands, Message, Reply
from bot.console import ADMIN_HINT
from bot.settings import Settings
from index.articles import parse_article
from index.errors import StoreError
from index.library import Library
from index.models import Answer, Reason
from index.webpages import parse_html
from tests.conftest import CLI, HARBOUR, ROOT, SAMPLE

ADMIN = 1
USER = 2


@pytest.fixture
def commands(library: Library) -> Commands:
    return Commands(library, Settings(admin_ids=[ADMIN], _env_file=None))


def console_admin(text: str) -> Message:
    """An admin on the console, where /add may name paths on this machine."""
    return Message(text, user_id=ADMIN, is_admin=True, local_files=True)


def admin(text: str) -> Message:
    return Message(text, user_id=ADMIN, is_admin=True)


def user(text: str) -> Message:
    return Message(text, user_id=USER)


def text_of(replies: list[Reply]) -> str:
    return "\n".join(render.plain(r.html) for r in replies)


async def article_ids(library: Library) -> list[int]:
    return [a.id for a in await library.articles()]


# -- /add ---------------------------------------------------------------------------------


async def test_add_of_a_folder_of_txt_files_adds_each(
    commands: Commands, library: Library, articles_dir: Path
) -> None:
    text = text_of(await commands.handle(console_admin(f"/add {articles_dir}")))

    assert "no .txt or .html articles" not in text
    assert text.count("Added article") == 2, text
    assert len(await library.articles()) == 3


NOT_ARTICLES = {
    "hostname": "vm\n",  # /etc/hostname: one word, no extension
    "Makefile": "run:\n\tpython -m app\n\ntest:\n\tpytest -q\n",
    "README.md": "# project\n\nSome notes about the project, in Markdown.\n",
    "title-only.txt": "Just a headline and nothing else\n",
}


@pytest.mark.parametrize("name", NOT_ARTICLES)
async def test_a_file_that_is_no_article_is_refused_by_name(
    commands: Commands, library: Library, tmp_path: Path, name: str
) -> None:
    path = tmp_path / name
    path.write_text(NOT_ARTICLES[name], encoding="utf-8")

    text = text_of(await commands.handle(console_admin(f"/add {path}")))

    assert text.startswith(f"Not added: {path}"), text
    assert await article_ids(library) == [1]


async def test_a_refused_loopback_url_says_how_to_allow_an_intranet(commands: Commands) -> None:
    text = text_of(await commands.handle(admin("/add http://127.0.0.1:9/story.html")))

    assert "loopback" in text
    assert "SAIDWHO_FETCH_ALLOW_PRIVATE=true" in text


# -- dates, titles, numbering -------------------------------------------------------------

BODY = " ".join(["The council met on Tuesday and voted to dredge the harbour before winter."] * 4)


def page(date_text: str) -> str:
    return (
        "<html><head><title>Harbour plan</title></head><body><article><h1>Harbour plan</h1>"
        f"<p>{date_text}</p><p>{BODY}</p></article><footer>Copyright 2006</footer></body></html>"
    )


@pytest.mark.parametrize(
    ("date_text", "shown"),
    [
        ("The plan dates from 2006, when the first survey was made.", "undated"),
        ("Published 18 July 2019. The plan is older than that.", "18 July 2019"),
    ],
    ids=["a year in the text is no date", "a date in the text is"],
)
def test_a_web_page_is_dated_only_by_a_date_it_gives(date_text: str, shown: str) -> None:
    article = parse_html(page(date_text), source="harbour.html")
    assert render.human_date(article.date) == shown


def test_a_headline_ending_in_a_semicolon_goes_on_with_the_next_line() -> None:
    text = (
        "Derelict Obama and Clinton; \n"
        "Trump will go on offense against radical Islamic terrorism.\n\n"
        "Last weekend, America once again experienced attacks upon our shores.\n"
    )
    article = parse_article(text, source="op-ed.txt")
    assert article.title == (
        "Derelict Obama and Clinton; Trump will go on offense against radical Islamic terrorism."
    )


def test_ask_json_numbers_paragraphs_as_replies_do(cli: CLI, tmp_path: Path) -> None:
    db = str(tmp_path / "c.db")
    assert cli("ingest", "--db", db, str(SAMPLE)).returncode == 0
    question = "who said Russians intervened directly?\n"

    answered = json.loads(cli("ask", "--db", db, "--json", stdin=question).stdout)
    said = cli("ask", "--db", db, question.strip()).stdout

    top = answered["results"][0]["passage"]
    assert top["ordinal"] == 3  # the contract's example: ordinals count from 0
    assert f"paragraph {top['paragraph']} ·" in said
    assert top["paragraph"] == 4


# -- wording --------------------------------------------------------------------------------


def test_the_empty_library_reply_has_no_markdown_backticks() -> None:
    shown = render.answer(Answer(question="who said it?", reason=Reason.NOTHING_STORED))
    assert "`" not in shown
    assert "saidwho ingest" in shown


async def test_a_title_ending_in_a_full_stop_is_not_given_a_second(
    commands: Commands, tmp_path: Path
) -> None:
    path = tmp_path / "endorse.txt"
    path.write_text(HARBOUR.replace(HARBOUR.splitlines()[0], "Union endorses Clinton."))
    await commands.handle(console_admin(f"/add {path}"))

    again = text_of(await commands.handle(console_admin(f"/add {path}")))

    assert again.endswith("Union endorses Clinton."), again


def test_the_console_admin_hint_names_a_way_that_works_after_make_run() -> None:
    assert "make console-admin" in ADMIN_HINT
    planned = subprocess.run(
        ["make", "-n", "-W", "pyproject.toml", "console-admin"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert planned.returncode == 0, planned.stderr
    assert ".venv/bin/saidwho console --admin" in planned.stdout


async def test_a_non_admin_stats_does_not_speak_of_changes(commands: Commands) -> None:
    text = text_of(await commands.handle(user("/stats")))
    assert "for admins only" in text
    assert "changed" not in text


# -- /remove, asked and undone --------------------------------------------------------------


async def test_remove_asks_first_and_removes_nothing_yet(
    commands: Commands, library: Library
) -> None:
    [asked] = await commands.handle(admin("/remove 1"))

    assert "Remove article 1" in render.plain(asked.html)
    assert [(b.label, b.command) for b in asked.buttons] == [
        ("Yes, remove it", "/remove 1 yes"),
        ("No", "/remove 1 no"),
    ]
    assert await article_ids(library) == [1]


async def test_no_keeps_the_article(commands: Commands, library: Library) -> None:
    text = text_of(await commands.handle(admin("/remove 1 no")))
    assert text.startswith("Kept article 1")
    assert await article_ids(library) == [1]


async def test_a_removed_article_comes_back_with_undo(commands: Commands, library: Library) -> None:
    [removed] = await commands.handle(admin("/remove 1 yes"))
    assert "Removed article 1" in removed.html
    assert [b.command for b in removed.buttons] == ["/undo"]
    assert await library.articles() == []

    restored = text_of(await commands.handle(admin("/undo")))

    assert "Restored article 1" in restored
    answer = text_of(await commands.handle(user("who said Russians intervened directly?")))
    assert "Naji Mustafa" in answer
    assert "Nothing to undo" in text_of(await commands.handle(admin("/undo")))


async def test_undo_after_its_time_restores_nothing(commands: Commands, library: Library) -> None:
    commands._removals.undo_seconds = 0.0
    await commands.handle(admin("/remove 1 yes"))

    assert "Nothing to undo" in text_of(await commands.handle(admin("/undo")))
    assert await library.articles() == []


# -- who is X -------------------------------------------------------------------------------


async def test_who_is_leads_with_the_role_and_the_introducing_paragraph(
    commands: Commands,
) -> None:
    text = text_of(await commands.handle(user("who is Naji Mustafa?")))
    lead, passage, source = text.split("\n")[:3]

    assert lead == (
        "Captain Naji Mustafa, spokesman for the Turkey-backed National Liberation Front (NLA):"
    )
    assert "Captain Naji Mustafa" in passage
    assert "— " not in text  # not shown as a quote and its attribution
    assert "paragraph 4" in source


async def test_no_more_button_for_a_page_that_was_not_kept(
    commands: Commands, library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full disk cannot be had here: the store's refusal to keep the page stands in for it."""

    async def full(*args: object) -> None:
        raise StoreError(f"{library.store.path}: the disk is full")

    monkeypatch.setattr(library, "save_page", full)
    [reply] = await commands.handle(user("who said Russians intervened directly?"))

    assert reply.more is None
    assert "Naji Mustafa" in render.plain(reply.html)
