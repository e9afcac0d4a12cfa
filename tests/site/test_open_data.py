"""Open data (/du-lieu/) on the built sample portal: counts equal the content, files match their schemas.

The expected counts are computed here from the content files with PyYAML,
independently of the portal's reader and graph.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from pathlib import Path

import jsonschema
import pytest

from support import ROOT, content_honours, soup

DATASETS = ("honours", "exemplars", "campaigns", "clusters", "awards")


def _expected_awards() -> Counter:
    """Award slug -> number of honours, from published articles and the exemplars' own records."""
    return Counter(h["award"] for h in content_honours(ROOT / "content"))


def _load(site: Path, name: str):
    return json.loads((site / "du-lieu" / f"{name}.json").read_text(encoding="utf-8"))


def test_honours_count_equals_the_content(sample_site):
    rows = _load(sample_site, "honours")
    expected = _expected_awards()
    assert sum(expected.values()) > 10
    assert Counter(r["award"] for r in rows) == expected


@pytest.mark.parametrize("kind", ["exemplars", "campaigns", "clusters", "awards"])
def test_one_row_per_record_file(sample_site, kind):
    rows = _load(sample_site, kind)
    assert sorted(r["slug"] for r in rows) == sorted(p.stem for p in (ROOT / "content" / kind).glob("*.md"))
    assert all((sample_site / r["url"].strip("/") / "index.html").is_file() for r in rows)


@pytest.mark.parametrize("name", DATASETS)
def test_json_validates_against_its_published_schema(sample_site, name):
    schema = _load(sample_site, f"{name}.schema")
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(_load(sample_site, name), schema)
    broken = [dict(row) for row in _load(sample_site, name)[:1]]
    broken[0]["không-có-trường-này"] = 1
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


def test_csv_opens_in_excel_and_round_trips(sample_site):
    raw = (sample_site / "du-lieu" / "honours.csv").read_bytes()
    assert raw.startswith("\ufeff".encode())  # UTF-8 BOM: Excel reads Vietnamese correctly
    table = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    rows = _load(sample_site, "honours")
    assert len(table) == len(rows)
    for line, row in zip(table, rows, strict=True):
        assert line == {k: "" if v is None else str(v) for k, v in row.items()}
    assert any("đ" in line["recipient_name"].lower() or "Đ" in line["recipient_name"] for line in table)


def test_data_page_documents_every_field_and_links_every_file(sample_site):
    page = soup(sample_site, "/du-lieu/")
    assert page.h1.get_text(strip=True) == "Dữ liệu mở"
    hrefs = {a["href"] for a in page.select("main a[href]")}
    for name in DATASETS:
        assert f"/du-lieu/{name}.json" in hrefs and f"/du-lieu/{name}.schema.json" in hrefs
        section = page.find(id=f"du-lieu-{name}").find_parent("section")
        documented = [code.get_text() for code in section.select("tbody code")]
        assert documented == list(_load(sample_site, f"{name}.schema")["items"]["properties"])
    assert "/du-lieu/honours.csv" in hrefs
    assert page.find("a", href="/du-lieu/", string="Dữ liệu mở")  # linked from every page's footer


@pytest.mark.parametrize(("folder", "column"), [("dien-hinh", "recipient"), ("phong-trao", "campaign"),
                                                ("khen-thuong", "award")])
def test_profile_campaign_and_award_pages_link_to_their_slice(sample_site, folder, column):
    everything = _load(sample_site, "honours")
    slugs = sorted({r[column] for r in everything if r[column]})
    assert slugs
    for slug in slugs:
        page = soup(sample_site, f"/{folder}/{slug}/")
        link = page.select_one("p.data-link a")
        assert link["href"] == f"/du-lieu/{folder}/{slug}.json"
        rows = json.loads((sample_site / link["href"].strip("/")).read_text(encoding="utf-8"))
        assert rows == [r for r in everything if r[column] == slug]


def test_data_page_describes_its_datasets_for_dataset_search(sample_site):
    """schema.org DataCatalog JSON-LD: every dataset, with downloads that exist."""
    page = soup(sample_site, "/du-lieu/")
    blocks = [json.loads(s.string) for s in page.find_all("script", type="application/ld+json")]
    catalogue = next(b for b in blocks if b["@type"] == "DataCatalog")
    assert [d["@type"] for d in catalogue["dataset"]] == ["Dataset"] * len(DATASETS)
    site_url = catalogue["url"].removesuffix("du-lieu/")  # SITEURL + "/"
    for dataset, name in zip(catalogue["dataset"], DATASETS, strict=True):
        assert f"({len(_load(sample_site, name))} dòng)" in dataset["description"]
        formats = {d["encodingFormat"] for d in dataset["distribution"]}
        assert {"application/json", "application/schema+json"} <= formats
        assert ("text/csv" in formats) == (name == "honours")
        for download in dataset["distribution"]:
            assert (sample_site / download["contentUrl"].removeprefix(site_url)).is_file(), download
