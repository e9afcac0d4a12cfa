"""Browser editing: a Decap CMS admin at /admin/, its configuration generated from the content model.

Every collection and field of the CMS is derived from ``schema.KINDS``, so the
content model stays declared in one place: a field added to the schema shows up
in the editor with its Vietnamese label, its type and its references.

- :func:`config` builds Decap's ``config.yml`` (a dict) from the declarations;
- :func:`write_admin` writes ``output/admin/`` (page, config, Decap's script).

Decap's JavaScript comes from npm (``npm ci`` installs ``node_modules/decap-cms``)
and is copied by the build: nothing is loaded from a CDN at run time. Without
``node_modules`` the build still succeeds; the admin page then says what to install.
Local editing: ``invoke admin`` runs ``decap-server``, which writes into ``content/``.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path
from typing import Any

import yaml

from .profiles import KIND_LABELS
from .schema import KINDS, SUB_FIELDS, Field, Kind
from .taxonomies import CAMPAIGN_KINDS, CATEGORY_LABELS, SCOPES
from .timeline import EVENT_LABELS
from .vietnamese import SLUG_RE

__all__ = ["DEFAULT_LOCAL_BACKEND", "config", "decap_dist", "write_admin"]

logger = logging.getLogger(__name__)

REPO = Path(__file__).resolve().parents[2]
DEFAULT_LOCAL_BACKEND = "http://127.0.0.1:8081/api/v1"  # decap-server (invoke admin)
DECAP_SCRIPT = "decap-cms.js"  # node_modules/decap-cms/dist/decap-cms.js, with its lazy chunks and wasm
ADMIN_FILES = ("index.html", "admin.js")  # theme/admin/

# Kinds whose dates carry a time (publication), the others are plain YYYY-MM-DD record dates.
TIMED_KINDS = ("articles", "pages")
LONG_TEXT = {"summary"}  # text fields edited in a multi-line box
# `texts` fields that are usually one plain string ("Thu Hằng"): edited as comma-separated text,
# which Decap also accepts for a string value. The others (aliases, whose names often hold a comma)
# are edited one item per line and must be lists in the file, as all the shipped content is.
COMMA_TEXTS = {"author"}

# Vietnamese labels of stored codes; the code is what the file keeps.
CHOICE_LABELS: dict[str, str] = {
    **dict(SCOPES), **CAMPAIGN_KINDS, **CATEGORY_LABELS, **KIND_LABELS, **EVENT_LABELS,
    "published": "Công khai", "draft": "Bản nháp", "hidden": "Ẩn (dựng nhưng không liệt kê)",
    "cum": "Cụm thi đua", "khoi": "Khối thi đua",
    "household": "Hộ gia đình",
    "tinh": "Tỉnh", "thanh-pho": "Thành phố trực thuộc Trung ương",
    "conferred": "Đã tặng", "proposed": "Đề nghị",
}
KIND_NAMES = {  # how a hint names the records a slug may point to
    "articles": "tin bài", "pages": "trang", "campaigns": "phong trào", "clusters": "cụm, khối",
    "awards": "danh hiệu, hình thức", "exemplars": "điển hình", "provinces": "tỉnh, thành",
}
SLUG_PATTERN = ["^" + SLUG_RE.pattern + "$", "Chỉ gồm chữ thường không dấu, số và dấu '-', ví dụ dak-lak"]
URL_PATTERN = ["^https?://\\S+$", "Địa chỉ đầy đủ, bắt đầu bằng http:// hoặc https://"]
SUMMARIES = {  # how a collapsed list item reads
    "honours": "{{fields.recipient}} – {{fields.award}} ({{fields.year}})",
    "own_honours": "{{fields.award}} ({{fields.year}})",
    "leaders": "{{fields.year}}: {{fields.leader}} / {{fields.deputy}}",
}


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _identifier(kind: Kind) -> str:
    return "title" if "title" in kind.by_name else "name"


def _relation(target: str, multiple: bool) -> dict[str, Any]:
    """A relation widget storing the target record's slug (its file name), searched by name."""
    fields = KINDS[target].by_name
    identifier = _identifier(KINDS[target])
    search = [identifier] + [f for f in ("short_name",) if f in fields]
    return {"widget": "relation", "collection": target, "value_field": "{{slug}}", "search_fields": search,
            "display_fields": [identifier], "multiple": multiple, "options_length": 50}


