import datetime as dt
from pathlib import Path

import pytest

from index.articles import content_hash, find_date, parse_article
from index.errors import ArticleError
from index.inputs import load_file
from tests.conftest import SAMPLE


def test_sample_article_has_title_date_and_source() -> None:
    article = load_file(SAMPLE)
    assert article.title == "Russian soldiers fighting in Idlib campaign: Syria opposition"
    assert article.date == dt.date(2019, 7, 18)
    assert article.source == str(SAMPLE.resolve())


def test_date_from_text_wins_over_file_name(articles_dir: Path) -> None:
    path = articles_dir / "harbour-1999-01-01.txt"
    path.write_text((articles_dir / "harbour.txt").read_text())
    assert load_file(path).date == dt.date(2021, 3, 3)


def test_date_from_file_name_when_text_has_none(articles_dir: Path) -> None:
    assert load_file(articles_dir / "orchard-2022-04-20.txt").date == dt.date(2022, 4, 20)


def test_no_date_anywhere() -> None:
    assert parse_article("Title\n\nBody text here.", source="x").date is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("18 July, 2019", dt.date(2019, 7, 18)),
        ("July 18, 2019", dt.date(2019, 7, 18)),
        ("Sept. 5 2016", dt.date(2016, 9, 5)),
        ("1st March 2020", dt.date(2020, 3, 1)),
        ("posted 2016-10-04 at noon", dt.date(2016, 10, 4)),
        ("31 February 2019", None),
        ("no date here", None),
    ],
)
def test_find_date(text: str, expected: dt.date | None) -> None:
    assert find_date(text) == expected


def test_title_is_first_non_empty_line() -> None:
    assert parse_article("\n\n  A   spaced   title \nbody", source="x").title == "A spaced title"


def test_same_content_hashes_alike_whatever_the_line_endings() -> None:
    assert content_hash("a b\r\nc") == content_hash("a  b\nc")
    assert content_hash("a b c") != content_hash("a b d")


def test_empty_file_is_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_text("  \n\n ")
    with pytest.raises(ArticleError, match=r"empty\.txt.*empty"):
        load_file(path)


def test_binary_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "scan.txt"
    path.write_bytes(b"%PDF-1.4\x00\x01\x02binary\x00")
    with pytest.raises(ArticleError, match="unsupported type"):
        load_file(path)


def test_too_large_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("Title\n\n" + "word " * 1000)
    with pytest.raises(ArticleError, match="too large"):
        load_file(path, max_bytes=1000)


def test_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ArticleError, match="cannot read"):
        load_file(tmp_path / "nope.txt")


def test_latin1_text_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "cafe.txt"
    path.write_bytes("Café owners protest\n\nThe café said no.".encode("latin-1"))
    assert load_file(path).title == "Café owners protest"
