"""Search index: Pagefind records for articles and exemplar profiles.

The index is written as a step of every build, from the graph (no HTML is
re-parsed): article bodies and exemplar profiles only, never navigation or
list pages. Each record carries the filters readers narrow by (campaign,
cluster, award, province, year, kind) with the records' Vietnamese names as
values, and a date to sort by.

Pagefind folds tone marks but not "đ", which has no Unicode decomposition,
so "dua" would never find "đua". Each record therefore gets a small ``kd``
meta field: its đ-words folded to ASCII ("đua Đắk" → "dak dua"). Keeping the
folded copy to those words leaves excerpts accented and fragments small.
"""

from __future__ import annotations

import contextlib
import fnmatch
import hashlib
import html
import importlib.metadata
import importlib.util
import json
import marshal
import math
import os
import pickle
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from . import pagefind_index, pagefind_runner, profiles, serving
from .cache import Memo
from .files import replaced
from .forked import SEARCH_NICE, Forked, remove_later, sweep
from .model import Record
from .pagefind_runner import Job
from .progress import Progress
from .search_words import article_text, bundle_words, memo_key, words_of
from .vietnamese import d_words, format_date, plain_text

from .taxonomy import ordered

if TYPE_CHECKING:
    from .graph import SiteGraph
    from .taxonomy import Taxonomy, Term

__all__ = ["BUNDLES_FILE", "KIND_ARTICLE", "KIND_EXEMPLAR", "Bundle", "Indexing", "KeptBundles", "bundle_years",
           "bundles_file", "menus", "plan", "records", "with_texts"]

KIND_ARTICLE = "Bài viết"  # the values of the filter ``loai``: what a result is
KIND_EXEMPLAR = "Điển hình"
_UNUSED = ("pagefind-ui.*", "pagefind-component-ui.*", "pagefind-modular-ui.*", "pagefind-highlight.js",
           "pagefind-worker.js")


def _unused(number: int) -> tuple[str, ...]:
    """The files Pagefind writes for bundle ``number`` that the site does not serve (merged bundles share the first
    one's script and WebAssembly)."""
    return _UNUSED if number == 0 else (*_UNUSED, "pagefind.js", "wasm.*")


def _names(items: Iterable[Any]) -> list[str]:
    """The names of ``items`` (a record's name, else the value: a year stays "2024"), each once, in order; None
    is passed by."""
    out: list[str] = []
    for item in items:
        if item is None:
            continue
        name = item.data["name"] if isinstance(item, Record) else str(item)
        if name not in out:
            out.append(name)
    return out


def _term_names(tax: Taxonomy, article: Any, graph: SiteGraph) -> list[str]:
    """Filter values of an article: the names of its terms; a slug names a record of the taxonomy's kind, if any.

    No list between the two steps: 50,000 calls at 10,000 articles.
    """
    items, kind = tax.terms_of(article), tax.record_kind
    return _names((i if isinstance(i, Record) else graph.lookup(kind, i) for i in items) if kind else items)


def _filtering(graph: SiteGraph) -> list[Taxonomy]:
    return [t for t in graph.taxonomies.values() if t.search_filter]


class MenuTerm(NamedTuple):
    """A term as a filter menu of /tim-kiem/ shows it. Plain values: the search page is keyed on every build, and
    a term itself is keyed with its newest article and its listed facts (Fingerprint.term), which the menu shows
    none of (an award's recipients took 0.4 s of an edit build at 100,000 articles)."""

    slug: str
    name: str
    label: str  # the record's name (a year has none: its slug)
    url: str
    count: int


def menus(graph: SiteGraph) -> list[tuple[str, str, list[MenuTerm]]]:
    """The filter menus of /tim-kiem/: per taxonomy with a filter, its key, its label and its terms with articles."""
    return [(tax.search_filter, tax.search_label,
             [MenuTerm(t.slug, t.name, t.record.name if t.record else t.slug, t.url, t.count)
              for t in ordered(graph.terms[tax.name].values()) if t.count])
            for tax in _filtering(graph)]


_SOURCE = "source"  # a record's key: the digest of the file its content comes from (an article's); Pagefind never sees it
_ARTICLE = "article"  # a record's article until ``with_texts`` makes its content: never keyed, never sent
_TEXT = "text"  # an article record's text by its digest (the reader's portal_text): keys its bundle's words


def _stamp(when: Any) -> str:
    """A date's sort key, to the minute ("202404211217"; a day without a time at 00:00). %-formatting: half the time
    of the f-string's five format specs, for 11,000 records in each search step (strftime of a zoned datetime: 10
    times as long)."""
    return "%04d%02d%02d%02d%02d" % (when.year, when.month, when.day, getattr(when, "hour", 0),
                                     getattr(when, "minute", 0))


def _text(article: Any) -> str:
    """An article record's content. The reader made its plain text when it parsed the file; an article read from
    the parse cache has none (not kept: a third of the cache, cache.Unsaved), nor has a bare Pelican read."""
    return article_text(article.title, article.summary,
                        getattr(article, "portal_plain", None) or plain_text(article.content))


def with_texts(items: Iterable[dict[str, Any]]) -> None:
    """Give the records ``records(…, texts=False)`` left without their content that content."""
    for item in items:
        article = item.pop(_ARTICLE, None)
        if article is not None:
            item["content"] = _text(article)


