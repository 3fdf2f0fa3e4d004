"""The command layer without any chat transport: messages in, replies out, over a real database
holding the sample article (the `library` fixture)."""

from __future__ import annotations

import asyncio

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot import render
from bot.commands import Commands, Document, Message, Reply, ShowStatus, _parse_id
from bot.settings import Settings
from index.library import Library
from tests.conftest import HARBOUR
from tests.test_store_faults import LONG
from tests.test_store_faults import _full_after as full_after

ADMIN = 1
USER = 2
QUESTION = "who said Russians intervened directly?"


@pytest.fixture
def commands(library: Library) -> Commands:
    settings = Settings(admin_ids=[ADMIN], _env_file=None)
    return Commands(library, settings)


@pytest.fixture
def intranet(library: Library) -> Commands:
    """An intranet deployment, which may fetch the test pages on 127.0.0.1."""
    settings = Settings(admin_ids=[ADMIN], fetch_allow_private=True, _env_file=None)
    return Commands(library, settings)


def user(text: str, private: bool = True) -> Message:
    return Message(text, user_id=USER, private=private)


def admin(text: str, show_status: ShowStatus | None = None) -> Message:
    return Message(text, user_id=ADMIN, is_admin=True, show_status=show_status)


def text_of(replies: list[Reply]) -> str:
    return "\n".join(render.plain(r.html) for r in replies)


class Upload:
    """A file as an adapter offers it, remembering whether it was downloaded."""

    def __init__(self, name: str, data: bytes) -> None:
        self.name, self.data, self.fetched = name, data, False

    def document(self) -> Document:
        return Document(self.name, len(self.data), self.fetch)

    async def fetch(self) -> bytes:
        self.fetched = True
        return self.data


# -- everyone ----------------------------------------------------------------------------


def test_each_part_of_a_split_quote_is_underlined_and_the_rest_escaped() -> None:
    text = "“We tried everything,” she said, “but the river <rose> too fast.”"
    marked = render.marked_passage(text, "We tried everything … but the river <rose> too fast.")
    assert marked == (
        "“<u>We tried everything</u>,” she said, “<u>but the river &lt;rose&gt; too fast.</u>”"
    )
    assert render.marked_passage(text, "never said") == render.marked_passage(text, None)


async def test_an_answer_says_how_it_read_a_misspelt_word(commands: Commands) -> None:
    text = text_of(await commands.handle(user("who said the Rusians intervened directly?")))
    assert text.startswith("Read “Rusians” as “Russian”.")
    assert "Naji Mustafa" in text


async def test_start_says_what_the_bot_knows_and_how_to_ask(commands: Commands) -> None:
    text = text_of(await commands.handle(user("/start")))
    assert "I know 1 article with" in text
    assert "/ask" in text


async def test_help_lists_admin_commands_only_for_admins(commands: Commands) -> None:
    for_user = text_of(await commands.handle(user("/help")))
    for_admin = text_of(await commands.handle(admin("/help")))
    assert "/articles" in for_user and "/remove" not in for_user
    assert "/remove" in for_admin and "/reindex" in for_admin


async def test_articles_lists_each_article_with_its_id(commands: Commands) -> None:
    text = text_of(await commands.handle(user("/articles")))
    assert "1 · Russian soldiers fighting in Idlib campaign: Syria opposition" in text


async def test_article_shows_one_article_or_says_which_is_missing(commands: Commands) -> None:
    text = text_of(await commands.handle(user("/article 1")))
    assert "Russian soldiers fighting in Idlib campaign" in text
    assert "18 July 2019" in text and "Naji Mustafa" in text
    assert "There is no article 7" in text_of(await commands.handle(user("/article 7")))
    assert "Give its id" in text_of(await commands.handle(user("/article")))


async def test_speakers_counts_who_is_quoted(commands: Commands) -> None:
    everywhere = text_of(await commands.handle(user("/speakers")))
    in_one = text_of(await commands.handle(user("/speakers 1")))
    assert "Naji Mustafa · " in everywhere
    assert "Quoted in article 1" in in_one and "Naji Mustafa" in in_one
    assert "Nobody is quoted in article 9" in text_of(await commands.handle(user("/speakers 9")))
    assert "Give an article id" in text_of(await commands.handle(user("/speakers Idlib")))


