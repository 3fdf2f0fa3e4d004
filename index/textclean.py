"""Text hygiene, in one place: text in (articles, questions) normalised, names checked for
look-alike letters from another script, text out to a terminal made inert, paths made printable.

- `clean`: what comes in is NFKC-normalised (full-width letters, ligatures, compatibility forms
  read as the letters they show: "Ｏｂａｍａ" is "Obama") and stripped of zero-width and other
  invisible format characters ("Donald\u200b Trump" is "Donald Trump"), and of control
  characters other than newline and tab (an escape sequence in an article is not text).
- `mixed_script`: a name whose words mix letters of different scripts ("Barack Obаma", its "а"
  Cyrillic) is a look-alike, never the person it imitates. Unicode's confusables table would
  also map a whole-Cyrillic "Оbama" back to its skeleton; what we need is only whether a name
  mixes scripts within a word, which `unicodedata` names answer without a dependency (the
  confusable_homoglyphs and confusables packages on PyPI are small and long unreleased).
- `for_terminal`: control characters and escape sequences replaced by visible escapes, so an
  article cannot move the cursor, retitle the window or hide text when it is printed.
- `shown_path`: a file name that is not UTF-8 (bytes kept by Python as surrogates) written with
  backslash escapes, so it can be stored, printed and compared.
"""

from __future__ import annotations

import os
import re
import unicodedata

# Invisible characters that split or join words without showing: zero-width space, (non-)
# joiners, word joiner, invisible operators, the BOM used as a zero-width no-break space, soft
# hyphen, Mongolian vowel separator, and the bidirectional controls (which can reorder what a
# reader sees).
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]")
# What a terminal acts on: ESC sequences (CSI "\x1b[...m", OSC "\x1b]...\x07", two-character
# ones), a lone ESC, C1 controls, and the other C0 controls but newline and tab.
_TERMINAL = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor movement, erasing
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC: window titles, hyperlinks
    r"|\x1b[ -/]*[0-~]?"  # other escapes, or a lone ESC
    "|[\x00-\x08\x0b-\x1f\x7f-\x9f]"
    "|[\u202a-\u202e\u2066-\u2069]"  # bidirectional overrides: text shown in another order
)


def clean(text: str) -> str:
    """Text as it is stored and searched: NFKC, without invisible format characters, escape
    sequences or control characters but newline and tab (carriage returns become newlines).
    The ellipsis "…" is kept as it is (NFKC writes it "..."): sentence splitting reads it,
    and it imitates nothing."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # What is dropped goes first: NFKC then composes what it separated ("e\u200b\u0301").
    text = _TERMINAL.sub("", _INVISIBLE.sub("", text))
    return "…".join(unicodedata.normalize("NFKC", part) for part in text.split("…"))


def for_terminal(text: str) -> str:
    """`text` safe to print to a terminal: each control character or escape sequence shown
    as a visible escape ("\\x1b[31m"), never acted on."""
    return _TERMINAL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def _script(char: str) -> str | None:
    """The script of a letter, by the first word of its Unicode name ("LATIN", "CYRILLIC",
    "GREEK"); None for what is no letter."""
    if not char.isalpha():
        return None
    name = unicodedata.name(char, "")
    return name.split(" ", 1)[0] if name else None


def scripts(word: str) -> set[str]:
    """The scripts whose letters `word` holds."""
    return {script for char in word if (script := _script(char)) is not None}


def mixed_script(name: str) -> bool:
    """Whether a word of `name` mixes letters of two scripts: "Obаma" with a Cyrillic "а" is,
    "Sergei Лавров" and "Νίκος" are not (each word in one script)."""
    return any(len(scripts(word)) > 1 for word in name.split())


def look_alike(name: str) -> str | None:
    """A warning for a name that mixes scripts in a word, naming them; None for others."""
    if not mixed_script(name):
        return None
    mixed = sorted(set().union(*(scripts(word) for word in name.split())))
    return f"mixes {' and '.join(s.title() for s in mixed)} letters: a look-alike name"


def shown_path(path: str | os.PathLike[str]) -> str:
    """A path as text that can be stored and printed: bytes that are not UTF-8 (which Python
    keeps as surrogates) written as backslash escapes ("caf\\xe9.txt")."""
    return os.fsencode(path).decode("utf-8", errors="backslashreplace")
