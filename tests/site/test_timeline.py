"""Campaign timelines and cluster pages (leaders by year, members' honours), read from built pages.

The sample portal's expectations are computed from the content files with PyYAML;
the edge cases (narrowing, event dates, drives under a campaign, bad input) use
small edits of the mini tree.
"""

from __future__ import annotations

import shutil
from collections import Counter, defaultdict
from datetime import date, datetime
from pathlib import Path

import pytest

from support import DATA, ROOT, content_articles, content_honours, content_records, edit, run_build, soup

CONTENT = ROOT / "content"
LABELS = {"phat-dong": "Phát động", "so-ket": "Sơ kết", "tong-ket": "Tổng kết",
          "giao-uoc": "Ký kết giao ước thi đua", "ton-vinh": "Tôn vinh, khen thưởng"}


def _day(value) -> date:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.date() if isinstance(value, datetime) else value


def _timeline(page) -> dict[int, dict]:
    """Year -> its events as (ISO date, label, link) and its honours line, as the page shows them."""
    section = page.find("section", attrs={"aria-labelledby": "dong-thoi-gian"})
    if section is None:
        return {}
    out = {}
    for year in section.find("ol", class_="timeline").find_all("li", class_="timeline__year", recursive=False):
        events = [(li.time["datetime"], li.find(class_="tag").get_text(strip=True), li.a["href"] if li.a else None)
                  for li in year.find_all("li", class_="timeline__event")]
        honours = year.find("li", class_="timeline__honours")
        out[int(year.h3.get_text())] = {"events": events,
                                        "honours": honours.get_text(" ", strip=True) if honours else ""}
    return out


def _events_of(kind: str) -> dict[str, list[tuple[date, str, str]]]:
    """Record slug -> (event date, event kind, article URL) of the articles reporting its events."""
    out = defaultdict(list)
    known = set(content_records(CONTENT, kind))
    for url, data in content_articles(CONTENT).items():
        if not data.get("event"):
            continue
        named = set(data.get(kind) or [])
        if kind == "campaigns":
            named |= {h["campaign"] for h in data.get("honours") or [] if h.get("campaign")}
        targets = set(data.get("event_for") or []) or named
        for slug in targets & known:
            out[slug].append((_day(data.get("event_date") or data["date"]), data["event"], url))
    return out


def _honours_line(counts: Counter, year: int) -> str:
    parts = [f"{counts[(year, 'conferred')]} được tặng"] if counts[(year, "conferred")] else []
    parts += [f"{counts[(year, 'proposed')]} được đề nghị"] if counts[(year, "proposed")] else []
    return ", ".join(parts)


def test_every_campaign_timeline_shows_its_launch_its_events_and_honours_per_year(sample_site):
    events = _events_of("campaigns")
    honours = content_honours(CONTENT)
    checked = 0
    for slug, record in content_records(CONTENT, "campaigns").items():
        shown = _timeline(soup(sample_site, f"/phong-trao/{slug}/"))
        expected = sorted(events.get(slug, []))
        launched = record.get("launched")
        if launched:  # the launch date comes from the record; the first launch article is linked from it
            first = next((e for e in expected if e[1] == "phat-dong"), None)
            expected = [e for e in expected if e is not first] + [(launched, "phat-dong", first[2] if first else None)]
        counts = Counter((h["year"], h["stage"]) for h in honours if h.get("campaign") == slug)
        years = {d.year for d, _, _ in expected} | {y for y, _ in counts}
        assert set(shown) == years, slug
        for year in years:
            want = sorted((d.isoformat(), LABELS[k], f"/{u}" if u else None) for d, k, u in expected if d.year == year)
            assert sorted(shown[year]["events"]) == want, (slug, year)
            assert shown[year]["honours"].endswith(_honours_line(counts, year)), (slug, year)
        assert list(shown) == sorted(shown)  # oldest first
        checked += bool(shown)
    assert checked >= 10


