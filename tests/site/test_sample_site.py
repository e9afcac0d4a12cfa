"""The shipped sample portal, read the way a reader reads it.

Expectations are computed here from the content files with plain YAML, not
through the plugin, so a grouping bug in the plugin cannot agree with itself.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

from support import ROOT, soup

CONTENT = ROOT / "content"
FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)
ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
TONES = "\u0300\u0309\u0303\u0301\u0323"
LD_JSON = re.compile(r'<script type="application/ld\+json">[^<]*</script>')


def _load(kind: str) -> dict[str, dict]:
    out = {}
    for path in sorted((CONTENT / kind).rglob("*.md")):
        text = unicodedata.normalize("NFC", path.read_text(encoding="utf-8"))
        data = yaml.safe_load(FRONT.match(text).group(1)) or {}
        if "date" in data:
            data["date"] = datetime.fromisoformat(str(data["date"]))
        out[path.stem] = {**data, "_path": path}
    return out


ARTICLES = {s: a for s, a in _load("articles").items() if a.get("status", "published") == "published"}
AWARDS = _load("awards")
PROVINCES = _load("provinces")
EXEMPLARS = _load("exemplars")
CAMPAIGNS = _load("campaigns")


def _url(slug: str) -> str:
    return f"/tin-tuc/{str(ARTICLES[slug]['date'])[:4]}/{slug}/"


def _listed(site: Path, url: str) -> list[str]:
    """Article links of a term page, following its pagination."""
    links: list[str] = []
    while url:
        page = soup(site, url)
        links += [a["href"] for a in page.select(".term-articles .card__title a")]
        nxt = page.select_one("nav.pagination a[rel=next]")
        url = nxt["href"] if nxt else ""
    return links


def _vi_key(text: str) -> tuple:
    """An independent Vietnamese collation: letters first, then tones."""
    letters, tones = [], []
    for ch in unicodedata.normalize("NFC", text).lower():
        parts = unicodedata.normalize("NFD", ch)
        tone = next((TONES.index(m) + 1 for m in parts if m in TONES), 0)
        base = unicodedata.normalize("NFC", "".join(m for m in parts if m not in TONES))
        letters.append(ALPHABET.index(base) + 100 if base in ALPHABET else (1 if not base.isalnum() else ord(base)))
        tones.append(tone)
    return letters, tones


def test_sample_content_is_large_enough():
    years = {str(a["date"])[:4] for a in ARTICLES.values()}
    assert len(ARTICLES) >= 30 and {str(y) for y in range(2016, 2026)} <= years
    assert len(EXEMPLARS) >= 15
    assert {e["kind"] for e in EXEMPLARS.values()} == {"person", "collective", "locality"}
    stages = {h.get("stage", "conferred") for a in ARTICLES.values() for h in a.get("honours") or []}
    assert stages == {"conferred", "proposed"}
    assert len(PROVINCES) == 63 and sum(1 for p in PROVINCES.values() if not p.get("merged_into")) == 34


@pytest.mark.parametrize("slug", sorted(ARTICLES))
def test_every_article_page_shows_title_date_and_breadcrumbs(sample_site, slug):
    article = ARTICLES[slug]
    page = soup(sample_site, _url(slug))
    assert page.h1.get_text(strip=True) == article["title"]
    when = article["date"]
    assert f"{when.day:02d}/{when.month:02d}/{when.year}" in page.select_one("time").get_text()
    crumbs = [li.get_text(strip=True) for li in page.select("nav.breadcrumbs li")]
    assert crumbs[:2] == ["Trang chủ", "Tin tức"] and crumbs[-1] == article["title"]


@pytest.mark.parametrize("campaign", sorted(CAMPAIGNS))
def test_campaign_page_lists_exactly_its_articles(sample_site, campaign):
    expected = {
        _url(s) for s, a in ARTICLES.items()
        if campaign in (a.get("campaigns") or []) or any(h.get("campaign") == campaign for h in a.get("honours") or [])
    }
    listed = _listed(sample_site, f"/phong-trao/{campaign}/")
    assert len(listed) == len(set(listed))
    assert set(listed) == expected
    dates = [ARTICLES[u.rstrip("/").rsplit("/", 1)[1]]["date"] for u in listed]
    assert [str(d) for d in dates] == sorted((str(d) for d in dates), reverse=True)


def test_province_pages_include_predecessors_news(sample_site):
    for slug in PROVINCES:
        names = {slug} | {p for p, rec in PROVINCES.items() if rec.get("merged_into") == slug}
        expected = {_url(s) for s, a in ARTICLES.items() if names & set(a.get("provinces") or [])}
        assert set(_listed(sample_site, f"/tinh-thanh/{slug}/")) == expected, slug


def _honours_of(exemplar: str) -> list[tuple[int, int, str, str | None]]:
    rows = []
    for slug, article in ARTICLES.items():
        for h in article.get("honours") or []:
            if h["recipient"] == exemplar:
                rows.append((h.get("year", article["date"].year), AWARDS[h["award"]]["rank"],
                             h.get("stage", "conferred"), slug))
    for h in EXEMPLARS[exemplar].get("honours") or []:
        rows.append((h["year"], AWARDS[h["award"]]["rank"], h.get("stage", "conferred"), None))
    return rows


def test_profiles_gather_honours_from_several_articles_in_order(sample_site):
    many = [e for e in EXEMPLARS if len({r[3] for r in _honours_of(e) if r[3]}) >= 2]
    assert len(many) >= 3, "the sample needs exemplars honoured in two or more articles"
    for exemplar in many:
        expected = _honours_of(exemplar)
        rows = soup(sample_site, f"/dien-hinh/{exemplar}/").select("table.honours tbody tr")
        assert len(rows) == len(expected), exemplar
        years = [int(r.td.get_text()) for r in rows]
        assert years == sorted(years, reverse=True), exemplar
        assert sum(1 for r in rows if "is-proposed" in r["class"]) == sum(1 for e in expected if e[2] == "proposed")
        for row in rows:
            assert ("Đề nghị" in row.get_text()) == ("is-proposed" in row["class"])
            assert row.find("a", href=re.compile(r"^/khen-thuong/[a-z0-9-]+/$"))
        linked = {a["href"] for r in rows for a in r.find_all("a", href=re.compile(r"^/tin-tuc/"))}
        assert linked == {_url(e[3]) for e in expected if e[3]}


def test_directory_is_in_vietnamese_alphabetical_order(sample_site):
    page = soup(sample_site, "/dien-hinh/")
    names = [a.get_text(strip=True) for a in page.select(".exemplar-list .exemplar-card__name")]
    assert names == sorted(names, key=_vi_key)
    assert sorted(names) == sorted(e["name"] for e in EXEMPLARS.values())
    letters = [h.get_text(strip=True) for h in page.select(".letter-group__letter")]
    order = "A Ă Â B C D Đ E Ê F G H I J K L M N O Ô Ơ P Q R S T U Ư V W X Y Z".split()
    assert letters == sorted(letters, key=order.index)


def test_news_is_paginated_at_twenty(sample_site):
    first = soup(sample_site, "/tin-tuc/")
    assert len(first.select("ul.article-list .card")) == 20
    second = soup(sample_site, "/tin-tuc/trang/2/")
    assert len(second.select("ul.article-list .card")) == min(20, len(ARTICLES) - 20)
    assert first.select_one("nav.pagination a[rel=next]")["href"] == "/tin-tuc/trang/2/"


def test_year_archive_counts_every_article_once(sample_site):
    total = 0
    for year in {str(a["date"])[:4] for a in ARTICLES.values()}:
        total += len(_listed(sample_site, f"/nam/{year}/"))
    assert total == len(ARTICLES)


def test_home_page_has_latest_featured_campaigns_and_honoured(sample_site):
    page = soup(sample_site, "/")
    text = page.get_text(" ", strip=True)
    for heading in ("Tin nổi bật", "Tin mới", "Phong trào đang diễn ra", "Mới được tôn vinh"):
        assert heading in text
    newest = max(ARTICLES, key=lambda s: str(ARTICLES[s]["date"]))
    assert page.find("a", href=_url(newest))


def test_whole_site_links_and_anchors_resolve_and_only_search_uses_javascript(sample_site):
    broken = []
    for html in sample_site.rglob("*.html"):
        page_text = LD_JSON.sub("", html.read_text(encoding="utf-8"))  # JSON-LD is data, not script
        if html == sample_site / "tim-kiem" / "index.html":  # the one page that needs JavaScript
            assert re.findall(r"<script[^>]*>", page_text) == ['<script type="module" src="/theme/js/search.js">']
        elif html.parent != sample_site / "admin":  # Decap CMS: its two script tags are pinned in test_cms.py
            assert "<script" not in page_text, html
        assert '<html lang="vi">' in page_text, html
        page = soup(sample_site, str(html.relative_to(sample_site)))
        for a in page.find_all(["a", "link"], href=True):
            href = urlparse(a["href"])
            if href.scheme or href.netloc or (href.path and not href.path.startswith("/")):
                continue
            target = html
            if href.path:
                target = sample_site / href.path.lstrip("/")
                if href.path.endswith("/"):
                    target = target / "index.html"
            if not target.exists():
                broken.append(f"{html.relative_to(sample_site)} → {a['href']}")
            elif href.fragment and href.fragment not in _ids(target):
                broken.append(f"{html.relative_to(sample_site)} → {a['href']} (no such anchor)")
    assert broken == []


_ID_CACHE: dict[Path, set[str]] = {}


def _ids(path: Path) -> set[str]:
    """The element ids of a built page: what a #fragment link can land on."""
    if path not in _ID_CACHE:
        _ID_CACHE[path] = set(re.findall(r'\sid="([^"]+)"', path.read_text(encoding="utf-8")))
    return _ID_CACHE[path]
