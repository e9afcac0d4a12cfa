"""Import saved news pages (HTML or plain text) as draft articles.

Editors save a page from a provincial portal or a newspaper, or copy its text,
and run ``invoke import --path FILE``. The importer writes a *draft* in the
content model (docs/content-model.md) and prints a report for the editor:

- title, date (every Vietnamese date style we meet, metadata first), author,
  source, source URL, and a clean Markdown body without site chrome;
- suggestions of campaigns, clusters, provinces and exemplars found by their
  names and aliases in the text (folded, longest match first), each with the
  text that triggered it; awards become comments, never ``honours``, because
  the importer cannot know who received them; an ``event`` (tổng kết, phát
  động …) when the headline announces one (see ``EVENT_WORDS``);
- every block of text it dropped, with the reason (see ``CHROME_PATTERNS`` and
  ``CHROME_CLASSES``): nothing is lost silently.

Decisions the editors rely on:

- A text with no publication date (or only "Ngày 30/3" with no year) still
  gets a draft, since ``date`` is required and a draft must validate: the field
  holds the import date as a placeholder under a ``# CẦN SỬA`` comment, and the
  report warns. The year is never guessed.
- In plain text a date line *before* the headline is the site's clock on the
  day the page was saved ("Thứ Sáu, 01/11/2024 15:23"); the date line after the
  headline wins.
- A numeric date is day/month unless it carries AM/PM or its second number is
  above 12, as on the old central-board site ("3/29/2017 3:23:10 PM").
- A file that cannot be read, decoded or recognised as an article raises
  :class:`ImportError_` naming the file and the problem; nothing is written for it.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from itertools import pairwise
from pathlib import Path
from urllib.parse import urljoin, urlparse

from bs4 import BeautifulSoup, NavigableString, Tag

from .. import frontmatter
from ..model import Record
from ..records import MarkdownRenderer, RecordSet, load_records
from ..schema import KINDS, RECORD_KINDS, coerce
from ..vietnamese import fold, nfc, slugify

__all__ = [
    "CHROME_CLASSES",
    "CHROME_PATTERNS",
    "DateHit",
    "Dropped",
    "ImportError_",
    "ImportReport",
    "Suggestion",
    "Vocabulary",
    "decode",
    "find_date",
    "import_file",
    "import_files",
    "parse_byline",
]

VN_TZ = timezone(timedelta(hours=7))  # Asia/Ho_Chi_Minh has no daylight saving
SLUG_MAX = 70
EXCERPT = 100

KIND_LABELS = {
    "campaigns": "phong trào", "clusters": "cụm, khối thi đua", "provinces": "tỉnh, thành",
    "exemplars": "điển hình", "awards": "khen thưởng",
}
FRONT_MATTER_KINDS = ("campaigns", "clusters", "provinces", "exemplars")
# Words in a headline that announce a campaign's or cluster's event (the article field `event`).
EVENT_WORDS = (("phát động", "phat-dong"), ("sơ kết", "so-ket"), ("tổng kết", "tong-ket"),
               ("giao ước", "giao-uoc"), ("tôn vinh", "ton-vinh"), ("tuyên dương", "ton-vinh"),
               ("đại hội thi đua", "ton-vinh"))

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

# Site chrome recognised by an element's tag, class or id (split into tokens
# on "-", "_" and spaces; the long tokens also match inside joined names).
CHROME_CLASSES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("breadcrumb", "breadcrumbs", "duongdan"), "đường dẫn chuyên mục (breadcrumb)"),
    (("share", "social", "sharing", "addthis", "chiase", "print", "inbai", "fontsize", "toolbar", "tools", "zalo",
      "facebook"), "thanh chia sẻ, in bài, cỡ chữ"),
    (("related", "relate", "lienquan", "tinlienquan", "othernews", "tinkhac", "cungchuyenmuc", "readmore"),
     "tin liên quan"),
    (("comment", "comments", "binhluan", "ykien", "captcha", "feedback"), "ô bình luận, mã xác nhận"),
    (("menu", "nav", "navbar", "navigation", "mainmenu", "topmenu"), "menu điều hướng"),
    (("footer", "copyright", "chantrang"), "chân trang"),
    (("header", "banner", "logo", "masthead"), "đầu trang"),
    (("sidebar", "widget", "cotphai", "cottrai"), "cột bên"),
    (("chuyenmuc", "category", "cate"), "nhãn chuyên mục"),
    (("ads", "adv", "advert", "advertisement", "quangcao"), "quảng cáo"),
    (("tags", "tag", "keyword", "keywords", "tukhoa"), "từ khoá"),
    (("rating", "vote", "luotxem"), "đánh giá, lượt xem"),
)
_CHROME_TOKENS = {token: reason for tokens, reason in CHROME_CLASSES for token in tokens}
_CHROME_JOINED = [t for t in _CHROME_TOKENS if len(t) >= 6]
_CHROME_TAGS = {
    "nav": "menu điều hướng", "aside": "cột bên", "footer": "chân trang", "form": "ô bình luận, biểu mẫu",
    "button": "nút", "input": "ô nhập", "select": "ô chọn", "textarea": "ô nhập",
    "noscript": "chữ cho trình duyệt tắt JavaScript", "iframe": "khung nhúng (video, bản đồ)", "header": "đầu trang",
}
_SILENT_TAGS = {"script", "style", "template", "svg", "head", "meta", "link", "title", "object", "embed"}
_INLINE_TAGS = {
    "a", "b", "strong", "i", "em", "u", "span", "font", "small", "big", "sup", "sub", "abbr", "mark", "label",
    "time", "code", "cite", "q", "s", "strike", "ins", "del", "var", "kbd", "tt", "img", "br",
}
_BLOCK_TAGS = [
    "p", "div", "section", "article", "main", "ul", "ol", "li", "table", "tr", "td", "figure", "blockquote",
    "h1", "h2", "h3", "h4", "h5", "h6", "pre", "dl", "center", "form", "header", "footer", "nav", "aside",
]
_AUTHOR_TOKENS = {"author", "tacgia", "byline", "writer", "signature", "butdanh", "nguoiviet"}
_DATE_TOKENS = ("date", "time", "ngay", "publish", "thoigian")
_SAPO_TOKENS = {"sapo", "lead", "summary", "chapeau", "tomtat", "intro", "excerpt", "lede"}
_CAPTION_TOKENS = {"caption", "image_desc", "imagedesc", "desc", "chuthich", "chu-thich", "figcaption", "note",
                   "photo-caption", "img-caption"}
_BODY_TOKENS = {"content", "detail", "article", "body", "entry", "post", "news", "noidung", "chitiet",
                "articlebody", "maincontent", "fck", "fck_detail"}

# Outlets abbreviated in leads ("BTĐKT - ...") and words that open an outlet's name.
_OUTLETS = {"BTĐKT": "Ban Thi đua - Khen thưởng Trung ương", "TTXVN": "TTXVN", "VNA": "TTXVN"}
_ORG_WORDS = ("báo", "đài", "tạp chí", "trung tâm", "cổng", "ban", "sở", "thông tấn", "văn phòng", "ubnd",
              "hội", "phòng", "cục", "bộ", "trang thông tin", "tỉnh ủy", "tỉnh uỷ", "huyện ủy", "thành ủy")
# Words after which a province name is a street, a person or a smaller place ("đại lộ Hòa Bình",
# "tư tưởng Hồ Chí Minh"), compared in lower case with their diacritics.
_NOT_PROVINCE_AFTER = {
    "đường", "phố", "đại lộ", "xã", "phường", "huyện", "quận", "thị xã", "thị trấn", "thôn", "bản", "ấp", "cầu",
    "chợ", "sông", "núi", "hồ", "đèo", "đảo", "vịnh", "khách sạn", "công ty", "chủ tịch", "bác", "tư tưởng",
    "phong cách", "đạo đức", "cộng sản", "lăng", "báo", "đài", "quảng trường", "sân bay", "bến xe", "trường",
    "nhà hát", "bảo tàng", "khu", "ngõ", "hẻm",
}

_WORD = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\u200b-\u200d\u2060\ufeff\ufffe\uffff]")
_SENTENCE_END = re.compile(r"[.…!?][\"”'»)]*$")
_CAPTION_RE = re.compile(
    r"^ảnh(\s+minh\s+h(ọa|oạ))?\s*[:.]|\((ảnh|nguồn ảnh|nguồn)\s*:[^()]*\)\s*\.?$|(^|\.\s*)ảnh\s*:\s*\S",
    re.IGNORECASE)
_PAPER_IN_PARENS = re.compile(r"\(((?:Báo|Tạp chí|Đài|Cổng thông tin|Cổng TTĐT|Trang thông tin)\s[^()]{2,60})\)")
_CREDIT_AGENCY = re.compile(r"/\s*(TTXVN|VNA)\b")
_LEAD_SOURCE = re.compile(r"^\s*(?:\((?P<paren>[^()]{2,40})\)|(?P<acro>[A-ZĐ][A-ZĐ0-9]{1,9}(?:/[A-Z]{2,5})?))"
                          r"\s*[-–—]\s+\S")
_PARTIAL_DATE = re.compile(r"\b[Nn]gày\s+\d{1,2}/\d{1,2}\b(?!/\d)")
_MAGIC = {b"%PDF": "tệp PDF", b"\x89PNG": "ảnh PNG", b"\xff\xd8\xff": "ảnh JPEG", b"GIF8": "ảnh GIF",
          b"PK\x03\x04": "tệp nén (ZIP, DOCX)", b"\xd0\xcf\x11\xe0": "tệp Word/Excel cũ (.doc, .xls)"}


class ImportError_(Exception):
    """A file that cannot become a draft; the message names the file and the problem."""


@dataclass
class Dropped:
    """A block of text the importer left out, and why."""

    text: str
    reason: str

    @property
    def excerpt(self) -> str:
        return _excerpt(self.text)


@dataclass
class Suggestion:
    """A record whose name or alias occurs in the text."""

    kind: str
    slug: str
    matched: str
    where: str
    count: int = 1
    note: str = ""

    @property
    def reason(self) -> str:
        text = f"gặp ‘{self.matched}’ ở {self.where}"
        if self.count > 1:
            text += f", {self.count} lần"
        return text + (f"; {self.note}" if self.note else "")


@dataclass
class DateHit:
    """A date found in text: its value, the text it came from, and how it was read."""

    value: date | datetime
    text: str
    note: str = ""


@dataclass
class ImportReport:
    """Everything the importer found in one file, what it wrote, and what it left out."""

    source_file: Path
    path: Path | None = None
    written: bool = False
    encoding: str = ""
    title: str = ""
    title_from: str = ""
    date: date | datetime | None = None
    date_from: str = ""
    author: list[str] = field(default_factory=list)
    author_from: str = ""
    source: str = ""
    source_from: str = ""
    source_url: str = ""
    summary: str = ""
    event: str = ""  # a code of schema.EVENTS when the headline announces one
    event_from: str = ""
    body: str = ""
    images: list[tuple[str, str]] = field(default_factory=list)
    suggestions: list[Suggestion] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    draft: str = ""
    error: str = ""

    def drop(self, text: str, reason: str) -> None:
        text = _clean(text)
        if text:
            self.dropped.append(Dropped(text, reason))

    def slugs(self, kind: str) -> list[str]:
        return [s.slug for s in self.suggestions if s.kind == kind]

    def format(self) -> str:
        """The report for editors, in Vietnamese."""
        name = self.source_file.name
        if self.error:
            return f"LỖI {self.error}\n  Không ghi tệp nào cho tệp này."
        verb = "Đã ghi" if self.written else "Thử (không ghi tệp)"
        lines = [f"{name} → {self.path} ({verb}, bản nháp)"]
        if self.encoding and self.encoding != "utf-8":
            lines.append(f"  Bảng mã: {self.encoding} (đã chuyển sang UTF-8)")
        lines.append(f"  Tiêu đề: {self.title} ({self.title_from})")
        lines.append(f"  Ngày đăng: {_format_date(self.date)} ({self.date_from})" if self.date
                     else "  Ngày đăng: KHÔNG TÌM THẤY (ghi tạm ngày nhập, cần sửa)")
        lines.append(f"  Tác giả: {', '.join(self.author)} ({self.author_from})" if self.author
                     else "  Tác giả: không rõ")
        lines.append(f"  Nguồn: {self.source} ({self.source_from})" if self.source else "  Nguồn: không rõ")
        if self.source_url:
            lines.append(f"  Địa chỉ gốc: {self.source_url}")
        if self.summary:
            lines.append(f"  Sapo: {_excerpt(self.summary)}")
        if self.event:
            lines.append(f"  Sự kiện: {self.event} ({self.event_from})")
        for src, caption in self.images:
            lines.append(f"  Ảnh: {src}" + (f" — {caption}" if caption else ""))
        lines.append(f"  Gợi ý ({len(self.suggestions)}):" if self.suggestions else "  Gợi ý: không có")
        for s in self.suggestions:
            extra = " (chỉ ghi chú, chưa thêm vào honours)" if s.kind == "awards" else ""
            lines.append(f"    - {KIND_LABELS[s.kind]} {s.slug}: {s.reason}{extra}")
        for note in self.notes:
            lines.append(f"    · {note}")
        lines.append(f"  Đã bỏ ({len(self.dropped)}):" if self.dropped else "  Đã bỏ: không có")
        for d in self.dropped:
            lines.append(f"    - ‘{d.excerpt}’: {d.reason}")
        for warning in self.warnings:
            lines.append(f"  Cảnh báo: {warning}")
        return "\n".join(lines)


@dataclass
class _Block:
    """One block of the body: paragraph, heading, caption, image, list, table or quote."""

    kind: str  # p | h | caption | img | list | table | quote
    md: str
    text: str
    src: str = ""
    hint: bool = False  # looks like a caption (class, centred, all italic)

    def render(self) -> str:
        if self.kind == "img":
            image = f"![{_escape(self.text)}]({_url(self.src)})"
            return image + (f"\n\n*{_escape(self.text)}*" if self.text else "")
        if self.kind == "caption":
            return f"*{_escape(self.text)}*"
        if self.kind == "p":
            return _escape_start(self.md)
        return self.md


# ---------------------------------------------------------------- text helpers

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


# ---------------------------------------------------------------- decoding

def decode(raw: bytes, name: str) -> tuple[str, str]:
    """Decode ``raw`` to NFC text; return (text, encoding) or raise ImportError_.

    UTF-8 first (with or without BOM), then a UTF-16 BOM or pattern, then the
    charset the page declares, then Windows-1258 when the result reads as
    Vietnamese. Anything else would produce mojibake, so it is refused.
    """
    if not raw.strip():
        raise ImportError_(f"{name}: tệp rỗng, không có gì để nhập")
    for magic, label in _MAGIC.items():
        if raw.startswith(magic):
            raise ImportError_(f"{name}: đây là {label}, không phải trang HTML hay văn bản")
    text, encoding = _decode(raw)
    if text is None:
        if b"\x00" in raw:
            raise ImportError_(f"{name}: tệp nhị phân (có byte 0), không phải trang HTML hay văn bản")
        raise ImportError_(f"{name}: không nhận ra bảng mã (không phải UTF-8, UTF-16 hay Windows-1258); "
                           "hãy lưu lại trang với bảng mã UTF-8")
    controls = len(re.findall(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]", text))
    if controls > max(2, len(text) // 200):
        raise ImportError_(f"{name}: tệp nhị phân ({controls} ký tự điều khiển), không phải trang HTML hay văn bản")
    text = _CONTROL.sub("", nfc(text.replace("\r\n", "\n").replace("\r", "\n")))
    return text, encoding


def _decode(raw: bytes) -> tuple[str | None, str]:
    for bom, codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                       (codecs.BOM_UTF16_BE, "utf-16")):
        if raw.startswith(bom):
            try:
                return raw.decode(codec), codec.replace("-sig", "")
            except UnicodeDecodeError:
                return None, ""
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    half = len(raw) // 2
    for codec, zeros in (("utf-16-le", raw[1::2]), ("utf-16-be", raw[0::2])):
        if half and zeros.count(0) > half * 0.3:
            try:
                return raw.decode(codec), codec
            except UnicodeDecodeError:
                return None, ""
    declared = re.search(rb"charset\s*=\s*[\"']?([\w-]+)", raw[:4096], re.IGNORECASE)
    candidates = [declared.group(1).decode("ascii").lower()] if declared else []
    for codec in [*candidates, "cp1258"]:
        try:
            text = raw.decode(codec)
        except (LookupError, UnicodeDecodeError):
            continue
        if re.search(r"[ăâđêôơưĂÂĐÊÔƠƯ]", nfc(text)):
            return text, codec
    return None, ""


# ---------------------------------------------------------------- dates

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


# ---------------------------------------------------------------- bylines

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


# ---------------------------------------------------------------- vocabulary

@dataclass(frozen=True)
class _Entry:
    kind: str
    slug: str
    exact: tuple[str, ...]  # lower-case NFC words, to choose between names that fold alike
    proper: bool  # a proper name: its words must be capitalised in the text
    bare_province: bool  # a province name without "tỉnh"/"thành phố": may be a street or a person
    prefix: int = 0  # words of "tỉnh"/"thành phố"/"TP" before the name
    note: str = ""
    marks: tuple[bool, ...] = ()  # between each two words of the name: punctuation ("Bà Rịa - Vũng Tàu")


class Vocabulary:
    """Names and aliases of every record, folded, for longest-match-first suggestions."""

    def __init__(self, records: Iterable[Record]) -> None:
        self._keys: dict[tuple[str, ...], list[_Entry]] = {}
        self._longest: dict[str, int] = {}
        self.size = 0
        for record in records:
            self.size += 1
            data = record.data
            proper = record.type == "provinces" or (record.type == "exemplars" and data.get("kind") == "person")
            note = f"tên cũ, nay là {data['replaced_by']}" if data.get("replaced_by") else ""
            for name in dict.fromkeys(filter(None, [record.name, data.get("short_name"), *record.alias_names])):
                name = nfc(str(name))
                words = list(_WORD.finditer(name))
                if not words:
                    continue
                exact = tuple(w.group().lower() for w in words)
                folded = tuple(fold(w) for w in exact)
                marks = tuple(bool(name[a.end():b.start()].strip()) for a, b in pairwise(words))
                bare = record.type == "provinces"
                self._add(folded, _Entry(record.type, record.slug, exact, proper, bare, 0, note, marks))
                if bare:
                    for prefix, gaps in ((("tinh",), (False,)), (("thanh", "pho"), (False, False)),
                                         (("tp",), (True,))):
                        self._add(prefix + folded, _Entry(record.type, record.slug, exact, True, False,
                                                          len(prefix), note, gaps + marks))

    @classmethod
    def from_content(cls, content: Path) -> Vocabulary:
        """Every record under ``content`` (records with errors are skipped, as the build would)."""
        records: RecordSet = load_records(content, MarkdownRenderer())
        return cls(r for kind in RECORD_KINDS for r in records.all(kind))

    def _add(self, key: tuple[str, ...], entry: _Entry) -> None:
        entries = self._keys.setdefault(key, [])
        if not any(e.kind == entry.kind and e.slug == entry.slug for e in entries):
            entries.append(entry)
        self._longest[key[0]] = max(self._longest.get(key[0], 0), len(key))

    def is_place(self, text: str) -> bool:
        """True when ``text`` is exactly the name of a province or a locality."""
        entries = self._keys.get(tuple(fold(w) for w in _WORD.findall(text)), [])
        return any(e.kind == "provinces" or e.kind == "exemplars" and not e.proper for e in entries)

    def suggest(self, parts: Sequence[tuple[str, str]]) -> tuple[list[Suggestion], list[str]]:
        """Scan (where, text) parts in reading order; return suggestions and notes on skipped matches."""
        found: dict[tuple[str, str], Suggestion] = {}
        skipped: dict[tuple[str, str], str] = {}
        for where, text in parts:
            words = list(_WORD.finditer(text))
            folded = [fold(w.group()) for w in words]
            i = 0
            while i < len(words):
                i += self._match_at(i, words, folded, text, where, found, skipped)
        order = {k: n for n, k in enumerate((*FRONT_MATTER_KINDS, "awards"))}
        notes = [note for key, note in skipped.items() if key not in found]
        return sorted(found.values(), key=lambda s: order[s.kind]), notes

    def _match_at(self, i: int, words: list[re.Match], folded: list[str], text: str, where: str,
                  found: dict, skipped: dict) -> int:
        for length in range(min(self._longest.get(folded[i], 0), len(words) - i), 0, -1):
            entries = self._keys.get(tuple(folded[i:i + length]))
            if not entries:
                continue
            span = words[i:i + length]
            matched = text[span[0].start():span[-1].end()]
            accepted = []
            for entry in entries:
                if any(text[a.end():b.start()].strip() and not mark
                       for a, b, mark in zip(span, span[1:], entry.marks, strict=False)):
                    continue  # "Hòa Bình; Đường điện" is not "Bình Dương"
                why_not = self._reject(entry, words, i, span)
                if why_not:
                    skipped.setdefault((entry.kind, entry.slug),
                                       f"không gợi ý {KIND_LABELS[entry.kind]} {entry.slug}: ‘{matched}’ ở {where} "
                                       f"{why_not}")
                else:
                    accepted.append(entry)
            chosen = self._disambiguate(accepted, span)
            for entry in chosen:
                key = (entry.kind, entry.slug)
                twins = [e.slug for e in chosen if e.kind == entry.kind and e is not entry]
                note = "; ".join(filter(None, [entry.note, f"cùng tên khi bỏ dấu với {', '.join(twins)}: "
                                                           "giữ một" if twins else ""]))
                if key in found:
                    found[key].count += 1
                else:
                    found[key] = Suggestion(entry.kind, entry.slug, _excerpt(matched, 80), where, note=note)
            if accepted:
                return length
        return 1

    @staticmethod
    def _reject(entry: _Entry, words: list[re.Match], i: int, span: list[re.Match]) -> str:
        if entry.proper and not all(w.group()[0].isupper() or w.group()[0].isdigit() for w in span[entry.prefix:]):
            return "viết thường (không phải tên riêng)"
        if entry.bare_province:
            before = [w.group().lower() for w in words[max(0, i - 2):i]]
            for n in (1, 2):
                if len(before) >= n and " ".join(before[-n:]) in _NOT_PROVINCE_AFTER:
                    return f"đứng sau ‘{' '.join(before[-n:])}’ (tên đường, người hay nơi khác)"
        return ""

    @staticmethod
    def _disambiguate(entries: list[_Entry], span: list[re.Match]) -> list[_Entry]:
        """Names that fold alike (Hùng, Hưng) in one kind: keep the one spelt as in the text."""
        exact = tuple(w.group().lower() for w in span)
        out: list[_Entry] = []
        for kind in dict.fromkeys(e.kind for e in entries):
            same = [e for e in entries if e.kind == kind]
            if len(same) > 1:
                same = [e for e in same if e.exact == exact[len(exact) - len(e.exact):]] or same
            out += same
        return out


# ---------------------------------------------------------------- plain text

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


# ---------------------------------------------------------------- HTML

def _tokens(el: Tag) -> set[str]:
    values = [*(el.get("class") or []), str(el.get("id") or ""), str(el.get("itemprop") or "")]
    return {t for v in values for t in re.split(r"[\s_\-]+", str(v).lower()) if t}


def _joined(el: Tag) -> str:
    return re.sub(r"[\s_\-]+", "", " ".join([*(el.get("class") or []), str(el.get("id") or "")]).lower())


def _is_hidden(el: Tag) -> bool:
    style = str(el.get("style") or "").replace(" ", "").lower()
    return el.has_attr("hidden") or el.get("aria-hidden") == "true" or "display:none" in style \
        or "visibility:hidden" in style


def _chrome_reason(el: Tag) -> str:
    """Why an element is site chrome, by tag, class or id; "" when it is not."""
    if el.name == "form" and len(el.find_all("p", limit=3)) == 3:
        return ""  # ASP.NET wraps the whole page in one <form>
    if el.name == "header" and el.find_parent("article"):
        return ""  # an article's own header: headline, date, byline
    if el.name in _CHROME_TAGS:
        return _CHROME_TAGS[el.name]
    if _is_hidden(el):
        return "phần tử ẩn trên trang"
    tokens = _tokens(el)
    for token in tokens:
        if token in _CHROME_TOKENS:
            return _CHROME_TOKENS[token]
    joined = _joined(el)
    for token in _CHROME_JOINED:
        if token in joined:
            return _CHROME_TOKENS[token]
    return ""


_TOOLS = _CHROME_TOKENS["share"]


def _in_chrome(el: Tag, allow: str = "") -> bool:
    """Inside a menu, comment box, related list…; ``allow`` names a kind of chrome that does not count."""
    return any(isinstance(p, Tag) and p.name not in ("html", "body", "[document]") and _chrome_reason(p) not in
               ("", allow) for p in [el, *el.parents])


def _text(el: Tag) -> str:
    return _clean(el.get_text(" "))


def _meta(soup: BeautifulSoup, *keys: str) -> tuple[str, str]:
    """(value, key) of the first meta tag present among ``keys`` (property, name or itemprop)."""
    for key in keys:
        pattern = re.compile(f"^{re.escape(key)}$", re.IGNORECASE)
        for attr in ("property", "name", "itemprop"):
            el = soup.find("meta", attrs={attr: pattern})
            if el and _clean(str(el.get("content") or "")):
                return _clean(str(el["content"])), key
    return "", ""


def _json_ld(soup: BeautifulSoup) -> dict:
    """The first schema.org article object in the page's JSON-LD, or {}."""
    for script in soup.find_all("script", attrs={"type": re.compile("ld\\+json", re.IGNORECASE)}):
        try:
            data = json.loads(script.string or "")
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack += item
            elif isinstance(item, dict):
                if "headline" in item or "datePublished" in item:
                    return item
                stack += [v for v in item.values() if isinstance(v, (list, dict))]
    return {}