def _date(timed: bool) -> dict[str, Any]:
    if timed:  # stored as the build reads it: 2025-03-05 08:30 (Asia/Ho_Chi_Minh wall time)
        return {"widget": "datetime", "format": "YYYY-MM-DD HH:mm", "picker_utc": False}
    return {"widget": "datetime", "format": "YYYY-MM-DD", "time_format": False, "picker_utc": False}


def _widget(spec: Field, timed: bool) -> dict[str, Any]:
    """Decap's widget (and options) for one schema field."""
    kind = spec.type
    if kind == "text":
        return {"widget": "text" if spec.name in LONG_TEXT else "string"}
    if kind == "texts":
        if spec.name in COMMA_TEXTS:
            return {"widget": "list", "hint": "Nhiều giá trị cách nhau bằng dấu phẩy"}
        item = {"label": _cap(spec.label or spec.name), "name": "item", "widget": "string"}
        return {"widget": "list", "field": item}
    if kind == "date":
        return _date(timed)
    if kind == "int":
        return {"widget": "number", "value_type": "int"}
    if kind == "bool":
        return {"widget": "boolean"}
    if kind in ("slug", "slugs"):
        multiple = kind == "slugs"
        if len(spec.ref) == 1:
            return _relation(spec.ref[0], multiple)
        # Decap's relation widget reads one collection: a slug of several kinds is typed, and checked.
        hint = "Slug của " + " hoặc ".join(KIND_NAMES[r] for r in spec.ref) + ", ví dụ dak-lak"
        if multiple:
            return {"widget": "list", "hint": hint,
                    "field": {"label": "Slug", "name": "slug", "widget": "string", "pattern": SLUG_PATTERN}}
        return {"widget": "string", "pattern": SLUG_PATTERN, "hint": hint}
    if kind in ("choice", "choices"):
        options = [{"label": CHOICE_LABELS.get(c, c), "value": c} for c in spec.choices]
        return {"widget": "select", "options": options, "multiple": kind == "choices"}
    if kind == "url":
        return {"widget": "string", "pattern": URL_PATTERN}
    if kind == "path":
        return {"widget": "image", "choose_url": False}
    if kind in SUB_FIELDS:
        return {"widget": "list", "collapsed": True, "summary": SUMMARIES[kind],
                "fields": [_field(sub, timed) for sub in SUB_FIELDS[kind]]}
    raise AssertionError(f"no CMS widget for field type {kind}")  # a new type in schema.py needs one here


def _field(spec: Field, timed: bool) -> dict[str, Any]:
    return {"label": _cap(spec.label or spec.name), "name": spec.name, **_widget(spec, timed),
            "required": spec.required}


def _collection(kind: Kind, content: str) -> dict[str, Any]:
    timed = kind.name in TIMED_KINDS
    fields = [_field(spec, timed) for spec in kind.fields]
    identifier = _identifier(kind)
    # The identifier (and the date) first, then the order of the schema; the body last, as in the files.
    fields.sort(key=lambda f: (f["name"] != identifier, f["name"] != "date"))
    if kind.name == "articles":
        date = next(f for f in fields if f["name"] == "date")
        date["default"] = "{{now}}"
    fields.append({"label": "Nội dung", "name": "body", "widget": "markdown", "required": timed})
    collection: dict[str, Any] = {
        "name": kind.name, "label": _cap(kind.label), "label_singular": _cap(kind.label),
        "folder": f"{content}/{kind.folder}", "create": True, "extension": "md", "format": "frontmatter",
        "identifier_field": identifier, "slug": "{{slug}}", "fields": fields,
    }
    if kind.name == "articles":  # content/articles/<year>/<slug>.md, the year of the article's date
        collection.update(path="{{year}}/{{slug}}", sortable_fields=[
            {"field": "date", "label": "Ngày đăng", "default_sort": "desc"}, {"field": "title", "label": "Tiêu đề"}])
    return collection


