"""build._Compression: the thread that compresses an edit build's pages, and the commit's share of them.

It holds until the build only waits for the search step (``resume``); at the commit (``wait``) the build's own
thread takes the pages it has not reached, beside it.
"""

from __future__ import annotations

import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from portal.build import _Compression

PAGE = "<!DOCTYPE html><p>" + "Thi đua là yêu nước, yêu nước thì phải thi đua. " * 40 + "</p>"


def _copied(staging: Path, name: str, within: float) -> bool:
    """Whether ``name``'s .gz copy appears in ``within`` seconds."""
    end = time.monotonic() + within
    while time.monotonic() < end:
        if (staging / f"{name}.gz").is_file():
            return True
        time.sleep(0.01)
    return False


@pytest.fixture
def staged(tmp_path: Path) -> Path:
    (tmp_path / "a.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "b.html").write_text(PAGE + "<p>b</p>", encoding="utf-8")
    return tmp_path


def test_the_thread_holds_until_the_build_only_waits_for_the_search_step(staged: Path):
    compression = _Compression(staged, SimpleNamespace(full=False, jobs=2))
    compression.start(["a.html"])
    assert not _copied(staged, "a.html", 0.3)  # Pagefind's core: the build still renders
    compression.resume()
    assert _copied(staged, "a.html", 10)
    assert compression.wait() == {"a.html"}


def test_told_before_its_first_page_the_thread_goes_at_once(staged: Path):
    compression = _Compression(staged, SimpleNamespace(full=False, jobs=2))
    compression.resume()  # no Pagefind runs: told before any page is rendered
    compression.start(["a.html"])
    assert _copied(staged, "a.html", 10)
    assert compression.wait() == {"a.html"}


def test_at_the_commit_the_build_compresses_the_pages_left_beside_the_thread(staged: Path, monkeypatch):
    import threading

    from portal import serving

    by = {}
    precompress = serving.precompress
    monkeypatch.setattr(serving, "precompress", lambda root, workers=None, files=(), quiet=False: by.update(
        {Path(f).name: threading.current_thread() is threading.main_thread() for f in files})
        or precompress(root, workers, files, quiet))
    compression = _Compression(staged, SimpleNamespace(full=False, jobs=2))
    names = [f"{i}.html" for i in range(40)]
    for name in names:
        (staged / name).write_text(PAGE + name, encoding="utf-8")
    compression.start(names)  # held: the build neither waits for the search step nor knows its end
    assert compression.wait() == set(names) and sorted(by) == sorted(names)
    assert all((staged / f"{name}.gz").is_file() for name in names)
    assert any(by.values())  # the build's own thread took some


def test_a_failed_build_compresses_no_more(staged: Path):
    compression = _Compression(staged, SimpleNamespace(full=False, jobs=2))
    compression.start(["a.html", "b.html"])
    compression.cancel()
    assert compression.wait() == set() and not list(staged.glob("*.gz"))
