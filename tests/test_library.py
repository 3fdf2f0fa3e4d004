import asyncio
import logging
import threading
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

import index.library as library_module
from index.library import Library
from index.models import IngestStatus, Reason
from tests.conftest import WEIGHTS


@pytest.fixture
async def library(db: str) -> AsyncIterator[Library]:
    """The sample article's library, on each engine."""
    async with await Library.open(db) as lib:
        await lib.seed_sample()
        yield lib


async def add_articles(library: Library, folder: Path, **texts: str) -> None:
    """Write each text as `<name>.txt` in `folder` and add it to the library."""
    for name, text in texts.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
        await library.add_file(folder / f"{name}.txt")


async def test_sample_answers_who_said_russians_intervened(library: Library) -> None:
    answer = await library.ask("who said Russians intervened directly?")
    assert answer.speaker == "Naji Mustafa"
    top = answer.results[0]
    assert "The Russians are intervening directly now" in top.passage.text
    assert top.article.title == "Russian soldiers fighting in Idlib campaign: Syria opposition"
    assert str(top.article.date) == "2019-07-18"
    [attribution] = top.passage.attributions
    assert attribution.addressee == "Reuters"
    assert attribution.role == "spokesman for the Turkey-backed National Liberation Front (NLA)"


async def test_question_without_content_words_asks_to_rephrase(library: Library) -> None:
    answer = await library.ask("who said that?")
    assert answer.results == [] and answer.speaker is None
    assert answer.reason is Reason.NO_CONTENT


async def test_unrelated_question_gets_no_results(library: Library) -> None:
    answer = await library.ask("buttermilk pancakes")
    assert answer.results == []


async def test_a_question_about_something_no_article_covers_gets_no_results(
    library: Library,
) -> None:
    answer = await library.ask("how tall is Mount Everest?")
    assert answer.results == [] and answer.speaker is None
    assert answer.reason is Reason.NOTHING_RELEVANT


async def test_what_someone_never_quoted_said_gets_no_results(library: Library) -> None:
    answer = await library.ask("what did Vladimir Putin say about the Russian soldiers in Idlib?")
    assert answer.results == []
    assert answer.reason is Reason.NOT_QUOTED
    assert answer.read and answer.read.speaker == "Vladimir Putin"
    answer = await library.ask("what did Mustafa say about the Russian soldiers in Idlib?")
    assert answer.speaker == "Naji Mustafa"


async def test_names_and_words_are_found_without_their_accents(
    library: Library, tmp_path: Path
) -> None:
    await add_articles(
        library,
        tmp_path,
        wall="Wall plan draws fire\n\n"
        "“Mexico should refuse every permit for the wall,” said Jorge Castañeda, a former "
        "foreign minister.\n\n"
        "Hervé Mazet, a builder, said the café by the border would close.\n",
    )
    answer = await library.ask("what did Jorge Castaneda say about permits?")
    assert answer.speaker == "Jorge Castañeda"
    assert "every permit" in answer.results[0].passage.text
    answer = await library.ask("who said the cafe would close?")
    assert answer.speaker == "Hervé Mazet"


async def test_a_role_is_found_by_its_initials(library: Library, tmp_path: Path) -> None:
    await add_articles(
        library,
        tmp_path,
        tax="Tax plan draws fire\n\n"
        "Dana Ruiz, a law professor at New York University, studies the tax code.\n\n"
        "“Real estate gets a better deal than anyone,” Ruiz said.\n\n"
        "“Real estate is the heart of the economy,” said Tom Hale, a builder.\n",
    )
    answer = await library.ask("what did the NYU academic say about real estate?")
    assert answer.speaker == "Dana Ruiz"
    assert "better deal" in answer.results[0].passage.text


async def test_informal_words_find_the_words_articles_use(library: Library, tmp_path: Path) -> None:
    await add_articles(
        library,
        tmp_path,
        march="Sunday marches\n\n"
        "Students will march across the campus on Sunday.\n\n"
        "Veterans will march to the Capitol on Sunday.\n\n"
        "Most donors to the march fund gave less than 200 dollars.\n\n"
        "The march fund's donors gave 5,000 in all.\n",
    )
    answer = await library.ask("where will the vets march?")
    assert answer.results and "Veterans" in answer.results[0].passage.text
    answer = await library.ask("how many march donors gave under two hundred bucks?")
    assert answer.results and "200 dollars" in answer.results[0].passage.text


async def test_sample_is_seeded_once_only(library: Library) -> None:
    [article] = await library.articles()
    assert await library.remove(article.id)
    assert await library.seed_sample() is None
    assert await library.articles() == []


