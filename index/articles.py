"""Articles: text in, title, date, source and content hash out."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import charset_normalizer

from index.errors import ArticleError
from index.models import Article

MAX_BYTES = 5 * 1024 * 1024

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_DAY_MONTH_YEAR = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH})\.?,?\s+(\d{{4}})\b", re.I
)
_MONTH_DAY_YEAR = re.compile(
    rf"\b({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I
)
# Digits, not word boundaries, delimit it: `\b` finds none between "_" and a digit, and file
# names are written outlet_2016-09-12_slug.txt.
_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
HEADER_LINES = 8  # a dateline sits near the top; dates further down are about events


def content_hash(text: str) -> str:
    """Identical articles hash alike whatever their line endings and spacing."""
    normalized = " ".join(text.split())
    return hashlib.sha256(normalized.encode("utf-8")).hexdigest()


def _valid_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def find_date(text: str) -> dt.date | None:
    """The first date written in a form news uses: "18 July, 2019", "July 18, 2019", ISO."""
    for match in _DAY_MONTH_YEAR.finditer(text):
        day, month, year = match.groups()
        if found := _valid_date(int(year), MONTHS[month.lower()], int(day)):
            return found
    for match in _MONTH_DAY_YEAR.finditer(text):
        month, day, year = match.groups()
        if found := _valid_date(int(year), MONTHS[month.lower()], int(day)):
            return found
    for match in _ISO.finditer(text):
        if found := _valid_date(*(int(g) for g in match.groups())):
            return found
    return None


def _header(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    return "\n".join(lines[1:HEADER_LINES])


TITLE_GOES_ON = (";", ":", ",")  # a headline line ending so runs on into the next line


def title_of(text: str) -> str:
    """The first line; one ending in ";" ("Derelict Obama and Clinton;") goes on with the
    next, as headline and deck are printed apart."""
    lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    if not lines:
        raise ArticleError("no text")
    title = lines[0]
    if title.endswith(TITLE_GOES_ON) and len(lines) > 1:
        title = f"{title} {lines[1]}"
    return title


def parse_article(text: str, source: str, name: str | None = None) -> Article:
    """An article from its text; `name` (a file name or URL) is a second place to find a date."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    if not text.strip():
        raise ArticleError(f"{source}: the article is empty")
    date = find_date(_header(text)) or (find_date(name) if name else None)
    return Article(
        title=title_of(text),
        date=date,
        source=source,
        text=text,
        content_hash=content_hash(text),
    )


MAGIC = {
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a ZIP archive or Office document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\x1f\x8b": "a gzip archive",
    b"RIFF": "a media file",
    b"\x7fELF": "a program",
}


def binary_kind(data: bytes) -> str | None:
    """What a binary file is, or None when it looks like text."""
    for magic, kind in MAGIC.items():
        if data.startswith(magic):
            return kind
    if b"\x00" in data[:4096]:
        return "binary data"
    return None


# UTF-8 with at most this share of its non-ASCII sequences broken (and at least one whole) is
# UTF-8 with a few bad bytes: they become U+FFFD, and the rest is read as written. Text in a
# single-byte code page almost never holds a whole UTF-8 sequence (a lead byte such as "Ã"
# followed by a symbol), so even half broken is a UTF-8 file with strays, not a code page.
STRAY_BAD_SHARE = 0.5
# Western text in a single-byte code page: at most this share of its letters are not ASCII.
# Greek, Cyrillic or Hebrew read as cp1252 are mostly such letters, and go to detection.
WESTERN_SHARE = 0.3


def _utf8_with_stray_bytes(data: bytes) -> str | None:
    """The text, if `data` is UTF-8 but for a few broken sequences."""
    text = data.decode("utf-8-sig", errors="replace")
    bad = text.count("\ufffd") - data.decode("utf-8-sig", errors="ignore").count("\ufffd")
    whole = sum(1 for char in text if ord(char) > 0x7F and char != "\ufffd")
    if whole and bad <= STRAY_BAD_SHARE * (whole + bad):
        return text
    return None


def _western(data: bytes) -> str | None:
    """The text, if `data` reads as Western European text in Windows-1252 (a superset of
    Latin-1's printable characters; the five bytes it leaves undefined read as Latin-1)."""
    text = "".join(
        chunk.decode("cp1252", errors="strict") if i % 2 == 0 else chunk.decode("latin-1")
        for i, chunk in enumerate(_CP1252_UNDEFINED.split(data))
    )
    letters = [char for char in text if char.isalpha()]
    foreign = sum(1 for char in letters if ord(char) > 0x7F)
    if letters and foreign <= WESTERN_SHARE * len(letters):
        return text
    return None


_CP1252_UNDEFINED = re.compile(b"([\x81\x8d\x8f\x90\x9d])")


def decode(data: bytes, source: str) -> str:
    """Text from bytes: UTF-8 (with or without a BOM), UTF-8 with a few broken bytes (each
    read as U+FFFD), Western text in Latin-1 or Windows-1252, or failing those the encoding
    charset-normalizer detects; binary files and undetectable encodings are refused."""
    if not data.strip():
        raise ArticleError(f"{source}: the file is empty")
    if kind := binary_kind(data):
        raise ArticleError(f"{source}: unsupported type ({kind}, not text)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    if (text := _utf8_with_stray_bytes(data)) is not None:
        return text
    if (text := _western(data)) is not None:
        return text
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise ArticleError(f"{source}: cannot tell the text encoding; save it as UTF-8")
    return str(best)
