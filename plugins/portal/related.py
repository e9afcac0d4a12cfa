"""Related articles and previous/next links, without an O(n²) scan.

Like Hugo's ``related`` with weighted indices: two articles are related by
the terms they share, each taxonomy with its declared ``related_weight`` (an
exemplar weighs more than a province). Candidates come from the article's own
terms; inside a large term only the ``related_window`` articles nearest in
date are looked at, so the work per article is bounded however large the
archive grows.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left
from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from .taxonomy import term_slug

if TYPE_CHECKING:
    from .graph import SiteGraph


def attach(graph: SiteGraph, only: Collection[Any] | None = None) -> None:
    """Set ``refs.related``, ``refs.previous`` and ``refs.next`` on every article (or on those in ``only``).

    Articles are numbered once; each term keeps its members' numbers and
    timestamps, so the inner loop only adds small integers. The preview asks
    for one article's lists when it joins the graph again for a single edit.
    """
    config = graph.config
    articles = graph.articles
    window = config.related_window
    number = {id(a): i for i, a in enumerate(articles)}
    stamps = [a.date.timestamp() for a in articles]
    members: dict[int, tuple[list[int], list[float]]] = {}  # id(term) -> (numbers, -timestamps), newest first

    def term_members(term: Any) -> tuple[list[int], list[float]]:
        found = members.get(id(term))
        if found is None:
            numbers = [number[id(a)] for a in term.articles if id(a) in number]
            found = members[id(term)] = (numbers, [-stamps[n] for n in numbers])
        return found

    lookups = [(graph.terms.get(tax.name, {}), tax, tax.related_weight)
               for tax in graph.taxonomies.values() if tax.related_weight]
    wanted = None if only is None else {id(a) for a in only}
    for i, article in enumerate(articles):
        if wanted is not None and id(article) not in wanted:
            continue
        refs = article.refs
        refs.previous = articles[i + 1] if i + 1 < len(articles) else None
        refs.next = articles[i - 1] if i > 0 else None
        scores: dict[int, int] = {}
        when = stamps[i]
        for bucket, tax, weight in lookups:
            for slug in dict.fromkeys(map(term_slug, tax.named_by(article))):
                term = bucket.get(slug)
                if term is None:
                    continue
                numbers, keys = term_members(term)
                if len(numbers) > 2 * window:  # only the neighbours nearest in date inside a large term
                    at = bisect_left(keys, -when)
                    numbers = numbers[max(0, at - window): at + window + 1]
                for n in numbers:
                    scores[n] = scores.get(n, 0) + weight
        scores.pop(i, None)
        if not scores:
            refs.related = []
            continue
        # Only candidates scoring at least the k-th best score can win: rank those in full.
        floor = heapq.nlargest(config.related_count, scores.values())[-1]
        best = heapq.nsmallest(
            config.related_count, [e for e in scores.items() if e[1] >= floor],
            key=lambda e: (-e[1], abs(stamps[e[0]] - when), articles[e[0]].source_path),
        )
        refs.related = [articles[n] for n, _ in best]
