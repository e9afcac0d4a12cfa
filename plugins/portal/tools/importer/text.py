"""Plain text (a copied page): paragraphs, headline and date line before the body.

The headline is the longest line of the header; a date line after it is the
publication date, one before it is the site's clock when the page was saved.
``_use_date_line`` and ``_fallback_title`` also serve HTML pages.
"""

from __future__ import annotations

import re

from .common import _CAPTION_RE, _SENTENCE_END, _Block, _chrome_text, _clean, _escape, _words
from .dates import _date_line
from .report import DateHit, ImportReport


def _paragraphs(text: str) -> list[str]:
    """Paragraphs: lines, or blank-line blocks whose lines are hard-wrapped (all 50–100 characters)."""
    out: list[str] = []
    for group in re.split(r"\n\s*\n", text):
        lines = [_clean(line) for line in group.split("\n")]
        lines = [line for line in lines if line]
        if len(lines) > 1 and all(50 <= len(line) <= 100 for line in lines[:-1]):
            out.append(" ".join(lines))
        else:
            out += lines
    return out


def _is_body_paragraph(text: str) -> bool:
    words = _words(text)
    return words >= 40 or (words >= 12 and bool(_SENTENCE_END.search(text)))


def _extract_text(text: str, report: ImportReport) -> list[_Block]:
    paragraphs = _paragraphs(text)
    start = next((i for i, p in enumerate(paragraphs[:12]) if _is_body_paragraph(p)), 0)
    header, body = paragraphs[:start], paragraphs[start:]
    candidates = [p for p in header if not _chrome_text(p) and not _date_line(p) and not _CAPTION_RE.search(p)
                  and _words(p) >= 3]
    title = max(candidates, key=_words, default="")
    if title:
        line_no = next((n for n, line in enumerate(text.split("\n"), 1) if _clean(line) == title), 0)
        report.title, report.title_from = title, f"dòng {line_no} của tệp" if line_no else "đầu tệp"
    seen_title = not title
    early: list[tuple[DateHit, str, str]] = []
    for line in header:
        if line == title:
            seen_title = True
            continue
        chrome = _chrome_text(line)
        dated = _date_line(line)
        if chrome:
            report.drop(line, chrome[0])
        elif dated:
            if not seen_title:
                early.append((dated[0], dated[1], line))
            elif report.date is None:
                _use_date_line(report, dated, line)
            else:
                report.drop(line, "ngày giờ khác ở đầu bài")
        else:
            report.drop(line, "nhãn chuyên mục, địa danh ở đầu trang" if seen_title else "dòng trước tiêu đề")
    for hit, rest, line in early:
        if report.date is None:
            _use_date_line(report, (hit, rest), line)
            report.warnings.append(f"ngày đăng lấy từ dòng trước tiêu đề ‘{line}’: có thể là ngày giờ lúc lưu "
                                   "trang, hãy kiểm tra")
        else:
            report.drop(line, "ngày giờ của trang lúc lưu (đứng trước tiêu đề), không phải ngày đăng")
    blocks = []
    for line in body:
        if _CAPTION_RE.search(line) and _words(line) <= 60:
            blocks.append(_Block("caption", "", line))
        else:
            blocks.append(_Block("p", _escape(line), line))
    return blocks


def _use_date_line(report: ImportReport, dated: tuple[DateHit, str], line: str) -> None:
    hit, rest = dated
    report.date = hit.value
    report.date_from = f"dòng ‘{line}’" + (f", {hit.note}" if hit.note else "")
    if rest:
        chrome = _chrome_text(rest)
        report.drop(rest, chrome[0] if chrome else "phần còn lại của dòng ngày giờ")


def _fallback_title(blocks: list[_Block], report: ImportReport) -> None:
    """No headline: the first sentence stands in for it, and the editor is told."""
    first = next((b.text for b in blocks if b.kind == "p"), "")
    sentence = re.split(r"(?<=[.!?…])\s+", first, maxsplit=1)[0].rstrip(".")
    sentence = re.sub(r"^(cụ thể|theo đó|bên cạnh đó|ngoài ra|đồng thời|trong đó|tuy nhiên)\s*,\s*", "", sentence,
                      flags=re.IGNORECASE)
    words = sentence.split()
    title = " ".join(words[:18]) + ("…" if len(words) > 18 else "")
    report.title = title[:1].upper() + title[1:]
    report.title_from = "câu đầu bài (không thấy tiêu đề)"
    report.warnings.append("không tìm thấy tiêu đề: tạm lấy câu đầu của bài, hãy đặt tiêu đề")
