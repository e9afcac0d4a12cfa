"""What plain text and HTML share once their blocks are read.

``_tidy`` cuts the page's tail (comments, related news), drops chrome lines,
takes a date line opening the body, the byline and outlet lines closing it,
turns caption lines into captions and reads the source from the lead, the
closing lines or the captions.
"""

from __future__ import annotations

import re

from .bylines import _OUTLETS, _is_outlet, parse_byline
from .common import _CAPTION_RE, _Block, _chrome_text, _words
from .dates import _date_line
from .report import ImportReport
from .text import _use_date_line
from .vocabulary import Vocabulary

_PAPER_IN_PARENS = re.compile(r"\(((?:Báo|Tạp chí|Đài|Cổng thông tin|Cổng TTĐT|Trang thông tin)\s[^()]{2,60})\)")
_CREDIT_AGENCY = re.compile(r"/\s*(TTXVN|VNA)\b")
_LEAD_SOURCE = re.compile(r"^\s*(?:\((?P<paren>[^()]{2,40})\)|(?P<acro>[A-ZĐ][A-ZĐ0-9]{1,9}(?:/[A-Z]{2,5})?))"
                          r"\s*[-–—]\s+\S")


def _tidy(blocks: list[_Block], report: ImportReport, vocab: Vocabulary) -> list[_Block]:
    """Cut the page's tail, drop chrome lines, read byline, source and captions; return the body."""
    for i, block in enumerate(blocks):
        chrome = _chrome_text(block.text) if block.kind in ("p", "h") else None
        if i and chrome and chrome[1]:
            for rest in blocks[i:]:
                own = _chrome_text(rest.text)
                report.drop(rest.text or rest.src, own[0] if own else f"phần cuối trang sau ‘{block.text}’")
            blocks = blocks[:i]
            break
    kept = []
    for block in blocks:
        chrome = _chrome_text(block.text) if block.kind in ("p", "h") else None
        if chrome:
            report.drop(block.text, chrome[0])
        else:
            kept.append(block)
    _leading_date(kept, report)
    end_source, end_origin = _trailing_byline(kept, report, vocab)
    _captions(kept)
    leads = [(b.text, "đầu bài") for b in kept if b.kind == "p"][:3]
    for text, origin in [(report.summary, "sapo"), *leads]:
        match = _LEAD_SOURCE.match(text)
        if match and not report.source_from.startswith("dòng tác giả"):
            raw = match.group("paren") or match.group("acro")
            if not vocab.is_place(raw) and (match.group("acro") or _is_outlet(raw) or "." in raw):
                report.source, report.source_from = _OUTLETS.get(raw, raw), f"‘{raw} -’ ở {origin}"
                break
    if not report.source and end_source:
        report.source, report.source_from = end_source, end_origin
    if not report.source:
        texts = [b.text for b in kept if b.kind in ("caption", "img", "p")]
        paper = next((m.group(1) for t in texts for m in [_PAPER_IN_PARENS.search(t)] if m), "")
        agency = next((m.group(1) for t in texts for m in [_CREDIT_AGENCY.search(t)] if m), "")
        if paper or agency:
            report.source = paper or _OUTLETS[agency]
            report.source_from = f"‘({paper})’ trong bài" if paper else f"chú thích ảnh ‘/{agency}’"
    return kept


def _leading_date(blocks: list[_Block], report: ImportReport) -> None:
    """A date line opening the body (some portals print it inside the article box)."""
    for block in list(blocks[:3]):
        dated = _date_line(block.text) if block.kind == "p" else None
        if dated and report.date is None:
            _use_date_line(report, dated, block.text)
            blocks.remove(block)
        elif dated:
            report.drop(block.text, "ngày giờ trên trang (đã có ngày đăng)")
            blocks.remove(block)


def _trailing_byline(blocks: list[_Block], report: ImportReport, vocab: Vocabulary) -> tuple[str, str]:
    """Author and outlet lines closing the body ("Thu Hằng - Nguyễn Đức", "Trung tâm TTVH").

    Returns the outlet they name and the line it came from. A byline element found
    earlier wins (a closing line naming the same people is then just consumed); a
    closing line wins over meta author, which is often the site's name.
    """
    source = origin = ""
    for _ in range(3):
        if not blocks or blocks[-1].kind not in ("p", "h"):
            break
        line = blocks[-1].text
        parsed = parse_byline(line, vocab)
        if parsed is None:
            break
        names, outlet = parsed
        seen = report.author_from.startswith("dòng")  # a byline element, or a closing line already read
        if names and seen and (names != report.author or report.author_from.startswith("dòng ký tên")):
            break
        if names and not seen:
            report.author, report.author_from = names, f"dòng ký tên cuối bài ‘{line}’"
        if outlet and not source:
            source, origin = outlet, f"dòng ký tên cuối bài ‘{line}’"
        blocks.pop()
    return source, origin


# A line that only credits a photo ("Ảnh: Thu Hằng", "(Ảnh: TTXVN)"), printed under its caption.
_CREDIT_LINE = re.compile(r"^\(?\s*(ảnh|nguồn ảnh|nguồn)\s*:\s*[^.()]{1,60}\)?\.?$", re.IGNORECASE)
_HAS_CREDIT = re.compile(r"(^|\W)(ảnh|nguồn ảnh|nguồn)\s*:|ảnh minh h(ọa|oạ)", re.IGNORECASE)


def _captions(blocks: list[_Block]) -> None:
    """Turn caption lines into italic captions; give an image the caption that follows it.

    A credit line printed under the caption ("Ảnh: Thu Hằng") joins the image's caption.
    """
    for i, block in enumerate(blocks):
        if block.kind == "p" and _CAPTION_RE.search(block.text) and _words(block.text) <= 60:
            block.kind = "caption"
        if block.kind == "img" and not block.hint and i + 1 < len(blocks):
            nxt = blocks[i + 1]
            if nxt.kind in ("p", "caption") and (nxt.hint or _CAPTION_RE.search(nxt.text)) and _words(nxt.text) <= 60:
                block.text, block.hint = nxt.text, True
                nxt.kind = "used"
        if block.kind == "img" and block.hint and not _HAS_CREDIT.search(block.text):
            after = [b for b in blocks[i + 1:i + 3] if b.kind != "used"]
            if after and after[0].kind in ("p", "caption") and _CREDIT_LINE.match(after[0].text.strip("*_ ")):
                block.text = f"{block.text} {after[0].text.strip('*_ ')}"
                after[0].kind = "used"
    blocks[:] = [b for b in blocks if b.kind != "used"]
