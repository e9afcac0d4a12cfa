"""Names of records for the search page: "direct hits" and suggestions, in small shards.

A reader who types a name ("Nguyễn Thị An", "nong thon moi", "Kon Tum")
wants that record's page, not a list of articles that mention it. Every
campaign, cluster, award, exemplar and province (merged ones too) is
therefore findable by its name, short name and ``aliases``, with or without
diacritics (``vietnamese.fold``, so "đ" is "d").

One file of every name would be megabytes on a national archive, so the
names are cut into shards the page downloads one at a time:

- Each name, folded, is split into syllables; every *suffix* of it ("nguyen
  thi an", "thi an", "an") is a string that points at the record. A query
  whose syllables stand together in a name, in order (the last one perhaps
  half typed), is a prefix of one of those strings, and so is the query
  without its first syllables: the page may look up whichever part of the
  query has the smallest shard.
- The strings are sorted and cut into shards of at most ``LIMIT`` bytes. A
  shard that would grow past it is split by the next character ("ng" into
  "nga", "ngh" …, neighbours packed together), so cuts fall at the same
  places from build to build and one new exemplar changes a shard per
  syllable at most. The manifest (``manifest``) lists each shard's first key
  and size; a key is where the shard's range of strings begins.
- A string that ends too many names to fit one shard ("hùng", "văn hùng")
  keeps only the records whose *whole* name it is, and its shard is marked
  partial: the record stays findable by its full name or any longer part
  of it, and the page prefers another part of the query.

A shard is a JSON list of rows ``[url, kind, context, filter slug, name,
other names…]``; ``kind`` indexes the manifest's kinds (label, search filter
key and noun, from schema.py and taxonomies.py). ``names.js`` does the lookup
(``shard_for`` here is its twin, for the tests).
"""

from __future__ import annotations

import bisect
import hashlib
import json
import marshal
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from .profiles import best_honour, province_of
from .schema import KINDS, RECORD_KINDS, field_at
from .vietnamese import fold, format_date, nfc, words

if TYPE_CHECKING:
    from .cache import Memo
    from .graph import SiteGraph
    from .model import Record

__all__ = ["FOLDER", "LIMIT", "Entry", "Shard", "cut", "decode_key", "encode_key", "entries", "files", "manifest",
           "read_manifest", "shard_for", "tokens"]

FOLDER = "tim-kiem/ten/"
LIMIT = 16_000  # raw bytes of a shard (about 3 KB gzipped) before it is split
_VALID_TO = field_at("clusters.valid_to")
_MERGED_INTO = field_at("provinces.merged_into")


def tokens(text: str) -> list[str]:
    """The folded syllables of a name or a query, as names.js splits them."""
    return words(fold(text))


def encode_key(key: str) -> str:
    """A shard key as a file name and in the manifest: "" is "-", a space "_", a non-ASCII letter "~hex~"."""
    if not key:
        return "-"
    return "".join(c if c.isascii() and c.isalnum() else "_" if c == " " else f"~{ord(c):x}~" for c in key)


def decode_key(text: str) -> str:
    if text == "-":
        return ""
    return re.sub(r"~([0-9a-f]+)~", lambda m: chr(int(m.group(1), 16)), text).replace("_", " ")


@dataclass(frozen=True)
class Entry:
    """One record as a shard row carries it: where it is, what it is, and every name it goes by."""

    url: str
    kind: int  # index into ``kinds()``
    context: str  # one line: province, years, highest honour … (see ``_context``)
    within: str  # the term slug for the search page's filter; "" when the filter cannot select it
    names: tuple[str, ...]  # the record's name first, then its short name and aliases

    def row(self, names: Iterable[int]) -> list[Any]:
        """The shard row, with the record's name and the other names that brought it into this shard."""
        return [self.url, self.kind, self.context, self.within, self.names[0],
                *(self.names[i] for i in sorted(set(names)) if i)]

    @property
    def size(self) -> int:
        """Bytes of the row with every name: what the row adds to a shard at most."""
        return len(json.dumps(self.row(range(len(self.names))), ensure_ascii=False, separators=(",", ":")).encode())


