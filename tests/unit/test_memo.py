"""Derived results kept between builds (cache.Memo): a bundle's words and the related articles.

A kept result must be the one a cold computation gives, and be reused only while its inputs are unchanged.
"""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from portal import related, search_words
from portal.cache import Memo
from portal.search import Bundle
from portal.taxonomy import classify


def test_only_the_entries_a_build_used_are_saved_under_its_salt(tmp_path: Path):
    path = tmp_path / "derived.pickle"
    memo = Memo(path, "code 1")
    memo.put("a", 1)
    memo.put("b", 2)
    memo.save()
    again = Memo(path, "code 1")
    assert again.get("a") == 1
    again.save()  # "b" was not used
    assert Memo(path, "code 1").get("b") is None
    assert Memo(path, "code 2").get("a") is None  # other code: nothing is reused
    written = path.stat().st_mtime_ns
    same = Memo(path, "code 1")
    assert same.fetch("a", lambda: 99) == 1
    same.save()
    assert path.stat().st_mtime_ns == written  # nothing changed: the file is not written again
    dropped = Memo(path, "code 1")
    dropped.drop()  # a full build
    assert dropped.get("a") is None


def test_a_memo_that_cannot_be_saved_does_not_fail_the_build(tmp_path: Path, monkeypatch):
    class FullDisk:
        def __init__(self, file):
            self.file = file

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.file.close()

        def write(self, data):
            self.file.write(bytes(data)[:8])  # it reaches the file, then the disk is full
            raise OSError(errno.ENOSPC, "No space left on device")

    opened = Path.open

    def open_full(path, mode="r", *args, **kwargs):
        file = opened(path, mode, *args, **kwargs)
        return FullDisk(file) if "w" in mode else file

    memo = Memo(tmp_path / "derived.pickle", "code")
    memo.put("a", 1)
    monkeypatch.setattr(Path, "open", open_full)
    memo.save()
    assert list(tmp_path.iterdir()) == []  # no half-written file either


def _bundles(*texts: str) -> list[Bundle]:
    def item(text: str) -> dict:
        return {"url": f"/{text}/", "content": text, "meta": {"ngay": ""}, "filters": {}, "sort": {"date": "2024"}}

    return [Bundle(0, [item("Tìm kiếm")]), *(Bundle(n, [item(t), item(t + " đua")]) for n, t in enumerate(texts, 1))]


def test_summarise_tokenises_only_the_bundles_that_changed(tmp_path: Path, monkeypatch):
    calls: list[int] = []

    def counted(texts):
        calls.append(1)
        return words_of(texts)

    words_of = search_words.words_of
    monkeypatch.setattr(search_words, "words_of", counted)
    path = tmp_path / "derived.pickle"
    memo = Memo(path, "code")
    first = search_words.summarise(_bundles("Thi đua yêu nước", "Nông thôn mới", "Đắk Lắk"), memo)
    memo.save()
    assert len(calls) == 3
    calls.clear()
    edited = _bundles("Thi đua yêu nước", "Nông thôn mới hôm nay", "Đắk Lắk")  # new objects, one bundle changed
    memo = Memo(path, "code")
    second = search_words.summarise(edited, memo)
    assert len(calls) == 1
    cold = search_words.summarise(edited)
    assert (second.files, second.postings) == (cold.files, cold.postings) != (first.files, first.postings)