class KeptBundles:
    """The key, size, dates and words' key of each bundle of the last build, by a digest of what its records are
    made of: the bundle's number and each record's source, in order (an article's path and file digest; an
    exemplar's URL, body and the path and file digest of each of its articles, whose honours, campaigns and dates
    are its own). All of it under ``key``: the digest of the records' fields and the PDFs
    (Fingerprint.records_digest), the site's key (settings, code) and the Python that wrote the file. Those are
    all a bundle's records are made of.

    A bundle of an edit build whose records have the sources they had is that bundle again: ``plan`` makes none of
    its records (it reads only their dates, to cut the bundles) unless the build asks for them (its words lost).
    Making every record, even from fields kept between builds, took the search step 0.2 s of each edit build at
    10,000 articles, and comparing their fields to key every bundle 0.03 s more, before Pagefind could start on
    the bundle the edit changed. The file is read and written by the search step alone (read by ``plan``, saved
    once Pagefind runs); a file that cannot be read is no file, and a full build (``fresh``) reads none.
    """

    def __init__(self, path: Path | None, key: str, fresh: bool = False) -> None:
        self.path, self.key = path, f"{key}:{sys.version}"
        self.fresh = fresh
        self._old: dict[str, tuple[str, int, list[int], str]] | None = None
        self.bundles: list[Bundle] = []  # this build's (plan), saved with their keys, sizes and dates
        if path is not None:
            with contextlib.suppress(OSError):  # the per-record fields of earlier versions: 6 MB at 10,000 articles
                path.with_name("search-fields.marshal").unlink(missing_ok=True)

    def signature(self, number: int, members: list[_Source]) -> str | None:
        """What bundle ``number`` of ``members`` is made of; None when a record has no source to name it by."""
        keys = [member.key for member in members]
        if None in keys:
            return None
        return hashlib.blake2b(marshal.dumps((number, keys), 2), digest_size=16).hexdigest()

    def get(self, signature: str | None) -> tuple[str, int, list[int], str] | None:
        """The last build's key, size, dates (as ordinals) and words' key of the bundle of ``signature``, if it made
        one."""
        if signature is None or self.fresh:
            return None
        if self._old is None:
            self._old = self._load()
        return self._old.get(signature)

    def _load(self) -> dict[str, tuple[str, int, list[int], str]]:
        try:
            key, entries = marshal.loads(self.path.read_bytes()) if self.path is not None else ("", {})
        except (OSError, EOFError, ValueError, TypeError):
            return {}
        return entries if key == self.key and isinstance(entries, dict) else {}

    def save(self) -> None:
        """Write what this build's bundles are, unless the file holds it already (only an optimisation: a disk
        that refuses it fails nothing). Their keys are read: the search step has made them all by now."""
        if self.path is None:
            return
        entries = {b.signature: (b.key, b.count, [d.toordinal() for d in b._dates], b.words_key)
                   for b in self.bundles if b.signature is not None}
        if not entries or entries == self._old:
            return
        data = marshal.dumps((self.key, entries))
        with contextlib.suppress(OSError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with replaced(self.path) as pending:
                pending.write_bytes(data)


class _Source(NamedTuple):
    """A record before it is made: its sort key, what it is made of (KeptBundles; None: not known), and how."""

    stamp: str
    key: tuple | None
    make: Callable[[bool], dict[str, Any]]  # texts: see ``records``


def _article_fields(article: Any, graph: SiteGraph, taxonomies: list[Taxonomy]) -> tuple:
    """What an article's record holds besides its text: made of its file, and the records it names."""
    filters = {tax.search_filter: _term_names(tax, article, graph) for tax in taxonomies}
    filters["loai"] = [KIND_ARTICLE]
    return ("/" + article.url, article.title, format_date(article.date), {k: v for k, v in filters.items() if v},
            _stamp(article.date))


def _exemplar_record(term: Term, graph: SiteGraph, taxonomies: list[Taxonomy]) -> dict[str, Any]:
    """An exemplar's record: its fields, body and honours are its text; its filters, what its profile shows."""
    record = term.record
    honours = graph.honours_by_recipient.get(record.slug, [])
    province = profiles.province_of(record, graph)
    own = [record.name, record.position, record.organisation, province.name if province else None]
    awards = [f"{h.award.name} ({h.year})" for h in honours]
    text = "\n".join(dict.fromkeys(p for p in [*own, record.body_plain, *awards] if p))
    # The body's đ-words were found when its file was parsed; no word runs across the lines joined here.
    kd = " ".join(sorted({*record.body_kd.split(), *d_words(*(p for p in [*own, *awards] if p)).split()}))
    latest = term.articles[0].date if term.articles else None
    filters = {"loai": [KIND_EXEMPLAR]}
    for tax in taxonomies:
        if tax.of_exemplar is not None:
            filters[tax.search_filter] = _names(tax.of_exemplar(term, graph))
    return {
        "url": "/" + term.url,
        "content": text,
        "meta": {"title": record.name, "ngay": format_date(latest) if latest else "",
                 "kd": kd},
        "filters": {k: v for k, v in filters.items() if v},
        "sort": {"date": _exemplar_stamp(term, graph)},
    }


def _exemplar_stamp(term: Term, graph: SiteGraph) -> str:
    """An exemplar's sort key: its newest article's date, else the end of its last honour's year."""
    if term.articles:
        return _stamp(term.articles[0].date)
    honours = graph.honours_by_recipient.get(term.record.slug, [])
    return f"{max((h.year for h in honours), default=1900)}12310000"


def _exemplar_key(term: Term) -> tuple | None:
    """What an exemplar's record is made of besides the records' fields: its URL, its body and its articles' files.
    Their paths and digests as two lists, not one tuple of pairs through a generator: 1.0 ms instead of 2.7 for the
    1,254 exemplars of 10,000 articles, in every search step."""
    articles = term.articles
    digests = [getattr(a, "portal_digest", None) for a in articles]
    if not all(digests):
        return None
    record = term.record
    body = hashlib.blake2b(f"{record.body_plain}\x1f{record.body_kd}".encode(), digest_size=16).hexdigest()
    return ("exemplar", term.url, body, [a.source_path for a in articles], digests)


def _article_record(article: Any, graph: SiteGraph, taxonomies: list[Taxonomy], texts: bool) -> dict[str, Any]:
    """An article's record (``texts``: see ``records``)."""
    url, title, day, filters, stamp = _article_fields(article, graph, taxonomies)
    digest = getattr(article, "portal_digest", None)
    kd = getattr(article, "portal_kd", None)  # the reader made the đ-words once per file; a bare read did not
    said = getattr(article, "portal_text", None)
    text = _text(article) if texts or not digest or kd is None or not said else None
    item = {"url": url}
    if text is not None:
        item["content"] = text
    item.update({"meta": {"title": title, "ngay": day, "kd": kd if kd is not None else d_words(text)},
                 "filters": filters, "sort": {"date": stamp}})
    if digest:  # the file's digest: its title, lead and body, which make up the content (Bundle.key)
        item[_SOURCE] = digest
    if said:
        item[_TEXT] = said
    if text is None:
        item[_ARTICLE] = article
    return item


def _sources(graph: SiteGraph) -> list[_Source]:
    """Every record of ``records``, in its order, before it is made."""
    taxonomies = _filtering(graph)
    out = []
    for article in graph.articles:
        digest = getattr(article, "portal_digest", None)
        out.append(_Source(_stamp(article.date), (article.source_path, digest) if digest else None,
                           partial(_article_record, article, graph, taxonomies)))
    for term in graph.terms.get("exemplars", {}).values():
        out.append(_Source(_exemplar_stamp(term, graph), _exemplar_key(term),
                           lambda _texts, t=term: _exemplar_record(t, graph, taxonomies)))
    return out


def records(graph: SiteGraph, texts: bool = True) -> list[dict[str, Any]]:
    """One Pagefind custom record per published article and per exemplar.

    ``texts=False``: an article's record whose file has a digest (``source``, which keys the bundle in its
    text's place) gets its content later, from ``with_texts``; an edit build needs the texts of one bundle.
    """
    return [source.make(texts) for source in _sources(graph)]


def _document(item: dict[str, Any]) -> str:
    """One record as the minimal HTML page Pagefind indexes (every value escaped)."""
    esc = html.escape
    hidden = [f'<span data-pagefind-meta="{esc(k)}">{esc(v)}</span>' for k, v in item["meta"].items() if v]
    hidden += [f'<span data-pagefind-filter="{esc(k)}">{esc(v)}</span>'
               for k, values in item["filters"].items() for v in values]
    hidden += [f'<span data-pagefind-sort="{esc(k)}">{esc(v)}</span>' for k, v in item["sort"].items()]
    # The first line is the title or name: a heading, which Pagefind weighs above the body.
    lines = [p for p in item["content"].split("\n") if p.strip()]
    paragraphs = "".join(f"<h1>{esc(p)}</h1>" if i == 0 else f"<p>{esc(p)}</p>" for i, p in enumerate(lines))
    return (f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{esc(item["meta"]["title"])}</title>'
            f'</head><body><main data-pagefind-body><div data-pagefind-ignore>{"".join(hidden)}</div>'
            f"{paragraphs}</main></body></html>")


class SearchIndexError(RuntimeError):
    """The search step failed; the build stops and the previous site stays."""


def _framed(h: Any, part: bytes) -> None:
    """Feed ``part`` to the digest ``h`` after its length: no part can pass for the next one."""
    h.update(len(part).to_bytes(8, "big"))
    h.update(part)


@dataclass
class Bundle:
    """A slice of the index, newest records first: the search page loads bundles as it needs them.

    ``items`` is None in a bundle that the search step (``Indexing``) handed back without its records: its key, size and dates
    were read before they were dropped, and nothing of this build needs them again. In a bundle the last build made
    from the same sources (KeptBundles), they are the last build's, and ``make`` makes its records if asked.
    """

    number: int
    items: list[dict[str, Any]] | None
    make: Callable[[], list[dict[str, Any]]] | None = field(default=None, repr=False, compare=False)
    signature: str | None = field(default=None, compare=False)  # KeptBundles.signature

    @cached_property
    def key(self) -> str:
        """A digest of its records, read once ``plan`` has tagged them.

        What its index and its words are made of: the incremental key of its Pagefind files (``Indexing``)
        and the memo key of its words (``search_words.summarise``). An article's text goes in by its file's
        digest (``source``, among its fields: hashing 30 MB of text cost 0.15 s of each build at 10,000
        articles), an exemplar's as its UTF-8 bytes; the fields (plain strings, lists and dicts in the order
        ``records`` builds them) as marshal's version 2 writes them: values alone, no back-references, so equal
        fields give equal bytes (repr took 3 times as long, JSON 9 times).
        """
        h = hashlib.blake2b(digest_size=16)
        for item in self.records:
            fields = marshal.dumps([(k, v) for k, v in item.items() if k != "content" and k != _ARTICLE], 2)
            text = b"" if _SOURCE in item else str(item.get("content", "")).encode()
            _framed(h, fields)
            _framed(h, text)
        return h.hexdigest()

    @cached_property
    def words_key(self) -> str:
        """A digest of its records' texts alone (an article's by its reader's digest of it): what its words are
        made of (search_words.memo_key). An edit that changes only records' fields, an article that names another
        campaign, keeps the bundle's words: at 10,000 articles its two bundles' words took 0.04 s to count."""
        h = hashlib.blake2b(digest_size=16)
        for item in self.records:
            said = item.get(_TEXT)
            _framed(h, b"t" + said.encode() if said is not None else b"c" + str(item.get("content", "")).encode())
        return h.hexdigest()

    @property
    def records(self) -> list[dict[str, Any]]:
        """Its records; asking a bundle that ``Indexing`` emptied is a bug, not an empty bundle."""
        if self.items is None:
            if self.make is None:
                raise RuntimeError(f"search bundle {self.number}: its records were not kept for this build")
            self.items = self.make()
        return self.items

    @property
    def path(self) -> str:
        """URL path of the bundle below the site root (bundle 0 is Pagefind's primary index)."""
        return "pagefind/" if self.number == 0 else f"pagefind/kho-{self.number}/"

    @cached_property
    def count(self) -> int:
        return len(self.records)

    @cached_property
    def _dates(self) -> list[date]:
        """The dates of its dated records, newest first (profiles without news have none)."""
        return [date(int(day[6:10]), int(day[3:5]), int(day[:2]))  # "dd/mm/yyyy", as format_date wrote it
                for item in self.records if (day := item["meta"]["ngay"])]

    @property
    def oldest(self) -> date | None:
        return (self._dates or [None])[-1]

    @property
    def newest(self) -> date | None:
        return (self._dates or [None])[0]

    def without_records(self) -> Bundle:
        """The same bundle with its key, size and dates read, and its records dropped."""
        light = Bundle(self.number, None)
        light.__dict__.update(key=self.key, words_key=self.words_key, count=self.count, _dates=self._dates)
        return light


# The primary index holds only this: every bundle of records is merged when a query needs it.
_PLACEHOLDER = {"url": "/tim-kiem/", "content": "Tìm kiếm", "meta": {"title": "Tìm kiếm", "ngay": ""},
                "filters": {"kho": ["0"]}, "sort": {"date": "000000000000"}}
BUNDLES_FILE = "tim-kiem/kho.json"
MEMORY = "/dev/shm"  # where the search step writes its scratch files when they fit (Indexing, _steps)
MEMORY_SPARE = 256 * 1024 * 1024  # left free there for everything else
# Pagefind writes the bundles of a build that changes at most this many in memory too, and only the files that
# differ from the live site's are copied into the output (Indexing._copy_changed): an edit changes a few of a
# bundle's 140 files. Past it (a cold build), each bundle goes to the outbox on the output's file system as its run
# ends (pagefind_runner.Job): placing it is then a rename.
MEMORY_BUNDLES = 8
INDEX_BYTES_PER_POSTING = 5.6  # Pagefind word-index bytes per (word, record) pair: 5.4-6.0 measured on synth


def plan(graph: SiteGraph, kept: KeptBundles | None = None) -> list[Bundle]:
    """Cut the records, newest first, into bundles of ``search_bundle_size`` (numbered from 1).

    One index over a national archive makes every common syllable ("thi",
    "đua") a posting list of megabytes; a first query then downloads all of
    it. Bundles keep a first query to a slice; the word summary
    (search_words.py) says which slices can hold the query, and the page
    merges only those. Pagefind's primary index (bundle 0) holds a single
    placeholder, so a query never pays for a slice it does not need. Each
    record is tagged with its bundle (filter ``kho``), which the page filters by. ``kept``: the bundles of the
    last build, by what they are made of; a bundle found there is handed out with its key, size and dates, its
    records made only if asked for.
    """
    sources = sorted(_sources(graph), key=lambda s: s.stamp, reverse=True)
    size = graph.config.search_bundle_size
    bundles = [Bundle(0, [dict(_PLACEHOLDER)])]
    for number, start in enumerate(range(0, len(sources), size), 1):
        members = sources[start:start + size]
        make = partial(_made, number, members)
        signature = kept.signature(number, members) if kept is not None else None
        known = kept.get(signature) if kept is not None else None
        if known is None:
            bundle = Bundle(number, make(), signature=signature)
        else:
            bundle = Bundle(number, None, make, signature)
            key, count, days, words_key = known
            bundle.__dict__.update(key=key, count=count, _dates=[date.fromordinal(day) for day in days],
                                   words_key=words_key)
        bundles.append(bundle)
    if kept is not None:
        kept.bundles = bundles
    return bundles


def _made(number: int, members: list[_Source]) -> list[dict[str, Any]]:
    """The records of bundle ``number``, without the articles' texts (``with_texts``), tagged with it."""
    items = [member.make(False) for member in members]
    for item in items:
        item["filters"]["kho"] = [str(number)]
    return items


def bundles_file(bundles: list[Bundle], postings: list[int]) -> dict[str, bytes]:
    """``tim-kiem/kho.json``: when each bundle of records reaches back to, and its word index's size.

    The page reads it with every first query, so it is kept small (6 KB at 100,000 articles):
    ``newest`` is the day (days since 1970-01-01) of the newest record, ``back[n-1]`` how many days
    bundle n's oldest dated record lies before the bundle above it reaches (null: no dated record),
    ``kb[n-1]`` its word index in KB (rounded up), estimated from its postings (search_words.summarise), not read
    off Pagefind's files: those are not byte-stable, and an incremental build must write what a cold
    one writes. A bundle's years run from its oldest record's to the one above it reaches.
    """
    epoch = date(1970, 1, 1)
    newest = bundles[1].newest if len(bundles) > 1 else None
    reach = (newest - epoch).days if newest else 0
    back: list[int | None] = []
    for bundle in bundles[1:]:
        oldest = bundle.oldest
        if oldest is None:
            back.append(None)
            continue
        day = (oldest - epoch).days
        back.append(reach - day)
        reach = day
    kb = [math.ceil(count * INDEX_BYTES_PER_POSTING / 1000) for count in postings[1:]]
    data = {"newest": (newest - epoch).days if newest else None, "back": back, "kb": kb}
    return {BUNDLES_FILE: json.dumps(data, separators=(",", ":")).encode()}


def bundle_years(data: dict[str, Any]) -> list[set[int]]:
    """The years each bundle of records (1, 2, …) reaches, read from ``bundles_file`` as search.js reads it."""
    epoch, reach, out = date(1970, 1, 1), data["newest"], []
    for days in data["back"]:
        top = reach
        if days is None:
            out.append(set())
            continue
        reach -= days
        out.append(set(range((epoch + timedelta(reach)).year, (epoch + timedelta(top)).year + 1)))
    return out


def _binary_packages() -> Iterator[tuple[str, str]]:
    """The installed packages that carry a Pagefind binary, in the order ``pagefind`` prefers them, each with its
    folders."""
    for package in ("pagefind_bin_extended", "pagefind_bin"):
        spec = importlib.util.find_spec(package)
        for folder in (spec.submodule_search_locations or []) if spec is not None else []:
            yield package, folder


def _binary() -> str:
    """The Pagefind binary the ``pagefind`` package would run, looked for in its order (pagefind.service's
    ``get_executable``): PAGEFIND_BINARY_PATH, the ``pagefind_bin_extended`` then the ``pagefind_bin`` package's,
    one on PATH. Without importing ``pagefind``: its asyncio and all took 35 ms of the search step's way to
    Pagefind in every edit build."""
    named = os.environ.get("PAGEFIND_BINARY_PATH")
    if named is not None:
        return named
    for _, folder in _binary_packages():
        for name in ("pagefind_extended", "pagefind"):
            if (Path(folder) / name).is_file():
                return str(Path(folder) / name)
    found = shutil.which("pagefind_extended") or shutil.which("pagefind")
    if found is None:
        raise FileNotFoundError("không tìm thấy chương trình pagefind")
    return found


def _writes_own() -> bool:
    """Whether pagefind_index.py's files suit the Pagefind that writes bundle 0's scripts: its version is FORMAT.
    The version of the package whose binary runs, else the binary's own answer."""
    binary = _binary()
    for package, folder in _binary_packages():
        if str(Path(binary).parent) == folder:
            return pagefind_index.supported(importlib.metadata.version(package))
    try:
        said = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=30, check=False).stdout
    except OSError:
        return False
    return pagefind_index.supported(said.split()[-1] if said.split() else None)


