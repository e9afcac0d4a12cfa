"""Live preview for editors: a resident process that serves the site on 127.0.0.1 and follows every save.

One process keeps the last good build in memory (Pelican's generators, the joined graph, the
compiled templates) and serves ``output/``. On a save:

1. **An article** is read again at once and its own page rendered from the graph in memory
   (Hugo's "fast render": the page the editor looks at first); the page is served from memory and
   the open tab reloads. The records it now names are resolved in the graph in memory (a change
   to its photos or documents joins that graph again first); a change that moves the article (its
   slug, date, status) skips this step.
2. **The whole site** then follows: the real incremental build (``build.py``, with its lock,
   staging and commit), run in the same process, so modules, templates and the parse cache stay
   warm. When it commits, pages served from memory give way to the files it wrote, which equal a
   cold build's; every open tab whose page changed reloads.

A content error (file:line and the message ``invoke check`` gives) shows over the open page, and
the last good page stays; the next good save clears it. A change to the theme or the settings
rebuilds everything as a build would; a change to the plugin code restarts the process.

Preview uses the development settings: drafts and scheduled articles are built, each with a
banner, and listed at /ban-nhap/.

Its memory stays that of one site, whatever the number of saves: a build keeps nothing of the last one
(build._forget_memoized, Session.release, ParseCache.settle), and the builder collects the site it replaced
(Preview.builder).
"""

from __future__ import annotations

import ctypes
import gc
import http.server
import json
import os
import queue
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .browser import QuietHandler, QuietServer

__all__ = ["Preview", "serve"]

WATCHED = ("content", "theme", "plugins")
COLLECT_AFTER = 0.5  # seconds after a build before the last site is collected (Preview.builder)
EVENTS = "/__xem-truoc/su-kien"  # server-sent events: reload, an error to show, its clearing
SCRIPT = "/__xem-truoc/xem-truoc.js"
STATUS = "/__xem-truoc/trang-thai"  # JSON: the saves seen, the saves the site on disk covers, the error shown
_CLIENT = Path(__file__).with_name("preview.js")  # never published: only the preview serves it
_TAG = f'<script src="{SCRIPT}" defer></script>'.encode()
_ARTICLE_TEXT = frozenset({"title", "summary"})  # fields an article's own page shows and no other part of the graph


@dataclass
class _Site:
    """What the last good build left in memory: enough to render an article's own page again."""

    articles: Any  # pelican.generators.ArticlesGenerator
    context: dict[str, Any]
    portal: Any  # portal.generator.PortalGenerator
    by_source: dict[str, Any] = field(default_factory=dict)  # absolute source path -> article


