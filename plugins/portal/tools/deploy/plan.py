"""What a bucket must hold (one ``Item`` per object) and what to do to get there (a ``Plan``).

The comparison is by content, never by date: a file is uploaded when the bucket lacks it or holds
other bytes (MD5); when only its headers changed (a new Cache-Control rule, say) it is copied onto
itself with the new headers instead (``copy_object``, no bytes sent). The bucket's listing gives each
object's ETag and size; the manifest the tool keeps in the bucket gives the MD5 and the header digest
of every object it wrote, trusted only while the listing still shows that object's ETag and size. An
object the manifest does not vouch for (written by an interrupted deploy, uploaded in parts, or by
another tool) is read with HEAD: the MD5 and header digest stored in its metadata, else a plain-MD5
ETag. Objects under the prefix that the site no longer has are deleted, last.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .headers import GROUPS, PAGES, REDIRECTS, Headers, headers_for
from .local import LocalFile, redirect_pairs

__all__ = ["Entry", "Item", "Plan", "Remote", "desired", "diff"]

_PLAIN_ETAG = re.compile(r"^[0-9a-f]{32}$")


@dataclass(frozen=True)
class Item:
    """One object the bucket must hold."""

    key: str
    rel: str  # the site path it answers for: a sibling's base, an alias's own path
    path: Path | None  # where its bytes are; None: an empty body
    size: int
    md5: str
    headers: Headers
    group: str

    @property
    def is_redirect(self) -> bool:
        return bool(self.headers.redirect)


@dataclass(frozen=True)
class Remote:
    """One object of the bucket's listing."""

    etag: str
    size: int


@dataclass(frozen=True)
class Entry:
    """What the manifest knows of an object the tool wrote."""

    md5: str
    size: int
    etag: str
    headers: str  # Headers.digest()

    def as_json(self) -> dict[str, object]:
        return asdict(self)


@dataclass
class Plan:
    uploads: list[Item] = field(default_factory=list)
    fixes: list[Item] = field(default_factory=list)  # same bytes, new headers: copy_object
    deletes: list[str] = field(default_factory=list)
    unchanged: int = 0
    known: dict[str, Entry] = field(default_factory=dict)  # manifest entries of objects left as they are
    heads: int = 0  # objects that had to be read with HEAD

    @property
    def upload_bytes(self) -> int:
        return sum(item.size for item in self.uploads)

    def in_group(self, group: str) -> list[tuple[str, Item]]:
        """("upload" | "fix", item) of one group, in path order."""
        work = [("upload", i) for i in self.uploads if i.group == group] + \
               [("fix", i) for i in self.fixes if i.group == group]
        return sorted(work, key=lambda w: w[1].key)

    @property
    def empty(self) -> bool:
        return not (self.uploads or self.fixes or self.deletes)


def desired(output: Path, files: Iterable[LocalFile], md5s: Mapping[str, str], prefix: str,
            website_redirects: bool) -> dict[str, Item]:
    """key -> Item for every file to publish, and (``website_redirects``) an object per alias that redirects."""
    items: dict[str, Item] = {}
    for f in files:
        headers, group = headers_for(f.sibling_of or f.rel, f.encoding)
        items[prefix + f.rel] = Item(prefix + f.rel, f.sibling_of or f.rel, f.path, f.size, md5s[f.rel], headers,
                                     group)
    if website_redirects:
        for old, new in sorted(redirect_pairs(output).items()):
            if old.endswith("/"):
                continue  # "/x/" is the key "x/index.html" (the website's index document), below
            rel = old.lstrip("/")
            page = items.get(prefix + rel) or items.get(prefix + rel + "/index.html")
            headers, _ = headers_for(rel if page is None else page.rel, redirect=new)
            if page is None:  # an empty object: its headers are all it is
                items[prefix + rel] = Item(prefix + rel, rel, None, 0, "d41d8cd98f00b204e9800998ecf8427e", headers,
                                           REDIRECTS)
            else:  # the refresh page as the body: a host ignoring the header still redirects
                items[prefix + rel] = Item(prefix + rel, rel, page.path, page.size, page.md5,
                                           Headers(page.headers.content_type, page.headers.cache_control, "", new),
                                           REDIRECTS)
    return items