class Indexing:
    """The search step of a build, forked from it once the graph is joined (forked.py).

    The child cuts the records into bundles and keys them (``plan``), writes the records of each bundle that
    changed since the last build (``session``, see incremental/) as small HTML files in a scratch folder and
    tokenises the bundles whose words the build's memo lacks. It sends the bundles back without their records, with
    those words (:meth:`bundles`): the build never holds the archive's search text, only, in an edit build, the
    texts of the few bundles it tokenises itself (_steps). Then it becomes the Pagefind runner
    (pagefind_runner.py): a fresh program under the same process id, so for the long wait it shares no memory with
    the build, whose every write would otherwise copy a page. :meth:`finish` waits for it and moves the new bundles
    into the output; :meth:`cancel` (a failed build) stops all of it. With one job (``--jobs 1``) it all happens
    here, at once: one process at a time.
    """

    def __init__(self, cut: Callable[[], list[Bundle]], output_path: str, session: Any = None,
                 after: Callable[[], None] = lambda: None, own: bool = True) -> None:
        self.output, self.session = Path(output_path), session
        self.memo = getattr(session, "memo", None) or Memo(None, "")  # a bare Pelican run keeps words for itself
        self.scratch = Path(tempfile.mkdtemp(prefix="portal-search-"))
        self.memory = _memory_folder()  # the records' files go here when they fit (_steps)
        sweep(self.output, ".search-")  # a bare Pelican run killed outright left its own in the live site
        # The bundles of a full build end on the output's own file system: placing one is then a rename. Moved out
        # of memory after the rendering, the 12,000 files of 10,000 articles took 5 s; the runner moves each bundle
        # as its run ends (pagefind_runner.Job).
        self.outbox = self.output / f".search-{os.getpid()}"
        self.workers = getattr(session, "jobs", 0) or os.cpu_count() or 1
        self._bundles: list[Bundle] | None = None
        self._todo: list[int] = []
        self._built = self.outbox  # where Pagefind wrote the bundles (_steps): the outbox, or memory
        reuse = session.would_reuse if session is not None else (lambda unit, key: False)
        forked = self.workers > 1
        self.work = Forked(lambda: _steps(cut, reuse, self.memo.has, self.scratch, self.memory, self.outbox,
                                          self.workers, forked, after, own), fork=forked)

    @property
    def forked(self) -> bool:
        """Whether the search step runs in a process beside the build (more than one job)."""
        return self.work.pid is not None

    def yield_cores(self) -> None:
        """Lower the priority of the search step and of the Pagefind it starts (forked.SEARCH_NICE): for an edit
        build that has many pages to make (its graph changed), which then waits for the search step only at
        its end. Before, Pagefind's threads took a share of the build's own core: 5 % of such a build on two
        cores. An edit of a body waits for Pagefind at once: there the search step keeps its priority."""
        if self.work.pid is not None:
            with contextlib.suppress(OSError):  # the step may have ended already
                os.setpriority(os.PRIO_PGRP, self.work.pid, SEARCH_NICE)

    def bundles(self) -> list[Bundle]:
        """The bundles, keyed, without their records; the words of those that changed go into the memo."""
        if self._bundles is None:
            bundles, words, texts, self._todo, built = self.work.receive()
            self._built = Path(built)
            if texts is not None:  # the texts of the few bundles whose words are counted here (_steps)
                with open(texts, "rb") as f:
                    words.update({key: words_of(items) for key, items in pickle.load(f).items()})
            for key, value in words.items():
                self.memo.put(key, value)
            if not self._todo:  # no Pagefind runs: nothing to leave the other core to
                self._waiting()
            for bundle in bundles:  # the state records every bundle; a bundle indexed anew gets its files later
                kept = self.session.reuse(bundle.path, bundle.key) if self.session is not None else False
                if kept == (bundle.number in self._todo):
                    raise RuntimeError(f"search bundle {bundle.number}: the build and its search step disagree")
            self._bundles = bundles
        return self._bundles

    def finish(self) -> int:
        """Wait for Pagefind, then put every new bundle under ``<output>/pagefind/``; the number of records."""
        try:
            bundles = self.bundles()
            self._waiting()
            if self.forked:  # the runner's exit: Pagefind is done
                if self.work.wait() != 0:
                    said = (self.scratch / "pagefind.err").read_text(encoding="utf-8", errors="replace").strip()
                    if said.startswith(pagefind_runner.OS_ERROR):  # the disk: raised again, so the build names it
                        code, text, where = json.loads(said.removeprefix(pagefind_runner.OS_ERROR))
                        raise SearchIndexError(_failed(text)) from OSError(code, text, where)
                    raise SearchIndexError(_failed(said[-600:] or "tiến trình chỉ mục dừng bất thường"))
            elif self._todo:
                self.work.receive()  # Pagefind is done (or its failure is raised here)
            for number in self._todo:
                self._place(bundles[number], self._built / str(number))
        finally:
            self.cancel()
        return sum(bundle.count for bundle in bundles)

    def _waiting(self) -> None:
        """Tell the session (Session.on_search_wait) that the build now only waits for Pagefind, if it runs any."""
        told = getattr(self.session, "on_search_wait", None)
        if told is not None:
            told()

    def _place(self, bundle: Bundle, built: Path) -> None:
        served, unused = _written(built, _unused(bundle.number))
        files = tuple(sorted(bundle.path + rel for rel in served))
        target = self.output / bundle.path
        if not built.is_relative_to(self.outbox):
            self._copy_changed(built, bundle.path, files)
        else:
            for rel in unused:  # what the site does not serve goes before the rest moves
                (built / rel).unlink()
            if target.exists():  # bundle 0 holds the others' folders: merge into it
                shutil.copytree(built, target, dirs_exist_ok=True)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(str(built), str(target))
        if self.session is not None:
            self.session.produced(bundle.path, files)

    def _copy_changed(self, built: Path, prefix: str, files: tuple[str, ...]) -> None:
        """Copy a bundle Pagefind wrote in memory into the output, but the files the live site holds the same: those
        stay as they are (the commit keeps a file the build records and does not write). An edit changes a few of a
        bundle's files; on a file system without a journal, finding inodes for the 280 files of two bundles written
        and removed again (ext4's ``recently_deleted``) cost the processes of a campaigns edit at 10,000 articles
        about 0.3 of their 3.4 CPU-seconds. A file Pagefind names by a digest of what it holds (_HASHED) is the same
        when the live one has its name and size: reading both of the 280 took 0.01 s of each such build."""
        session = self.session
        live = session.live if session is not None and not session.full else None  # a full build stages it all
        base, out = str(built), str(self.output)
        for rel in files:
            name = rel[len(prefix):]
            source, target = os.path.join(base, name), os.path.join(out, rel)
            if live is not None and rel not in session.damaged and _same_file(source, live / rel, name):
                continue
            os.makedirs(os.path.dirname(target), exist_ok=True)
            shutil.copyfile(source, target)

    def cancel(self) -> None:
        """Stop the search step (and Pagefind) if it still runs, and remove its scratch folders and what Pagefind
        wrote beside the site but did not place (also after ``finish``)."""
        self.work.cancel()
        shutil.rmtree(self.scratch, ignore_errors=True)
        shutil.rmtree(self.outbox, ignore_errors=True)
        if self.memory is not None:  # the records' files and what Pagefind wrote: hundreds, at the build's very end
            remove_later(self.memory)


