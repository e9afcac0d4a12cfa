"""Dates in Vietnamese text: ``find_date`` and the reader of a date line.

Every date style the importer meets (ISO with a zone, "ngày 15 tháng 6 năm
2022", dd/mm/yyyy with a time, the US order when AM/PM or the numbers say so),
and ``_date_line``, which tells a line that is only a date ("Thứ 3,
18/10/2022 | 19:05 [GMT +7]") from a sentence that mentions one. Both the
text and the HTML readers use them.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone

from .common import _chrome_text, _clean, _words
from .report import DateHit

VN_TZ = timezone(timedelta(hours=7))  # Asia/Ho_Chi_Minh has no daylight saving

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T\s](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*"
                  r"(Z|[+-]\d{2}:?\d{2})?)?")
_IN_WORDS = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.IGNORECASE)
_NUMERIC = re.compile(r"(?<![\d/.-])(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?![\d/.-])")
_TIME = re.compile(r"(?<![\d:/.])(\d{1,2})[:h](\d{2})(?::(\d{2}))?(?:\s*(AM|PM|SA|CH)\b)?(?![\d/])",
                   re.IGNORECASE)
_WEEKDAY = r"(thứ\s*(hai|ba|tư|năm|sáu|bảy|[2-7])|chủ\s*nhật|cn)"
_DATE_LINE_WORDS = re.compile(
    rf"\b({_WEEKDAY}|cập nhật|ngày đăng|đăng|thời gian|lúc|ngày|giờ)\b|\(?\[?gmt\s*[+-]?\s*\d*\]?\)?|"
    r"[|,\-–—:()\[\]]", re.IGNORECASE)


def find_date(text: str) -> DateHit | None:
    """The first complete date (with a year) in ``text``, read the Vietnamese way.

    Handles ISO (``2019-08-23T09:25:00+07:00``, converted to Vietnam time),
    "ngày 15 tháng 6 năm 2022", dd/mm/yyyy with an optional time before or
    after it, and the US month/day order when AM/PM or the numbers say so.
    """
    hits = []
    for pattern, reader in ((_ISO, _read_iso), (_IN_WORDS, _read_words), (_NUMERIC, _read_numeric)):
        for match in pattern.finditer(text):
            hit = reader(match, text)
            if hit:
                hits.append((match.start(), hit))
                break
    return min(hits, key=lambda h: h[0])[1] if hits else None


def _valid(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day) if 1900 < year < 2100 else None
    except ValueError:
        return None


def _read_iso(m: re.Match, text: str) -> DateHit | None:
    day = _valid(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if day is None:
        return None
    if m.group(4) is None:
        return DateHit(day, m.group(0))
    value = datetime(day.year, day.month, day.day, int(m.group(4)), int(m.group(5)))
    zone = m.group(7)
    if zone:
        offset = UTC if zone == "Z" else timezone(
            (1 if zone[0] == "+" else -1) * timedelta(hours=int(zone[1:3]), minutes=int(zone[-2:])))
        value = value.replace(tzinfo=offset).astimezone(VN_TZ).replace(tzinfo=None)
    return DateHit(value, m.group(0))


def _read_words(m: re.Match, text: str) -> DateHit | None:
    day = _valid(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    return _with_time(day, m, text) if day else None


def _read_numeric(m: re.Match, text: str) -> DateHit | None:
    a, b, year = int(m.group(1)), int(m.group(3)), int(m.group(4))
    clock = _TIME.search(text, m.end(), min(len(text), m.end() + 30))
    us = bool(clock and clock.group(4) and clock.group(4).upper() in ("AM", "PM")) or (b > 12 >= a)
    day = _valid(year, a, b) if us else None
    us = day is not None
    day = day or _valid(year, b, a)
    if day is None:
        return None
    hit = _with_time(day, m, text)
    if us:
        hit.note = "thứ tự tháng/ngày kiểu Mỹ"
    return hit


def _with_time(day: date, m: re.Match, text: str) -> DateHit:
    after = _TIME.search(text, m.end(), min(len(text), m.end() + 30))
    before = None
    if after is None:
        before = next(reversed(list(_TIME.finditer(text, max(0, m.start() - 12), m.start()))), None)
    clock = after or before
    if clock:
        hour, minute = int(clock.group(1)), int(clock.group(2))
        marker = (clock.group(4) or "").upper()
        if marker in ("PM", "CH") and hour < 12:
            hour += 12
        elif marker in ("AM", "SA") and hour == 12:
            hour = 0
        if hour < 24 and minute < 60:
            start, end = min(m.start(), clock.start()), max(m.end(), clock.end())
            return DateHit(datetime(day.year, day.month, day.day, hour, minute), text[start:end])
    return DateHit(day, m.group(0))


def _date_line(text: str) -> tuple[DateHit, str] | None:
    """(date, leftover) when a short line is a date line ("Thứ 3, 18/10/2022 | 19:05:36 [GMT +7] A A")."""
    if _words(text) > 16:
        return None
    hit = find_date(text)
    if hit is None:
        return None
    rest = text.replace(hit.text, " ")
    rest = _clean(_DATE_LINE_WORDS.sub(" ", rest))
    if rest and not _chrome_text(rest):
        return None
    return hit, rest
