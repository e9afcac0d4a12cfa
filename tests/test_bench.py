"""The benchmark runs end to end at a small size (CI); its figures are never asserted as timings."""

from __future__ import annotations

import json

from portal.bench import run, table


def test_bench_measures_both_builds_and_writes_json(tmp_path):
    figures = run(60, tmp_path / "bench", repeat_below=0)
    names = [m["name"] for m in figures["measures"]]
    assert names == ["cold build", "no-change rebuild", "edit one article's body", "edit one article's campaigns",
                     "edit one exemplar record", "vanilla Pelican cold build"]
    assert all(m["seconds"] > 0 and m["peak_mb"] > 0 and m["pages"] > 0 for m in figures["measures"])
    assert figures["articles"] == 60
    assert figures["measures"][0]["pages"] > figures["measures"][-1]["pages"]  # profiles, terms, feeds
    assert json.loads((tmp_path / "bench" / "bench.json").read_text(encoding="utf-8")) == figures
    assert "vanilla Pelican" in table(figures)