def _paragraph_score(el: Tag) -> int:
    if el.name == "p":
        text = _text(el)
    else:
        text = _clean(" ".join(s for s in el.find_all(string=True, recursive=False) if type(s) is NavigableString))
        if len(text) < 40:
            return 0
    links = sum(len(_text(a)) for a in el.find_all("a"))
    return max(0, len(text) - links)


def _find_container(soup: BeautifulSoup) -> Tag | None:
    """The element holding the article's paragraphs (a light Readability)."""
    scores: dict[int, float] = {}
    nodes: dict[int, Tag] = {}
    for el in soup.find_all(["p", "div", "td", "span", "font", "section", "article"]):
        score = _paragraph_score(el)
        if score < 25 or _in_chrome(el):
            continue
        parent = el.parent if el.name == "p" or el.name in _INLINE_TAGS else el
        for node, share in ((parent, 1.0), (parent.parent if parent else None, 0.5)):
            if isinstance(node, Tag) and node.name not in ("[document]", "html"):
                scores[id(node)] = scores.get(id(node), 0) + score * share
                nodes[id(node)] = node
    if not scores:
        return None

    def weight(node_id: int) -> float:
        node = nodes[node_id]
        bonus = 1.5 if _tokens(node) & _BODY_TOKENS or node.name == "article" else 1.0
        return scores[node_id] * (2.0 if node.get("itemprop") == "articleBody" else bonus)

    return nodes[max(scores, key=weight)]


