"""Whole-site checks on the small content tree, where every expectation is known."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from support import run_build, soup

ATOM = "{http://www.w3.org/2005/Atom}"


def test_profile_orders_honours_by_year_then_rank_and_marks_proposals(mini_site):
    page = soup(mini_site, "/dien-hinh/nguyen-thi-an/")
    rows = page.select("table.honours tbody tr")
    cells = [[td.get_text(" ", strip=True) for td in row.find_all("td")] for row in rows]
    assert [c[0] for c in cells] == ["2023", "2022", "2019"]
    assert cells[0][1] == "Huân chương Lao động hạng Ba"
    assert rows[0]["class"] == ["is-proposed"] and "Đề nghị" in cells[0][2]
    assert rows[1]["class"] == ["is-conferred"] and "Đã tặng" in cells[1][2]
    # Each honour links to its award page and to the article that reports it (two different articles).
    assert rows[0].find("a", href="/khen-thuong/huan-chuong-lao-dong-hang-ba/")
    assert rows[0].find("a", href="/tin-tuc/2024/dak-lak-nhan-co-thi-dua/")
    assert rows[1].find("a", href="/tin-tuc/2023/kon-tum-khen-thuong-giao-vien/")
    assert "Hồ sơ điển hình" in cells[2][3]  # the exemplar's own record, no article


def test_same_year_honours_are_ordered_by_legal_rank(mini, tmp_path):
    path = mini / "articles/2024/dak-lak-nhan-co-thi-dua.md"
    text = path.read_text(encoding="utf-8").replace(
        "  - {recipient: nguyen-thi-an,",
        "  - {recipient: nguyen-thi-an, award: chien-si-thi-dua-co-so, year: 2023}\n  - {recipient: nguyen-thi-an,")
    path.write_text(text, encoding="utf-8")
    assert run_build(mini, tmp_path / "out").returncode == 0
    rows = soup(tmp_path / "out", "/dien-hinh/nguyen-thi-an/").select("table.honours tbody tr")
    awards = [r.find_all("td")[1].get_text(" ", strip=True) for r in rows if r.td.get_text() == "2023"]
    assert awards == ["Huân chương Lao động hạng Ba", "Chiến sĩ thi đua cơ sở"]


def test_campaign_page_lists_exactly_its_articles_newest_first(mini_site):
    page = soup(mini_site, "/phong-trao/nong-thon-moi/")
    links = [a["href"] for a in page.select(".term-articles .card__title a")]
    assert links == ["/tin-tuc/2024/dak-lak-nhan-co-thi-dua/", "/tin-tuc/2023/cum-tay-nguyen-ky-giao-uoc/"]
    assert "Thủ tướng Chính phủ" in page.select_one(".facts").get_text()
    assert "08/06/2011" in page.select_one(".facts").get_text()


def test_record_without_articles_still_has_its_page(mini_site):
    page = soup(mini_site, "/phong-trao/doi-moi-sang-tao/")
    assert page.h1.get_text(strip=True) == "Đổi mới sáng tạo trong dạy và học"
    assert page.select(".term-articles .card") == []


def test_campaign_index_groups_by_scope_with_counts(mini_site):
    page = soup(mini_site, "/phong-trao/")
    groups = {s.h2.get_text(" ", strip=True): s for s in page.select("section.term-group")}
    assert list(groups) == ["Toàn quốc (2)", "Bộ, ngành, đoàn thể (1)"]
    national = groups["Toàn quốc (2)"].get_text(" ", strip=True)
    assert "Cả nước chung sức xây dựng nông thôn mới 2 tin" in national


def test_award_index_orders_by_rank_within_category_and_lists_recipients(mini_site):
    page = soup(mini_site, "/khen-thuong/")
    headings = [s.h2.get_text(" ", strip=True) for s in page.select("section.term-group")]
    assert headings == ["Huân chương (1)", "Danh hiệu thi đua (2)", "Bằng khen (1)"]
    titles = [a.get_text() for a in page.select("section.term-group")[1].select("li > a:first-child")]
    assert titles == ["Cờ thi đua của Chính phủ", "Chiến sĩ thi đua cơ sở"]
    assert page.find("a", href="/dien-hinh/tinh-dak-lak/")


def test_merged_province_links_to_its_successor_which_lists_its_news(mini_site):
    kon_tum = soup(mini_site, "/tinh-thanh/kon-tum/")
    assert kon_tum.find("a", href="/tinh-thanh/quang-ngai/")
    quang_ngai = soup(mini_site, "/tinh-thanh/quang-ngai/")
    assert quang_ngai.find("a", href="/tinh-thanh/kon-tum/")
    assert [a["href"] for a in quang_ngai.select(".term-articles .card__title a")] == [
        "/tin-tuc/2023/kon-tum-khen-thuong-giao-vien/"]
    index = soup(mini_site, "/tinh-thanh/").get_text(" ", strip=True)
    assert "Kon Tum 1 tin Đã sáp nhập vào Quảng Ngãi" in index


def test_cluster_page_shows_members_and_leaders(mini_site):
    page = soup(mini_site, "/cum-khoi-thi-dua/cum-tay-nguyen/")
    assert [a["href"] for a in page.select(".member-list a")] == ["/tinh-thanh/dak-lak/", "/tinh-thanh/kon-tum/"]
    row = [c.get_text(strip=True) for c in page.select("tbody tr")[0].find_all(["th", "td"])]
    assert row == ["2023", "Đắk Lắk", "Kon Tum"]


def test_article_page_as_a_reader_sees_it(mini_site):
    page = soup(mini_site, "/tin-tuc/2024/dak-lak-nhan-co-thi-dua/")
    assert [li.get_text(strip=True) for li in page.select("nav.breadcrumbs li")] == [
        "Trang chủ", "Tin tức", "Năm 2024", "Đắk Lắk nhận Cờ thi đua của Chính phủ"]
    assert page.select_one("time").get_text(strip=True).startswith("Thứ Hai, 15/01/2024")
    chips = {a["href"] for a in page.select("ul.chips a.chip")}
    assert {"/phong-trao/nong-thon-moi/", "/phong-trao/vi-nguoi-ngheo/", "/tinh-thanh/dak-lak/",
            "/dien-hinh/tinh-dak-lak/", "/dien-hinh/nguyen-thi-an/"} <= chips
    box = page.select_one("table.honours")
    assert "Quyết định số 12/QĐ-TTg" in box.get_text()
    assert page.select_one("nav.prev-next a[rel=prev]")["href"] == "/tin-tuc/2023/kon-tum-khen-thuong-giao-vien/"
    assert page.select_one("nav.prev-next a[rel=next]") is None
    related = [a["href"] for a in page.select("section.related .card__title a")]
    # Shares exemplar tinh-dak-lak (3) + campaign (2) + province (1) + award (1) with the 2023 cluster article.
    assert related[0] == "/tin-tuc/2023/cum-tay-nguyen-ky-giao-uoc/"


def test_alias_redirects_to_the_record(mini_site):
    page = soup(mini_site, "/phong-trao/phong-trao-xay-dung-nong-thon-moi/")
    assert page.find("link", rel="canonical")["href"] == "/phong-trao/nong-thon-moi/"
    assert "url=/phong-trao/nong-thon-moi/" in page.find("meta", attrs={"http-equiv": "refresh"})["content"]


def test_every_term_has_an_atom_feed(mini_site):
    feed = ET.parse(mini_site / "phong-trao/nong-thon-moi/atom.xml").getroot()
    titles = [e.findtext(f"{ATOM}title") for e in feed.iter(f"{ATOM}entry")]
    assert titles == ["Đắk Lắk nhận Cờ thi đua của Chính phủ", "Cụm Tây Nguyên ký giao ước thi đua"]
    site = ET.parse(mini_site / "tin-tuc/atom.xml").getroot()
    assert len(list(site.iter(f"{ATOM}entry"))) == 3
    assert (mini_site / "dien-hinh/nguyen-thi-an/atom.xml").exists()


def test_directory_filters_work_without_javascript(mini_site):
    people = soup(mini_site, "/dien-hinh/loai/ca-nhan/")
    assert [a.get_text() for a in people.select(".exemplar-card__name")] == ["Đào Văn Bình", "Nguyễn Thị An"]
    dak_lak = soup(mini_site, "/dien-hinh/tinh-thanh/dak-lak/")
    assert [a.get_text() for a in dak_lak.select(".exemplar-card__name")] == ["Đào Văn Bình", "Tỉnh Đắk Lắk"]


def test_honour_roll_lists_conferred_top_honours_only(mini_site):
    roll = soup(mini_site, "/dien-hinh/").select_one("section.honour-roll")
    # Cờ thi đua của Chính phủ (rank 71), conferred to Tỉnh Đắk Lắk for 2023, qualifies; Nguyễn Thị An's
    # Huân chương is only proposed and her conferred Bằng khen (rank 75) is below the line.
    assert [a["href"] for a in roll.select("li > a:first-child")] == ["/dien-hinh/tinh-dak-lak/"]


def test_metadata_html_is_shown_as_text_never_run(mini, tmp_path):
    path = mini / "articles/2023/kon-tum-khen-thuong-giao-vien.md"
    path.write_text(path.read_text(encoding="utf-8").replace(
        'title: "Kon Tum khen thưởng giáo viên"',
        'title: "<script>alert(1)</script> Kon Tum \\" onmouseover=x"\nsummary: "<img src=x onerror=alert(2)>"'),
        encoding="utf-8")
    exemplar = mini / "exemplars/dao-van-binh.md"
    exemplar.write_text(exemplar.read_text(encoding="utf-8").replace(
        'name: "Đào Văn Bình"', 'name: "Đào <b>Văn</b> Bình"'), encoding="utf-8")
    result = run_build(mini, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    out = tmp_path / "out"
    ld_json = re.compile(r'<script type="application/ld\+json">([^<]*)</script>')  # data, never run
    escaped = 0
    for html_file in (p for p in out.rglob("*.html") if p.parent != out / "admin"):  # admin: Decap CMS
        text = html_file.read_text(encoding="utf-8").replace('<script type="module" src="/theme/js/search.js">', "")
        blocks = ld_json.findall(text)
        escaped += sum("\\u003cscript\\u003ealert(1)\\u003c/script\\u003e" in b for b in blocks)
        text = ld_json.sub("", text)
        assert "<script" not in text and "<img src=x" not in text and "<b>Văn</b>" not in text, html_file
    assert escaped >= 2  # the article's NewsArticle and BreadcrumbList carry the title, escaped
    page = soup(out, "/tin-tuc/2023/kon-tum-khen-thuong-giao-vien/")
    assert page.h1.get_text() == '<script>alert(1)</script> Kon Tum " onmouseover=x'
    assert "<b>Văn</b>" in soup(out, "/dien-hinh/dao-van-binh/").h1.get_text()


def test_nfd_input_is_normalised_silently(mini, tmp_path):
    import unicodedata
    path = mini / "articles/2023/kon-tum-khen-thuong-giao-vien.md"
    path.write_text(unicodedata.normalize("NFD", path.read_text(encoding="utf-8")), encoding="utf-8")
    result = run_build(mini, tmp_path / "out", strict=True)
    assert result.returncode == 0, result.stderr
    title = soup(tmp_path / "out", "/tin-tuc/2023/kon-tum-khen-thuong-giao-vien/").h1.get_text()
    assert title == "Kon Tum khen thưởng giáo viên" == unicodedata.normalize("NFC", title)
