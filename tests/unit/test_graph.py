"""The graph and the taxonomy engine, over real Pelican generators (no output written)."""

from __future__ import annotations

import shutil

from support import DATA, pelican_context
from portal.taxonomy import Taxonomy, classify, ordered
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
    """The engine is generic: a taxonomy of honour stages needs no new engine code."""
    stages = Taxonomy(
        "stages", "Giai đoạn", "giai-doan/{slug}/", "giai-doan/", "term", "term_index",
        classify=lambda a: [h.stage for h in a.refs.honours], term_name=str.capitalize,
    )
    terms = classify([stages], graph.articles, graph.records.all)["stages"]
    assert {slug: [a.slug for a in t.articles] for slug, t in terms.items()} == {
        "proposed": ["dak-lak-nhan-co-thi-dua", "cum-tay-nguyen-ky-giao-uoc"],
        "conferred": ["dak-lak-nhan-co-thi-dua", "kon-tum-khen-thuong-giao-vien"],
    }
    assert [t.name for t in ordered(terms.values())] == sorted(["Proposed", "Conferred"], key=sort_key)
