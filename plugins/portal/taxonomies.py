"""The six taxonomies of the portal, each a short declaration on the engine.

A new taxonomy is one more declaration here plus, at most, two templates.
The functions below only add what a term page shows besides its articles.
"""

from __future__ import annotations

from typing import Any

from . import profiles, timeline
from .graph import SiteGraph
from .model import Record
from .schema import KINDS, field_at
from .taxonomy import Facet, Taxonomy, Term, ordered
from .vietnamese import sort_key

_SCOPE = field_at("campaigns.scope")
_CATEGORY = field_at("awards.category")


def _group(graph: SiteGraph, key: str, kind: str, field: str) -> dict[str, list[Record]]:
    """Records of ``kind`` grouped by the record their ``field`` names: children, predecessors …"""
    target_kind = KINDS[kind].by_name[field].ref[0]

    def compute(g: SiteGraph) -> dict[str, list[Record]]:
        out: dict[str, list[Record]] = {}
        for record in g.records.all(kind):
            target = record.data.get(field)
            if target:
                owner = g.lookup(target_kind, target)
                out.setdefault(owner.slug if owner else target, []).append(record)
        return {k: sorted(v, key=lambda r: r.sort_key) for k, v in out.items()}
    return graph.memo(key, compute)


def _honours_by_campaign(graph: SiteGraph) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for honour in graph.honours:
        if honour.campaign is not None:
            out.setdefault(honour.campaign.slug, []).append(honour)
    return out


def campaign_context(term: Term, graph: SiteGraph) -> dict[str, Any]:
    record = term.record
    children = _group(graph, "campaign_children", "campaigns", "parent").get(record.slug, [])
    honours = graph.memo("honours_by_campaign", _honours_by_campaign).get(record.slug, [])
    return {
        "parent": graph.lookup("campaigns", record.parent) if record.parent else None,
        "children": children,
        "honours": honours,
        "timeline": timeline.campaign(record, children, honours, graph),
    }


def campaign_index(terms: list[Term], graph: SiteGraph) -> dict[str, Any]:
    groups = [(label, [t for t in terms if (t.record.scope or _SCOPE.default) == scope])
              for scope, label in _SCOPE.choices]
    return {"groups": [(label, items) for label, items in groups if items]}


def _members(graph: SiteGraph, slugs: list[str]) -> list[Record]:
    found = [graph.lookup("provinces", s) or graph.lookup("exemplars", s) for s in slugs]
    return sorted((r for r in found if r is not None), key=lambda r: r.sort_key)


def cluster_context(term: Term, graph: SiteGraph) -> dict[str, Any]:
    record = term.record
    leaders = []
    for row in sorted(record.leaders or [], key=lambda r: -r["year"]):
        leaders.append({
            "year": row["year"],
            "leader": _members(graph, [row["leader"]])[0] if row.get("leader") else None,
            "deputy": _members(graph, [row["deputy"]])[0] if row.get("deputy") else None,
        })
    members = _members(graph, record.members or [])
    honours = timeline.member_honours(record, members, graph)
    return {"members": members, "leaders": leaders, "current": record.valid_to is None,
            "member_honours": honours, "timeline": timeline.cluster(record, honours, graph)}


def cluster_fact_articles(term: Term, graph: SiteGraph) -> list[Any]:
    """The articles reporting the honours cluster_context lists: its members' (the events are its own articles')."""
    record = term.record
    return [h.article for h in timeline.member_honours(record, _members(graph, record.members or []), graph)
            if h.article is not None]


def cluster_index(terms: list[Term], graph: SiteGraph) -> dict[str, Any]:
    return {"groups": [(label, items) for label, items in (
        ("Đang hoạt động", [t for t in terms if t.current]),
        ("Trước khi sắp xếp đơn vị hành chính (1/7/2025)", [t for t in terms if not t.current]),
    ) if items]}


def award_context(term: Term, graph: SiteGraph) -> dict[str, Any]:
    record = term.record
    honours = graph.honours_by_award.get(record.slug, [])
    recipients = profiles.unique_sorted([h.recipient for h in honours])
    return {
        "honours": sorted(honours, key=lambda h: (-h.year, h.recipient.sort_key)),  # the collation key of its name
        "recipients": recipients,
        "replaced_by": graph.lookup("awards", record.replaced_by) if record.replaced_by else None,
        "legacy_names": _group(graph, "award_legacy", "awards", "replaced_by").get(record.slug, []),
    }


def award_index(terms: list[Term], graph: SiteGraph) -> dict[str, Any]:
    groups = []
    for category, label in _CATEGORY.choices:
        items = sorted((t for t in terms if t.record.category == category),
                       key=lambda t: (t.record.rank, sort_key(t.name)))
        if items:
            groups.append((label, items))
    return {"groups": groups}


def province_context(term: Term, graph: SiteGraph) -> dict[str, Any]:
    record = term.record
    exemplars = _group(graph, "exemplars_by_province", "exemplars", "province").get(record.slug, [])
    clusters = graph.memo("cluster_members", profiles.cluster_members).get(record.slug, [])
    return {
        "successor": graph.lookup("provinces", record.merged_into) if record.merged_into else None,
        "predecessors": _group(graph, "province_predecessors", "provinces", "merged_into").get(record.slug, []),
        "exemplars": exemplars,  # records, not their terms: the chips show a name and URL, no count
        "clusters": sorted(clusters, key=lambda r: r.sort_key),
    }