def _label(kind: str) -> str:
    label = KINDS[kind].label
    return label[:1].upper() + label[1:]


def kinds(graph: SiteGraph) -> list[list[str]]:
    """Per record kind (RECORD_KINDS order): its label, and the search filter key and noun of its taxonomy."""
    out = []
    for kind in RECORD_KINDS:
        tax = next((t for t in graph.taxonomies.values() if t.record_kind == kind and t.search_filter), None)
        out.append([_label(kind), tax.search_filter if tax else "", tax.search_noun if tax else ""])
    return out


def _years(years: Sequence[int]) -> str:
    years = sorted(set(years))
    if len(years) <= 3:
        return ", ".join(map(str, years))
    return f"{years[0]}–{years[-1]} ({len(years)} năm)"


class _Held(NamedTuple):
    """An honour as a direct hit's line reads it (profiles.best_honour, _years)."""

    year: int
    conferred: bool
    award: Record


class _Read(NamedTuple):
    """All that :func:`entries` reads of the graph besides its records (whose fields and files the caller digests:
    Fingerprint.records_digest) and their terms' addresses (the taxonomy's pattern and the slug), and so all that
    :func:`inputs` digests of it: read in one place, so the two cannot part."""

    listed: dict[str, list[bool | None]]  # per kind, per record in order: whether its term lists articles (None: no
    # term, no page)
    honours: dict[str, list[_Held]]  # per exemplar slug, its honours in order


def _read(graph: SiteGraph) -> _Read:
    listed = {kind: [None if record.term is None else record.term.count > 0 for record in graph.records.all(kind)]
              for kind in RECORD_KINDS}
    honours = {slug: [_Held(h.year, h.conferred, h.award) for h in held]
               for slug, held in graph.honours_by_recipient.items()}
    return _Read(listed, honours)


def _context(record: Record, graph: SiteGraph, read: _Read) -> str:
    """The line under a direct hit: what tells two records of the same name apart."""
    parts: list[str | None] = []
    if record.type == "exemplars":
        province = province_of(record, graph)
        honours = read.honours.get(record.slug, [])
        best = best_honour(honours)  # the profile's (profiles.profile_context), without making all of it
        parts = [province.name if province else None, _years([h.year for h in honours if h.conferred]),
                 best.award.name if best else None]
    elif record.type == "campaigns":
        years = record.period or (f"từ {record.launched.year}" if record.launched else None)
        parts = [years, record.label_of("scope")]
    elif record.type == "awards":
        successor = graph.lookup("awards", record.replaced_by) if record.replaced_by else None
        parts = [record.label_of("category"), f"nay là {successor.name}" if successor else None]
    elif record.type == "clusters":
        parts = [record.label_of("kind"),
                 f"{_VALID_TO.label} {format_date(record.valid_to)}" if record.valid_to else None]
    elif record.type == "provinces":
        successor = graph.lookup("provinces", record.merged_into) if record.merged_into else None
        parts = [record.label_of("kind"), f"{_MERGED_INTO.label} {successor.name}" if successor else None]
    return " · ".join(p for p in parts if p)


def entries(graph: SiteGraph) -> list[Entry]:
    """Every record with a page, by URL: made of the graph's records and of what :func:`_read` reads of the rest."""
    read = _read(graph)
    kind_index = {kind: i for i, kind in enumerate(RECORD_KINDS)}
    filtered = {t.record_kind for t in graph.taxonomies.values() if t.record_kind and t.search_filter}
    out = []
    for kind in RECORD_KINDS:
        for record, listed in zip(graph.records.all(kind), read.listed[kind], strict=True):
            if listed is None:
                continue
            named = (record.name, record.data.get("short_name"), *record.alias_names)
            names = tuple(dict.fromkeys(nfc(n).strip() for n in named if n and tokens(n)))
            if not names:
                continue
            # The search page's menus list only terms with articles: a filter it cannot select would be ignored.
            within = record.slug if kind in filtered and listed else ""
            out.append(Entry(record.term.url, kind_index[kind], _context(record, graph, read), within, names))
    return sorted(out, key=lambda e: e.url)


