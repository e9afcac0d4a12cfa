"""The content model: every field of every content kind, declared once.

This is the editors' contract (docs/content-model.md) as code. The reader,
the record loader, the checker and (later) the CMS configuration all read
these declarations; :func:`coerce` turns what an editor typed into typed
values, or into :class:`Problem` values that say which field is wrong and how
to fix it. Cross-record checks (unknown slugs) live in ``validate.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from .frontmatter import FrontMatter
from .problems import WARNING, Problem, did_you_mean
from .vietnamese import SLUG_RE, is_slug

__all__ = ["Field", "Kind", "KINDS", "RECORD_KINDS", "coerce"]


@dataclass(frozen=True)
class Field:
    """One front-matter field: its type, whether it is required, what it refers to."""

    name: str
    type: str  # text|texts|date|int|bool|slug|slugs|choice|choices|url|path|honours|own_honours|leaders
    required: bool = False
    ref: tuple[str, ...] = ()  # kinds whose slugs this field holds
    choices: tuple[str, ...] = ()
    label: str = ""  # Vietnamese label shown in messages and forms
    needs: str = ""  # a field this one only means something with (event_date needs event)


@dataclass(frozen=True)
class Kind:
    """A content kind: where its files live and which fields they carry."""

    name: str
    folder: str
    label: str
    fields: tuple[Field, ...]
    by_name: dict[str, Field] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_name", {f.name: f for f in self.fields})


HONOUR_FIELDS = (
    Field("recipient", "slug", True, ("exemplars",), label="người/tập thể nhận"),
    Field("award", "slug", True, ("awards",), label="danh hiệu/hình thức"),
    Field("year", "int", label="năm thành tích"),
    Field("stage", "choice", choices=("conferred", "proposed"), label="giai đoạn"),
    Field("decision", "text", label="quyết định"),
    Field("campaign", "slug", ref=("campaigns",), label="phong trào"),
)
# An exemplar's own honours (no article reports them): the recipient is the
# exemplar itself, and the year cannot be taken from an article date.
OWN_HONOUR_FIELDS = (
    Field("award", "slug", True, ("awards",), label="danh hiệu/hình thức"),
    Field("year", "int", True, label="năm thành tích"),
    *HONOUR_FIELDS[3:],
)
LEADER_FIELDS = (
    Field("year", "int", True, label="năm"),
    Field("leader", "slug", ref=("provinces", "exemplars"), label="cụm/khối trưởng"),
    Field("deputy", "slug", ref=("provinces", "exemplars"), label="cụm/khối phó"),
)
# What an article may report as a step in a campaign's or a cluster's year (timeline.py labels them).
EVENTS = ("phat-dong", "so-ket", "tong-ket", "giao-uoc", "ton-vinh")

SUB_FIELDS = {"honours": HONOUR_FIELDS, "own_honours": OWN_HONOUR_FIELDS, "leaders": LEADER_FIELDS}

_ARTICLE_LIKE = (
    Field("title", "text", True, label="tiêu đề"),
    Field("modified", "date", label="ngày cập nhật"),
    Field("summary", "text", label="sapo"),
    Field("author", "texts", label="tác giả"),
    Field("status", "choice", choices=("published", "draft", "hidden"), label="trạng thái"),
)

KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind("articles", "articles", "tin bài", (
            *_ARTICLE_LIKE,
            Field("date", "date", True, label="ngày đăng"),
            Field("source", "text", label="nguồn"),
            Field("source_url", "url", label="địa chỉ nguồn"),
            Field("image", "path", label="ảnh đại diện"),
            Field("image_caption", "text", label="chú thích ảnh"),
            Field("campaigns", "slugs", ref=("campaigns",), label="phong trào"),
            Field("clusters", "slugs", ref=("clusters",), label="cụm, khối thi đua"),
            Field("provinces", "slugs", ref=("provinces",), label="tỉnh, thành"),
            Field("exemplars", "slugs", ref=("exemplars",), label="điển hình"),
            Field("honours", "honours", label="khen thưởng"),
            Field("event", "choice", choices=EVENTS, label="sự kiện"),
            Field("event_date", "date", label="ngày diễn ra sự kiện", needs="event"),
            Field("event_for", "slugs", ref=("campaigns", "clusters"), label="sự kiện của phong trào, cụm",
                  needs="event"),
            Field("featured", "bool", label="tin nổi bật"),
        )),
        Kind("pages", "pages", "trang tĩnh", (*_ARTICLE_LIKE, Field("date", "date", label="ngày đăng"))),
        Kind("campaigns", "campaigns", "phong trào thi đua", (
            Field("name", "text", True, label="tên"),
            Field("short_name", "text", label="tên ngắn"),
            Field("launched_by", "text", label="cơ quan phát động"),
            Field("launched", "date", label="ngày phát động"),
            Field("decision", "text", label="văn bản phát động"),
            Field("period", "text", label="giai đoạn"),
            Field("scope", "choice", choices=("national", "ministry", "province", "local"), label="phạm vi"),
            Field("kind", "choice", choices=("thuong-xuyen", "chuyen-de", "dac-biet"), label="loại"),
            Field("parent", "slug", ref=("campaigns",), label="phong trào cấp trên"),
            Field("aliases", "texts", label="tên khác"),
        )),
        Kind("clusters", "clusters", "cụm, khối thi đua", (
            Field("name", "text", True, label="tên"),
            Field("kind", "choice", choices=("cum", "khoi"), label="loại"),
            Field("organiser", "text", label="đơn vị tổ chức"),
            Field("members", "slugs", ref=("provinces", "exemplars"), label="thành viên"),
            Field("valid_from", "date", label="hiệu lực từ"),
            Field("valid_to", "date", label="hiệu lực đến"),
            Field("leaders", "leaders", label="cụm trưởng, cụm phó"),
            Field("aliases", "texts", label="tên khác"),
        )),
        Kind("awards", "awards", "danh hiệu, hình thức khen thưởng", (
            Field("name", "text", True, label="tên"),
            Field("short_name", "text", label="tên ngắn"),
            Field("category", "choice", True, choices=(
                "huan-chuong", "huy-chuong", "danh-hieu-vinh-du", "giai-thuong",
                "ky-niem-chuong", "bang-khen", "giay-khen", "danh-hieu-thi-dua"), label="nhóm"),
            Field("rank", "int", True, label="thứ bậc"),
            Field("conferred_by", "text", label="thẩm quyền"),
            Field("recipients", "choices", choices=("person", "collective", "locality", "household"),
                  label="đối tượng"),
            Field("law", "text", label="luật"),
            Field("replaced_by", "slug", ref=("awards",), label="tên mới"),
            Field("aliases", "texts", label="tên khác"),
        )),
        Kind("exemplars", "exemplars", "điển hình tiên tiến", (
            Field("name", "text", True, label="tên"),
            Field("kind", "choice", True, choices=("person", "collective", "locality"), label="loại"),
            Field("position", "text", label="chức vụ"),
            Field("organisation", "text", label="đơn vị"),
            Field("province", "slug", ref=("provinces",), label="tỉnh, thành"),
            Field("photo", "path", label="ảnh"),
            Field("aliases", "texts", label="tên khác"),
            Field("honours", "own_honours", label="khen thưởng"),
        )),
        Kind("provinces", "provinces", "tỉnh, thành phố", (
            Field("name", "text", True, label="tên"),
            Field("kind", "choice", choices=("tinh", "thanh-pho"), label="loại"),
            Field("valid_to", "date", label="hiệu lực đến"),
            Field("merged_into", "slug", ref=("provinces",), label="sáp nhập vào"),
            Field("aliases", "texts", label="tên khác"),
        )),
    )
}
RECORD_KINDS = ("campaigns", "clusters", "awards", "exemplars", "provinces")

_DATE_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S")
_TRUE = {"true", "yes", "có", "1"}
_FALSE = {"false", "no", "không", "0"}
_URL_RE = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)


class _Bad(Exception):
    def __init__(self, message: str, fix: str) -> None:
        super().__init__(message)
        self.message, self.fix = message, fix


def parse_date(value: Any) -> date | datetime:
    """Parse ``YYYY-MM-DD`` (a date) or ``YYYY-MM-DD HH:MM`` (a datetime)."""
    text = str(value).strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return date.fromisoformat(text)
        except ValueError as exc:
            raise _Bad(f"ngày '{text}' không tồn tại ({exc})",
                       "dùng dạng YYYY-MM-DD với tháng 01–12 và ngày có thật, ví dụ 2024-03-05") from exc
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    raise _Bad(f"'{text}' không phải ngày hợp lệ",
               "dùng dạng YYYY-MM-DD hoặc YYYY-MM-DD HH:MM, ví dụ 2024-03-05 08:30")


def _slug(value: Any) -> str:
    if not is_slug(value):
        raise _Bad(f"'{value}' không phải slug hợp lệ",
                   "slug chỉ gồm chữ thường không dấu, số và dấu '-', ví dụ 'nong-thon-moi'")
    return value


def _scalar_text(value: Any) -> str:
    if isinstance(value, (bool, dict, list)):
        raise _Bad(f"cần một đoạn chữ, nhận được {type(value).__name__}",
                   "viết giá trị là một dòng chữ, đặt trong ngoặc kép nếu có dấu ':'")
    return str(value).strip() if not isinstance(value, str) else value


def _coerce_value(spec: Field, value: Any) -> Any:
    kind = spec.type
    if kind == "text":
        return _scalar_text(value)
    if kind == "texts":
        items = value if isinstance(value, list) else [value]
        return [_scalar_text(v) for v in items if v not in (None, "")]
    if kind == "date":
        return parse_date(value)
    if kind == "int":
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().isdigit():
            return int(value)
        raise _Bad(f"'{value}' không phải số nguyên", "viết một số nguyên, ví dụ 2024")
    if kind == "bool":
        if isinstance(value, bool):
            return value
        if str(value).strip().lower() in _TRUE | _FALSE:
            return str(value).strip().lower() in _TRUE
        raise _Bad(f"'{value}' không phải true/false", "viết true hoặc false")
    if kind == "slug":
        return _slug(value)
    if kind == "slugs":
        if isinstance(value, str):
            value = [v.strip() for v in value.split(",") if v.strip()]
        if not isinstance(value, list):
            raise _Bad("cần một danh sách slug", "viết [slug-mot, slug-hai]")
        return [_slug(v) for v in value]
    if kind in ("choice", "choices"):
        items = value if isinstance(value, list) else [value]
        if kind == "choice" and isinstance(value, list):
            raise _Bad("chỉ được một giá trị", "chọn một trong: " + ", ".join(spec.choices))
        for item in items:
            if item not in spec.choices:
                hint = did_you_mean(str(item), spec.choices)
                raise _Bad(f"'{item}' không thuộc các giá trị cho phép",
                           (hint + " " if hint else "") + "chọn một trong: " + ", ".join(spec.choices))
        return items if kind == "choices" else value
    if kind == "url":
        text = _scalar_text(value)
        if not _URL_RE.fullmatch(text):
            raise _Bad(f"'{text}' không phải địa chỉ http(s)", "viết địa chỉ đầy đủ bắt đầu bằng https://")
        return text
    if kind == "path":
        text = _scalar_text(value).strip()
        if (not text or text.startswith(("/", "\\")) or "\\" in text or ".." in text.split("/")
                or re.match(r"^[a-z]+:", text, re.IGNORECASE)):
            raise _Bad(f"đường dẫn '{text}' không hợp lệ",
                       "viết đường dẫn tương đối trong content/, ví dụ images/anh.jpg, không dùng '..' hay '/' ở đầu")
        return text
    raise AssertionError(f"unknown field type {kind}")  # a bug in KINDS, not in content


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
            if spec.type in SUB_FIELDS:
                items, sub_problems = _coerce_list(spec, value, fm, name)
                problems += sub_problems
                out[spec.name] = items
            else:
                out[spec.name] = _coerce_value(spec, value)
        except _Bad as bad:
            problems.append(Problem(fm.path, fm.line(name), name, bad.message, bad.fix))
    for spec in fields.values():
        name = f"{prefix}{spec.name}"
        if spec.needs and spec.name in out and spec.needs not in out:
            choices = fields[spec.needs].choices
            problems.append(Problem(
                fm.path, fm.line(name), name, f"có '{spec.name}' ({spec.label}) nhưng thiếu '{spec.needs}'",
                f"thêm '{spec.needs}:'" + (f" (một trong {', '.join(choices)})" if choices else "")
                + f" hoặc bỏ '{spec.name}'", WARNING))
        if spec.required and spec.name not in out and not any(p.field == name for p in problems):
            present = name in fm.lines
            line = fm.lines[name] if present else (fm.line(prefix.rstrip(".")) if prefix else 2)
            problems.append(Problem(
                fm.path, line, name, f"thiếu trường bắt buộc '{spec.name}' ({spec.label})",
                f"điền giá trị sau '{spec.name}:'" if present else f"thêm dòng '{spec.name}: ...' vào phần thông tin"))
    return out, problems


def _coerce_list(spec: Field, value: Any, fm: FrontMatter, name: str) -> tuple[list[dict], list[Problem]]:
    if not isinstance(value, list):
        raise _Bad(f"'{spec.name}' phải là một danh sách", f"viết mỗi mục bắt đầu bằng '- ' dưới '{spec.name}:'")
    sub = {f.name: f for f in SUB_FIELDS[spec.type]}
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
