"""Incremental builds: render and write only the pages whose inputs changed.

Every page gets a *key*: a digest of what it shows, taken from its template
arguments (the ``article`` of an article page, the ``term`` and the articles
on one page of a term listing, the entries of a feed). Pelican's ``context``
is the same for every page; what of it reaches a page (settings, the theme,
the plugin code, the menu of pages) goes into one *site key*. The keys of the
last good build are kept next to the output; a page whose key is unchanged
and whose file is still there is neither rendered nor written, so its bytes
and mtime stay and a sync to the server moves only what changed. A new site
key (theme, plugin, settings or menu changed) renders everything again.

What a page shows must therefore reach it through its template arguments,
and :class:`Fingerprint` refuses a type it has no rule for rather than guess;
the incremental-equality tests (tests/site/test_incremental.py) compare every
kind of edit with a cold build, byte for byte.

Two shortcuts sit around this. Before reading anything, the build compares
the name, size and mtime of every content file, the theme, the code and the
settings with the last good build (:func:`inputs_digest`); if nothing changed
and no scheduled article fell due, it stops there. And the reader keeps a
digest of each file's bytes and of its metadata with the parsed file
(cache.py), so keys need not walk metadata again.

Rendering is deferred to :meth:`PortalWriter.flush`, which splits the pages
between two processes (``fork``) when there are enough of them.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import os
import pickle
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from jinja2 import Template
from pelican import __version__ as PELICAN_VERSION
from pelican.contents import Content
from pelican.paginator import Page, Paginator
from pelican.urlwrappers import URLWrapper
from pelican.utils import sanitised_join
from pelican.writers import Writer

from .model import ArticleRefs, Honour, Record
from .progress import Progress
from .taxonomy import Facet, Taxonomy, Term

logger = logging.getLogger(__name__)

SESSION = "PORTAL_BUILD"  # settings key of the running build's Session (set by build.py)
STATE_VERSION = 2
PARALLEL_MIN = 200  # fewer pages than this render faster in one process than with a fork
PLUGIN_ROOT = Path(__file__).resolve().parent


@dataclass
class State:
    """What the last good build wrote: its site key, each unit's key and files, every file of the site.

    A unit is one page, one feed or one search bundle (a folder of files).
    """

    site_key: str = ""
    units: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)  # unit -> (key, files)
    files: set[str] = field(default_factory=set)  # every file of the site, without the .gz/.br copies
    redirect_pages: list[str] = field(default_factory=list)  # alias pages: nginx's redirect map reads them
    inputs: str = ""  # digest of every input file's name, size and mtime, the theme, the code and the settings
    next_due: datetime | None = None  # the first scheduled article: the site changes then, inputs or not
    version: int = STATE_VERSION

    def unchanged(self, inputs: str, now: datetime) -> bool:
        """True when nothing the site is made of changed since this state was saved, nor fell due."""
        return self.inputs == inputs and (self.next_due is None or now < self.next_due)

    @classmethod
    def load(cls, path: Path) -> State | None:
        try:
            with path.open("rb") as f:
                state = pickle.load(f)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None
        return state if isinstance(state, cls) and state.version == STATE_VERSION else None

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        with tmp.open("wb") as f:
            pickle.dump(self, f, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)


@dataclass
class Session:
    """One build: the last good state, and what this build renders or reuses.

    ``previous`` is None for a cold build; :meth:`begin` turns the build full
    when the site key shows the previous pages cannot be reused.
    """

    cache_dir: Path
    live: Path  # the output being replaced
    previous: State | None = None
    state: State = field(default_factory=State)
    full: bool = True
    rendered: int = 0
    reused: int = 0
    parse_cache: Any = None  # cache.ParseCache of this build, read by the reader and load_records
    timings: dict[str, float] = field(default_factory=dict)  # seconds per phase (``build --timings``)

    @contextlib.contextmanager
    def timed(self, phase: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.timings[phase] = self.timings.get(phase, 0.0) + time.perf_counter() - started

    @property
    def state_path(self) -> Path:
        return self.cache_dir / "state.pickle"

    def begin(self, key: str) -> None:
        self.state.site_key = key
        self.full = self.previous is None or self.previous.site_key != key or not self.live.is_dir()

    def reuse(self, unit: str, key: str, files: tuple[str, ...] = ()) -> bool:
        """Record ``unit``'s key; true (its files kept) when the last build made it with the same key."""
        if unit in self.state.units:
            raise RuntimeError(f"incremental: two outputs would be written to {unit}")
        before = None if self.full or self.previous is None else self.previous.units.get(unit)
        if before is not None and before[0] == key and all((self.live / f).is_file() for f in before[1]):
            self.state.units[unit] = before
            self.reused += 1
            return True
        self.state.units[unit] = (key, files)
        return False

    def produced(self, unit: str, files: tuple[str, ...]) -> None:
        """The files a re-made unit wrote (a search bundle knows them only afterwards)."""
        self.state.units[unit] = (self.state.units[unit][0], files)

    def kept_files(self) -> set[str]:
        return {f for _, files in self.state.units.values() for f in files}