class _HtmlBody:
    """Converts the article container to blocks, dropping chrome into the report."""

    def __init__(self, base: str, used: dict[int, Tag], report: ImportReport) -> None:
        self.base, self.used, self.report = base, used, report
        self.blocks: list[_Block] = []
        self._md: list[str] = []
        self._plain: list[str] = []
        self._hint = False
        self._pending: list[_Block] = []

    def flush(self) -> None:
        md = _SPACE.sub(" ", "".join(self._md)).strip()
        plain = _clean("".join(self._plain))
        if plain:
            italic = bool(re.fullmatch(r"\*[^*].*[^*]\*", md))
            self.blocks.append(_Block("p", md, plain, hint=self._hint or italic))
        self.blocks += self._pending
        self._md, self._plain, self._pending, self._hint = [], [], [], False

    def drop(self, el: Tag, reason: str) -> None:
        text = _text(el) or (str(el.get("src") or "") if el.name in ("iframe", "img") else "")
        self.report.drop(text, reason)

    def block(self, el: Tag) -> None:
        for child in el.children:
            if type(child) is NavigableString:
                self._add_text(str(child))
            elif isinstance(child, Tag):
                self._block_child(child)

    def _left_out(self, el: Tag, in_block: bool) -> bool:
        """Silent tags and elements already used are skipped; site chrome is dropped and listed."""
        if el.name in _SILENT_TAGS or id(el) in self.used:
            return True
        reason = _chrome_reason(el)
        if reason:
            if in_block:
                self.flush()  # what came before the chrome is a paragraph of its own
            self.drop(el, reason)
        return bool(reason)

    def _block_child(self, el: Tag) -> None:
        name = el.name
        if self._left_out(el, in_block=True):
            return
        if name in _INLINE_TAGS and name != "br" and (name == "img" or not el.find(_BLOCK_TAGS)):
            if name == "img":
                self.flush()
                self._image(el)
                self.flush()
            else:
                self._inline(el)
            return
        self.flush()
        if name in ("h1", "h2", "h3", "h4", "h5", "h6"):
            md, plain = self._capture(el)
            level = {"h1": 2, "h2": 2, "h3": 3}.get(name, 4)
            if plain:
                self.blocks.append(_Block("h", "#" * level + " " + md, plain))
        elif name in ("ul", "ol"):
            self._list(el)
        elif name == "figure":
            self._figure(el)
        elif name == "table":
            self._table(el)
        elif name == "blockquote":
            md, plain = self._capture(el)
            if plain:
                self.blocks.append(_Block("quote", "> " + md, plain))
        elif name != "br" and name != "hr":
            self._hint = bool(_tokens(el) & _CAPTION_TOKENS) or "center" in str(el.get("style") or "") \
                or el.get("align") == "center"
            self.block(el)
            self.flush()

    def _add_text(self, text: str) -> None:
        text = _CONTROL.sub("", text)
        self._md.append(_escape(text))
        self._plain.append(text)

    def _capture(self, el: Tag, skip: tuple[str, ...] = ()) -> tuple[str, str]:
        """Inline Markdown and plain text of ``el``'s children, without touching the current paragraph."""
        saved = self._md, self._plain
        self._md, self._plain = [], []
        for child in el.children:
            if type(child) is NavigableString:
                self._add_text(str(child))
            elif isinstance(child, Tag) and child.name not in skip:
                self._inline(child)
        md, plain = _SPACE.sub(" ", "".join(self._md)).strip(), _clean("".join(self._plain))
        self._md, self._plain = saved
        return md, plain

    def _inline(self, el: Tag) -> None:
        name = el.name
        if self._left_out(el, in_block=False):
            return
        if name == "img":
            image = self._image_block(el)
            if image:
                self._pending.append(image)
            return
        if name == "br":
            self._add_text(" ")
            return
        md, plain = self._capture(el)
        if not plain:
            return
        lead, trail = (" " if md[:1].isspace() else ""), (" " if md[-1:].isspace() else "")
        inner = md.strip()
        if name in ("b", "strong"):
            inner = f"**{inner}**"
        elif name in ("i", "em"):
            inner = f"*{inner}*"
        elif name == "a":
            href = self._resolve(str(el.get("href") or ""))
            if href.startswith(("http://", "https://")):
                inner = f"[{inner}]({_url(href)})"
        self._md.append(f" {lead}{inner}{trail} " if name in _BLOCK_TAGS else f"{lead}{inner}{trail}")
        self._plain.append(f" {plain} ")

    def _resolve(self, src: str) -> str:
        src = src.strip()
        if not src or src.startswith(("#", "javascript:", "mailto:", "data:")):
            return ""
        return urljoin(self.base, src) if self.base else src

    def _image_block(self, el: Tag) -> _Block | None:
        src = ""
        for attr in ("data-src", "data-original", "data-lazy-src", "src"):
            value = str(el.get(attr) or "").strip()
            placeholder = value.startswith("data:") or re.search(r"blank|loading|spacer|lazy", value, re.IGNORECASE)
            if value and not placeholder:
                src = value
                break
        alt = _clean(str(el.get("alt") or el.get("title") or ""))
        if not src:
            self.report.drop(alt, "ảnh không có địa chỉ")
            return None
        if re.search(r"captcha|icon|logo", src + " " + alt, re.IGNORECASE):
            self.report.drop(alt or src, "biểu tượng, ảnh mã xác nhận")
            return None
        if re.search(r"\.(jpe?g|png|gif|webp)$", alt, re.IGNORECASE):
            alt = ""
        return _Block("img", "", alt, src=self._resolve(src))

    def _image(self, el: Tag, caption: str = "") -> None:
        image = self._image_block(el)
        if image:
            image.text = caption or image.text
            image.hint = bool(caption)
            self.blocks.append(image)

    def _figure(self, el: Tag) -> None:
        caption_el = el.find("figcaption")
        caption = _text(caption_el) if caption_el else ""
        start = len(self.blocks)
        for child in el.children:
            if isinstance(child, Tag) and child is not caption_el:
                self._block_child(child)
        self.flush()
        images = [b for b in self.blocks[start:] if b.kind == "img"]
        if images and caption:
            images[-1].text, images[-1].hint = caption, True
        elif caption:
            self.blocks.append(_Block("caption", "", caption))

    def _table(self, el: Tag) -> None:
        rows = [r for r in el.find_all("tr") if r.find_parent("table") is el]
        cells = [[c for c in r.find_all(["td", "th"]) if c.find_parent("tr") is r] for r in rows]
        images = el.find_all("img")
        if images and len(rows) <= 4:
            texts = [c for row in cells for c in row if not c.find("img") and _text(c)]
            caption = " ".join(_text(c) for c in texts)
            for i, img in enumerate(images):
                self._image(img, caption if i == len(images) - 1 else "")
            return
        layout = (el.find("table") or len(rows) < 2 or max((len(r) for r in cells), default=0) < 2
                  or any(c.find(["p", "div", "ul", "ol", "h2", "h3"]) or len(_text(c)) > 300
                         for row in cells for c in row))
        if layout:
            for row in cells:
                for cell in row:
                    self._block_child(cell)
            return
        # The portal's Markdown has no table extension: one list item per row, "header: cell".
        header = [self._capture(c) for c in cells[0]]
        lines, plain = [], [p for _, p in header]
        for row in cells[1:]:
            parts = [self._capture(c) for c in row]
            lines.append("- " + "; ".join(f"{h}: {md}" if h else md
                                          for (h, _), (md, _) in zip(header, parts, strict=False) if md))
            plain += [p for _, p in parts]
        self.blocks.append(_Block("table", "\n".join(lines), " ".join(plain)))
        self.report.warnings.append(f"một bảng {len(cells)} hàng được viết thành danh sách (mỗi hàng một dòng): "
                                    "kiểm tra lại")

    def _list(self, el: Tag, depth: int = 0) -> None:
        lines, plain = self._list_lines(el, depth)
        if lines:
            self.blocks.append(_Block("list", "\n".join(lines), " ".join(plain)))

    def _list_lines(self, el: Tag, depth: int) -> tuple[list[str], list[str]]:
        lines: list[str] = []
        plain: list[str] = []
        n = 0
        for item in el.children:
            if not isinstance(item, Tag) or item.name in _SILENT_TAGS:
                continue
            reason = _chrome_reason(item)
            if reason:
                self.drop(item, reason)
                continue
            md, text = self._capture(item, skip=("ul", "ol"))
            if text:
                n += 1
                marker = f"{n}." if el.name == "ol" else "-"
                lines.append("    " * depth + f"{marker} {md}")
                plain.append(text)
            for sub in item.find_all(["ul", "ol"], recursive=False):
                sub_lines, sub_plain = self._list_lines(sub, depth + 1)
                lines += sub_lines
                plain += sub_plain
        return lines, plain


