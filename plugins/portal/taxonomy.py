"""The generic taxonomy engine: one classifier, one writer, many declarations.

In the spirit of Nikola's ``Taxonomy`` plugin class: a taxonomy is a short
:class:`Taxonomy` declaration (name, URLs, templates, how an article is
classified, how terms are ordered and grouped, and what search, related
articles and the open data make of it); campaigns, clusters, awards,
provinces, years and exemplar profiles are all declared in ``taxonomies.py``.
Nothing else names a taxonomy: the graph, search, related articles, the open
data and the incremental keys all read these declarations.
Classification is a single pass over the articles (O(articles × taxonomies));
no term ever scans the article list.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from .model import ArticleRefs, Record
from .vietnamese import sort_key

if TYPE_CHECKING:
    from .graph import SiteGraph

__all__ = ["Taxonomy", "Facet", "LaterPage", "Term", "classify", "ordered", "term_slug"]


@dataclass(frozen=True)
class Facet:
    """A sub-index of a taxonomy (e.g. exemplars by kind) written as static pages."""

    name: str
    url: str  # pattern with {value}
    title: str
    values: Callable[[Term, SiteGraph], Iterable[tuple[str, str]]]  # term → (value slug, label) pairs


@dataclass(frozen=True)
class Taxonomy:
    """Declaration of one taxonomy; see ``taxonomies.py`` for the six in use."""

    name: str
    title: str  # heading of the index page, e.g. "Phong trào thi đua"
    url: str  # term page pattern, e.g. "phong-trao/{slug}/"
    index_url: str
    template: str  # term page template (paginated)
    index_template: str
    # article → the terms whose pages list it; by default the records of ``record_kind`` it names
    classify: Callable[[Any], Iterable[Record | str]] | None = None
    record_kind: str | None = None  # records backing the terms; None: terms come from articles
    term_name: Callable[[str], str] = str  # name of a record-less term
    # A record's term by the collation key its record keeps (1,250 exemplars' names took 0.08 s of each build).
    order: Callable[[Term], Any] = field(default=lambda t: t.record.sort_key if t.record else sort_key(t.name))
    feed: bool = True
    extra: Callable[[Term, SiteGraph], dict[str, Any]] | None = None  # more context for a term page
    index_extra: Callable[[list[Term], SiteGraph], dict[str, Any]] | None = None
    facets: tuple[Facet, ...] = ()
    # Search: the Pagefind filter key (and URL parameter of /tim-kiem/), its menu label, the noun of
    # "Tìm trong … này", and an exemplar's terms here (its search record's filter values).
    search_filter: str | None = None
    search_label: str = ""
    search_noun: str = ""
    of_exemplar: Callable[[Term, SiteGraph], Iterable[Record | str]] | None = None
    related_weight: int = 0  # what sharing a term adds to two articles' relatedness (0: nothing)
    data_slice: str | None = None  # the honours.json column whose rows are a term's slice under /du-lieu/
    # What ``extra`` (the facts of a term's page) reads of the graph: "records" (the records alone: a province's
    # successor and exemplars), "articles" (the records and the term's own articles, what they name, their honours
    # and events: an article names every record its honours and event name, so a campaign's honours are its
    # articles') or "graph" (more, which no taxonomy here reads). An edit build that changes the graph keeps a
    # term's page while the articles it reads are the last build's: with "records", those the page lists; with
    # "articles", all the term's (and ``facts_also_read``); with "graph", it keys every page again
    # (PortalWriter.write_file's ``reads``).
    facts_from: Literal["records", "articles", "graph"] = "graph"
    # With "articles": the other articles whose cards the facts show (a cluster's members' honours, reported by
    # articles that need not name the cluster), found without making the facts; read as the term's own are.
    facts_also_read: Callable[[Term, SiteGraph], Iterable[Any]] | None = None
    # With "records" or "articles": the facts the pages after a term page's first show (term.html shows the rest, its
    # record's body, the ``extra`` block and the count, on the first alone), made of records only (a campaign's
    # parent, a province's successor). Those pages are rendered with a LaterPage, which gives nothing else, and keyed
    # by their own articles' cards: an edit of an article that reports an honour keys the first page of its
    # campaign, not all 471 at 100,000 articles; an article taken out of a province keys its first page and the
    # pages from the article's on, not those before it. None: every page may show all the facts (a profile's best
    # honour), and each is keyed by the whole term, its count included.
    later_pages_show: tuple[str, ...] | None = None
    # What the index and its facets' pages show that articles decide, as a string (the exemplars' directory: each
    # one's best honour), the rest being records: declared, those pages keep their keys while it and the records are
    # the last build's (PortalWriter.kept); None: they are made again whenever the graph changes.
    index_shows: Callable[[list[Term], SiteGraph], str] | None = None
    # The facts a list of terms shows of each (the awards' index: an award's recipients): a list's key is made of
    # them too (Fingerprint.term), so a page listing the term changes when they do.
    listed_facts: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.classify is None and self.record_kind is None:
            raise TypeError(f"taxonomy {self.name!r}: terms need records (record_kind) or a classify function")
        if self.facts_also_read is not None and self.facts_from != "articles":
            raise TypeError(f"taxonomy {self.name!r}: facts_also_read goes with facts_from='articles'")
        if self.later_pages_show is not None and self.facts_from == "graph":
            raise TypeError(f"taxonomy {self.name!r}: later_pages_show goes with facts_from='records' or 'articles'")
        if self.search_filter and not (self.search_label and self.search_noun):
            raise TypeError(f"taxonomy {self.name!r}: a search filter needs its search_label and search_noun")

    @property
    def index_save_as(self) -> str:
        return self.index_url + "index.html"

    def terms_of(self, article: Any) -> Iterable[Record | str]:
        """The terms whose pages list ``article`` (a merged province's articles also show on its successor's)."""
        return self.classify(article) if self.classify is not None else self.named_by(article)

    def named_by(self, article: Any) -> Iterable[Record | str]:
        """The terms ``article`` itself names: what related articles share."""
        return article.refs.of(self.record_kind) if self.record_kind else self.terms_of(article)


@dataclass(eq=False)
class Term:
    """One term (a campaign, a year, an exemplar …) and its articles, newest first."""

    taxonomy: Taxonomy
    slug: str
    name: str
    record: Record | None = None
    articles: list[Any] = field(default_factory=list)
    make_extra: Callable[[], dict[str, Any]] | None = field(default=None, repr=False)  # Taxonomy.extra, bound

    @functools.cached_property
    def extra(self) -> dict[str, Any]:
        """What the term's own page shows besides its articles (Taxonomy.extra), made when first read: a build
        that keeps the term's page needs none of it (0.13 s of an edit build at 10,000 articles)."""
        return self.make_extra() if self.make_extra is not None else {}

    @property
    def url(self) -> str:
        return self.taxonomy.url.format(slug=self.slug)

    @property
    def save_as(self) -> str:
        return self.url + "index.html"

    @property
    def feed_url(self) -> str:
        return self.url + "atom.xml"

    @property
    def count(self) -> int:
        return len(self.articles)

    @property
    def latest(self) -> Any:
        return self.articles[0] if self.articles else None

    def __getattr__(self, name: str) -> Any:
        # Templates read a term's extra context as attributes: term.recipients …
        if name.startswith("_") or name == "make_extra":  # an object not yet initialised (a copy) has neither
            raise AttributeError(name)
        extra = self.extra
        if name in extra:
            return extra[name]
        raise AttributeError(name)


