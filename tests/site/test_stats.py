"""The statistics page (/thong-ke/) of the built sample portal, read as a reader (and a screen reader) gets it.

Every expected number is counted here from the content files with PyYAML
(tests/support.py), independently of the portal's reader, graph and stats module.
"""

from __future__ import annotations

from collections import Counter

import pytest

from support import ROOT, content_articles, content_honours, content_records, soup

CONTENT = ROOT / "content"
STAGE = {"conferred": 0, "proposed": 1}
CATEGORIES = {  # in the order of the law (domain.md §1), highest first
    "huan-chuong": "Huân chương", "danh-hieu-vinh-du": "Danh hiệu vinh dự Nhà nước", "giai-thuong": "Giải thưởng",
    "huy-chuong": "Huy chương", "danh-hieu-thi-dua": "Danh hiệu thi đua", "bang-khen": "Bằng khen",
    "ky-niem-chuong": "Kỷ niệm chương", "giay-khen": "Giấy khen",
}
CHARTS = ("theo-nam", "theo-loai", "theo-danh-hieu", "theo-tinh-thanh", "phong-trao", "cum-truong")


@pytest.fixture(scope="module")
def page(sample_site):
    return soup(sample_site, "/thong-ke/")


def _table(page, chart: str) -> dict[str, list[str]]:
    """First column's text -> the other cells' texts, of a chart's data table."""
    table = page.find("table", id=f"{chart}-bang")
    assert table is not None, chart
    return {tr.th.get_text(" ", strip=True): [td.get_text(" ", strip=True) for td in tr.find_all("td")]
            for tr in table.tbody.find_all("tr")}


def _stages(counter: Counter) -> dict[str, list[str]]:
    keys = {k for k, _ in counter}
    return {str(k): [str(counter[(k, 0)]), str(counter[(k, 1)]), str(counter[(k, 0)] + counter[(k, 1)])]
            for k in keys}


def _successor(slug: str | None, provinces: dict[str, dict]) -> str | None:
    if slug is None:
        return None
    return provinces[slug].get("merged_into") or slug


def test_honours_per_year_by_stage(page):
    honours = content_honours(CONTENT)
    expected = _stages(Counter((h["year"], STAGE[h["stage"]]) for h in honours))
    assert _table(page, "theo-nam") == expected
    assert len(expected) >= 5


def test_honours_per_category_and_award(page):
    awards = content_records(CONTENT, "awards")
    honours = content_honours(CONTENT)
    by_category = _stages(Counter((awards[h["award"]]["category"], STAGE[h["stage"]]) for h in honours))
    rows = _table(page, "theo-loai")
    assert list(rows) == list(CATEGORIES.values())  # every category, in the law's order, zeros included
    for code, label in CATEGORIES.items():
        assert rows[label] == by_category.get(code, ["0", "0", "0"]), label

    by_award = Counter((h["award"], STAGE[h["stage"]]) for h in honours)
    rows = _table(page, "theo-danh-hieu")
    slugs = sorted({a for a, _ in by_award}, key=lambda a: awards[a]["rank"])
    assert len(rows) == len(slugs)
    ranks = [int(cells[0]) for cells in rows.values()]
    assert ranks == sorted(ranks)  # highest honour first
    for slug in slugs:
        label = awards[slug].get("short_name") or awards[slug]["name"]
        assert rows[label] == [str(awards[slug]["rank"]), str(by_award[(slug, 0)]), str(by_award[(slug, 1)]),
                               str(by_award[(slug, 0)] + by_award[(slug, 1)])], slug
    footer = [td.get_text(strip=True) for td in page.find("table", id="theo-danh-hieu-bang").tfoot.find_all("td")]
    assert footer[-1] == str(len(honours))


def test_honours_and_articles_per_province_count_merged_units_in_their_successor(page):
    provinces = content_records(CONTENT, "provinces")
    exemplars = content_records(CONTENT, "exemplars")
    honours = Counter(_successor(exemplars[h["recipient"]].get("province"), provinces)
                      for h in content_honours(CONTENT))
    articles: Counter = Counter()
    for data in content_articles(CONTENT).values():
        articles.update({_successor(p, provinces) for p in data.get("provinces") or []} or {None})
    rows = _table(page, "theo-tinh-thanh")
    expected = {provinces[s]["name"]: [str(honours[s]), str(articles[s])]
                for s in set(honours) | set(articles) if s is not None}
    merged_rows = {}
    for label, cells in rows.items():
        if label.startswith("Không gắn tỉnh"):
            assert cells[1:] == [str(honours[None]), str(articles[None])]
            continue
        merged_rows[label] = cells[0]
        assert cells[1:] == expected.pop(label), label
    assert expected == {}
    # A merged unit is never a row of its own; its successor's row says it is included.
    assert not {provinces[s]["name"] for s in provinces if provinces[s].get("merged_into")} & set(merged_rows)
    assert "Bình Định" in merged_rows["Gia Lai"]
    assert honours["gia-lai"] >= 1  # Tỉnh Bình Định's honour (binh-dinh merged into gia-lai) is counted there