def _strip_site(title: str, site: str) -> tuple[str, str]:
    """("Tiêu đề", "Tên trang") from "Tiêu đề | Tên trang" or "Tiêu đề - Báo X"."""
    removed = ""
    if site and title.lower().endswith(site.lower()) and len(title) > len(site) + 3:
        title, removed = title[:-len(site)].rstrip(" |-–—:»"), site
    parts = [p.strip() for p in re.split(r"\s+[|»]\s+", title) if p.strip()]
    if len(parts) > 1:
        best = max(parts, key=len)
        removed = removed or " | ".join(p for p in parts if p is not best)
        title = best
    tail = re.match(r"(.+?)\s+[-–—]\s+([^-–—]+)$", title)
    if tail and _is_outlet(tail.group(2)):
        title, removed = tail.group(1), removed or tail.group(2)
    return title, removed


def _extract_html(text: str, report: ImportReport, vocab: Vocabulary) -> tuple[list[_Block], tuple[str, str]]:
    """Blocks of the article, and the site's name as the outlet of last resort (with its origin)."""
    soup = BeautifulSoup(text, "html.parser")
    container = _find_container(soup)
    name = report.source_file.name
    if container is None:
        raise ImportError_(f"{name}: không tìm thấy đoạn văn nào của bài viết (trang trống, trang chủ hay trang "
                           "chuyên mục?)")
    _refuse_listing(container, name)
    used: dict[int, Tag] = {}  # elements read as title, date, sapo, byline: not body, not dropped
    used_texts: set[str] = set()
    ld = _json_ld(soup)
    canonical = soup.find("link", attrs={"rel": re.compile("canonical", re.IGNORECASE)})
    url = _meta(soup, "og:url")[0] or (str(canonical.get("href") or "") if canonical else "")
    if re.fullmatch(r"https?://[^\s<>\"']+", url):
        report.source_url = url
    base_tag = soup.find("base", href=True)
    base = str(base_tag["href"]) if base_tag else report.source_url
    publisher = ld.get("publisher")
    site = _meta(soup, "og:site_name", "application-name")[0] or _clean(
        str(publisher.get("name") or "") if isinstance(publisher, dict) else "") or (
        _strip_site(_text(soup.title), "")[1] if soup.title else "")
    title_el = _html_title(soup, container, report, used, used_texts, site, ld)
    _html_date(soup, report, used, used_texts, ld, title_el)
    _html_sapo(soup, container, report, used, used_texts)
    byline_source = _html_byline(soup, report, used, used_texts, vocab, ld)
    converter = _HtmlBody(base, used, report)
    converter.block(container)
    converter.flush()
    _report_outside(container, used, used_texts, report)
    blocks = converter.blocks
    if sum(len(b.text) for b in blocks if b.kind in ("p", "h", "list", "quote")) < 200:
        raise ImportError_(f"{name}: khung bài viết chỉ có "
                           f"{sum(len(b.text) for b in blocks)} ký tự, không phải một bài viết")
    if byline_source:
        report.source, report.source_from = byline_source, "dòng tác giả"
    if site:
        return blocks, (site, "tên trang (og:site_name hoặc <title>)")
    if report.source_url:
        return blocks, (urlparse(report.source_url).netloc, "tên miền của địa chỉ gốc")
    return blocks, ("", "")


