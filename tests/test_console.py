"""The console adapter through a pipe, as `make run` starts it."""

import sqlite3
from pathlib import Path

from tests.conftest import CLI


def test_console_answers_the_sample_on_first_start(cli: CLI) -> None:
    done = cli(
        "console", stdin="who said Russians intervened directly?\n/help\n/quit\nnever asked\n"
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "The Russians are intervening directly now" in out
    assert (
        "— Captain Naji Mustafa, spokesman for the Turkey-backed National Liberation Front "
        "(NLA), told Reuters" in out
    )
    assert "Russian soldiers fighting in Idlib campaign: Syria opposition" in out
    assert "18 July 2019" in out and "paragraph 4" in out
    assert "/articles" in out  # the help
    assert "never asked" not in out


def test_console_stops_at_end_of_input_and_uses_default_db(cli: CLI) -> None:
    done = cli("console", stdin="what did Mustafa say about defeat?\n")
    assert done.returncode == 0, done.stderr
    assert "Russia did not only fail but has been exposed to defeat" in done.stdout
    assert list((cli.cwd / "xdg-data").rglob("saidwho.db"))


def test_console_admin_can_add_a_file_and_ask_about_it(
    cli: CLI, tmp_path: Path, articles_dir: Path
) -> None:
    script = f"/add {articles_dir / 'harbour.txt'}\nwho said it is a lot of money for mud?\n"
    done = cli("console", "--admin", stdin=script)
    assert "Added article 2" in done.stdout
    assert "Peter Vance" in done.stdout


def test_console_non_admin_cannot_remove(cli: CLI) -> None:
    done = cli("console", stdin="/remove 1\n/articles\n")
    assert "for admins only" in done.stdout
    assert "Russian soldiers fighting in Idlib campaign" in done.stdout


def test_run_without_token_starts_the_console(cli: CLI) -> None:
    done = cli("run", stdin="Russians intervening directly\n")
    assert done.returncode == 0
    assert "Naji Mustafa" in done.stdout


def test_a_store_read_by_an_older_version_is_read_again_at_start(cli: CLI) -> None:
    assert cli("console", stdin="").returncode == 0
    [db] = (cli.cwd / "xdg-data").rglob("saidwho.db")
    with sqlite3.connect(db) as conn:  # as an older saidwho, reading the quotes worse, left it
        conn.execute("UPDATE attributions SET speaker = 'Nobody', role = NULL")
        conn.execute("UPDATE meta SET value = '0' WHERE key = 'reading_version'")
    done = cli("console", "--admin", "--db", str(db), stdin="who is Naji Mustafa?\n/stats\n")
    assert done.returncode == 0, done.stderr
    assert "Re-reading 1 article stored by an older saidwho" in done.stderr
    assert "Naji Mustafa, spokesman for the Turkey-backed" in done.stdout
    assert "Nobody" not in done.stdout and "older version" not in done.stdout


def test_the_sample_goes_only_into_the_default_database(cli: CLI, tmp_path: Path) -> None:
    """A database of one's own holds one's own articles: no sample added to it."""
    mine = tmp_path / "mycorpus.db"
    done = cli("console", "--db", str(mine), stdin="/articles\nRussians intervening directly\n")
    assert done.returncode == 0, done.stderr
    assert "Russian soldiers fighting in Idlib" not in done.stdout
    with sqlite3.connect(mine) as conn:
        assert conn.execute("SELECT COUNT(*) FROM articles").fetchone() == (0,)
    first = cli("console", stdin="/start\n")  # the default database: the sample, once
    assert "I know 1 article with 18 passages" in first.stdout


def test_command_output_is_the_summary_not_the_log(
    cli: CLI, tmp_path: Path, articles_dir: Path
) -> None:
    cli.env.pop("SAIDWHO_LOG_LEVEL")  # as a user runs it: no level set
    (articles_dir / "nav.html").write_text(
        "<html><body><nav><a href='/'>Home</a></nav></body></html>", encoding="utf-8"
    )
    done = cli("ingest", "--db", str(tmp_path / "c.db"), str(articles_dir))
    lines = done.stderr.strip().splitlines()
    assert lines[-1] == "2 added, 0 unchanged, 1 failed", done.stderr
    assert len(lines) == 2 and "nav.html" in lines[0]  # the one error, then the summary
    assert "INFO" not in done.stderr and "discarding data" not in done.stderr
    reindexed = cli("reindex", "--db", str(tmp_path / "c.db"))
    assert reindexed.stderr.strip() == "2 articles re-indexed"


def test_console_tells_a_non_admin_how_to_become_one(cli: CLI, tmp_path: Path) -> None:
    done = cli("console", "--db", str(tmp_path / "c.db"), stdin="/reindex\n")
    assert "for admins only" in done.stdout
    assert "saidwho console --admin" in done.stdout


def test_console_as_a_group_answers_only_ask(cli: CLI, tmp_path: Path) -> None:
    script = "who said Russians intervened directly?\n/ask who said Russia failed?\n"
    done = cli("console", "--group", stdin=script)  # the default database: the sample
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("Naji Mustafa") >= 1
    assert "Russia did not only fail" in done.stdout
    assert "The Russians are intervening directly now" not in done.stdout  # not addressed


def test_a_question_in_another_language_gets_a_line_about_english(cli: CLI) -> None:
    done = cli("console", stdin="Wer hat gesagt, dass die Tunnel sicher sind?\n")
    assert done.returncode == 0, done.stderr
    assert "I read questions in English" in done.stdout