# Pagefind names its fragments, word and filter indexes and metadata by a digest of what each holds (the language,
# then the start of the content's hash, lengthened where two would meet: pagefind/src/index/mod.rs), and the browser
# caches them by that name; its entry file and scripts keep their names.
_HASHED = re.compile(r"(?:(?:fragment|index|filter)/|pagefind\.)[^/_]+_[0-9a-f]{7,}\.pf_(?:fragment|index|filter|meta)")


def _same_file(source: str, live: Path, name: str) -> bool:
    """Whether ``live`` holds what Pagefind wrote in ``source`` (``name``: its path in the bundle)."""
    if _HASHED.fullmatch(name):
        try:
            return os.stat(source).st_size == os.stat(live).st_size
        except OSError:
            return False
    return serving.same_bytes(Path(source), live)


def _written(built: Path, unused: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """The files Pagefind wrote in ``built`` ("/"-separated, relative): those the site serves, and those at its top
    that ``unused`` names (fnmatch patterns). One walk, where a glob per pattern and another over everything took
    5 ms per bundle."""
    served, skipped = [], []
    for folder, _, names in os.walk(built):
        rel = os.path.relpath(folder, built).replace(os.sep, "/")
        for name in names:
            if rel != ".":
                served.append(f"{rel}/{name}")
            elif any(fnmatch.fnmatch(name, pattern) for pattern in unused):
                skipped.append(name)
            else:
                served.append(name)
    return served, skipped


def _memory_folder() -> Path | None:
    """A scratch folder in memory (MEMORY), named after this process; None where there is none.

    A build killed outright cannot remove its folder, which would hold its share of memory until the machine
    restarts: the folders of processes no longer running are removed first.
    """
    if not os.path.isdir(MEMORY):
        return None
    sweep(Path(MEMORY), "portal-search-")
    try:
        return Path(tempfile.mkdtemp(prefix=f"portal-search-{os.getpid()}-", dir=MEMORY))
    except OSError:
        return None


def _fits(folder: Path | None, size: int) -> bool:
    """Whether ``size`` bytes of records, and Pagefind's files made from them, fit in ``folder`` with room to spare."""
    if folder is None:
        return False
    try:
        return shutil.disk_usage(folder).free >= 4 * size + MEMORY_SPARE
    except OSError:
        return False


def _steps(cut: Callable[[], list[Bundle]], reuse: Callable[[str, str], bool], known: Callable[[str], bool],
           scratch: Path, memory: Path | None, outbox: Path, workers: int, forked: bool,
           after: Callable[[], None] = lambda: None, own: bool = True) -> Iterator[Any]:
    """The work of ``Indexing``: its message is the bundles, their new words (or, for a few bundles, the file of the
    texts they are counted from), the bundles indexed anew and the folder Pagefind writes them in. Their records'
    files go to ``memory`` when they fit there, else to ``scratch`` (on disk, 120 small files took 0.06-0.15 s to
    write on this machine's disk, against 0.007 s in memory); Pagefind's to ``memory`` too for a few bundles
    (MEMORY_BUNDLES), else to ``outbox``.

    The bundles of records pagefind_index.py handles (``own``, and the installed Pagefind the one it writes for)
    get no records' files: it writes their index itself, in as many processes as there are workers (_start_own):
    once the message is sent, or, when the words are counted here, while they are. Bundle 0, and any bundle with
    a record it leaves to Pagefind, go to Pagefind.

    Then Pagefind runs: forked, its runs start as soon as the records' files are written, before the words are
    counted (an edit build then waits 0.1 s less for its one bundle): each at once (``_spawn_pagefind``) when there
    are no more bundles than workers, else through the runner (``_spawn_runner``); and this process, its message
    sent, becomes a wait for them (``_become_waiter``). Not forked, it runs here, and a second message says it is
    done.
    """
    if forked:  # the build's own progress line owns the terminal
        os.environ["PORTAL_QUIET"] = "1"
    bundles = cut()
    anew = []
    for bundle in bundles:
        kept = reuse(bundle.path, bundle.key)
        if not kept or (bundle.number and not known(memo_key(bundle))):
            with_texts(bundle.records)  # only the bundles indexed or tokenised again need their articles' texts
        if not kept:
            anew.append(bundle)
    own = own and any(bundle.number for bundle in anew) and _writes_own()
    ours = [bundle for bundle in anew if own and bundle.number and len(bundle.records) <= pagefind_index.MAX_PAGES
            and all(map(pagefind_index.indexable, bundle.records))]
    theirs = [bundle for bundle in anew if all(bundle is not mine for mine in ours)]
    # UTF-8 takes at most 3 bytes a character; each file's markup and fields, about a kilobyte more.
    size = sum(3 * len(item.get("content", "")) + 1024 for bundle in anew for item in bundle.records)
    base = memory if _fits(memory, size) else scratch
    built = base / "out" if base == memory and len(anew) <= MEMORY_BUNDLES else outbox
    # More bundles than workers go through the runner, fewer each to a run started at once (_spawn_pagefind). Only
    # the runner moves a bundle once its run ends (pagefind_runner.Job): then Pagefind writes in memory too.
    by_runner = len(theirs) > workers
    written = base / "out" if base == memory and built == outbox and by_runner else built
    jobs, todo = [], [bundle.number for bundle in ours]
    for bundle in theirs:
        root = base / "src" / str(bundle.number)
        root.mkdir(parents=True)
        for item in bundle.records:
            folder = root / item["url"].strip("/")
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "index.html").write_text(_document(item), encoding="utf-8")
        name = str(bundle.number)  # each bundle its own folder: no run touches another's
        jobs.append(Job(root, written / name) if written == built else
                    Job(root, written / name, built / name, _unused(bundle.number)))
        todo.append(bundle.number)
    waiter = None  # what this process waits for, once it has sent its message (pagefind_runner.cli's arguments)
    if forked and jobs:
        try:
            waiter = ["--wait", str(_spawn_runner(jobs, workers, scratch))] if by_runner else \
                _spawn_pagefind(jobs, scratch, base)
        except Exception as exc:  # noqa: BLE001 - the binary is missing or cannot start
            raise SearchIndexError(_failed(str(exc))) from exc
    # The words of the bundles the memo lacks: when they are no more than the workers (an edit build), their texts go
    # to the build, which waits for Pagefind at the end of its rendering anyway and tokenises them then (0.04 s of
    # a campaigns edit at 10,000 articles, taken here from the core the two Pagefind runs share); else counted here.
    # The texts go through a file: as many bundles' as a large machine has workers would outgrow the pipe
    # (forked.PIPE_BYTES; the two of a campaigns edit at 10,000 articles: 0.73 MB), and this process would then wait
    # for the build to read them before it could become the wait for Pagefind.
    lacking = [bundle for bundle in bundles[1:] if not known(memo_key(bundle))]  # bundle 0: the placeholder
    words, texts = {}, None
    if forked and lacking and len(lacking) <= workers:
        texts = base / "texts.pickle"
        with texts.open("wb") as f:
            pickle.dump({memo_key(bundle): [item["content"] for item in bundle.records] for bundle in lacking}, f,
                        protocol=pickle.HIGHEST_PROTOCOL)
    # Counted here, the words of many bundles take seconds (14 s of one core at 100,000 articles): the writers of
    # ours start first, each share in a child, and this process counts while they write.
    early = forked and bool(ours) and bool(lacking) and texts is None
    writers = _start_own(ours, built, workers, early) if early else None
    if texts is None:
        words = {memo_key(bundle): bundle_words(bundle) for bundle in lacking}
    yield [bundle.without_records() for bundle in bundles], words, texts and str(texts), todo, str(built)
    after()  # what may wait for the next build (KeptBundles.save), done while Pagefind runs
    if ours:
        _finish_own(writers or _start_own(ours, built, workers if forked else 1, False), built)
    if not jobs:
        if ours and not forked:
            yield None  # the bundles are written (Indexing.finish waits for this message)
        return
    if waiter is not None:  # Pagefind's wait is long: as a fresh process, this one no longer shares the build's memory
        _become_waiter(waiter)
    progress = Progress("Chỉ mục tìm kiếm (gói)", len(jobs))
    try:
        pagefind_runner.index(_binary(), jobs, workers, progress.step)
    except Exception as exc:  # noqa: BLE001 - the binary is missing, crashed or the disk is full
        raise SearchIndexError(_failed(str(exc))) from exc
    progress.done()
    yield None


