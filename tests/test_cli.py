"""The command-line contract, end to end through a subprocess."""

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import CLI, HARBOUR, ORCHARD, SAMPLE


def test_ingest_then_ask_json(cli: CLI, tmp_path: Path, articles_dir: Path) -> None:
    db = str(tmp_path / "c.db")
    done = cli("ingest", "--db", db, str(SAMPLE), str(articles_dir))
    assert done.returncode == 0, done.stderr
    assert "3 added, 0 unchanged, 0 failed" in done.stderr
    questions = "who said Russians intervened directly?\nwho said that?\napricot blossom frost\n"
    asked = cli("ask", "--db", db, "--json", stdin=questions)
    assert asked.returncode == 0, asked.stderr
    answers = [json.loads(line) for line in asked.stdout.splitlines()]
    assert [a["question"] for a in answers] == questions.splitlines()
    first = answers[0]
    assert first["speaker"] == "Naji Mustafa"
    top = first["results"][0]
    assert "The Russians are intervening directly now" in top["passage"]["text"]
    assert top["passage"]["ordinal"] == 3
    assert top["article"] == {
        "id": 1,
        "title": "Russian soldiers fighting in Idlib campaign: Syria opposition",
        "date": "2019-07-18",
        "source": str(SAMPLE.resolve()),
        "author": None,
        "site": None,
    }
    attribution = top["attributions"] if "attributions" in top else top["passage"]["attributions"]
    assert {"speaker", "mention", "role", "addressee", "cue", "quote"} <= set(attribution[0])
    assert answers[1]["results"] == []
    assert answers[2]["results"][0]["article"]["date"] == "2022-04-20"


def test_reingest_is_unchanged(cli: CLI, tmp_path: Path) -> None:
    db = str(tmp_path / "c.db")
    cli("ingest", "--db", db, str(SAMPLE))
    again = cli("ingest", "--db", db, str(SAMPLE))
    assert again.returncode == 0
    assert "0 added, 1 unchanged, 0 failed" in again.stderr


def test_reindex_rereads_every_article_and_answers_stay(
    cli: CLI, tmp_path: Path, articles_dir: Path
) -> None:
    db = str(tmp_path / "c.db")
    cli("ingest", "--db", db, str(SAMPLE), str(articles_dir))
    done = cli("reindex", "--db", db)
    assert done.returncode == 0 and "3 articles re-indexed" in done.stderr
    asked = cli("ask", "--db", db, "--json", stdin="who said Russians intervened directly?\n")
    assert json.loads(asked.stdout)["speaker"] == "Naji Mustafa"


def test_bad_input_fails_by_name_and_good_input_still_lands(cli: CLI, tmp_path: Path) -> None:
    db = str(tmp_path / "c.db")
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    done = cli("ingest", "--db", db, str(empty), str(SAMPLE), str(tmp_path / "missing.txt"))
    assert done.returncode != 0
    assert "empty.txt" in done.stderr and "missing.txt" in done.stderr
    assert "1 added, 0 unchanged, 2 failed" in done.stderr
    asked = cli("ask", "--db", db, "--json", stdin="Russians intervening directly\n")
    assert json.loads(asked.stdout)["results"]


def test_extract_json_prints_one_object_per_article(cli: CLI, articles_dir: Path) -> None:
    done = cli("extract", "--json", str(SAMPLE), str(articles_dir / "harbour.txt"))
    assert done.returncode == 0, done.stderr
    docs = [json.loads(line) for line in done.stdout.splitlines()]
    assert [d["article"]["title"] for d in docs] == [
        "Russian soldiers fighting in Idlib campaign: Syria opposition",
        "Harbour dredging plan splits port town council",
    ]
    assert docs[0]["article"]["date"] == "2019-07-18"
    passage = docs[0]["passages"][3]
    assert passage["ordinal"] == 3
    [attribution] = passage["attributions"]
    assert attribution["speaker"] == "Naji Mustafa"
    assert attribution["mention"] == "Captain Naji Mustafa"
    assert attribution["addressee"] == "Reuters" and attribution["cue"] == "told"
    speakers = {a["speaker"] for p in docs[1]["passages"] for a in p["attributions"]}
    assert "Mariana Okafor" in speakers


