"""The content model: every field of every content kind, declared once.

This is the editors' contract (docs/content-model.md) as code. The reader,
the record loader, the checker, the CMS, the open data, ``invoke new``, the
templates and the statistics all read these declarations: each field once,
with its type (fields.py) and, for a coded field, its (code, Vietnamese label)
choices in the order readers see them. :func:`coerce` turns what an editor
typed into typed values, or into :class:`Problem` values that say which field
is wrong and how to fix it. Cross-record checks (unknown slugs) live in
``validate.py``.
"""

from __future__ import annotations

from typing import Any

from .fields import (
    BOOL, CHOICE, CHOICES, DATE, DATETIME, DOCUMENT, FOCUS, IMAGE, INT, LONG_TEXT, NAMES, SLUG, SLUGS, TEXT, TEXTS, URL,
    Bad, Choices, Field, Kind, ListOf,
)
from .frontmatter import FrontMatter
from .problems import WARNING, Problem, did_you_mean
from .vietnamese import SLUG_RE

__all__ = ["KINDS", "RECORD_KINDS", "coerce", "field_at"]

# Coded values. The order is the order readers and editors see them in.
STATUSES: Choices = (("published", "Công khai"), ("draft", "Bản nháp"), ("hidden", "Ẩn, dựng nhưng không liệt kê"))
STAGES: Choices = (("conferred", "Đã tặng"), ("proposed", "Đề nghị"))
# Who an award may go to; an exemplar is one of the first three.
RECIPIENT_KINDS: Choices = (("person", "Cá nhân"), ("collective", "Tập thể"), ("locality", "Địa phương"),
                            ("household", "Hộ gia đình"))
# What an article may report as a step in a campaign's or a cluster's year (timeline.py).
EVENTS: Choices = (("phat-dong", "Phát động"), ("so-ket", "Sơ kết"), ("tong-ket", "Tổng kết"),
                   ("giao-uoc", "Ký kết giao ước thi đua"), ("ton-vinh", "Tôn vinh, khen thưởng"))
SCOPES: Choices = (("national", "Toàn quốc"), ("ministry", "Bộ, ngành, đoàn thể"), ("province", "Tỉnh, thành phố"),
                   ("local", "Cơ sở, địa phương"))
CAMPAIGN_KINDS: Choices = (("thuong-xuyen", "Thường xuyên"), ("chuyen-de", "Chuyên đề"), ("dac-biet", "Đặc biệt"))
# The forms of Luật Thi đua, khen thưởng 2022 and its titles, in the order award lists and statistics show them.
AWARD_CATEGORIES: Choices = (
    ("huan-chuong", "Huân chương"), ("danh-hieu-vinh-du", "Danh hiệu vinh dự Nhà nước"), ("giai-thuong", "Giải thưởng"),
    ("huy-chuong", "Huy chương"), ("danh-hieu-thi-dua", "Danh hiệu thi đua"), ("bang-khen", "Bằng khen"),
    ("ky-niem-chuong", "Kỷ niệm chương"), ("giay-khen", "Giấy khen"),
)
CLUSTER_KINDS: Choices = (("cum", "Cụm thi đua"), ("khoi", "Khối thi đua"))
PROVINCE_KINDS: Choices = (("tinh", "Tỉnh"), ("thanh-pho", "Thành phố"))  # also the prefix of a unit's full name

HONOUR_FIELDS = (
    Field("recipient", SLUG, True, ("exemplars",), label="người/tập thể nhận"),
    Field("award", SLUG, True, ("awards",), label="danh hiệu/hình thức"),
    Field("year", INT, label="năm thành tích"),
    Field("stage", CHOICE, choices=STAGES, label="giai đoạn", default="conferred"),
    Field("decision", TEXT, label="quyết định"),
    Field("campaign", SLUG, ref=("campaigns",), label="phong trào"),
    Field("decision_file", DOCUMENT, label="tệp quyết định (PDF)"),
)
# An exemplar's own honours (no article reports them): the recipient is the
# exemplar itself, and the year cannot be taken from an article date.
OWN_HONOUR_FIELDS = (
    Field("award", SLUG, True, ("awards",), label="danh hiệu/hình thức"),
    Field("year", INT, True, label="năm thành tích"),
    *HONOUR_FIELDS[3:],
)
LEADER_FIELDS = (
    Field("year", INT, True, label="năm"),
    Field("leader", SLUG, ref=("provinces", "exemplars"), label="cụm/khối trưởng"),
    Field("deputy", SLUG, ref=("provinces", "exemplars"), label="cụm/khối phó"),
)
HONOURS = ListOf("honours", fields=HONOUR_FIELDS, published=False,  # published once, in honours.json
                 summary="{{fields.recipient}} – {{fields.award}} ({{fields.year}})",
                 sample=(("recipient", "slug-dien-hinh"), ("award", "slug-danh-hieu"), ("year", "2025"),
                         ("stage", "conferred")))
