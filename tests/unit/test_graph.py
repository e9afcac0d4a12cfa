"""The graph and the taxonomy engine, over real Pelican generators (no output written)."""

from __future__ import annotations

import shutil

import pytest

from support import DATA, pelican_context
from portal import profiles, search
from portal.graph import build_graph
from portal.taxonomies import TAXONOMIES
from portal.taxonomy import LaterPage, LaterPageError, Taxonomy, classify, ordered
from portal.vietnamese import sort_key


def test_terms_group_articles_newest_first(graph):
    campaign = graph.terms["campaigns"]["nong-thon-moi"]
    assert [a.slug for a in campaign.articles] == ["dak-lak-nhan-co-thi-dua", "cum-tay-nguyen-ky-giao-uoc"]
    assert graph.terms["campaigns"]["doi-moi-sang-tao"].articles == []
    assert sorted(graph.terms["years"]) == ["2023", "2024"]
    assert graph.terms["years"]["2023"].name == "Năm 2023"


def test_honour_campaign_and_recipient_classify_the_article(graph):
    article = graph.terms["years"]["2024"].articles[0]
    assert [r.slug for r in article.refs.exemplars] == ["tinh-dak-lak", "nguyen-thi-an"]
    assert {r.slug for r in article.refs.awards} == {"co-thi-dua-cua-chinh-phu", "huan-chuong-lao-dong-hang-ba"}


def test_successor_province_collects_predecessors_articles(graph):
    assert [a.slug for a in graph.terms["provinces"]["quang-ngai"].articles] == ["kon-tum-khen-thuong-giao-vien"]


def test_honours_of_an_exemplar_are_ordered_by_year_then_rank(graph):
    honours = graph.honours_by_recipient["nguyen-thi-an"]
    assert [(h.year, h.award.slug, h.stage) for h in honours] == [
        (2023, "huan-chuong-lao-dong-hang-ba", "proposed"),
        (2022, "bang-khen-cua-thu-tuong-chinh-phu", "conferred"),
        (2019, "chien-si-thi-dua-co-so", "conferred"),
    ]
    assert honours[-1].article is None  # the exemplar's own record


def test_related_articles_rank_shared_terms_and_exclude_self(graph):
    newest = graph.articles[0]
    assert newest not in newest.refs.related
    assert [a.slug for a in newest.refs.related] == ["cum-tay-nguyen-ky-giao-uoc", "kon-tum-khen-thuong-giao-vien"]
    assert newest.refs.next is None and newest.refs.previous is graph.articles[1]


def test_alias_slugs_resolve_to_the_record(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(DATA / "mini", content)
    path = content / "articles/2023/kon-tum-khen-thuong-giao-vien.md"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "provinces: [kon-tum]", "provinces: [kon-tum]\ncampaigns: [phong-trao-xay-dung-nong-thon-moi]"),
        encoding="utf-8")
    graph = pelican_context(content, tmp_path / "out")["portal"]
    assert "kon-tum-khen-thuong-giao-vien" in [a.slug for a in graph.terms["campaigns"]["nong-thon-moi"].articles]


def test_a_new_taxonomy_is_one_declaration(graph):
    """The engine is generic: a taxonomy of honour stages, with a search filter, and one of half-years that
    relates articles, need no new code in the engine, the search index or related articles."""
    stages = Taxonomy(
        "stages", "Giai đoạn", "giai-doan/{slug}/", "giai-doan/", "term", "term_index",
        classify=lambda a: [h.stage for h in a.refs.honours], term_name=str.capitalize,
        search_filter="giai-doan", search_label="Giai đoạn", search_noun="giai đoạn",
        of_exemplar=lambda t, g: sorted({h.stage for h in t.honours}),
    )
    halves = Taxonomy(
        "halves", "Sáu tháng", "sau-thang/{slug}/", "sau-thang/", "term", "term_index",
        classify=lambda a: [f"{a.date.year}-{1 if a.date.month <= 6 else 2}"], related_weight=1,
    )
    terms = classify([stages], graph.articles, graph.records.all)["stages"]
    assert {slug: [a.slug for a in t.articles] for slug, t in terms.items()} == {
        "proposed": ["dak-lak-nhan-co-thi-dua", "cum-tay-nguyen-ky-giao-uoc"],
        "conferred": ["dak-lak-nhan-co-thi-dua", "kon-tum-khen-thuong-giao-vien"],
    }
    assert [t.name for t in ordered(terms.values())] == sorted(["Proposed", "Conferred"], key=sort_key)

    def related(g):
        return {a.slug: [r.slug for r in a.refs.related] for a in g.articles}

    before = related(graph)
    assert "cum-tay-nguyen-ky-giao-uoc" not in before["kon-tum-khen-thuong-giao-vien"]
    extended, problems = build_graph(graph.records, graph.articles, [], [*TAXONOMIES, stages, halves], graph.config)
    assert problems == []
    # Search: every article and exemplar record carries the new filter, and the search page has its menu.
    filters = {r["url"]: r["filters"].get("giai-doan") for r in search.records(extended)}
    assert filters == {
        "/tin-tuc/2024/dak-lak-nhan-co-thi-dua/": ["conferred", "proposed"],
        "/tin-tuc/2023/kon-tum-khen-thuong-giao-vien/": ["conferred"],
        "/tin-tuc/2023/cum-tay-nguyen-ky-giao-uoc/": ["proposed"],
        "/dien-hinh/dao-van-binh/": None,
        "/dien-hinh/nguyen-thi-an/": ["conferred", "proposed"],
        "/dien-hinh/tinh-dak-lak/": ["conferred", "proposed"],
    }
    menu = {key: (label, [t.slug for t in menu_terms]) for key, label, menu_terms in search.menus(extended)}
    assert menu["giai-doan"] == ("Giai đoạn", ["conferred", "proposed"])
    assert "sau-thang" not in menu  # no filter declared, no menu
    # Related articles: the two articles of the first half of 2023 now share a term.
    after = related(extended)
    assert after["kon-tum-khen-thuong-giao-vien"] == [*before["kon-tum-khen-thuong-giao-vien"],
                                                      "cum-tay-nguyen-ky-giao-uoc"]
    assert after["cum-tay-nguyen-ky-giao-uoc"] == [*before["cum-tay-nguyen-ky-giao-uoc"],
                                                   "kon-tum-khen-thuong-giao-vien"]
    assert after["dak-lak-nhan-co-thi-dua"] == before["dak-lak-nhan-co-thi-dua"]