def test_extract_does_not_create_a_database(cli: CLI) -> None:
    cli("extract", "--json", str(SAMPLE))
    assert not (cli.cwd / "xdg-data").exists()


def test_readable_ask(cli: CLI, tmp_path: Path) -> None:
    db = str(tmp_path / "c.db")
    cli("ingest", "--db", db, str(SAMPLE))
    done = cli("ask", "--db", db, "who said Russians intervened directly?")
    assert done.returncode == 0
    assert (
        "— Captain Naji Mustafa, spokesman for the Turkey-backed National Liberation Front "
        "(NLA), told Reuters" in done.stdout
    )
    assert "18 July 2019 · paragraph 4 · article 1 · russian-soldiers-idlib-2019-07-18.txt" in (
        done.stdout
    )


@pytest.mark.parametrize("command", ["ingest", "reindex", "ask", "extract", "console", "run"])
def test_every_command_has_help(cli: CLI, command: str) -> None:
    done = cli(command, "--help")
    assert done.returncode == 0
    assert "usage: saidwho" in done.stdout and len(done.stdout.splitlines()) > 3


def test_a_folder_without_articles_is_reported(cli: CLI, tmp_path: Path) -> None:
    empty = tmp_path / "nothing-here"
    empty.mkdir()
    done = cli("ingest", "--db", str(tmp_path / "c.db"), str(empty))
    assert done.returncode == 1
    assert "nothing-here: a folder with no .txt or .html articles in it" in done.stderr


def test_an_unusable_database_is_a_clear_error(cli: CLI, tmp_path: Path) -> None:
    not_a_db = tmp_path / "notes.db"
    not_a_db.write_text("this is not a database, just text " * 100)
    done = cli("ask", "--db", str(not_a_db), "anything")
    assert done.returncode == 2
    assert done.stderr.startswith("error:") and "Traceback" not in done.stderr


# -- bad settings and flags: one line naming them, no traceback --------------------------


@pytest.mark.parametrize(
    ("setting", "value", "says"),
    [
        ("SAIDWHO_ADMIN_IDS", "alice", "'alice' is not a Telegram user id"),
        ("SAIDWHO_RESULTS", "0", "greater than or equal to 1"),
        ("SAIDWHO_LOG_LEVEL", "LOUD", "'LOUD' is not a log level"),
        ("SAIDWHO_MAX_FILE_BYTES", "lots", "valid integer"),
    ],
)
def test_a_bad_setting_is_one_line_naming_it(
    cli: CLI, tmp_path: Path, setting: str, value: str, says: str
) -> None:
    cli.env[setting] = value
    done = cli("ask", "--db", str(tmp_path / "c.db"), "anything")
    assert done.returncode == 2
    assert done.stderr.startswith(f"error: {setting}={value}: ") and says in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr


def test_a_bad_token_setting_is_named_without_its_value(cli: CLI, tmp_path: Path) -> None:
    cli.env["TELEGRAM_TOKEN"] = "secret-123"
    cli.env["SAIDWHO_RESULTS"] = "0"
    done = cli("run", "--db", str(tmp_path / "c.db"))
    assert done.returncode == 2 and "secret-123" not in done.stderr


@pytest.mark.parametrize(("k", "says"), [("0", "0 passages: give 1 to 50"), ("x", "'x' is not")])
def test_a_bad_flag_is_one_line_naming_it(cli: CLI, tmp_path: Path, k: str, says: str) -> None:
    db = str(tmp_path / "c.db")
    cli("ingest", "--db", db, str(SAMPLE))
    done = cli("ask", "--db", db, "-k", k, "who said Russians intervened directly?")
    assert done.returncode == 2
    assert f"error: argument -k: {says}" in done.stderr and "Traceback" not in done.stderr


# -- what a pipe, a terminal or a file system may hand the CLI (#32 row 11) ----------------


