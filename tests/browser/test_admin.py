"""Browser editing as an editor does it: Decap CMS at /admin/ against decap-server, in Debian's Chromium.

A copy of the shipped content is built, decap-server writes into that copy, the admin page is served
from the build. The editor writes an article, picks its campaign in the relation widget and an honour
in the honours list, publishes it; the file lands in content/articles/<year>/<ascii slug>.md with slugs
in its front matter, and the next (strict) build lists it on the campaign's page.

Needs `npm ci` (node_modules/decap-cms and decap-server); CI gets them through `make`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
import unicodedata
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from portal.tools.browser import serve
from support import ROOT, free_port, run_build, soup, stop

NODE_MODULES = ROOT / "node_modules"
DECAP_SCRIPT = NODE_MODULES / "decap-cms" / "dist" / "decap-cms.js"
DECAP_SERVER = NODE_MODULES / ".bin" / "decap-server"

# Typed as Word pastes it (NFD) and with the eth look-alike "Ð" (U+00D0) for "Đ": the slug must still be ASCII.
TITLE = "Đắk Lắk biểu dương điển hình thi đua"
TYPED_TITLE = unicodedata.normalize("NFD", "\u00d0" + TITLE[1:])
SLUG = "dak-lak-bieu-duong-dien-hinh-thi-dua"
CAMPAIGN, CAMPAIGN_NAME = "nong-thon-moi", "Cả nước chung sức xây dựng nông thôn mới"


@dataclass
class CmsSite:
    repo: Path  # holds content/ (decap-server writes here) and output/
    url: str  # the built site, admin at /admin/
    settings: Path



def _wait_for_proxy(url: str, process: subprocess.Popen, log: Path, timeout: float = 30) -> None:
    """Poll decap-server's API until it answers (or fail with its log)."""
    request = urllib.request.Request(url, data=json.dumps({"action": "info"}).encode(),
                                     headers={"Content-Type": "application/json"})
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"decap-server exited: {log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(request, timeout=2) as response:
                if json.load(response).get("type") == "local_fs":
                    return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"decap-server did not answer at {url}: {log.read_text(errors='replace')}")


@pytest.fixture(scope="module")
def cms_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CmsSite]:
    """A copy of the sample content, built, with decap-server and a static server running on it."""
    if not DECAP_SCRIPT.is_file() or not DECAP_SERVER.exists() or shutil.which("node") is None:
        pytest.skip("Decap CMS is not installed: run `npm ci` (CI does, through make)")
    root = tmp_path_factory.mktemp("cms")
    repo = root / "repo"
    shutil.copytree(ROOT / "content", repo / "content")
    proxy_port = free_port()
    proxy_url = f"http://127.0.0.1:{proxy_port}/api/v1"
    settings = root / "settings.py"
    settings.write_text(f"from pelicanconf import *\nTHEME = {str(ROOT / 'theme')!r}\n"
                        f"PLUGIN_PATHS = [{str(ROOT / 'plugins')!r}]\nCMS_LOCAL_BACKEND_URL = {proxy_url!r}\n")
    result = run_build(repo / "content", repo / "output", strict=True, settings=str(settings))
    assert result.returncode == 0, result.stderr
    assert (repo / "output" / "admin" / "decap-cms.js").is_file()

    log = root / "decap-server.log"
    with log.open("wb") as out:
        proxy = subprocess.Popen([str(DECAP_SERVER)], cwd=repo, stdout=out, stderr=subprocess.STDOUT,
                                 env={**os.environ, "PORT": str(proxy_port), "BIND_HOST": "127.0.0.1"})
    try:
        with serve(repo / "output") as base:
            _wait_for_proxy(proxy_url, proxy, log)
            yield CmsSite(repo, base, settings)
    finally:
        stop(proxy)


def _front_matter(path: Path) -> tuple[dict, str]:
    match = re.fullmatch(r"---\n(.*?)\n---\n(.*)", path.read_text(encoding="utf-8"), re.DOTALL)
    assert match, path.read_text(encoding="utf-8")
    return yaml.safe_load(match.group(1)), match.group(2)


def _open_admin(page, site: CmsSite) -> None:
    page.goto(f"{site.url}/admin/")
    page.get_by_role("button", name="Đăng nhập").click()  # the local backend's login: no password
    page.get_by_role("link", name="Tin bài", exact=True).wait_for()


def _publish(page) -> None:
    saved = "() => [...document.querySelectorAll('div')].filter(d => d.textContent === 'Mục đã được lưu').length"
    before = page.evaluate(saved)
    page.get_by_role("button", name="Công bố", exact=True).click()
    page.get_by_role("menuitem", name="Công bố ngay").click()
    page.wait_for_function(f"() => ({saved})() > {before}")