def _hash(*parts: bytes) -> bytes:
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(part)
        h.update(b"\x1f")
    return h.digest()


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
        self._keep: list[Any] = []  # memo keys are ids: keep the objects alive for the build

    def _cached(self, kind: str, obj: Any, make) -> bytes:
        key = (kind, id(obj))
        digest = self._memo.get(key)
        if digest is None:
            digest = self._memo[key] = make(obj)
            self._keep.append(obj)
        return digest

    # Objects ---------------------------------------------------------------
    def record(self, record: Record) -> bytes:
        return self._cached("record", record, lambda r: _hash(
            r.type.encode(), r.slug.encode(), r.url.encode(), r.path.encode(), repr(r.data).encode(), r.html.encode()))

    def record_ref(self, record: Record) -> bytes:
        """What a chip or a card shows of a record: its fields and URL, not its body (only its own page does)."""
        return self._cached("record-ref", record, lambda r: _hash(
            r.type.encode(), r.slug.encode(), r.url.encode(), repr(r.data).encode()))

    def card(self, article: Content) -> bytes:
        """What an article shows in lists, chips and links: metadata and lead (by the reader's digest), URL,
        state and the records it names; not the body."""
        def make(a: Content) -> bytes:
            digest = getattr(a, "portal_card_digest", None)
            own = (digest,) if digest else (a.title, a.summary, getattr(a, "date", None),
                                            repr(getattr(a, "portal_data", None)))
            parts = [repr((*own, a.url, a.save_as, a.status, getattr(a, "scheduled", None),
                           getattr(a, "portal_path", None))).encode()]
            refs = getattr(a, "refs", None)
            if isinstance(refs, ArticleRefs):
                for records in (refs.campaigns, refs.clusters, refs.provinces, refs.exemplars, refs.awards):
                    parts += [self.record_ref(r) for r in records]
                    parts.append(b"|")
                for h in refs.honours:
                    parts += [self.record_ref(r) if r is not None else b"-" for r in (h.recipient, h.award, h.campaign)]
                    parts.append(repr((h.year, h.stage, h.decision, h.path, h.line)).encode())
            return _hash(*parts)
        return self._cached("card", article, make)

    def article_page(self, article: Content) -> bytes:
        def make(a: Content) -> bytes:
            refs = getattr(a, "refs", None)
            parts = [self.card(a), (getattr(a, "portal_digest", None) or a.content).encode()]
            if isinstance(refs, ArticleRefs):
                parts += [self.card(r) for r in refs.related]
                parts += [self.card(r) if r is not None else b"-" for r in (refs.previous, refs.next)]
            return _hash(*parts)
        return self._cached("page", article, make)

    def term(self, term: Term) -> bytes:
        return self._cached("term", term, lambda t: self.value(
            [t.taxonomy.name, t.slug, t.name, t.url, t.count, t.record, t.latest]))

    def term_page(self, term: Term) -> bytes:
        return self._cached("term-page", term, lambda t: self.value([self.term(t), t.extra]))

    # Values ----------------------------------------------------------------
    def value(self, x: Any) -> bytes:
        """Digest of a template argument; an unknown type is an error, not a guess."""
        if x is None or isinstance(x, (str, int, float, bool, date)):  # datetime is a date
            return repr(x).encode()
        if isinstance(x, (list, tuple)):
            if len(x) > 16:  # long lists (a term's articles) are shared by many pages: digest them once
                return self._cached("seq", x, lambda s: _hash(b"[", *map(self.value, s)))
            return _hash(b"[", *map(self.value, x))
        if isinstance(x, Content):
            return self.card(x)
        if isinstance(x, Record):
            return self.record(x)
        if isinstance(x, Term):
            return self.term(x)
        if isinstance(x, Honour):
            # The article is named, not walked: its card holds its honours.
            return self.value([x.recipient, x.award, x.year, x.stage, x.decision, x.campaign, x.path, x.line,
                               x.article.url if x.article is not None else None])
        if isinstance(x, bytes):
            return x
        if isinstance(x, dict):
            return _hash(b"{", *(repr(k).encode() + b"=" + self.value(v)
                                 for k, v in sorted(x.items(), key=lambda kv: repr(kv[0]))))
        if isinstance(x, (set, frozenset)):
            return _hash(b"(", *sorted(self.value(i) for i in x))
        if isinstance(x, (Taxonomy, Facet)):
            return repr((type(x).__name__, x.name)).encode()  # declarations are code: the site key covers them
        if isinstance(x, URLWrapper):
            return repr((type(x).__name__, x.name, x.slug)).encode()
        if isinstance(x, Page):
            return self.value([x.number, x.paginator.num_pages, x.paginator.count, x.object_list])
        raise TypeError(f"incremental: no fingerprint rule for {type(x).__name__}; add one in incremental.py")

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
            else:
                digest = self.value(v)
            parts.append(k.encode() + b"=" + digest)
        return _hash(*parts).hex()