def test_the_launch_carries_who_launched_it_and_links_the_report(sample_site):
    page = soup(sample_site, "/phong-trao/mong-cai-chao-mung-60-nam-quang-ninh/")
    section = page.find("section", attrs={"aria-labelledby": "dong-thoi-gian"})
    launch = section.find("time", datetime="2022-10-26").parent
    assert "UBND thành phố Móng Cái" in launch.get_text()
    assert launch.a["href"].endswith("/mong-cai-phat-dong-thi-dua-dac-biet-chao-mung-60-nam-thanh-lap-tinh/")


def _representative(exemplars: dict, provinces: dict) -> dict[str, str]:
    """Province slug -> its locality exemplar ("Tỉnh Bình Định"), by name as the contract says."""
    out = {}
    for slug, data in exemplars.items():
        province = provinces.get(data.get("province") or "")
        if data["kind"] == "locality" and province:
            prefix = "Thành phố" if province.get("kind") == "thanh-pho" else "Tỉnh"
            if data["name"] == f"{prefix} {province['name']}":
                out[data["province"]] = slug
    return out


def test_cluster_pages_list_their_members_honours_within_the_clusters_years(sample_site):
    exemplars = content_records(CONTENT, "exemplars")
    provinces = content_records(CONTENT, "provinces")
    stand_in = _representative(exemplars, provinces)
    honours = content_honours(CONTENT)
    seen = 0
    for slug, cluster in content_records(CONTENT, "clusters").items():
        first = cluster.get("valid_from").year if cluster.get("valid_from") else 0
        last = cluster.get("valid_to").year if cluster.get("valid_to") else 9999
        recipients = {stand_in.get(m, m) for m in cluster.get("members") or []}
        expected = Counter((exemplars[h["recipient"]]["name"], h["year"]) for h in honours
                           if h["recipient"] in recipients and first <= h["year"] <= last)
        section = soup(sample_site, f"/cum-khoi-thi-dua/{slug}/").find(
            "section", attrs={"aria-labelledby": "khen-thuong-thanh-vien"})
        shown: Counter = Counter()
        if section is not None:
            for tr in section.tbody.find_all("tr"):
                cells = tr.find_all("td")
                shown[(cells[2].get_text(strip=True), int(cells[0].get_text()))] += 1
        assert shown == expected, slug
        seen += sum(expected.values())
    assert seen >= 2


def test_cluster_timeline_lists_its_conferences(sample_site):
    events = _events_of("clusters")
    assert events["cum-tay-nguyen-duyen-hai-mien-trung"]
    for slug, expected in events.items():
        shown = _timeline(soup(sample_site, f"/cum-khoi-thi-dua/{slug}/"))
        got = sorted(e for year in shown.values() for e in year["events"])
        assert got == sorted((d.isoformat(), LABELS[k], f"/{u}") for d, k, u in expected), slug


# Edge cases on the mini tree ------------------------------------------------------------------
def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def events_site(tmp_path_factory) -> Path:
    """The mini tree with a review narrowed to one campaign, a dated conference and a drive under a campaign."""
    root = tmp_path_factory.mktemp("events")
    content = root / "content"
    shutil.copytree(DATA / "mini", content)
    edit(content / "articles/2023/cum-tay-nguyen-ky-giao-uoc.md", "clusters: [cum-tay-nguyen]",
          "clusters: [cum-tay-nguyen]\nevent: giao-uoc\nevent_date: 2023-03-29\nevent_for: [cum-tay-nguyen]")
    _write(content / "articles/2024/so-ket-nong-thon-moi.md",
           "---\ntitle: \"Sơ kết nông thôn mới ở Đắk Lắk\"\ndate: 2024-07-05 08:00\n"
           "campaigns: [phong-trao-xay-dung-nong-thon-moi, vi-nguoi-ngheo]\nprovinces: [dak-lak]\n"
           "event: so-ket\nevent_for: [phong-trao-xay-dung-nong-thon-moi]\n---\nSơ kết sáu tháng.\n")
    _write(content / "campaigns/dak-lak-nong-thon-moi.md",
           "---\nname: \"Đắk Lắk chung sức xây dựng nông thôn mới\"\nlaunched: 2012-03-01\n"
           "launched_by: \"UBND tỉnh Đắk Lắk\"\nparent: nong-thon-moi\nscope: province\n---\nĐợt thi đua của tỉnh.\n")
    result = run_build(content, root / "output", strict=True)
    assert result.returncode == 0, result.stderr
    return root / "output"


