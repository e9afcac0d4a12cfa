"""Shared fixtures: real builds of real content trees (helpers live in support.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from support import DATA, ROOT, pelican_context, run_build


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


@pytest.fixture
def graph(tmp_path: Path):
    """The site graph of the mini tree, joined by real Pelican generators."""
    return pelican_context(DATA / "mini", tmp_path)["portal"]
