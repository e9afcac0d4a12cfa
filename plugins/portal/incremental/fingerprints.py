"""Keys: digests of what a page shows (Fingerprint), of the site as a whole and of its inputs."""

from __future__ import annotations

import fnmatch
import functools
import hashlib
import operator
import os
import re
import sys
from collections.abc import Callable, Collection
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pelican import __version__ as PELICAN_VERSION
from pelican.contents import Content
from pelican.paginator import Page
from pelican.urlwrappers import URLWrapper

from ..media import NO_MEDIA, ArticleMedia, Document, Photo, Rendition
from ..model import ArticleRefs, Honour, Record
from ..schema import RECORD_KINDS
from ..seo import lastmod, modified_of
from ..taxonomy import Facet, LaterPage, Taxonomy, Term
from .state import SESSION

__all__ = ["KEPT_ADDRESS", "KEPT_OWN", "Fingerprint", "address_part", "code_digest", "content_files", "files_in_walk",
           "hash_text", "inputs_digest", "own_repr", "settings_key", "site_key"]

PLUGIN_ROOT = Path(__file__).resolve().parents[1]


def _hash(*parts: bytes) -> bytes:
    """Each part followed by a separator, in one update: a page key hashes dozens of parts (1.4 million
    updates at 10,000 articles, one by one)."""
    return hashlib.blake2b(b"\x1f".join((*parts, b"")), digest_size=16).digest()


def hash_text(*parts: str) -> bytes:
    """:func:`_hash` of the parts' UTF-8 bytes, encoded at once: one string, one encoding, for parts that are text."""
    return hashlib.blake2b("\x1f".join((*parts, "")).encode(), digest_size=16).digest()


_NO_MEDIA_REPR = repr(NO_MEDIA).encode()


def _media_repr(article: Content) -> bytes:
    """An article's media as its repr: most articles have none, and comparing is quicker than a dataclass's repr."""
    media = getattr(article, "media", None)
    return _NO_MEDIA_REPR if media is NO_MEDIA or media == NO_MEDIA else repr(media).encode()


KEPT_OWN = "portal_own"  # a restored article's own_repr, kept with its state (snapshots.py)
KEPT_PART = "portal_graph_part"  # and its part of the graph's digest (Fingerprint.graph), made of that and no media


def _as_kept(article: Content, name: str) -> bytes | None:
    """What a restored article's state kept under ``name`` (snapshots.py), made for an article with no media and not
    scheduled: None unless the join left ``article`` so."""
    values = article.__dict__
    kept = values.get(name)
    return kept if kept is not None and values.get("media") is NO_MEDIA and values.get("scheduled") is False else None


KEPT_ADDRESS = "portal_address"  # and what the sitemap lists of it (address_part)


def address_part(article: Content) -> bytes:
    """What the sitemap lists of an article (seo.sitemap_inputs): its URL, and the date it gives as lastmod (its
    ``modified`` date, else its date) as the sitemap writes it. A restored article brings it (snapshots.py)."""
    return hash_text(article.url, lastmod(article).isoformat(), "modified" if modified_of(article) else "")


def kept_part(own: bytes) -> bytes:
    """An article's part of the graph's digest (:meth:`Fingerprint.graph`) with no media: ``own`` is its own_repr."""
    return _hash(own, _NO_MEDIA_REPR)


def own_repr(article: Content, scheduled: bool | None, lead: Any) -> bytes:
    """What an article's own file, the clock (``scheduled``) and its lead photo give its card (Fingerprint._own)."""
    digest = getattr(article, "portal_card_digest", None)
    own = (digest,) if digest else (article.title, article.summary, getattr(article, "date", None),
                                    repr(getattr(article, "portal_data", None)))
    return repr((*own, article.url, article.save_as, article.status, scheduled, getattr(article, "portal_path", None),
                 lead)).encode()


