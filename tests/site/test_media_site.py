"""Photos and documents in the built sample portal, read as a reader's browser would.

Counts come from the content files (PyYAML, not the portal's reader): every photo the content
names is shown, every <img> is described and sized, every candidate file exists, no published
image carries EXIF, and every decision PDF is linked where its honour is shown.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
from PIL import Image

from portal.media import SLOTS
from support import ROOT, content_articles, content_records, soup

CONTENT = ROOT / "content"


@pytest.fixture(scope="module")
def pages(sample_site: Path) -> dict[str, object]:
    return {p.relative_to(sample_site).as_posix(): p for p in sample_site.rglob("index.html")}


def _local(site: Path, url: str) -> Path:
    return site / urlparse(url).path.lstrip("/")


def _candidates(srcset: str) -> list[tuple[str, int]]:
    out = []
    for part in srcset.split(","):
        url, width = part.split()
        out.append((url, int(width.rstrip("w"))))
    return out


def test_the_sample_content_has_the_photos_the_issue_asks_for():
    articles = content_articles(CONTENT)
    assert sum(1 for a in articles.values() if a.get("image")) >= 30
    assert sum(1 for a in articles.values() if len(a.get("gallery") or []) >= 6) >= 2
    exemplars = content_records(CONTENT, "exemplars")
    assert all(e.get("photo") and e.get("photo_alt") and e.get("photo_credit") for e in exemplars.values())
    decisions = [h for a in articles.values() for h in a.get("honours") or [] if h.get("decision_file")]
    decisions += [h for e in exemplars.values() for h in e.get("honours") or [] if h.get("decision_file")]
    assert len({h["decision_file"] for h in decisions}) >= 5


def test_every_img_is_described_sized_and_every_candidate_exists(sample_site, pages):
    checked = 0
    for rel, path in pages.items():
        page = soup(sample_site, rel)
        for img in page.select("img"):
            where = f"{rel}: {img}"[:200]
            assert img.has_attr("alt"), where
            assert int(img["width"]) > 0 and int(img["height"]) > 0, where
            picture = img.find_parent("picture")
            if picture is None:
                continue
            checked += 1
            assert _local(sample_site, img["src"]).is_file(), where
            for source in [*picture.select("source"), img]:
                assert source["sizes"], where
                for url, width in _candidates(source["srcset"]):
                    file = _local(sample_site, url)
                    assert file.is_file(), f"{where}: {url}"
                    assert f"-{width}x" in file.name, url  # the w descriptor is the file's real width
    assert checked > 100


def test_only_the_lead_photo_is_fetched_first_and_the_others_wait(sample_site, pages):
    leads = 0
    for rel in pages:
        page = soup(sample_site, rel)
        eager = page.select("img[fetchpriority=high]")
        assert len(eager) <= 1, rel
        for img in eager:
            assert not img.has_attr("loading"), rel
            leads += 1
        for img in page.select("picture img:not([fetchpriority])"):
            assert img["loading"] == "lazy" and img["decoding"] == "async", rel
    assert leads >= 31 + 21  # every article with a lead photo and every profile


def test_an_article_with_a_lead_photo_shows_it_with_caption_and_credit(sample_site):
    articles = content_articles(CONTENT)
    url, data = next((u, a) for u, a in sorted(articles.items()) if a.get("gallery"))
    page = soup(sample_site, url)
    figure = page.select_one("figure.article__figure")
    assert figure.select_one("img")["alt"] == data["image_alt"]
    caption = figure.figcaption.get_text(" ", strip=True)
    assert data["image_caption"] in caption and "Ảnh minh họa" in caption
    assert [i["alt"] for i in page.select(".gallery img")] == [g["alt"] for g in data["gallery"]]
    links = [a["href"] for a in page.select(".gallery__link")]
    assert len(links) == len(data["gallery"]) and all(_local(sample_site, h).suffix == ".jpg" for h in links)
    assert page.select_one("meta[name=robots]")["content"] == "max-image-preview:large"  # large previews (Discover)
    meta = {m["property"]: m["content"] for m in page.select("meta[property^='og:image']")}
    assert meta["og:image:width"] == "1200" and meta["og:image:height"] == "630"
    assert meta["og:image:alt"] == data["image_alt"]
    with Image.open(_local(sample_site, meta["og:image"])) as im:
        assert im.format == "JPEG" and im.size == (1200, 630)
    ld = [json.loads(s.string) for s in page.select("script[type='application/ld+json']")]
    images = next(d["image"] for d in ld if d.get("@type") == "NewsArticle")
    # 1.91:1, 16:9, 4:3 and 1:1, each at least 50,000 pixels (search engines' rule), never above the source
    assert sorted(round(i["width"] / i["height"], 2) for i in images) == [1.0, 1.33, 1.78, 1.9]
    assert all(i["width"] * i["height"] >= 50_000 and i["width"] <= 1200 for i in images)
    assert all(i["@type"] == "ImageObject" and i["creditText"] == data["image_credit"] for i in images)


def test_cards_in_lists_show_thumbnails(sample_site):
    news = soup(sample_site, "/tin-tuc/")
    cards = news.select("article.card")
    with_photo = [c for c in cards if c.select_one(".card__media img")]
    assert with_photo and all(c.select_one(".card__media img")["sizes"] for c in with_photo)
    home = soup(sample_site, "/")
    lead = home.select(".card--lead img")
    assert len(lead) == 1 and lead[0]["fetchpriority"] == "high"  # the home's LCP image is fetched first
    assert lead[0]["sizes"] == SLOTS["feature"].sizes != SLOTS["card"].sizes  # the lead's slot, wider than a card


def test_every_profile_shows_its_portrait_and_the_directory_its_avatar(sample_site):
    for slug, data in content_records(CONTENT, "exemplars").items():
        page = soup(sample_site, f"/dien-hinh/{slug}/")
        img = page.select_one(".profile-head__photo img")
        assert img is not None and img["alt"] == data["photo_alt"], slug
    directory = soup(sample_site, "/dien-hinh/")
    assert len(directory.select(".exemplar-card .pic--avatar img")) == len(content_records(CONTENT, "exemplars"))


def test_decisions_are_linked_from_the_article_the_profile_and_the_award_page(sample_site):
    articles = content_articles(CONTENT)
    seen = 0
    for url, data in articles.items():
        for honour in data.get("honours") or []:
            if not honour.get("decision_file"):
                continue
            seen += 1
            pdf = CONTENT / honour["decision_file"]
            for page_url in (url, f"/dien-hinh/{honour['recipient']}/", f"/khen-thuong/{honour['award']}/"):
                links = [a for a in soup(sample_site, page_url).select("a.doc") if a["href"].endswith(".pdf")]
                published = [a for a in links if _local(sample_site, a["href"]).read_bytes() == pdf.read_bytes()]
                assert published, f"{page_url} does not link {pdf.name}"
                meta = published[0].select_one(".doc__meta").get_text()
                assert meta.startswith("PDF, ") and re.search(r"\d+ KB", meta), meta
    assert seen >= 5
    listed = soup(sample_site, next(u for u, a in articles.items() if a.get("documents")))
    assert listed.select(".documents a.doc .pic img")  # the first page as a thumbnail


def test_no_published_image_carries_exif_and_no_original_is_copied(sample_site):
    published = [p for p in (sample_site / "anh").iterdir()]
    assert len(published) > 500
    for path in published:
        with Image.open(path) as im:
            assert dict(im.getexif()) == {}, path.name
    originals = {p.name for p in (CONTENT / "images").rglob("*") if p.is_file()}
    assert not any(p.name in originals for p in sample_site.rglob("*") if p.is_file())
    assert not (sample_site / "images").exists()


def test_feeds_carry_the_lead_photo_as_an_enclosure(sample_site):
    feed = (sample_site / "tin-tuc" / "atom.xml").read_text(encoding="utf-8")
    enclosures = re.findall(r'<link href="([^"]+)" length="(\d+)" rel="enclosure" type="image/jpeg"', feed)
    assert enclosures
    for url, length in enclosures:
        assert _local(sample_site, url).stat().st_size == int(length)