def inputs(graph: SiteGraph) -> str:
    """A digest of what :func:`entries` reads of the graph besides the records' fields and files (:func:`_read`). An
    edit that moves an article between campaigns keeps the names without making their entries (0.02 s of the build
    at 10,000 articles)."""
    read = _read(graph)
    honours = {slug: [(h.year, h.conferred, h.award.slug) for h in held] for slug, held in read.honours.items()}
    # marshal's version 2 writes values alone (no back-references to shared objects): equal parts, equal bytes.
    return hashlib.blake2b(marshal.dumps([read.listed, honours], 2), digest_size=16).hexdigest()


# A placement: (suffix string, entry index, name index, whether the string is the whole name).
_Placement = tuple[str, int, int, bool]


def _placements(items: Sequence[Entry]) -> list[_Placement]:
    out = []
    for e, entry in enumerate(items):
        for n, name in enumerate(entry.names):
            syllables = tokens(name)
            out += [(" ".join(syllables[i:]), e, n, i == 0) for i in range(len(syllables))]
    out.sort()
    return out


class _Sizer:
    """Bytes of a shard holding some placements: each record's row counts once."""

    def __init__(self, items: Sequence[Entry]) -> None:
        self.sizes = [entry.size + 1 for entry in items]

    def __call__(self, placements: Iterable[_Placement], seen: set[int] | None = None) -> int:
        seen = set() if seen is None else seen
        total = 0
        for _, e, _, _ in placements:
            if e not in seen:
                seen.add(e)
                total += self.sizes[e]
        return total


@dataclass
class Shard:
    """One shard before it is written: where its range of strings begins, and what lies in it."""

    key: str
    placed: list[_Placement]
    partial: bool = False  # strings too common to fit were left out: it may not hold every match


def cut(items: Sequence[Entry], limit: int = LIMIT) -> list[Shard]:
    """The shards, in order; their keys are prefixes of strings, increasing, the first one "".

    A shard's range runs from its key to the next shard's key, so the page finds the shards of any
    prefix by bisection. A node of the trie of strings that outgrows ``limit`` is split by the next
    character; neighbouring children share a shard while they fit.
    """
    size = _Sizer(items)
    out: list[Shard] = []

    def split(key: str, placed: list[_Placement], start: str) -> None:
        if size(placed) <= limit:
            out.append(Shard(start, placed))
            return
        at = len(key)
        exact = [p for p in placed if len(p[0]) == at]
        children: list[tuple[str, list[_Placement]]] = []
        for p in placed:
            if len(p[0]) > at:
                child = key + p[0][at]
                if not children or children[-1][0] != child:
                    children.append((child, []))
                children[-1][1].append(p)
        first = True
        if exact and (not children or size(exact) > limit):
            # One string shared by too many names ("văn hùng"): keep the names it is the whole of, alone.
            whole = [p for p in exact if p[3]]
            out.append(Shard(start, whole, partial=len(whole) < len(exact)))
            first, exact = False, []
        groups = [(key, exact)] if exact else []
        groups += children
        bucket: list[_Placement] = []
        bucket_start, seen, filled = "", set(), 0
        for group_key, group in groups:
            if group_key != key and size(group) > limit:
                if bucket:
                    out.append(Shard(bucket_start, bucket))
                    bucket, seen, filled = [], set(), 0
                split(group_key, group, start if first else group_key)
                first = False
                continue
            if bucket and filled + size(group, set(seen)) > limit:
                out.append(Shard(bucket_start, bucket))
                bucket, seen, filled = [], set(), 0
            if not bucket:
                bucket_start = start if first else group_key
                first = False
            bucket += group
            filled += size(group, seen)
        if bucket:
            out.append(Shard(bucket_start, bucket))

    split("", _placements(items), "")
    return out