def _etag(value: str) -> str:
    return value.strip().strip('"')


def diff(items: Mapping[str, Item], listing: Mapping[str, Remote], manifest: Mapping[str, Entry],
         head: Callable[[list[str]], dict[str, tuple[str | None, str | None]]], *, force: bool = False,
         keep: Iterable[str] = ()) -> Plan:
    """The plan from the bucket's state to ``items``.

    ``head(keys)`` reads objects the manifest does not vouch for: key -> (md5 or None, header digest or None).
    Keys in ``keep`` (the manifest itself) are never deleted.
    """
    plan = Plan()
    unknown: list[Item] = []
    vouched: dict[str, tuple[str | None, str | None]] = {}
    for key, item in items.items():
        remote = listing.get(key)
        if force or remote is None or remote.size != item.size:
            plan.uploads.append(item)
            continue
        entry = manifest.get(key)
        if entry is not None and entry.etag == remote.etag and entry.size == remote.size:
            vouched[key] = (entry.md5, entry.headers)
        else:
            unknown.append(item)
    if unknown:
        read = head([item.key for item in unknown])
        plan.heads = len(unknown)
        for item in unknown:
            md5, headers = read.get(item.key, (None, None))
            etag = listing[item.key].etag
            if md5 is None and _PLAIN_ETAG.match(etag):
                md5 = etag
            vouched[item.key] = (md5, headers)
    for key, (md5, headers) in vouched.items():
        item = items[key]
        if md5 != item.md5:
            plan.uploads.append(item)
        elif headers != item.headers.digest():
            plan.fixes.append(item)
        else:
            plan.unchanged += 1
            plan.known[key] = Entry(item.md5, item.size, listing[key].etag, headers)
    keep = set(keep)
    plan.deletes = sorted(key for key in listing if key not in items and key not in keep)
    order = {group: n for n, group in enumerate(GROUPS)}
    plan.uploads.sort(key=lambda i: (order[i.group], i.key))
    plan.fixes.sort(key=lambda i: (order[i.group], i.key))
    return plan


def describe(plan: Plan, dry_run: bool, limit: int = 0) -> list[str]:
    """The plan in Vietnamese: a summary line, then (``limit``) up to that many actions."""
    redirects = sum(1 for i in plan.uploads + plan.fixes if i.is_redirect)
    pages = sum(1 for i in plan.uploads if i.group == PAGES)
    lines = [(f"{'Kế hoạch (chạy thử, không thay đổi gì)' if dry_run else 'Kế hoạch'}: tải lên {len(plan.uploads)} "
             f"tệp ({human_size(plan.upload_bytes)}; {pages} trang), sửa tiêu đề {len(plan.fixes)} tệp, "
             f"{redirects} đối tượng chuyển hướng, xoá {len(plan.deletes)} tệp; {plan.unchanged} tệp giữ nguyên.")]
    if limit:
        actions = [f"  tải lên   {i.key} ({human_size(i.size)}){' → ' + i.headers.redirect if i.is_redirect else ''}"
                   for i in plan.uploads]
        actions += [f"  sửa tiêu đề {i.key}{' → ' + i.headers.redirect if i.is_redirect else ''}" for i in plan.fixes]
        actions += [f"  xoá       {key}" for key in plan.deletes]
        lines += actions[:limit]
        if len(actions) > limit:
            lines.append(f"  … và {len(actions) - limit} việc khác")
    return lines


def human_size(n: int) -> str:
    """Bytes as the plan prints them (1.5 MB)."""
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} B"  # pragma: no cover
