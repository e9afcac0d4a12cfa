"""What the importer tells the editor about one file, and the failure that replaces it.

``ImportReport`` collects everything found in a file (title, date, author,
source, photos, suggestions, the blocks it dropped and why) and formats the
report printed by ``invoke import``. ``ImportFailed`` is raised instead when a file
cannot become a draft. These are plain data, so every step can fill them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from .common import KIND_LABELS, _clean, _excerpt, _format_date


class ImportFailed(Exception):
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
    unsure: str = ""  # why the importer cannot tell (a namesake): then only a commented suggestion

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
class Photo:
    """One image of the article's body: copied into content/images, or refused with the reason."""

    original: str  # the address as written on the page
    path: str = ""  # inside content/: images/<year>/<slug>-<n>.<ext> (planned in a dry run)
    found: str = ""  # the file it comes from, relative to the saved page's folder
    alt: str = ""
    alt_from: str = ""  # "alt" | "chú thích" | "" (missing: the editor writes one)
    caption: str = ""
    credit: str = ""
    lead: bool = False  # the article's ``image``, not a photo in the body
    refused: str = ""  # why it was not copied
    note: str = ""

    def describe(self) -> str:
        alt = f"‘{_excerpt(self.alt, 60)}’" + (" (lấy từ chú thích, nên viết lại)" if self.alt_from == "chú thích"
                                                  else "") if self.alt else "THIẾU, biên tập viên cần viết (CẦN SỬA)"
        parts = [f"mô tả {alt}"]
        if self.caption:
            parts.append(f"chú thích ‘{_excerpt(self.caption, 60)}’")
        parts.append(f"tác giả ảnh ‘{self.credit}’" if self.credit else "tác giả ảnh THIẾU (CẦN SỬA)")
        return "; ".join(parts) + (f"; {self.note}" if self.note else "")


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
    images: list[tuple[str, str]] = field(default_factory=list)  # (address, caption) of every image in the body
    photos: list[Photo] = field(default_factory=list)  # what became of each image (lead first)
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

    @property
    def lead(self) -> Photo | None:
        return next((p for p in self.photos if p.lead and not p.refused), None)

    def slugs(self, kind: str) -> list[str]:
        """The suggestions the draft's front matter lists (not those the importer is unsure of)."""
        return [s.slug for s in self.suggestions if s.kind == kind and not s.unsure]

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
        copy = "đã chép" if self.written else "sẽ chép (chạy lại không có --dry-run)"
        for photo in self.photos:
            if photo.refused:
                lines.append(f"  Ảnh KHÔNG chép: ‘{_excerpt(photo.original, 80)}’ (lý do ở phần Cảnh báo; bản nháp "
                             "giữ địa chỉ ảnh trong một dòng CẦN SỬA)")
                continue
            label = "Ảnh đại diện (image)" if photo.lead else "Ảnh trong bài"
            lines.append(f"  {label}: {photo.found} → content/{photo.path} ({copy})")
            lines.append(f"      {photo.describe()}")
        lines.append(f"  Gợi ý ({len(self.suggestions)}):" if self.suggestions else "  Gợi ý: không có")
        for s in self.suggestions:
            extra = " (chỉ ghi chú, chưa thêm vào honours)" if s.kind == "awards" else ""
            if s.unsure:
                extra = f"; {s.unsure} (chỉ ghi chú trong bản nháp, chưa thêm vào {s.kind})"
            lines.append(f"    - {KIND_LABELS[s.kind]} {s.slug}: {s.reason}{extra}")
        for note in self.notes:
            lines.append(f"    · {note}")
        lines.append(f"  Đã bỏ ({len(self.dropped)}):" if self.dropped else "  Đã bỏ: không có")
        for d in self.dropped:
            lines.append(f"    - ‘{d.excerpt}’: {d.reason}")
        for warning in self.warnings:
            lines.append(f"  Cảnh báo: {warning}")
        return "\n".join(lines)
