"""Articles: text in, title, date, source and content hash out."""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import re
import unicodedata

import charset_normalizer

from index.errors import ArticleError
from index.models import Article
from index.textclean import clean

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
    text = clean(text)  # also the line ends; a BOM is an invisible character it drops
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
    """What a binary file is, or None when it looks like text (UTF-16 and UTF-32 text, whose
    characters hold zero bytes, included)."""
    if kind := _magic_kind(data):
        return kind
    if b"\x00" in data[:4096] and _wide(data) is None:
        return "binary data"
    return None


def _magic_kind(data: bytes) -> str | None:
    for magic, kind in MAGIC.items():
        if data.startswith(magic):
            return kind
    return None


# Byte order marks of the wide encodings, UTF-32 first (its little-endian BOM starts with
# UTF-16's).
_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Text decoded in a wide encoding that holds more than this share of control, unassigned,
# private-use or surrogate characters is not text in it (binary data decodes to those).
WIDE_JUNK_SHARE = 0.01
# Without a byte order mark, at least this share of the characters read must be ASCII (spaces,
# digits, punctuation, Latin letters): any even run of bytes reads as CJK ideographs in UTF-16,
# so text in a CJK script is only read as UTF-16 with its mark.
WIDE_ASCII_SHARE = 0.3


def _wide(data: bytes) -> str | None:
    """The text, if `data` is UTF-16 or UTF-32: by its byte order mark, or without one (as
    Windows writes "Unicode" text) when exactly one byte order reads as text."""
    for bom, encoding in _WIDE_BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                return None
    readings = []
    for encoding in ("utf-32-le", "utf-32-be", "utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        sample = text[:WIDE_SAMPLE]
        ascii_share = sum(char.isascii() for char in sample) / max(len(sample), 1)
        if ascii_share >= WIDE_ASCII_SHARE and _textlike(text):
            readings.append(text)
    return readings[0] if len(readings) == 1 else None


def _textlike(text: str) -> bool:
    """Whether `text` (its first WIDE_SAMPLE characters) is mostly characters text has."""
    sample = text[:WIDE_SAMPLE]
    junk = sum(
        1
        for char in sample
        if char not in "\n\r\t" and unicodedata.category(char) in ("Cc", "Cn", "Co", "Cs")
    )
    return bool(sample.strip()) and junk <= WIDE_JUNK_SHARE * len(sample)


WIDE_SAMPLE = 100_000


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
    whole = _count(_WHOLE_NON_ASCII, text)
    if whole and bad <= STRAY_BAD_SHARE * (whole + bad):
        return text
    return None


def _western(data: bytes) -> str | None:
    """The text, if `data` reads as Western European text in Windows-1252 (a superset of
    Latin-1's printable characters; the five bytes it leaves undefined read as Latin-1), or in
    Mac Roman where that reads more like words: the same bytes are letters in one and
    symbols or capitals in the other ("café" in Mac Roman reads "cafŽ" in Windows-1252, and
    Windows-1252's "café" reads "cafÈ" in Mac Roman)."""
    windows = "".join(
        chunk.decode("cp1252", errors="strict") if i % 2 == 0 else chunk.decode("latin-1")
        for i, chunk in enumerate(_CP1252_UNDEFINED.split(data))
    )
    if not _mostly_ascii_letters(windows):
        return None
    # Which reads more like words, judged on a sample: counting over 5 MB takes seconds.
    mac = data.decode("mac_roman")
    if _out_of_place(mac[:WESTERN_SAMPLE]) < _out_of_place(windows[:WESTERN_SAMPLE]):
        return mac if _mostly_ascii_letters(mac) else None
    return windows


WESTERN_SAMPLE = 200_000  # characters


def _mostly_ascii_letters(text: str) -> bool:
    letters = _count(_LETTER, text)
    foreign = letters - _count(_ASCII_LETTER, text)
    return bool(letters) and foreign <= WESTERN_SHARE * letters


# Counted by regular expression: a loop in Python over a 5 MB page takes seconds.
_WHOLE_NON_ASCII = re.compile("[^\x00-\x7f\ufffd]")
_LETTER = re.compile(r"[^\W\d_]")
_ASCII_LETTER = re.compile("[A-Za-z]")


def _count(pattern: re.Pattern[str], text: str) -> int:
    """How many characters of `text` match `pattern` (one character each)."""
    return len(text) - len(pattern.sub("", text))


# What words hold between their letters besides letters: apostrophes, hyphens, a middle dot.
_INSIDE_WORDS = frozenset("’‘ʼ‐‑·")


def _out_of_place(text: str) -> int:
    """How many non-ASCII characters sit where no word has them: a capital right after a
    small letter ("cafŽ"), or a symbol or control character between two letters
    ("Stra§e")."""
    count = 0
    for before, char, after in zip(text, text[1:], text[2:], strict=False):
        if ord(char) < 0x80:
            continue
        capital_inside = char.isupper() and before.islower()
        symbol_inside = (
            not char.isalpha()
            and char not in _INSIDE_WORDS
            and before.isalpha()
            and after.isalpha()
        )
        count += capital_inside or symbol_inside
    return count


# Escape sequences that switch ISO-2022 text into another character set ("ESC $ B": JIS X
# 0208): such text is all 7-bit, so it reads as ASCII, escapes and all, unless looked for.
_ISO_2022 = re.compile(rb"\x1b(?:\$[@AB(D)]|\$\([@ABCD]|\([BIJ]|\.[AF]|N)")


def _iso_2022(data: bytes) -> str | None:
    """The text, if `data` is ISO-2022-JP (or its Korean and Chinese-carrying variants)."""
    if not _ISO_2022.search(data):
        return None
    for encoding in ("iso2022_jp_2", "iso2022_jp_ext", "iso2022_kr"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x1b" not in text:
            return text
    return None


_CP1252_UNDEFINED = re.compile(b"([\x81\x8d\x8f\x90\x9d])")


def decode(data: bytes, source: str) -> str:
    """Text from bytes, cleaned (`textclean.clean`): UTF-16 or UTF-32 (with a byte order mark
    or without), ISO-2022-JP, UTF-8 (with or without a BOM), UTF-8 with a few broken bytes
    (each read as U+FFFD), Western text in Latin-1, Windows-1252 or Mac Roman, or failing
    those the encoding charset-normalizer detects; binary files and undetectable encodings are
    refused. Seconds on a big page that needs detecting: call it off the event loop."""
    if not data.strip(b" \t\r\n\x00\x0b\x0c"):
        raise ArticleError(f"{source}: the file is empty")
    if kind := _magic_kind(data):
        raise ArticleError(f"{source}: unsupported type ({kind}, not text)")
    wide = _wide(data) if b"\x00" in data[:4096] else None
    if wide is None and b"\x00" in data[:4096]:
        raise ArticleError(f"{source}: unsupported type (binary data, not text)")
    text = wide if wide is not None else _decoded(data)
    if text is None:
        raise ArticleError(f"{source}: cannot tell the text encoding; save it as UTF-8")
    return clean(text)


def _decoded(data: bytes) -> str | None:
    if (text := _iso_2022(data)) is not None:
        return text
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    if (text := _utf8_with_stray_bytes(data)) is not None:
        return text
    if (text := _western(data)) is not None:
        return text
    # Detected on the first DETECT_SAMPLE bytes, and the whole read in that encoding if it
    # can be: detection over a whole 5 MB page is slower, and no more often right.
    sample = charset_normalizer.from_bytes(data[:DETECT_SAMPLE]).best()
    if sample is not None:
        try:
            return data.decode(sample.encoding)
        except (UnicodeDecodeError, LookupError):
            pass
    best = charset_normalizer.from_bytes(data).best()
    return None if best is None else str(best)


DETECT_SAMPLE = 256 * 1024
