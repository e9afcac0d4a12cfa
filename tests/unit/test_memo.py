"""Derived results kept between builds (cache.Memo): a bundle's words and the related articles.

A kept result must be the one a cold computation gives, and be reused only while its inputs are unchanged.
"""

from __future__ import annotations

import errno
from pathlib import Path

from portal import cache, related, search_words
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
    class FullDisk(cache.pickle.Pickler):
        def dump(self, obj):
            super().dump(obj)  # it reaches the file, then the disk is full
            raise OSError(errno.ENOSPC, "No space left on device")

    memo = Memo(tmp_path / "derived.pickle", "code")
    memo.put("a", 1)
    monkeypatch.setattr(cache.pickle, "Pickler", FullDisk)
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

    # An article joins a campaign the others name: every list is ranked again, as without a memo.
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
