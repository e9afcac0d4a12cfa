"""The parse cache follows a file's bytes: a new mtime alone (a cache restored in CI) keeps the entry."""

from __future__ import annotations

import os
from pathlib import Path

from portal.cache import ParseCache


def test_an_entry_survives_a_new_mtime_but_not_new_bytes(tmp_path: Path):
    source = tmp_path / "a.md"
    source.write_text("---\ntitle: A\n---\nMột.\n", encoding="utf-8")
    cache = ParseCache(tmp_path / "parsed.pickle", "salt")
    cache.put(source, "parsed A")
    cache.save()
    os.utime(source, ns=(source.stat().st_atime_ns, source.stat().st_mtime_ns + 10**12))
    restored = ParseCache(tmp_path / "parsed.pickle", "salt")
    assert restored.get(source) == "parsed A"
    source.write_text("---\ntitle: B\n---\nMột.\n", encoding="utf-8")  # the same size, other bytes
    assert ParseCache(tmp_path / "parsed.pickle", "salt").get(source) is None
    assert ParseCache(tmp_path / "parsed.pickle", "other salt").get(source) is None


def test_the_single_file_of_earlier_versions_is_removed_on_save(tmp_path):
    legacy = tmp_path / "parsed.pickle"
    legacy.write_bytes(b"an unsharded cache")
    source = tmp_path / "a.md"
    source.write_text("x", encoding="utf-8")
    cache = ParseCache(legacy, "salt")
    cache.put(source, "value")
    cache.save()
    assert not legacy.exists()
    assert ParseCache(legacy, "salt").get(source) == "value"
