"""The resident preview's fast pages: an edited file's own page, drawn from the graph in memory before the build.

The preview object is driven directly (no watcher, no server), so each step is deterministic: the
page served from memory carries the edit while the file on disk does not yet; a build then takes over.
"""

from __future__ import annotations

import shutil

import pytest

from portal.tools.preview import Preview
from support import DATA, ROOT, edit


@pytest.fixture
def preview(tmp_path, monkeypatch):
    monkeypatch.setenv("PORTAL_SITE_URL", "http://127.0.0.1:8000")
    content = tmp_path / "content"
    shutil.copytree(DATA / "mini", content)
    made = Preview(str(ROOT / "pelicanconf.py"), str(tmp_path / "output"), str(content), "http://127.0.0.1:8000")
    assert made.build() and made.site is not None
    return made, content


def _served(preview: Preview, url: str) -> str:
    return preview.page(url).decode("utf-8")


def _on_disk(preview: Preview, url: str) -> str:
    return (preview.output / url.strip("/") / "index.html").read_text(encoding="utf-8")


def test_an_article_text_edit_is_served_from_memory_then_built(preview):
    made, content = preview
    url = "/tin-tuc/2024/dak-lak-nhan-co-thi-dua/"
    path = content / "articles/2024/dak-lak-nhan-co-thi-dua.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nMột câu mới trong bản xem trước.\n", encoding="utf-8")
    assert made.fast(str(path), 1)
    assert "Một câu mới trong bản xem trước." in _served(made, url)
    assert "Một câu mới" not in _on_disk(made, url)
    assert "Cờ thi đua của Chính phủ" in _served(made, url)  # the rest of the page as the graph has it
    made.generation = 1
    assert made.build()
    assert made.overlay == {} and "Một câu mới trong bản xem trước." in _on_disk(made, url)
    assert _served(made, url) == _on_disk(made, url)


def test_a_record_body_edit_is_served_from_memory(preview):
    made, content = preview
    path = content / "exemplars/nguyen-thi-an.md"
    edit(path, "\n---\n", "\n---\nTiểu sử viết lại trong bản xem trước.\n")
    assert made.fast(str(path), 1)
    assert "Tiểu sử viết lại trong bản xem trước." in _served(made, "/dien-hinh/nguyen-thi-an/")
    assert "Tiểu sử viết lại" not in _on_disk(made, "/dien-hinh/nguyen-thi-an/")


def test_a_change_to_the_graph_waits_for_the_build(preview):
    made, content = preview
    article = content / "articles/2024/dak-lak-nhan-co-thi-dua.md"
    edit(article, "campaigns: [", "campaigns: [doi-moi-sang-tao, ")
    assert not made.fast(str(article), 1)
    campaign = content / "campaigns/nong-thon-moi.md"
    edit(campaign, "short_name: \"", "short_name: \"Tên mới – ")
    assert not made.fast(str(campaign), 2)
    assert made.overlay == {} and made.error is None


def test_a_broken_file_is_reported_at_once(preview):
    made, content = preview
    path = content / "articles/2024/dak-lak-nhan-co-thi-dua.md"
    edit(path, "\ntitle: ", "\ntitle: [chưa đóng ")
    assert not made.fast(str(path), 1)
    assert made.error is not None and "articles/2024/dak-lak-nhan-co-thi-dua.md" in made.error
    assert made.overlay == {}
