"""The console adapter through a pipe, as `make run` starts it."""

import sqlite3
from pathlib import Path

from tests.conftest import CLI


def test_console_answers_the_sample_on_first_start(cli: CLI, tmp_path: Path) -> None:
    done = cli(
        "console",
        "--db",
        str(tmp_path / "c.db"),
        stdin="who said Russians intervened directly?\n/help\n/quit\nnever asked\n",
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
    done = cli("console", "--admin", "--db", str(tmp_path / "c.db"), stdin=script)
    assert "Added article 2" in done.stdout
    assert "Peter Vance" in done.stdout


def test_console_non_admin_cannot_remove(cli: CLI, tmp_path: Path) -> None:
    done = cli("console", "--db", str(tmp_path / "c.db"), stdin="/remove 1\n/articles\n")
    assert "for admins only" in done.stdout
    assert "Russian soldiers fighting in Idlib campaign" in done.stdout


def test_run_without_token_starts_the_console(cli: CLI, tmp_path: Path) -> None:
    done = cli("run", "--db", str(tmp_path / "c.db"), stdin="Russians intervening directly\n")
    assert done.returncode == 0
    assert "Naji Mustafa" in done.stdout


def test_a_store_read_by_an_older_version_is_read_again_at_start(cli: CLI, tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    assert cli("console", "--db", str(db), stdin="").returncode == 0
    with sqlite3.connect(db) as conn:  # as an older saidwho, reading the quotes worse, left it
        conn.execute("UPDATE attributions SET speaker = 'Nobody', role = NULL")
        conn.execute("UPDATE meta SET value = '0' WHERE key = 'reading_version'")
    done = cli("console", "--admin", "--db", str(db), stdin="who is Naji Mustafa?\n/stats\n")
    assert done.returncode == 0, done.stderr
    assert "Re-reading 1 article stored by an older saidwho" in done.stderr
    assert "Naji Mustafa, spokesman for the Turkey-backed" in done.stdout
    assert "Nobody" not in done.stdout and "older version" not in done.stdout


def test_console_tells_a_non_admin_how_to_become_one(cli: CLI, tmp_path: Path) -> None:
    done = cli("console", "--db", str(tmp_path / "c.db"), stdin="/reindex\n")
    assert "for admins only" in done.stdout
    assert "saidwho console --admin" in done.stdout


def test_console_as_a_group_answers_only_ask(cli: CLI, tmp_path: Path) -> None:
    script = "who said Russians intervened directly?\n/ask who said Russia failed?\n"
    done = cli("console", "--group", "--db", str(tmp_path / "c.db"), stdin=script)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("Naji Mustafa") >= 1
    assert "Russia did not only fail" in done.stdout
    assert "The Russians are intervening directly now" not in done.stdout  # not addressed
