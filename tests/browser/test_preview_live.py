"""The resident preview in a real browser: a save reloads the open page; a content error shows over it and clears.

The preview runs as editors run it (``portal.tools.preview.serve``) on a copy of the mini portal;
after every kind of edit, once it has caught up, its site equals a cold build's, file for file.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import urllib.request

import pytest

from support import DATA, ROOT, assert_equal_to_cold, edit, free_port, started, stop

ARTICLE = "articles/2024/dak-lak-nhan-co-thi-dua.md"
URL = "/tin-tuc/2024/dak-lak-nhan-co-thi-dua/"


def _status(base: str) -> dict:
    with urllib.request.urlopen(f"{base}/__xem-truoc/trang-thai", timeout=5) as response:
        return json.loads(response.read())


def _caught_up(base: str, seconds: float = 60) -> dict:
    """Wait until the preview has built every save; return its status."""
    deadline = time.monotonic() + seconds
    while True:
        time.sleep(0.3)  # a save is seen within 50 ms; give it the time to be counted
        status = _status(base)
        if not status["building"]:
            return status
        assert time.monotonic() < deadline, status


@pytest.fixture
def preview(tmp_path):
    content, output = tmp_path / "content", tmp_path / "output"
    shutil.copytree(DATA / "mini", content)
    port = free_port()
    code = (f"from portal.tools.preview import serve; serve({port}, {str(ROOT / 'pelicanconf.py')!r}, "
            f"{str(output)!r}, {str(content)!r})")
    server = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        started(f"{base}/__xem-truoc/trang-thai", server, seconds=120)
    except BaseException:
        stop(server)
        raise
    try:
        yield content, output, base
    finally:
        stop(server)


def test_a_save_reloads_the_page_and_an_error_shows_over_it(preview, browser):
    content, _, base = preview
    page = browser.new_page()
    page.goto(base + URL)
    assert page.locator("h1").first.inner_text().startswith("Đắk Lắk nhận Cờ thi đua")
    page.evaluate("window.__kept = true")  # gone once the page reloads itself
    edit(content / ARTICLE, "\ntitle: ", "\ntitle: Đã sửa – ")
    page.wait_for_function("() => !window.__kept && document.querySelector('h1')?.textContent.includes('Đã sửa')",
                           timeout=10_000)

    # A broken front matter: the last good page stays, the error is shown over it, naming file and line.
    text = (content / ARTICLE).read_text(encoding="utf-8")
    (content / ARTICLE).write_text(text.replace("\ntitle: ", "\ntitle: [chưa đóng ngoặc ", 1), encoding="utf-8")
    overlay = page.locator("#xem-truoc-loi")
    overlay.wait_for(timeout=10_000)
    assert ARTICLE in overlay.inner_text() and "cách sửa" in overlay.inner_text(), overlay.inner_text()
    assert "Đã sửa" in page.locator("h1").first.inner_text()
    assert "Đã sửa" in urllib.request.urlopen(base + URL).read().decode("utf-8")  # the site kept its page

    # Fixed: the overlay clears without a restart, and the page shows the new text.
    (content / ARTICLE).write_text(text.replace("\ntitle: ", "\ntitle: Sửa lần hai – ", 1), encoding="utf-8")
    page.wait_for_function("() => document.querySelector('h1')?.textContent.includes('Sửa lần hai')",
                           timeout=10_000)
    assert _caught_up(base)["error"] is None
    page.wait_for_function("() => !document.querySelector('#xem-truoc-loi')", timeout=10_000)

    # An error only the whole site can see (an unknown exemplar): shown by the build, with a did-you-mean.
    edit(content / ARTICLE, "recipient: nguyen-thi-an", "recipient: nguyen-thi-anh")
    page.wait_for_function("() => document.querySelector('#xem-truoc-loi')?.innerText.includes('nguyen-thi-anh')",
                           timeout=30_000)
    assert "nguyen-thi-an?" in overlay.inner_text() or "nguyen-thi-an'" in overlay.inner_text() \
        or "nguyen-thi-an”" in overlay.inner_text(), overlay.inner_text()
    edit(content / ARTICLE, "recipient: nguyen-thi-anh", "recipient: nguyen-thi-an")
    assert _caught_up(base)["error"] is None
    page.wait_for_function("() => !document.querySelector('#xem-truoc-loi')", timeout=10_000)
    page.close()


EDITS = {
    "body": lambda c: (c / ARTICLE).write_text((c / ARTICLE).read_text(encoding="utf-8") + "\nMột đoạn mới.\n",
                                               encoding="utf-8"),
    "campaigns": lambda c: edit(c / ARTICLE, "campaigns: [", "campaigns: [doi-moi-sang-tao, "),
    "exemplar": lambda c: edit(c / "exemplars/nguyen-thi-an.md", "\n---\n", "\n---\nMột dòng tiểu sử mới.\n"),
    "new article": lambda c: (c / "articles/2024/tin-moi-xem-truoc.md").write_text(
        '---\ntitle: "Tin mới trong bản xem trước"\ndate: 2024-03-01 08:00\ncampaigns: [nong-thon-moi]\n---\n'
        "Nội dung tin mới.\n", encoding="utf-8"),
    "deleted article": lambda c: (c / "articles/2024/tin-moi-xem-truoc.md").unlink(),
}


def test_after_every_kind_of_edit_the_preview_equals_a_cold_build(preview):
    content, output, base = preview
    for label, make in EDITS.items():
        make(content)
        status = _caught_up(base)
        assert status["error"] is None, status["error"]
        assert_equal_to_cold(content, output, label, env={"PORTAL_SITE_URL": base})
