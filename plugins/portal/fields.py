"""What the content model is made of: kinds, fields, and field types.

schema.py declares the portal's kinds and fields with these; this module says
what a field is. A :class:`Field` carries its coded values as (code, label)
pairs, checked when the module that declares them is imported. A
:class:`FieldType` is one object that knows a value's whole life: it turns what
an editor typed into a typed value (or raises :class:`Bad`, which says what is
wrong and how to fix it), tells the Decap CMS which widget edits it, gives the
JSON Schema the open data publishes, and the example that ``invoke new``
writes. cms.py, opendata.py and tools/authoring.py only ask the type; a new
type is one class (or one instance) here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from .problems import did_you_mean
from .vietnamese import SLUG_RE, is_slug

__all__ = [
    "BOOL", "CHOICE", "CHOICES", "DATE", "DATETIME", "DOCUMENT", "FOCUS", "IMAGE", "INT", "LONG_TEXT", "NAMES", "SLUG",
    "SLUGS", "TEXT", "TEXTS", "URL",
    "Bad", "Choice", "Choices", "Field", "FieldType", "Kind", "Kinds", "ListOf", "cms_field", "json_schema", "nullable",
    "parse_date",
]

_DATE_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S")
_TRUE = {"true", "yes", "có", "1"}
_FALSE = {"false", "no", "không", "0"}
_URL_RE = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
SLUG_PATTERN = ["^" + SLUG_RE.pattern + "$", "Chỉ gồm chữ thường không dấu, số và dấu '-', ví dụ dak-lak"]
URL_PATTERN = ["^https?://\\S+$", "Địa chỉ đầy đủ, bắt đầu bằng http:// hoặc https://"]


class Bad(Exception):
    """A value an editor typed that its field cannot hold: what is wrong, and how to fix it."""

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
            raise Bad(f"ngày '{text}' không tồn tại ({exc})",
                      "dùng dạng YYYY-MM-DD với tháng 01–12 và ngày có thật, ví dụ 2024-03-05") from exc
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    raise Bad(f"'{text}' không phải ngày hợp lệ",
              "dùng dạng YYYY-MM-DD hoặc YYYY-MM-DD HH:MM, ví dụ 2024-03-05 08:30")


def _scalar_text(value: Any) -> str:
    if isinstance(value, (bool, dict, list)):
        raise Bad(f"cần một đoạn chữ, nhận được {type(value).__name__}",
                  "viết giá trị là một dòng chữ, đặt trong ngoặc kép nếu có dấu ':'")
    return str(value).strip() if not isinstance(value, str) else value


def _slug(value: Any) -> str:
    if not is_slug(value):
        raise Bad(f"'{value}' không phải slug hợp lệ",
                  "slug chỉ gồm chữ thường không dấu, số và dấu '-', ví dụ 'nong-thon-moi'")
    return value


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


Choices = tuple[tuple[str, str], ...]  # (code, Vietnamese label), in the order forms, menus and lists show them


@dataclass(frozen=True)
class Field:
    """One front-matter field: its type, whether it is required, what it refers to, its coded values."""

    name: str
    type: FieldType
    required: bool = False
    ref: tuple[str, ...] = ()  # kinds whose slugs this field holds
    choices: Choices = ()
    label: str = ""  # Vietnamese label shown in messages and forms
    needs: str = ""  # a field this one only means something with (event_date needs event)
    requires: tuple[str, ...] = ()  # fields that must come with this one (a photo: its alt text and credit)
    default: str = ""  # the choice an absent value stands for (a cluster without ``kind`` is a cụm)
    labels: dict[str, str] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        # A code without a label, or choices on a field that has none, is a mistake in this file:
        # it fails when the module is imported, never as a raw code on a page.
        if self.type.has_choices != bool(self.choices):
            raise TypeError(f"field {self.name!r}: a {self.type.name} field "
                            + ("needs its (code, label) choices" if self.type.has_choices else "takes no choices"))
        labels: dict[str, str] = {}
        for pair in self.choices:
            if not (isinstance(pair, tuple) and len(pair) == 2 and all(isinstance(x, str) for x in pair)):
                raise TypeError(f"field {self.name!r}: choice {pair!r} is not a (code, label) pair")
            code, text = pair
            if not text.strip() or not text[0].isupper():
                raise ValueError(f"field {self.name!r}: code {code!r} needs a capitalised Vietnamese label")
            if code in labels:
                raise ValueError(f"field {self.name!r}: code {code!r} is declared twice")
            labels[code] = text
        if self.default and self.default not in labels:
            raise ValueError(f"field {self.name!r}: default {self.default!r} is not one of its choices")
        object.__setattr__(self, "labels", labels)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(self.labels)

    def label_of(self, code: str | None) -> str:
        """The Vietnamese label of ``code`` (of the default when absent); "" when there is neither."""
        code = code or self.default
        return self.labels[code] if code else ""

    def explain(self, joiner: str = " | ") -> str:
        """Each code with what it means, for editors and data users: "conferred (đã tặng) | proposed (đề nghị)"."""
        return joiner.join(f"{code} ({text[:1].lower()}{text[1:]})" for code, text in self.choices)


@dataclass(frozen=True)
class Kind:
    """A content kind: where its files live and which fields they carry."""

    name: str
    folder: str
    label: str
    fields: tuple[Field, ...]
    noun: str = ""  # how a hint names one of them: "phong trào", "tỉnh, thành"
    by_name: dict[str, Field] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_name", {f.name: f for f in self.fields})

    @property
    def identifier(self) -> str:
        """The field that names a file of this kind: its title, or its name."""
        return "title" if "title" in self.by_name else "name"


Kinds = Mapping[str, Kind]  # the declared kinds by name: a slug field's widget names its target kind


@dataclass(frozen=True)
class FieldType:
    """A type of field value. Subclasses override what differs from a plain string."""

    name: str
    example: str = '""'  # the value ``invoke new`` shows, commented out
    has_choices: bool = False  # the field must declare its (code, label) choices

    def coerce(self, spec: Field, value: Any) -> Any:
        """The typed value of what an editor wrote; raises :class:`Bad`."""
        return _scalar_text(value)

    def widget(self, spec: Field, kinds: Kinds) -> dict[str, Any]:
        """Decap CMS's widget and its options."""
        return {"widget": "string"}

    def schema(self, spec: Field) -> dict[str, Any] | None:
        """JSON Schema of a present value in the open data; None: not a column."""
        return {"type": "string"}

    def sample_value(self, spec: Field) -> str:
        """The value ``invoke new`` shows for this field, commented out."""
        return self.example