async def test_added_article_is_answered_at_once(library: Library, articles_dir: Path) -> None:
    result = await library.add_file(articles_dir / "harbour.txt")
    assert result.status is IngestStatus.ADDED
    answer = await library.ask("who talked about silt deciding the future of the town?")
    assert answer.speaker == "Mariana Okafor"
    assert "silt" in answer.results[0].passage.text


async def test_removed_article_is_no_longer_answered(library: Library, articles_dir: Path) -> None:
    result = await library.add_file(articles_dir / "harbour.txt")
    assert await library.remove(result.article_id)
    answer = await library.ask("silt harbour dredging")
    assert all("silt" not in r.passage.text for r in answer.results)


async def test_an_empty_library_says_how_to_add_articles(db: str, articles_dir: Path) -> None:
    async with await Library.open(db) as empty:
        answer = await empty.ask("apricot frost")
        assert answer.results == []
        assert answer.reason is Reason.NOTHING_STORED
        await empty.add_file(articles_dir / "orchard-2022-04-20.txt")
        assert (await empty.ask("apricot frost")).results
        assert (await empty.ask("how tall is Mount Everest?")).reason is Reason.NOTHING_RELEVANT


async def test_change_by_another_process_is_picked_up(db: str, articles_dir: Path) -> None:
    async with await Library.open(db) as reader, await Library.open(db) as writer:
        assert (await reader.ask("apricot frost")).results == []
        await writer.add_file(articles_dir / "orchard-2022-04-20.txt")
        answer = await reader.ask("apricot frost")
        assert answer.results and "frost" in answer.results[0].passage.text


def _no_rebuild(monkeypatch: pytest.MonkeyPatch) -> None:
    """From here on, building or loading a whole index fails the test."""

    def whole(*args: object, **kwargs: object) -> None:
        raise AssertionError("the whole index was rebuilt or reloaded")

    monkeypatch.setattr(library_module.SearchIndex, "build", whole)
    monkeypatch.setattr(library_module.SearchIndex, "load", whole)


