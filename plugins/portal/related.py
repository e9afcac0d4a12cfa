"""Related articles and previous/next links, without an O(n²) scan.

Like Hugo's ``related`` with weighted indices: two articles are related by
the terms they share, each taxonomy with its declared ``related_weight`` (an
exemplar weighs more than a province). Candidates come from the article's own
terms; inside a large term only the ``related_window`` articles nearest in
date are looked at, so the work per article is bounded however large the
archive grows.
"""

from __future__ import annotations

import functools
import hashlib
import heapq
import marshal
import sys
from bisect import bisect_left
from collections import Counter
from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from .taxonomy import term_slug

if TYPE_CHECKING:
    from .cache import Memo
    from .graph import SiteGraph


RANK_AGAIN_AT_MOST = 0.25  # the share of articles an update ranks again; past it, ranking all is as quick


class _Ranking:
    """Every article's related articles, as article numbers (indices in ``graph.articles``).

    Articles are numbered once; each term keeps its members' numbers and
    timestamps, so the inner loop only adds small integers.
    """

    def __init__(self, graph: SiteGraph) -> None:
        self.articles = graph.articles
        self.count, self.window = graph.config.related_count, graph.config.related_window
        self.number = {id(a): i for i, a in enumerate(self.articles)}
        self.lookups = [(graph.terms.get(tax.name, {}), tax, tax.related_weight)
                        for tax in graph.taxonomies.values() if tax.related_weight]
        self._members: dict[int, tuple[list[int], list[float]]] = {}  # id(term) -> (numbers, -timestamps)
        self._named: dict[int, list[list[str]]] = {}  # article number -> its named slugs per taxonomy
        self._as_last: dict[int, tuple[int, ...]] = {}  # id(term) -> its members, known to be the last ranking's

    @functools.cached_property
    def stamps(self) -> list[float]:
        """Each article's timestamp, by number (:meth:`update` takes the unchanged ones from the last ranking)."""
        return [a.date.timestamp() for a in self.articles]

    def members(self, term: Any) -> tuple[list[int], list[float]]:
        """The numbers of a term's articles, newest first, and their negated timestamps (bisectable)."""
        found = self._members.get(id(term))
        if found is None:
            kept = self._as_last.get(id(term))
            numbers = list(kept) if kept is not None else \
                [self.number[id(a)] for a in term.articles if id(a) in self.number]
            found = self._members[id(term)] = (numbers, [-self.stamps[n] for n in numbers])
        return found

    def named(self, i: int) -> list[list[str]]:
        """Per weighted taxonomy, the slugs of the terms article ``i`` names that exist, each once.

        Kept: the signature and the ranking both read them.
        """
        found = self._named.get(i)
        if found is None:
            article = self.articles[i]
            found = self._named[i] = [[slug for slug in dict.fromkeys(map(term_slug, tax.named_by(article)))
                                       if slug in bucket] for bucket, tax, _ in self.lookups]
        return found

    def signature(self) -> str:
        """A digest of everything the ranking reads: equal digests, equal related lists.

        Each article's path, time and named terms, each term's members (a term also lists the articles of
        a merged province, which do not name it), and the settings and weights.
        """
        parts: list[Any] = [self.count, self.window, [(tax.name, weight) for _, tax, weight in self.lookups]]
        for i, article in enumerate(self.articles):
            parts.append((article.source_path, self.stamps[i], self.named(i)))
        for bucket, tax, _ in self.lookups:
            parts.append((tax.name, [(slug, numbers) for slug, term in bucket.items()
                                     if (numbers := self.members(term)[0])]))
        # marshal's version 2 writes values alone (no back-references to shared objects), so equal parts give
        # equal bytes; 3x faster than repr over 10,000 articles.
        return hashlib.blake2b(marshal.dumps(parts, 2), digest_size=16).hexdigest()

    def snapshot(self, lists: list[tuple[int, ...]]) -> dict[str, Any]:
        """What :meth:`update` needs of this ranking in the next build: every input it read, and its lists."""
        as_last = self._as_last
        return {"config": self._config(), "paths": [a.source_path for a in self.articles], "stamps": self.stamps,
                "named": [self.named(i) for i in range(len(self.articles))], "lists": lists,
                "members": {(tax.name, slug): as_last.get(id(term)) or tuple(self.members(term)[0])
                            for bucket, tax, _ in self.lookups for slug, term in bucket.items()}}

    def _config(self) -> tuple:
        return self.count, self.window, [(tax.name, weight) for _, tax, weight in self.lookups]

    def update(self, last: dict[str, Any],
               changed_paths: Collection[str] | None = None) -> tuple[list[tuple[int, ...]], set[int] | None] | None:
        """Every article's list, ranking again only those an edit can reach from ``last`` (a :meth:`snapshot`), and
        the numbers of those ranked again when the articles are ``last``'s in the same order (None otherwise: the
        others' lists and neighbours may show other articles); None when that is more than ``RANK_AGAIN_AT_MOST`` of
        the articles, or the settings differ.

        An article is ranked again when it is new, or its date or its terms changed; and when it lies near a
        change in one of its terms: within the window, plus the number of changes, of a member that joined,
        left or moved (at its old and new dates); in a term small enough to be looked at whole, every member.
        A term whose members all stayed, at their dates, reaches no one (an edit that names one more campaign
        reaches that campaign's neighbours of the article, not those in its province's and exemplars' terms).
        Any other article sees the same candidates with the same dates and weights as before, so its list is
        the one ``best`` would give again (tests/unit/test_memo.py compares both on random edits).
        ``changed_paths``: when known, the articles whose own data changed, the records being the last ranking's
        (Session.changed_articles); any other article names what it named then, which is not looked up again.
        """
        if last.get("config") != self._config():
            return None
        n, paths, stamps = len(self.articles), last["paths"], last["stamps"]
        # The same articles in the same order (an edit that changed no date, path or status): numbers stay, and
        # nothing is looked up by path (0.05 s at 10,000 articles).
        same = paths == [a.source_path for a in self.articles]
        if same:
            now: dict[str, int] = {}
            old_of: list[int | None] = list(range(n))
        else:
            before = {path: j for j, path in enumerate(paths)}
            now = {a.source_path: i for i, a in enumerate(self.articles)}
            old_of = [before.get(a.source_path) for a in self.articles]
        named = last["named"]
        if changed_paths is not None:  # the others' names as they were: 0.06 s of lookups at 10,000 articles
            for i, j in enumerate(old_of):
                if j is not None and paths[j] not in changed_paths:
                    self._named.setdefault(i, named[j])
        # Told which articles changed, in the last order: the others' dates are the last ones too.
        quiet = same and changed_paths is not None
        if quiet:
            self.stamps = list(stamps)
            for i, path in enumerate(paths):
                if path in changed_paths:
                    self.stamps[i] = self.articles[i].date.timestamp()
        changed = {i for i, j in enumerate(old_of)
                   if j is None or stamps[j] != self.stamps[i] or named[j] != self.named(i)}
        affected = set(changed)
        moved = {id(self.articles[i]) for i in changed}
        for bucket, tax, _ in self.lookups:
            for slug, term in bucket.items():
                previous = last["members"].get((tax.name, slug), ())
                # Quiet, a term that holds no changed article, nor held one, holds the last members: no other article
                # joined, left or moved. Its numbers are not looked up again (at 10,000 articles 0.02 s for the
                # 1,400 terms, and as much again for the large ones that the articles ranked again read).
                if quiet and changed.isdisjoint(previous) and moved.isdisjoint(map(id, term.articles)):
                    self._as_last[id(term)] = previous
                    continue
                numbers, keys = self.members(term)
                if not changed.intersection(numbers) and \
                        (tuple(numbers) if same else tuple([old_of[i] for i in numbers])) == previous:
                    continue
                was = set(previous)
                # Who joined, or moved (its new date): a changed article that stayed where it was, as it was (it
                # named another campaign), changes nothing here; only the terms it joined or left see it move.
                at = [-self.stamps[i] for i in numbers
                      if (j := old_of[i]) is None or j not in was or stamps[j] != self.stamps[i]]
                kept = set(numbers)
                for j in previous:  # who left, and where a member that moved was
                    i = j if same else now.get(paths[j])
                    if i is None or i not in kept or stamps[j] != self.stamps[i]:
                        at.append(-stamps[j])
                if not at:
                    continue
                margin = self.window + len(at) + 1
                if min(len(numbers), len(previous)) <= 2 * margin:
                    affected.update(numbers)
                else:
                    for key in at:
                        p = bisect_left(keys, key)
                        affected.update(numbers[max(0, p - margin): p + margin + 1])
                if len(affected) > n * RANK_AGAIN_AT_MOST:
                    return None
        lists, last_lists = [], last["lists"]
        for i in range(n):
            if i in affected:
                lists.append(self.best(i))
            elif same:
                lists.append(last_lists[i])
            else:
                kept_list = tuple([now.get(paths[k]) for k in last_lists[old_of[i]]])
                lists.append(kept_list if None not in kept_list else self.best(i))
        return lists, affected if same else None

    def best(self, i: int) -> tuple[int, ...]:
        """Article ``i``'s related articles: most shared weight first, then nearest in date, then by path."""
        when = self.stamps[i]
        window = self.window
        pool: list[int] = []  # each candidate once per term it shares, as many times as the term's weight
        for (bucket, _, weight), slugs in zip(self.lookups, self.named(i), strict=True):
            for slug in slugs:
                numbers, keys = self.members(bucket[slug])
                if len(numbers) > 2 * window:  # only the neighbours nearest in date inside a large term
                    at = bisect_left(keys, -when)
                    numbers = numbers[max(0, at - window): at + window + 1]
                pool += numbers * weight if weight > 1 else numbers
        scores = Counter(pool)  # counted in C: 500 candidates an article at 10,000 articles
        scores.pop(i, None)
        if not scores:
            return ()
        # Only candidates scoring at least the k-th best score can win: rank those in full. The scores are a few
        # small integers, so the k-th best is found by counting each.
        need, floor = self.count, 0
        for floor, many in sorted(Counter(scores.values()).items(), reverse=True):
            need -= many
            if need <= 0:
                break
        stamps, articles = self.stamps, self.articles
        best = heapq.nsmallest(
            self.count, [e for e in scores.items() if e[1] >= floor],
            key=lambda e: (-e[1], abs(stamps[e[0]] - when), articles[e[0]].source_path),
        )
        return tuple(n for n, _ in best)


