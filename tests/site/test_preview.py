"""Drafts and scheduled articles: shown with a banner in preview, absent from production."""

from __future__ import annotations

import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest

from portal.lock import BuildLock
from support import ROOT, free_port, run_build, same_site, soup, started, stop

DRAFT = """---
title: "Bản nháp về Đắk Lắk"
date: 2024-02-01 08:00
status: draft
campaigns: [nong-thon-moi]
---
Nội dung nháp.
"""
FUTURE = """---
title: "Tin hẹn giờ năm 2099"
date: 2099-01-01 08:00
campaigns: [nong-thon-moi]
---
Nội dung hẹn giờ.
"""


@pytest.fixture
def pending(mini):
    (mini / "articles/2024/ban-nhap-dak-lak.md").write_text(DRAFT, encoding="utf-8")
    (mini / "articles/2099").mkdir()
    (mini / "articles/2099/tin-hen-gio.md").write_text(FUTURE, encoding="utf-8")
    return mini


def test_production_leaves_out_drafts_and_scheduled_everywhere(pending, tmp_path):
    out = tmp_path / "prod"
    result = run_build(pending, out, settings="publishconf.py")
    assert result.returncode == 0, result.stderr
    everything = "\n".join(p.read_text(encoding="utf-8") for p in out.rglob("*") if p.suffix in (".html", ".xml"))
    for title in ("Bản nháp về Đắk Lắk", "Tin hẹn giờ năm 2099"):
        assert title not in everything
    assert not (out / "ban-nhap").exists() and not (out / "tin-tuc/2099").exists()
    entries = [json.loads(p.read_text()) for p in out.glob("pagefind/**/pagefind-entry.json")]
    pages = sum(lang["page_count"] for entry in entries for lang in entry["languages"].values())
    assert pages == 1 + 3 + 3  # the primary index's placeholder, articles, exemplars
    words = "\n".join(p.read_text(encoding="utf-8") for p in out.glob("tim-kiem/**/*.json"))
    assert '"dak"' in words and "nhap" not in words and "2099" not in words  # nor in the word summary or names


def test_preview_shows_drafts_and_scheduled_with_a_banner(pending, tmp_path):
    out = tmp_path / "dev"
    assert run_build(pending, out).returncode == 0
    draft = soup(out, "/ban-nhap/ban-nhap-dak-lak/")
    assert "Bản nháp" in draft.select_one(".preview-banner").get_text()
    future = soup(out, "/tin-tuc/2099/tin-hen-gio/")
    assert "Hẹn giờ" in future.select_one(".preview-banner").get_text() and "01/01/2099" in future.get_text()
    listing = [a["href"] for a in soup(out, "/ban-nhap/").select(".card__title a")]
    assert listing == ["/tin-tuc/2099/tin-hen-gio/", "/ban-nhap/ban-nhap-dak-lak/"]
    assert soup(out, "/tin-tuc/2024/dak-lak-nhan-co-thi-dua/").select_one(".preview-banner") is None



def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def _repo(mini, tmp_path):
    """A copy of the repository around the mini content."""
    repo = tmp_path / "repo"
    repo.mkdir()
    shutil.move(str(mini), repo / "content")
    for name in ("pelicanconf.py", "tasks.py"):
        shutil.copy(ROOT / name, repo / name)
    for name in ("theme", "plugins"):
        (repo / name).symlink_to(ROOT / name)
    return repo


@pytest.fixture
def preview(mini, tmp_path):
    """``invoke livereload`` in a copy of the repository around the mini content: (repo, port, server)."""
    repo = _repo(mini, tmp_path)
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "invoke", "livereload", "--port", str(port)], cwd=repo,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                assert "Đắk Lắk nhận Cờ thi đua" in _get(f"http://127.0.0.1:{port}{ARTICLE}")
                break
            except (OSError, AssertionError):
                assert time.monotonic() < deadline and server.poll() is None, "the preview did not start"
                time.sleep(0.3)
        yield repo, port, server
    finally:
        stop(server)


ARTICLE = "/tin-tuc/2024/dak-lak-nhan-co-thi-dua/"


def _shown(url: str, text: str, seconds: float = 30) -> None:
    started = time.monotonic()
    while text not in _get(url):
        assert time.monotonic() - started < seconds, f"the preview never showed {text!r}"
        time.sleep(0.3)


