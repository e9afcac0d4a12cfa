"""The draft article: one file through every step, then the file written for the editor.

``import_file`` decodes a file, reads it as HTML or text, tidies the blocks,
writes an ALL-CAPS headline in sentence case when it safely can, places the
page's photos, suggests records and an event, renders the draft (front matter
in the content model, with comments for the editor) and checks that it
validates before copying the photos and writing it; ``import_files`` does so
for many files and turns each failure into a report.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import date, datetime
from functools import cache
from pathlib import Path

from ... import frontmatter
from ...records import MarkdownRenderer
from ...schema import KINDS, coerce
from ...vietnamese import fold, slugify
from .casing import is_all_caps, sentence_case
from .common import FRONT_MATTER_KINDS, _Block, _clean, _format_date, _words
from .dates import VN_TZ
from .decoding import decode
from .html import _extract_html
from .photos import copy_photos, place_photos
from .report import ImportFailed, ImportReport
from .text import _extract_text, _fallback_title
from .tidy import _tidy
from .vocabulary import Vocabulary

SLUG_MAX = 70

# Words in a headline that announce a campaign's or cluster's event (the article field `event`).
EVENT_WORDS = (("phát động", "phat-dong"), ("sơ kết", "so-ket"), ("tổng kết", "tong-ket"),
               ("giao ước", "giao-uoc"), ("tôn vinh", "ton-vinh"), ("tuyên dương", "ton-vinh"),
               ("đại hội thi đua", "ton-vinh"))

_PARTIAL_DATE = re.compile(r"\b[Nn]gày\s+\d{1,2}/\d{1,2}\b(?!/\d)")


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
    lines += _lead_lines(report)
    if any(s.kind in FRONT_MATTER_KINDS and not s.unsure for s in report.suggestions):
        lines.append("# Gợi ý tự động theo tên và tên khác của bản ghi trong bài (xoá mục không đúng):")
    if report.event:
        lines.append(f"event: {report.event}  # gợi ý: {_clean(report.event_from)}; xoá nếu bài không tường thuật sự kiện")
    for kind in FRONT_MATTER_KINDS:
        items = [s for s in report.suggestions if s.kind == kind and not s.unsure]
        if items:
            lines.append(f"{kind}:")
            lines += [f"  - {s.slug}  # {_clean(s.reason)}" for s in items]
    unsure = [s for s in report.suggestions if s.unsure]
    if unsure:
        lines.append("# Gợi ý KHÔNG CHẮC (trùng tên), chưa ghi vào danh sách; thêm vào nếu đúng người:")
        lines += [f"#   {s.kind}: {s.slug}  ({_clean(s.reason)}; {_clean(s.unsure)})" for s in unsure]
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


def _lead_lines(report: ImportReport) -> list[str]:
    """The lead photo's fields; a missing alt text or credit is left out under a CẦN SỬA comment, so the
    build's error points at the ``image`` line until the editor writes it."""
    lead = report.lead
    if lead is None:
        return []
    lines = []
    if not lead.alt:
        lines.append("# CẦN SỬA: trang không có mô tả cho ảnh đầu bài: thêm dòng image_alt: \"…\" (tả những gì thấy "
                     "trong ảnh, cho người không xem được ảnh)")
    if not lead.credit:
        lines.append("# CẦN SỬA: không tìm thấy tác giả ảnh đầu bài (“Ảnh: …”): thêm dòng image_credit: \"…\" "
                     "(hoặc \"Ảnh minh họa\")")
    lines.append(f"image: {_q(lead.path)}  # ảnh đầu bài, chép từ ‘{_clean(lead.found)}’")
    if lead.alt:
        lines.append(f"image_alt: {_q(lead.alt)}" + ("  # lấy từ chú thích (ảnh không có mô tả): nên viết lại ngắn "
                                                      "gọn" if lead.alt_from == "chú thích" else ""))
    if lead.caption:
        lines.append(f"image_caption: {_q(lead.caption)}")
    if lead.credit:
        lines.append(f"image_credit: {_q(lead.credit)}")
    return lines


def _headline_case(report: ImportReport, blocks: list[_Block]) -> None:
    """An ALL-CAPS headline in sentence case, spelt as the article spells its words; kept when unsure."""
    if not is_all_caps(report.title):
        return
    evidence = [report.summary]
    for block in blocks:
        if block.kind == "list":
            evidence += [re.sub(r"^\s*(-|\d+\\?[.)])\s+|[*\\]", "", line) for line in block.md.split("\n")]
        elif block.kind != "img" or block.hint:
            evidence.append(block.text)
    title, doubt = sentence_case(report.title, evidence)
    if doubt:
        report.warnings.append(f"tiêu đề viết hoa toàn bộ; giữ nguyên vì bài không cho biết cách viết của ‘{doubt}’ "
                               "(tên riêng hay không): hãy tự chuyển sang chữ thường")
        return
    report.warnings.append(f"tiêu đề gốc viết hoa toàn bộ ‘{report.title}’: đã chuyển sang chữ thường theo cách viết "
                           "các từ ấy trong bài, hãy kiểm tra")
    report.title, report.title_from = title, f"{report.title_from}, chuyển từ CHỮ HOA"


