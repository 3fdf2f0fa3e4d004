"""Ingestion from the world: HTML files, URLs on a real local server, folders, stdin; bad input
gets an error naming it, and nothing else changes."""

import datetime as dt
import os
from pathlib import Path

import pytest

from index.errors import ArticleError
from index.fetch import FetchLimits, fetch
from index.inputs import load, load_file
from index.library import Library
from index.models import IngestStatus
from tests.conftest import CLI, SAMPLE
from tests.webserver import ARTICLE_HTML, BROKEN_HTML


async def test_url_article_lands_with_metadata_and_is_answered(library: Library, web: str) -> None:
    result = await library.add_input(f"{web}/article.html", allow_private=True)
    assert result.status is IngestStatus.ADDED
    assert result.title == "Bridge closure angers commuters"
    answer = await library.ask("who complained that nobody asked the people who cross it?")
    assert answer.speaker == "Agnes Whitlow"
    top = answer.results[0]
    assert top.article.source == f"{web}/article.html"
    assert top.article.date == dt.date(2023, 5, 9)
    assert (top.article.author, top.article.site) == ("Ines Moreau", "Valley Courier")
    assert "Home" not in " ".join(r.passage.text for r in answer.results)


async def test_redirect_is_followed_and_the_url_given_is_the_source(web: str) -> None:
    article = await load(f"{web}/redirect", allow_private=True)
    assert article.title == "Bridge closure angers commuters"
    assert article.source == f"{web}/redirect"


async def test_plain_text_url(web: str) -> None:
    article = await load(f"{web}/article.txt", allow_private=True)
    assert article.title == "Library opens on Sundays"


@pytest.mark.parametrize("path", ["/latin1.html", "/latin1-undeclared.html"])
async def test_other_encodings_are_decoded(web: str, path: str) -> None:
    article = await load(f"{web}{path}", allow_private=True)
    assert "Hélène Dubois" in article.text


async def test_broken_html_still_gives_its_text(web: str) -> None:
    article = await load(f"{web}/broken.html", allow_private=True)
    assert "Pavel Novak" in article.text


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/missing", "HTTP 404"),
        ("/error", "HTTP 500"),
        ("/report.pdf", "unsupported type (application/pdf)"),
        ("/loop", "too many redirects"),
        ("/nav.html", "no article text"),
        ("/empty.html", "empty"),
    ],
)
async def test_bad_urls_get_a_specific_error_naming_the_url(
    web: str, path: str, message: str
) -> None:
    with pytest.raises(ArticleError) as caught:
        await load(f"{web}{path}", allow_private=True)
    assert f"{web}{path}" in str(caught.value)
    assert message in str(caught.value)


async def test_slow_server_times_out(web: str) -> None:
    with pytest.raises(ArticleError, match="timed out"):
        await fetch(f"{web}/slow", FetchLimits(timeout=0.5, allow_private=True))


async def test_too_large_page_is_refused(web: str) -> None:
    with pytest.raises(ArticleError, match="too large"):
        await fetch(f"{web}/big.html", FetchLimits(max_bytes=100_000, allow_private=True))


async def test_refused_connection(unused_tcp_port: int) -> None:
    with pytest.raises(ArticleError, match="cannot connect"):
        await load(f"http://127.0.0.1:{unused_tcp_port}/x.html", allow_private=True)


async def test_failed_input_changes_nothing(library: Library, web: str) -> None:
    before = await library.stats()
    with pytest.raises(ArticleError):
        await library.add_input(f"{web}/nav.html", allow_private=True)
    after = await library.stats()
    assert (after.articles, after.passages) == (before.articles, before.passages)
    assert (await library.ask("who said Russians intervened directly?")).speaker == "Naji Mustafa"


async def test_html_file_and_upload(library: Library, tmp_path: Path) -> None:
    page = tmp_path / "bridge.html"
    page.write_text(ARTICLE_HTML, encoding="utf-8")
    first = await library.add_file(page)
    assert first.status is IngestStatus.ADDED
    again = await library.add_upload("bridge-copy.html", ARTICLE_HTML.encode())
    assert again.status is IngestStatus.UNCHANGED  # same content, other name: no duplicate
    broken = await library.add_upload("flood.htm", BROKEN_HTML.encode())
    assert broken.status is IngestStatus.ADDED


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\t\n", "empty"),
        ("scan.pdf", b"%PDF-1.7\n%\xe2\xe3", "unsupported type (a PDF document"),
        ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00", "unsupported type (a PNG image"),
        ("archive.zip", b"PK\x03\x04\x14\x00", "unsupported type (a ZIP archive"),
    ],
)
async def test_bad_uploads_are_refused_by_name(
    library: Library, name: str, data: bytes, message: str
) -> None:
    with pytest.raises(ArticleError) as caught:
        await library.add_upload(name, data)
    assert name in str(caught.value) and message in str(caught.value)
    assert len(await library.articles()) == 1


