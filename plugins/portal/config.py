"""Typed settings of the portal plugin, with every default in one place.

Set them in ``pelicanconf.py`` as ``PORTAL = {"strict": True, ...}``; an
unknown key is an error, so a typo cannot silently fall back to a default.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, fields
from typing import Any

SITE_URL_ENV = "PORTAL_SITE_URL"  # how CI and `make build` give the site's address (read by the settings files)
JOBS_ENV = "PORTAL_JOBS"  # worker processes for a build, as a CI runner sets it (overrides PORTAL["jobs"])
SEARCH_INDEXERS = ("portal", "pagefind")  # PortalConfig.search_indexer
_ADDRESS = re.compile(r"https?://[^/\s?#@]+", re.IGNORECASE)  # a domain's root: links are root-relative


@dataclass(frozen=True)
class PortalConfig:
    strict: bool = False  # warnings fail the build (CI and production)
    production: bool = False  # a build for readers: it must know the site's address (publishconf.py)
    # The site's own address, "https://thidua.example.vn": canonical URLs, og:url and og:image, JSON-LD, the sitemap
    # and the feeds' links and ids use it. Links between the portal's pages stay root-relative ("/phong-trao/…"),
    # so one build serves a staging address, the preview and the live domain alike.
    site_url: str = ""
    per_page: int = 20  # articles per term, news and profile page
    feed_items: int = 20  # entries in each Atom feed
    related_count: int = 5  # related articles under an article
    related_window: int = 60  # neighbours looked at inside one large term
    home_latest: int = 8
    home_featured: int = 3
    home_campaigns: int = 6
    home_exemplars: int = 8
    honour_roll_max_rank: int = 71  # "Bảng vàng": Cờ thi đua của Chính phủ and above
    search_bundle_size: int = 120  # records per search-index bundle (see search.plan): ~120 KB of word index each
    search_enough: int = 10  # results that spare a query from opening older bundles
    search_auto_bundles: int = 7  # bundles a query may open by itself; older ones on request
    search_auto_bytes: int = 160_000  # word-index bytes a query may download by itself (one bundle at least)
    search_rare_bytes: int = 320_000  # ...or, when the word summary leaves bundles this small, all of them
    # Who writes the search bundles' index files: "portal" (pagefind_index.py, for every bundle whose records it
    # handles; the Pagefind binary for the rest and for its scripts) or "pagefind" (the binary for all of them).
    search_indexer: str = "portal"
    media_store: str = ""  # where encoded photos are kept for every build; "" = ~/.cache/thidua-portal/media
    # Worker processes for parsing, rendering, the search index, photos and compression; 0 = every core.
    # `python -m portal build --jobs N` and the environment variable PORTAL_JOBS override it; 1 for debugging.
    jobs: int = 0

    @classmethod
    def from_settings(cls, settings: dict[str, Any]) -> PortalConfig:
        given = dict(settings.get("PORTAL") or {})
        known = {f.name: f.type for f in fields(cls)}
        unknown = sorted(set(given) - set(known))
        if unknown:
            raise ValueError(f"PORTAL has unknown keys {unknown}; known keys: {sorted(known)}")
        for key, value in given.items():
            expected = {"bool": bool, "int": int, "str": str}[known[key]]
            if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
                raise ValueError(f"PORTAL[{key!r}] must be {known[key]}, got {value!r}")
        address = given.get("site_url", "").strip().rstrip("/")
        if address and not _ADDRESS.fullmatch(address):
            raise ValueError(f"địa chỉ trang '{address}' (PORTAL['site_url'], biến môi trường {SITE_URL_ENV}) "
                             "không hợp lệ: cần địa chỉ http(s) của gốc tên miền (cổng đặt ở gốc), ví dụ "
                             "https://thiduakhenthuong.gov.vn")
        if given.get("jobs", 0) < 0:
            raise ValueError(f"PORTAL['jobs'] must be 0 (every core) or more, got {given['jobs']!r}")
        if given.get("search_indexer", "portal") not in SEARCH_INDEXERS:
            raise ValueError(f"PORTAL['search_indexer'] must be one of {list(SEARCH_INDEXERS)}, "
                             f"got {given['search_indexer']!r}")
        if given.get("production") and not address:
            raise ValueError(f"bản dựng cho bạn đọc cần địa chỉ của trang: đặt biến môi trường {SITE_URL_ENV}="
                             "https://ten-mien-cua-ban (hoặc PORTAL['site_url'] trong publishconf.py); "
                             "xem trước trên máy: make serve")
        return cls(**{**given, "site_url": address} if "site_url" in given else given)

    def workers(self, override: int | None = None) -> int:
        """How many worker processes this build uses: ``override`` (--jobs), PORTAL_JOBS, ``jobs``, else every core."""
        env = os.environ.get(JOBS_ENV, "").strip()
        if override is None and env:
            if not env.isdigit():
                raise ValueError(f"{JOBS_ENV}={env!r}: cần một số nguyên (0 = mọi lõi), ví dụ {JOBS_ENV}=4")
            override = int(env)
        wanted = self.jobs if override is None else override
        if wanted < 0:
            raise ValueError(f"--jobs {wanted}: cần 0 (mọi lõi) hoặc một số dương")
        return wanted or os.cpu_count() or 1
