"""Shared fixtures: real builds of real content trees, read as a reader would."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"


def run_build(content: Path, output: Path, *, strict: bool = False,
              settings: str = "pelicanconf.py") -> subprocess.CompletedProcess:
    """Build ``content`` into ``output`` with the real CLI, as an editor would."""
    cmd = [sys.executable, "-m", "portal", "build", "-s", str(ROOT / settings), "-c", str(content),
           "-o", str(output)]
    if strict:
        cmd.append("--strict")
    return subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=300)


def soup(output: Path, url: str) -> BeautifulSoup:
    """Parse the page a reader gets at ``url`` (e.g. "/dien-hinh/x/")."""
    path = output / url.strip("/") / "index.html" if not url.endswith(".html") else output / url.strip("/")
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A private copy of the small content tree, safe to break."""
    target = tmp_path / "content"
    shutil.copytree(DATA / "mini", target)
    return target


@pytest.fixture(scope="session")
def mini_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("mini") / "output"
    result = run_build(DATA / "mini", output, strict=True)
    assert result.returncode == 0, result.stderr
    return output


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped sample portal, built once per test session with production settings."""
    output = tmp_path_factory.mktemp("sample") / "output"
    result = run_build(ROOT / "content", output, settings="publishconf.py")
    assert result.returncode == 0, result.stdout + result.stderr
    return output
