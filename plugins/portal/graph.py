"""The site graph: records and articles joined once, read by every template.

Built in one pass per concern (O(n)): resolve each article's slugs to records,
collect honours, classify articles into taxonomy terms, then derive profiles
and related articles from those groupings.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import related
from .config import PortalConfig
from .fields import SLUGS
from .model import ArticleRefs, Honour, Record
from .problems import Problem
from .records import RecordSet
from .schema import KINDS, field_at
from .taxonomy import Taxonomy, Term, classify, ordered
from .validate import Resolver, check_fit, check_records

if TYPE_CHECKING:
    from .cache import Memo

__all__ = ["RENAMING_FIELDS", "SiteGraph", "build_graph", "resolve_one"]

_HONOURS = field_at("articles.honours").type
_STAGE = field_at("articles.honours.stage")
# Fields through which an article names records of one kind (campaigns, clusters, provinces, exemplars),
# and the fields through which each of its honours does (recipient, award, campaign).
_NAMING = tuple(f for f in KINDS["articles"].fields if f.type is SLUGS and len(f.ref) == 1)
_HONOUR_NAMING = tuple(f for f in _HONOURS.fields if f.ref and len(f.ref) == 1)


@dataclass
class SiteGraph:
    """Everything the theme reads besides Pelican's own context."""

    config: PortalConfig
    records: RecordSet
    resolver: Resolver
    articles: list[Any]
    taxonomies: dict[str, Taxonomy]
    terms: dict[str, dict[str, Term]] = field(default_factory=dict)
    honours: list[Honour] = field(default_factory=list)
    honours_by_recipient: dict[str, list[Honour]] = field(default_factory=dict)
    honours_by_award: dict[str, list[Honour]] = field(default_factory=dict)
    cache: dict[str, Any] = field(default_factory=dict)
    media: Any = None  # media.Media: every photo and PDF, joined by generator.join

    def term(self, taxonomy: str, slug: str) -> Term | None:
        return self.terms.get(taxonomy, {}).get(slug)

    def ordered_terms(self, taxonomy: str) -> list[Term]:
        return ordered(self.terms.get(taxonomy, {}).values())

    def lookup(self, kind: str, slug: str) -> Record | None:
        """A record by slug or alias slug, without reporting a miss (Resolver.find)."""
        return self.resolver.find((kind,), slug)

    def current_province(self, slug: str | None) -> Record | None:
        """The unit a province slug names today: a unit merged on 1/7/2025 counts as its successor."""
        province = self.lookup("provinces", slug) if slug else None
        if province is not None and province.merged_into:
            return self.lookup("provinces", province.merged_into) or province
        return province

    def memo(self, key: str, compute: Callable[[SiteGraph], Any]) -> Any:
        """A grouping computed once per build and shared by every term that needs it."""
        if key not in self.cache:
            self.cache[key] = compute(self)
        return self.cache[key]


def _honour(row: dict[str, Any], recipient: Record | None, article: Any, path: str, lines: dict[str, int],
            where: str, resolver: Resolver, problems: list[Problem]) -> Honour | None:
    """Resolve one honour row's award and campaign, check the award fits; None if a slug is unknown."""
    award = resolver.resolve(("awards",), row["award"], path, lines.get(f"{where}.award"), f"{where}.award")
    campaign = None
    if row.get("campaign"):
        campaign = resolver.resolve(("campaigns",), row["campaign"], path,
                                    lines.get(f"{where}.campaign"), f"{where}.campaign")
    if recipient is None or award is None:
        return None
    fit = check_fit(recipient, award, path, lines.get(f"{where}.award"), f"{where}.award")
    if fit:
        problems.append(fit)
    year = row["year"] if "year" in row else article.date.year  # own honours always carry a year
    return Honour(recipient, award, year, row.get("stage", _STAGE.default), row.get("decision"), campaign,
                  article, path, row.get("_line"), row.get("decision_file"))