def _start_own(bundles: list[Bundle], built: Path, workers: int,
               all_forked: bool) -> tuple[list[Bundle], list[Forked]]:
    """Start writing the index of ``bundles`` into ``built`` (pagefind_index.py), in ``workers`` shares: each in a
    child forked from this process, in its process group (Indexing.cancel stops them with it), but the first one
    that this process writes itself unless ``all_forked``. The share left to this process, and the children."""
    shares = [bundles[i::workers] for i in range(min(workers, len(bundles)))]
    mine = [] if all_forked else shares.pop(0)
    return mine, [Forked(lambda share=share: iter([_write_share(share, built)]), group=False) for share in shares]


def _finish_own(writing: tuple[list[Bundle], list[Forked]], built: Path) -> None:
    """Write this process's share (_start_own) and wait for the children's: the first failure is raised here, a
    disk's OSError as it is (the build names it)."""
    mine, children = writing
    failure: BaseException | None = None
    try:
        _write_share(mine, built)
    except Exception as exc:  # noqa: BLE001 - raised below, once the children are done
        failure = exc
    for child in children:
        try:
            child.receive()
        except Exception as exc:  # noqa: BLE001 - the first failure counts
            failure = failure or exc
        finally:
            child.cancel()
    if isinstance(failure, OSError):
        raise failure
    if failure is not None:
        raise SearchIndexError(_failed(str(failure))) from failure