def test_livereload_serves_and_rebuilds_on_change(preview):
    repo, port, _ = preview
    url = f"http://127.0.0.1:{port}{ARTICLE}"
    article = repo / "content/articles/2024/dak-lak-nhan-co-thi-dua.md"
    article.write_text(article.read_text(encoding="utf-8").replace(
        "Đắk Lắk nhận Cờ thi đua của Chính phủ", "Đắk Lắk đón nhận Cờ thi đua"), encoding="utf-8")
    _shown(url, "Đắk Lắk đón nhận Cờ thi đua")
    assert "/__xem-truoc/xem-truoc.js" in _get(url)  # the page reloads itself in the editor's browser


def test_a_reader_who_leaves_before_the_answer_puts_no_traceback_in_the_editors_terminal(capfd):
    """The preview's server (and the tests' own) says nothing of a client gone before its answer was sent (a tab
    closed while a build holds the interpreter); a failure of its own is still reported."""
    from portal.tools.browser import QuietServer

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the base class's name
            raise {"/gone": BrokenPipeError, "/reset": ConnectionResetError, "/bug": ValueError}[self.path]("x")

    server = QuietServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        for path in ("/gone", "/reset", "/bug"):  # one after another: each error is handled before its socket closes
            with pytest.raises((ConnectionError, urllib.error.URLError)):
                urllib.request.urlopen(f"http://127.0.0.1:{server.server_port}{path}", timeout=10)
    finally:
        server.shutdown()
        server.server_close()
    said = capfd.readouterr().err
    assert "ValueError: x" in said and said.count("Traceback") == 1
    assert "BrokenPipeError: x" not in said and "ConnectionResetError: x" not in said


# The preview as ``invoke livereload`` runs it, its file watcher starting late, as on a loaded machine.
_LATE_WATCHER = """
import time, watchfiles
real = watchfiles.watch
def late(*paths, **options):
    time.sleep(2)
    yield from real(*paths, **options)
watchfiles.watch = late
from portal.tools.preview import serve
serve({port})
"""


def test_a_save_made_as_the_first_page_is_served_is_seen(mini, tmp_path):
    """The preview serves its first page only once its watches are in place: a save made at that moment is
    seen, however late the watcher started (the bench's preview test once waited in vain for such a save)."""
    repo, port = _repo(mini, tmp_path), free_port()
    server = subprocess.Popen([sys.executable, "-c", _LATE_WATCHER.format(port=port)], cwd=repo,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}{ARTICLE}"
    try:
        started(url, server, poll=0.01)
        article = repo / "content/articles/2024/dak-lak-nhan-co-thi-dua.md"
        article.write_text(article.read_text(encoding="utf-8").replace(
            "Đắk Lắk nhận Cờ thi đua của Chính phủ", "Đắk Lắk vừa nhận Cờ thi đua"), encoding="utf-8")
        _shown(url, "Đắk Lắk vừa nhận Cờ thi đua", seconds=20)
    finally:
        stop(server)


def test_a_build_during_the_preview_leaves_the_site_a_cold_build_makes(preview):
    """An editor's build of the preview's output while the preview rebuilds: one waits for the other."""
    repo, port, _ = preview
    article = repo / "content/articles/2024/dak-lak-nhan-co-thi-dua.md"
    env = {**os.environ, "PORTAL_SITE_URL": f"http://127.0.0.1:{port}"}  # the address the preview builds for
    cmd = [sys.executable, "-m", "portal", "build", "-s", "pelicanconf.py", "-o", "output"]
    for round_ in range(3):
        text = article.read_text(encoding="utf-8")
        article.write_text(text.replace("title: ", f"title: Lần {round_} – ", 1), encoding="utf-8")
        result = subprocess.run(cmd, cwd=repo, env=env, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr[-2000:]
        _shown(f"http://127.0.0.1:{port}{ARTICLE}", f"Lần {round_} –")
    time.sleep(1.5)  # the preview's own rebuild of the last edit, if it started after ours, ends
    with BuildLock(repo / "output"):  # and no build is running now
        pass
    cold = subprocess.run([*cmd[:-1], "cold", "--full"], cwd=repo, env=env, capture_output=True, text=True)
    assert cold.returncode == 0, cold.stderr[-2000:]
    same_site(repo / "output", repo / "cold", "during the preview")
