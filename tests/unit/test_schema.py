import re
from datetime import date, datetime

import pytest

from portal import cms, opendata
from portal.fields import CHOICE, TEXT, Bad, Field, FieldType, Kind, cms_field, json_schema
from portal.frontmatter import parse
from portal.schema import KINDS, coerce
from portal.tools.authoring import template


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
    html, problem = render.render("| Năm | Danh hiệu |\n|---|---|\n| 2024 | Cờ thi đua |\n", "pages/x.md")
    assert problem is None
    assert "<table>" in html and "<td>Cờ thi đua</td>" in html


# Choices and field types: declared once, in schema.py and fields.py ---------------------------------


@pytest.mark.parametrize("make, message", [
    (lambda: Field("kind", CHOICE, choices=(("cum", "Cụm"), ("khoi", ""))), "'khoi' needs a capitalised"),
    (lambda: Field("kind", CHOICE, choices=(("cum", "cụm thi đua"),)), "'cum' needs a capitalised"),
    (lambda: Field("kind", CHOICE, choices=("cum", "khoi")), "is not a (code, label) pair"),
    (lambda: Field("kind", CHOICE), "needs its (code, label) choices"),
    (lambda: Field("name", TEXT, choices=(("a", "A"),)), "takes no choices"),
    (lambda: Field("kind", CHOICE, choices=(("cum", "Cụm"), ("cum", "Khối"))), "'cum' is declared twice"),
    (lambda: Field("kind", CHOICE, choices=(("cum", "Cụm"),), default="khoi"), "default 'khoi' is not one"),
])
def test_a_code_without_a_label_fails_where_it_is_declared(make, message):
    with pytest.raises((TypeError, ValueError), match=re.escape(message)):
        make()


def test_every_choice_reads_its_label_from_the_schema_and_an_unknown_code_is_an_error():
    scope = KINDS["campaigns"].by_name["scope"]
    assert scope.codes == ("national", "ministry", "province", "local")
    assert scope.label_of("ministry") == "Bộ, ngành, đoàn thể"
    assert scope.label_of(None) == "Toàn quốc"  # the declared default: an absent scope is national
    assert KINDS["campaigns"].by_name["kind"].label_of(None) == ""  # no default, nothing to show
    with pytest.raises(KeyError):
        scope.label_of("quoc-te")  # never the raw code on a page
    assert KINDS["articles"].by_name["honours"].type.sub("stage").explain() == (
        "conferred (đã tặng) | proposed (đề nghị)")


def test_every_field_type_answers_for_coercion_the_cms_open_data_and_invoke_new():
    """The four tables that used to run in parallel are one object per type."""
    for kind in KINDS.values():
        for spec in kind.fields:
            assert cms_field(spec, KINDS)["widget"], (kind.name, spec.name)
            schema = json_schema(spec)
            assert schema is None or "type" in schema, (kind.name, spec.name)
            assert isinstance(spec.type.sample_value(spec), str), (kind.name, spec.name)


class _Email(FieldType):
    """A type the portal does not have: proving that a new type is this one definition."""

    def coerce(self, spec, value):
        text = str(value).strip()
        if "@" not in text:
            raise Bad(f"'{text}' không phải địa chỉ thư", "viết dạng ten@co-quan.gov.vn")
        return text

    def widget(self, spec, kinds):
        return {"widget": "string", "pattern": ["^[^@\\s]+@[^@\\s]+$", "Dạng ten@co-quan.gov.vn"]}

    def schema(self, spec):
        return {"type": "string", "format": "email"}


def test_a_new_field_type_is_one_definition(monkeypatch):
    email = _Email("email", '"ten@co-quan.gov.vn"')
    contacts = Kind("contacts", "contacts", "đầu mối liên hệ", (
        Field("name", TEXT, True, label="tên"), Field("email", email, label="thư điện tử")), noun="đầu mối")
    monkeypatch.setitem(KINDS, "contacts", contacts)
    fm, _ = parse("---\nname: Ban Thi đua\nemail: ban-thi-dua\n---\n", "contacts/ban.md")
    data, problems = coerce(contacts, fm)
    assert [(p.field, p.line, p.message) for p in problems] == [("email", 3, "'ban-thi-dua' không phải địa chỉ thư")]
    fm, _ = parse("---\nname: Ban Thi đua\nemail: btdkt@example.vn\n---\n", "contacts/ban.md")
    assert coerce(contacts, fm) == ({"name": "Ban Thi đua", "email": "btdkt@example.vn"}, [])
    form = next(c for c in cms.config({})["collections"] if c["name"] == "contacts")
    assert form["fields"][1] == {"label": "Thư điện tử", "name": "email", "widget": "string",
                                 "pattern": ["^[^@\\s]+@[^@\\s]+$", "Dạng ten@co-quan.gov.vn"], "required": False}
    column = next(c for c in opendata.record_columns("contacts") if c.name == "email")
    assert column.schema == {"type": ["string", "null"], "format": "email"}
    assert '# email: "ten@co-quan.gov.vn"   # thư điện tử' in template("contacts", "Ban", datetime(2025, 1, 1))
