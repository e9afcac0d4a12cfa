"""Search-engine metadata, read from the built pages: JSON-LD, Open Graph, canonical URLs,
sitemap.xml, robots.txt and the Atom feeds.

Expectations are written out from the content files (tests/data/mini), not derived
through the plugin. Profiles list only *conferred* honours as schema.org ``award``:
a proposal (stage: proposed) has not been won yet, so it is not an award.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path
from urllib.parse import urlparse

import feedparser
import pytest
from bs4 import BeautifulSoup
from support import DATA, run_build, soup

LD_JSON = re.compile(r'<script type="application/ld\+json">([^<]*)</script>')
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SITEURL = "https://thidua.example.vn"
ARTICLE = "/tin-tuc/2024/dak-lak-nhan-co-thi-dua/"


def _html_files(site: Path) -> list[Path]:
    return [p for p in site.rglob("*.html") if "admin" not in p.relative_to(site).parts]


def _is_redirect(text: str) -> bool:
    return 'http-equiv="refresh"' in text


def _jsonld(site: Path, url: str) -> list[dict]:
    path = site / url.strip("/") / "index.html"
    return [json.loads(block) for block in LD_JSON.findall(path.read_text(encoding="utf-8"))]


def _of_type(blocks: list[dict], kind: str) -> dict:
    found = [b for b in blocks if b["@type"] == kind]
    assert len(found) == 1, (kind, blocks)
    return found[0]


def _og(page, prop: str) -> list[str]:
    return [m["content"] for m in page.find_all("meta", attrs={"property": prop})]


def _url_of(site: Path, html: Path) -> str:
    rel = html.relative_to(site).as_posix()
    return "/" + (rel.removesuffix("index.html"))


@pytest.fixture(scope="module")
def production_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini tree built with publishconf.py for the site's address: every URL that leaves the page absolute."""
    output = tmp_path_factory.mktemp("prod") / "output"
    result = run_build(DATA / "mini", output, settings="publishconf.py", env={"PORTAL_SITE_URL": SITEURL + "/"})
    assert result.returncode == 0, result.stdout + result.stderr
    return output


# JSON-LD ---------------------------------------------------------------------
def test_article_jsonld_is_a_news_article_matching_the_page(mini_site):
    page = soup(mini_site, ARTICLE)
    article = _of_type(_jsonld(mini_site, ARTICLE), "NewsArticle")
    assert article["@context"] == "https://schema.org"
    assert article["headline"] == page.h1.get_text() == "Đắk Lắk nhận Cờ thi đua của Chính phủ"
    assert article["datePublished"] == "2024-01-15T09:00:00+07:00"
    assert datetime.fromisoformat(article["datePublished"]).utcoffset().total_seconds() == 7 * 3600
    assert article["dateModified"] == "2024-01-15T09:00:00+07:00"
    assert [a["name"] for a in article["author"]] == [page.select_one(".article__byline").get_text()]
    assert article["publisher"] == {"@type": "Organization", "name": "Thi đua – Khen thưởng", "url": "/",
                                    "logo": {"@type": "ImageObject", "url": "/theme/img/logo.svg"}}
    assert article["url"] == article["mainEntityOfPage"] == ARTICLE
    assert article["keywords"] == ["Cả nước chung sức xây dựng nông thôn mới",
                                   "Vì người nghèo - Không để ai bị bỏ lại phía sau"]


def test_profile_jsonld_names_conferred_honours_only(mini_site):
    person = _of_type(_jsonld(mini_site, "/dien-hinh/nguyen-thi-an/"), "Person")
    assert person["name"] == "Nguyễn Thị An" and person["jobTitle"] == "Giáo viên"
    assert person["address"]["addressRegion"] == "Kon Tum"
    # Huân chương Lao động hạng Ba (2023) is only proposed: not an award.
    assert person["award"] == ["Bằng khen của Thủ tướng Chính phủ (2022)", "Chiến sĩ thi đua cơ sở (2019)"]
    locality = _of_type(_jsonld(mini_site, "/dien-hinh/tinh-dak-lak/"), "GovernmentOrganization")
    assert locality["award"] == ["Cờ thi đua của Chính phủ (2023)"]  # the 2022 proposal is left out
    assert "award" not in _of_type(_jsonld(mini_site, "/dien-hinh/dao-van-binh/"), "Person")  # none received


