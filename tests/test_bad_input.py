"""Each kind of bad input fails the build with a message naming file and field,
a non-zero exit code, and the previous site left exactly as it was."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from support import ROOT, edit, run_build, snapshot

ARTICLE = "articles/2024/dak-lak-nhan-co-thi-dua.md"


@pytest.fixture
def previous(tmp_path: Path) -> Path:
    """An output folder holding a previous site that must survive a failed build."""
    output = tmp_path / "output"
    (output / "tin-tuc").mkdir(parents=True)
    (output / "index.html").write_text("<p>trang cũ</p>", encoding="utf-8")
    (output / "tin-tuc" / "index.html").write_text("<p>tin cũ</p>", encoding="utf-8")
    return output


def _fails(mini: Path, previous: Path, *expected: str, strict: bool = False) -> str:
    before = snapshot(previous)
    result = run_build(mini, previous, strict=strict)
    message = result.stderr
    assert result.returncode != 0, result.stdout + result.stderr
    for text in expected:
        assert text in message, f"{text!r} not in:\n{message}"
    assert snapshot(previous) == before
    assert not any(p.name.startswith(".output.") and p.name != ".output.cache" for p in previous.parent.iterdir())
    return message


def test_malformed_yaml(mini, previous):
    edit(mini / ARTICLE, 'title: "Đắk Lắk nhận Cờ thi đua của Chính phủ"', 'title: [Đắk Lắk nhận cờ')
    _fails(mini, previous, ARTICLE, "[front matter]", "YAML không hợp lệ")


def test_missing_title(mini, previous):
    edit(mini / ARTICLE, 'title: "Đắk Lắk nhận Cờ thi đua của Chính phủ"\n', "")
    _fails(mini, previous, ARTICLE, "[title]", "thiếu trường bắt buộc 'title'")


def test_missing_date(mini, previous):
    edit(mini / ARTICLE, "date: 2024-01-15 09:00\n", "")
    _fails(mini, previous, ARTICLE, "[date]", "thiếu trường bắt buộc 'date'")


def test_invalid_date(mini, previous):
    edit(mini / ARTICLE, "date: 2024-01-15 09:00", "date: 2024-02-30")
    message = _fails(mini, previous, f"{ARTICLE}:3", "[date]", "không tồn tại")
    assert "YYYY-MM-DD" in message


def test_unparseable_date(mini, previous):
    edit(mini / ARTICLE, "date: 2024-01-15 09:00", "date: 15/01/2024")
    _fails(mini, previous, f"{ARTICLE}:3", "[date]", "không phải ngày hợp lệ")


@pytest.mark.parametrize(("field", "old", "new", "suggestion"), [
    ("campaigns[0]", "campaigns: [nong-thon-moi, vi-nguoi-ngheo]", "campaigns: [nong-thon-mo, vi-nguoi-ngheo]",
     "'nong-thon-moi'"),
    ("provinces[0]", "provinces: [dak-lak]", "provinces: [dac-lak]", "'dak-lak'"),
])
def test_unknown_slug_in_article_lists(mini, previous, field, old, new, suggestion):
    edit(mini / ARTICLE, old, new)
    message = _fails(mini, previous, ARTICLE, f"[{field}]", "có phải ý bạn là")
    assert suggestion in message


def test_unknown_cluster_and_exemplar(mini, previous):
    rel = "articles/2023/cum-tay-nguyen-ky-giao-uoc.md"
    edit(mini / rel, "clusters: [cum-tay-nguyen]", "clusters: [cum-tay-ngyen]")
    edit(mini / rel, "exemplars: [tinh-dak-lak]", "exemplars: [tinh-dac-lak]")
    message = _fails(mini, previous, f"{rel}:5", "[clusters[0]]", "'cum-tay-nguyen'", f"{rel}:7: lỗi: [exemplars[0]]",
                     "'tinh-dak-lak'")
    assert message.count("có phải ý bạn là") == 2


def test_unknown_award_in_honour(mini, previous):
    edit(mini / ARTICLE, "award: co-thi-dua-cua-chinh-phu", "award: co-thi-dua-chinh-phu")
    _fails(mini, previous, f"{ARTICLE}:8", "[honours[0].award]", "không có danh hiệu", "'co-thi-dua-cua-chinh-phu'")


def test_unknown_recipient_in_honour(mini, previous):
    edit(mini / ARTICLE, "recipient: tinh-dak-lak", "recipient: tinh-daklak")
    _fails(mini, previous, f"{ARTICLE}:7", "[honours[0].recipient]", "không có điển hình", "'tinh-dak-lak'")


def test_unknown_slug_without_close_match_says_how_to_create_it(mini, previous):
    edit(mini / ARTICLE, "campaigns: [nong-thon-moi, vi-nguoi-ngheo]", "campaigns: [xyz-khong-ton-tai]")
    _fails(mini, previous, "[campaigns[0]]", "content/campaigns/xyz-khong-ton-tai.md")


def test_two_records_with_one_slug(mini, previous):
    (mini / "exemplars" / "cu").mkdir()
    (mini / "exemplars" / "cu" / "dao-van-binh.md").write_text(
        "---\nname: \"Đào Văn Bình\"\nkind: person\n---\n", encoding="utf-8")
    _fails(mini, previous, "exemplars/", "[slug]", "cùng slug 'dao-van-binh'")


def test_file_name_that_is_not_a_slug(mini, previous):
    (mini / ARTICLE).rename(mini / "articles/2024/Đắk Lắk nhận cờ.md")
    _fails(mini, previous, "articles/2024/Đắk Lắk nhận cờ.md", "[tên tệp]", "'dak-lak-nhan-co.md'")


def test_record_with_bad_choice(mini, previous):
    edit(mini / "exemplars/dao-van-binh.md", "kind: person", "kind: persn")
    _fails(mini, previous, "exemplars/dao-van-binh.md:3", "[kind]", "'person'")


def test_award_that_does_not_fit_the_recipient_warns_and_fails_in_strict_mode(mini, previous, tmp_path):
    edit(mini / "articles/2023/kon-tum-khen-thuong-giao-vien.md",
          "award: bang-khen-cua-thu-tuong-chinh-phu", "award: co-thi-dua-cua-chinh-phu")
    relaxed = run_build(mini, tmp_path / "relaxed")
    assert relaxed.returncode == 0, relaxed.stderr
    assert "chỉ dành cho tập thể, địa phương" in relaxed.stdout + relaxed.stderr
    _fails(mini, previous, "articles/2023/kon-tum-khen-thuong-giao-vien.md:6", "[honours[0].award]",
           "'Nguyễn Thị An' là cá nhân", strict=True)


def test_names_folding_to_one_slug_warn_and_fail_in_strict_mode(mini, previous, tmp_path):
    (mini / "exemplars" / "dao-van-binh-2.md").write_text(
        "---\nname: \"Đào Văn Bính\"\nkind: person\nprovince: kon-tum\n---\n", encoding="utf-8")
    relaxed = run_build(mini, tmp_path / "relaxed")
    assert relaxed.returncode == 0, relaxed.stderr
    assert "cùng ra slug 'dao-van-binh'" in relaxed.stdout + relaxed.stderr
    _fails(mini, previous, "exemplars/dao-van-binh.md", "[name]", "dao-van-binh-dak-lak.md", strict=True)


def test_every_problem_is_reported_at_once(mini, previous):
    edit(mini / ARTICLE, "date: 2024-01-15 09:00", "date: 2024-13-01")
    edit(mini / "exemplars/dao-van-binh.md", "province: dak-lak", "province: dak-lac")
    message = _fails(mini, previous, ARTICLE, "exemplars/dao-van-binh.md")
    assert "2 lỗi" in message


def test_failed_build_keeps_a_real_previous_site(mini, tmp_path):
    output = tmp_path / "site"
    assert run_build(mini, output).returncode == 0
    before = snapshot(output)
    assert "dien-hinh/dao-van-binh/index.html" in before
    edit(mini / ARTICLE, "recipient: tinh-dak-lak", "recipient: khong-co")
    assert run_build(mini, output).returncode != 0
    assert snapshot(output) == before


def test_template_error_fails_the_build_and_keeps_the_previous_site(mini, tmp_path, monkeypatch):
    output = tmp_path / "site"
    assert run_build(mini, output).returncode == 0
    before = snapshot(output)
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    (theme / "templates" / "profile.html").write_text("{% extends 'term.html' %}{% block extra %}{{ 1/0 }}{% endblock %}")
    settings = tmp_path / "settings.py"
    settings.write_text(f"from pelicanconf import *\nTHEME = {str(theme)!r}\n"
                        f"PLUGIN_PATHS = [{str(ROOT / 'plugins')!r}]\n")
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    result = subprocess.run([sys.executable, "-m", "portal", "build", "-s", str(settings), "-c", str(mini),
                             "-o", str(output)], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode != 0
    assert "ZeroDivisionError" in result.stderr
    assert snapshot(output) == before


def test_search_step_failure_keeps_the_previous_site(mini, tmp_path):
    output = tmp_path / "site"
    assert run_build(mini, output).returncode == 0
    before = snapshot(output)
    broken = tmp_path / "pagefind"
    # It dies after reading a request: the case where the Pagefind wrapper would wait forever.
    broken.write_text("#!/bin/sh\nsleep 0.3\necho 'pagefind: disk full' >&2\nexit 3\n")
    broken.chmod(0o755)
    result = run_build(mini, output, env={"PAGEFIND_BINARY_PATH": str(broken)}, full=True)
    assert result.returncode != 0
    assert "không lập được chỉ mục tìm kiếm (Pagefind)" in result.stderr
    assert snapshot(output) == before
    assert not any(p.name.startswith(".site.") and p.name != ".site.cache" for p in tmp_path.iterdir())