def _write_share(bundles: list[Bundle], built: Path) -> None:
    for bundle in bundles:
        folder = built / str(bundle.number)
        folder.mkdir(parents=True)
        pagefind_index.write_bundle(bundle.records, folder)


def _failed(detail: str) -> str:
    return (f"không lập được chỉ mục tìm kiếm (Pagefind): {detail}; "
            "kiểm tra gói pagefind[bin] và chỗ trống trên đĩa")


def _spawn_runner(jobs: list[Job], workers: int, scratch: Path) -> int:
    """Start pagefind_runner.py over ``jobs`` beside this process; its process id.

    Spawned, not forked: the new program shares none of the build's memory, and starting it copies none. Its
    standard error goes to ``<scratch>/pagefind.err``, which ``Indexing.finish`` reads should it fail. It is in
    this process's group, which ``Indexing.cancel`` stops whole.
    """
    listing = scratch / "jobs.json"
    listed = [[str(job.source), str(job.output), job.final and str(job.final), job.skip] for job in jobs]
    listing.write_text(json.dumps({"binary": _binary(), "workers": workers, "jobs": listed}), encoding="utf-8")
    # -I -S: the standard library only, none of the portal's imports (pagefind_runner.py)
    return os.posix_spawn(sys.executable, [sys.executable, "-I", "-S", pagefind_runner.__file__, str(listing)],
                          os.environ, file_actions=[
                              (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
                              (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
                              (os.POSIX_SPAWN_OPEN, 2, str(scratch / "pagefind.err"),
                               os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)])


_PYTHON_IGNORES = tuple(getattr(signal, name) for name in ("SIGPIPE", "SIGXFSZ") if hasattr(signal, name))


def _spawn_pagefind(jobs: list[Job], scratch: Path, folder: Path) -> list[str]:
    """Start a Pagefind run for each of ``jobs`` at once, beside this process; the wait for them (pagefind_runner.py
    ``--wait-all``: each run's output in ``folder``, the first failure in ``<scratch>/pagefind.err``).

    For no more bundles than workers (an edit build's one or two): the runner's own start, a Python at the search
    step's lower priority on a busy machine, put 0.07-0.12 s between the records' files and Pagefind.
    """
    binary, env = _binary(), pagefind_runner.environment(huge_pages=False)  # see pagefind_runner.MALLOC_CONF
    waiter = ["--wait-all", str(scratch / "pagefind.err")]
    for source, output, *_ in jobs:
        said = folder / f"pagefind-{source.name}.out"
        # The signals Python ignores back to their defaults, as subprocess does for the runner's runs: under a file
        # size limit, Pagefind ignoring SIGXFSZ left its files cut short and said nothing.
        pid = os.posix_spawn(binary, pagefind_runner.command(binary, source, output), env, file_actions=[
            (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
            (os.POSIX_SPAWN_OPEN, 1, str(said), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644),
            (os.POSIX_SPAWN_DUP2, 1, 2)], setsigdef=_PYTHON_IGNORES)
        waiter += [str(pid), str(output), str(said)]
    return waiter


def _become_waiter(waiter: list[str]) -> None:
    """Replace this forked process by the wait ``waiter`` says (pagefind_runner.cli): same process id, the runs' exit
    code, none of the build's memory. Should that fail, wait here, for the same answer."""
    try:
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1):
            os.dup2(null, fd)
        os.execv(sys.executable, [sys.executable, "-I", "-S", pagefind_runner.__file__, *waiter])
    except BaseException:  # noqa: BLE001 - this process must not go back to the build: it waits and exits
        code = 1
        try:
            code = pagefind_runner.cli(waiter)
        finally:
            os._exit(code)