@cache
def _renderer() -> MarkdownRenderer:
    return MarkdownRenderer()


def _check(report: ImportReport) -> None:
    """The draft must validate like any article, and its body render in bounded time, as the build will
    require; a failure here names the problem, never leaves a silent bad file.

    The only exception is the lead photo's alt text or credit, which the page did not give: the
    draft says CẦN SỬA there, and the build's error points at it until the editor writes them.
    """
    fm, problem = frontmatter.parse(report.draft, str(report.path))
    problems = [problem] if problem else coerce(KINDS["articles"], fm)[1]
    refused = _renderer().render(fm.body, str(report.path), fm.body_line)[1] if fm is not None else None
    problems += [refused] if refused else []
    lead = report.lead
    editor = {name for name, missing in (("image_alt", lead and not lead.alt), ("image_credit", lead and not lead.credit))
              if missing}
    problems = [p for p in problems if p is problem or p.field not in editor]
    if problems:
        raise ImportFailed(f"{report.source_file.name}: bản nháp tạo ra không hợp lệ: "
                           + "; ".join(str(p) for p in problems))


def import_file(path: Path, vocab: Vocabulary, out_dir: Path, *, taken: set[str] | None = None,
                dry_run: bool = False, today: date | None = None, content_dir: Path | None = None) -> ImportReport:
    """Import one file; raise ImportFailed (and write nothing) when it cannot become a draft.

    Photos go to ``content_dir``/images/<year>/ (by default the folder above ``out_dir``,
    content/ for content/articles).
    """
    today = today or datetime.now(VN_TZ).date()
    taken = taken if taken is not None else {p.stem for p in out_dir.rglob("*.md")} if out_dir.is_dir() else set()
    report = ImportReport(source_file=path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ImportFailed(f"{path.name}: không đọc được tệp ({exc.strerror or exc})") from exc
    text, report.encoding = decode(raw, path.name)
    is_html = re.search(r"<(!doctype\s+html|html|head|body|div|p|article|h1|table|meta)\b", text[:5000],
                        re.IGNORECASE)
    blocks, site = _extract_html(text, report, vocab) if is_html else (_extract_text(text, report), ("", ""))
    blocks = _tidy(blocks, report, vocab)
    if not report.source and site[0]:
        report.source, report.source_from = site
    if sum(_words(b.text) for b in blocks if b.kind != "img") < 20:
        raise ImportFailed(f"{path.name}: không có nội dung bài viết (chỉ còn "
                           f"{sum(_words(b.text) for b in blocks)} chữ sau khi bỏ phần khung trang)")
    if not report.title:
        _fallback_title(blocks, report)
    _headline_case(report, blocks)
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
    parts = [("tiêu đề", report.title)] + ([("sapo", report.summary)] if report.summary else [])
    parts += [(f"đoạn {n}", b.text) for n, b in enumerate((b for b in blocks if b.text), start=1)]
    year = report.date.year if report.date else today.year
    slug = _slug(report.title, taken)
    report.path = out_dir / str(year) / f"{slug}.md"
    content = Path(content_dir) if content_dir is not None else out_dir.parent
    plans = place_photos(blocks, report, path, content, year, slug)
    report.body = "\n\n".join(b.render() for b in blocks if b.kind != "lead")
    report.suggestions, report.notes = vocab.suggest(parts)
    report.event, report.event_from = suggest_event(report.title)
    report.draft = render_draft(report, today)
    _check(report)
    if not dry_run:
        copied = copy_photos(plans, content, path.name)
        try:
            report.path.parent.mkdir(parents=True, exist_ok=True)
            with report.path.open("x", encoding="utf-8") as out:  # "x": never overwrite a file
                out.write(report.draft)
        except BaseException:
            for photo in copied:
                photo.unlink(missing_ok=True)
            raise
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
            reports.append(import_file(Path(path), vocab, out, taken=taken, dry_run=dry_run,
                                       content_dir=Path(content_dir)))
        except ImportFailed as exc:
            reports.append(ImportReport(source_file=Path(path), error=str(exc)))
    return reports