def _shard(items: Sequence[Entry], placed: list[_Placement]) -> bytes:
    names: dict[int, set[int]] = {}
    for _, e, n, _ in placed:
        names.setdefault(e, set()).add(n)
    rows = [items[e].row(n) for e, n in sorted(names.items(), key=lambda pair: items[pair[0]].url)]
    return (json.dumps(rows, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


def _build(graph: SiteGraph, memo: Memo | None = None, inputs: str = "") -> dict[str, Any]:
    """The shards and the manifest, once per build; ``memo`` (the build's) keeps them while the entries are the same:
    cutting and writing the shards of 10,000 articles' records took 0.1 s of every edit build. ``inputs``: a digest
    the caller has of everything the entries are made of (the site's key, the records' and :func:`inputs`): a
    build with the last one's takes them from ``memo`` without making the entries (0.03 s at 10,000 articles)."""
    def compute(g: SiteGraph) -> dict[str, Any]:
        if memo is not None and inputs:
            known = memo.get(f"names-of:{inputs}")
            value = memo.get(known) if known else None
            if value is not None:
                return value
        items, labels = entries(g), kinds(g)

        def make() -> dict[str, Any]:
            shards = [(encode_key(s.key), _shard(items, s.placed), s.partial) for s in cut(items)] if items else []
            return {
                "files": {f"{FOLDER}{name}.json": data for name, data, _ in shards},
                "manifest": {"kinds": labels,
                             "shards": " ".join(f"{name}:{-(-len(data) // 100)}{'!' if partial else ''}"
                                                for name, data, partial in shards)},
            }

        if memo is None:
            return make()
        key = "names:" + hashlib.blake2b(repr((items, labels)).encode(), digest_size=16).hexdigest()
        value = memo.fetch(key, make)
        if inputs:
            memo.put(f"names-of:{inputs}", key)
        return value
    return graph.memo("search_names", compute)


def files(graph: SiteGraph, memo: Memo | None = None, inputs: str = "") -> dict[str, bytes]:
    """Every shard: path below the site root (``tim-kiem/ten/<key>.json``) -> bytes.

    The first of ``files`` and ``manifest`` a build asks for makes both (``memo``, ``inputs``: see ``_build``)."""
    return _build(graph, memo, inputs)["files"]


def manifest(graph: SiteGraph) -> dict[str, Any]:
    """What the search page needs to pick a shard: ``shards`` is "key:size …" (size in hundreds of bytes,
    keys encoded as ``encode_key``, "!" after a partial shard), ``kinds`` the label, filter key and noun
    of each record kind."""
    return _build(graph)["manifest"]


def read_manifest(shards: str) -> list[tuple[str, int, bool]]:
    """The manifest's "key:size …" as (decoded key, size, partial) triples, in order: what names.js reads."""
    out = []
    for item in shards.split():
        key, _, size = item.rpartition(":")
        out.append((decode_key(key), int(size.rstrip("!")), size.endswith("!")))
    return out


def shard_for(shards: Sequence[tuple[str, int, bool]], query: str) -> tuple[int, bool] | None:
    """The shard names.js downloads for ``query``: (its index in ``shards``, whether it holds every match).

    Each suffix of the query's syllables is a candidate ("nguyen thi an", "thi an", "an"): one whose
    strings lie in one whole shard wins over the others, then the fewest shards, then the smallest.
    When none does, the first shard of its range is read: it holds the names that begin with it exactly.
    """
    keys = [key for key, _, _ in shards]
    syllables = tokens(query) if shards else []
    best: tuple[int, int, int, int] | None = None  # (incomplete, shards spanned, size, first shard)
    for i in range(len(syllables)):
        text = " ".join(syllables[i:])
        first = bisect.bisect_right(keys, text) - 1
        last = bisect.bisect_right(keys, text + "\uffff") - 1
        whole = first == last and not any(partial for _, _, partial in shards[first:last + 1])
        candidate = (0 if whole else 1, last - first + 1, shards[first][1], first)
        if best is None or candidate[:3] < best[:3]:
            best = candidate
    if best is None:
        return None
    return best[3], best[0] == 0
