"""The sitemap as a build unit: keyed by what its entries are made of (seo.sitemap_inputs), made only when it
changes."""

from __future__ import annotations

import itertools
from datetime import datetime
from functools import partial
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from portal import seo
from portal.generator import PortalGenerator
from portal.incremental import Fingerprint

SETTINGS = {"SITEURL": "", "PORTAL": {"site_url": "https://thidua.example.vn"}}
ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def _article(slug: str, day: int, **extra) -> SimpleNamespace:
    return SimpleNamespace(**{"url": f"tin-tuc/2024/{slug}/", "date": datetime(2024, 5, day, 8, 30, tzinfo=ZONE),
                              "scheduled": False, **extra})


def _graph(days: dict[str, int], campaigns: dict[str, list[str]], **extra: dict) -> SimpleNamespace:
    """Articles (slug -> day, listed newest first) and the campaigns naming them, as the graph holds them."""
    articles = {slug: _article(slug, day, **extra.get(slug, {})) for slug, day in days.items()}
    newest = sorted(articles.values(), key=lambda a: a.date, reverse=True)
    def scope(term: SimpleNamespace, graph: SimpleNamespace) -> list[tuple[str, str]]:
        return [("toan-quoc", "Toàn quốc")] if term.url.endswith("x/") else []

    facet = SimpleNamespace(url="phong-trao/pham-vi/{value}/", values=scope)
    taxonomy = SimpleNamespace(name="campaigns", index_url="phong-trao/", facets=[facet])
    terms = {slug: SimpleNamespace(url=f"phong-trao/{slug}/", articles=[a for a in newest if a.url in
                                                                         {articles[m].url for m in members}])
             for slug, members in campaigns.items()}
    return SimpleNamespace(articles=newest, taxonomies={"campaigns": taxonomy}, terms={"campaigns": terms})


DAYS = {"a": 3, "b": 2, "c": 1}
CAMPAIGNS = {"x": ["a", "c"], "y": ["b"]}


def _inputs(graph: SimpleNamespace, settings: dict = SETTINGS, pages: list | None = None) -> str:
    return seo.sitemap_inputs(graph, {"pages": pages or []}, settings, Fingerprint.address)


def _entries(graph: SimpleNamespace, pages: list | None = None) -> list:
    return seo.sitemap_entries(graph, {"pages": pages or []})


def test_the_inputs_follow_what_the_entries_are_made_of():
    base = _graph(DAYS, CAMPAIGNS)
    key = _inputs(base)
    assert _inputs(_graph(DAYS, CAMPAIGNS)) == key  # made again, by another build: the same key
    # c joins y, whose newest article stays b: the entries are the same, and so is the key (an edit of campaigns).
    joined = _graph(DAYS, {"x": ["a", "c"], "y": ["b", "c"]})
    assert _entries(joined) == _entries(base) and _inputs(joined) == key
    changed = {
        "a joins y, its newest": _graph(DAYS, {"x": ["a", "c"], "y": ["a", "b"]}),
        "b's date": _graph({**DAYS, "b": 4}, CAMPAIGNS),
        "a new article": _graph({**DAYS, "d": 5}, CAMPAIGNS),
        "c's modified date": _graph(DAYS, CAMPAIGNS, c={"modified": datetime(2024, 6, 1, tzinfo=ZONE)}),
        "a scheduled article": _graph(DAYS, CAMPAIGNS, a={"scheduled": True}),
        "a new campaign": _graph(DAYS, {**CAMPAIGNS, "z": ["c"]}),
    }
    for why, graph in changed.items():
        assert _entries(graph) != _entries(base), why
        assert _inputs(graph) != key, why
    page = SimpleNamespace(url="gioi-thieu/", date=None)
    assert _inputs(base, pages=[page]) != key
    assert _inputs(base, {**SETTINGS, "PORTAL": {"site_url": "https://thiduakhenthuong.example.vn"}}) != key


def test_equal_inputs_give_equal_entries():
    """Every way of spreading three articles over two campaigns, at two dates for b: equal keys, equal entries."""
    graphs = [_graph({**DAYS, "b": day}, {"x": list(x), "y": list(y)})
              for day in (2, 4)
              for x in itertools.chain.from_iterable(itertools.combinations("abc", n) for n in range(4))
              for y in itertools.chain.from_iterable(itertools.combinations("abc", n) for n in range(4))]
    by_key: dict[str, list] = {}
    for graph in graphs:
        assert by_key.setdefault(_inputs(graph), _entries(graph)) == _entries(graph)
    assert len(by_key) < len(graphs)  # some edits keep the sitemap


class _Session:
    """What PortalGenerator's units ask of a build's session: the last build's keys, by unit."""

    def __init__(self, last: dict[str, str]) -> None:
        self.last, self.keys = last, {}

    def kept_key(self, unit: str) -> None:
        return None  # the graph changed

    def reuse(self, unit: str, key: str, files: tuple[str, ...] = ()) -> bool:
        self.keys[unit] = key
        return self.last.get(unit) == key

    def produced(self, unit: str, files: tuple[str, ...]) -> None:
        pass


def _build(tmp_path: Path, graph: SimpleNamespace, last: dict[str, str], made: list, monkeypatch) -> dict[str, str]:
    """The sitemap step of a build whose graph changed; the keys it leaves."""
    step = SimpleNamespace(graph=graph, context={"pages": []}, settings=SETTINGS, output_path=str(tmp_path),
                           session=_Session(last))
    step._write_files = partial(PortalGenerator._write_files, step)
    step._write_unit = partial(PortalGenerator._write_unit, step)
    real = seo.sitemap_files
    with monkeypatch.context() as patch:
        patch.setattr(seo, "sitemap_files", lambda found, settings: made.append(found) or real(found, settings))
        PortalGenerator._write_sitemap(step)
    return step.session.keys


def test_a_build_whose_entries_are_made_of_the_same_does_not_make_the_sitemap(tmp_path, monkeypatch):
    made: list = []
    first = _build(tmp_path, _graph(DAYS, CAMPAIGNS), {}, made, monkeypatch)
    assert len(made) == 1 and "2024-05-03T08:30:00+07:00" in (tmp_path / "sitemap.xml").read_text()
    _build(tmp_path, _graph(DAYS, {"x": ["a", "c"], "y": ["b", "c"]}), first, made, monkeypatch)
    assert len(made) == 1  # c named one more campaign: kept as it is
    _build(tmp_path, _graph({**DAYS, "a": 4}, CAMPAIGNS), first, made, monkeypatch)
    assert len(made) == 2 and "2024-05-04T08:30:00+07:00" in (tmp_path / "sitemap.xml").read_text()
