"""Each kind of bad input fails the build with a message naming file and field,
a non-zero exit code, and the previous site left exactly as it was."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hostile import MARKDOWN, billion_laughs
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
    # No staging left; the cache and the (released) lock stay.
    assert not any(p.name.startswith(".output.") and p.name not in (".output.cache", ".output.lock")
                   for p in previous.parent.iterdir())
    return message


def test_malformed_yaml(mini, previous):
    edit(mini / ARTICLE, 'title: "Đắk Lắk nhận Cờ thi đua của Chính phủ"', 'title: [Đắk Lắk nhận cờ')
    _fails(mini, previous, ARTICLE, "[front matter]", "YAML không hợp lệ")


def test_an_alias_bomb_fails_within_seconds(mini, previous):
    edit(mini / ARTICLE, "date: 2024-01-15 09:00\n", "date: 2024-01-15 09:00\n" + billion_laughs())
    started = time.perf_counter()
    _fails(mini, previous, f"{ARTICLE}:4", "[a0]", "neo YAML '&a0'", "viết đầy đủ giá trị")
    assert time.perf_counter() - started < 60  # was 2 minutes and 9 GB for this one file


@pytest.mark.parametrize(("body", "message"), [
    (MARKDOWN["brackets ["](1_100_000), "quá giới hạn 1.000.000 ký tự"),
    (MARKDOWN["escapes \\*"](900_000), "giây để dựng thành trang"),
])
def test_a_body_too_long_or_too_slow_to_render_fails_within_seconds(mini, previous, body, message):
    path = mini / ARTICLE
    path.write_text(path.read_text(encoding="utf-8") + "\n" + body, encoding="utf-8")
    started = time.perf_counter()
    _fails(mini, previous, ARTICLE, "[nội dung]", message)
    assert time.perf_counter() - started < 60


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
    assert not any(p.name.startswith(".site.") and p.name not in (".site.cache", ".site.lock") for p in tmp_path.iterdir())


# Photos and documents (portal.media): every bad file names the article, line and field ----------------

_LEAD = 'provinces: [dak-lak]\n'


def _with_photo(mini: Path, name: str, content: bytes | None, extra: str = "") -> None:
    """Give the article a lead photo ``images/2024/<name>`` holding ``content`` (None: no file)."""
    if content is not None:
        (mini / "images" / "2024").mkdir(parents=True, exist_ok=True)
        (mini / "images" / "2024" / name).write_bytes(content)
    edit(mini / ARTICLE, _LEAD, _LEAD + f"image: images/2024/{name}\n{extra}")


def _jpeg(size: tuple[int, int] = (900, 600)) -> bytes:
    from io import BytesIO

    from PIL import Image

    out = BytesIO()
    Image.effect_noise(size, 50).convert("RGB").save(out, "JPEG")
    return out.getvalue()


GOOD = 'image_alt: "Lễ trao cờ"\nimage_credit: "Thu Hằng"\n'


@pytest.mark.parametrize(("name", "content", "message"), [
    ("khong-co.jpg", None, "không có tệp ảnh 'images/2024/khong-co.jpg'"),
    ("cat-do.jpg", _jpeg()[:4000], "ảnh hỏng hoặc không đầy đủ"),
    ("ve.jpg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "một tệp SVG"),
    ("trang.jpg", b"<!DOCTYPE html><html><script>alert(1)</script></html>", "một trang HTML"),
])
def test_bad_lead_photo(mini, previous, name, content, message):
    _with_photo(mini, name, content, GOOD)
    _fails(mini, previous, f"{ARTICLE}:6", "[image]", message, "cách sửa")


def test_decompression_bomb(mini, previous):
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    bomb = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 40000, 40000, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b""))
    _with_photo(mini, "bom.png", bomb, GOOD)
    _fails(mini, previous, f"{ARTICLE}:6", "[image]", "quá lớn")


@pytest.mark.parametrize(("missing", "field"), [("image_alt", "image_alt"), ("image_credit", "image_credit")])
def test_lead_photo_without_alt_text_or_credit(mini, previous, missing, field):
    extra = "".join(line + "\n" for line in GOOD.splitlines() if not line.startswith(missing))
    _with_photo(mini, "le-trao-co.jpg", _jpeg(), extra)
    _fails(mini, previous, f"{ARTICLE}:6", f"[{field}]", f"thiếu '{missing}'")


def test_a_pdf_that_is_not_a_pdf(mini, previous):
    (mini / "documents").mkdir()
    (mini / "documents" / "quyet-dinh.pdf").write_bytes(b"<html><body>Quyet dinh</body></html>")
    edit(mini / ARTICLE, "    campaign: nong-thon-moi\n",
         "    campaign: nong-thon-moi\n    decision_file: documents/quyet-dinh.pdf\n")
    _fails(mini, previous, ARTICLE, "[decision_file]", "không phải PDF")


def test_a_photo_from_another_site_is_never_shown(mini, previous):
    edit(mini / ARTICLE, "Tỉnh nhận cờ.", 'Tỉnh nhận cờ.\n\n![Lễ trao cờ](https://example.com/a.jpg "Ảnh: X")')
    _fails(mini, previous, ARTICLE, "[ảnh trong bài 1]", "ở ngoài trang")


def test_a_photo_in_the_body_needs_alt_text_and_a_credit(mini, previous):
    (mini / "images").mkdir()
    (mini / "images" / "a.jpg").write_bytes(_jpeg())
    edit(mini / ARTICLE, "Tỉnh nhận cờ.", "Tỉnh nhận cờ.\n\n![](images/a.jpg)")
    _fails(mini, previous, ARTICLE, "[ảnh trong bài 1]", "thiếu mô tả", "thiếu tác giả")
