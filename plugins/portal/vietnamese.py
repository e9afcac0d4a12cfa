"""Vietnamese text helpers: NFC, folding, slugs, collation, dates, and plain text for search.

Pure functions with no Pelican import, so every other module (and the tests)
can rely on them. Results that are computed often (slugs, fold, sort keys)
are cached: a national archive repeats the same names thousands of times.
"""

from __future__ import annotations

import html
import re
import unicodedata
from datetime import date, datetime
from functools import lru_cache

from unidecode import unidecode

__all__ = [
    "nfc",
    "fold",
    "slugify",
    "is_slug",
    "sort_key",
    "format_date",
    "format_datetime",
    "format_long_date",
    "SLUG_RE",
    "initial",
    "plain_text",
    "d_words",
    "words",
]

SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

# U+00D0 (Icelandic eth) is what old fonts and some keyboards type for "Đ".
_ETH = (("\u00d0", "\u0110"), ("\u00f0", "\u0111"))  # (look-alike, letter); str.replace: translate costs 60 µs/KB

# Combining marks that make a *letter* of the Vietnamese alphabet (ă â ê ô ơ ư),
# as opposed to tone marks, which only change the syllable's tone.
_BREVE, _CIRCUMFLEX, _HORN = "\u0306", "\u0302", "\u031b"
_LETTER_MARKS = {_BREVE, _CIRCUMFLEX, _HORN}
# Tone order used by dictionaries and ICU's "vi" tailoring:
# ngang < huyền < hỏi < ngã < sắc < nặng.
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}

_ALPHABET = [
    "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l",
    "m", "n", "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z",
]  # fmt: skip
# Primary weights: separators < digits < letters < everything else.
_PRIMARY = {ch: 100 + i for i, ch in enumerate(_ALPHABET)}
_PRIMARY.update({str(d): 10 + d for d in range(10)})


def nfc(text: str) -> str:
    """Return ``text`` in NFC with the eth look-alike mapped to Đ/đ.

    Text pasted from Word or typed with the Windows Vietnamese keyboard is
    often NFD; two spellings of one name must compare and slug the same.
    """
    if text.isascii():
        return text
    for eth, letter in _ETH:
        text = text.replace(eth, letter)
    return unicodedata.normalize("NFC", text)


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower-case ``text`` and strip every diacritic, including đ → d.

    Unicode decomposition alone keeps "đ" (it has no decomposition), which is
    why stock search engines miss "dua" for "đua".
    """
    text = nfc(text).lower().replace("đ", "d")
    stripped = "".join(
        ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch)
    )
    return unicodedata.normalize("NFC", stripped)


@lru_cache(maxsize=65536)
def slugify(text: str) -> str:
    """Make an ASCII slug: "Phong trào Thi đua" → "phong-trao-thi-dua"."""
    ascii_text = fold(text)
    if not ascii_text.isascii():
        ascii_text = unidecode(ascii_text).lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


def is_slug(value: object) -> bool:
    """True when ``value`` is a valid record slug (``[a-z0-9]+(-[a-z0-9]+)*``)."""
    return isinstance(value, str) and SLUG_RE.fullmatch(value) is not None


@lru_cache(maxsize=65536)
def sort_key(text: str) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]:
    """Collation key in Vietnamese alphabetical order (a ă â b c d đ e ê …).

    Like ICU's "vi" tailoring: letters compare first over the whole string,
    then tones (ngang < huyền < hỏi < ngã < sắc < nặng), then case.
    """
    primary: list[int] = []
    tones: list[int] = []
    cases: list[int] = []
    for ch in nfc(text):
        decomposed = unicodedata.normalize("NFD", ch.lower())
        base = decomposed[0]
        marks = decomposed[1:]
        letter = unicodedata.normalize(
            "NFC", base + "".join(m for m in marks if m in _LETTER_MARKS)
        )
        if letter in _PRIMARY:
            weight = _PRIMARY[letter]
        elif ch.isspace() or ch in "-–—_/.,;:()'\"":
            weight = 1
        else:
            weight = 1000 + ord(letter[0])
        primary.append(weight)
        tones.append(sum(_TONES.get(m, 0) for m in marks))
        cases.append(0 if ch.islower() or not ch.isalpha() else 1)
    return tuple(primary), tuple(tones), tuple(cases)


_WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")


def format_date(value: date | datetime | None) -> str:
    """dd/mm/yyyy, the way Vietnamese news prints dates; no locale needed."""
    if value is None:
        return ""
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def format_datetime(value: datetime | None) -> str:
    """"dd/mm/yyyy HH:MM" for article bylines."""
    if value is None:
        return ""
    if not isinstance(value, datetime):
        return format_date(value)
    return f"{format_date(value)} {value.hour:02d}:{value.minute:02d}"


def format_long_date(value: date | datetime | None) -> str:
    """"Thứ Bảy, 27/12/2025": weekday and date, as portals head their pages."""
    if value is None:
        return ""
    return f"{_WEEKDAYS[value.weekday()]}, {format_date(value)}"


def initial(text: str) -> str:
    """The letter a name is filed under: "Ánh" → "A", "Ứng" → "Ư", "Đào" → "Đ"."""
    for ch in nfc(text):
        if ch.isalnum():
            base = unicodedata.normalize("NFD", ch.upper())
            letter = base[0] + "".join(m for m in base[1:] if m in _LETTER_MARKS)
            return unicodedata.normalize("NFC", letter)
    return "#"


_TAG = re.compile(r"<[^>]+>")
_BLOCK_END = re.compile(r"</(p|h[1-6]|li|tr|blockquote|figcaption)>|<br\s*/?>", re.IGNORECASE)
_WORD = re.compile(r"\w+")
_SPACES = re.compile(r"[ \t]{2,}|\t")  # a run of spaces and tabs that is not one space
_QUERY_WORD = re.compile(r"[^\W_]+")  # letters and digits


def words(text: str) -> list[str]:
    """The words of a text as the search page splits a query (text.js ``words``): runs of letters and digits.

    The word summary, the name shards and the search tools split text with it, so a query and the
    index agree on what a word is.
    """
    return _QUERY_WORD.findall(text)


def plain_text(body_html: str) -> str:
    """Readable text of an HTML body, blocks separated by newlines; runs of spaces and tabs as one space.

    Most bodies have no such run: they are not searched for one, space by space (80 µs of an article's 90)."""
    text = html.unescape(_TAG.sub("", _BLOCK_END.sub("\n", body_html)))
    if "  " in text or "\t" in text:
        text = _SPACES.sub(" ", text)
    return text.strip()


def d_words(*texts: str) -> str:
    """The words containing đ/Đ, folded to ASCII, each once: what Pagefind cannot fold itself."""
    found = {fold(w) for text in texts for w in _WORD.findall(text) if "đ" in w or "Đ" in w}
    return " ".join(sorted(found))