def test_related_lists_are_reused_until_an_article_names_other_terms(graph, tmp_path: Path, monkeypatch):
    ranked: list[int] = []
    best = related._Ranking.best

    def counted(self, i):
        ranked.append(i)
        return best(self, i)

    def lists():
        return [[r.source_path for r in a.refs.related] for a in graph.articles]

    related.attach(graph)
    cold = lists()
    monkeypatch.setattr(related._Ranking, "best", counted)
    path = tmp_path / "derived.pickle"
    memo = Memo(path, "code")
    related.attach(graph, memo=memo)
    memo.save()
    assert len(ranked) == len(graph.articles) and lists() == cold
    ranked.clear()
    for article in graph.articles:
        article.refs.related = []
    related.attach(graph, memo=Memo(path, "code"))
    assert ranked == [] and lists() == cold  # the same terms, dates and paths: the lists are reused

    # An article joins a campaign the others name: the lists it can reach are ranked again (in a graph this small,
    # every one), and each is what ranking without a memo gives.
    graph.articles[1].refs.name(graph.articles[0].refs.campaigns[0])
    graph.terms = classify(graph.taxonomies.values(), graph.articles, graph.records.all)
    memo = Memo(path, "code")
    related.attach(graph, memo=memo)
    assert len(ranked) == len(graph.articles)
    changed = lists()
    related.attach(graph)
    assert changed == lists() != cold
    ranked.clear()
    related.attach(graph, only=[graph.articles[0]], memo=Memo(path, "code"))  # the preview's one article
    assert ranked == [0]


def test_related_lists_keyed_by_the_caller_s_digest_are_updated_when_it_changes(graph, tmp_path: Path, monkeypatch):
    """A build keys the lists by its graph's digest (``inputs``): the same digest takes them as they are; a new
    one updates them from the last ranking, which ranks nothing again when no term, date or path changed."""
    ranked: list[int] = []
    best = related._Ranking.best
    monkeypatch.setattr(related._Ranking, "best", lambda self, i: ranked.append(i) or best(self, i))
    monkeypatch.setattr(related._Ranking, "signature", lambda self: pytest.fail("a keyed build made the signature"))
    path = tmp_path / "derived.pickle"

    def attach(inputs: str) -> list[list[str]]:
        ranked.clear()
        memo = Memo(path, "code")
        related.attach(graph, memo=memo, inputs=inputs)
        memo.save()
        return [[r.source_path for r in a.refs.related] for a in graph.articles]

    cold = attach("g1")
    assert len(ranked) == len(graph.articles)
    assert attach("g1") == cold and ranked == []
    assert attach("g2") == cold and ranked == []  # a title changed, say: the update finds nothing to rank
    graph.articles[1].refs.name(graph.articles[0].refs.campaigns[0])
    graph.terms = classify(graph.taxonomies.values(), graph.articles, graph.records.all)
    changed = attach("g3")
    assert ranked
    related.attach(graph)
    assert changed == [[r.source_path for r in a.refs.related] for a in graph.articles] != cold
    # The snapshots are marshal's bytes: written by another Python, they are not read, and everything is ranked.
    monkeypatch.setattr(related, "_FROZEN", "marshal:another Python")
    assert attach("g3") == changed and len(ranked) == len(graph.articles)


def _random_graph(rng, articles: list[dict], window: int):
    """A graph as related._Ranking reads it: taxonomies with weights, terms with their articles newest first."""
    from datetime import datetime, timedelta, timezone
    from types import SimpleNamespace

    start = datetime(2024, 1, 1, tzinfo=timezone.utc)
    objects = [SimpleNamespace(source_path=a["path"], date=start + timedelta(hours=a["hour"]), tags=a["tags"])
               for a in articles]
    objects.sort(key=lambda a: a.source_path)
    objects.sort(key=lambda a: a.date, reverse=True)
    taxonomies = {name: SimpleNamespace(name=name, related_weight=weight,
                                        named_by=lambda a, name=name: a.tags.get(name, []))
                  for name, weight in (("exemplars", 3), ("campaigns", 1), ("provinces", 1))}
    terms = {name: {} for name in taxonomies}
    for article in objects:
        for name in taxonomies:
            for slug in dict.fromkeys(article.tags.get(name, [])):
                terms[name].setdefault(slug, SimpleNamespace(articles=[])).articles.append(article)
    # A merged unit's articles are listed on its successor's page too, though they do not name it.
    successor = terms["provinces"].setdefault("p0", SimpleNamespace(articles=[]))
    for article in objects:
        if "p1" in article.tags.get("provinces", []) and article not in successor.articles:
            successor.articles.append(article)
    successor.articles.sort(key=lambda a: (-a.date.timestamp(), a.source_path))
    config = SimpleNamespace(related_count=3, related_window=window)
    return SimpleNamespace(articles=objects, taxonomies=taxonomies, terms=terms, config=config)