class LaterPageError(Exception):
    """A template read, on a term's page after the first, what such a page does not show (not an AttributeError,
    which Jinja would turn into an empty value)."""


class LaterPage:
    """A term as the pages after its first show it (Taxonomy.later_pages_show): its names, address and record, and
    of its facts only those declared; reading any other is an error, so that what those pages show, and therefore
    their keys, cannot depend on the term's other articles. Not even their count: with it, an article added to
    page 25 of a campaign rendered pages 2 to 24 again for the number in their heading (23 of a campaigns edit's
    55 pages at 10,000 articles)."""

    __slots__ = ("term",)
    # What it gives of the term itself: Fingerprint.later_page keys every one of them.
    OWN = frozenset({"taxonomy", "slug", "name", "record", "url", "save_as", "feed_url"})

    def __init__(self, term: Term) -> None:
        self.term = term

    @property
    def shown(self) -> dict[str, Any]:
        """The facts these pages show, by name."""
        extra = self.term.extra
        return {name: extra[name] for name in self.term.taxonomy.later_pages_show or () if name in extra}

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):  # Python's and Jinja's own questions (__html__ …): absent, as on a Term
            raise AttributeError(name)
        if name in LaterPage.OWN:
            return getattr(self.term, name)
        shown = self.term.taxonomy.later_pages_show or ()
        if name in shown:
            extra = self.term.extra
            if name in extra:
                return extra[name]
            raise AttributeError(name)  # as Term: the template finds it undefined
        raise LaterPageError(
            f"{self.term.save_as}: mẫu trang đọc term.{name} ở các trang sau trang đầu, nơi chỉ hiện "
            f"{', '.join(sorted(LaterPage.OWN | set(shown)))}; đặt nó trong khối chỉ có ở trang đầu (term.html) "
            f"hoặc khai báo nó trong later_pages_show của phân loại {self.term.taxonomy.name!r} (taxonomies.py), "
            f"nếu nó chỉ lấy từ hồ sơ")


