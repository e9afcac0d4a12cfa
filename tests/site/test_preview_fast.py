"""The resident preview's fast pages: an edited file's own page, drawn from the graph in memory before the build.

The preview object is driven directly (no watcher, no server), so each step is deterministic: the
page served from memory carries the edit while the file on disk does not yet; a build then takes over.
"""

from __future__ import annotations

import gc
import shutil
import threading
import time
import weakref

import pytest

from portal.incremental import SESSION
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


def test_an_article_naming_other_records_is_joined_again_in_memory(preview):
    made, content = preview
    url = "/tin-tuc/2024/dak-lak-nhan-co-thi-dua/"
    article = content / "articles/2024/dak-lak-nhan-co-thi-dua.md"
    assert "/phong-trao/doi-moi-sang-tao/" not in _served(made, url)
    graph = made.site.portal.graph
    edit(article, "campaigns: [", "campaigns: [doi-moi-sang-tao, ")
    assert made.fast(str(article), 1)
    assert "/phong-trao/doi-moi-sang-tao/" in _served(made, url)  # its new campaign, resolved in the graph
    assert "/phong-trao/doi-moi-sang-tao/" not in _on_disk(made, url)
    assert made.site.portal.graph is graph  # in memory, without a join: the build moves it between terms
    fast = _served(made, url)
    made.generation = 1
    assert made.build() and _on_disk(made, url) == fast  # the page the build then writes is the one shown
    edit(article, "campaigns: [doi-moi-sang-tao, ", "campaigns: [doi-moi-sang-tao-x, ")
    assert not made.fast(str(article), 2)  # a slug no record has: shown at once, with a did-you-mean
    assert "doi-moi-sang-tao-x" in made.error and "doi-moi-sang-tao" in made.error.replace("doi-moi-sang-tao-x", "")
    made.generation = 2
    assert not made.build()  # the build agrees, and keeps the site
    edit(article, "campaigns: [doi-moi-sang-tao-x, ", "campaigns: [doi-moi-sang-tao, ")
    made.generation = 3
    assert made.build() and made.error is None and made.overlay == {}
    assert _served(made, url) == _on_disk(made, url) and "/phong-trao/doi-moi-sang-tao/" in _on_disk(made, url)


def test_a_change_that_moves_a_page_waits_for_the_build(preview):
    made, content = preview
    article = content / "articles/2024/dak-lak-nhan-co-thi-dua.md"
    edit(article, "date: 2024-01-15", "date: 2024-01-16")
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


def test_a_build_leaves_nothing_of_the_last_site_but_garbage(preview):
    """Pelican memoizes Content.get_content and get_summary class-wide, keyed by the object: every page and
    article asked once kept its build's context alive, graph and all, for the preview's life
    (build._forget_memoized). After a build, the last site is garbage a collection returns."""
    made, content = preview
    graph = weakref.ref(made.site.portal.graph)
    page = weakref.ref(made.site.context["pages"][0])
    edit(content / "articles/2024/dak-lak-nhan-co-thi-dua.md", "campaigns: [", "campaigns: [doi-moi-sang-tao, ")
    made.generation = 1
    assert made.build() and made.site.portal.graph is not graph()
    gc.collect()
    assert graph() is None and page() is None
    session = made.site.portal.settings[SESSION]  # what the preview keeps of the build: no state (Session.release)
    assert session.previous is None and session.state.units == {} and session.fingerprint is None
    # nor the articles' plain texts, made for the search step alone (cache.forget_unsaved)
    articles = made.site.by_source.values()
    assert all(a.metadata.get("portal_plain") == getattr(a, "portal_plain", "") == "" for a in articles)


def test_the_builder_collects_the_last_site_after_a_build(preview):
    """Preview.builder: the build runs with the collector asleep, and a preview allocates too little between
    saves to wake it; the builder collects once the build is done. The collector is off here: only that
    collection can return the last site."""
    made, content = preview
    gc.disable()  # build._few_collections leaves it as it found it
    try:
        graph = weakref.ref(made.site.portal.graph)
        edit(content / "articles/2024/dak-lak-nhan-co-thi-dua.md", "campaigns: [", "campaigns: [doi-moi-sang-tao, ")
        made.generation = 1
        threading.Thread(target=made.builder, daemon=True).start()
        made._dirty.set()
        deadline = time.monotonic() + 60
        while graph() is not None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert made.built == 1 and made.error is None
        assert graph() is None
    finally:
        gc.enable()
