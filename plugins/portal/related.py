"""Related articles and previous/next links, without an O(n²) scan.

Like Hugo's ``related`` with weighted indices: two articles are related by
the terms they share (an exemplar weighs more than a province). Candidates
come from the article's own terms; inside a large term only the
``related_window`` articles nearest in date are looked at, so the work per
article is bounded however large the archive grows.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .graph import SiteGraph

# (taxonomy, field of ArticleRefs, weight)
WEIGHTS = (
    ("exemplars", "exemplars", 3),
    ("campaigns", "campaigns", 2),
    ("awards", "awards", 1),
    ("clusters", "clusters", 1),
    ("provinces", "provinces", 1),
)


def _neighbours(members: list[Any], article: Any, window: int) -> list[Any]:
    if len(members) <= 2 * window:
        return members
    stamp = -article.date.timestamp()
    at = bisect_left(members, stamp, key=lambda a: -a.date.timestamp())
    return members[max(0, at - window): at + window + 1]


def attach(graph: SiteGraph) -> None:
    """Set ``refs.related``, ``refs.previous`` and ``refs.next`` on every article."""
    config = graph.config
    articles = graph.articles
    for i, article in enumerate(articles):
        refs = article.refs
        refs.previous = articles[i + 1] if i + 1 < len(articles) else None
        refs.next = articles[i - 1] if i > 0 else None
        scores: dict[int, list[Any]] = {}
        for taxonomy, name, weight in WEIGHTS:
            bucket = graph.terms.get(taxonomy, {})
            for record in getattr(refs, name):
                term = bucket.get(record.slug)
                if term is None:
                    continue
                for other in _neighbours(term.articles, article, config.related_window):
                    if other is article:
                        continue
                    entry = scores.setdefault(id(other), [0, other])
                    entry[0] += weight
        when = article.date.timestamp()
        best = heapq.nsmallest(
            config.related_count, scores.values(),
            key=lambda e: (-e[0], abs(e[1].date.timestamp() - when), e[1].source_path),
        )
        refs.related = [other for _, other in best]