def test_event_for_narrows_an_event_to_the_records_it_names(events_site):
    nong_thon_moi = _timeline(soup(events_site, "/phong-trao/nong-thon-moi/"))  # named by its alias slug
    assert ("2024-07-05", "Sơ kết", "/tin-tuc/2024/so-ket-nong-thon-moi/") in nong_thon_moi[2024]["events"]
    assert 2024 not in _timeline(soup(events_site, "/phong-trao/vi-nguoi-ngheo/"))  # listed, but not its review
    # The conference is the cluster's, on the day it was held (the article came out a day later) …
    cluster = _timeline(soup(events_site, "/cum-khoi-thi-dua/cum-tay-nguyen/"))
    assert cluster[2023]["events"] == [("2023-03-29", "Ký kết giao ước thi đua",
                                        "/tin-tuc/2023/cum-tay-nguyen-ky-giao-uoc/")]
    # … and not nong-thon-moi's, although the article is tagged with it.
    assert all(e[1] != "Ký kết giao ước thi đua" for y in nong_thon_moi.values() for e in y["events"])


def test_a_campaign_timeline_shows_the_launch_of_the_drives_under_it(events_site):
    shown = _timeline(soup(events_site, "/phong-trao/nong-thon-moi/"))
    assert shown[2011]["events"] == [("2011-06-08", "Phát động", None)]
    assert shown[2012]["events"] == [("2012-03-01", "Phát động", "/phong-trao/dak-lak-nong-thon-moi/")]


def test_the_cluster_leader_table_and_members_honours(events_site):
    page = soup(events_site, "/cum-khoi-thi-dua/cum-tay-nguyen/")
    leaders = page.find("section", attrs={"aria-labelledby": "cum-truong"}).find("table")
    assert [td.get_text(strip=True) for td in leaders.tbody.tr.find_all(["th", "td"])] == ["2023", "Đắk Lắk", "Kon Tum"]
    honours = page.find("section", attrs={"aria-labelledby": "khen-thuong-thanh-vien"})
    rows = [[td.get_text(" ", strip=True) for td in tr.find_all("td")] for tr in honours.tbody.find_all("tr")]
    # Đắk Lắk's own honours (through "Tỉnh Đắk Lắk"), newest first; Nguyễn Thị An is no member of the cluster.
    assert [(r[0], r[2], r[3]) for r in rows] == [("2023", "Tỉnh Đắk Lắk", "Đã tặng"),
                                                  ("2022", "Tỉnh Đắk Lắk", "Đề nghị")]


@pytest.mark.parametrize("field", ["event_for: [cum-tay-nguyen]", "event_date: 2023-03-29"])
def test_event_details_without_an_event_are_flagged(mini, tmp_path, field):
    edit(mini / "articles/2023/cum-tay-nguyen-ky-giao-uoc.md", "clusters: [cum-tay-nguyen]",
          f"clusters: [cum-tay-nguyen]\n{field}")
    result = run_build(mini, tmp_path / "out", strict=True)
    name = field.split(":")[0]
    assert result.returncode != 0
    assert f"articles/2023/cum-tay-nguyen-ky-giao-uoc.md:6: cảnh báo: [{name}]" in result.stderr, result.stderr
    assert "thiếu 'event'" in result.stderr and "phat-dong" in result.stderr


def test_an_unknown_event_gets_a_did_you_mean(mini, tmp_path):
    edit(mini / "articles/2023/cum-tay-nguyen-ky-giao-uoc.md", "clusters: [cum-tay-nguyen]",
          "clusters: [cum-tay-nguyen]\nevent: tong-kett")
    result = run_build(mini, tmp_path / "out")
    assert result.returncode != 0
    assert "[event]" in result.stderr and "tong-ket" in result.stderr, result.stderr