OWN_HONOURS = ListOf("own_honours", fields=OWN_HONOUR_FIELDS, published=False,
                     summary="{{fields.award}} ({{fields.year}})",
                     sample=(("award", "slug-danh-hieu"), ("year", "2025"), ("stage", "conferred")))
LEADERS = ListOf("leaders", fields=LEADER_FIELDS, summary="{{fields.year}}: {{fields.leader}} / {{fields.deputy}}")
# Every photo a reader sees has a text alternative and a credit ("Ảnh: …", or "Ảnh minh họa").
GALLERY = ListOf("gallery", fields=(
    Field("image", IMAGE, True, label="ảnh"),
    Field("alt", TEXT, True, label="mô tả ảnh cho người không xem được ảnh"),
    Field("caption", TEXT, label="chú thích"),
    Field("credit", TEXT, True, label="tác giả, nguồn ảnh"),
), summary="{{fields.caption}}", sample=(("image", "images/ten-anh.jpg"), ("alt", "Mô tả ngắn nội dung ảnh"),
                                         ("credit", "Tên tác giả")))
DOCUMENTS = ListOf("documents", fields=(
    Field("file", DOCUMENT, True, label="tệp PDF"),
    Field("title", TEXT, True, label="tên văn bản"),
), summary="{{fields.title}}", sample=(("file", "documents/quyet-dinh.pdf"), ("title", "Quyết định số …")))

_ARTICLE_LIKE = (
    Field("title", TEXT, True, label="tiêu đề"),
    Field("modified", DATETIME, label="ngày cập nhật"),
    Field("summary", LONG_TEXT, label="sapo"),
    Field("author", NAMES, label="tác giả"),
    Field("status", CHOICE, choices=STATUSES, label="trạng thái", default="published"),
)

KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind("articles", "articles", "tin bài", (
            *_ARTICLE_LIKE,
            Field("date", DATETIME, True, label="ngày đăng"),
            Field("source", TEXT, label="nguồn"),
            Field("source_url", URL, label="địa chỉ nguồn"),
            Field("image", IMAGE, label="ảnh đại diện", requires=("image_alt", "image_credit")),
            Field("image_alt", TEXT, label="mô tả ảnh cho người không xem được ảnh", needs="image"),
            Field("image_caption", TEXT, label="chú thích ảnh", needs="image"),
            Field("image_credit", TEXT, label="tác giả, nguồn ảnh", needs="image"),
            Field("image_focus", FOCUS, label="điểm giữ khi cắt ảnh", needs="image"),
            Field("gallery", GALLERY, label="bộ ảnh"),
            Field("documents", DOCUMENTS, label="văn bản đính kèm"),
            Field("campaigns", SLUGS, ref=("campaigns",), label="phong trào"),
            Field("clusters", SLUGS, ref=("clusters",), label="cụm, khối thi đua"),
            Field("provinces", SLUGS, ref=("provinces",), label="tỉnh, thành"),
            Field("exemplars", SLUGS, ref=("exemplars",), label="điển hình"),
            Field("honours", HONOURS, label="khen thưởng"),
            Field("event", CHOICE, choices=EVENTS, label="sự kiện"),
            Field("event_date", DATE, label="ngày diễn ra sự kiện", needs="event"),
            Field("event_for", SLUGS, ref=("campaigns", "clusters"), label="sự kiện của phong trào, cụm",
                  needs="event"),
            Field("featured", BOOL, label="tin nổi bật"),
        ), noun="tin bài"),
        Kind("pages", "pages", "trang tĩnh", (*_ARTICLE_LIKE, Field("date", DATETIME, label="ngày đăng")),
             noun="trang"),
        Kind("campaigns", "campaigns", "phong trào thi đua", (
            Field("name", TEXT, True, label="tên"),
            Field("short_name", TEXT, label="tên ngắn"),
            Field("launched_by", TEXT, label="cơ quan phát động"),
            Field("launched", DATE, label="ngày phát động"),
            Field("decision", TEXT, label="văn bản phát động"),
            Field("period", TEXT, label="giai đoạn"),
            Field("scope", CHOICE, choices=SCOPES, label="phạm vi", default="national"),
            Field("kind", CHOICE, choices=CAMPAIGN_KINDS, label="loại"),
            Field("parent", SLUG, ref=("campaigns",), label="phong trào cấp trên"),
            Field("aliases", TEXTS, label="tên khác"),
        ), noun="phong trào"),
        Kind("clusters", "clusters", "cụm, khối thi đua", (
            Field("name", TEXT, True, label="tên"),
            Field("kind", CHOICE, choices=CLUSTER_KINDS, label="loại", default="cum"),
            Field("organiser", TEXT, label="đơn vị tổ chức"),
            Field("members", SLUGS, ref=("provinces", "exemplars"), label="thành viên"),
            Field("valid_from", DATE, label="hiệu lực từ"),
            Field("valid_to", DATE, label="hiệu lực đến"),
            Field("leaders", LEADERS, label="cụm trưởng, cụm phó"),
            Field("aliases", TEXTS, label="tên khác"),
        ), noun="cụm, khối"),
        Kind("awards", "awards", "danh hiệu, hình thức khen thưởng", (
            Field("name", TEXT, True, label="tên"),
            Field("short_name", TEXT, label="tên ngắn"),
            Field("category", CHOICE, True, choices=AWARD_CATEGORIES, label="nhóm"),
            Field("rank", INT, True, label="thứ bậc"),
            Field("conferred_by", TEXT, label="thẩm quyền"),
            Field("recipients", CHOICES, choices=RECIPIENT_KINDS, label="đối tượng"),
            Field("law", TEXT, label="luật"),
            Field("replaced_by", SLUG, ref=("awards",), label="tên mới"),
            Field("aliases", TEXTS, label="tên khác"),
        ), noun="danh hiệu, hình thức"),
        Kind("exemplars", "exemplars", "điển hình tiên tiến", (
            Field("name", TEXT, True, label="tên"),
            Field("kind", CHOICE, True, choices=RECIPIENT_KINDS[:3], label="loại"),
            Field("position", TEXT, label="chức vụ"),
            Field("organisation", TEXT, label="đơn vị"),
            Field("province", SLUG, ref=("provinces",), label="tỉnh, thành"),
            Field("photo", IMAGE, label="ảnh chân dung, biểu trưng", requires=("photo_alt", "photo_credit")),
            Field("photo_alt", TEXT, label="mô tả ảnh cho người không xem được ảnh", needs="photo"),
            Field("photo_credit", TEXT, label="tác giả, nguồn ảnh", needs="photo"),
            Field("photo_focus", FOCUS, label="điểm giữ khi cắt ảnh", needs="photo"),
            Field("aliases", TEXTS, label="tên khác"),
            Field("honours", OWN_HONOURS, label="khen thưởng"),
        ), noun="điển hình"),
        Kind("provinces", "provinces", "tỉnh, thành phố", (
            Field("name", TEXT, True, label="tên"),
            Field("kind", CHOICE, choices=PROVINCE_KINDS, label="loại", default="tinh"),
            Field("valid_to", DATE, label="hiệu lực đến"),
            Field("merged_into", SLUG, ref=("provinces",), label="sáp nhập vào"),
            Field("aliases", TEXTS, label="tên khác"),
        ), noun="tỉnh, thành"),
    )
}
RECORD_KINDS = ("campaigns", "clusters", "awards", "exemplars", "provinces")


def field_at(path: str) -> Field:
    """A declared field by its dotted path: ``field_at("awards.category")``, ``field_at("articles.honours.stage")``."""
    kind, first, *rest = path.split(".")
    spec = KINDS[kind].by_name[first]
    for name in rest:
        spec = spec.type.sub(name)
    return spec