# A ranking's snapshot is kept in the memo as marshal's bytes, tagged with the Python that wrote them (marshal's format
# is its own): made in a third of pickle's time, and the memo's own pickle copies them whole (a campaigns edit at
# 10,000 articles writes and reads a new 2 MB snapshot). Its lists go under the ranking's key, what it read under
# that key and ``_READ``: a build whose graph is the last one's reads the lists alone (10,000 articles: 1.4 ms
# against 10 ms for the whole snapshot); only an update reads both.
_FROZEN = f"marshal:{sys.version}"
_READ = ":read"


def _frozen(value: Any) -> tuple[str, bytes]:
    return _FROZEN, marshal.dumps(value)


def _thawed(kept: Any) -> Any:
    """A part of a snapshot as the memo keeps it, read back; None when absent or written by another Python."""
    if not (isinstance(kept, tuple) and len(kept) == 2 and kept[0] == _FROZEN):
        return None
    return marshal.loads(kept[1])


def _last(memo: Memo, key: str) -> dict[str, Any] | None:
    """The snapshot kept under ``key``, both parts (without keeping them for the next build); None without one."""
    read, lists = _thawed(memo.peek(key + _READ)), _thawed(memo.peek(key))
    return None if read is None or lists is None else {**read, "lists": lists}