def _files_digest(root: Path, skip: str = "") -> bytes:
    """Names and bytes of every file below ``root``, but those under its folder ``skip``."""
    h = hashlib.blake2b(digest_size=16)
    for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                       and not (skip and p.relative_to(root).parts[0] == skip)):
        h.update(path.relative_to(root).as_posix().encode())
        h.update(path.read_bytes())
    return h.digest()


def code_digest() -> bytes:
    """The plugin's code: parsed content and pages from other code are not reused.

    The editors' and developers' tools (``tools/``) are left out: the build never imports them.
    """
    return _files_digest(PLUGIN_ROOT, skip="tools")


def inputs_digest(settings: dict[str, Any]) -> str:
    """Name, size and mtime of every content file, with the theme, the code and the settings.

    Equal digests mean an unchanged site (``State.unchanged``): the build stops before reading.
    """
    parts = [_settings_repr(settings), _files_digest(Path(settings["THEME"])), code_digest()]
    root = Path(settings["PATH"])
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            st = os.stat(os.path.join(folder, name))
            parts.append(f"{os.path.relpath(os.path.join(folder, name), root)}\x1e{st.st_size}\x1e{st.st_mtime_ns}"
                         .encode())
    return _hash(*parts).hex()


def _settings_repr(settings: dict[str, Any]) -> bytes:
    skip = {SESSION, "OUTPUT_PATH", "JINJA_FILTERS", "PLUGINS"}
    visible = {k: v for k, v in settings.items() if k.isupper() and k not in skip}
    return (repr(sorted(visible.items(), key=lambda kv: kv[0])) + repr(sorted(settings.get("JINJA_FILTERS", {})))
            ).encode()


def site_key(settings: dict[str, Any], context: dict[str, Any]) -> str:
    """What every page shares: settings, theme, plugin code, versions and the menu of pages."""
    parts = [_settings_repr(settings), PELICAN_VERSION.encode(), sys.version.encode(),
             _files_digest(Path(settings["THEME"])), code_digest()]
    parts += [f"{p.url}\x1e{p.title}".encode() for p in context.get("pages", [])]
    return _hash(*parts).hex()


@dataclass
class _Job:
    name: str
    template: Template
    context: dict[str, Any]  # the generator's context (shared, not copied)
    kwargs: dict[str, Any]


