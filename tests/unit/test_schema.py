from datetime import date, datetime

from portal.frontmatter import parse
from portal.schema import KINDS, coerce


def _coerce(kind: str, text: str):
    fm, problem = parse(text, f"{kind}/x.md")
    assert problem is None, problem
    return coerce(KINDS[kind], fm)


def test_front_matter_lines_point_at_nested_fields():
    fm, _ = parse("---\ntitle: x\ndate: 2024-01-02\nhonours:\n  - recipient: a\n    award: b\n---\nbody\n", "a.md")
    assert fm.lines["title"] == 2
    assert fm.lines["honours[0].award"] == 6
    assert fm.line("honours[0].year") == 5  # absent key: the item's own line
    assert fm.body.strip() == "body"


def test_nfd_front_matter_is_normalised():
    fm, _ = parse("---\ntitle: \"Đo\u0302\u0300ng\"\n---\n", "a.md")
    assert fm.data["title"] == "Đồng"


def test_article_fields_are_typed():
    data, problems = _coerce("articles", """---
title: "Tin"
date: 2024-03-05 08:30
campaigns: [nong-thon-moi]
featured: true
author: ["A", "B"]
honours:
  - {recipient: x, award: y, year: 2023, stage: proposed}
---
""")
    assert problems == []
    assert data["date"] == datetime(2024, 3, 5, 8, 30)
    assert data["campaigns"] == ["nong-thon-moi"]
    assert data["featured"] is True
    assert data["author"] == ["A", "B"]
    assert data["honours"][0]["stage"] == "proposed"


def test_record_dates_stay_dates():
    data, problems = _coerce("campaigns", "---\nname: X\nlaunched: 2011-06-08\n---\n")
    assert problems == [] and data["launched"] == date(2011, 6, 8)


def test_wrong_types_become_problems_with_fixes():
    _, problems = _coerce("articles", """---
title: "Tin"
date: 2024-02-30
featured: perhaps
campaigns: "Nông thôn mới"
source_url: "javascript:alert(1)"
image: "../../etc/passwd"
campaign: [x]
---
""")
    by_field = {p.field: p for p in problems}
    assert "không tồn tại" in by_field["date"].message and by_field["date"].line == 3
    assert by_field["featured"].line == 4
    assert "slug" in by_field["campaigns"].message and "nong-thon-moi" in by_field["campaigns"].fix
    assert "http" in by_field["source_url"].message
    assert by_field["image"].severity == "error"
    assert by_field["campaign"].severity == "warning" and "campaigns" in by_field["campaign"].fix


def test_exemplar_own_honours_need_a_year():
    _, problems = _coerce("exemplars", "---\nname: X\nkind: person\nhonours:\n  - {award: a}\n---\n")
    assert [p.field for p in problems] == ["honours[0].year"]


def test_choice_suggests_the_closest_value():
    _, problems = _coerce("exemplars", "---\nname: X\nkind: persn\n---\n")
    assert "person" in problems[0].fix


def test_bodies_render_with_the_configured_markdown_extensions():
    from portal.records import MarkdownRenderer
    from pelican.settings import read_settings
    from support import ROOT

    render = MarkdownRenderer(read_settings(str(ROOT / "pelicanconf.py")))
    html = render("| Năm | Danh hiệu |\n|---|---|\n| 2024 | Cờ thi đua |\n")
    assert "<table>" in html and "<td>Cờ thi đua</td>" in html
