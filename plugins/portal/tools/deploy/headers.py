"""The headers each published file gets, from one declared table, and the order files go online in.

An object store sends the headers stored with each object, so they are decided here, once, the way
deploy/nginx.conf decides them for the shipped nginx: content-hashed files (Pagefind's index files,
Decap's hashed wasm, the photos whose names carry a digest) are cached for a year, everything else
for five minutes with revalidation. The first rule whose pattern matches the whole path wins.

The group says when a file goes online: content-hashed files first (nothing points at a new one
until the pages and entry files that name it are up), then the other assets and the search files,
then the pages with their feeds and sitemap, then the alias redirects; deletes come after all that.
"""

from __future__ import annotations

import functools
import hashlib
import json
import mimetypes
import re
from dataclasses import asdict, dataclass
from typing import Any

__all__ = ["GROUPS", "IMMUTABLE", "REVALIDATE", "RULES", "Headers", "Rule", "headers_for"]

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "public, max-age=300, must-revalidate"

HASHED, ASSETS, PAGES, REDIRECTS = "hashed", "assets", "pages", "redirects"
GROUPS = (HASHED, ASSETS, PAGES, REDIRECTS)  # upload order

OCTETS = "application/octet-stream"


@dataclass(frozen=True)
class Rule:
    """Files whose path (below the site root, no leading "/") fully matches ``pattern``."""

    pattern: str
    cache_control: str
    group: str
    content_type: str = ""  # "" = by suffix (TYPES)


# First match wins; mirrors the $portal_cache_control map of deploy/nginx.conf.
RULES: tuple[Rule, ...] = (
    Rule(r"pagefind/.+\.pf_(fragment|index|filter|meta)", IMMUTABLE, HASHED, OCTETS),
    Rule(r"admin/[0-9a-f]{16,}\.wasm", IMMUTABLE, HASHED, "application/wasm"),
    Rule(r"anh/[^/]+-[0-9a-f]{8}\.(avif|webp|jpg)", IMMUTABLE, HASHED),  # a photo's name carries its digest
    # Pagefind's wasm ("wasm.unknown.pagefind") and pagefind.js carry no hash: revalidated, like nginx does.
    Rule(r"pagefind/.+\.pagefind", REVALIDATE, ASSETS, OCTETS),
    Rule(r"(.+/)?[^/]+\.html", REVALIDATE, PAGES),
    Rule(r"(.+/)?atom\.xml", REVALIDATE, PAGES, "application/atom+xml"),
    Rule(r"sitemap[^/]*\.xml|robots\.txt", REVALIDATE, PAGES),
    Rule(r".*", REVALIDATE, ASSETS),
)

TYPES = {
    ".html": "text/html", ".css": "text/css", ".js": "text/javascript", ".mjs": "text/javascript",
    ".json": "application/json", ".xml": "application/xml", ".svg": "image/svg+xml", ".txt": "text/plain",
    ".csv": "text/csv", ".yml": "text/yaml", ".yaml": "text/yaml", ".webmanifest": "application/manifest+json",
    ".avif": "image/avif", ".webp": "image/webp", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png",
    ".gif": "image/gif", ".ico": "image/x-icon", ".pdf": "application/pdf", ".wasm": "application/wasm",
    ".woff2": "font/woff2", ".woff": "font/woff", ".map": "application/json",
}
_TEXT = re.compile(r"^(text/.*|application/(.+\+)?(json|xml|javascript)|image/svg\+xml)$")


def content_type(rel: str, declared: str = "") -> str:
    """The Content-Type of a path: declared, by suffix, or guessed; text types get ``; charset=utf-8``."""
    suffix = "." + rel.rsplit(".", 1)[-1].lower() if "." in rel.rsplit("/", 1)[-1] else ""
    kind = declared or TYPES.get(suffix) or mimetypes.guess_type(rel, strict=False)[0] or OCTETS
    return f"{kind}; charset=utf-8" if _TEXT.match(kind) else kind


@dataclass(frozen=True)
class Headers:
    """The headers stored with one object; their digest tells a header-only change from a content change."""

    content_type: str
    cache_control: str
    content_encoding: str = ""
    redirect: str = ""  # WebsiteRedirectLocation: a 301 on an S3 website endpoint

    def digest(self) -> str:
        return hashlib.sha256(json.dumps(asdict(self), sort_keys=True).encode()).hexdigest()[:16]

    def s3_args(self) -> dict[str, Any]:
        """The put_object / copy_object arguments for these headers."""
        args: dict[str, Any] = {"ContentType": self.content_type, "CacheControl": self.cache_control}
        if self.content_encoding:
            args["ContentEncoding"] = self.content_encoding
        if self.redirect:
            args["WebsiteRedirectLocation"] = self.redirect
        return args


@functools.lru_cache(maxsize=4)
def _compiled(rules: tuple[Rule, ...]) -> tuple[tuple[re.Pattern[str], Rule], ...]:
    return tuple((re.compile(rule.pattern, re.DOTALL), rule) for rule in rules)


def rule_for(rel: str) -> Rule:
    """The first rule of ``RULES`` (read at each call, so a test may swap the table) matching ``rel``."""
    for pattern, rule in _compiled(RULES):
        if pattern.fullmatch(rel):
            return rule
    raise AssertionError("RULES ends with a catch-all")  # pragma: no cover


def headers_for(rel: str, encoding: str = "", redirect: str = "") -> tuple[Headers, str]:
    """The headers and the upload group of the file at ``rel`` (a .gz/.br sibling: pass its base and ``encoding``)."""
    rule = rule_for(rel)
    return Headers(content_type(rel, rule.content_type), rule.cache_control, encoding, redirect), rule.group