def term_slug(item: Record | str) -> str:
    """The slug of the term an article is classified under: a record's slug, or the value itself (a year)."""
    return item.slug if isinstance(item, Record) else str(item)


def classify(taxonomies: Iterable[Taxonomy], articles: list[Any],
             records_of: Callable[[str], list[Record]]) -> dict[str, dict[str, Term]]:
    """Group ``articles`` (newest first) into the terms of every taxonomy, in one pass.

    Record-backed taxonomies get a term for every record, with or without
    articles, so a campaign launched yesterday already has its page.
    """
    taxonomies = list(taxonomies)
    terms: dict[str, dict[str, Term]] = {}
    for tax in taxonomies:
        bucket: dict[str, Term] = {}
        if tax.record_kind:
            for record in records_of(tax.record_kind):
                term = Term(tax, record.slug, record.name, record)
                record.term = term
                bucket[record.slug] = term
        terms[tax.name] = bucket
    # A taxonomy of the records an article names (no classify): its terms are the records in ``refs.named``, each
    # once, read from there (what named_by gives, without a call per taxonomy and article).
    named = [(tax, terms[tax.name]) for tax in taxonomies if tax.classify is None]
    others = [tax for tax in taxonomies if tax.classify is not None]
    for article in articles:
        refs = getattr(article, "refs", None)
        rest = taxonomies
        if isinstance(refs, ArticleRefs):
            rest = others
            for tax, bucket in named:
                for record in refs.named.get(tax.record_kind, ()):
                    term = bucket.get(record.slug)
                    if term is None:
                        term = bucket[record.slug] = Term(tax, record.slug, tax.term_name(record.slug))
                    term.articles.append(article)
        for tax in rest:
            bucket = terms[tax.name]
            seen: set[str] = set()
            for item in tax.terms_of(article):
                slug = term_slug(item)
                if slug in seen:
                    continue
                seen.add(slug)
                term = bucket.get(slug)
                if term is None:
                    term = bucket[slug] = Term(tax, slug, tax.term_name(slug))
                term.articles.append(article)
    return terms


def ordered(terms: Iterable[Term]) -> list[Term]:
    """Terms in their taxonomy's declared order."""
    terms = list(terms)
    if not terms:
        return terms
    return sorted(terms, key=terms[0].taxonomy.order)
