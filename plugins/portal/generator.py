"""The Pelican generator: builds the graph, then writes every portal page.

Phase 1 (``generate_context``) runs after Pelican has read the articles and
pages: it loads the records, validates everything and joins the graph. If
content has errors (or warnings in strict mode) it raises before a single
file is written. Phase 2 (``generate_output``) writes taxonomy term and index
pages through the writer's own pagination, feeds, the exemplar directory,
the home and news pages, and redirects from alias slugs.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import html
import logging
import os
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo
from pathlib import Path
from typing import Any

from pelican.generators import Generator

from . import cms, media, opendata, profiles, related, search, search_names, search_words, seo, stats
from .config import PortalConfig
from .forked import CACHE_NICE
from .graph import SiteGraph, build_graph
from .incremental import SESSION, Fingerprint, freeze_urls, site_key
from .problems import ContentError, Problem, Report
from .records import MarkdownRenderer, load_records
from .taxonomies import TAXONOMIES
from .taxonomy import LaterPage, Taxonomy, Term, ordered, term_slug

logger = logging.getLogger(__name__)


class _FeedEntry:
    """An article as a feed sees it: the plain-text lead escaped for ``type="html"``.

    The lead is made when the feed is written: most feeds of an edit build are unchanged, and Pelican's
    ``summary`` costs 0.07 s over the 2,600 entries of the term feeds at 10,000 articles.
    """

    def __init__(self, article: Any) -> None:
        self._article = article

    @functools.cached_property
    def summary(self) -> str:
        return html.escape(self._article.summary or "", quote=False)

    def __getattr__(self, name: str) -> Any:
        if name in ("category", "tags"):  # Pelican's categories mean nothing here
            raise AttributeError(name)
        return getattr(self._article, name)


def unpublished(context: dict[str, Any]) -> list[Any]:
    """Articles Pelican read but does not publish: validated and joined all the same."""
    return [*context.get("drafts", []), *context.get("hidden_articles", [])]


def read_context(settings: dict[str, Any], output_path: str,
                 generators: tuple[str, ...] | None = None) -> dict[str, Any]:
    """Run phase 1 of a build (read, validate, join) without writing; return Pelican's context.

    ``generators`` limits it to the named generator classes (``invoke check`` only reads
    articles and pages, then joins them itself).
    """
    from pelican import Pelican  # local: the plugin module is imported by Pelican itself

    pelican = Pelican(settings)
    context = {**settings, "generated_content": {}, "static_links": set(), "static_content": {},
               "localsiteurl": settings["SITEURL"]}
    for cls in pelican._get_generator_classes():
        if hasattr(cls, "generate_context") and (generators is None or cls.__name__ in generators):
            cls(context=context, settings=settings, path=settings["PATH"], theme=settings["THEME"],
                output_path=output_path).generate_context()
    return context


def join(context: dict[str, Any], settings: dict[str, Any], related_only: list[Any] | None = None,
         rank: bool = True) -> tuple[SiteGraph, list[Problem]]:
    """Load the records and join them with what Pelican read: the graph and every problem of the site.

    The build and ``invoke check`` both call this, so they can never disagree on what is wrong
    (the preview too, asking for the related articles of its one edited article alone).
    Articles are put in one total order, newest first and by file path within the same minute:
    Pelican reads files in set order, which differs from run to run, and every list, feed and
    search bundle must come out the same. ``rank=False``: the related articles are left to the caller
    (build_graph).
    """
    for articles in (context.get("articles"), context.get("drafts"), context.get("hidden_articles")):
        if articles:  # in place: Pelican's generator holds the same lists
            articles.sort(key=lambda a: a.source_path)
            articles.sort(key=lambda a: a.date, reverse=True)
    session = settings.get(SESSION)
    records = load_records(Path(os.path.abspath(settings["PATH"])), MarkdownRenderer(settings),
                           session.parse_cache if session is not None else None,
                           session.walk if session is not None else None)
    config = PortalConfig.from_settings(settings)
    graph, problems = build_graph(records, context.get("articles", []), unpublished(context), list(TAXONOMIES),
                                  config, related_only, session.memo if session is not None else None, rank)
    store = Path(config.media_store).expanduser() if config.media_store else media.default_store()
    graph.media = media.collect(graph, [*graph.articles, *unpublished(context)], Path(os.path.abspath(settings["PATH"])),
                                store, session.parse_cache if session is not None else None)
    problems.extend(graph.media.problems)
    for page in [*context.get("pages", []), *context.get("hidden_pages", []), *context.get("draft_pages", [])]:
        problems.extend(getattr(page, "portal_problems", []))
    return graph, problems


def _timed(session: Any, phase: str) -> Any:
    return session.timed(phase) if session is not None else contextlib.nullcontext()


class PortalGenerator(Generator):
    """Writes the portal's own pages; registered through ``get_generators``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.config = PortalConfig.from_settings(self.settings)
        self.graph: SiteGraph | None = None
        self.indexing: search.Indexing | None = None

    @property
    def session(self) -> Any:
        """The running build's incremental.Session, or None when Pelican runs without portal.build."""
        return self.settings.get(SESSION)

    # Phase 1 ---------------------------------------------------------------
    def generate_context(self) -> None:
        with _timed(self.session, "liên kết"):
            self._generate_context()
        session = self.session
        if session is not None:
            # The search step forks now (search.Indexing): it cuts the bundles and runs Pagefind while Pelican
            # queues its pages and this process renders; should a later step fail, build.py stops it
            # (Session.stops). Timed as search, not as the join.
            session.stops.append(self._start_search().cancel)
            if session.parse_cache is not None:  # all is read: saved beside the build, which waits for it at its end
                session.parse_cache.save(fork=session.jobs > 1, wait=False, nice=0 if session.full else CACHE_NICE)
            graph, state = self.graph, session.state
            if session.fingerprint is not None:  # before any page is keyed (Session.kept_key)
                fingerprint = session.fingerprint
                state.graph = fingerprint.graph(graph.articles, unpublished(self.context), graph.records.all,
                                                graph.media.documents)
                state.articles, state.records = fingerprint.articles, fingerprint.records
                if not session.full and not session.graph_unchanged:  # pages to make: the build comes first
                    self.indexing.yield_cores()
            # Ranked after the graph's digest, which reads no related list and stands for all the ranking reads.
            state.related = related.attach(graph, memo=session.memo, inputs=state.graph,
                                           changed=session.changed_articles if state.graph else None)

    def _generate_context(self) -> None:
        graph, problems = join(self.context, self.settings, rank=self.session is None)
        report = Report(problems)
        fatal = report.fatal(self.config.strict)
        if fatal:
            raise ContentError(fatal)
        for warning in report.warnings:
            logger.warning("%s", warning)
        now = datetime.now(ZoneInfo(self.settings.get("TIMEZONE") or "Asia/Ho_Chi_Minh"))
        everything = [*graph.articles, *unpublished(self.context)]
        for article in everything:
            # Only the preview ever builds a future article; production turns it into a draft.
            article.scheduled = article.date > now
        session = self.session
        if session is not None:
            session.state.next_due = min((a.date for a in everything if a.scheduled), default=None)
        freeze_urls([*everything, *self.context.get("pages", [])])
        self.draw_body_photos(everything)
        self.graph = graph
        self.context["portal"] = graph
        self.context["TAXONOMIES"] = graph.taxonomies
        if session is not None:
            session.begin(site_key(self.settings, self.context))
            if session.full:  # thousands of pages to render make cycles: wake the collector (build._few_collections)
                gc.enable()

    def _start_search(self) -> search.Indexing:
        """Start the search step: bundles cut from the graph, Pagefind on the ones that changed (search.Indexing)."""
        graph, session = self.graph, self.session
        with _timed(session, "tìm kiếm"):
            kept = None
            if session is not None and session.fingerprint is not None:  # the last build's bundles (KeptBundles)
                records = session.fingerprint.records_digest(graph.records.all, graph.media.documents)
                kept = search.KeptBundles(session.cache_dir / "search-bundles.marshal",
                                          f"{session.state.site_key}:{records}", fresh=session.full)
            self.indexing = search.Indexing(lambda: search.plan(graph, kept), self.output_path, session,
                                            kept.save if kept is not None else lambda: None,
                                            own=graph.config.search_indexer == "portal")
        return self.indexing

    def draw_body_photos(self, articles: list[Any]) -> None:
        """Photos inside article bodies, drawn by the theme's own macros (partials/media.html)."""
        macros = None
        for article in articles:
            photos = article.media.body
            if not photos:
                continue
            if macros is None:
                macros = self.env.get_template("partials/media.html").make_module({"SITEURL": self.settings["SITEURL"]})
            article._content = media.draw_body(article._content, photos, macros.figure, macros.picture)

    # Phase 2 ---------------------------------------------------------------
    def generate_output(self, writer: Any) -> None:
        assert self.graph is not None
        with _timed(self.session, "ảnh và văn bản"):  # before any page or feed names them
            encoded = media.write(self.graph.media, Path(self.output_path), self.session)
        logger.info("Media: %d derivatives encoded", encoded)
        # Pagefind runs beside the steps below, on the core they leave idle.
        indexing = self.indexing or self._start_search()
        try:
            self._write_pages(writer, indexing)
            with _timed(self.session, "tìm kiếm"):
                count = indexing.finish()
        finally:
            indexing.cancel()
        logger.info("Search index: %d records in %d bundles", count, len(indexing.bundles()))

    def _write_pages(self, writer: Any, indexing: search.Indexing) -> None:
        """Every page but the search's first, rendered while the search step works; then the search files and page.

        Waiting for the search step's bundles before rendering left a core idle (6 s of a cold build at 10,000).
        """
        session = self.session
        paths = session.changed_articles if session is not None and not session.graph_unchanged else None
        changed = None if paths is None else [a for a in self.graph.articles if a.source_path in paths]
        for tax in self.graph.taxonomies.values():
            self._write_taxonomy(writer, tax, changed)
        self._write_home(writer)
        self._write_not_found(writer)
        self._write_redirects(writer)
        self._write_drafts(writer)
        self._write_open_data(writer)
        if not (hasattr(writer, "kept") and writer.kept("thong-ke/index.html")):  # its figures take 0.1 s to make
            writer.write_file("thong-ke/index.html", self.get_template("stats"), self.context, page_name="thong-ke",
                              graph_only=True, **stats.context(self.graph))
        sources = cms.admin_sources(self.settings)  # /admin/: Decap CMS, configured from the schema
        self._write_unit("admin", lambda: cms.admin_files(self.settings, sources),
                         lambda: cms.admin_inputs(self.settings, sources), graph=False)
        self._write_sitemap()
        self._flush(writer)
        with _timed(self.session, "tìm kiếm"):
            bundles = indexing.bundles()  # waits for the search step to have cut them (Pagefind may still run)
        summary = search_words.summarise(bundles, indexing.memo)
        word_shards = self._write_files(summary.files)
        self._write_files(search.bundles_file(bundles, summary.postings))
        session = self.session  # names, for direct hits: as the last build's while the site, the records and
        state = session.state if session is not None else None  # what else their entries read are
        memo, inputs = getattr(session, "memo", None), ""
        if memo is not None and state is not None and state.graph:
            # What else they read is the graph's: kept under its digest, not made again while the graph is the same.
            read = memo.fetch(f"names-inputs:{state.site_key}:{state.graph}", lambda: search_names.inputs(self.graph))
            inputs = f"{state.site_key}:{session.fingerprint.records}:{read}"
        self._write_files(search_names.files(self.graph, memo, inputs))
        self._write_search(writer, word_shards)
        self._flush(writer)

    def _flush(self, writer: Any) -> None:
        if hasattr(writer, "flush"):  # the portal's writer renders the queued pages now, on every core
            with _timed(self.session, "dựng trang"):
                writer.flush()

    def _write_files(self, files: dict[str, bytes]) -> list[str]:
        """Write generated files (each only when its bytes change); returns their paths."""
        session = self.session
        for rel, data in files.items():
            if session is not None and session.reuse(rel, hashlib.blake2b(data, digest_size=16).hexdigest(), (rel,)):
                continue
            path = Path(self.output_path) / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        return list(files)

    def _write_unit(self, unit: str, make: Callable[[], dict[str, bytes]], inputs: Callable[[], str] | None = None,
                    graph: bool = True) -> None:
        """Files made as one unit: kept without being made when ``inputs()``, a digest of what they are made from
        (by default, of their bytes), is the last build's, or, for files made from the graph alone (``graph``: the
        open data, the sitemap), when the graph is unchanged (Session.kept_key); else made, each written when its
        bytes change."""
        session, made = self.session, None
        if session is not None:
            key = session.kept_key(unit) if graph else None
            if key is None and inputs is not None:
                key = inputs()
            elif key is None:
                made = make()
                key = hashlib.blake2b(b"\x1f".join(name.encode() + b"\x1e" + data for name, data in made.items()),
                                      digest_size=16).hexdigest()
            if session.reuse(unit, key):
                return
        written = self._write_files(made if made is not None else make())
        if session is not None:
            session.produced(unit, tuple(written))

    def _write_sitemap(self) -> None:
        """The sitemap and robots.txt: kept with the graph unchanged, else with what its entries are made of
        (seo.sitemap_inputs)."""
        self._write_unit("sitemap", lambda: seo.sitemap(self.graph, self.context, self.settings),
                         lambda: seo.sitemap_inputs(self.graph, self.context, self.settings, Fingerprint.address))

    def _write_search(self, writer: Any, word_shards: list[str]) -> None:
        """The search page: its filter menus list every term that has articles; the summary's shard keys."""
        writer.write_file("tim-kiem/index.html", self.get_template("search"), self.context, page_name="tim-kiem",
                          search_menus=search.menus(self.graph), kinds=(search.KIND_ARTICLE, search.KIND_EXEMPLAR),
                          search_enough=self.config.search_enough,
                          search_auto_bundles=self.config.search_auto_bundles,
                          search_auto_bytes=self.config.search_auto_bytes,
                          search_rare_bytes=self.config.search_rare_bytes,
                          search_word_keys=" ".join(Path(rel).stem for rel in word_shards),
                          search_names=search_names.manifest(self.graph))

    def write_term_page(self, writer: Any, tax: Taxonomy, term: Term) -> None:
        """A term's own page, paginated by the writer (the preview draws one from memory the same way)."""
        writer.write_file(
            term.save_as, self.get_template(tax.template), self.context, template_name=tax.template, url=term.url,
            articles=term.articles, term=term, taxonomy=tax, page_name=term.url.rstrip("/"), graph_only=True,
            reads=None if tax.facts_from == "graph" else
            [*term.articles, *tax.facts_also_read(term, self.graph)] if tax.facts_also_read else term.articles,
            by_page=tax.facts_from == "records",
            later_pages={"term": LaterPage(term)} if tax.later_pages_show is not None else None,
        )

    def _write_taxonomy(self, writer: Any, tax: Taxonomy, changed: list[Any] | None = None) -> None:
        """``changed``: the published articles that changed since the last build (Session.changed_articles), when
        known; the terms that list one of them now are the only ones whose lists can hold another article."""
        graph = self.graph
        terms = ordered(graph.terms[tax.name].values())
        # Terms whose pages show only their own articles (and records) are kept in one pass where they can be.
        keep = getattr(writer, "keep_terms", None) if tax.facts_from != "graph" and not tax.facts_also_read else None
        touched = None if changed is None else {term_slug(item) for a in changed for item in tax.terms_of(a)}
        for term in keep(terms, self.config.feed_items if tax.feed else None, touched) if keep is not None else terms:
            self.write_term_page(writer, tax, term)
            if tax.feed and term.articles:  # an empty feed would carry the build time: never the same bytes
                writer.write_feed(
                    [_FeedEntry(a) for a in term.articles[: self.config.feed_items]], self.context,
                    term.feed_url, term.feed_url, feed_title=term.name,
                )
        # The index and its facets' pages show the graph alone: with it unchanged, or with what they show of the
        # articles unchanged (Taxonomy.index_shows), they are kept (writer.kept) and what they show is not even made
        # (the exemplars' directory: 0.25 s of an edit build at 10,000 articles).
        # Made only when the graph changed (PortalWriter.kept), and digested once for all the pages: 0.03 s at 10,000.
        shows = functools.cache(lambda: hashlib.blake2b(tax.index_shows(terms, graph).encode(), digest_size=16)
                                .hexdigest()) if tax.index_shows else None
        listing = {"reads": (), "shows": shows} if shows is not None else {}

        def kept(name: str) -> bool:
            return hasattr(writer, "kept") and writer.kept(name, shows)

        overview = functools.cache(lambda: tax.index_extra(terms, graph) if tax.index_extra else {})
        index = self.get_template(tax.index_template)
        if not kept(tax.index_save_as):
            writer.write_file(tax.index_save_as, index, self.context, taxonomy=tax, terms=terms, graph_only=True,
                              page_name=tax.index_url.rstrip("/"), facet=None, overview=overview(), **listing,
                              **overview())
        for facet in tax.facets:
            groups: dict[str, tuple[str, list[Term]]] = {}
            for term in terms:
                for value, label in facet.values(term, graph):
                    groups.setdefault(value, (label, []))[1].append(term)
            for value, (label, subset) in groups.items():
                url = facet.url.format(value=value)
                if kept(url + "index.html"):
                    continue
                sub_extra = tax.index_extra(subset, graph) if tax.index_extra else {}
                writer.write_file(url + "index.html", index, self.context, taxonomy=tax, terms=subset,
                                  facet=facet, facet_label=label, page_name=url.rstrip("/"), overview=overview(),
                                  graph_only=True, **listing, **sub_extra)

    def _write_home(self, writer: Any) -> None:
        graph, config = self.graph, self.config
        articles = graph.articles
        featured = [a for a in articles if a.portal_data.get("featured")][: config.home_featured]
        newest = articles[0].date if articles else None
        active = [
            t for t in graph.ordered_terms("campaigns")
            if t.latest is not None and newest is not None and (newest - t.latest.date).days <= 366
        ]
        active.sort(key=lambda t: t.latest.date, reverse=True)
        writer.write_file(
            "index.html", self.get_template("home"), self.context, page_name="index", graph_only=True,
            featured=featured,
            latest=[a for a in articles if a not in featured][: config.home_latest],
            active_campaigns=active[: config.home_campaigns],
            recently_honoured=profiles.recently_honoured(graph, config.home_exemplars),
        )
        years = graph.ordered_terms("years")  # the news pages show their names and counts
        writer.write_file(
            "tin-tuc/index.html", self.get_template("news"), self.context, template_name="news",
            url="tin-tuc/", articles=articles, page_name="tin-tuc", years=years, graph_only=True,
            reads=articles, by_page=True, shows=repr([(t.slug, t.count) for t in years]),
        )
        writer.write_feed([_FeedEntry(a) for a in articles[: config.feed_items]], self.context,
                          "tin-tuc/atom.xml", "tin-tuc/atom.xml", feed_title="Tin mới")

    def _write_not_found(self, writer: Any) -> None:
        """404.html, with the arguments Pelican gives a direct template but every article and date: those made
        its key a digest of the whole archive (1 s of an edit build at 10,000 articles) for a page that shows none."""
        writer.write_file("404.html", self.get_template("404"), self.context, template_name="404", url="404.html",
                          blog=True, page_name="404")

    def _write_open_data(self, writer: Any) -> None:
        """/du-lieu/: the datasets (written only when their bytes change) and the page that documents them.

        One unit keyed by a digest of what they are made from (opendata.inputs): an edit that changes no honour,
        record or term leaves all 1,400 files of 10,000 articles as they are without making them (0.25 s).
        """
        graph, address, fingerprint = self.graph, self.config.site_url, getattr(writer, "fingerprint", None)
        digested = fingerprint is not None and bool(fingerprint.records)  # Fingerprint.graph ran: its digests
        self._write_unit(
            opendata.FOLDER, lambda: opendata.files(graph, address),
            (lambda: opendata.inputs(graph, address, fingerprint.records)) if digested else None)
        writer.write_file("du-lieu/index.html", self.get_template("data"), self.context, page_name="du-lieu",
                          datasets=opendata.catalogue(self.graph))

    def _write_drafts(self, writer: Any) -> None:
        """In preview (drafts are written), a page listing drafts and scheduled articles for editors."""
        if not self.settings.get("DRAFT_SAVE_AS"):
            return
        pending = [*self.context.get("drafts", []), *(a for a in self.graph.articles if a.scheduled)]
        pending.sort(key=lambda a: a.date, reverse=True)
        writer.write_file("ban-nhap/index.html", self.get_template("drafts"), self.context, page_name="ban-nhap",
                          pending=pending)

    def _write_redirects(self, writer: Any) -> None:
        """Old addresses (alias slugs) of records forward to the current page."""
        template = self.get_template("redirect")
        pages = []
        for tax in self.graph.taxonomies.values():
            if not tax.record_kind:
                continue
            for alias_slug, record in sorted(self.graph.resolver.aliases(tax.record_kind).items()):
                url = tax.url.format(slug=alias_slug)
                writer.write_file(url + "index.html", template, self.context, target=record,
                                  page_name=url.rstrip("/"))
                pages.append(url + "index.html")
        if self.session is not None:
            self.session.state.redirect_pages = pages  # nginx's map is read from these (serving.py)