class Fingerprint:
    """Digests of what templates can show of each object, memoised for one build.

    An article in a list shows its *card* (title, date, lead, metadata and the
    records it names); its own page adds the body and the cards it links to.
    A term in a list shows its name, count and record; its own page adds the
    facts derived for it (``term.extra``). The articles of a term listing are
    keyed page by page, so editing one article re-renders only the page it is on.
    """

    def __init__(self) -> None:
        self._memo: dict[tuple[str, int], bytes] = {}
        self._cards: dict[int, bytes] = {}  # the hottest two apart: 180,000 and 70,000 look-ups at 10,000 articles
        self._refs: dict[int, bytes] = {}
        self._keep: list[Any] = []  # memo keys are ids: keep the objects alive for the build
        # Taken with the graph's digest (:meth:`graph`): each article's own digest by its path, and the digest
        # of the records and documents. An article's card is made of these alone (State.articles).
        self.articles: dict[str, bytes] = {}
        self.records = ""

    def _cached(self, kind: str, obj: Any, make) -> bytes:
        key = (kind, id(obj))
        digest = self._memo.get(key)
        if digest is None:
            digest = self._memo[key] = make(obj)
            self._keep.append(obj)
        return digest

    # Objects ---------------------------------------------------------------
    def record(self, record: Record) -> bytes:
        """A record whole, its body included: what its own term page shows of it (:meth:`term_page`)."""
        return self._cached("record", record, lambda r: _hash(
            r.type.encode(), r.slug.encode(), r.url.encode(), r.path.encode(), repr(r.data).encode(), r.html.encode(),
            repr(r.picture).encode()))

    def listed_record(self, record: Record) -> bytes:
        """A record anywhere else (an honour's recipient, a fact's list of exemplars): its fields, URL and file, not
        its body, on the ground the graph's digest stands on (lists never show a body). The fields' digest is
        :meth:`record_ref`'s, taken for every record with the graph's: a term page's honours ask for it by the
        thousand."""
        return self.record_ref(record) + record.path.encode()

    def record_ref(self, record: Record) -> bytes:
        """What a chip or a card shows of a record: its fields and URL, not its body (only its own page does)."""
        digest = self._refs.get(id(record))
        if digest is None:
            digest = self._refs[id(record)] = _hash(record.type.encode(), record.slug.encode(), record.url.encode(),
                                                    repr(record.data).encode(), repr(record.picture).encode())
            self._keep.append(record)
        return digest

    def card(self, article: Content) -> bytes:
        """What an article shows in lists, chips and links: metadata and lead (by the reader's digest), URL,
        state, its lead photo (by its source's digest) and the records it names; not the body."""
        digest = self._cards.get(id(article))
        if digest is None:
            digest = self._cards[id(article)] = self._card(article)
            self._keep.append(article)
        return digest

    def _own(self, article: Content) -> bytes:
        """The card without the records it names: what the article's own file, the clock and its lead photo give.

        An article restored from the parse cache (snapshots.py) brings it, made when it was kept (with no media, not
        scheduled, as such an article is): 10,000 reprs cost an edit build 0.04 s."""
        def make(a: Content) -> bytes:
            kept = _as_kept(a, KEPT_OWN)
            if kept is not None:
                return kept
            media, scheduled = getattr(a, "media", None), getattr(a, "scheduled", None)
            return own_repr(a, scheduled, media.lead if media is not None else None)
        return self._cached("own", article, make)

    def _card(self, a: Content) -> bytes:
        parts = [self._own(a)]
        refs = getattr(a, "refs", None)
        if isinstance(refs, ArticleRefs):
            named, ref = refs.named, self.record_ref
            for kind in RECORD_KINDS:
                parts += [ref(r) for r in named.get(kind, ())]
                parts.append(b"|")
            for h in refs.honours:
                parts += [self.record_ref(r) if r is not None else b"-" for r in (h.recipient, h.award, h.campaign)]
                parts.append(repr((h.year, h.stage, h.decision, h.path, h.line, h.document)).encode())
        return _hash(*parts)

    def media(self, article: Content) -> bytes:
        """An article's photos and documents (media.ArticleMedia), by their sources' digests."""
        return self._cached("media", article, _media_repr)

    def graph(self, articles: list[Content], unpublished: list[Content], records_of: Callable[[str], list[Record]],
              documents: dict[str, tuple[str, str]]) -> str:
        """Digest of what the joined graph is made of, bodies aside: every article's metadata, lead, URL, state and
        media in order (the drafts' too), every record's fields and file, and every PDF by its digest
        (``documents``: media.Media's). What an article names, its honours, the terms, their facts and the
        related articles are derived from these (and from the settings and code, which the site key covers), so
        equal digests give every page made from the graph alone the same bytes (Session.kept_key), but those
        that show a body: an article's page, and a term's page its record's (:meth:`record_body`). Read off
        the files' own digests, not the cards: a build whose pages keep their keys makes no card at all."""
        own = [(a.source_path, self._part(a)) for a in (*articles, *unpublished)]
        self.articles = dict(own)
        parts = [digest for _, digest in own[:len(articles)]]
        parts.append(b"|")
        parts += [digest for _, digest in own[len(articles):]]
        return _hash(*parts, self.records_digest(records_of, documents).encode()).hex()

    def _part(self, article: Content) -> bytes:
        """An article's part of :meth:`graph`: its own digest and its media's. A restored article with no media, not
        scheduled, brings it (snapshots.py): 10,000 of them were 0.03 s of every edit build."""
        kept = _as_kept(article, KEPT_PART)
        return kept if kept is not None else _hash(self._own(article), self.media(article))

    @staticmethod
    def address(article: Content) -> bytes:
        """An article's :func:`address_part`, as a restored article kept it (made from its URL and dates alone)."""
        kept = article.__dict__.get(KEPT_ADDRESS)
        return kept if kept is not None else address_part(article)

    def records_digest(self, records_of: Callable[[str], list[Record]], documents: dict[str, tuple[str, str]]) -> str:
        """Digest of every record's fields and file, and every PDF's (``records``, once per build): what an
        article's file does not say of the records it names. The search step keys each article's fields by
        its file and this (search.Fields) before the graph's digest is taken."""
        if not self.records:
            records = [repr(sorted(documents.items())).encode()]
            for kind in RECORD_KINDS:
                records.append(b"|" + kind.encode())
                records += [self.record_ref(r) + r.path.encode() for r in records_of(kind)]
            self.records = _hash(*records).hex()
        return self.records

    def article_page(self, article: Content) -> bytes:
        def make(a: Content) -> bytes:
            refs = getattr(a, "refs", None)
            parts = [self.card(a), (getattr(a, "portal_digest", None) or a.content).encode(), self.media(a)]
            if isinstance(refs, ArticleRefs):
                parts += [self.card(r) for r in refs.related]
                parts += [self.card(r) if r is not None else b"-" for r in (refs.previous, refs.next)]
            return _hash(*parts)
        return self._cached("page", article, make)

    def feed_entry(self, article: Content) -> bytes:
        """What a feed shows of an article: its card and its body. Once per article, however many feeds hold it."""
        return self._cached("feed-entry", article, lambda a: _hash(
            self.card(a), (getattr(a, "portal_digest", None) or a.content).encode()))

    def record_body(self, record: Record) -> str:
        """What a record's own page shows besides its fields: its body (Session.kept_key's ``own``). Once per
        record: each page of a paginated term asks."""
        return self._cached("body", record, lambda r: _hash(r.html.encode())).hex()

    def term(self, term: Term) -> bytes:
        """What a list shows of a term: its record as a chip or card does (fields, not body), and the facts its
        taxonomy says lists show (Taxonomy.listed_facts)."""
        return self._cached("term", term, lambda t: self.value(
            [t.taxonomy.name, t.slug, t.name, t.url, t.count, self.record_ref(t.record) if t.record else None,
             t.latest, [t.extra.get(name) for name in t.taxonomy.listed_facts]]))

    def term_page(self, term: Term) -> bytes:
        """A term's own page adds the facts derived for it and its record whole, body included."""
        return self._cached("term-page", term, lambda t: self.value([
            self.term(t), self.record(t.record) if t.record is not None else None, t.extra]))

    def later_page(self, view: LaterPage) -> bytes:
        """What a term's page after the first can read of it (LaterPage.OWN, its record whole, and the facts
        declared for those pages); none of its other articles."""
        def make(t: Term) -> bytes:
            own = [self.record(t.record) if name == "record" and t.record is not None else getattr(t, name)
                   for name in sorted(LaterPage.OWN)]
            return self.value([*own, view.shown])
        return self._cached("later-page", view.term, make)

    # Values ----------------------------------------------------------------
    def value(self, x: Any) -> bytes:
        """Digest of a template argument; an unknown type is an error, not a guess.

        The rule is found by the value's type once per type (``_RULES``): a term's page digests lists of
        hundreds of articles and honours, and a chain of isinstance tests per item cost 1.7 million calls.
        """
        rule = _RULES.get(type(x))
        if rule is None:
            rule = _RULES[type(x)] = _rule(type(x))
        return rule(self, x)

    def _seq(self, x: list | tuple) -> bytes:
        if len(x) > 16:  # long lists (a term's articles) are shared by many pages: digest them once
            return self._cached("seq", x, lambda s: _hash(b"[", *map(self.value, s)))
        return _hash(b"[", *map(self.value, x))

    def _honour(self, x: Honour) -> bytes:
        # The article by its card (a listing of honours links it by title and date); the card names
        # the honour's records, not the honour, so this does not recurse. Once per honour: its
        # recipient's, award's, campaign's and year's pages all list it.
        return self._cached("honour", x, lambda h: self.value([
            h.recipient, h.award, h.year, h.stage, h.decision, h.campaign, h.path, h.line,
            self.card(h.article) if h.article is not None else None, h.document]))

    def _dict(self, x: dict) -> bytes:
        return _hash(b"{", *(repr(k).encode() + b"=" + self.value(v)
                             for k, v in sorted(x.items(), key=lambda kv: repr(kv[0]))))

    def page(self, name: str, template: str, kwargs: dict[str, Any]) -> str:
        """Key of one output page from its template arguments."""
        parts = [name.encode(), template.encode()]
        for k in sorted(kwargs):
            v = kwargs[k]
            if k == "article" and isinstance(v, Content):
                digest = self.article_page(v)
            elif k == "page" and isinstance(v, Content):
                digest = self._cached("content-page", v, lambda p: self.value([self.card(p), p.content]))
            elif k == "term" and isinstance(v, Term):
                digest = self.term_page(v)
            elif k == "term" and isinstance(v, LaterPage):
                digest = self.later_page(v)
            else:
                digest = self.value(v)
            parts.append(k.encode() + b"=" + digest)
        return _hash(*parts).hex()