async def test_other_processes_changes_are_applied_not_rebuilt(
    db: str, articles_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process adds, replaces and removes articles: the reader applies just those
    changes (from the store's change log), and answers exactly as a fresh index would."""
    harbour = articles_dir / "harbour.txt"
    async with await Library.open(db) as reader, await Library.open(db) as writer:
        await writer.seed_sample()
        assert (await reader.ask("who said Russians intervened directly?")).speaker
        _no_rebuild(monkeypatch)
        orchard = await writer.add_file(articles_dir / "orchard-2022-04-20.txt")
        await writer.add_file(harbour)
        harbour.write_text(harbour.read_text().replace("silt", "sludge"), encoding="utf-8")
        assert (await writer.add_file(harbour)).status is IngestStatus.REPLACED
        assert await writer.remove(orchard.article_id)
        assert (await reader.ask("apricot frost")).results == []
        answer = await reader.ask("sludge harbour dredging future")
        assert answer.results and "sludge" in answer.results[0].passage.text
        assert all("silt" not in r.passage.text for r in answer.results)
        assert reader.passages_indexed == (await reader.store.counts())["passages"]
        mine, theirs = reader._indexes, writer._indexes
        assert mine.passages.search(["sludg"], 5) == theirs.passages.search(["sludg"], 5)
        assert mine.articles.search(["harbour"], 5) == theirs.articles.search(["harbour"], 5)


async def test_a_change_the_log_does_not_hold_is_rebuilt(db: str, articles_dir: Path) -> None:
    """A write by a saidwho without the change log (or one further back than the log keeps):
    the reader cannot apply it, so it rebuilds, and answers right."""
    async with await Library.open(db) as reader, await Library.open(db) as writer:
        await writer.add_file(articles_dir / "orchard-2022-04-20.txt")
        await writer.store._execute("DELETE FROM changes")
        answer = await reader.ask("apricot frost")
        assert answer.results and "frost" in answer.results[0].passage.text


def test_a_cli_ingest_is_caught_up_by_a_running_library(
    db: str, articles_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real case: the bot runs while `saidwho ingest` adds an article in another process."""
    from tests.conftest import CLI

    async def scenario() -> None:
        async with await Library.open(db) as bot:
            await bot.seed_sample()
            assert (await bot.ask("apricot frost")).results == []
            _no_rebuild(monkeypatch)
            cli = CLI(articles_dir)
            done = await asyncio.to_thread(
                cli, "ingest", "--db", db, str(articles_dir / "orchard-2022-04-20.txt")
            )
            assert done.returncode == 0, done.stderr
            answer = await bot.ask("apricot frost")
            assert answer.results and "frost" in answer.results[0].passage.text

    asyncio.run(scenario())


async def test_reindex_keeps_ids_and_answers(library: Library) -> None:
    before = await library.articles()
    seen: list[tuple[int, int]] = []

    async def progress(done: int, total: int) -> None:
        seen.append((done, total))

    assert await library.reindex(progress) == len(before)
    assert seen[-1] == (len(before), len(before))
    assert [a.id for a in await library.articles()] == [a.id for a in before]
    assert (await library.ask("who said Russians intervened directly?")).speaker == "Naji Mustafa"


async def test_stats(library: Library) -> None:
    stats = await library.stats()
    assert stats.articles == 1 and stats.passages == 18
    assert stats.db_bytes > 0 and stats.indexed_at is not None


async def test_who_is_answers_with_the_role_and_the_introducing_passage(library: Library) -> None:
    for question in ("who is Naji Mustafa?", "Who is Mustafa"):
        answer = await library.ask(question)
        assert answer.speaker == "Naji Mustafa"
        [top] = answer.results
        assert "Captain Naji Mustafa" in top.passage.text
        assert top.passage.attributions[0].role == (
            "spokesman for the Turkey-backed National Liberation Front (NLA)"
        )


async def test_who_is_someone_never_quoted_falls_back_to_search(library: Library) -> None:
    answer = await library.ask("who is Bashar al-Assad?")
    assert answer.results and "Assad" in answer.results[0].passage.text


async def test_the_same_text_in_two_articles_fills_the_results_once(
    library: Library, tmp_path: Path
) -> None:
    shared = '"We cannot let the silt decide the future of this town," said Mariana Okafor.'
    await add_articles(
        library,
        tmp_path,
        a=f"Harbour vote\n\n{shared}\n\nA paragraph about a.\n",
        b=f"Harbour vote, updated\n\n{shared}\n\nA paragraph about b.\n",
    )
    answer = await library.ask("silt decide the future of the town")
    texts = [r.passage.text for r in answer.results]
    assert texts.count(shared) == 1


SCHOOL = """School board approves budget after long night

The board met on Tuesday in the gymnasium.

The vote was five to four.
"""

BRIDGE = """Council approves the new Tay bridge

Engineers say the river crossing will carry 12,000 cars a day.

The vote was seven to two.
"""


async def test_the_article_around_a_passage_decides_between_equal_passages(
    tmp_path: Path,
) -> None:
    # Both "vote" passages match the question equally; only the bridge article is about the Tay.
    async with await Library.open(tmp_path / "signals.db", weights=WEIGHTS) as library:
        await add_articles(library, tmp_path, school=SCHOOL, bridge=BRIDGE)
        answer = await library.ask("how did the vote on the Tay bridge go?")
    assert answer.results[0].passage.text == "The vote was seven to two."
    assert answer.results[0].article.title == "Council approves the new Tay bridge"


async def test_a_question_about_what_no_article_covers_is_set_aside(
    library: Library, tmp_path: Path
) -> None:
    # The school vote does not stand in for the Tay bridge's: nothing is about the Tay.
    await add_articles(library, tmp_path, school=SCHOOL)
    answer = await library.ask("how did the vote on the Tay bridge go?")
    assert answer.results == []


async def test_a_passage_sharing_no_word_with_the_question_is_found_in_its_article(
    tmp_path: Path,
) -> None:
    # The amount shares no word with the question; its article shares most of them. (Other
    # articles are there because BM25 gives a word in one of two articles no weight.)
    library = await Library.open(tmp_path / "signals.db", weights=WEIGHTS)
    await add_articles(
        library,
        tmp_path,
        flood="Dorset flood relief approved\n\n"
        "Flood relief for Dorset farmers was approved by the council on Monday.\n\n"
        "The fund holds 40,000 pounds.\n",
        roads="Road works\n\nThe council will resurface roads.\n",
        school="School opens\n\nA new school opened in Poole.\n",
    )
    answer = await library.ask("how much money will the Dorset flood relief get?")
    await library.close()
    assert any("40,000" in r.passage.text for r in answer.results[:2])


async def test_the_question_words_side_by_side_win_over_the_same_words_scattered(
    library: Library, tmp_path: Path
) -> None:
    # Both quotes hold every word of the questions, once each, and are as long.
    await add_articles(
        library,
        tmp_path,
        grid="Grid review\n\n"
        "“The power grid is old but the review found the water safe,” said Ann Lee.\n\n"
        "The review took the city council three years and cost a great deal.\n\n"
        "“The water grid is old, yet our inspectors call the power clean,” said Bob Hale.\n",
    )
    answer = await library.ask("who said the power grid is old?")
    assert answer.speaker == "Ann Lee"
    answer = await library.ask("who said the water grid is old?")
    assert answer.speaker == "Bob Hale"


LEDGER = "Harbour ledger\n\n" + "\n\n".join(
    f"Entry {i} of the harbour ledger lists the tide tables." for i in range(300)
)


async def test_a_question_asked_while_the_index_follows_a_change_is_answered_at_once(
    library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "ledger.txt").write_text(LEDGER)
    following, release = threading.Event(), threading.Event()
    apply = Library._apply

    def held_apply(self: Library, *args: Any) -> None:
        following.set()
        release.wait(10)
        apply(self, *args)

    async def no_rebuild(self: Library) -> None:
        raise AssertionError("the index was rebuilt from the store")

    monkeypatch.setattr(Library, "_apply", held_apply)
    monkeypatch.setattr(Library, "_rebuilt_index", no_rebuild)
    adding = asyncio.create_task(library.add_file(tmp_path / "ledger.txt"))
    while not following.is_set():
        await asyncio.sleep(0.01)
    # The store holds the ledger now, the index not yet: the question neither waits nor rebuilds.
    answer = await library.ask("who said Russians intervened directly?")
    assert answer.speaker == "Naji Mustafa" and not adding.done()
    release.set()
    assert (await adding).passages == 300
    after = await library.ask("harbour ledger tide tables")
    assert after.results and "ledger" in after.results[0].passage.text


async def test_an_article_is_tokenized_off_the_event_loop(
    library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "ledger.txt").write_text(LEDGER)
    on_loop: list[bool] = []
    for name in ("findable_terms", "article_terms"):
        original = getattr(library_module, name)

        def watched(item: Any, original: Any = original) -> list[str]:
            on_loop.append(threading.current_thread() is threading.main_thread())
            return list(original(item))

        monkeypatch.setattr(library_module, name, watched)
    await library.add_file(tmp_path / "ledger.txt")
    assert len(on_loop) == 301 and not any(on_loop)  # every passage, and the article


async def test_attributions_read_by_an_older_version_are_flagged_until_reindexed(
    db: str, caplog: pytest.LogCaptureFixture
) -> None:
    async with await Library.open(db) as lib:
        await lib.seed_sample()
        assert not (await lib.stats()).read_by_older_version  # a new store takes this version
        await lib.store.set_meta("reading_version", "0")  # as an older saidwho left it
    with caplog.at_level(logging.WARNING, logger="index.library"):
        async with await Library.open(db) as lib:
            assert "older saidwho" in caplog.text
            assert (await lib.stats()).read_by_older_version
            assert await lib.reindex() == 1
            assert not (await lib.stats()).read_by_older_version
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="index.library"):
        async with await Library.open(db):
            assert "older saidwho" not in caplog.text


async def _remove_in_this_process(library: Library, article_id: int, path: Path) -> None:
    assert await library.remove(article_id)


async def _replace_in_another_process(library: Library, article_id: int, path: Path) -> None:
    from tests.conftest import CLI

    path.write_text(path.read_text().replace("apricot", "cherry"), encoding="utf-8")
    cli = CLI(path.parent)
    done = await asyncio.to_thread(cli, "ingest", "--db", library.store.target, str(path))
    assert done.returncode == 0 and "1 added" in done.stderr, done.stderr


@pytest.mark.parametrize(
    "change", [_remove_in_this_process, _replace_in_another_process], ids=["remove", "replace"]
)
async def test_a_change_during_a_reindex_is_kept(
    library: Library, articles_dir: Path, change: Any
) -> None:
    """Issue 32, row 3: /remove during /reindex said "Removed" and the article came back under
    a new id; another process's newer version was reverted to the one the re-index began
    with. Whatever changes while the re-index runs wins."""
    await library.add_file(articles_dir / "harbour.txt")
    orchard = articles_dir / "orchard-2022-04-20.txt"
    changed = (await library.add_file(orchard)).article_id
    before = {a.id: a.source for a in await library.articles()}

    async def progress(done: int, total: int) -> None:
        if done == 1:  # the first article is re-read, the orchard one still to come
            await change(library, changed, orchard)

    await library.reindex(progress)
    after = {a.id: a.source for a in await library.articles()}
    cherry = await library.ask("cherry blossom frost")
    if change is _remove_in_this_process:
        assert after == {i: s for i, s in before.items() if i != changed}
        assert not cherry.results
    else:
        assert after == before
        [(_, stored)] = await library.store.stored_articles([changed])
        assert "cherry blossom" in stored.text and "apricot" not in stored.text
        assert cherry.results and "cherry" in cherry.results[0].passage.text


async def test_the_saved_index_is_loaded_at_the_next_start_not_rebuilt(
    db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Beside a SQLite file, or in the cache folder for a PostgreSQL store."""
    async with await Library.open(db) as lib:
        await lib.seed_sample()
    assert lib.index_path.is_file() and lib.article_index_path.is_file()

    def build(*args: object, **kwargs: object) -> None:
        raise AssertionError("the index was rebuilt")

    monkeypatch.setattr(library_module.SearchIndex, "build", build)
    async with await Library.open(db) as again:
        assert (await again.ask("who said Russians intervened directly?")).speaker