async def test_a_plain_question_is_answered_in_private_but_not_in_a_group(
    commands: Commands,
) -> None:
    text = text_of(await commands.handle(user(QUESTION)))
    assert "The Russians are intervening directly now" in text and "told Reuters" in text
    assert await commands.handle(user(QUESTION, private=False)) == []
    asked = text_of(await commands.handle(user(f"/ask@saidwho_bot {QUESTION}", private=False)))
    assert "Naji Mustafa" in asked


async def test_a_huge_message_is_refused_politely(commands: Commands) -> None:
    question = " ".join(["why"] * 2000)
    text = text_of(await commands.handle(user(question)))
    assert "That message is 7,999 characters" in text and "up to 1,000" in text


async def test_an_unknown_command_points_to_help(commands: Commands) -> None:
    assert "I don't know /frobnicate. Try /help." in text_of(
        await commands.handle(user("/frobnicate now"))
    )


# -- paging with "More" ------------------------------------------------------------------


async def test_more_pages_through_the_results_until_they_run_out(commands: Commands) -> None:
    [first] = await commands.handle(user(QUESTION))
    assert first.more is not None and render.plain(first.html).startswith("1.")

    [second] = await commands.more(user("More"), first.more)
    assert render.plain(second.html).startswith("4.")
    pages = [second]
    while pages[-1].more:
        pages += await commands.handle(user("/more"))
    assert len(pages) >= 2
    assert "Nothing more to show" in text_of(await commands.handle(user("/more")))
    assert "has expired" in text_of(await commands.more(user("More"), first.more))


async def test_more_after_the_articles_changed_asks_again(commands: Commands) -> None:
    [first] = await commands.handle(user(QUESTION))
    assert first.more is not None
    await commands.handle(admin("/reindex"))

    assert "The articles changed since that answer" in text_of(
        await commands.more(user("More"), first.more)
    )


# -- admins ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "command", ["/remove 1", "/remove 1 yes", "/undo", "/reindex", "/add /tmp/x.txt"]
)
async def test_a_non_admin_is_refused_and_nothing_changes(
    commands: Commands, library: Library, command: str
) -> None:
    generation = await library.store.generation()

    text = text_of(await commands.handle(user(command)))

    assert "is for admins only. Nothing was changed." in text
    assert [a.id for a in await library.articles()] == [1]
    assert await library.store.generation() == generation


async def test_an_admin_removes_an_article(commands: Commands, library: Library) -> None:
    assert "Removed article 1" in text_of(await commands.handle(admin("/remove 1 yes")))
    assert await library.articles() == []
    assert "There is no article 1" in text_of(await commands.handle(admin("/remove 1")))


async def test_stats_for_an_admin(commands: Commands, library: Library) -> None:
    text = text_of(await commands.handle(admin("/stats")))
    assert "Articles: 1" in text and "Quotes:" in text
    assert "older version" not in text
    await library.store.set_meta("reading_version", "0")  # as an older saidwho left it
    text = text_of(await commands.handle(admin("/stats")))
    assert "Articles were read by an older version: /reindex" in text


async def test_add_by_url_fetches_the_page_and_answers_from_it(
    intranet: Commands, web: str
) -> None:
    text = text_of(await intranet.handle(admin(f"/add {web}/article.html")))
    assert "Added article 2" in text and "Bridge closure angers commuters" in text
    answer = text_of(await intranet.handle(user("who chairs the Holloway residents association?")))
    assert "Agnes Whitlow" in answer
    assert f"Valley Courier {web}/article.html" in answer  # answers show where it came from


async def test_add_of_an_internal_url_is_refused_unless_allowed(
    commands: Commands, library: Library, web: str
) -> None:
    text = text_of(await commands.handle(admin(f"/add {web}/article.html")))
    assert text.startswith(f"Not added: {web}/article.html: refused")
    assert "loopback" in text
    assert len(await library.articles()) == 1  # nothing fetched, nothing any user can read


async def test_add_by_url_reports_a_bad_url(intranet: Commands, library: Library, web: str) -> None:
    text = text_of(await intranet.handle(admin(f"/add {web}/missing")))
    assert text.startswith("Not added:") and "HTTP 404" in text
    assert len(await library.articles()) == 1


async def test_add_by_path_works_only_where_files_are_local(commands: Commands) -> None:
    text = text_of(await commands.handle(admin("/add /etc/hostname")))
    assert "Give an http(s) link, or send the article as a .txt or .html file" in text


async def test_reindex_reports_progress_then_the_result(commands: Commands) -> None:
    shown: list[str] = []

    async def show_status(text: str) -> None:
        shown.append(text)

    text = text_of(await commands.handle(admin("/reindex", show_status=show_status)))

    assert shown[0] == "Re-indexing the articles…"
    assert shown[-1] == "Re-indexing the articles… 1/1"
    assert text.startswith("Re-indexed 1 article:")