def _refuse_listing(container: Tag, name: str) -> None:
    """A list of headlines (category or home page) is not an article."""
    linked = [h for h in container.find_all(["h2", "h3", "h4"]) if h.find("a") and len(_text(h.find("a"))) * 2 >
              len(_text(h))]
    total = len(_text(container)) or 1
    links = sum(len(_text(a)) for a in container.find_all("a"))
    if len(linked) >= 3 or links / total > 0.5:
        raise ImportError_(f"{name}: đây là trang danh sách tin ({len(linked)} tiêu đề có liên kết), không phải "
                           "một bài viết; hãy mở bài và lưu trang của bài")


def _html_title(soup: BeautifulSoup, container: Tag, report: ImportReport, used: dict[int, Tag], used_texts: set[str],
                site: str, ld: dict) -> Tag | None:
    """Headline from h1, og:title, JSON-LD or <title>; returns the headline's element when it has one."""
    og, og_key = _meta(soup, "og:title", "twitter:title")
    h1s = [h for h in soup.find_all("h1") if _text(h) and not _in_chrome(h)]
    for h1 in h1s:
        if og and (fold(_text(h1)) in fold(og) or fold(og) in fold(_text(h1))):
            report.title, report.title_from = _text(h1), "thẻ h1 (trùng og:title)"
            used[id(h1)] = h1
            used_texts.add(report.title)
            return h1
    inside = [h for h in h1s if container in h.parents or h in container.descendants]
    pick = inside[0] if inside else next((h for h in h1s if _words(_text(h)) >= 4), None)
    if pick is not None:
        report.title, report.title_from = _text(pick), "thẻ h1"
        used[id(pick)] = pick
        used_texts.add(report.title)
        return pick
    if og:
        report.title, report.title_from = _strip_site(og, site)[0], og_key
    elif ld.get("headline"):
        report.title, report.title_from = _clean(str(ld["headline"])), "JSON-LD headline"
    elif soup.title and _text(soup.title):
        title, removed = _strip_site(_text(soup.title), site)
        report.title = title
        report.title_from = "thẻ <title>" + (f" (bỏ tên trang ‘{removed}’)" if removed else "")
    if report.title:
        used_texts.add(report.title)
    return None