_Rule = Callable[[Fingerprint, Any], bytes]


def _plain(_: Fingerprint, x: Any) -> bytes:
    return repr(x).encode()


def _rule(kind: type) -> _Rule:
    """How ``Fingerprint.value`` digests values of ``kind`` (asked once per type)."""
    if kind is type(None) or issubclass(kind, (str, int, float, bool, date)):  # datetime is a date
        return _plain
    if issubclass(kind, (list, tuple)):
        return Fingerprint._seq
    if issubclass(kind, Content):
        return Fingerprint.card
    if issubclass(kind, Record):
        return Fingerprint.listed_record
    if issubclass(kind, Term):
        return Fingerprint.term
    if issubclass(kind, Honour):
        return Fingerprint._honour
    if issubclass(kind, bytes):
        return lambda _, x: x
    if issubclass(kind, (Photo, Rendition, Document, ArticleMedia)):
        return _plain  # frozen plain data, a photo's source digest included
    if issubclass(kind, dict):
        return Fingerprint._dict
    if issubclass(kind, (set, frozenset)):
        return lambda fp, x: _hash(b"(", *sorted(fp.value(i) for i in x))
    if issubclass(kind, (Taxonomy, Facet)):
        return lambda _, x: repr((type(x).__name__, x.name)).encode()  # declarations are code: the site key covers them
    if issubclass(kind, URLWrapper):
        return lambda _, x: repr((type(x).__name__, x.name, x.slug)).encode()
    if issubclass(kind, Page):
        # What a page of a listing shows of it: its number, the links to the others, its own items. Not the count of
        # all: a term's first page shows it from the term (term.html), and the pages after it do not show it.
        return lambda fp, x: fp.value([x.number, x.paginator.num_pages, x.object_list])
    raise TypeError(f"incremental: no fingerprint rule for {kind.__name__}; add one in incremental/fingerprints.py")


