"""Browser editing: a Decap CMS admin at /admin/, its configuration generated from the content model.

Every collection and field of the CMS is derived from ``schema.KINDS``, so the
content model stays declared in one place: a field added to the schema shows up
in the editor with its Vietnamese label, its type's widget (fields.py), its
references and its choices.

- :func:`config` builds Decap's ``config.yml`` (a dict) from the declarations;
- :func:`admin_files` makes ``output/admin/`` (page, config, Decap's script).

Decap's JavaScript comes from npm (``npm ci`` installs ``node_modules/decap-cms``)
and is copied by the build: nothing is loaded from a CDN at run time. Without
``node_modules`` the build still succeeds; the admin page then says what to install.
Local editing: ``invoke admin`` runs ``decap-server``, which writes into ``content/``.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path
from typing import Any

import yaml

from .fields import Kind, cms_field
from .schema import KINDS

__all__ = ["DEFAULT_LOCAL_BACKEND", "admin_files", "admin_inputs", "admin_sources", "config", "decap_dist"]

logger = logging.getLogger(__name__)

REPO = Path(__file__).resolve().parents[2]
DEFAULT_LOCAL_BACKEND = "http://127.0.0.1:8081/api/v1"  # decap-server (invoke admin)
DECAP_SCRIPT = "decap-cms.js"  # node_modules/decap-cms/dist/decap-cms.js, with its lazy chunks and wasm
ADMIN_FILES = ("index.html", "admin.js")  # theme/admin/


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _collection(kind: Kind, content: str) -> dict[str, Any]:
    fields = [cms_field(spec, KINDS) for spec in kind.fields]
    identifier = kind.identifier
    # The identifier (and the date) first, then the order of the schema.
    fields.sort(key=lambda f: (f["name"] != identifier, f["name"] != "date"))
    if kind.name == "articles":
        date = next(f for f in fields if f["name"] == "date")
        date["default"] = "{{now}}"
    # The body last, as in the files: an article or a page is its body; a record's is optional.
    fields.append({"label": "Nội dung", "name": "body", "widget": "markdown", "required": identifier == "title"})
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
    ``CMS_BACKEND`` (default git-gateway on ``main``), the site's address (``PORTAL["site_url"]``). ``admin_files`` also reads ``CMS_NODE_MODULES``.
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
    address = (settings.get("PORTAL") or {}).get("site_url")
    if address:
        out["site_url"] = out["display_url"] = address
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


# libyaml's emitter where PyYAML has it (its wheels do): the same text as the Python one, 0.03 s sooner per build.
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def admin_files(settings: dict[str, Any], sources: dict[str, Path] | None = None) -> dict[str, bytes]:
    """``admin/``: the page, its set-up script, config.yml and Decap's script (when installed), by output path.

    As bytes, so that a build writes them only when they change (about 100 files, 6 MB). ``sources``: what
    :func:`admin_sources` gave, when the caller has it.
    """
    sources = admin_sources(settings) if sources is None else sources
    files = {name: path.read_bytes() for name, path in sources.items()}
    files["admin/config.yml"] = _config_yml(settings)
    return files


def admin_inputs(settings: dict[str, Any], sources: dict[str, Path]) -> str:
    """A digest of what :func:`admin_files` reads: the config as data, and each of ``sources`` by name, size and
    mtime. While it is the last build's, a build keeps ``admin/`` without reading its 6 MB again (0.02 s). The
    config goes in as JSON, not as the YAML written: equal data dump to equal YAML, and the dump took 7.5 ms of
    every build against 0.4 ms."""
    parts = [json.dumps(config(settings), ensure_ascii=False).encode("utf-8")]
    for name, path in sources.items():
        st = path.stat()
        parts.append(f"{name}\x1e{path}\x1e{st.st_size}\x1e{st.st_mtime_ns}".encode())
    return hashlib.blake2b(b"\x1f".join(parts), digest_size=16).hexdigest()


def _config_yml(settings: dict[str, Any]) -> bytes:
    header = "# Generated by plugins/portal/cms.py from the content model (schema.KINDS): do not edit.\n"
    return (header + yaml.dump(config(settings), Dumper=_DUMPER, allow_unicode=True, sort_keys=False,
                               width=1000)).encode("utf-8")


def admin_sources(settings: dict[str, Any]) -> dict[str, Path]:
    """The files ``admin/`` copies, by output path: the theme's page and set-up script, Decap's script (once per
    build: without Decap, it says how to install it)."""
    source = _admin_source(settings)
    files = {f"admin/{name}": source / name for name in ADMIN_FILES}
    dist = decap_dist(settings)
    if dist is None:
        logger.info("Trang biên tập /admin/ chưa có mã Decap CMS (node_modules/decap-cms): "
                    "chạy `npm ci` ở thư mục gốc rồi dựng lại trang.")
        return files
    # The main script loads numbered chunks (and wasm) from its own folder when needed.
    for path in sorted(dist.iterdir()):
        chunk = path.name.endswith(("." + DECAP_SCRIPT, ".wasm"))
        if chunk or path.name in (DECAP_SCRIPT, DECAP_SCRIPT + ".LICENSE.txt"):
            files[f"admin/{path.name}"] = path
    return files