class PortalWriter(Writer):
    """Pelican's writer, keyed and deferred: see the module docstring.

    Pagination follows ``PAGINATED_TEMPLATES`` exactly as Pelican's writer
    does, so each page of a listing gets its own key.
    """

    def __init__(self, output_path: str, settings: dict[str, Any] | None = None) -> None:
        super().__init__(output_path, settings=settings)
        self.session: Session | None = (settings or {}).get(SESSION)
        self.fingerprint = Fingerprint()
        self._jobs: list[_Job] = []
        self._names: set[str] = set()

    # Deciding --------------------------------------------------------------
    def _fresh(self, name: str, key: str) -> bool:
        """True when the last build wrote this page with the same key: nothing to do."""
        if name in self._names:
            raise RuntimeError(f"two pages would be written to {name}")
        self._names.add(name)
        return self.session is not None and self.session.reuse(name, key, (name,))

    def write_file(self, name: str, template: Template, context: dict[str, Any], relative_urls: bool = False,
                   paginated: dict[str, list] | None = None, template_name: str | None = None,
                   override_output: bool = False, url: str | None = None, **kwargs: Any) -> None:
        if not name:
            return
        if relative_urls:
            raise ValueError("the portal writes root-relative URLs; RELATIVE_URLS must stay False")
        if paginated is None:
            paginated = {k: v for k, v in kwargs.items() if k in ("articles", "dates")}
        if not (paginated and template_name in self.settings["PAGINATED_TEMPLATES"]):
            self._queue(name, template, context, {**kwargs, "output_file": name})
            return
        per_page = self.settings["PAGINATED_TEMPLATES"][template_name] or self.settings["DEFAULT_PAGINATION"]
        paginators = {k: Paginator(name, url, v, self.settings, per_page) for k, v in paginated.items()}
        # The whole lists stay in the context (as Pelican passes them) but are keyed page by page.
        shared = {k: v for k, v in kwargs.items() if k not in paginators}
        for number in range(1, next(iter(paginators.values())).num_pages + 1):
            page_kwargs: dict[str, Any] = {}
            for key, paginator in paginators.items():
                page = paginator.page(number)
                page_kwargs.update({
                    f"{key}_paginator": paginator,
                    f"{key}_page": page,
                    f"{key}_previous_page": paginator.page(number - 1) if number > 1 else None,
                    f"{key}_next_page": paginator.page(number + 1) if number < paginator.num_pages else None,
                })
            keyed = {**shared, **{f"{k}_page": page_kwargs[f"{k}_page"] for k in paginators}}
            self._queue(page.save_as, template, context, {**kwargs, **page_kwargs, "output_file": page.save_as},
                        keyed)

    def _queue(self, name: str, template: Template, context: dict[str, Any], kwargs: dict[str, Any],
               keyed: dict[str, Any] | None = None) -> None:
        key = ""
        if self.session is not None:
            key = self.fingerprint.page(name, template.name or "", keyed if keyed is not None else kwargs)
        if self._fresh(name, key):
            return
        self._jobs.append(_Job(name, template, context, kwargs))

    def write_feed(self, elements: list, context: dict[str, Any], path: str | None = None, url: str | None = None,
                   feed_type: str = "atom", override_output: bool = False, feed_title: str | None = None) -> Any:
        if not path:
            return None
        key = ""
        if self.session is not None:
            articles = [getattr(e, "_article", e) for e in elements]  # feed entries show the body too
            entries = [[a, getattr(a, "portal_digest", None) or a.content] for a in articles]
            key = self.fingerprint.page(path, f"feed:{feed_type}", {"entries": entries, "title": feed_title,
                                                                    "url": url})
        if self._fresh(path, key):
            return None
        if self.session is not None:
            self.session.rendered += 1
        return super().write_feed(elements, context, path, url, feed_type, override_output, feed_title)

    # Rendering -------------------------------------------------------------
    def _render(self, job: _Job) -> None:
        local = job.context.copy()
        local["localsiteurl"] = job.context.get("localsiteurl")
        local.update(job.kwargs)
        output = job.template.render(local)
        path = sanitised_join(self.output_path, job.name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(output)

    def flush(self) -> int:
        """Render every queued page (in two processes when it pays); return how many were written."""
        jobs, self._jobs = self._jobs, []
        if self.session is not None:
            self.session.rendered += len(jobs)
        progress = Progress("Dựng trang", len(jobs))
        if len(jobs) < PARALLEL_MIN or (os.cpu_count() or 1) < 2:
            for job in jobs:
                self._render(job)
                progress.step()
            progress.done()
            return len(jobs)
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child renders every second page, then reports
            os.close(read_end)
            status = 0
            captured = _Capture()
            logging.getLogger().addHandler(captured)
            try:
                for job in jobs[1::2]:
                    self._render(job)
                payload: tuple = ("ok", captured.messages)
            except BaseException as exc:  # noqa: BLE001 - everything goes back to the parent
                payload = ("error", f"{exc.__class__.__name__}: {exc}")
                status = 1
            with os.fdopen(write_end, "wb") as f:
                pickle.dump(payload, f)
            os._exit(status)
        os.close(write_end)
        try:
            for job in jobs[0::2]:
                self._render(job)
                progress.step(2)
        finally:
            with os.fdopen(read_end, "rb") as f:
                data = f.read()
            os.waitpid(pid, 0)
        progress.done()
        kind, detail = pickle.loads(data) if data else ("error", "the rendering process died")
        if kind == "error":
            raise RuntimeError(f"Dựng trang (tiến trình phụ) thất bại: {detail}")
        for level, message in detail:
            logger.log(level, "%s", message)
        return len(jobs)


class _Capture(logging.Handler):
    """Warnings of the child process, re-logged by the parent so strict mode counts them."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[tuple[int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append((record.levelno, record.getMessage()))


_FROZEN: dict[type, type] = {}


def freeze_urls(contents: list[Content]) -> None:
    """Compute each article's ``url`` and ``save_as`` once.

    Pelican formats the URL settings again on every access; pages read them
    dozens of times each (15 s of a 10,000-article build). Once the graph is
    joined they cannot change, so each object moves to a subclass whose two
    properties are cached.
    """
    for content in contents:
        cls = type(content)
        if cls in _FROZEN.values():
            continue
        frozen = _FROZEN.get(cls)
        if frozen is None:
            frozen = _FROZEN[cls] = type(cls.__name__, (cls,), {
                "url": functools.cached_property(cls.url.fget),
                "save_as": functools.cached_property(cls.save_as.fget),
                "__module__": cls.__module__,
            })
        content.__class__ = frozen
