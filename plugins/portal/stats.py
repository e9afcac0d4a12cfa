"""The statistics page (/thong-ke/): what the portal's content adds up to, as charts and tables.

The honours are counted in one pass; article counts are the taxonomy terms'
(already grouped once per build). charts.py lays the numbers out; the theme
draws them (theme/templates/stats.html).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from .charts import BarChart, GridChart, Item, bar_chart, grid_chart
from .graph import SiteGraph
from .model import Record
from .schema import field_at
from .vietnamese import sort_key

_CATEGORY = field_at("awards.category")
STAGES = tuple(label for _, label in field_at("articles.honours.stage").choices)
TOP_CAMPAIGNS = 10
UNPLACED = "Không gắn tỉnh, thành"  # central bodies, national news


class Figure(NamedTuple):
    """One headline number."""

    label: str
    value: int
    url: str = ""


def _add(counts: dict[Any, list[int]], key: Any, stage: int) -> None:
    counts.setdefault(key, [0, 0])[stage] += 1


def _honour_counts(graph: SiteGraph) -> dict[str, dict[Any, list[int]]]:
    """Honours by year, category, award and current province, each split [conferred, proposed]."""
    out: dict[str, dict[Any, list[int]]] = {"year": {}, "category": {}, "award": {}, "province": {}}
    # What each award and each province slug counts under, looked up once: 6,000 honours name a few dozen.
    awards: dict[int, tuple[Any, str]] = {}
    provinces: dict[str | None, str | None] = {}
    for honour in graph.honours:
        stage = 0 if honour.conferred else 1
        award = awards.get(id(honour.award))
        if award is None:
            award = awards[id(honour.award)] = (honour.award.category, honour.award.slug)
        slug = honour.recipient.province
        if slug not in provinces:
            province = graph.current_province(slug)
            provinces[slug] = province.slug if province else None
        _add(out["year"], honour.year, stage)
        _add(out["category"], award[0], stage)
        _add(out["award"], award[1], stage)
        _add(out["province"], provinces[slug], stage)
    return out


def _by_province(graph: SiteGraph, honours: dict[Any, list[int]]) -> BarChart:
    items = []
    for term in graph.ordered_terms("provinces"):
        record = term.record
        n = sum(honours.get(record.slug, ()))
        if record.merged_into or not (n or term.count):
            continue
        merged = ", ".join(p.name for p in term.predecessors)
        items.append(Item(record.name, (n, term.count), term.url, f"gồm {merged}" if merged else ""))
    items.sort(key=lambda i: (-i.values[0], -i.values[1], sort_key(i.label)))
    unplaced = sum(honours.get(None, ()))
    no_province = sum(1 for a in graph.articles if not a.refs.of("provinces"))
    if unplaced or no_province:
        items.append(Item(UNPLACED, (unplaced, no_province)))
    return bar_chart("theo-tinh-thanh", "Khen thưởng và tin bài theo tỉnh, thành phố", "Tỉnh, thành phố",
                     ("Khen thưởng", "Tin bài"), items, unit="tỉnh, thành", note_header="Gồm đơn vị đã sáp nhập")


def _campaigns(graph: SiteGraph) -> BarChart:
    terms = [t for t in graph.terms["campaigns"].values() if t.count or t.honours]
    terms.sort(key=lambda t: (-t.count, -len(t.honours), sort_key(t.name)))
    items = [Item(t.record.label, (t.count, len(t.honours)), t.url) for t in terms[:TOP_CAMPAIGNS]]
    return bar_chart("phong-trao", f"{len(items)} phong trào có nhiều tin bài nhất", "Phong trào",
                     ("Tin bài", "Khen thưởng"), items, unit="phong trào")


def _leaders(graph: SiteGraph) -> GridChart:
    clusters = [t for t in graph.ordered_terms("clusters") if t.leaders]
    years = sorted({row["year"] for t in clusters for row in t.leaders})

    def lines(row: dict[str, Record | None]) -> list[str]:
        return [f"{role}: {row[key].label}" for key, role in (("leader", "Trưởng"), ("deputy", "Phó")) if row[key]]

    items = []
    for term in clusters:
        by_year = {row["year"]: lines(row) for row in term.leaders}
        items.append((term.name, term.url, [by_year.get(y, []) for y in years]))
    return grid_chart("cum-truong", "Cụm trưởng, khối trưởng và cụm phó, khối phó theo năm", "Cụm, khối thi đua",
                      [str(y) for y in years], items, unit="cụm, khối")


def context(graph: SiteGraph) -> dict[str, Any]:
    """Template arguments of /thong-ke/: headline figures and the charts, in reading order."""
    counts = _honour_counts(graph)
    years = sorted(counts["year"])
    awards = sorted((graph.lookup("awards", slug) for slug in counts["award"]),
                    key=lambda a: (a.rank, a.sort_key))
    conferred = sum(v[0] for v in counts["year"].values())
    figures = (
        Figure("Tin bài", len(graph.articles), "tin-tuc/"),
        Figure("Khen thưởng được ghi nhận", len(graph.honours), "du-lieu/"),
        Figure("Đã được tặng", conferred),
        Figure("Đang được đề nghị", len(graph.honours) - conferred),
        Figure("Điển hình tiên tiến", len(graph.terms["exemplars"]), "dien-hinh/"),
        Figure("Phong trào thi đua", len(graph.terms["campaigns"]), "phong-trao/"),
    )
    charts = (
        bar_chart("theo-nam", "Khen thưởng theo năm thành tích", "Năm", STAGES,
                  [Item(str(y), tuple(counts["year"][y])) for y in years], stacked=True, unit="năm"),
        bar_chart("theo-loai", "Khen thưởng theo loại hình", "Loại hình", STAGES,
                  [Item(label, tuple(counts["category"].get(c, (0, 0)))) for c, label in _CATEGORY.choices],
                  stacked=True, unit="loại hình"),
        bar_chart("theo-danh-hieu", "Khen thưởng theo danh hiệu, hình thức (xếp theo thứ bậc)",
                  "Danh hiệu, hình thức", STAGES,
                  [Item(a.label, tuple(counts["award"][a.slug]), a.url, str(a.rank)) for a in awards],
                  stacked=True, unit="danh hiệu, hình thức", note_header="Thứ bậc"),
        _by_province(graph, counts["province"]),
        _campaigns(graph),
        _leaders(graph),
    )
    return {"figures": figures, "charts": charts, "first_year": years[0] if years else None,
            "last_year": years[-1] if years else None}


__all__ = ["context"]