def test_breadcrumb_list_matches_the_visible_breadcrumbs(mini_site):
    checked = 0
    for html in _html_files(mini_site):
        page = soup(mini_site, str(html.relative_to(mini_site)))
        nav = page.select_one("nav.breadcrumbs")
        blocks = [json.loads(b) for b in LD_JSON.findall(html.read_text(encoding="utf-8"))]
        lists = [b for b in blocks if b["@type"] == "BreadcrumbList"]
        if nav is None:
            assert lists == [], html
            continue
        items = _of_type(blocks, "BreadcrumbList")["itemListElement"]
        crumbs = nav.select("li")
        assert [i["position"] for i in items] == list(range(1, len(crumbs) + 1)), html
        assert [i["name"] for i in items] == [li.get_text(strip=True) for li in crumbs], html
        links = [li.a["href"] for li in crumbs[:-1]]
        assert [i["item"] for i in items[:-1]] == links, html
        assert items[-1]["item"] == re.sub(r"trang/\d+/$", "", _url_of(mini_site, html)), html
        checked += 1
    assert checked > 10


# Open Graph and canonical ----------------------------------------------------
def test_open_graph_of_an_article(mini_site):
    page = soup(mini_site, ARTICLE)
    assert _og(page, "og:type") == ["article"]
    assert _og(page, "og:title") == ["Đắk Lắk nhận Cờ thi đua của Chính phủ"]
    assert _og(page, "og:url") == [ARTICLE]
    assert _og(page, "og:image") == ["/theme/img/logo.svg"]
    assert _og(page, "og:locale") == ["vi_VN"]
    assert _og(page, "og:site_name") == ["Thi đua – Khen thưởng"]
    assert _og(page, "article:published_time") == ["2024-01-15T09:00:00+07:00"]
    assert _og(page, "article:modified_time") == ["2024-01-15T09:00:00+07:00"]
    assert len(page.select(".article__tags a[href^='/phong-trao/']")) == 2  # one tag per campaign
    assert _og(page, "article:tag") == ["Cả nước chung sức xây dựng nông thôn mới",
                                        "Vì người nghèo - Không để ai bị bỏ lại phía sau"]


def test_open_graph_types_of_profiles_and_other_pages(mini_site):
    assert _og(soup(mini_site, "/dien-hinh/nguyen-thi-an/"), "og:type") == ["profile"]
    assert _og(soup(mini_site, "/dien-hinh/tinh-dak-lak/"), "og:type") == ["website"]
    home = soup(mini_site, "/")
    assert _og(home, "og:type") == ["website"] and _og(home, "og:url") == ["/"]
    assert _og(home, "article:published_time") == []


def test_every_page_has_one_canonical_url_of_itself(mini_site):
    for html in _html_files(mini_site):
        page = soup(mini_site, str(html.relative_to(mini_site)))
        canonical = page.find_all("link", rel="canonical")
        assert len(canonical) == 1, html
        if not _is_redirect(html.read_text(encoding="utf-8")):  # a redirect points at its target
            assert canonical[0]["href"] == _url_of(mini_site, html), html
            assert _og(page, "og:url") == [canonical[0]["href"]], html