_RULES: dict[type, _Rule] = {}


def _files_digest(root: Path, skip: str = "") -> bytes:
    """Names and bytes of every file below ``root``, but those under its folder ``skip``."""
    h = hashlib.blake2b(digest_size=16)
    for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                       and not (skip and p.relative_to(root).parts[0] == skip)):
        h.update(path.relative_to(root).as_posix().encode())
        h.update(path.read_bytes())
    return h.digest()


@functools.cache
def code_digest() -> bytes:
    """The plugin's code: parsed content and pages from other code are not reused.

    The editors' and developers' tools (``tools/``) are left out: the build never imports them. Read once per
    process, which runs the code it imported (the preview restarts on a change to it): a build asked for it three
    times, 3 ms each at 10,000 articles.
    """
    return _files_digest(PLUGIN_ROOT, skip="tools")


_NAME = operator.attrgetter("name")


def content_files(settings: dict[str, Any]) -> dict[str, tuple[int, int]]:
    """Every file below the content folder (absolute path, as the reader names it): its mtime (ns) and size.

    Walked once per build: the inputs digest, the list of files to parse, the parse cache's checks and Pelican's
    own search for files (:func:`files_in_walk`) read it. Linked folders are followed, as Pelican follows them.
    """
    found: dict[str, tuple[int, int]] = {}

    def walk(folder: str) -> None:
        # os.walk's order (a folder's files, then its folders, each by name) through scandir's entries, which
        # stat without joining paths again: 0.04 s instead of 0.06 at 10,000 articles.
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=_NAME)
        except OSError:  # as os.walk: a folder that cannot be listed is skipped
            return
        folders = []
        for entry in entries:
            if entry.is_dir():
                folders.append(entry.path)
            else:
                st = entry.stat()
                found[entry.path] = (st.st_mtime_ns, st.st_size)
        for path in folders:
            walk(path)

    walk(os.path.abspath(settings["PATH"]))
    return found


