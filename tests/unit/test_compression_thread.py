"""build._Compression: the thread that compresses an edit build's pages, and the commit's share of them; the child
that compresses a full build's.

It holds until the build only waits for the search step (``resume``); at the commit (``wait``) the build's own
thread takes the pages it has not reached, beside it. A full build's child starts at ``resume`` and stops at the
commit (``ahead``), which compresses the rest.
"""

from __future__ import annotations

import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from portal.build import _Compression

PAGE = "<!DOCTYPE html><p>" + "Thi đua là yêu nước, yêu nước thì phải thi đua. " * 40 + "</p>"


def _copied(staging: Path, name: str, within: float, suffix: str = ".gz") -> bool:
    """Whether ``name``'s copy (.gz, else ``suffix``) appears in ``within`` seconds."""
    end = time.monotonic() + within
    while time.monotonic() < end:
        if (staging / f"{name}{suffix}").is_file():
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


def _full(staged: Path, count: int) -> tuple[_Compression, list[str]]:
    compression = _Compression(staged, SimpleNamespace(full=True, jobs=2))
    names = [f"{i}.html" for i in range(count)]
    for name in names:
        (staged / name).write_text(PAGE + name, encoding="utf-8")
    compression.start(names)
    return compression, names


def test_a_full_build_compresses_nothing_before_it_waits_for_the_search_step(staged: Path):
    compression, _ = _full(staged, 5)
    time.sleep(0.3)
    assert not list(staged.glob("*.gz")) and compression.ahead() == set()  # no child was started


def test_a_full_builds_child_compresses_every_page_it_is_left_time_for(staged: Path):
    compression, names = _full(staged, 40)
    compression.resume()
    assert all(_copied(staged, name, 10) for name in names)
    time.sleep(0.2)  # its last copies are written: the child tells what it did as it ends
    assert compression.ahead() == set(names)
    assert compression.ahead() == set()  # once


def test_the_commit_stops_a_full_builds_child_after_its_page(staged: Path):
    compression, names = _full(staged, 1000)
    compression.resume()
    assert _copied(staged, names[0], 10)
    done = compression.ahead()  # told to stop: it ends after the page in hand, and says which it did
    assert names[0] in done and done < set(names)
    time.sleep(0.2)
    assert {p.name.removesuffix(".gz") for p in staged.glob("*.gz")} == done  # nothing more, nothing half
    assert not list(staged.glob("*.br"))  # a page gets its .gz copy only (serving.GZIP_ONLY)


def test_a_failed_full_build_stops_its_child(staged: Path):
    compression, names = _full(staged, 1000)
    compression.resume()
    compression.cancel()
    copies = len(list(staged.glob("*.gz")))
    time.sleep(0.2)
    assert len(list(staged.glob("*.gz"))) == copies < len(names)
