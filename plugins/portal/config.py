"""Typed settings of the portal plugin, with every default in one place.

Set them in ``pelicanconf.py`` as ``PORTAL = {"strict": True, ...}``; an
unknown key is an error, so a typo cannot silently fall back to a default.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any


@dataclass(frozen=True)
class PortalConfig:
    strict: bool = False  # warnings fail the build (CI and production)
    per_page: int = 20  # articles per term, news and profile page
    feed_items: int = 20  # entries in each Atom feed
    related_count: int = 5  # related articles under an article
    related_window: int = 60  # neighbours looked at inside one large term
    home_latest: int = 8
    home_featured: int = 3
    home_campaigns: int = 6
    home_exemplars: int = 8
    honour_roll_max_rank: int = 71  # "Bảng vàng": Cờ thi đua của Chính phủ and above
    search_bundle_size: int = 150  # records per search-index bundle (see search.plan)
    search_enough: int = 10  # results that spare a query from opening older bundles
    search_auto_bundles: int = 7  # bundles a query may open by itself; older ones on request
    media_store: str = ""  # where encoded photos are kept for every build; "" = ~/.cache/thidua-portal/media

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
        return cls(**given)