def _coerce_fields(fields: dict[str, Field], data: dict[str, Any], fm: FrontMatter,
                   prefix: str, kind_label: str) -> tuple[dict[str, Any], list[Problem]]:
    out: dict[str, Any] = {}
    problems: list[Problem] = []
    for key, value in data.items():
        label = str(key).strip() or "(trường không tên)"  # YAML allows `"": x`, `1: x`, `null: x`
        name = f"{prefix}{label}"
        spec = fields.get(str(key))
        if spec is None:
            hint = did_you_mean(str(key), fields)
            problems.append(Problem(
                fm.path, fm.line(f"{prefix}{key}"), name, f"trường '{label}' không có trong mẫu {kind_label}",
                hint or "xoá trường này hoặc xem docs/content-model.md", WARNING))
            continue
        if value is None or value == "" or value == []:
            continue
        try:
            if isinstance(spec.type, ListOf):
                items, sub_problems = _coerce_list(spec, value, fm, name)
                problems += sub_problems
                out[spec.name] = items
            else:
                out[spec.name] = spec.type.coerce(spec, value)
        except Bad as bad:
            problems.append(Problem(fm.path, fm.line(name), name, bad.message, bad.fix))
    for spec in fields.values():
        name = f"{prefix}{spec.name}"
        if spec.needs and spec.name in out and spec.needs not in out:
            choices = fields[spec.needs].codes
            problems.append(Problem(
                fm.path, fm.line(name), name, f"có '{spec.name}' ({spec.label}) nhưng thiếu '{spec.needs}'",
                f"thêm '{spec.needs}:'" + (f" (một trong {', '.join(choices)})" if choices else "")
                + f" hoặc bỏ '{spec.name}'", WARNING))
        for other in spec.requires if spec.name in out else ():
            if other not in out and not any(p.field == f"{prefix}{other}" for p in problems):
                problems.append(Problem(
                    fm.path, fm.line(name), f"{prefix}{other}",
                    f"có '{spec.name}' ({spec.label}) nhưng thiếu '{other}' ({fields[other].label})",
                    f"thêm dòng '{other}: ...' ngay sau '{spec.name}:'"))
        if spec.required and spec.name not in out and not any(p.field == name for p in problems):
            present = name in fm.lines
            line = fm.lines[name] if present else (fm.line(prefix.rstrip(".")) if prefix else 2)
            problems.append(Problem(
                fm.path, line, name, f"thiếu trường bắt buộc '{spec.name}' ({spec.label})",
                f"điền giá trị sau '{spec.name}:'" if present else f"thêm dòng '{spec.name}: ...' vào phần thông tin"))
    return out, problems


def _coerce_list(spec: Field, value: Any, fm: FrontMatter, name: str) -> tuple[list[dict], list[Problem]]:
    if not isinstance(value, list):
        raise Bad(f"'{spec.name}' phải là một danh sách", f"viết mỗi mục bắt đầu bằng '- ' dưới '{spec.name}:'")
    sub = {f.name: f for f in spec.type.fields}
    items: list[dict] = []
    problems: list[Problem] = []
    for i, item in enumerate(value):
        where = f"{name}[{i}]"
        if not isinstance(item, dict):
            problems.append(Problem(fm.path, fm.line(where), where, "mỗi mục phải gồm các cặp 'trường: giá trị'",
                                    "xem ví dụ trong docs/content-model.md"))
            continue
        coerced, item_problems = _coerce_fields(sub, item, fm, f"{where}.", spec.label)
        problems += item_problems
        if not any(p.severity == "error" for p in item_problems):
            coerced["_line"] = fm.line(where)
            items.append(coerced)
    return items, problems


def coerce(kind: Kind, fm: FrontMatter) -> tuple[dict[str, Any], list[Problem]]:
    """Type-check ``fm`` against ``kind``; return typed values and the problems found."""
    return _coerce_fields(kind.by_name, fm.data, fm, "", kind.label)


def check_slug_filename(path: str, slug: str) -> Problem | None:
    """A file name must be a valid slug: it becomes the record's URL forever."""
    if SLUG_RE.fullmatch(slug):
        return None
    from .vietnamese import slugify  # local: only needed on the error path

    return Problem(path, None, "tên tệp", f"tên tệp '{slug}.md' không phải slug hợp lệ",
                   f"đổi tên tệp thành '{slugify(slug) or 'ten-khong-dau'}.md' (chữ thường không dấu, số, '-')")