def _run(
    cli: CLI, script: str, *args: str, stdin: bytes = b""
) -> subprocess.CompletedProcess[bytes]:
    """`script` run by bash with the CLI as "$SAIDWHO", bytes in and out."""
    return subprocess.run(
        ["bash", "-c", script, "bash", *args],
        input=stdin,
        capture_output=True,
        timeout=120,
        env={**cli.env, "SAIDWHO": " ".join(cli.command)},
        cwd=cli.cwd,
    )


@pytest.fixture
def sample_db(cli: CLI, tmp_path: Path) -> str:
    db = str(tmp_path / "c.db")
    assert cli("ingest", "--db", db, str(SAMPLE)).returncode == 0
    return db


@pytest.mark.parametrize(
    "case",
    [
        "a question that is not UTF-8",
        "a file name that is not UTF-8",
        "stdin closed for ask",
        "stdin closed for ingest -",
        "ask | head",
    ],
)
def test_each_cli_failure_is_one_line_and_the_rest_goes_through(
    cli: CLI, tmp_path: Path, sample_db: str, case: str
) -> None:
    if case == "a question that is not UTF-8":
        lines = b"who said Russians intervened directly?\nwho said \xff\xfe Russians?\nfrost\n"
        done = _run(cli, '$SAIDWHO ask --db "$1" --json', sample_db, stdin=lines)
        answers = [json.loads(line) for line in done.stdout.decode().splitlines()]
        assert [a["question"] for a in answers] == [
            "who said Russians intervened directly?",
            "who said \ufffd\ufffd Russians?",
            "frost",
        ]
        assert answers[0]["speaker"] == "Naji Mustafa" and answers[1]["results"] == []
        assert answers[1]["error"] == "line 2 is not UTF-8 (byte 0xff at 9)"
        assert done.stderr.decode() == "error: stdin: line 2 is not UTF-8 (byte 0xff at 9)\n"
        assert done.returncode == 1
    elif case == "a file name that is not UTF-8":
        folder = tmp_path / "in"
        folder.mkdir()
        (Path(os.fsdecode(bytes(folder) + b"/caf\xe9.txt"))).write_text(HARBOUR, encoding="utf-8")
        (folder / "orchard.txt").write_text(ORCHARD, encoding="utf-8")
        done = _run(cli, '$SAIDWHO ingest --db "$1" "$2"', sample_db, str(folder))
        assert done.returncode == 0, done.stderr
        assert done.stderr.decode().splitlines() == ["2 added, 0 unchanged, 0 failed"]
        listed = _run(cli, '$SAIDWHO extract --json "$1"', str(folder))
        sources = [json.loads(line)["article"]["source"] for line in listed.stdout.splitlines()]
        assert sources == [str(folder.resolve() / "caf\\xe9.txt"), str(folder / "orchard.txt")]
    elif case == "stdin closed for ask":
        done = _run(cli, '$SAIDWHO ask --db "$1" --json <&-', sample_db)
        assert done.stderr.decode().startswith("error: stdin is closed")
        assert len(done.stderr.splitlines()) == 1 and done.returncode == 2
    elif case == "stdin closed for ingest -":
        folder = tmp_path / "in"
        folder.mkdir()
        (folder / "orchard.txt").write_text(ORCHARD, encoding="utf-8")
        done = _run(cli, '$SAIDWHO ingest --db "$1" - "$2" <&-', sample_db, str(folder))
        assert done.stderr.decode().splitlines() == [
            "error: stdin: closed, nothing to read",
            "1 added, 0 unchanged, 1 failed",
        ]
    else:
        questions = b"who said Russians intervened directly?\n" * 200
        done = _run(
            cli,
            '$SAIDWHO ask --db "$1" --json | head -n 1; echo "${PIPESTATUS[0]}" >&2',
            sample_db,
            stdin=questions,
        )
        assert json.loads(done.stdout)["speaker"] == "Naji Mustafa"
        assert done.stderr.decode() == "0\n"  # no "Broken pipe", no traceback
