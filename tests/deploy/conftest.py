"""Fixtures of the deploy tests: private copies of a built site (with the build's state beside it)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from support import run_build


def copy_build(output: Path, target: Path) -> Path:
    """Copy a built ``output`` and its ``.output.cache`` (the proof of a complete build) to ``target``."""
    shutil.copytree(output, target)
    shutil.copytree(output.parent / f".{output.name}.cache", target.parent / f".{target.name}.cache")
    return target


@pytest.fixture
def site(mini_site: Path, tmp_path: Path) -> Path:
    """A private copy of the built mini site, safe to change."""
    return copy_build(mini_site, tmp_path / "site" / "output")


@pytest.fixture
def rebuildable(mini: Path, tmp_path: Path) -> tuple[Path, Path]:
    """(content, output): a private content tree and its build, for edits followed by a rebuild."""
    output = tmp_path / "built" / "output"
    result = run_build(mini, output, strict=True)
    assert result.returncode == 0, result.stderr
    return mini, output
