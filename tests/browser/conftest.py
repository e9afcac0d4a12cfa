"""Real-browser fixtures: Debian's Chromium driven by Playwright, sites served on 127.0.0.1.

Never `playwright install`: the browser is the system one (/usr/bin/chromium).
Without it these tests skip locally; CI sets PORTAL_REQUIRE_BROWSER=1 so a
missing browser fails the run instead.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from portal.tools.browser import ARGS, CHROMIUM, serve
from support import DATA, ROOT, run_build


if not Path(CHROMIUM).exists():
    if os.environ.get("PORTAL_REQUIRE_BROWSER"):
        raise RuntimeError(f"{CHROMIUM} is missing: apt-get install -y chromium")
    pytest.skip("Debian chromium is not installed", allow_module_level=True)


def _serve(root: Path) -> Iterator[str]:
    with serve(root) as base:
        yield base


@pytest.fixture(scope="session")
def search_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini tree plus articles that expose folding pitfalls (Thị without đua, Đức and Dục)."""
    content = tmp_path_factory.mktemp("search") / "content"
    shutil.copytree(DATA / "mini", content)
    shutil.copytree(DATA / "search", content, dirs_exist_ok=True)
    output = content.parent / "output"
    result = run_build(content, output, strict=True)
    assert result.returncode == 0, result.stderr
    return output


@pytest.fixture(scope="session")
def search_url(search_site: Path) -> Iterator[str]:
    yield from _serve(search_site)


@pytest.fixture(scope="session")
def pagefind_search_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The search fixture cut into bundles of three records, every one indexed by the Pagefind binary."""
    yield from _serve(_bundled(tmp_path_factory, "pagefind"))


def _bundled(tmp_path_factory: pytest.TempPathFactory, indexer: str) -> Path:
    root = tmp_path_factory.mktemp(f"bundled-{indexer}")
    content = root / "content"
    shutil.copytree(DATA / "mini", content)
    shutil.copytree(DATA / "search", content, dirs_exist_ok=True)
    settings = root / "settings.py"
    settings.write_text(f"from pelicanconf import *\nTHEME = {str(ROOT / 'theme')!r}\n"
                        f"PLUGIN_PATHS = [{str(ROOT / 'plugins')!r}]\nPORTAL = {{'search_bundle_size': 3, "
                        f"'search_enough': 2, 'search_auto_bundles': 3, 'search_rare_bytes': 0, "
                        f"'search_indexer': {indexer!r}}}\n")
    result = run_build(content, root / "output", strict=True, settings=str(settings))
    assert result.returncode == 0, result.stderr
    assert (root / "output" / "pagefind" / "kho-3").is_dir()
    # who wrote the bundles: the portal names files by 10 hex digits of their digest, Pagefind by 7
    names = [p.stem for p in (root / "output" / "pagefind" / "kho-1" / "fragment").iterdir()]
    assert names and all(len(n) == len("vi_") + (10 if indexer == "portal" else 7) for n in names)
    return root / "output"


@pytest.fixture(scope="session")
def bundled_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The search fixture cut into bundles of three records; a query may open three by itself.

    The rule that opens every candidate bundle at once when they are few is off here (0 bytes), so the
    doubling can be seen; test_search turns it on by rewriting the page's data-rare-bytes.
    """
    yield from _serve(_bundled(tmp_path_factory, "portal"))


@pytest.fixture(scope="session")
def sample_url(sample_site: Path) -> Iterator[str]:
    yield from _serve(sample_site)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == [], errors