def test_most_active_campaigns(page):
    campaigns = content_records(CONTENT, "campaigns")
    articles: Counter = Counter()
    for data in content_articles(CONTENT).values():
        named = set(data.get("campaigns") or []) | set(data.get("event_for") or [])
        named |= {h["campaign"] for h in data.get("honours") or [] if h.get("campaign")}
        articles.update(named & set(campaigns))
    honours = Counter(h.get("campaign") for h in content_honours(CONTENT))
    rows = _table(page, "phong-trao")
    assert len(rows) == min(10, sum(1 for s in campaigns if articles[s] or honours[s]))
    by_label = {(d.get("short_name") or d["name"]): s for s, d in campaigns.items()}
    shown = [by_label[label] for label in rows]
    for slug, cells in zip(shown, rows.values(), strict=True):
        assert cells == [str(articles[slug]), str(honours[slug])], slug
    assert all(articles[s] <= articles[shown[-1]] for s in campaigns if s not in shown)


def test_cluster_leaders_by_year(page):
    clusters = content_records(CONTENT, "clusters")
    provinces = content_records(CONTENT, "provinces")
    led = {s: d for s, d in clusters.items() if d.get("leaders")}
    years = sorted({row["year"] for d in led.values() for row in d["leaders"]})
    table = page.find("table", id="cum-truong-bang")
    assert [th.get_text(strip=True) for th in table.thead.find_all("th")][1:] == [str(y) for y in years]
    rows = _table(page, "cum-truong")
    assert set(rows) == {d["name"] for d in led.values()}
    for data in led.values():
        cells = dict(zip(years, rows[data["name"]], strict=True))
        for row in data["leaders"]:
            assert provinces[row["leader"]]["name"] in cells[row["year"]]


def test_every_chart_is_an_svg_with_a_title_a_text_alternative_and_its_numbers_beneath(page):
    for chart in CHARTS:
        section = page.find("section", id=chart)
        svg = section.find("svg")
        assert svg["role"] == "img", chart
        title_id, desc_id = svg["aria-labelledby"].split()
        title, desc = svg.find(id=title_id), svg.find(id=desc_id)
        assert title.name == "title" and title.get_text(strip=True) == section.h2.get_text(strip=True)
        assert desc.name == "desc" and "bảng bên dưới" in desc.get_text()
        table = svg.find_parent("div", class_="chart").find("table")  # the numbers follow the chart
        assert table.caption.get_text(strip=True) == f"Bảng số liệu: {title.get_text(strip=True)}"
        assert len(table.tbody.find_all("tr")) >= 1


@pytest.mark.parametrize("chart", ["theo-nam", "theo-loai", "theo-danh-hieu"])
def test_stacked_bars_end_with_the_row_total(page, chart):
    svg = page.find("section", id=chart).find("svg")
    totals = [cells[-1] for cells in _table(page, chart).values()]
    drawn = [t.get_text() for t in svg.find_all("text") if t.get("dx")]
    assert drawn == totals


@pytest.mark.parametrize("chart", ["theo-tinh-thanh", "phong-trao"])
def test_side_by_side_bars_carry_each_number(page, chart):
    svg = page.find("section", id=chart).find("svg")
    values = [v for cells in _table(page, chart).values() for v in cells[-2:]]
    assert [t.get_text() for t in svg.find_all("text") if t.get("dx")] == values
    widths = [float(r["width"].rstrip("%")) for r in svg.find_all("rect") if r.get("width", "").endswith("%")]
    assert max(widths) == pytest.approx(84.0)  # the largest number spans the chart; the others scale to it


def test_headline_figures(page):
    figures = {div.dt.get_text(strip=True): div.dd.get_text(strip=True)
               for div in page.find("dl", class_="stats-figures").find_all("div")}
    honours = content_honours(CONTENT)
    assert figures["Tin bài"] == str(len(content_articles(CONTENT)))
    assert figures["Khen thưởng được ghi nhận"] == str(len(honours))
    assert figures["Đang được đề nghị"] == str(sum(h["stage"] == "proposed" for h in honours))
    assert figures["Điển hình tiên tiến"] == str(len(content_records(CONTENT, "exemplars")))


def test_statistics_are_linked_from_every_page(sample_site):
    for url in ("/", "/tin-tuc/", "/du-lieu/"):
        links = [a["href"] for a in soup(sample_site, url).select("nav a")]
        assert any(h.rstrip("/").endswith("thong-ke") for h in links), url