def _random_article(rng, n: int) -> dict:
    tags = {name: rng.sample([f"{name[0]}{k}" for k in range(size)], rng.randint(0, 2))
            for name, size in (("exemplars", 12), ("campaigns", 5), ("provinces", 4))}
    return {"path": f"a/{n:04d}.md", "hour": rng.randint(0, 400), "tags": tags}


def test_an_edit_ranks_again_only_the_articles_it_reaches_and_gives_what_ranking_them_all_gives(monkeypatch):
    """related._Ranking.update against ranking every article, over random edits of every kind."""
    import random

    monkeypatch.setattr(related, "RANK_AGAIN_AT_MOST", 1.0)  # small graphs: never fall back to ranking all
    rng = random.Random(16)
    reused = quiet = 0
    ranked_again = []
    for trial in range(300):
        window = rng.choice([2, 3, 60])
        articles = [_random_article(rng, n) for n in range(rng.choice([rng.randint(20, 90), 300]))]
        ranking = related._Ranking(_random_graph(rng, articles, window))
        last = ranking.snapshot([ranking.best(i) for i in range(len(ranking.articles))])
        ranking.signature()
        touched = set()  # the paths of the articles edited, added or removed (what Session.changed_articles gives)
        for _ in range(rng.randint(1, 3)):
            kind = rng.choice(["terms", "date", "delete", "add", "merged"])
            article = rng.choice(articles)
            if kind == "terms":
                article["tags"] = _random_article(rng, 0)["tags"]
            elif kind == "date":
                article["hour"] = rng.randint(0, 400)
            elif kind == "delete" and len(articles) > 5:
                articles.remove(article)
            elif kind == "add":
                article = _random_article(rng, 1000 + trial)
                articles.append(article)
            elif kind == "merged":  # an article of the merged unit: it joins the successor's list without naming it
                article["tags"]["provinces"] = ["p1"]
            touched.add(article["path"])
        edited = related._Ranking(_random_graph(rng, articles, window))
        full = [edited.best(i) for i in range(len(edited.articles))]
        edited.signature()
        calls = []
        best = edited.best
        edited.best = lambda i: calls.append(i) or best(i)
        updated = edited.update(last)
        if updated is not None:
            lists, again = updated
            reused += 1
            ranked_again.append(len(calls) / len(full))
            assert lists == full, f"trial {trial}"
            # Told which articles changed, the update takes the others' names from the last ranking: the same lists.
            # A quiet update (told, in the last order) reads only the terms that hold or held a changed article: its
            # snapshot for the next build is the one ranking them all gives.
            told = related._Ranking(_random_graph(rng, articles, window))
            assert told.update(last, touched) == (lists, again)
            assert told.snapshot(lists) == edited.snapshot(full), f"trial {trial}"
            quiet += again is not None and len(told._members) < len(edited._members)
            paths = [a.source_path for a in edited.articles]
            if again is None:  # told only when the articles are the last ranking's, in its order
                assert paths != last["paths"]
            else:  # every article not ranked again shows what it showed: its page may be kept unkeyed
                assert paths == last["paths"]
                assert all(full[i] == last["lists"][i] for i in range(len(full)) if i not in again), f"trial {trial}"
                assert again.issuperset(calls)
    assert reused > 250  # only a change of settings falls back
    assert quiet > 20  # and in many, reads fewer terms than ranking all
    assert sum(share < 0.25 for share in ranked_again) > 40  # windows in large terms: many edits reach few