def files_in_walk(walk: dict[str, tuple[int, int]], base: str, paths: list[str] | str, exclude: list[str] | None,
                  extensions: Collection[str] | Literal[False], ignores: list[str]) -> set[str] | None:
    """What Pelican's ``Generator.get_files`` finds below ``base``, read from the build's ``walk`` (content_files).

    Pelican walks the content folder again per generator (twice for articles) and tests every name against
    ``IGNORE_FILES`` through fnmatch: 0.2 s at 10,000 articles. The same rules here, on the walk already made:
    folders named in ``exclude`` or matching an ignore pattern are skipped with all below them, then files
    matching one, then files without one of ``extensions`` (False: any). Paths come out as Pelican names them.
    None when a path or exclusion is not a plain relative path: Pelican's own walk then decides.
    """
    paths = [paths] if isinstance(paths, str) else list(paths)
    exclude = list(exclude or [])
    plain = [p for p in paths if p] + exclude
    if any(os.path.isabs(p) or os.path.normpath(p) != p or p.startswith("..") for p in plain):
        return None
    ignored = _ignore_match(ignores)
    excluded: dict[str, set[str]] = {}
    for e in exclude:
        parent, name = os.path.split(os.path.join(base, e))
        excluded.setdefault(parent, set()).add(name)
    found: set[str] = set()
    for path in paths:
        root = os.path.join(base, path) if path else base
        if root in walk:  # a file named directly
            name = os.path.basename(path)
            if not ignored(name) and (extensions is False or _ext(name) in extensions):
                found.add(path)
            continue
        cut: dict[str, bool] = {root: False}
        named: dict[str, str] = {}  # folder -> its path relative to base, as Pelican joins it

        def skipped(folder: str) -> bool:
            hit = cut.get(folder)
            if hit is None:
                parent, name = os.path.split(folder)
                hit = cut[folder] = skipped(parent) or name in excluded.get(parent, ()) or bool(ignored(name))
            return hit

        prefix = root + os.sep
        for key, folder, name, ext in [entry for entry in _split(walk, ignores) if entry[0].startswith(prefix)]:
            if skipped(folder) or not (extensions is False or ext in extensions):
                continue
            rel = named.get(folder)
            if rel is None:  # with its separator: os.path.join(rel, name) for each of 10,000 files took 6 ms
                rel = named[folder] = os.path.join(os.path.relpath(folder, base), "")
            found.add(rel + name)
    return found