class _LongText(FieldType):
    def widget(self, spec: Field, kinds: Kinds) -> dict[str, Any]:
        return {"widget": "text"}


class _Texts(FieldType):
    """A list of strings, edited one per line (names of an alias often hold a comma)."""

    def coerce(self, spec: Field, value: Any) -> list[str]:
        items = value if isinstance(value, list) else [value]
        return [_scalar_text(v) for v in items if v not in (None, "")]

    def widget(self, spec: Field, kinds: Kinds) -> dict[str, Any]:
        return {"widget": "list", "field": {"label": _cap(spec.label or spec.name), "name": "item", "widget": "string"}}

    def schema(self, spec: Field) -> dict[str, Any]:
        return {"type": "array", "items": {"type": "string"}}


class _Names(_Texts):
    """A list of strings that usually holds one ("Thu Hằng"): edited as comma-separated text,
    which Decap also accepts for a plain string value."""

    def widget(self, spec: Field, kinds: Kinds) -> dict[str, Any]:
        return {"widget": "list", "hint": "Nhiều giá trị cách nhau bằng dấu phẩy"}


class _Date(FieldType):
    """A record's date (YYYY-MM-DD)."""

    def coerce(self, spec: Field, value: Any) -> date | datetime:
        return parse_date(value)

    def widget(self, spec: Field, kinds: Kinds) -> dict[str, Any]:
        return {"widget": "datetime", "format": "YYYY-MM-DD", "time_format": False, "picker_utc": False}

    def schema(self, spec: Field) -> dict[str, Any]:
        return {"type": "string", "format": "date"}


class _DateTime(_Date):
    """A publication time, stored as the build reads it: 2025-03-05 08:30 (Asia/Ho_Chi_Minh wall time)."""

    def widget(self, spec: Field, kinds: Kinds) -> dict[str, Any]:
        return {"widget": "datetime", "format": "YYYY-MM-DD HH:mm", "picker_utc": False}

    def schema(self, spec: Field) -> dict[str, Any]:
        return {"type": "string"}  # a date, or a date and a time


class _Int(FieldType):
    def coerce(self, spec: Field, value: Any) -> int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().isdigit():
            return int(value)
        raise Bad(f"'{value}' không phải số nguyên", "viết một số nguyên, ví dụ 2024")

    def widget(self, spec: Field, kinds: Kinds) -> dict[str, Any]:
        return {"widget": "number", "value_type": "int"}

    def schema(self, spec: Field) -> dict[str, Any]:
        return {"type": "integer"}


class _Bool(FieldType):
    def coerce(self, spec: Field, value: Any) -> bool:
        if isinstance(value, bool):
            return value
        if str(value).strip().lower() in _TRUE | _FALSE:
            return str(value).strip().lower() in _TRUE
        raise Bad(f"'{value}' không phải true/false", "viết true hoặc false")

    def widget(self, spec: Field, kinds: Kinds) -> dict[str, Any]:
        return {"widget": "boolean"}

    def schema(self, spec: Field) -> dict[str, Any]:
        return {"type": "boolean"}