def test_urls_are_absolute_when_the_address_is_set(production_site):
    page = soup(production_site, ARTICLE)
    assert page.find("link", rel="canonical")["href"] == SITEURL + ARTICLE
    assert _og(page, "og:url") == [SITEURL + ARTICLE]
    assert _og(page, "og:image") == [SITEURL + "/theme/img/logo.svg"]
    article = _of_type(_jsonld(production_site, ARTICLE), "NewsArticle")
    assert article["url"] == SITEURL + ARTICLE and article["publisher"]["url"] == SITEURL + "/"
    crumbs = _of_type(_jsonld(production_site, ARTICLE), "BreadcrumbList")["itemListElement"]
    assert all(i["item"].startswith(SITEURL + "/") for i in crumbs)
    robots = (production_site / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {SITEURL}/sitemap.xml" in robots.splitlines()
    locs = [e.text for e in ET.parse(production_site / "sitemap.xml").getroot().iter(f"{SITEMAP}loc")]
    assert locs and all(loc.startswith(SITEURL + "/") for loc in locs)
    feed = feedparser.parse((production_site / "tin-tuc" / "atom.xml").read_bytes())
    assert feed.feed.id == SITEURL + "/" and feed.feed.link == SITEURL + "/"
    assert all(e.id.startswith("tag:thidua.example.vn,") and e.link.startswith(SITEURL + "/") for e in feed.entries)


def test_links_between_pages_stay_root_relative(production_site):
    """One build serves a staging address, the preview and the live domain alike."""
    for html in _html_files(production_site):
        page = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        for tag, attr in (("a", "href"), ("img", "src"), ("link", "href"), ("script", "src"), ("form", "action")):
            for el in page.find_all(tag, attrs={attr: True}):
                if tag == "link" and el.get("rel") in (["canonical"], ["alternate"]):
                    continue
                assert not el[attr].startswith(SITEURL), (html, el)


def test_a_production_build_needs_the_address(tmp_path):
    result = run_build(DATA / "mini", tmp_path / "output", settings="publishconf.py", env={"PORTAL_SITE_URL": ""})
    assert result.returncode != 0 and "PORTAL_SITE_URL" in result.stderr
    assert not (tmp_path / "output").exists()
    wrong = run_build(DATA / "mini", tmp_path / "output", settings="publishconf.py",
                      env={"PORTAL_SITE_URL": "thidua.example.vn/tin-tuc"})
    assert wrong.returncode != 0 and "không hợp lệ" in wrong.stderr


def test_feed_ids_never_change_when_an_article_is_edited(tmp_path, mini):
    output = tmp_path / "output"
    env = {"PORTAL_SITE_URL": SITEURL}
    assert run_build(mini, output, settings="publishconf.py", env=env).returncode == 0
    before = {e.link: e.id for e in feedparser.parse((output / "tin-tuc" / "atom.xml").read_bytes()).entries}
    article = mini / "articles/2024/dak-lak-nhan-co-thi-dua.md"
    text = article.read_text(encoding="utf-8").replace('title: "Đắk Lắk nhận Cờ thi đua của Chính phủ"',
                                                        'title: "Đắk Lắk đón nhận Cờ thi đua của Chính phủ"\n'
                                                        'modified: 2024-02-01 10:00')
    article.write_text(text + "\nMột đoạn được thêm.\n", encoding="utf-8")
    assert run_build(mini, output, settings="publishconf.py", env=env).returncode == 0
    after = {e.link: e.id for e in feedparser.parse((output / "tin-tuc" / "atom.xml").read_bytes()).entries}
    assert after == before and len(after) == 3


# sitemap.xml and robots.txt ----------------------------------------------------
def _sitemap(site: Path) -> dict[str, str | None]:
    root = ET.parse(site / "sitemap.xml").getroot()
    assert root.tag == f"{SITEMAP}urlset"
    out = {}
    for url in root.iter(f"{SITEMAP}url"):
        lastmod = url.find(f"{SITEMAP}lastmod")
        out[url.find(f"{SITEMAP}loc").text.removeprefix(SITEURL)] = lastmod.text if lastmod is not None else None
    return out


def _check_sitemap(site: Path) -> dict[str, str | None]:
    listed = _sitemap(site)
    for loc in listed:
        assert urlparse(loc).scheme in ("", "http", "https"), loc
        path = urlparse(loc).path
        target = site / path.lstrip("/") / "index.html" if path.endswith("/") else site / path.lstrip("/")
        assert target.exists(), loc
        assert not _is_redirect(target.read_text(encoding="utf-8")), loc
        assert not path.startswith(("/admin/", "/ban-nhap/", "/tim-kiem/")) and "404" not in path, loc
    return listed


def test_sitemap_lists_every_article_and_profile_and_nothing_unindexable(mini_site, sample_site):
    listed = _check_sitemap(mini_site)
    for url in ("/", "/tin-tuc/", ARTICLE, "/tin-tuc/2023/kon-tum-khen-thuong-giao-vien/",
                "/tin-tuc/2023/cum-tay-nguyen-ky-giao-uoc/", "/dien-hinh/nguyen-thi-an/",
                "/dien-hinh/dao-van-binh/", "/dien-hinh/tinh-dak-lak/", "/gioi-thieu/",
                "/phong-trao/nong-thon-moi/"):
        assert url in listed, url
    assert "/phong-trao/phong-trao-xay-dung-nong-thon-moi/" not in listed  # a redirect (alias slug)
    assert listed[ARTICLE] == "2024-01-15T09:00:00+07:00"
    assert listed["/phong-trao/nong-thon-moi/"] == "2024-01-15T09:00:00+07:00"  # its newest article
    assert listed["/tin-tuc/2023/kon-tum-khen-thuong-giao-vien/"] == "2023-05-02T00:00:00+07:00"
    # Every article and profile page of the sample portal is listed too.
    sample = _check_sitemap(sample_site)
    for html in _html_files(sample_site):
        url = _url_of(sample_site, html)
        if re.fullmatch(r"/tin-tuc/\d{4}/[^/]+/|/dien-hinh/(?!loai/|tinh-thanh/|trang/)[^/]+/", url) \
                and not _is_redirect(html.read_text(encoding="utf-8")):
            assert url in sample, url


def test_robots_txt_allows_all_but_admin_and_drafts(mini_site):
    lines = (mini_site / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert lines[:4] == ["User-agent: *", "Allow: /", "Disallow: /admin/", "Disallow: /ban-nhap/"]
    assert not any(line.startswith("Sitemap:") for line in lines)  # no address: no absolute URL to give


# Feeds ---------------------------------------------------------------------
def test_every_feed_parses_and_lists_its_terms_articles(mini_site, sample_site):
    for site in (mini_site, sample_site):
        feeds = list(site.rglob("atom.xml"))
        assert len(feeds) > 5
        for path in feeds:
            feed = feedparser.parse(path.read_bytes())
            assert not feed.bozo, (path, feed.get("bozo_exception"))
            assert feed.version == "atom10" and feed.feed.title, path
    expected = {
        "phong-trao/nong-thon-moi/atom.xml": [ARTICLE, "/tin-tuc/2023/cum-tay-nguyen-ky-giao-uoc/"],
        "cum-khoi-thi-dua/cum-tay-nguyen/atom.xml": ["/tin-tuc/2023/cum-tay-nguyen-ky-giao-uoc/"],
        "dien-hinh/nguyen-thi-an/atom.xml": [ARTICLE, "/tin-tuc/2023/kon-tum-khen-thuong-giao-vien/"],
        "tin-tuc/atom.xml": [ARTICLE, "/tin-tuc/2023/kon-tum-khen-thuong-giao-vien/",
                             "/tin-tuc/2023/cum-tay-nguyen-ky-giao-uoc/"],
    }
    for feed_path, urls in expected.items():
        feed = feedparser.parse((mini_site / feed_path).read_bytes())
        assert [urlparse(e.link).path for e in feed.entries] == urls, feed_path
        assert all(e.title and e.get("updated") for e in feed.entries), feed_path


def test_an_entry_in_many_feeds_is_made_once_and_written_as_pelicans_writer_writes_it(tmp_path):
    """PortalWriter makes an article's entry once per build and writes it into every feed that holds it: each
    feed is the bytes Pelican's own writer gives for it."""
    from pelican.contents import Article
    from pelican.settings import DEFAULT_CONFIG
    from pelican.urlwrappers import Author
    from pelican.writers import Writer
    from portal.incremental import PortalWriter

    settings = {**DEFAULT_CONFIG, "SITEURL": SITEURL}
    articles = [Article(f"<p>Bài {n} &amp; <b>ảnh</b></p>", settings=settings, metadata={
        "title": f"Tin số {n} <i>mới</i>", "date": datetime(2024, 5, n), "slug": f"tin-{n}",
        "summary": f"Tóm tắt {n}", "author": Author("Ban Thi đua", settings)}) for n in (1, 2, 3)]
    feeds = {"a/atom.xml": [0, 1], "b/atom.xml": [1, 2], "c/atom.xml": [2, 0, 1]}
    context = {**settings, "SITENAME": "Thi đua", "FEED_DOMAIN": SITEURL}
    portal = PortalWriter(str(tmp_path / "portal"), settings=settings)
    for writer in (portal, Writer(str(tmp_path / "pelican"), settings=settings)):
        for path, picks in feeds.items():
            writer.write_feed([articles[i] for i in picks], context, path, feed_title=path[0])
    for path in feeds:
        ours = (tmp_path / "portal" / path).read_bytes()
        assert ours == (tmp_path / "pelican" / path).read_bytes(), path
        assert ours.count(b"<entry>") == len(feeds[path])
    assert len(portal._feeds.xml) == len(articles)  # eight entries written, three made
    bounded = PortalWriter(str(tmp_path / "bounded"), settings=settings)
    bounded._feeds.budget = 1  # full once the first entry's XML is kept: made after it, the others are not kept
    for path, picks in feeds.items():
        bounded.write_feed([articles[i] for i in picks], context, path, feed_title=path[0])
    for path in feeds:
        assert (tmp_path / "bounded" / path).read_bytes() == (tmp_path / "pelican" / path).read_bytes(), path
    assert len(bounded._feeds.xml) == 1 and len(bounded._feeds.items) == 2  # the first feed's, made before its XML


# Injection -------------------------------------------------------------------
def test_script_in_a_title_stays_inert_in_json_ld(mini, tmp_path):
    path = mini / "articles/2024/dak-lak-nhan-co-thi-dua.md"
    evil = '</script><script>alert(1)</script> & <!-- "x"'
    path.write_text(path.read_text(encoding="utf-8").replace(
        'title: "Đắk Lắk nhận Cờ thi đua của Chính phủ"', f"title: '{evil}'"), encoding="utf-8")
    result = run_build(mini, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    out = tmp_path / "out"
    text = (out / ARTICLE.strip("/") / "index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in text and "</script><script>" not in text
    assert text.count('<script type="application/ld+json">') == text.count("<script") == 2
    blocks = [json.loads(b) for b in LD_JSON.findall(text)]
    assert _of_type(blocks, "NewsArticle")["headline"] == evil  # escaped in the HTML, intact as data
    assert _of_type(blocks, "BreadcrumbList")["itemListElement"][-1]["name"] == evil
    assert "\\u003c/script\\u003e\\u003cscript\\u003ealert(1)" in text and "\\u0026 \\u003c!--" in text
    assert soup(out, ARTICLE).h1.get_text() == evil


def test_a_sitemap_past_the_protocol_limits_becomes_an_index(monkeypatch):
    """A 100,000-article archive passes 50,000 URLs: sitemap.xml then lists sitemap-1.xml, sitemap-2.xml …"""
    from datetime import datetime

    from portal import seo

    settings = {"PORTAL": {"site_url": SITEURL}}
    entries = [(f"tin-tuc/2024/bai-{i}/", datetime(2024, 1, 1 + i % 28)) for i in range(25)]
    single = seo.sitemap_files(entries, settings)["sitemap.xml"]
    assert list(seo.sitemap_files(entries, settings)) == ["sitemap.xml"]
    monkeypatch.setattr(seo, "SITEMAP_MAX_URLS", 10)
    files = seo.sitemap_files(entries, settings)
    assert list(files) == ["sitemap.xml", "sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml"]
    index = ET.fromstring(files["sitemap.xml"])
    assert index.tag == f"{SITEMAP}sitemapindex"
    assert [e.text for e in index.iter(f"{SITEMAP}loc")] == [f"{SITEURL}/sitemap-{i}.xml" for i in (1, 2, 3)]
    parts = [[e.text for e in ET.fromstring(files[f"sitemap-{i}.xml"]).iter(f"{SITEMAP}loc")] for i in (1, 2, 3)]
    assert [len(p) for p in parts] == [10, 10, 5] and sum(parts, []) == [SITEURL + "/" + u for u, _ in entries]
    monkeypatch.setattr(seo, "SITEMAP_MAX_URLS", 50_000)
    monkeypatch.setattr(seo, "SITEMAP_MAX_BYTES", 1000)  # the size limit cuts too
    files = seo.sitemap_files(entries, settings)
    assert len(files) > 2 and all(len(t.encode()) <= 1000 for n, t in files.items() if n != "sitemap.xml")
    whole = len(single.encode())  # exactly at the limits it stays one file; a byte or a URL past them, it does not
    for urls, size, count in ((25, whole, 1), (25, whole - 1, 3), (24, whole, 3)):
        monkeypatch.setattr(seo, "SITEMAP_MAX_URLS", urls)
        monkeypatch.setattr(seo, "SITEMAP_MAX_BYTES", size)
        files = seo.sitemap_files(entries, settings)
        assert len(files) == count
        if count == 1:
            assert files["sitemap.xml"] == single