def _ext(name: str) -> str:
    """A file name's extension as os.path.splitext gives it, without the dot: "" for ".hidden" or "a". By rfind:
    at 10,000 files of a build's walk, a third of splitext's time (whose leading dots are its own case)."""
    dot = name.rfind(".")
    if dot <= 0 or name[0] == ".":
        return os.path.splitext(name)[1][1:]
    return name[dot + 1:]


def _ignore_match(ignores: list[str]) -> Callable[[str], Any]:
    """A name matcher for Pelican's ``IGNORE_FILES`` patterns, fnmatch as Pelican tests them (none: no match)."""
    return re.compile("|".join(fnmatch.translate(pattern) for pattern in ignores) or "(?!)").match


_splits: list[tuple[dict, tuple[str, ...], list[tuple[str, str, str, str]]]] = []  # the last walk's, see _split


def _split(walk: dict[str, tuple[int, int]], ignores: list[str]) -> list[tuple[str, str, str, str]]:
    """The walk's files as (path, folder, name, extension), those whose name matches an ignore pattern left out.

    Made once per walk: Pelican asks for files four times a build (articles and pages, each also for
    disabled readers), and splitting and matching 10,000 names took most of the 0.16 s those four cost. Split by
    string search, not os.path: 0.011 s instead of 0.024 at 10,000 articles, every edit build.
    """
    if _splits and _splits[0][0] is walk and _splits[0][1] == tuple(ignores):
        return _splits[0][2]
    ignored = _ignore_match(ignores)
    entries = []
    sep = os.sep
    for key in walk:  # absolute, normalised paths: the name follows the last separator (os.path.split's answer)
        cut = key.rfind(sep)
        name = key[cut + 1:]
        if not ignored(name):
            entries.append((key, key[:cut] or sep, name, _ext(name)))
    _splits[:] = [(walk, tuple(ignores), entries)]
    return entries


def inputs_digest(settings: dict[str, Any], files: dict[str, tuple[int, int]]) -> str:
    """Name, size and mtime of every content file (``files``: :func:`content_files`), with the theme, the code
    and the settings.

    Equal digests mean an unchanged site (``State.unchanged``): the build stops before reading.
    """
    parts = [_settings_repr(settings), _files_digest(Path(settings["THEME"])), code_digest()]
    skip = len(os.path.abspath(settings["PATH"])) + 1
    for path, (mtime, size) in files.items():
        parts.append(f"{path[skip:]}\x1e{size}\x1e{mtime}".encode())  # relative
    return _hash(*parts).hex()


def _settings_repr(settings: dict[str, Any]) -> bytes:
    skip = {SESSION, "OUTPUT_PATH", "JINJA_FILTERS", "JINJA_GLOBALS", "PLUGINS"}  # code: by name (code_digest)
    visible = {k: v for k, v in settings.items() if k.isupper() and k not in skip}
    return (repr(sorted(visible.items(), key=lambda kv: kv[0])) + repr(sorted(settings.get("JINJA_FILTERS", {})))
            + repr(sorted(settings.get("JINJA_GLOBALS", {})))).encode()


def settings_key(settings: dict[str, Any]) -> str:
    """The settings and Pelican's version: what shapes the objects Pelican makes from a file (snapshots.py)."""
    return _hash(_settings_repr(settings), PELICAN_VERSION.encode()).hex()


def site_key(settings: dict[str, Any], context: dict[str, Any]) -> str:
    """What every page shares: settings, theme, plugin code, versions and the menu of pages."""
    parts = [_settings_repr(settings), PELICAN_VERSION.encode(), sys.version.encode(),
             _files_digest(Path(settings["THEME"])), code_digest()]
    parts += [f"{p.url}\x1e{p.title}".encode() for p in context.get("pages", [])]
    return _hash(*parts).hex()
