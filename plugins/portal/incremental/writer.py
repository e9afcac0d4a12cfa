"""The writer that renders only pages whose key changed, on every core; URLs frozen once per build."""

from __future__ import annotations

import contextlib
import functools
import gc
import logging
import operator
import os
import pickle
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from feedgenerator import Atom1Feed, Enclosure
from jinja2 import Template
from jinja2.runtime import Macro
from markupsafe import Markup
from pelican.contents import Content
from pelican.paginator import Paginator
from pelican.utils import sanitised_join
from pelican.writers import Writer

from ..progress import Progress
from ..taxonomy import Term, term_slug
from .feeds import AtomFeed, FeedEntries, add_entry
from .fingerprints import Fingerprint, _hash, hash_text
from .state import SESSION, Session

__all__ = ["FRAGMENTS", "Fragments", "PageTemplate", "PortalWriter", "freeze_urls"]

logger = logging.getLogger(__name__)

_SOURCE_PATH = operator.attrgetter("source_path")  # what ``reads`` names of an article (write_file)
Shows = str | Callable[[], str]  # write_file's ``shows``: the string, or a function that makes it when needed
PARALLEL_MIN = 200  # fewer pages than this render faster in one process than with a fork


class PageTemplate(Template):
    """A template that tells :func:`_render` of the contexts a page makes: its imports and includes "with context".

    The theme imports its macros with the page's context (``{% from "partials/macros.html" import article_card
    with context %}``): for each page, each such module is made anew, its macros closures over its own context,
    which holds them among its variables. A cycle per macro: at 10,000 articles a cold build's pages left the
    collector 53,000 objects every 50,000 allocations. Set on each generator's environment (``template_class``).
    """

    def new_context(self, vars: dict[str, Any] | None = None, shared: bool = False,  # noqa: A002 - Jinja's names
                    locals: Any = None) -> Any:  # noqa: A002
        context = super().new_context(vars, shared, locals)
        if shared and _PAGE_CONTEXTS:  # made for one page (with its context), not a module Jinja keeps
            _PAGE_CONTEXTS[-1].append(context)
        return context


_PAGE_CONTEXTS: list[list[Any]] = []  # per page being rendered (nested: a page rendered inside another)


def _render(template: Template, variables: dict[str, Any]) -> str:
    """``template.render(variables)``, its contexts let go of their variables once the page is made (PageTemplate):
    its macros, their closures and its contexts are then freed as they go, not left to the cycle collector."""
    made = [template.new_context(variables)]
    _PAGE_CONTEXTS.append(made)
    try:
        return template.environment.concat(template.root_render_func(made[0]))  # type: ignore[attr-defined]
    except Exception:
        template.environment.handle_exception()
        raise  # handle_exception raises the template's error; this only tells the type checker
    finally:
        _PAGE_CONTEXTS.pop()
        for context in made:
            context.vars.clear()


class Fragments:
    """Macro output kept for the rest of one rendering pass: ``{{ fragment(article_card, a, small=True) }}``.

    An article's card appears on every list that holds it (its campaigns, clusters, provinces, year, the
    news pages) and in its neighbours' related lists. Rendered once per pass instead, a cold build renders
    its pages in a quarter less time (15.9 s → 11.5 s at 10,000 articles, one job). Only a macro whose
    output depends on nothing but its arguments (and the build's settings) may go through it.

    A pass (:meth:`PortalWriter.flush`, :meth:`PortalWriter.render_in_memory`) starts and ends with an
    empty cache: between passes the preview re-joins, and an article's card may change without the
    article object changing. Each process keeps at most ``budget`` characters (a card is about 1,000);
    past it, fragments are rendered every time, so a national archive's memory stays bounded.
    """

    def __init__(self, budget: int = 24_000_000) -> None:
        self.budget = budget
        self._kept: dict[tuple, tuple[Any, Markup]] = {}
        self._size = 0

    def __call__(self, macro: Macro, subject: Any, **kwargs: Any) -> Markup:
        key = (macro.name, id(subject), *sorted(kwargs.items()))
        kept = self._kept.get(key)
        if kept is not None:
            return kept[1]
        html = macro(subject, **kwargs)
        if self._size < self.budget:  # the entry holds its object: no other object can take its id meanwhile
            self._kept[key] = (subject, html)
            self._size += len(html)
        return html

    @contextlib.contextmanager
    def one_pass(self) -> Iterator[None]:
        self.clear()
        try:
            yield
        finally:
            self.clear()

    def clear(self) -> None:
        self._kept.clear()
        self._size = 0