def _relation(kind: Kind, multiple: bool) -> dict[str, Any]:
    """A relation widget storing the target record's slug (its file name), searched by name."""
    identifier = kind.identifier
    search = [identifier] + [f for f in ("short_name",) if f in kind.by_name]
    return {"widget": "relation", "collection": kind.name, "value_field": "{{slug}}", "search_fields": search,
            "display_fields": [identifier], "multiple": multiple, "options_length": 50}


def _slug_hint(spec: Field, kinds: Kinds) -> str:
    return "Slug của " + " hoặc ".join(kinds[r].noun for r in spec.ref) + ", ví dụ dak-lak"


class _Slug(FieldType):
    """The slug of a record of the kinds ``spec.ref`` names."""

    def coerce(self, spec: Field, value: Any) -> str:
        return _slug(value)

    def widget(self, spec: Field, kinds: Kinds) -> dict[str, Any]:
        if len(spec.ref) == 1:
            return _relation(kinds[spec.ref[0]], False)
        # Decap's relation widget reads one collection: a slug of several kinds is typed, and checked.
        return {"widget": "string", "pattern": SLUG_PATTERN, "hint": _slug_hint(spec, kinds)}


class _Slugs(FieldType):
    def coerce(self, spec: Field, value: Any) -> list[str]:
        if isinstance(value, str):
            value = [v.strip() for v in value.split(",") if v.strip()]
        if not isinstance(value, list):
            raise Bad("cần một danh sách slug", "viết [slug-mot, slug-hai]")
        return [_slug(v) for v in value]

    def widget(self, spec: Field, kinds: Kinds) -> dict[str, Any]:
        if len(spec.ref) == 1:
            return _relation(kinds[spec.ref[0]], True)
        return {"widget": "list", "hint": _slug_hint(spec, kinds),
                "field": {"label": "Slug", "name": "slug", "widget": "string", "pattern": SLUG_PATTERN}}

    def schema(self, spec: Field) -> dict[str, Any]:
        return {"type": "array", "items": {"type": "string"}}


@dataclass(frozen=True)
class Choice(FieldType):
    """One code (``multiple``: a list of codes) of the field's declared choices; the file keeps the code."""

    has_choices: bool = True
    multiple: bool = False

    def coerce(self, spec: Field, value: Any) -> Any:
        codes = spec.codes
        if not self.multiple and isinstance(value, list):
            raise Bad("chỉ được một giá trị", "chọn một trong: " + ", ".join(codes))
        for item in value if isinstance(value, list) else [value]:
            if item not in codes:
                hint = did_you_mean(str(item), codes)
                raise Bad(f"'{item}' không thuộc các giá trị cho phép",
                          (hint + " " if hint else "") + "chọn một trong: " + ", ".join(codes))
        return value if isinstance(value, list) or not self.multiple else [value]

    def widget(self, spec: Field, kinds: Kinds) -> dict[str, Any]:
        options = [{"label": label, "value": code} for code, label in spec.choices]
        return {"widget": "select", "options": options, "multiple": self.multiple}

    def schema(self, spec: Field) -> dict[str, Any]:
        one = {"type": "string", "enum": list(spec.codes)}
        return {"type": "array", "items": one} if self.multiple else one

    def sample_value(self, spec: Field) -> str:
        return spec.codes[0]


class _Url(FieldType):
    def coerce(self, spec: Field, value: Any) -> str:
        text = _scalar_text(value)
        if not _URL_RE.fullmatch(text):
            raise Bad(f"'{text}' không phải địa chỉ http(s)", "viết địa chỉ đầy đủ bắt đầu bằng https://")
        return text

    def widget(self, spec: Field, kinds: Kinds) -> dict[str, Any]:
        return {"widget": "string", "pattern": URL_PATTERN}


@dataclass(frozen=True)
class _File(FieldType):
    """A file inside content/: relative, never ``..``, never absolute, never a URL, of a known kind.

    Whether it exists and is what its name says is checked when the build reads it (media.py).
    """

    suffixes: tuple[str, ...] = ()
    what: str = ""  # what the file is, in Vietnamese: "ảnh", "tệp PDF"
    cms_widget: str = "file"

    def coerce(self, spec: Field, value: Any) -> str:
        text = _scalar_text(value).strip()
        if (not text or text.startswith(("/", "\\")) or "\\" in text or ".." in text.split("/")
                or re.match(r"^[a-z]+:", text, re.IGNORECASE)):
            raise Bad(f"đường dẫn '{text}' không hợp lệ",
                      f"viết đường dẫn tương đối trong content/, ví dụ {self.example.strip(chr(34))}, "
                      "không dùng '..' hay '/' ở đầu")
        if not text.lower().endswith(self.suffixes):
            raise Bad(f"'{text}' không phải {self.what} ({', '.join(s.lstrip('.') for s in self.suffixes)})",
                      f"chọn một {self.what} có đuôi {' hoặc '.join(self.suffixes)}")
        return text

    def widget(self, spec: Field, kinds: Kinds) -> dict[str, Any]:
        return {"widget": self.cms_widget, "choose_url": False}


