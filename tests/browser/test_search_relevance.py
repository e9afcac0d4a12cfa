"""Relevance test set: on a generated archive of 1,000 articles, a record's name finds its page.

At least 30 records (exemplars, campaigns, awards; every other query typed
without diacritics) must each have their own page among the first three links
of the results page in at least 90 % of cases, and phrase queries must put a
page with the phrase first. The shares are printed, so a regression shows as
a number (``pytest -s``; ``invoke search-relevance`` measures any built site).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from portal.tools.relevance import measure, name_cases, phrase_cases
from portal.tools.synth import generate
from support import run_build


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("relevance")
    generate(root / "content", 1000, seed=7)
    result = run_build(root / "content", root / "output", strict=True, settings="publishconf.py")
    assert result.returncode == 0, result.stderr
    return root / "output"


def test_names_find_their_own_page(archive: Path, browser):
    cases = name_cases(archive)
    assert len(cases) >= 30
    assert sum(c.query.isascii() for c in cases) >= len(cases) // 2 - 1
    report = measure(archive, cases, browser)
    print("\n" + report.table())
    assert report.share >= 0.9, report.table()


def test_phrases_come_first(archive: Path, browser):
    cases = phrase_cases(archive)
    assert len(cases) >= 8
    report = measure(archive, cases, browser)
    print("\n" + report.table())
    assert report.share >= 0.9, report.table()
