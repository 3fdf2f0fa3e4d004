import datetime as dt
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from index.articles import content_hash, decode, find_date, parse_article
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


# -- dates in file names, and text in other encodings ----------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("breitbart_2016-09-12_trump-says.txt", dt.date(2016, 9, 12)),
        ("outlet_2016-09-12.txt", dt.date(2016, 9, 12)),
        ("2019-07-18_idlib.txt", dt.date(2019, 7, 18)),
        ("report-2016-09-12-final.txt", dt.date(2016, 9, 12)),
        ("id_12016-09-123.txt", None),  # digits run on: not a date
    ],
)
def test_date_from_a_file_name_with_underscores(name: str, expected: dt.date | None) -> None:
    article = parse_article("Title\n\nBody text, no date in it.", source="x", name=name)
    assert article.date == expected


ENGLISH = st.lists(
    st.sampled_from(
        ["the", "council", "said", "on", "Monday", "that", "roads", "would", "close", "it"]
    ),
    min_size=5,
    max_size=30,
)
LATIN1_WORDS = ["Castañeda", "café", "naïve", "Zürich", "façade", "Peña", "Müller", "déjà", "Ærø"]
CP1252_WORDS = [*LATIN1_WORDS, "“quoted”", "it’s", "2–3", "€20", "Œuvre", "…"]


def _news(english: list[str], foreign: list[str]) -> str:
    """A headline and a paragraph: English words with the foreign ones among them."""
    words = english + foreign
    return "Council news\n\nThe mayor said " + " ".join(words) + "."


@settings(max_examples=200, deadline=None)
@given(
    english=ENGLISH,
    foreign=st.lists(st.sampled_from(CP1252_WORDS), min_size=1, max_size=6),
    encoding=st.sampled_from(["latin-1", "cp1252"]),
)
def test_western_code_pages_are_read_right(
    english: list[str], foreign: list[str], encoding: str
) -> None:
    if encoding == "latin-1":
        foreign = [w for w in foreign if w in LATIN1_WORDS] or ["Castañeda"]
    text = _news(english, foreign)
    assert decode(text.encode(encoding), "x.txt") == text


@settings(max_examples=200, deadline=None)
@given(
    english=ENGLISH,
    foreign=st.lists(st.sampled_from(LATIN1_WORDS), min_size=2, max_size=6),
    strays=st.lists(
        st.tuples(st.integers(min_value=0), st.sampled_from([b"\xff", b"\x92", b"\xe9"])),
        min_size=1,
        max_size=2,
    ),
)
def test_stray_bad_bytes_in_utf8_become_replacement_characters(
    english: list[str], foreign: list[str], strays: list[tuple[int, bytes]]
) -> None:
    """A UTF-8 file with a byte or two from another code page pasted in: those bytes are
    marked, and the rest reads as written (not the whole file in another code page)."""
    text = _news(english, foreign)
    data = text.encode("utf-8")
    spaces = [i for i, byte in enumerate(data) if byte == 0x20]
    places = {spaces[where % len(spaces)]: stray for where, stray in strays}
    assume(len(places) == len(strays))  # two strays side by side may read as one sequence
    for at, stray in sorted(places.items(), reverse=True):  # back to front: places hold
        data = data[:at] + stray + data[at:]
    decoded = decode(data, "x.txt")
    assert decoded.count("\ufffd") == len(strays)
    assert decoded.replace("\ufffd", "") == text


def test_greek_in_a_code_page_is_still_detected() -> None:
    text = "Ειδήσεις\n\nΟ δήμαρχος είπε τη Δευτέρα ότι οι δρόμοι θα κλείσουν για δύο εβδομάδες."
    assert decode(text.encode("cp1253"), "x.txt") == text


# -- wide and seven-bit encodings, and Mac Roman (#32 row 14) ------------------------------

FRENCH = (
    "Le café de la gare rouvre\n\nÀ Genève, l’élève a dit « c’est très bien » à propos du "
    "théâtre, a déclaré Hélène Dubois. Noël approche ; déjà les rues sont décorées.\n"
)
JAPANESE = "東京の会議\n\n首相は「経済は回復している」と述べた。記者会見で説明した。\n"


@pytest.mark.parametrize(
    "text, encoding",
    [
        (FRENCH, "utf-16"),  # with its byte order mark, as Windows saves "Unicode"
        (FRENCH, "utf-16-le"),  # without one
        (FRENCH, "utf-16-be"),
        (JAPANESE, "utf-16"),
        (FRENCH, "utf-32"),
        (JAPANESE, "iso2022_jp"),  # seven bits: it had read as ASCII, escapes and all
        (FRENCH, "mac_roman"),  # had read as Windows-1252: "Le cafŽ de la gare"
    ],
    ids=[
        "utf-16",
        "utf-16-le",
        "utf-16-be",
        "utf-16 japanese",
        "utf-32",
        "iso-2022-jp",
        "mac roman",
    ],
)
def test_a_file_in_another_encoding_reads_as_written(
    tmp_path: Path, text: str, encoding: str
) -> None:
    path = tmp_path / "article.txt"
    path.write_bytes(text.encode(encoding))
    assert load_file(path).text == text
