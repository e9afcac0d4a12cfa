"""Editors' commands: new files from the schema, check without building, safe fixes."""

from __future__ import annotations

import shutil
import subprocess
import sys
import unicodedata
from datetime import datetime

import pytest

from portal.tools.authoring import check, fix_file, new
from support import ROOT, run_build

NOW = datetime(2026, 3, 5, 9, 30)


@pytest.mark.parametrize("kind", ["article", "exemplar", "campaign", "cluster", "award", "province", "page"])
def test_new_file_is_valid_content_the_build_accepts(mini, tmp_path, kind):
    name = {"award": "Huân chương Đại đoàn kết", "province": "Đồng Tháp"}.get(kind, "Đắk Lắk biểu dương điển hình")
    path = new(mini, kind, name, now=NOW)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n") and "# " in text  # commented template
    if kind == "article":
        assert path.relative_to(mini).as_posix() == "articles/2026/dak-lak-bieu-duong-dien-hinh.md"
        assert "status: draft" in text and "date: 2026-03-05 09:30" in text
    if kind in ("award", "exemplar"):  # required fields still need the editor: the build says which
        result = run_build(mini, tmp_path / "out")
        assert result.returncode != 0 and path.name in result.stderr
    else:
        result = run_build(mini, tmp_path / "out", strict=True)
        assert result.returncode == 0, result.stderr


def test_new_never_overwrites_and_disambiguates(mini):
    first = new(mini, "exemplar", "Đào Văn Bình")  # dao-van-binh.md already exists in the mini tree
    assert first.name == "dao-van-binh-2.md"
    assert new(mini, "exemplar", "Đào Văn Bình").name == "dao-van-binh-3.md"
    assert (mini / "exemplars" / "dao-van-binh.md").read_text(encoding="utf-8").startswith('---\nname: "Đào Văn Bình"')


def test_new_rejects_unknown_kind_and_empty_slug(mini):
    with pytest.raises(ValueError, match="không có loại"):
        new(mini, "tin", "X")
    with pytest.raises(ValueError, match="không tạo được slug"):
        new(mini, "article", "!!!")


def test_check_reports_like_the_build_without_writing(mini, tmp_path):
    path = mini / "articles/2024/dak-lak-nhan-co-thi-dua.md"
    path.write_text(path.read_text(encoding="utf-8").replace("award: co-thi-dua-cua-chinh-phu",
                                                             "award: co-thi-dua-chinh-phu"), encoding="utf-8")
    result = check(str(ROOT / "pelicanconf.py"), str(mini))
    assert [(p.path, p.line, p.field) for p in result.errors] == [
        ("articles/2024/dak-lak-nhan-co-thi-dua.md", 8, "honours[0].award")]
    assert "co-thi-dua-cua-chinh-phu" in result.errors[0].fix


def test_check_reports_bad_photos_and_documents_too(mini):
    (mini / "images").mkdir()
    (mini / "images" / "gia.jpg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8")
    path = mini / "exemplars/nguyen-thi-an.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\n---\n", '\nphoto: images/gia.jpg\nphoto_alt: "Chân dung"\nphoto_credit: "X"\n---\n', 1),
                    encoding="utf-8")
    article = mini / "articles/2024/dak-lak-nhan-co-thi-dua.md"
    article.write_text(article.read_text(encoding="utf-8").replace(
        "    campaign: nong-thon-moi\n", "    campaign: nong-thon-moi\n    decision_file: documents/khong-co.pdf\n"),
        encoding="utf-8")
    result = check(str(ROOT / "pelicanconf.py"), str(mini))
    found = {(p.path, p.field): p.message for p in result.errors}
    assert "SVG" in found[("exemplars/nguyen-thi-an.md", "photo")]
    assert "documents/khong-co.pdf" in found[("articles/2024/dak-lak-nhan-co-thi-dua.md", "decision_file")]


def test_check_finds_exemplars_that_look_like_duplicates(mini):
    (mini / "exemplars" / "dao-van-binh-dak-lak.md").write_text(
        '---\nname: "Đào Văn Bình"\nkind: person\nprovince: dak-lak\n---\n', encoding="utf-8")
    messages = [str(p) for p in check(str(ROOT / "pelicanconf.py"), str(mini)).warnings]
    assert any("exemplars/dao-van-binh.md" in m and "có vẻ trùng" in m for m in messages)


def test_fix_applies_only_safe_changes_and_says_what(tmp_path):
    path = tmp_path / "x.md"
    body = "Đoạn  có hai dấu cách  \n"
    path.write_bytes(("\ufeff---\r\ntitle: \"\u00d0a\u0300 Na\u0306\u0303ng\"   \r\n---\r\n" + body).encode("utf-8"))
    changes = fix_file(path)
    assert changes == ["bỏ ký tự BOM ở đầu tệp", "đổi xuống dòng CRLF thành LF", "đổi chữ Ð (eth) thành Đ",
                       "chuẩn hoá Unicode về dạng dựng sẵn (NFC)", "bỏ khoảng trắng thừa cuối dòng trong phần thông tin"]
    text = path.read_text(encoding="utf-8")
    assert text == '---\ntitle: "Đà Nẵng"\n---\n' + body  # the body's spaces (Markdown line breaks) stay
    assert unicodedata.is_normalized("NFC", text)
    assert fix_file(path) == []


def test_invoke_check_exits_non_zero_on_errors(mini):
    shutil.copytree(ROOT / "content", mini.parent / "repo" / "content")
    repo = mini.parent / "repo"
    for name in ("pelicanconf.py", "tasks.py"):
        shutil.copy(ROOT / name, repo / name)
    for name in ("theme", "plugins"):
        (repo / name).symlink_to(ROOT / name)
    ok = subprocess.run([sys.executable, "-m", "invoke", "check"], cwd=repo, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "0 lỗi" in ok.stdout
    bad = repo / "content/campaigns/nong-thon-moi.md"
    bad.write_text(bad.read_text(encoding="utf-8").replace("scope: national", "scope: nationwide"), encoding="utf-8")
    failed = subprocess.run([sys.executable, "-m", "invoke", "check"], cwd=repo, capture_output=True, text=True)
    assert failed.returncode == 1
    assert "campaigns/nong-thon-moi.md:" in failed.stdout and "[scope]" in failed.stdout


