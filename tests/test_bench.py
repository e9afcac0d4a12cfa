"""The benchmark runs end to end at a small size (CI); its figures are never asserted as timings."""

from __future__ import annotations

import json

from portal.tools.bench import run, table


def test_bench_measures_both_builds_and_writes_json(tmp_path):
    figures = run(200, tmp_path / "bench", repeat_below=0, photos=6)
    names = [m["name"] for m in figures["measures"]]
    assert names == ["cold build", "no-change rebuild", "edit one article's body", "edit one article's campaigns",
                     "edit one exemplar record", "vanilla Pelican cold build"]
    assert all(m["seconds"] > 0 and m["peak_mb"] > 0 and m["pages"] > 0 for m in figures["measures"])
    assert figures["articles"] == 200
    cold, unchanged, body, campaigns, exemplar, vanilla = figures["measures"]
    assert cold["pages"] > vanilla["pages"]  # profiles, terms, feeds
    assert cold["rendered"] > cold["pages"] * 0.9 and cold["search_seconds"] > 0
    assert unchanged["rendered"] == 0  # incremental: nothing changed, nothing rendered
    assert all(0 < m["rendered"] < cold["rendered"] / 5 for m in (body, campaigns, exemplar))
    assert len({m["pages"] for m in figures["measures"][:5]}) == 1
    assert json.loads((tmp_path / "bench" / "bench.json").read_text(encoding="utf-8")) == figures
    assert "vanilla Pelican" in table(figures)
    # Photos: the cold build encodes all six from an empty store; a rebuild encodes none of them again.
    assert figures["photos"] == 6 and figures["photos_per_second_cold"] > 0
    assert cold["media_seconds"] > body["media_seconds"] == figures["photo_step_seconds_rebuild"]
    assert len(list((tmp_path / "bench" / "media-store" / "anh").iterdir())) >= 6 * 15
    assert "photos/s" in table(figures)
