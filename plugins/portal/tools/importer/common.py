"""Text helpers and constants that several of the importer's modules share.

Nothing here reads a page or fills a report: cleaning and excerpting a line,
Markdown escaping, the chrome patterns that recognise site chrome by its text
(``CHROME_PATTERNS``), the regular expressions both the text and the HTML
readers use, and ``_Block``, one block of a draft's body, which the readers
produce and the draft renders. It sits at the bottom of the package so that
every other module can import from it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from ...vietnamese import nfc

EXCERPT = 100

KIND_LABELS = {
    "campaigns": "phong trào", "clusters": "cụm, khối thi đua", "provinces": "tỉnh, thành",
    "exemplars": "điển hình", "awards": "khen thưởng",
}
FRONT_MATTER_KINDS = ("campaigns", "clusters", "provinces", "exemplars")

# Site chrome recognised by the text of a whole line or block (lower case, spaces
# collapsed, surrounding punctuation stripped): (pattern, reason, tail). A *tail*
# marker starts the end of the page: it and everything after it is dropped.
CHROME_PATTERNS: tuple[tuple[str, str, bool], ...] = (
    (r"tất cả chuyên mục|chuyên mục|danh mục", "menu chuyên mục", False),
    (r"trang chủ(\s*[>»›/|].*)?", "đường dẫn chuyên mục (breadcrumb)", False),
    (r"(a\s*[-+]?\s*){2,3}|cỡ chữ.*|font chữ.*", "nút cỡ chữ", False),
    (r"quay lại\s*\|\s*lên đầu trang", "điều hướng cuối trang", True),
    (r"quay lại|lên đầu trang|về đầu trang|trở về|về trang trước", "điều hướng cuối trang", False),
    ((r"((in bài|bản in|in trang|gửi email|gửi bài viết|chia sẻ|share|tweet|facebook|zalo|twitter|email)"
      r"\s*[:|/,]?\s*)+"), "thanh chia sẻ, in bài", False),
    (r"ý kiến của bạn|ý kiến bạn đọc|ý kiến( \(\d*\))?|bình luận( \(\d*\))?|gửi bình luận|viết bình luận",
     "ô bình luận", True),
    (r"captcha( image)?|mã xác nhận.*|nhập mã.*|nhập vào mã ở trên|mã bảo vệ.*", "mã xác nhận (captcha)", False),
    (r"gửi ý kiến(\s*đóng lại)?|đóng lại|gửi|hủy|huỷ|họ và tên|họ tên|địa chỉ email", "nút, ô nhập của ô bình luận",
     False),
    ((r"tin liên quan|bài liên quan|tin cùng chuyên mục|các tin khác|tin khác|tin đọc nhiều|tin mới nhất|"
      r"tin mới hơn|tin cũ hơn"), "tin liên quan", True),
    (r"xem thêm|đọc thêm|xem tiếp", "liên kết xem thêm", False),
    (r"liên kết website|liên kết web", "liên kết website", True),
    (r"loading\W*|đang tải\W*", "chữ chờ tải trang", False),
    (r"(từ khóa|từ khoá|tags?)(\s*:.*)?", "từ khoá", False),
    (r"lượt xem\s*:?\s*\d*|\d+ lượt xem", "số lượt xem", False),
)
_CHROME = [(re.compile(p), reason, tail) for p, reason, tail in CHROME_PATTERNS]

_SPACE = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\u200b-\u200d\u2060\ufeff\ufffe\uffff]")
_SENTENCE_END = re.compile(r"[.…!?][\"”'»)]*$")
_CAPTION_RE = re.compile(
    r"^ảnh(\s+minh\s+h(ọa|oạ))?\s*[:.]|\((ảnh|nguồn ảnh|nguồn)\s*:[^()]*\)\s*\.?$|(^|\.\s*)ảnh\s*:\s*\S",
    re.IGNORECASE)


@dataclass
class _Block:
    """One block of the body: paragraph, heading, caption, image, list, table or quote."""

    kind: str  # p | h | caption | img | list | table | quote
    md: str  # an image's Markdown once ``photos`` has placed it (empty until then)
    text: str  # an image's caption, or its alt text when ``hint`` is false
    src: str = ""
    hint: bool = False  # looks like a caption (class, centred, all italic)
    alt: str = ""  # an image's own alt text
    sources: tuple[str, ...] = ()  # an image's addresses as written on the page (src, data-src …), unresolved

    def render(self) -> str:
        if self.kind == "img" and self.md:
            return self.md
        if self.kind == "img":
            image = f"![{_escape(self.text)}]({_url(self.src)})"
            return image + (f"\n\n*{_escape(self.text)}*" if self.text else "")
        if self.kind == "caption":
            return f"*{_escape(self.text)}*"
        if self.kind == "p":
            return _escape_start(self.md)
        return self.md


def _clean(text: str) -> str:
    """One line of NFC text: no control characters, single spaces (NBSP included)."""
    return _SPACE.sub(" ", _CONTROL.sub("", nfc(text))).strip()


def _excerpt(text: str, limit: int = EXCERPT) -> str:
    text = _clean(text)
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


def _key(text: str) -> str:
    """Lower case, spaces collapsed, surrounding punctuation stripped: what chrome patterns see."""
    return _clean(text).lower().strip(" .:;,|»›>-–—•*·")


def _words(text: str) -> int:
    return len(text.split())


def _escape(text: str) -> str:
    """Escape Markdown syntax and raw HTML in text that came from a page."""
    return re.sub(r"([\\`*_\[\]{}])", r"\\\1", text).replace("<", "&lt;")


def _escape_start(md: str) -> str:
    """A paragraph must not turn into a heading, list or quote because of its first characters."""
    number = re.match(r"\d+([.)])\s", md)
    if number:
        return md[:number.start(1)] + "\\" + md[number.start(1):]
    return "\\" + md if re.match(r"#|>|[-+]\s|={3,}|-{3,}", md) else md


def _url(src: str) -> str:
    return src.replace(" ", "%20").replace("(", "%28").replace(")", "%29")


def _chrome_text(text: str) -> tuple[str, bool] | None:
    """(reason, tail) when a short line or block is site chrome."""
    key = _key(text)
    if not key or _words(key) > 12:
        return None
    for pattern, reason, tail in _CHROME:
        if pattern.fullmatch(key):
            return reason, tail
    return None


def _format_date(value: date | datetime | None) -> str:
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    return value.isoformat() if value else ""