def _articles(site: CmsSite) -> set[str]:
    folder = site.repo / "content" / "articles"
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*.md")}


def test_editor_writes_an_article_in_a_campaign_and_the_next_build_lists_it(page, cms_site):
    before = _articles(cms_site)
    _open_admin(page, cms_site)
    # The collections, in Vietnamese, one per content kind.
    for label in ("Tin bài", "Trang tĩnh", "Phong trào thi đua", "Cụm, khối thi đua", "Điển hình tiên tiến",
                  "Tỉnh, thành phố"):
        assert page.get_by_role("link", name=label, exact=True).count() == 1, label

    page.get_by_role("link", name="Tin bài", exact=True).click()
    page.get_by_role("link", name="Tạo bài thuộc loại Tin bài").click()
    page.get_by_label("Tiêu đề").fill(TYPED_TITLE)
    page.get_by_label("Ngày đăng").fill("2026-01-15T08:30")
    # Relation widget: type part of the campaign's name, pick it; the file gets its slug.
    page.get_by_label("Phong trào").press_sequentially("nông thôn")
    page.get_by_role("option", name=CAMPAIGN_NAME, exact=True).click()
    # Honours list: one proposed honour, every reference picked by name.
    page.get_by_role("button", name="Thêm khen thưởng").click()
    page.get_by_label("Người/tập thể nhận").press_sequentially("Đắk Nông")
    page.get_by_role("option", name="Tỉnh Đắk Nông", exact=True).click()
    page.get_by_label("Danh hiệu/hình thức").press_sequentially("Cờ thi đua của Chính phủ")
    page.get_by_role("option", name="Cờ thi đua của Chính phủ", exact=True).click()
    page.get_by_label("Năm thành tích").fill("2025")
    page.get_by_label("Giai đoạn").click()
    page.get_by_role("option", name="Đề nghị", exact=True).click()
    page.locator("[data-slate-editor]").click()
    page.keyboard.type("Tỉnh Đắk Lắk biểu dương 120 điển hình tiên tiến trong phong trào xây dựng nông thôn mới.")
    # The preview pane wears the site's stylesheet.
    preview = page.frame_locator("#preview-pane")
    preview.locator("link[href='/theme/css/site.css']").wait_for(state="attached")
    _publish(page)

    # One new file, in the folder of the article's year, named by the ASCII slug of its title.
    assert _articles(cms_site) - before == {f"2026/{SLUG}.md"}
    data, body = _front_matter(cms_site.repo / "content" / "articles" / "2026" / f"{SLUG}.md")
    assert data["title"] == TITLE  # NFC, "Đ" not "Ð"
    assert str(data["date"]) == "2026-01-15 08:30"
    assert data["campaigns"] == [CAMPAIGN]
    assert data["honours"] == [{"recipient": "tinh-dak-nong", "award": "co-thi-dua-cua-chinh-phu", "year": 2025,
                                "stage": "proposed"}]
    assert "120 điển hình tiên tiến" in body

    result = run_build(cms_site.repo / "content", cms_site.repo / "output", strict=True,
                       settings=str(cms_site.settings))
    assert result.returncode == 0, result.stderr
    url = f"/tin-tuc/2026/{SLUG}/"
    campaign_page = soup(cms_site.repo / "output", f"/phong-trao/{CAMPAIGN}/")
    assert campaign_page.select_one(f".term-articles a[href='{url}']"), "the campaign page does not list the article"
    article = soup(cms_site.repo / "output", url)
    assert article.h1.get_text(strip=True) == TITLE


def test_editing_a_record_keeps_its_honours_and_references(page, cms_site):
    """A round trip through the editor (an exemplar with its own honours) still passes the strict build."""
    path = cms_site.repo / "content" / "exemplars" / "dinh-thi-thanh-xuan.md"
    before, _ = _front_matter(path)
    _open_admin(page, cms_site)
    page.get_by_role("link", name="Điển hình tiên tiến", exact=True).click()
    page.locator("a[href='#/collections/exemplars/entries/dinh-thi-thanh-xuan']").click()
    position = page.get_by_label("Chức vụ")
    position.fill("Giáo viên dạy giỏi")
    _publish(page)

    after, _ = _front_matter(path)
    assert after == {**before, "position": "Giáo viên dạy giỏi"}
    result = run_build(cms_site.repo / "content", cms_site.repo / "output", strict=True,
                       settings=str(cms_site.settings))
    assert result.returncode == 0, result.stderr
    assert "Giáo viên dạy giỏi" in soup(cms_site.repo / "output", "/dien-hinh/dinh-thi-thanh-xuan/").get_text()
