"""The sitemap as a build unit: keyed by its entries (seo.sitemap_key), made only when they change."""

from __future__ import annotations

from datetime import datetime
from functools import partial
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from portal import seo
from portal.generator import PortalGenerator

SETTINGS = {"SITEURL": "", "PORTAL": {"site_url": "https://thidua.example.vn"}}


def _entries(day: int = 2) -> list[tuple[str, datetime | None]]:
    zone = ZoneInfo("Asia/Ho_Chi_Minh")
    return [("", datetime(2024, 5, day, 8, 30, tzinfo=zone)), ("gioi-thieu/", None),
            ("tin-tuc/2024/bai-a/", datetime(2024, 5, day, 8, 30, tzinfo=zone))]


def test_the_key_follows_the_entries_and_the_address():
    key = seo.sitemap_key(_entries(), SETTINGS)
    assert seo.sitemap_key(_entries(), SETTINGS) == key  # made again, by another build: the same key
    assert seo.sitemap_key(_entries(3), SETTINGS) != key
    assert seo.sitemap_key([*_entries()[:2], ("tin-tuc/2024/bai-b/", _entries()[2][1])], SETTINGS) != key
    other = {**SETTINGS, "PORTAL": {"site_url": "https://thiduakhenthuong.example.vn"}}
    assert seo.sitemap_key(_entries(), other) != key


class _Session:
    """What PortalGenerator's units ask of a build's session: the last build's keys, by unit."""

    def __init__(self, last: dict[str, str]) -> None:
        self.last, self.keys = last, {}

    def kept_key(self, unit: str) -> None:
        return None  # the graph changed

    def reuse(self, unit: str, key: str, files: tuple[str, ...] = ()) -> bool:
        self.keys[unit] = key
        return self.last.get(unit) == key

    def produced(self, unit: str, files: tuple[str, ...]) -> None:
        pass


def _build(tmp_path: Path, entries: list, last: dict[str, str], made: list, monkeypatch) -> dict[str, str]:
    """The sitemap step of a build whose graph changed, over ``entries``; the keys it leaves."""
    step = SimpleNamespace(graph=None, context={}, settings=SETTINGS, output_path=str(tmp_path),
                           session=_Session(last))
    step._write_files = partial(PortalGenerator._write_files, step)
    step._write_unit = partial(PortalGenerator._write_unit, step)
    real = seo.sitemap_files
    with monkeypatch.context() as patch:
        patch.setattr(seo, "sitemap_entries", lambda graph, context: list(entries))
        patch.setattr(seo, "sitemap_files", lambda found, settings: made.append(found) or real(found, settings))
        PortalGenerator._write_sitemap(step)
    return step.session.keys


def test_a_build_whose_entries_are_the_last_ones_does_not_make_the_sitemap(tmp_path, monkeypatch):
    made: list = []
    first = _build(tmp_path, _entries(), {}, made, monkeypatch)
    assert len(made) == 1 and "2024-05-02T08:30:00+07:00" in (tmp_path / "sitemap.xml").read_text()
    _build(tmp_path, _entries(), first, made, monkeypatch)
    assert len(made) == 1  # the same entries, other objects: kept as they are
    _build(tmp_path, _entries(3), first, made, monkeypatch)
    assert len(made) == 2 and "2024-05-03T08:30:00+07:00" in (tmp_path / "sitemap.xml").read_text()