def config(settings: dict[str, Any]) -> dict[str, Any]:
    """Decap CMS's config.yml, as a dict, from ``schema.KINDS`` and a few Pelican settings.

    Settings read: ``CMS_LOCAL_BACKEND_URL`` (decap-server's API, default 127.0.0.1:8081),
    ``CMS_CONTENT_FOLDER`` (the content folder relative to the repository, default ``content``),
    ``CMS_BACKEND`` (default git-gateway on ``main``), ``SITEURL``. ``write_admin`` also reads ``CMS_NODE_MODULES``.
    """
    content = str(settings.get("CMS_CONTENT_FOLDER") or "content").strip("/")
    out: dict[str, Any] = {
        "backend": dict(settings.get("CMS_BACKEND") or {"name": "git-gateway", "branch": "main"}),
        # Used only when the admin is opened on localhost/127.0.0.1 and decap-server answers there.
        "local_backend": {"url": settings.get("CMS_LOCAL_BACKEND_URL") or DEFAULT_LOCAL_BACKEND},
        "locale": "vi",
        "logo_url": "/theme/img/logo.svg",
        "media_folder": f"{content}/images",
        # Image fields hold paths inside content/ ("images/anh.jpg", docs/content-model.md), no leading "/".
        "public_folder": "images",
        # File names are slugs: ASCII, no diacritics ("Thi đua Đắk Lắk" → thi-dua-dak-lak).
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": [_collection(kind, content) for kind in KINDS.values()],
    }
    if settings.get("SITEURL"):
        out["site_url"] = out["display_url"] = settings["SITEURL"]
    return out


def decap_dist(settings: dict[str, Any]) -> Path | None:
    """The folder holding Decap's built script (``npm ci`` puts it in node_modules), or None.

    ``CMS_NODE_MODULES`` names the node_modules folder; by default the working directory's, then the repository's.
    """
    given = settings.get("CMS_NODE_MODULES")
    candidates = [Path(given)] if given else [Path.cwd() / "node_modules", REPO / "node_modules"]
    for base in candidates:
        if (base / "decap-cms" / "dist" / DECAP_SCRIPT).is_file():
            return base / "decap-cms" / "dist"
    return None


def _admin_source(settings: dict[str, Any]) -> Path:
    theme = Path(settings.get("THEME") or REPO / "theme") / "admin"
    return theme if (theme / "index.html").is_file() else REPO / "theme" / "admin"


def write_admin(output_path: str | Path, settings: dict[str, Any]) -> Path:
    """Write ``admin/``: the page, its set-up script, config.yml and Decap's script (when installed)."""
    target = Path(output_path) / "admin"
    target.mkdir(parents=True, exist_ok=True)
    source = _admin_source(settings)
    for name in ADMIN_FILES:
        shutil.copyfile(source / name, target / name)
    header = "# Generated by plugins/portal/cms.py from the content model (schema.KINDS): do not edit.\n"
    (target / "config.yml").write_text(
        header + yaml.safe_dump(config(settings), allow_unicode=True, sort_keys=False, width=1000),
        encoding="utf-8")
    dist = decap_dist(settings)
    if dist is None:
        logger.info("Trang biên tập /admin/ chưa có mã Decap CMS (node_modules/decap-cms): "
                    "chạy `npm ci` ở thư mục gốc rồi dựng lại trang.")
        return target
    # The main script loads numbered chunks (and wasm) from its own folder when needed.
    for path in sorted(dist.iterdir()):
        chunk = path.name.endswith(("." + DECAP_SCRIPT, ".wasm"))
        if chunk or path.name in (DECAP_SCRIPT, DECAP_SCRIPT + ".LICENSE.txt"):
            shutil.copyfile(path, target / path.name)
    return target