def _html_date(soup: BeautifulSoup, report: ImportReport, used: dict[int, Tag], used_texts: set[str], ld: dict,
               title_el: Tag | None) -> None:
    value, key = _meta(soup, "article:published_time", "datePublished", "pubdate", "publishdate", "publish-date",
                       "dc.date.issued", "dc.date", "date")
    if not value and ld.get("datePublished"):
        value, key = str(ld["datePublished"]), "JSON-LD datePublished"
    hit = find_date(value) if value else None
    if hit:
        report.date, report.date_from = hit.value, f"siêu dữ liệu {key} ‘{value}’"
    visible = _visible_date(soup, report.title, title_el)
    if visible is None:
        return
    el, line, seen = visible
    if report.date is None:
        report.date, report.date_from = seen.value, ("thẻ <time datetime>" if el is not None and el.name == "time"
                                                     and el.get("datetime") else f"dòng ‘{line}’")
        if seen.note:
            report.date_from += f", {seen.note}"
    elif _format_date(report.date)[:10] == _format_date(seen.value)[:10]:
        report.date_from += f", trùng dòng ‘{line}’ trên trang"
    else:
        return
    if el is not None:
        used[id(el)] = el
    used_texts.add(line)


def _visible_date(soup: BeautifulSoup, title: str, title_el: Tag | None) -> tuple[Tag | None, str, DateHit] | None:
    """The date shown with the article: <time>, itemprop, a date-like class, or a date line after the title.

    A date before the headline is the site's clock, so elements after the headline come first.
    """
    found: list[tuple[bool, int, Tag, str, DateHit]] = []
    after = title_el is None
    for n, el in enumerate(soup.find_all(True)):
        if el is title_el:
            after = True
        hit = None
        if el.name == "time":
            hit = find_date(str(el.get("datetime") or "")) or find_date(_text(el))
        elif el.get("itemprop") == "datePublished" or any(t in _joined(el) for t in _DATE_TOKENS):
            dated = _date_line(_text(el))
            hit = dated[0] if dated else None
        if hit and not _in_chrome(el, allow=_TOOLS):
            found.append((not after, n, el, _text(el), hit))
    if found:
        _, _, el, line, hit = min(found, key=lambda f: f[:2])
        return el, line, hit
    lines = [_clean(s) for s in soup.get_text("\n").split("\n")]
    lines = [s for s in lines if s]
    start = next((i for i, s in enumerate(lines) if title and s == title), 0)
    for line in lines[start:start + 15]:
        dated = _date_line(line)
        if dated:
            return None, line, dated[0]
    return None


