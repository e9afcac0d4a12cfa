"""Front matter is data, not a program: YAML's aliases, anchors, merge keys and tags are refused, and sizes
are bounded, before any value is built; the build, the records, `invoke check` and the importer all say so."""

from __future__ import annotations

import time
import tracemalloc

import pytest
from hostile import FRONT_MATTER, billion_laughs
from portal import frontmatter
from portal.limits import (
    FILE_MAX_BYTES,
    FRONT_MATTER_MAX_CHARS,
    LIST_MAX_ITEMS,
    NESTING_MAX_DEPTH,
    NUMBER_MAX_DIGITS,
    STRING_MAX_CHARS,
)
from portal.records import MarkdownRenderer, load_records
from portal.tools.authoring import check
from support import ROOT

ARTICLE = "articles/2024/dak-lak-nhan-co-thi-dua.md"


def _parse(block: str) -> frontmatter.Problem | None:
    fm, problem = frontmatter.parse(f"---\n{block}---\nNội dung.\n", "articles/2024/x.md")
    assert (fm is None) != (problem is None)
    return problem


def test_the_billion_laughs_costs_a_millisecond_and_no_memory():
    tracemalloc.start()
    started = time.perf_counter()
    problem = _parse(billion_laughs())
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert seconds < 0.5 and peak < 5_000_000, (seconds, peak)  # was 2 minutes and 9 GB
    assert (problem.line, problem.field) == (2, "a0") and "'&a0'" in problem.message


@pytest.mark.parametrize(("block", "line", "field", "message", "fix"), [
    ("title: x\nsummary: &s Tóm tắt\n", 3, "summary", "neo YAML '&s'", "viết đầy đủ giá trị"),
    ('title: x\nhonours:\n  - recipient: tinh-dak-lak\n    award: *a\n', 5, "honours[0].award", "bí danh YAML '*a'",
     "viết đầy đủ giá trị vào đây thay cho '*a'"),
    ("title: x\nhonours:\n  - <<: {award: x}\n", 4, "honours[0]", "khoá gộp YAML '<<'", "viết từng trường"),
    ("title: !!python/object/apply:os.system ['rm -rf /']\n", 2, "title", "'!!python/object/apply:os.system'",
     "bỏ '!!python/object/apply:os.system'"),
    ("title: x\nyear: !!str 2024\n", 3, "year", "'!!str'", "đặt nó trong ngoặc kép"),
    ("title: !foo x\n", 2, "title", "'!foo'", "bỏ '!foo'"),
    ("title: ! x\n", 2, "title", "'!'", "bỏ '!'"),
    ("campaigns: [a, !!binary aGk=]\n", 2, "campaigns[1]", "'!!binary'", "bỏ"),
])
def test_yaml_features_that_make_a_program_are_refused_at_their_line(block, line, field, message, fix):
    problem = _parse(block)
    assert (problem.line, problem.field) == (line, field), problem
    assert message in problem.message and fix in problem.fix, problem


def test_a_quoted_merge_key_is_only_an_unknown_field():
    assert _parse('title: x\n"<<": 1\n') is None


@pytest.mark.parametrize(("name", "size", "limit"), [
    ("long string", 100_000, f"{STRING_MAX_CHARS:,}".replace(",", ".")),
    ("long list", 20_000, f"{LIST_MAX_ITEMS:,}".replace(",", ".")),
    ("many keys", 20_000, f"{LIST_MAX_ITEMS:,}".replace(",", ".")),
    ("block nesting", 10_000, str(NESTING_MAX_DEPTH)),
    ("flow nesting [[[", 10_000, str(NESTING_MAX_DEPTH)),
    ("huge integer", 10_000, str(NUMBER_MAX_DIGITS)),
    ("long string", 1_000_000, f"{FRONT_MATTER_MAX_CHARS:,}".replace(",", ".")),
])
def test_sizes_past_the_limits_are_refused_naming_the_limit(name, size, limit):
    started = time.perf_counter()
    problem = _parse(FRONT_MATTER[name](size))
    assert time.perf_counter() - started < 1.0
    assert problem is not None and limit in problem.message and problem.line, problem


def test_values_at_the_limits_are_read():
    deep = "a:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, NESTING_MAX_DEPTH - 1)) + \
        "  " * (NESTING_MAX_DEPTH - 1) + "x: 1\n"
    assert _parse(deep) is None
    assert _parse(f'summary: "{"a" * STRING_MAX_CHARS}"\n') is None
    assert _parse("tags:\n" + "  - a\n" * LIST_MAX_ITEMS) is None
    assert _parse(f"year: {'9' * NUMBER_MAX_DIGITS}\n") is None
    assert _parse(f"year: \"{'9' * (NUMBER_MAX_DIGITS + 1)}\"\n") is None  # quoted: text, not a number
    assert _parse("tags:\n" + "  - a\n" * (LIST_MAX_ITEMS + 1)) is not None


def test_libyamls_own_nesting_bound_gives_the_same_problem():
    problem = _parse("tags: " + "[" * 1500 + "]" * 1500 + "\n")
    assert f"quá {NESTING_MAX_DEPTH} tầng" in problem.message


def test_a_front_matter_block_past_its_limit_is_not_parsed():
    started = time.perf_counter()
    problem = _parse("summary: |\n" + "  dòng dài\n" * (FRONT_MATTER_MAX_CHARS // 10))
    assert time.perf_counter() - started < 1.0
    assert problem.field == "front matter" and "262.144" in problem.message


def test_a_file_past_its_limit_is_not_read(tmp_path):
    path = tmp_path / "articles" / "x.md"
    path.parent.mkdir()
    with path.open("wb") as handle:  # sparse: nothing is written but its size
        handle.truncate(FILE_MAX_BYTES + 1)
    fm, problem = frontmatter.read(path, tmp_path)
    assert fm is None and problem.path == "articles/x.md" and problem.field == "tệp" and "KB" in problem.message


def test_records_are_read_through_the_same_guard(mini):
    path = mini / "campaigns" / "nong-thon-moi.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("---\n", "---\nlol: &l [x, x]\nlols: [*l, *l]\n", 1), encoding="utf-8")
    records = load_records(mini, MarkdownRenderer())
    assert records.get("campaigns", "nong-thon-moi") is None
    assert [(p.path, p.line, p.field) for p in records.problems] == [("campaigns/nong-thon-moi.md", 2, "lol")]


def test_check_reports_the_alias_bomb_at_its_line(mini):
    path = mini / ARTICLE
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("---\n", "---\n" + billion_laughs(), 1), encoding="utf-8")
    started = time.perf_counter()
    result = check(str(ROOT / "pelicanconf.py"), str(mini))
    assert time.perf_counter() - started < 60
    assert [(p.path, p.line, p.field) for p in result.errors] == [(ARTICLE, 2, "a0")]
    assert "neo YAML '&a0'" in result.errors[0].message


def test_the_importer_refuses_a_draft_past_the_limits(tmp_path):
    from portal.tools.importer import ImportFailed, Vocabulary, import_file

    page = tmp_path / "trang.html"
    title = "Biểu dương " * (STRING_MAX_CHARS // 10)
    page.write_text(f"<html><body><h1>{title}</h1>" + "<p>Nội dung bài viết về phong trào thi đua yêu nước "
                    "của tỉnh trong năm nay, với nhiều điển hình tiên tiến được khen thưởng.</p>" * 3
                    + "</body></html>", "utf-8")
    with pytest.raises(ImportFailed, match="quá giới hạn 65.536 ký tự"):
        import_file(page, Vocabulary([]), tmp_path / "out", dry_run=True)