def test_batch_reports_counts_and_good_inputs_land(
    cli: CLI, tmp_path: Path, web: str, articles_dir: Path
) -> None:
    (articles_dir / "nested").mkdir()
    (articles_dir / "nested" / "bridge.html").write_text(ARTICLE_HTML, encoding="utf-8")
    (articles_dir / "notes.pdf").write_bytes(b"%PDF-1.4")  # not an article suffix: skipped
    (articles_dir / "empty.txt").write_text("")
    db = str(tmp_path / "b.db")
    cli.env["SAIDWHO_FETCH_ALLOW_PRIVATE"] = "true"  # the test pages are on 127.0.0.1
    done = cli("ingest", "--db", db, str(articles_dir), f"{web}/article.txt", f"{web}/missing")
    assert done.returncode == 1
    assert "4 added, 0 unchanged, 2 failed" in done.stderr
    assert "empty.txt: the file is empty" in done.stderr
    assert f"{web}/missing: HTTP 404" in done.stderr
    assert "\r" not in done.stderr  # no progress bar when not on a terminal
    again = cli("ingest", "--db", db, str(articles_dir / "harbour.txt"))
    assert again.returncode == 0 and "0 added, 1 unchanged, 0 failed" in again.stderr


def test_stdin_input(cli: CLI, tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    done = cli("ingest", "--db", db, "-", stdin=SAMPLE.read_text())
    assert done.returncode == 0, done.stderr
    assert "1 added" in done.stderr
    asked = cli("ask", "--db", db, "Russians intervening directly")
    assert "Naji Mustafa" in asked.stdout


def test_extract_reads_urls(cli: CLI, web: str) -> None:
    cli.env["SAIDWHO_FETCH_ALLOW_PRIVATE"] = "true"
    done = cli("extract", "--json", f"{web}/article.html")
    assert done.returncode == 0, done.stderr
    assert "Agnes Whitlow" in done.stdout


# -- only files, and never past the limit ---------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs and /dev/zero")
def test_devices_and_pipes_are_refused_by_name_without_reading_them(
    cli: CLI, tmp_path: Path, articles_dir: Path
) -> None:
    """/dev/zero never ends and a FIFO with no writer blocks whoever opens it: both are
    refused by what they are, at once, and the good input beside them still lands."""
    fifo = tmp_path / "news.txt"
    os.mkfifo(fifo)
    db = str(tmp_path / "d.db")
    harbour = str(articles_dir / "harbour.txt")
    done = cli("ingest", "--db", db, "/dev/zero", str(fifo), harbour, timeout=30)
    assert done.returncode == 1
    assert "/dev/zero: a character device, not a file" in done.stderr
    assert f"{fifo}: a pipe (FIFO), not a file" in done.stderr
    assert "1 added, 0 unchanged, 2 failed" in done.stderr


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
def test_a_file_is_never_read_past_the_limit_whatever_size_it_reports() -> None:
    status = Path("/proc/self/status")  # a regular file that says it holds 0 bytes
    assert status.stat().st_size == 0
    with pytest.raises(ArticleError, match=r"/proc/self/status: too large"):
        load_file(status, max_bytes=64)


def test_stdin_is_capped_too(cli: CLI, tmp_path: Path) -> None:
    cli.env["SAIDWHO_MAX_FILE_BYTES"] = "2048"
    db = str(tmp_path / "s.db")
    done = cli("ingest", "--db", db, "-", stdin=SAMPLE.read_text())  # 2,908 bytes
    assert done.returncode == 1
    assert "stdin: too large (more than the limit of 2,048 bytes)" in done.stderr
    assert "0 added, 0 unchanged, 1 failed" in done.stderr


async def test_web_pages_are_parsed_off_the_event_loop(
    web: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """trafilatura takes seconds on a big page: it must not hold up every other chat."""
    import threading

    import index.inputs as inputs

    parse, threads = inputs.parse_html, []

    def recording(*args: object, **kwargs: object) -> object:
        threads.append(threading.current_thread())
        return parse(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(inputs, "parse_html", recording)
    article = await load(f"{web}/article.html", allow_private=True)
    assert article.title == "Bridge closure angers commuters"
    assert threads and threads[0] is not threading.main_thread()