def _html_sapo(soup: BeautifulSoup, container: Tag, report: ImportReport, used: dict[int, Tag],
               used_texts: set[str]) -> None:
    for el in soup.find_all(["p", "h2", "div", "span", "strong", "section"]):
        if _tokens(el) & _SAPO_TOKENS and len(_text(el)) >= 30 and not _in_chrome(el) and \
                not (container in el.descendants and len(_text(el)) > len(_text(container)) / 2):
            report.summary = _text(el)
            used[id(el)] = el
            used_texts.add(report.summary)
            return


def _html_byline(soup: BeautifulSoup, report: ImportReport, used: dict[int, Tag], used_texts: set[str],
                 vocab: Vocabulary, ld: dict) -> str:
    """Authors from a byline element (or meta author, JSON-LD); returns the outlet it names, if any."""
    for el in soup.find_all(True):
        if el.name in _SILENT_TAGS or not (_tokens(el) & _AUTHOR_TOKENS or el.get("itemprop") == "author"
                                           or el.get("rel") == ["author"]):
            continue
        line = _text(el)
        parsed = parse_byline(line, vocab) if line and not _in_chrome(el) else None
        if parsed:
            report.author, report.author_from = parsed[0], f"dòng tác giả ‘{line}’"
            used[id(el)] = el
            used_texts.add(line)
            return parsed[1]
    candidates = [(_meta(soup, "author", "article:author", "dc.creator")[0], "siêu dữ liệu author")]
    author = ld.get("author")
    names = author if isinstance(author, list) else [author]
    candidates += [(_clean(str(a.get("name") if isinstance(a, dict) else a or "")), "JSON-LD author") for a in names]
    for value, origin in candidates:
        parsed = parse_byline(value, vocab) if value else None
        if parsed and parsed[0]:
            report.author, report.author_from = parsed[0], origin
            return parsed[1]
    return ""


def _report_outside(container: Tag, used: dict[int, Tag], used_texts: set[str], report: ImportReport) -> None:
    """Every text outside the article container goes to the report, with a reason."""
    holders = {id(p) for el in used.values() for p in el.parents}
    node: Tag = container
    while isinstance(node.parent, Tag):
        for sibling in node.parent.children:
            if sibling is not node:
                _report_block(sibling, used, holders, used_texts, report)
        node = node.parent


def _report_block(el: object, used: dict[int, Tag], holders: set[int], used_texts: set[str],
                  report: ImportReport) -> None:
    if type(el) is NavigableString:
        text = _clean(str(el))
        if text and text not in used_texts:
            report.drop(text, "ngoài khung bài viết")
        return
    if not isinstance(el, Tag) or el.name in _SILENT_TAGS or id(el) in used:
        return
    if id(el) in holders:
        for child in el.children:
            _report_block(child, used, holders, used_texts, report)
        return
    text = _text(el)
    if not text or text in used_texts:
        return
    chrome = _chrome_text(text)
    wrapper = el  # a bare <tr> or <div> around one classed element: the element says what it is
    while not _chrome_reason(wrapper) and len(wrapper.find_all(True, recursive=False)) == 1:
        wrapper = wrapper.find(True, recursive=False)
    reason = _chrome_reason(wrapper) or (chrome[0] if chrome else "") or (
        "ngày giờ trên trang" if _date_line(text) else "ngoài khung bài viết")
    report.drop(text, reason)


# ---------------------------------------------------------------- common to text and HTML

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


def _captions(blocks: list[_Block]) -> None:
    """Turn caption lines into italic captions; give an image the caption that follows it."""
    for i, block in enumerate(blocks):
        if block.kind == "p" and _CAPTION_RE.search(block.text) and _words(block.text) <= 60:
            block.kind = "caption"
        if block.kind == "img" and not block.hint and i + 1 < len(blocks):
            nxt = blocks[i + 1]
            if nxt.kind in ("p", "caption") and (nxt.hint or _CAPTION_RE.search(nxt.text)) and _words(nxt.text) <= 60:
                block.text, block.hint = nxt.text, True
                nxt.kind = "used"
    blocks[:] = [b for b in blocks if b.kind != "used"]


# ---------------------------------------------------------------- the draft

def _slug(title: str, taken: set[str]) -> str:
    """Slug from the title: at most 70 characters, cut at a word, unique among existing articles."""
    slug = slugify(title) or "tin-nhap"
    if len(slug) > SLUG_MAX:
        slug = slug[:SLUG_MAX + 1].rsplit("-", 1)[0] if "-" in slug[:SLUG_MAX + 1] else slug[:SLUG_MAX]
    candidate, n = slug, 1
    while candidate in taken:
        n += 1
        candidate = f"{slug}-{n}"
    return candidate


