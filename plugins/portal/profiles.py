"""Exemplar profiles and the directory: who received what, where and when.

A profile gathers the honours every article reports for an exemplar (plus
the ones its own record lists), the campaigns and clusters it appears in,
and the articles featuring it. The directory lists exemplars in Vietnamese
alphabetical order, by kind and by province, with a "Bảng vàng" of the
highest honours.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .model import Record
from .schema import field_at
from .vietnamese import initial, slugify, sort_key

if TYPE_CHECKING:
    from .graph import SiteGraph
    from .taxonomy import Term

_KIND = field_at("exemplars.kind")


def _kind_slug(label: str) -> str:
    """The address of a kind's page of the directory: its label as a slug (Cá nhân: dien-hinh/loai/ca-nhan/)."""
    return slugify(label)


def unique_sorted(records: list[Record | None]) -> list[Record]:
    seen: dict[int, Record] = {}
    for record in records:
        if record is not None:
            seen.setdefault(id(record), record)
    return sorted(seen.values(), key=lambda r: r.sort_key)


def profile_context(term: Term, graph: SiteGraph) -> dict[str, Any]:
    """Honours (by year, then rank), campaigns and clusters of one exemplar."""
    exemplar = term.record
    honours = graph.honours_by_recipient.get(exemplar.slug, [])
    campaigns = [c for a in term.articles for c in a.refs.campaigns] + [h.campaign for h in honours]
    memberships = graph.memo("cluster_members", cluster_members)
    clusters = [c for a in term.articles for c in a.refs.clusters] + memberships.get(exemplar.slug, [])
    if exemplar.kind == "locality" and exemplar.province:
        clusters += memberships.get(exemplar.province, [])
    return {
        "honours": honours,
        "best_honour": best_honour(honours),
        "campaigns": unique_sorted(campaigns),
        "clusters": unique_sorted(clusters),
        "province": province_of(exemplar, graph),
    }


def best_honour(honours: list[Any]) -> Any:
    """The highest-ranked honour actually conferred (not a proposal), or None: a profile's headline."""
    return min((h for h in honours if h.conferred), key=lambda h: h.award.rank, default=None)


def cluster_members(graph: SiteGraph) -> dict[str, list[Record]]:
    """Member slug (province or exemplar) → the clusters it belongs to."""
    members: dict[str, list[Record]] = {}
    for cluster in graph.records.all("clusters"):
        for slug in cluster.members or []:
            members.setdefault(slug, []).append(cluster)
    return members


def honour_roll(best: list[tuple[Term, Any]], graph: SiteGraph) -> list[tuple[Term, Any]]:
    """Exemplars holding a conferred honour at or above the configured rank, best first (``best``: each term with
    its best honour)."""
    limit = graph.config.honour_roll_max_rank
    roll = [(t, honour) for t, honour in best if honour is not None and honour.award.rank <= limit]
    return sorted(roll, key=lambda pair: (pair[1].award.rank, -pair[1].year, sort_key(pair[0].name)))


def directory_context(terms: list[Term], graph: SiteGraph) -> dict[str, Any]:
    """Letters A–Z (Vietnamese order) of cards (term, province, best honour), kind and province menus, and the
    Bảng vàng.

    A card's province and honour are read from the records and honours, not from the terms' facts: the page's key
    is made of what it is given (incremental/fingerprints.py), and an edit build that keeps every profile makes
    none of their facts.
    """
    by_recipient = graph.honours_by_recipient
    cards = {t.slug: (t, province_of(t.record, graph), best_honour(by_recipient.get(t.slug, []))) for t in terms}
    letters: dict[str, list[tuple[Term, Record | None, Any]]] = {}
    for term in sorted(terms, key=lambda t: t.record.sort_key):
        letters.setdefault(initial(term.name), []).append(cards[term.slug])
    kinds = [(_kind_slug(label), label, sum(1 for t in terms if t.record.kind == k)) for k, label in _KIND.choices]
    by_province: dict[str, int] = {}
    for _, province, _ in cards.values():
        if province is not None:
            by_province[province.slug] = by_province.get(province.slug, 0) + 1
    provinces = sorted(((graph.lookup("provinces", s), n) for s, n in by_province.items()),
                       key=lambda pair: pair[0].sort_key)
    return {
        "letters": list(letters.items()),
        "kinds": kinds,
        "provinces": provinces,
        "honour_roll": honour_roll([(t, best) for t, _, best in cards.values()], graph),
    }


def directory_shows(terms: list[Term], graph: SiteGraph) -> str:
    """What articles decide of the directory (directory_context): each exemplar's best honour, its award and year.
    Its cards, menus and counts are the records'."""
    by_recipient = graph.honours_by_recipient
    return "\x1f".join(f"{t.slug}={best.award.slug}/{best.year}" if (best := best_honour(by_recipient.get(t.slug, [])))
                        else t.slug for t in terms)


def kind_facet(term: Term, graph: SiteGraph) -> list[tuple[str, str]]:
    label = term.record.label_of("kind")
    return [(_kind_slug(label), label)]


def province_of(exemplar: Record, graph: SiteGraph) -> Record | None:
    """The province an exemplar record names (its profile's ``province``), read without making the profile."""
    return graph.lookup("provinces", exemplar.province) if exemplar.province else None


def province_facet(term: Term, graph: SiteGraph) -> list[tuple[str, str]]:
    province = province_of(term.record, graph)
    return [(province.slug, province.name)] if province is not None else []


def recently_honoured(graph: SiteGraph, count: int) -> list[tuple[Record, Any]]:
    """The exemplars of the newest honour articles, each once."""
    seen: dict[str, tuple[Record, Any]] = {}
    for article in graph.articles:
        for honour in article.refs.honours:
            seen.setdefault(honour.recipient.slug, (honour.recipient, honour))
        if len(seen) >= count:
            break
    return list(seen.values())[:count]