FRAGMENTS = Fragments()  # the Jinja global ``fragment`` (JINJA_GLOBALS, set by the plugin)


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
        self.fingerprint = getattr(self.session, "fingerprint", None) or Fingerprint()  # the build's: State.graph too
        self._jobs: list[_Job] = []
        self._names: set[str] = set()
        self._feeds = FeedEntries()
        # The articles whose body may differ from the last build's (their page's ``own`` does not start with it), found
        # with the article pages kept (:meth:`_kept_articles`) for the feeds of :meth:`keep_terms`; None: not known.
        self._bodies_changed: list[Content] | None = None

    # Deciding --------------------------------------------------------------
    def _record_body(self, kwargs: dict[str, Any]) -> str:
        """What a page made from the graph shows besides it: a term's page, its record's body ("" for none)."""
        term = kwargs.get("term")
        record = term.record if isinstance(term, Term) else None
        return self.fingerprint.record_body(record) if record is not None and record.html else ""

    def _graph_own(self, name: str, kwargs: dict[str, Any], reads: Sequence[Content] | None, shows: Shows) -> str:
        """``own`` for Session.kept_key of a page made from the graph: its record's body, and with ``reads``
        (:meth:`write_file`) a digest of what it ``shows`` and those articles' paths, in order.

        That digest is made of the graph alone: while the graph is the last build's, it is taken from the last
        build's ``own`` of the page ``name`` instead of made again (a million paths at 100,000 articles).
        """
        body = self._record_body(kwargs)
        if reads is None:
            return body
        session = self.session
        if session is not None and session.graph_unchanged:
            listed = _listed(session.previous.own.get(name, ""))
            if listed:
                return f"{body}:{listed}"
        shown = shows() if callable(shows) else shows
        listed = _hash(shown.encode(), "\x1f".join(map(_SOURCE_PATH, reads)).encode()).hex()  # one string, one hash
        return f"{body}:{listed}:{len(reads)}"  # the count: keep_terms reads it (_listed)

    def _fresh(self, name: str, key: str) -> bool:
        """True when the last build wrote this page with the same key: nothing to do."""
        if name in self._names:
            raise RuntimeError(f"two pages would be written to {name}")
        self._names.add(name)
        return self.session is not None and self.session.reuse(name, key, (name,))

    def kept(self, name: str, shows: Shows | None = None) -> bool:
        """True when the page ``name``, made from the graph alone, keeps its last key and file (Session.kept_key):
        recorded as reused, so its arguments need not even be made. Otherwise nothing is recorded.

        ``shows``: all the page shows of the articles, as a string or a function that makes it (the rest is
        records), as :meth:`write_file` is then given it with no ``reads``: the page is kept too when the graph
        changed but not that string."""
        if shows is None:
            return self._kept_as(name, "")
        return self._kept_as(name, self._graph_own(name, {}, (), shows), ())

    def _kept_as(self, name: str, own: str, reads: Collection[str] | None = None) -> bool:
        """:meth:`kept` for a page that shows ``own`` besides the graph (a term's page: its record's body), or
        only ``own`` and the cards of the articles at ``reads`` (Session.kept_key)."""
        key = self.session.kept_key(name, own, reads) if self.session is not None else None
        return key is not None and self.session.would_reuse(name, key) and self._fresh(name, key)

    def write_file(self, name: str, template: Template, context: dict[str, Any], relative_urls: bool = False,
                   paginated: dict[str, list] | None = None, template_name: str | None = None,
                   override_output: bool = False, url: str | None = None, graph_only: bool = False,
                   reads: Sequence[Content] | None = None, by_page: bool = False, shows: Shows = "",
                   later_pages: dict[str, Any] | None = None, **kwargs: Any) -> None:
        """Pelican's, deferred (:meth:`flush`). ``graph_only``: the page shows the joined graph and no article's
        body (a term's page, a list of articles), so with the graph unchanged it keeps its last key.

        ``reads``: the articles, in order, whose cards are all the page shows of the graph besides records and
        ``shows`` (a string of whatever else it shows, made from the graph; or a function that gives it, called
        only when the graph changed, as the digest is then made again). With the graph changed, the page keeps
        its key while the list, ``shows`` and those articles' cards are the last build's; ``by_page``: each page
        of the listing shows only the cards of its own articles (a province's pages, the news), so an edit of one
        article keys one page of them, not all (the 65 pages of a province at 10,000 articles). ``later_pages``:
        arguments that replace some of ``kwargs`` on the pages after the first (a term's: taxonomy.LaterPage), which
        then show only their own articles' cards, as with ``by_page``; the first is keyed by all of ``reads``.
        """
        if not name:
            return
        if relative_urls:
            raise ValueError("the portal writes root-relative URLs; RELATIVE_URLS must stay False")
        if paginated is None:
            paginated = {k: v for k, v in kwargs.items() if k in ("articles", "dates")}
        own = self._graph_own(name, kwargs, reads, shows) if graph_only else ""
        session = self.session
        # Only a build whose graph changed reads them (Session.kept_key): the others take no path at all.
        listing = graph_only and reads is not None and session is not None and not session.graph_unchanged
        changed = session.changed_articles if listing else None

        def settled(articles: Sequence[Content]) -> tuple[()] | None:  # Session.kept_key's reads: () if none changed
            return () if changed is not None and changed.isdisjoint(map(_SOURCE_PATH, articles)) else None

        whole = None if changed is None else settled(reads)  # checked once for all the pages
        if not (paginated and template_name in self.settings["PAGINATED_TEMPLATES"]):
            self._queue(name, template, context, {**kwargs, "output_file": name}, graph=(own, whole) if graph_only
                        else None)
            return
        per_page = self.settings["PAGINATED_TEMPLATES"][template_name] or self.settings["DEFAULT_PAGINATION"]
        paginators = {k: Paginator(name, url, v, self.settings, per_page) for k, v in paginated.items()}

        def dirty() -> set[int] | None:  # by page, the numbers of the pages that show an article that changed
            if not (by_page or later_pages is not None) or changed is None or len(paginators) != 1:
                return None
            paginator = next(iter(paginators.values()))
            shown = {min(i // paginator.per_page + 1, paginator.num_pages)
                     for i, path in enumerate(map(_SOURCE_PATH, paginator.object_list)) if path in changed}
            return shown if by_page else shown | {1}  # a first page that shows every article read

        kept = self._kept_listing(name, own, whole, dirty) if graph_only else {}
        if kept is None:
            return
        # The whole lists stay in the context (as Pelican passes them) but are keyed page by page.
        shared = {k: v for k, v in kwargs.items() if k not in paginators}
        given_later, shared_later = kwargs, shared
        if later_pages is not None:  # the arguments of the pages after the first: made once, not page by page
            given_later, shared_later = {**kwargs, **later_pages}, {**shared, **later_pages}
        names = []
        for number in range(1, next(iter(paginators.values())).num_pages + 1):
            if number in kept:  # recorded as reused, by its name in the last build: no Page made
                names.append(kept[number])
                continue
            pages = {key: paginator.page(number) for key, paginator in paginators.items()}
            first = next(iter(pages.values()))
            names.append(first.save_as)
            later = later_pages is not None and number > 1
            page_reads = settled(first.object_list) if (by_page or later) and whole is None else whole
            if graph_only and self._kept_as(first.save_as, own, page_reads):
                continue  # nor its previous and next Pages: 16,000 fewer for 8,000 kept at 10,000 articles
            page_kwargs: dict[str, Any] = {}
            for key, paginator in paginators.items():
                page = pages[key]
                page_kwargs.update({
                    f"{key}_paginator": paginator,
                    f"{key}_page": page,
                    f"{key}_previous_page": paginator.page(number - 1) if number > 1 else None,
                    f"{key}_next_page": paginator.page(number + 1) if number < paginator.num_pages else None,
                })
            given, keyed = (given_later, shared_later) if later else (kwargs, shared)
            keyed = {**keyed, **{f"{k}_page": page_kwargs[f"{k}_page"] for k in paginators}}
            self._queue(page.save_as, template, context, {**given, **page_kwargs, "output_file": page.save_as},
                        keyed, (own, page_reads) if graph_only else None)
        if self.session is not None:
            self.session.state.listings[name] = tuple(names)

    def _kept_listing(self, name: str, own: str, whole: tuple[()] | None,
                      dirty: Callable[[], set[int] | None]) -> dict[int, str] | None:
        """For a listing made from the graph: None when every page keeps its key, each recorded as reused without
        being paginated again (4,000 pages of provinces and years at 10,000 articles, 0.1 s, in an edit that names
        one more campaign); else the numbers and names of the pages that do, recorded as reused too.

        Every page shows ``own`` (its list whole, in order, as :meth:`_graph_own` digests it) and the cards of its
        own articles: when ``own`` is the last build's, the pages are the last build's, by name; when none of the
        list's articles changed either (``whole``, or the graph is unchanged), so is each page's key; with some
        changed, each page but those that show them (``dirty()``, of a listing shown page by page: the 500 pages
        of the news were paginated again in an edit that names one more campaign).
        """
        session = self.session
        if session is None or session.previous is None or session.previous.own.get(name, "") != own:
            return {}
        shown = set() if session.graph_unchanged or whole is not None else dirty()
        names = session.previous.listings.get(name)
        if shown is None or not names:
            return {}
        kept = {number: page for number, page in enumerate(names, 1)
                if number not in shown and self._kept_as(page, own, ())}
        if len(kept) < len(names):
            return kept
        session.state.listings[name] = names
        return None

    def keep_terms(self, terms: Sequence[Term], feed_items: int | None,
                   touched: Collection[str] | None = None) -> list[Term]:
        """The terms not kept whole; every page of the others, and their feeds (of ``feed_items`` entries; None
        for none), recorded as reused.

        For a taxonomy whose term pages show their own articles' cards and facts, and records (``reads`` of
        :meth:`write_file` is the term's articles): a term keeps every page while its record keeps its body and,
        with the graph changed but not the records (Session.changed_articles), while none of its articles changed
        and it lists them as the last build did; and its feed while the bodies it shows are the same too. That is
        what :meth:`write_file` and :meth:`write_feed` find page by page; asked here in one pass, the 4,300 terms
        of 10,000 articles cost a third of the time. What is not plainly kept goes back to them.

        ``touched``: the slugs of the terms that list a changed article now (Taxonomy.terms_of of each), when the
        caller knows them. Any other term lists no changed article, and every article it lists now it listed
        before, in the same order (an article that did not change keeps its terms and date); with as many, it
        lists what it listed, and neither its list nor its feed's entries are read again (0.04 s and 0.02 s at
        10,000 articles, an edit that names one more campaign).
        """
        session = self.session
        settled = session.settled() if session is not None else None
        if settled is None:
            return list(terms)
        previous, changed = settled
        before_own, names = previous.own, self._names
        # Every term kept below lists what it listed when the graph is unchanged or ``touched`` is known; its feed
        # then shows what it showed unless it lists an article whose body may have changed (``fresh``: the terms of
        # those, found with the article pages kept), and its ``own`` is the last one (1,400 digests of feeds at 10,000
        # articles).
        fresh = None
        if (changed is None or touched is not None) and self._bodies_changed is not None and terms:
            tax = terms[0].taxonomy
            fresh = {term_slug(item) for article in self._bodies_changed for item in tax.terms_of(article)}
        rest = []
        for term in terms:
            articles = term.articles
            pages = previous.listings.get(term.save_as)
            if not pages:
                rest.append(term)
                continue
            if changed is not None and touched is not None:
                if term.slug in touched:
                    rest.append(term)
                    continue
                listed = _listed(before_own.get(term.save_as, ""))
                if listed.rpartition(":")[2] != str(len(articles)):  # an article left it
                    rest.append(term)
                    continue
                own = f"{self._record_body({'term': term})}:{listed}"  # as write_file would make it
            elif changed is not None and not changed.isdisjoint(map(_SOURCE_PATH, articles)):
                rest.append(term)
                continue
            else:
                own = self._graph_own(term.save_as, {"term": term}, articles, "")  # as write_file makes it
            kept = [(page, own) for page in pages]
            if feed_items is not None and articles:
                feed_own = before_own.get(term.feed_url, "") if fresh is not None and term.slug not in fresh else ""
                if not feed_own:
                    feed_own, _ = _feed_own(articles[:feed_items])
                if not feed_own:
                    rest.append(term)
                    continue
                kept.append((term.feed_url, feed_own))
            if not session.keep_all(kept, names):
                rest.append(term)
                continue
            names.update(unit for unit, _ in kept)
            session.state.listings[term.save_as] = pages
        return rest

    def keep_article_pages(self, articles: Sequence[Content]) -> set[int]:
        """The articles among ``articles`` whose pages keep their last keys and files, by id: each page recorded as
        reused, in one pass, so that Pelican is not asked to write it at all (``portal.write_changed_articles``).

        What keying each page in turn (:meth:`_queue`, Session.kept_key) would find kept, for the pages Pelican's
        ``generate_articles`` writes with its own arguments: at 10,000 articles, 10,000 calls of this writer and
        of Pelican's loop cost 0.14 s of an edit build, this pass a third of it.
        """
        kept: set[int] = set()
        if self.session is None:
            return kept
        found = self._kept_articles(articles)
        names = [name for name, _, _ in found]
        # Usually all of them keep their files and none is written yet: recorded at once (0.03 s less than one
        # by one at 10,000 articles); else page by page, each that can be.
        units = [(name, own) for name, _, own in found]
        if len(set(names)) == len(names) and self.session.keep_all(units, self._names):
            self._names.update(names)
            return {id(article) for _, article, _ in found}
        for name, article, own in found:
            if self.session.keep_all([(name, own)], self._names):
                self._names.add(name)
                kept.add(id(article))
        return kept

    def _kept_articles(self, articles: Sequence[Content]) -> list[tuple[str, Content, str]]:
        """The article pages that show what they showed (their own digest, :func:`_article_page`, the last build's;
        with the graph changed, none of the articles they show changed): (name, article, own) of each."""
        settled = self.session.settled()
        if settled is None:
            return []
        previous, changed = settled
        before_own, ranked = previous.own, previous.related
        # The changed articles by identity (every article a page shows is of this list: related.attach links them from
        # graph.articles, which it is), so that each page is checked against them in one set operation.
        hit = {id(a) for a in articles if a.source_path in changed} if changed else set()
        kept, moved = [], []
        for article in articles:
            body = getattr(article, "portal_digest", None)
            if not body or not isinstance(article, Content):
                moved.append(article)
                continue
            name = getattr(article, "save_as", None)
            before = before_own.get(name)
            same = before is not None and before.startswith(body)  # the body its page showed
            if not same:
                moved.append(article)
            shown = _shown(article) if hit else None
            if shown is not None and not hit.isdisjoint(map(id, shown)):
                continue
            # The articles it shows are those it showed in the last build when the lists and neighbours are of the
            # ranking its pages showed (``refs.ranked_as``): with its body too, its ``own`` is the last one, unhashed
            # (0.04 s of a campaigns edit at 10,000 articles).
            if same and ranked and getattr(article.refs, "ranked_as", "") == ranked:
                kept.append((name, article, before))
            elif before is not None and before == _page_own(body, shown if shown is not None else _shown(article)):
                kept.append((name, article, before))
        self._bodies_changed = moved
        return kept

    def _queue(self, name: str, template: Template, context: dict[str, Any], kwargs: dict[str, Any],
               keyed: dict[str, Any] | None = None, graph: tuple[str, Collection[str] | None] | None = None) -> None:
        """Key the page (``graph``: :meth:`_graph_own`'s answer for a page made from the graph) and queue it
        unless the last build wrote it with that key."""
        key = ""
        if self.session is not None:
            own, reads = graph if graph is not None else _article_page(kwargs)
            kept = self.session.kept_key(name, own, reads) if graph is not None or own else None
            key = kept or self.fingerprint.page(name, template.name or "", keyed if keyed is not None else kwargs)
        if self._fresh(name, key):
            return
        self._jobs.append(_Job(name, template, context, kwargs))

    def write_feed(self, elements: list, context: dict[str, Any], path: str | None = None, url: str | None = None,
                   feed_type: str = "atom", override_output: bool = False, feed_title: str | None = None) -> Any:
        if not path:
            return None
        key = ""
        if self.session is not None:
            articles = [getattr(e, "_article", e) for e in elements]
            own, reads = _feed_own(articles)
            kept = self.session.kept_key(path, own, reads) if own else None
            key = kept or self.fingerprint.page(path, f"feed:{feed_type}", {
                "entries": [self.fingerprint.feed_entry(a) for a in articles], "title": feed_title, "url": url})
        if self._fresh(path, key):
            return None
        if self.session is not None:
            self.session.rendered += 1
        address = (self.settings.get("PORTAL") or {}).get("site_url")
        if address:  # links and entry ids on the site's own address: tag:<domain>,<publication date>:<path>
            context = {**context, "SITEURL": address, "FEED_DOMAIN": address}
        return super().write_feed(elements, context, path, url, feed_type, override_output, feed_title)

    def _create_new_feed(self, feed_type: str, feed_title: str | None, context: dict[str, Any]) -> Any:
        feed = super()._create_new_feed(feed_type, feed_title, context)
        if type(feed) is Atom1Feed:
            feed.__class__ = AtomFeed  # the same feed, its entries written once per build, without xml.sax
            feed.entries = self._feeds
        return feed

    def _add_item_to_the_feed(self, feed: Any, item: Any) -> None:
        """Pelican's entry, with the article's lead photo (its 1200×630 JPEG) as an enclosure; made once per build
        for an article in many feeds."""
        article = getattr(item, "_article", item)
        key = (id(article), type(feed), self.site_url)
        made = self._feeds.items.get(key)
        if made is not None:
            feed.items.append(made[1])
            return
        self._add_entry(feed, item)
        if not self._feeds.full:
            self._feeds.items[key] = (article, feed.items[-1])

    def _add_entry(self, feed: Any, item: Any) -> None:
        add_entry(self, feed, item)
        lead = getattr(getattr(item, "media", None), "lead", None)
        if lead is None or not lead.share:
            return
        name = lead.share[0][0]
        written = [Path(self.output_path) / name]
        if self.session is not None:
            written.append(self.session.live / name)  # an incremental build left it where it was
        size = next((p.stat().st_size for p in written if p.is_file()), 0)
        feed.items[-1]["enclosures"] = [Enclosure(self.urljoiner(self.site_url, name), str(size), "image/jpeg")]

    # Rendering -------------------------------------------------------------
    @staticmethod
    def _html(job: _Job) -> str:
        local = job.context.copy()
        local["localsiteurl"] = job.context.get("localsiteurl")
        local.update(job.kwargs)
        return _render(job.template, local)

    def render_in_memory(self, names: set[str]) -> dict[str, str]:
        """The queued pages named ``names`` as HTML, written nowhere: the preview serves them from memory."""
        jobs, self._jobs = self._jobs, []
        with FRAGMENTS.one_pass():
            return {job.name: self._html(job) for job in jobs if job.name in names}

    def _render(self, job: _Job) -> None:
        output = self._html(job)
        path = sanitised_join(self.output_path, job.name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(output)

    def flush(self) -> int:
        """Render every queued page (in ``session.jobs`` processes when it pays); return how many were written.

        Forked children share the parsed site with the parent and each renders every n-th page, so the
        work splits without pickling a page; each reports its warnings (and a failure) through a pipe.
        """
        jobs, self._jobs = self._jobs, []
        with FRAGMENTS.one_pass():
            return self._render_all(jobs)

    def _render_all(self, jobs: list[_Job]) -> int:
        """Render ``jobs``; the session is told of each page once it is written (Session.on_rendered)."""
        told = self.session.on_rendered if self.session is not None else None
        if self.session is not None:
            self.session.rendered += len(jobs)
        workers = self.session.jobs if self.session is not None else 1
        progress = Progress("Dựng trang", len(jobs))
        if len(jobs) < PARALLEL_MIN or workers < 2:
            for job in jobs:
                self._render(job)
                if told is not None:  # page by page: its copies are made while the next ones render
                    told([job.name])
                progress.step()
            progress.done()
            return len(jobs)
        children: list[tuple[int, int]] = []  # (pid, read end of its pipe)
        # The site's objects go to the collector's permanent generation: a collection in a child would
        # otherwise touch every one of them and copy the parent's whole heap, page by page.
        gc.freeze()
        for share in range(1, workers):
            read_end, write_end = os.pipe()
            pid = os.fork()
            if pid == 0:  # a child renders its share of the pages, then reports
                os.close(read_end)
                status = 0
                captured = _Capture()
                logging.getLogger().addHandler(captured)
                try:
                    for job in jobs[share::workers]:
                        self._render(job)
                    payload: tuple = ("ok", captured.messages)
                except BaseException as exc:  # noqa: BLE001 - everything goes back to the parent
                    payload = ("error", exc)  # the exception itself: a full disk must read as one in the parent
                    status = 1
                try:
                    data = pickle.dumps(payload)
                except Exception:  # noqa: BLE001 - an exception that does not pickle goes back as text
                    data = pickle.dumps(("error", f"{payload[1].__class__.__name__}: {payload[1]}"))
                with os.fdopen(write_end, "wb") as f:
                    f.write(data)
                os._exit(status)
            os.close(write_end)
            children.append((pid, read_end))
        reports = []
        try:
            for job in jobs[0::workers]:
                self._render(job)
                progress.step(workers)
        finally:
            for pid, read_end in children:
                with os.fdopen(read_end, "rb") as f:
                    data = f.read()
                os.waitpid(pid, 0)
                reports.append(pickle.loads(data) if data else ("error", "the rendering process died"))
            gc.unfreeze()  # the preview lives on: what this build leaves behind must be collectable
        progress.done()
        for kind, detail in reports:
            if kind == "error":
                if isinstance(detail, OSError):
                    raise detail
                raise RuntimeError(f"Dựng trang (tiến trình phụ) thất bại: {detail}")
        for _, detail in reports:
            for level, message in detail:
                logger.log(level, "%s", message)
        if told is not None and jobs:
            told([job.name for job in jobs])
        return len(jobs)


# The arguments Pelican gives an article's page (generators.ArticlesGenerator.generate_articles)
_ARTICLE_PAGE = frozenset({"article", "category", "blog", "output_file"})


def _listed(own: str) -> str:
    """The list part of a listing's ``own`` (:meth:`PortalWriter._graph_own`: ``body:digest:count``): its
    digest and count, or "" for an ``own`` without one."""
    return own.partition(":")[2]


def _feed_own(articles: Sequence[Content]) -> tuple[str, list[str]]:
    """What a feed of ``articles`` shows besides the graph, and the articles whose cards it shows (Session.kept_key):
    its entries' bodies and paths, in order ("" when a body has no digest). Its entries, their order and its title
    come from the graph: besides it, a feed shows their bodies, and it is made of their cards alone."""
    bodies = [getattr(a, "portal_digest", None) for a in articles]
    reads = [a.source_path for a in articles]
    return (_hash(*(part.encode() for part in (*bodies, *reads))).hex() if all(bodies) else ""), reads


def _article_page(kwargs: dict[str, Any]) -> tuple[str, list[str] | None]:
    """For an article's page, what it shows besides the graph and the articles whose cards it shows: its body and
    their paths, in order (itself, related, previous, next); ("", None) for any other page.

    With the graph unchanged, a page whose article kept its body keeps its key; with the graph changed, also
    while none of those articles changed (Session.kept_key).
    """
    article = kwargs.get("article")
    body = getattr(article, "portal_digest", None)
    if not body or not isinstance(article, Content) or not kwargs.keys() <= _ARTICLE_PAGE:
        return "", None
    shown = _shown(article)
    return _page_own(body, shown), [a.source_path for a in shown if a is not None]


def _shown(article: Content) -> list[Content | None]:
    """The articles whose cards an article's page shows, in order: itself, related, previous, next (None: none)."""
    refs = getattr(article, "refs", None)
    return [article, *refs.related, refs.previous, refs.next] if refs is not None else [article]


def _page_own(body: str, shown: list[Content | None]) -> str:
    """An article page's ``own`` (:func:`_article_page`): its body's digest, then a digest of the paths of the
    articles it shows (hashed as text, fingerprints.hash_text). The body's digest comes first, whole: a page
    known to show the articles it showed keeps its ``own`` while it starts with the same body
    (PortalWriter._kept_articles)."""
    return body + hash_text(*[a.source_path if a is not None else "" for a in shown]).hex()


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