def province_index(terms: list[Term], graph: SiteGraph) -> dict[str, Any]:
    return {"groups": [
        ("34 đơn vị hành chính cấp tỉnh hiện nay", [t for t in terms if not t.record.merged_into]),
        ("Đơn vị đã sáp nhập từ 1/7/2025", [t for t in terms if t.record.merged_into]),
    ]}


def year_index(terms: list[Term], graph: SiteGraph) -> dict[str, Any]:
    return {"groups": [("", terms)]}


def directory_index(terms: list[Term], graph: SiteGraph) -> dict[str, Any]:
    return profiles.directory_context(terms, graph)


def _with_successors(provinces: list[Record]) -> list[Record | str]:
    """The provinces an article names, then the slugs of the units the merged ones belong to today."""
    return [*provinces, *(slug for p in provinces if (slug := p.data.get("merged_into")))]


def exemplar_provinces(term: Term, graph: SiteGraph) -> list[Record]:
    """An exemplar's province, and the unit that province belongs to today when it was merged."""
    province = profiles.province_of(term.record, graph)
    if province is None:
        return []
    current = graph.current_province(province.slug)
    return [province] if current is None or current is province else [province, current]


def honour_years(term: Term, graph: SiteGraph) -> list[str]:
    return sorted({str(h.year) for h in term.honours}, reverse=True)


CAMPAIGNS = Taxonomy(
    "campaigns", "Phong trào thi đua", "phong-trao/{slug}/", "phong-trao/", "campaign", "campaigns",
    record_kind="campaigns", extra=campaign_context, index_extra=campaign_index,
    search_filter="phong-trao", search_label="Phong trào", search_noun="phong trào",
    of_exemplar=lambda t, g: t.campaigns, related_weight=2, data_slice="campaign", facts_from="articles",
    later_pages_show=("parent",),
)
CLUSTERS = Taxonomy(
    "clusters", "Cụm, khối thi đua", "cum-khoi-thi-dua/{slug}/", "cum-khoi-thi-dua/", "cluster", "clusters",
    record_kind="clusters", extra=cluster_context, index_extra=cluster_index, listed_facts=("members", "leaders"),
    search_filter="cum-khoi", search_label="Cụm, khối thi đua", search_noun="cụm, khối",
    of_exemplar=lambda t, g: t.clusters, related_weight=1, facts_from="articles", facts_also_read=cluster_fact_articles,
    later_pages_show=("current", "members"),
)
AWARDS = Taxonomy(
    "awards", "Danh hiệu và hình thức khen thưởng", "khen-thuong/{slug}/", "khen-thuong/", "award", "awards",
    record_kind="awards", extra=award_context, index_extra=award_index, listed_facts=("recipients",),
    search_filter="khen-thuong", search_label="Khen thưởng", search_noun="danh hiệu",
    of_exemplar=lambda t, g: [h.award for h in t.honours], related_weight=1, data_slice="award",
    facts_from="articles", later_pages_show=("replaced_by", "legacy_names"),
)
PROVINCES = Taxonomy(
    "provinces", "Tỉnh, thành phố", "tinh-thanh/{slug}/", "tinh-thanh/", "province", "provinces",
    # A merged unit's articles are listed on its successor's page too.
    classify=lambda a: _with_successors(a.refs.of("provinces")),
    record_kind="provinces", extra=province_context, index_extra=province_index, listed_facts=("successor",),
    search_filter="tinh-thanh", search_label="Tỉnh, thành", search_noun="tỉnh, thành",
    of_exemplar=exemplar_provinces, related_weight=1, facts_from="records",
    later_pages_show=("successor", "predecessors"),  # province.html's facts block
)
YEARS = Taxonomy(
    "years", "Tin bài theo năm", "nam/{slug}/", "nam/", "year", "years",
    classify=lambda a: [str(a.date.year)], term_name=lambda slug: f"Năm {slug}",
    order=lambda t: -int(t.slug), index_extra=year_index,
    search_filter="nam", search_label="Năm", search_noun="năm", of_exemplar=honour_years, facts_from="records",
    later_pages_show=(),
)
EXEMPLARS = Taxonomy(
    "exemplars", "Điển hình tiên tiến", "dien-hinh/{slug}/", "dien-hinh/", "profile", "directory",
    record_kind="exemplars", extra=profiles.profile_context, index_extra=directory_index,
    index_shows=profiles.directory_shows,
    facets=(
        Facet("kind", "dien-hinh/loai/{value}/", "Điển hình theo loại", profiles.kind_facet),
        Facet("province", "dien-hinh/tinh-thanh/{value}/", "Điển hình theo tỉnh, thành", profiles.province_facet),
    ),
    related_weight=3, data_slice="recipient", facts_from="articles",
)

TAXONOMIES = (CAMPAIGNS, CLUSTERS, AWARDS, PROVINCES, YEARS, EXEMPLARS)
__all__ = ["TAXONOMIES", "ordered"]