class _Focus(FieldType):
    """Where a crop keeps the subject of a photo: "x,y" in percent of its width and height from the top left."""

    def coerce(self, spec: Field, value: Any) -> str:
        text = _scalar_text(value).replace(" ", "")
        match = re.fullmatch(r"(\d{1,3}),(\d{1,3})", text)
        if not match or int(match[1]) > 100 or int(match[2]) > 100:
            raise Bad(f"'{text}' không phải điểm lấy nét",
                      "viết hai số phần trăm 'ngang,dọc' tính từ góc trên bên trái, ví dụ 50,30 (giữa, hơi cao)")
        return f"{int(match[1])},{int(match[2])}"


@dataclass(frozen=True)
class ListOf(FieldType):
    """A list of small records (honours, leaders by year), each checked against ``fields``.

    schema.py coerces the items field by field, so a mistake names ``honours[2].award``.
    """

    fields: tuple[Field, ...] = ()
    summary: str = ""  # how the CMS shows a collapsed item
    published: bool = True  # a column of the record's open data (honours have their own dataset)
    sample: tuple[tuple[str, str], ...] = ()  # (field, value) of the example item ``invoke new`` shows

    def sub(self, name: str) -> Field:
        """The item field called ``name``."""
        return next(f for f in self.fields if f.name == name)

    def coerce(self, spec: Field, value: Any) -> Any:
        raise AssertionError("schema.py coerces lists item by item")

    def widget(self, spec: Field, kinds: Kinds) -> dict[str, Any]:
        return {"widget": "list", "collapsed": True, "summary": self.summary,
                "fields": [cms_field(sub, kinds) for sub in self.fields]}

    def schema(self, spec: Field) -> dict[str, Any] | None:
        if not self.published:
            return None
        properties = {sub.name: json_schema(sub) for sub in self.fields}
        return {"type": "array", "items": {"type": "object", "properties": properties,
                                           "required": [sub.name for sub in self.fields if sub.required]}}

    def example_lines(self, kinds: Kinds) -> list[str]:
        """The sample item as YAML lines, each with what the field holds."""
        by_name = {sub.name: sub for sub in self.fields}
        lines = []
        for i, (name, value) in enumerate(self.sample):
            sub = by_name[name]
            if sub.ref:
                hint = "xem " + ", ".join(f"content/{kinds[k].folder}/" for k in sub.ref)
            elif sub.choices:
                hint = sub.explain()
            else:
                hint = sub.label
            lines.append(f"{'  - ' if i == 0 else '    '}{name}: {value}".ljust(34) + f" # {hint}")
        return lines


TEXT = FieldType("text")
LONG_TEXT = _LongText("long_text")  # edited in a multi-line box (a lead)
TEXTS = _Texts("texts", "[]")
NAMES = _Names("names", "[]")
DATE = _Date("date", "2025-01-01")
DATETIME = _DateTime("datetime", "2025-01-01")
INT = _Int("int", "0")
BOOL = _Bool("bool", "false")
SLUG = _Slug("slug", "")
SLUGS = _Slugs("slugs", "[]")
URL = _Url("url", '"https://"')
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif")
IMAGE = _File("image", '"images/ten-anh.jpg"', suffixes=IMAGE_SUFFIXES, what="ảnh", cms_widget="image")
DOCUMENT = _File("document", '"documents/quyet-dinh.pdf"', suffixes=(".pdf",), what="tệp PDF")
FOCUS = _Focus("focus", '"50,50"')
CHOICE = Choice("choice")
CHOICES = Choice("choices", multiple=True)


def cms_field(spec: Field, kinds: Kinds) -> dict[str, Any]:
    """One field of a Decap CMS collection: its Vietnamese label, its widget, whether it is required."""
    return {"label": _cap(spec.label or spec.name), "name": spec.name, **spec.type.widget(spec, kinds),
            "required": spec.required}


def nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """A scalar's JSON Schema that also admits null (an optional value left out)."""
    schema = {**schema, "type": [schema["type"], "null"]}
    if "enum" in schema:
        schema["enum"] = [*schema["enum"], None]
    return schema


def json_schema(spec: Field) -> dict[str, Any] | None:
    """JSON Schema of a field's value in a record row: an optional scalar may be null."""
    schema = spec.type.schema(spec)
    if schema is None or spec.required or schema["type"] == "array":
        return schema
    return nullable(schema)