async def test_a_second_reindex_while_one_runs_is_turned_away(commands: Commands) -> None:
    started, release = asyncio.Event(), asyncio.Event()

    async def slow_status(text: str) -> None:
        started.set()
        await release.wait()

    first = asyncio.create_task(commands.handle(admin("/reindex", show_status=slow_status)))
    await started.wait()
    again = text_of(await commands.handle(admin("/reindex")))
    release.set()

    assert "already running" in again
    assert "Re-indexed 1 article" in text_of(await first)


# -- documents ---------------------------------------------------------------------------


async def test_an_uploaded_article_is_added_and_answers_at_once(commands: Commands) -> None:
    upload = Upload("harbour.txt", HARBOUR.encode())

    added = text_of(await commands.handle_document(admin(""), upload.document()))

    assert "Added article 2: Harbour dredging plan splits port town council" in added
    answer = text_of(await commands.handle(user("who said it is a lot of money for mud?")))
    assert "Peter Vance" in answer


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("empty.txt", b"  \n", "the file is empty"),
        ("blob.txt", b"\x00\x01\x02binary", "unsupported type"),
    ],
)
async def test_an_upload_that_is_not_an_article_is_explained(
    commands: Commands, library: Library, name: str, data: bytes, expected: str
) -> None:
    text = text_of(await commands.handle_document(admin(""), Upload(name, data).document()))

    assert text.startswith("Not added:") and expected in text
    assert len(await library.articles()) == 1


@pytest.mark.parametrize(
    ("name", "expected"),
    [("scan.pdf", "unsupported type"), ("photo.jpg", "unsupported type")],
)
async def test_other_file_types_are_refused_without_downloading(
    commands: Commands, name: str, expected: str
) -> None:
    upload = Upload(name, b"<p>whatever</p>")

    text = text_of(await commands.handle_document(admin(""), upload.document()))

    assert expected in text
    assert not upload.fetched


async def test_a_too_large_upload_is_refused_without_downloading(commands: Commands) -> None:
    upload = Upload("huge.txt", b"x" * (commands.settings.max_file_bytes + 1))

    text = text_of(await commands.handle_document(admin(""), upload.document()))

    assert "too large" in text and not upload.fetched


async def test_a_non_admin_upload_is_refused_without_downloading(
    commands: Commands, library: Library
) -> None:
    upload = Upload("harbour.txt", HARBOUR.encode())

    text = text_of(await commands.handle_document(user(""), upload.document()))

    assert "only admins can add articles" in text
    assert not upload.fetched and len(await library.articles()) == 1


async def test_a_user_over_the_rate_is_told_once_and_admins_are_not_limited(
    library: Library,
) -> None:
    commands = Commands(library, Settings(admin_ids=[ADMIN], user_rate=2, _env_file=None))

    admitted = [await commands.admit(user(QUESTION)) for _ in range(5)]
    assert admitted[:2] == [None, None]
    assert admitted[2] is not None and "2 a minute" in text_of(admitted[2])
    assert admitted[3:] == [[], []]  # told once; the rest are dropped quietly
    assert [await commands.admit(admin("/stats")) for _ in range(5)] == [None] * 5
    unlimited = Commands(library, Settings(user_rate=1, _env_file=None), rate_limited=False)
    assert [await unlimited.admit(user(QUESTION)) for _ in range(3)] == [None] * 3


async def test_queued_uploads_say_their_place_and_a_shutdown_stops_them_unsaved(
    commands: Commands, library: Library
) -> None:
    """An admin's uploads wait their turn, saying how many are ahead; when the bot is told to
    stop, the one in hand and those waiting are not added, and each says why."""
    release = asyncio.Event()
    statuses: dict[str, list[str]] = {}

    class Held(Upload):
        async def fetch(self) -> bytes:
            await release.wait()
            return await super().fetch()

    async def send(name: str) -> str:
        async def show(text: str) -> None:
            statuses.setdefault(name, []).append(text)

        upload = Held(name, HARBOUR.replace("Harbour", name).encode())
        return text_of(await commands.handle_document(admin("", show), upload.document()))

    jobs = [asyncio.create_task(send(name)) for name in ("a.txt", "b.txt", "c.txt")]
    while len(statuses) < 3:
        await asyncio.sleep(0.01)
    assert statuses == {
        "a.txt": ["Adding a.txt…"],
        "b.txt": ["Queued: 1 ahead of yours. Adding b.txt…"],
        "c.txt": ["Queued: 2 ahead of yours. Adding c.txt…"],
    }
    library.cancel()
    release.set()
    replies = await asyncio.gather(*jobs)
    assert all(r.startswith("Not added: ") and "shutting down" in r for r in replies), replies
    assert (await library.counts())["articles"] == 1