def attach(graph: SiteGraph, only: Collection[Any] | None = None, memo: Memo | None = None,
           inputs: str = "", changed: Collection[str] | None = None) -> str:
    """Set ``refs.related``, ``refs.previous`` and ``refs.next`` on every article (or on those in ``only``); with a
    ``memo``, the key of the ranking they are ("" without).

    The preview asks for one article's lists when it joins the graph again for a single edit.
    Ranking every article costs a second at 10,000 articles, so a build's ``memo`` keeps the
    lists under the ranking's signature: an edit that changes no article's terms, date or
    path reuses them; one that does ranks again only the articles it can reach (``_Ranking.update``).
    ``inputs``: a digest the caller already has of everything the ranking reads (the build's digest of the
    graph, Fingerprint.graph), the memo's key instead of the signature (0.08 s at 10,000 articles): a build
    with the last one's takes the lists as they are; another updates them from the last ranking, which
    compares every input anyway (``changed``: see ``_Ranking.update``).
    An article whose lists and neighbours are those of a ranking kept in the memo, the articles in the same order,
    has that ranking's key in ``refs.ranked_as``: its page shows the articles it showed in a build of that ranking
    (PortalWriter.keep_article_pages).
    """
    articles = graph.articles
    wanted = None if only is None else {id(a) for a in only}
    chosen = [i for i, a in enumerate(articles) if wanted is None or id(a) in wanted]
    ranking = _Ranking(graph)
    key = ""
    ranked, again = "", None  # the key of the ranking every chosen article's lists are of, but those ranked ``again``
    if memo is None or only is not None:
        lists = [ranking.best(i) for i in chosen]
    else:
        key = f"related-of:{inputs}:{ranking._config()!r}" if inputs else f"related:{ranking.signature()}"
        lists = _thawed(memo.get(key))
        if lists is None:  # an edit moved articles between terms: rank again what it reaches from the last ranking
            was = memo.get("related:last") or ""
            last = _last(memo, was)
            updated = ranking.update(last, changed) if last is not None else None
            if updated is None:
                lists = [ranking.best(i) for i in chosen]
            else:
                lists, again = updated
                if again is not None:
                    ranked = was
            read = ranking.snapshot(lists)
            memo.put(key, _frozen(read.pop("lists")))
            memo.put(key + _READ, _frozen(read))
            memo.put("related:last", key)
        else:
            memo.get(key + _READ)  # kept, unread, for the next build's update
            memo.put("related:last", key)  # the ranking of this build: the next one's pages are checked against it
            ranked, again = key, ()
    # One pass over the articles for all they get (each pass over 10,000 scattered objects: 0.01 s of an edit build).
    end = len(articles) - 1
    for i, numbers in zip(chosen, lists, strict=True):
        refs = articles[i].refs
        refs.previous = articles[i + 1] if i < end else None
        refs.next = articles[i - 1] if i > 0 else None
        refs.related = [articles[n] for n in numbers]
        if ranked and i not in again:
            refs.ranked_as = ranked
    return key