def _resolve_article(article: Any, resolver: Resolver, problems: list[Problem]) -> ArticleRefs:
    data = getattr(article, "portal_data", {}) or {}
    lines = getattr(article, "portal_lines", {}) or {}
    path = getattr(article, "portal_path", article.source_path)
    refs = ArticleRefs()
    for spec in _NAMING:  # one kind each
        slugs = data.get(spec.name)
        if slugs:  # most articles leave some of these out: 10,000 articles asked 50,000 times for nothing
            refs.name_all(spec.ref[0], resolver.resolve_all(spec.ref, slugs, path, lines, spec.name))
    if data.get("event_for"):
        refs.event_for = resolver.resolve_all(("campaigns", "clusters"), data["event_for"], path, lines, "event_for")
        for record in refs.event_for:  # naming a campaign or cluster's event is reporting on it
            refs.name(record)
    for i, row in enumerate(data.get("honours", [])):
        where = f"honours[{i}]"
        recipient = resolver.resolve(("exemplars",), row["recipient"], path,
                                     lines.get(f"{where}.recipient"), f"{where}.recipient")
        honour = _honour(row, recipient, article, path, lines, where, resolver, problems)
        if honour is None:
            continue
        refs.honours.append(honour)
        for spec in _HONOUR_NAMING:
            value = getattr(honour, spec.name)
            if value is not None:
                refs.name(value)
    return refs


def _own_honours(records: RecordSet, resolver: Resolver, problems: list[Problem]) -> list[Honour]:
    """Honours an exemplar record lists itself (no article reports them)."""
    out: list[Honour] = []
    for exemplar in records.all("exemplars"):
        for i, row in enumerate(exemplar.honours or []):
            honour = _honour(row, exemplar, None, exemplar.path, exemplar.lines, f"honours[{i}]", resolver, problems)
            if honour is not None:
                out.append(honour)
    return out


def build_graph(records: RecordSet, articles: list[Any], unpublished: list[Any],
                taxonomies: list[Taxonomy], config: PortalConfig, related_only: Collection[Any] | None = None,
                memo: Memo | None = None, rank: bool = True) -> tuple[SiteGraph, list[Problem]]:
    """Join records and articles; return the graph and every problem met.

    ``related_only``: compute related articles for these alone (the preview's one edited article).
    ``memo``: the build's derived results, which keep the related articles of an unchanged ranking.
    ``rank=False``: no related articles yet; the caller attaches them (related.attach) before any are read.
    """
    problems: list[Problem] = list(records.problems)
    resolver = Resolver(records)
    check_records(records, resolver)
    honours = _own_honours(records, resolver, problems)
    for article in [*articles, *unpublished]:
        problems.extend(getattr(article, "portal_problems", []))
        article.refs = _resolve_article(article, resolver, problems)
    for article in articles:
        honours.extend(article.refs.honours)
    problems.extend(resolver.problems)

    graph = SiteGraph(config, records, resolver, articles, {t.name: t for t in taxonomies})
    graph.honours = sorted(honours, key=lambda h: h.order_key)
    for honour in graph.honours:
        graph.honours_by_recipient.setdefault(honour.recipient.slug, []).append(honour)
        graph.honours_by_award.setdefault(honour.award.slug, []).append(honour)
    graph.terms = classify(taxonomies, articles, records.all)
    if rank:
        related.attach(graph, related_only, memo)
    for tax in taxonomies:  # each term's facts, made when first read (Term.extra)
        if tax.extra is None:
            continue
        for term in graph.terms[tax.name].values():
            term.make_extra = functools.partial(tax.extra, term, graph)
    return graph, problems


# What ``resolve_one`` can follow alone: the fields through which an article names records. Its honours too,
# unless one links a decision file (media.collect attaches those).
RENAMING_FIELDS = frozenset({*(f.name for f in _NAMING), "event_for", "honours"})


def resolve_one(graph: SiteGraph, old: Any, new: Any) -> list[Problem]:
    """Give ``new``, an edit of ``old`` at the same address and date, its references in the joined ``graph``.

    The preview's page for an article that now names other records, in milliseconds instead of a
    join: its records and honours are resolved against the graph's records, and its related articles
    ranked with it in ``old``'s place. The graph itself is left as it was (the build that follows
    moves the article between terms); the problems returned are the edited file's own.
    """
    problems = list(getattr(new, "portal_problems", []))
    resolver = graph.resolver
    seen = len(resolver.problems)
    try:
        new.refs = _resolve_article(new, resolver, problems)
        problems.extend(resolver.problems[seen:])
    finally:
        del resolver.problems[seen:]  # the graph's own list stays the last join's
    articles = graph.articles
    at = next((i for i, a in enumerate(articles) if a is old), None)
    if at is None:  # a draft: no place in the lists, nothing related
        new.refs.related, new.refs.previous, new.refs.next = old.refs.related, old.refs.previous, old.refs.next
        return problems
    articles[at] = new
    try:
        related.attach(graph, [new])
    finally:
        articles[at] = old
    return problems
