"""Bylines: who wrote an article and for which outlet.

``parse_byline`` reads "Nguyễn Đức - TTXVN", "Thu Hằng (Báo Quảng Ninh)",
"Bài, ảnh: …", "Theo Báo …" and bare outlet lines; ``_is_outlet`` and
``_OUTLETS`` are also used to read the source from a lead ("BTĐKT - …") and
to strip a site's name from a page title.
"""

from __future__ import annotations

import re

from .common import _SENTENCE_END, _clean, _key
from .vocabulary import Vocabulary

# Outlets abbreviated in leads ("BTĐKT - ...") and words that open an outlet's name.
_OUTLETS = {"BTĐKT": "Ban Thi đua - Khen thưởng Trung ương", "TTXVN": "TTXVN", "VNA": "TTXVN"}
_ORG_WORDS = ("báo", "đài", "tạp chí", "trung tâm", "cổng", "ban", "sở", "thông tấn", "văn phòng", "ubnd",
              "hội", "phòng", "cục", "bộ", "trang thông tin", "tỉnh ủy", "tỉnh uỷ", "huyện ủy", "thành ủy")

_BYLINE_PREFIX = re.compile(r"^(bài\s*(và|,|&)?\s*ảnh|tin\s*(và|,|&)?\s*ảnh|bài|tin|thực hiện|tác giả|nhóm pv)\s*:\s*",
                            re.IGNORECASE)
_SOURCE_PREFIX = re.compile(r"^(theo|nguồn\s*:)\s*", re.IGNORECASE)


def _is_name(text: str) -> bool:
    words = text.split()
    return 2 <= len(words) <= 5 and all(w.isalpha() and w[0].isupper() and w[1:].islower() for w in words)


def _is_outlet(text: str) -> bool:
    words = text.split()
    if not words or len(words) > 10 or _SENTENCE_END.search(text):
        return False
    if len(words) == 1 and re.fullmatch(r"[A-ZĐ][A-ZĐ0-9]{1,9}(/[A-Z]{2,5})?", text):
        return True
    return bool(re.search(r"\.(vn|com|net|org)\b", text, re.IGNORECASE)) or any(
        _key(text).startswith(w + " ") for w in _ORG_WORDS)


def parse_byline(line: str, vocab: Vocabulary | None = None) -> tuple[list[str], str] | None:
    """``"Nguyễn Đức - TTXVN"`` → (["Nguyễn Đức"], "TTXVN"); None when the line is not a byline.

    Also reads "Thu Hằng (Báo Quảng Ninh)", "Thu Hằng - Nguyễn Đức - Trần Bình",
    "Bài, ảnh: Ngọc Khánh", "Theo Báo Quảng Ninh" and a bare outlet line
    ("Trung tâm TTVH"). Place names are not people: ``vocab`` rules them out.
    """
    text = _clean(line).strip(" .")
    if not text or len(text) > 120:
        return None
    source = ""
    if _SOURCE_PREFIX.match(text):
        rest = _SOURCE_PREFIX.sub("", text)
        return ([], _OUTLETS.get(rest, rest)) if _is_outlet(rest) else None
    text = _BYLINE_PREFIX.sub("", text)
    paren = re.search(r"\s*\(([^()]{2,60})\)$", text)
    if paren:
        source, text = paren.group(1).strip(), text[:paren.start()].strip()
    credit = re.search(r"\s*/\s*([A-ZĐ]{2,10})$", text)
    if credit:
        source, text = credit.group(1), text[:credit.start()].strip()
    names: list[str] = []
    for part in filter(None, (p.strip() for p in re.split(r"\s+[-–—]\s+|\s*[,;]\s*|\s+và\s+", text))):
        if _is_name(part) and not (vocab and vocab.is_place(part)):
            names.append(part)
        elif _is_outlet(part) and not source:
            source = part
        else:
            return None
    if not names and not source:
        return None
    return names, _OUTLETS.get(source, source)