class Preview:
    """The resident preview: see the module docstring."""

    def __init__(self, settings: str, output: str, content: str | None, address: str) -> None:
        self.settings, self.output, self.content, self.address = settings, Path(output).resolve(), content, address
        self.site: _Site | None = None
        self.overlay: dict[str, tuple[bytes, int]] = {}  # page path -> (HTML, generation of the save it shows)
        self.error: str | None = None
        self.generation = 0  # counts saves; a build covers every save made before it started
        self.built = -1  # the generation the site on disk covers (after the last good or failed build)
        self.clients: list[queue.Queue[str]] = []
        self._lock = threading.Lock()
        self._dirty = threading.Event()
        self._captured: list[Any] | None = None
        from pelican import signals

        signals.all_generators_finalized.connect(self._capture)

    # Builds ----------------------------------------------------------------
    def _capture(self, generators: list[Any]) -> None:
        self._captured = generators

    def build(self) -> bool:
        """The real incremental build, in this process; on success keep its objects for fast pages."""
        from ..build import build

        with self._lock:
            covered = self.generation
        self._captured = None
        os.environ["PORTAL_SITE_URL"] = self.address
        result = build(self.settings, str(self.output), content=self.content)
        if not result.ok:
            self._fail(result.message)
            self.built = covered
            return False
        site = self._site(self._captured or [])
        with self._lock:
            self.site = site or self.site
            stale = [path for path, (_, generation) in self.overlay.items() if generation <= covered]
            for path in stale:
                del self.overlay[path]
            cleared, self.error = self.error is not None, None
            self.built = covered
        how = "toàn bộ" if result.full else "phần thay đổi"
        print(f"Đã dựng {how} trong {result.seconds:.1f} giây: {result.rendered} trang được viết lại.", flush=True)
        if cleared:
            self.broadcast("clear", {})
        if result.rendered or stale:
            self.broadcast("reload", {"paths": None})
        return True

    @staticmethod
    def _site(generators: list[Any]) -> _Site | None:
        from pelican.generators import ArticlesGenerator

        from ..cache import forget_unsaved
        from ..generator import PortalGenerator

        articles = next((g for g in generators if isinstance(g, ArticlesGenerator)), None)
        portal = next((g for g in generators if isinstance(g, PortalGenerator)), None)
        if articles is None or portal is None:
            return None
        site = _Site(articles, articles.context, portal)
        for article in [*articles.articles, *articles.drafts, *articles.hidden_articles]:
            site.by_source[os.path.abspath(article.source_path)] = article
            forget_unsaved(vars(article), 2)  # its plain text, for the search step alone (cache.ParseCache.settle)
        return site

    def _fail(self, message: str) -> None:
        with self._lock:
            self.error = message
        print(message, file=sys.stderr, flush=True)
        self.broadcast("problem", {"message": message})

    def builder(self) -> None:
        """Build whenever saves are waiting, one build at a time (the main thread's loop).

        After each build, the site of the one before is garbage in reference cycles (each article points to its
        build's context, which lists the articles), which only a full collection returns: the build itself runs
        with the collector asleep (build._few_collections), and between saves too little is allocated to wake
        it. Left there, each save at 10,000 articles kept 90 MB more. A full collection takes 0.45 s at 10,000
        articles and holds the interpreter: it waits for the reloads of the open tabs (COLLECT_AFTER), unless
        a save is already waiting for the next build.
        """
        while True:
            self._dirty.wait()
            self._dirty.clear()
            try:
                self.build()
            except Exception as exc:  # noqa: BLE001 - the preview must outlive any one build
                self._fail(f"Dựng trang thất bại: {exc.__class__.__name__}: {exc}")
            self._dirty.wait(COLLECT_AFTER)
            _collect()

    # Saves -----------------------------------------------------------------
    def saved(self, paths: set[str]) -> None:
        """React to saved files: plugin code restarts, content gets a fast page, everything a build."""
        if any(p.endswith(".py") and "/plugins/" in p for p in paths):
            print("Mã plugin đã đổi: khởi động lại bản xem trước.", flush=True)
            os.execv(sys.executable, sys.orig_argv)
        with self._lock:
            self.generation += 1
            generation = self.generation
        for path in sorted(paths):
            if path.endswith((".md", ".markdown")) and os.path.isfile(path):
                self.fast(path, generation)
        self._dirty.set()

    def fast(self, path: str, generation: int) -> bool:
        """Render the edited file's own page from the graph in memory; serve it until the build commits.

        An article at the same address and date (its text, or the records it names: the graph in memory
        is joined again), or a record whose fields are unchanged (only its body); anything else waits
        for the build.
        """
        site = self.site
        if site is None:
            return False
        from ..problems import ContentError

        try:
            made = self._fast_article(site, path) if os.path.abspath(path) in site.by_source else \
                self._fast_record(site, path)
        except ContentError as exc:  # shown at once; the build that follows stops on it too
            self._fail(str(exc))
            return False
        except Exception:  # noqa: BLE001 - a page only the build can draw
            return False
        if made is None:
            return False
        name, writer = made
        pages = writer.render_in_memory({name})
        if name not in pages:
            return False
        key = "/" + name.removesuffix("index.html")
        with self._lock:  # an error shown stays until a build goes through: it may lie in another file
            self.overlay[key] = (pages[name].encode("utf-8"), generation)
        self.broadcast("reload", {"paths": [key]})
        return True

    @staticmethod
    def _writer(site: _Site) -> Any:
        from ..incremental import SESSION, PortalWriter

        settings = {**site.portal.settings, SESSION: None}  # no keys, no state: pages for memory only
        return PortalWriter(site.portal.output_path, settings=settings)

    def _fast_article(self, site: _Site, path: str) -> tuple[str, Any] | None:
        from pelican import signals
        from pelican.contents import Article

        from ..graph import RENAMING_FIELDS, resolve_one
        from ..incremental import freeze_urls
        from ..problems import ContentError, Report

        old, gen = site.by_source[os.path.abspath(path)], site.articles
        new = gen.readers.read_file(base_path=gen.path, path=os.path.relpath(path, gen.path), content_class=Article,
                                    context=site.context, preread_signal=signals.article_generator_preread,
                                    preread_sender=gen, context_signal=signals.article_generator_context,
                                    context_sender=gen)
        errors = Report(getattr(new, "portal_problems", [])).errors
        if errors:
            raise ContentError(errors)

        def graph_part(a: Any) -> dict[str, Any]:
            return {k: v for k, v in a.portal_data.items() if k not in _ARTICLE_TEXT}

        if (new.slug, new.date, new.status) != (old.slug, old.date, old.status):
            return None  # a new address or place in the lists: only the build can move it
        before, after = graph_part(old), graph_part(new)
        changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
        if not changed:
            new.refs, new.media = old.refs, old.media
        elif changed <= RENAMING_FIELDS and not any(row.get("decision_file") for row in after.get("honours", [])):
            fatal = Report(resolve_one(site.portal.graph, old, new)).fatal(site.portal.config.strict)
            if fatal:  # it names other records: resolved in the graph in memory (milliseconds)
                raise ContentError(fatal)
            new.media = old.media
        else:
            self._rejoin(site, old, new)  # photos or documents too: join the graph again (a second, not a build)
        new.scheduled = old.scheduled
        freeze_urls([new])
        site.portal.draw_body_photos([new])
        writer = self._writer(site)
        writer.write_file(new.save_as, gen.get_template(new.template), site.context, article=new,
                          category=getattr(new, "category", None), url=new.url, blog=True)
        return new.save_as, writer

    @staticmethod
    def _rejoin(site: _Site, old: Any, new: Any) -> None:
        """Put ``new`` in ``old``'s place and join the graph in memory again; a problem it finds is raised."""
        from ..generator import join
        from ..problems import ContentError, Report

        lists = [site.context.get(name) or [] for name in ("articles", "drafts", "hidden_articles")]

        def swap(out: Any, into: Any) -> None:
            for items in lists:
                for i, article in enumerate(items):
                    if article is out:
                        items[i] = into

        before = {id(a): a.refs for items in lists for a in items}
        swap(old, new)
        try:  # related articles for the edited one alone: the others keep theirs (about a second saved at 10,000)
            graph, problems = join(site.context, site.portal.settings, related_only=[new])
            fatal = Report(problems).fatal(site.portal.config.strict)
            if fatal:
                raise ContentError(fatal)
        except BaseException:
            swap(new, old)  # the graph in memory stays the last good one
            raise
        for items in lists:
            for article in items:
                kept = before.get(id(article))
                if article is not new and kept is not None:
                    article.refs.related, article.refs.previous, article.refs.next = \
                        kept.related, kept.previous, kept.next
        site.portal.graph = graph
        site.context["portal"], site.context["TAXONOMIES"] = graph, graph.taxonomies
        site.by_source[os.path.abspath(new.source_path)] = new

    def _fast_record(self, site: _Site, path: str) -> tuple[str, Any] | None:
        from ..problems import ContentError, Report
        from ..records import MarkdownRenderer, parse_record
        from ..schema import KINDS, RECORD_KINDS

        root = Path(os.path.abspath(site.portal.settings["PATH"]))
        rel = Path(path).resolve().relative_to(root.resolve())
        kind = next((k for k in RECORD_KINDS if rel.parts[0] == KINDS[k].folder), None)
        graph = site.portal.graph
        record = graph.records.get(kind, rel.stem) if kind is not None else None
        if record is None or record.term is None:
            return None
        parsed = parse_record(root / rel, kind, root, MarkdownRenderer(site.portal.settings))
        if parsed[0] == "problem":
            raise ContentError([parsed[1]])
        _, data, problems, body, html, _, plain, kd, _ = parsed
        errors = Report(problems).errors
        if errors:
            raise ContentError(errors)
        if data != record.data:
            return None  # its fields reach other pages and the graph: only the build can follow them
        # In place: the graph in memory is this preview's own.
        record.body, record.html, record.body_plain, record.body_kd = body, html, plain, kd
        term = record.term
        writer = self._writer(site)
        site.portal.write_term_page(writer, graph.taxonomies[term.taxonomy.name], term)
        return term.save_as, writer

    # Serving ---------------------------------------------------------------
    def broadcast(self, event: str, data: dict[str, Any]) -> None:
        message = f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"
        with self._lock:
            clients = list(self.clients)
        for client in clients:
            client.put(message)

    def page(self, url_path: str) -> bytes | None:
        """The HTML the preview serves at ``url_path`` (from memory, else from output/), or None."""
        key = url_path if url_path.endswith("/") else url_path.removesuffix("index.html")
        with self._lock:
            held = self.overlay.get(key)
        if held is not None:
            return held[0]
        file = self.output / url_path.lstrip("/")
        if url_path.endswith("/"):
            file = file / "index.html"
        if file.suffix != ".html" or not file.is_file() or not file.resolve().is_relative_to(self.output):
            return None
        return file.read_bytes()

    def handler(self) -> type[http.server.SimpleHTTPRequestHandler]:
        preview = self

        class Handler(QuietHandler):  # no log line per request, as the tests' servers
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, directory=str(preview.output), **kwargs)

            def do_GET(self) -> None:  # noqa: N802 - the base class's name
                path = self.path.split("?", 1)[0].split("#", 1)[0]
                if path == EVENTS:
                    return self._events()
                if path == SCRIPT:
                    return self._send(_CLIENT.read_bytes(), "text/javascript; charset=utf-8")
                if path == STATUS:
                    with preview._lock:
                        status = {"saves": preview.generation, "built": preview.built, "error": preview.error,
                                  "building": preview._dirty.is_set() or preview.built < preview.generation}
                    return self._send(json.dumps(status, ensure_ascii=False).encode(), "application/json")
                html = preview.page(path)
                if html is None:
                    return super().do_GET()
                at = html.rfind(b"</body>")
                html = html[:at] + _TAG + html[at:] if at >= 0 else html + _TAG
                return self._send(html, "text/html; charset=utf-8")

            def _send(self, body: bytes, kind: str) -> None:
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(body)

            def _events(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                mine: queue.Queue[str] = queue.Queue()
                with preview._lock:
                    preview.clients.append(mine)
                    error = preview.error
                mine.put(f"event: {'problem' if error else 'clear'}\n"
                         f"data: {json.dumps({'message': error} if error else {}, ensure_ascii=False)}\n\n")
                try:
                    while True:
                        try:
                            message = mine.get(timeout=15)
                        except queue.Empty:
                            message = ": still here\n\n"  # a comment line keeps the connection open
                        self.wfile.write(message.encode("utf-8"))
                        self.wfile.flush()
                except OSError:
                    pass
                finally:
                    with preview._lock:
                        preview.clients.remove(mine)

        return Handler

    def watch(self, paths: list[str], ready: threading.Event) -> None:
        """A thread: every batch of saves (50 ms apart at most) goes to :meth:`saved`.

        ``ready`` is set once the watches are in place (a save before it would go unseen for good): the watcher
        yields an empty batch after half a second without a save, so its first batch, empty or not, says so.
        """
        import watchfiles

        try:
            for changes in watchfiles.watch(*paths, debounce=50, step=20, rust_timeout=500, yield_on_timeout=True):
                ready.set()
                if changes:
                    self.saved({os.path.abspath(path) for _, path in changes})
        finally:  # a watcher that cannot start (the system's watch limit) must not keep the preview from serving
            ready.set()


def _collect() -> None:
    """Collect what the builds so far left (Preview.builder), and give the memory freed back to the system
    (glibc's malloc_trim), where it can. Freed, it stays the allocator's, and the next build's objects (in arenas
    of their own) do not reuse it: at 10,000 articles the preview's peak during a campaigns edit build was
    428-452 MB with it, 468-484 MB without. The states the last build released (Session.release) go first."""
    from ..incremental.state import free_released

    free_released()
    gc.collect()
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to give back this way
        pass


def serve(port: int = 8000, settings: str = "pelicanconf.py", output: str = "output", content: str | None = None) -> None:
    """Build once, then serve ``output`` and follow every save (``content``: the settings' folder by default)."""
    address = f"http://127.0.0.1:{port}"  # the preview's own address: canonical URLs and feeds point at it
    preview = Preview(settings, output, content, address)
    # Watched from before the first build, and served only once the watches are in place: a save made as the
    # first page is served (a quick editor, the bench) used to go unseen when the watcher was not yet there.
    watched, ready = [p for p in (content or WATCHED[0], *WATCHED[1:], settings) if Path(p).exists()], threading.Event()
    threading.Thread(target=preview.watch, args=(watched, ready), daemon=True).start()
    preview.build()
    _collect()  # what the first build, a full one at first, left
    ready.wait()
    server = QuietServer(("127.0.0.1", port), preview.handler())
    server.daemon_threads = True  # an open tab's event stream never ends: it must not keep the process alive
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"Xem trước tại {address}/ (bản nháp: /ban-nhap/). Ctrl+C để dừng.", flush=True)
    try:  # builds in the main thread: there a hostile Markdown body is stopped by its CPU budget (records.py)
        preview.builder()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