def test_a_taxonomy_declaration_says_what_it_lacks():
    with pytest.raises(TypeError, match="record_kind"):
        Taxonomy("x", "X", "x/{slug}/", "x/", "term", "term_index")
    with pytest.raises(TypeError, match="search_label and search_noun"):
        Taxonomy("x", "X", "x/{slug}/", "x/", "term", "term_index", record_kind="campaigns", search_filter="x")
    with pytest.raises(TypeError, match="later_pages_show goes with facts_from='records' or 'articles'"):
        Taxonomy("x", "X", "x/{slug}/", "x/", "term", "term_index", record_kind="campaigns", later_pages_show=())


def test_a_terms_facts_are_made_when_first_read_and_are_its_declarations(graph):
    """An edit build keeps most term pages: what only a term's own page shows is not made for them (Term.extra)."""
    terms = [t for bucket in graph.terms.values() for t in bucket.values()]
    assert [t.slug for t in terms if "extra" in vars(t)] == []
    profile = graph.terms["exemplars"]["nguyen-thi-an"]
    assert profile.best_honour.award.slug == "bang-khen-cua-thu-tuong-chinh-phu"  # a template's read makes them
    assert "extra" in vars(profile) and profile.extra == profiles.profile_context(profile, graph)
    assert profile.best_honour is profiles.best_honour(graph.honours_by_recipient["nguyen-thi-an"])
    assert "extra" not in vars(graph.terms["exemplars"]["tinh-dak-lak"])
    assert graph.terms["years"]["2024"].extra == {}  # a taxonomy that declares none
    with pytest.raises(AttributeError):
        profile.no_such_fact  # noqa: B018 - the read is the test


def test_terms_read_from_an_article_s_resolved_records_are_those_its_taxonomies_give(graph):
    """classify reads a record taxonomy's terms from ``refs.named`` directly; an article whose refs are not
    ArticleRefs goes through each taxonomy's terms_of, and both give the same terms in the same order."""

    class Refs:  # what terms_of reads of an article's refs, without being ArticleRefs
        def __init__(self, refs):
            self.of = refs.of

    class Plain:
        def __init__(self, article):
            self.__dict__.update(vars(article))
            self.refs = Refs(article.refs)
            self.original = article

    taxonomies = list(graph.taxonomies.values())
    records = graph.records.all
    fast = classify(taxonomies, graph.articles, records)
    slow = classify(taxonomies, [Plain(a) for a in graph.articles], records)
    assert {name: {slug: [a.slug for a in t.articles] for slug, t in terms.items()} for name, terms in fast.items()} \
        == {name: {slug: [a.original.slug for a in t.articles] for slug, t in terms.items()}
            for name, terms in slow.items()}
    assert any(t.articles for t in fast["campaigns"].values()) and any(t.articles for t in fast["years"].values())


def test_a_terms_later_pages_read_only_what_they_are_declared_to_show(graph):
    """The pages after a term page's first are rendered with a LaterPage: its names, address and record, and of
    its facts those its taxonomy declares (records alone); reading another, its articles or their count, is an
    error that says where to declare it, not an empty value, so those pages' keys cannot miss what they show."""
    term = graph.terms["campaigns"]["nong-thon-moi"]
    later = LaterPage(term)
    assert (later.slug, later.name, later.url, later.record) == (term.slug, term.name, term.url, term.record)
    assert later.parent is term.parent and later.shown == {"parent": term.parent}
    assert not hasattr(later, "__html__")  # what markupsafe asks of a value it prints
    for name in ("honours", "articles", "count", "latest", "extra"):
        with pytest.raises(LaterPageError, match=rf"term\.{name} .*later_pages_show"):
            getattr(later, name)
    cluster = LaterPage(next(iter(graph.terms["clusters"].values())))
    assert cluster.members == cluster.term.members and cluster.current == cluster.term.current
    with pytest.raises(LaterPageError):
        cluster.member_honours  # noqa: B018 - the read is the test
    province = LaterPage(next(iter(graph.terms["provinces"].values())))  # facts of records: province.html's block
    assert province.shown.keys() == {"successor", "predecessors"}
    for name in ("exemplars", "clusters", "count"):
        with pytest.raises(LaterPageError):
            getattr(province, name)