def _q(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def suggest_event(title: str) -> tuple[str, str]:
    """The event a headline announces ("… tổng kết năm 2018" → tong-ket) and why; ("", "") if none.

    Only the headline counts: bodies mention launches and reviews in passing.
    The words met first win ("tổng kết năm 2016, ký giao ước năm 2017" is a review).
    """
    folded = fold(title)
    hits = [(m.start(), code, words) for words, code in EVENT_WORDS
            for m in [re.search(rf"\b{re.escape(fold(words))}\b", folded)] if m]
    if not hits:
        return "", ""
    _, code, words = min(hits)
    return code, f"tiêu đề có ‘{words}’"


def render_draft(report: ImportReport, today: date) -> str:
    """The draft file: commented front matter in the content model, then the Markdown body."""
    name = _clean(report.source_file.name)
    lines = ["---",
             f"# Bản nháp nhập tự động từ tệp {_q(name)} ngày {today.isoformat()} (invoke import).",
             "# Biên tập viên cần đọc lại tiêu đề, ngày, tác giả, nguồn, nội dung và các gợi ý bên dưới",
             "# trước khi bỏ dòng 'status: draft'.",
             f"title: {_q(report.title)}"]
    if report.date:
        lines.append(f"date: {_format_date(report.date)}  # từ {_clean(report.date_from)}")
    else:
        lines += ["# CẦN SỬA: không tìm thấy ngày đăng trong tệp; ngày dưới đây là ngày nhập, chỉ để giữ chỗ.",
                  f"date: {today.isoformat()}"]
    lines.append("status: draft")
    if report.summary:
        lines.append(f"summary: {_q(report.summary)}")
    if report.author:
        value = report.author[0] if len(report.author) == 1 else report.author
        lines.append(f"author: {json.dumps(value, ensure_ascii=False)}")
    if report.source:
        lines.append(f"source: {_q(report.source)}")
    if report.source_url:
        lines.append(f"source_url: {_q(report.source_url)}")
    if any(s.kind in FRONT_MATTER_KINDS for s in report.suggestions):
        lines.append("# Gợi ý tự động theo tên và tên khác của bản ghi trong bài (xoá mục không đúng):")
    if report.event:
        lines.append(f"event: {report.event}  # gợi ý: {_clean(report.event_from)}; xoá nếu bài không tường thuật sự kiện")
    for kind in FRONT_MATTER_KINDS:
        items = [s for s in report.suggestions if s.kind == kind]
        if items:
            lines.append(f"{kind}:")
            lines += [f"  - {s.slug}  # {_clean(s.reason)}" for s in items]
    for s in report.suggestions:
        if s.kind == "awards":
            lines.append(f"# Gợi ý khen thưởng: {s.slug} ({_clean(s.reason)})")
    if any(s.kind == "awards" for s in report.suggestions):
        lines.append("#   (chưa ghi vào honours vì không biết người/tập thể nhận: thêm honours nếu đúng)")
    if report.dropped:
        lines.append(f"# Đã bỏ khi nhập ({len(report.dropped)} khối, không phải nội dung bài):")
        lines += [f"#   ‘{d.excerpt}’: {d.reason}" for d in report.dropped]
    lines.append("---")
    return "\n".join(lines) + "\n" + report.body + "\n"


def _check(report: ImportReport) -> None:
    """The draft must validate like any article; a failure here is a bug, never a silent bad file."""
    fm, problem = frontmatter.parse(report.draft, str(report.path))
    problems = [problem] if problem else coerce(KINDS["articles"], fm)[1]
    if problems:
        raise ImportError_(f"{report.source_file.name}: bản nháp tạo ra không hợp lệ: "
                           + "; ".join(str(p) for p in problems))


def import_file(path: Path, vocab: Vocabulary, out_dir: Path, *, taken: set[str] | None = None,
                dry_run: bool = False, today: date | None = None) -> ImportReport:
    """Import one file; raise ImportError_ (and write nothing) when it cannot become a draft."""
    today = today or datetime.now(VN_TZ).date()
    taken = taken if taken is not None else {p.stem for p in out_dir.rglob("*.md")} if out_dir.is_dir() else set()
    report = ImportReport(source_file=path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ImportError_(f"{path.name}: không đọc được tệp ({exc.strerror or exc})") from exc
    text, report.encoding = decode(raw, path.name)
    is_html = re.search(r"<(!doctype\s+html|html|head|body|div|p|article|h1|table|meta)\b", text[:5000],
                        re.IGNORECASE)
    blocks, site = _extract_html(text, report, vocab) if is_html else (_extract_text(text, report), ("", ""))
    blocks = _tidy(blocks, report, vocab)
    if not report.source and site[0]:
        report.source, report.source_from = site
    if sum(_words(b.text) for b in blocks if b.kind != "img") < 20:
        raise ImportError_(f"{path.name}: không có nội dung bài viết (chỉ còn "
                           f"{sum(_words(b.text) for b in blocks)} chữ sau khi bỏ phần khung trang)")
    if not report.title:
        _fallback_title(blocks, report)
    if report.date is None:
        partial = next((m.group(0) for b in blocks[:4] for m in [_PARTIAL_DATE.search(b.text)] if m), "")
        report.warnings.append("không tìm thấy ngày đăng" + (f" (chỉ có ‘{partial}’, không rõ năm)" if partial else "")
                               + f": ghi tạm ngày nhập {today.isoformat()}, cần sửa")
    if not report.author:
        report.warnings.append("không tìm thấy tác giả")
    if not report.source:
        report.warnings.append("không rõ nguồn (tên báo, cơ quan đăng tin)")
    if not vocab.size:
        report.warnings.append("thư mục content không có bản ghi nào (phong trào, cụm, tỉnh...): không có gợi ý")
    report.images = [(b.src, b.text) for b in blocks if b.kind == "img"]
    for src, _ in report.images:
        if not src.startswith(("http://", "https://")):
            report.warnings.append(f"ảnh dùng đường dẫn tương đối ‘{src}’: tải ảnh về content/images rồi sửa")
    report.body = "\n\n".join(b.render() for b in blocks)
    parts = [("tiêu đề", report.title)] + ([("sapo", report.summary)] if report.summary else [])
    parts += [(f"đoạn {n}", b.text) for n, b in enumerate((b for b in blocks if b.text), start=1)]
    report.suggestions, report.notes = vocab.suggest(parts)
    report.event, report.event_from = suggest_event(report.title)
    year = report.date.year if report.date else today.year
    slug = _slug(report.title, taken)
    report.path = out_dir / str(year) / f"{slug}.md"
    report.draft = render_draft(report, today)
    _check(report)
    if not dry_run:
        report.path.parent.mkdir(parents=True, exist_ok=True)
        with report.path.open("x", encoding="utf-8") as out:  # "x": never overwrite a file
            out.write(report.draft)
        report.written = True
    taken.add(slug)
    return report


def import_files(paths: Iterable[Path], content_dir: Path, out_dir: Path | None = None,
                 dry_run: bool = False) -> list[ImportReport]:
    """Import every file; a file that fails gets a report with ``error`` set and the others go on."""
    vocab = Vocabulary.from_content(Path(content_dir))
    out = Path(out_dir) if out_dir is not None else Path(content_dir) / "articles"
    taken = {p.stem for p in out.rglob("*.md")} if out.is_dir() else set()
    reports = []
    for path in paths:
        try:
            reports.append(import_file(Path(path), vocab, out, taken=taken, dry_run=dry_run))
        except ImportError_ as exc:
            reports.append(ImportReport(source_file=Path(path), error=str(exc)))
    return reports