# -- what anyone may type as an id (#32 row 4) --------------------------------------------


@pytest.mark.parametrize(
    "command, typed",
    [
        ("/article ²", "²"),  # str.isdigit() says yes, int() says no
        ("/speakers ³", "³"),
        ("/article ٣", "٣"),  # Arabic-Indic three: int() reads it as 3
        ("/article 99999999999999999999", "99999999999999999999"),  # past SQLite's integers
        ("/speakers 0", "0"),  # no article 0: not "everyone, in article 0"
        ("/article -1", "-1"),
    ],
)
async def test_an_id_that_is_no_article_id_is_named_in_a_sentence(
    commands: Commands, command: str, typed: str
) -> None:
    text = text_of(await commands.handle(user(command)))
    assert text.startswith(f"“{typed}” is not an article id.")
    assert "Naji Mustafa" not in text  # nobody listed, no article shown


@settings(max_examples=300)
@given(
    st.one_of(
        st.text(max_size=30),
        st.from_regex(r"\A#?[0-9]{1,25}\Z"),
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
    )
)
def test_an_id_is_ascii_digits_naming_1_to_sqlites_largest(typed: str) -> None:
    parsed = _parse_id(typed)
    digits = typed.strip().removeprefix("#")
    if digits.isascii() and digits.isdigit() and 1 <= int(digits) <= 2**63 - 1:
        assert parsed == int(digits)
    else:
        assert parsed is None


# -- More belongs to the chat it was asked in (#32 row 5) ---------------------------------


async def test_more_in_a_group_never_shows_the_rest_of_a_private_answer(
    commands: Commands,
) -> None:
    [private] = await commands.handle(Message(QUESTION, user_id=USER, chat_id=USER))
    assert private.more is not None

    group = Message("/more", user_id=USER, private=False, chat_id=-100)
    text = text_of(await commands.handle(group))

    assert "Nothing more to show here" in text and "Russian" not in text
    again = text_of(await commands.handle(Message("/more", user_id=USER, chat_id=USER)))
    assert again.startswith("4.")  # in the private chat, it pages on


# -- a store that cannot be written, said in a sentence (#32 rows 6 and 8) ----------------


async def test_reindex_on_a_full_disk_says_so_and_keeps_what_was_stored(
    commands: Commands, library: Library
) -> None:
    long = library.store.path.parent / "long.txt"
    long.write_text(LONG, encoding="utf-8")
    await library.add_file(long)
    await full_after(library.store, 0)

    text = text_of(await commands.handle(admin("/reindex")))

    assert text.startswith("Re-indexing stopped:") and "the disk is full" in text
    assert len(await library.articles()) == 2


async def test_an_answer_on_a_full_disk_has_no_more_button_for_a_page_never_kept(
    commands: Commands, library: Library
) -> None:
    await full_after(library.store, 0)

    [reply] = await commands.handle(user(QUESTION))

    assert "Naji Mustafa" in text_of([reply])
    assert reply.more is None
    assert "Nothing more to show" in text_of(await commands.handle(user("/more")))


async def test_two_hundred_answers_with_more_grow_the_database_by_little(
    commands: Commands, library: Library
) -> None:
    """Each page kept for More names the passages still to show, not the answer's text (~20
    KB a page grew a database by 200 MB at the 10,000-page cap)."""
    db = library.store.path
    await commands.handle(user(QUESTION))  # the pages table is made

    async def size() -> int:
        await library.store._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return db.stat().st_size

    before = await size()
    for n in range(200):
        [reply] = await commands.handle(user(f"{QUESTION} {n}"))
        assert reply.more is not None
    assert await size() - before < 1_000_000


async def test_a_more_page_shows_the_results_the_answer_had(
    commands: Commands, library: Library
) -> None:
    answer = await library.ask(QUESTION, k=commands.settings.results * 4)
    [first] = await commands.handle(user(QUESTION))
    assert first.more is not None

    [second] = await commands.more(user("More"), first.more)

    size = commands.settings.results
    assert second.html == render.answer(answer, start=size, count=size)
