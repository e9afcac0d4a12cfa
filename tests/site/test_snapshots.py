"""Unchanged articles are restored from the parse cache, not read again (snapshots.py); all others are read.

Builds run in this process over a copy of the mini tree, so the reader can be watched: the first build
reads every article, the next one only what changed and what may change by the clock, and everything
after a setting changed. The restored objects equal freshly read ones.
"""

from __future__ import annotations

import os
import shutil
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from pelican import signals
from pelican.contents import Article, Content

import portal.build
import portal.snapshots
from portal.build import build
from portal.cache import LazyBody
from portal.incremental.fingerprints import KEPT_ADDRESS, KEPT_OWN, KEPT_PART, Fingerprint, address_part, own_repr
from portal.media import NO_MEDIA
from portal.reader import PortalReader
from portal.snapshots import KEPT_PLAIN, KeptArticle, links_to_refresh
from support import DATA, ROOT, edit


@pytest.fixture
def watched(tmp_path: Path, monkeypatch):
    """A copy of the mini tree, settings that can be changed, and the list of files the reader read."""
    monkeypatch.setenv("PORTAL_SITE_URL", "http://127.0.0.1:8000")
    content = tmp_path / "content"
    shutil.copytree(DATA / "mini", content)
    settings = tmp_path / "settings.py"
    # The address in the settings themselves: pelicanconf reads PORTAL_SITE_URL when first imported, and an
    # earlier test in this process may have imported it without one.
    settings.write_text(f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom publishconf import *\n"
                        "PORTAL = {**PORTAL, 'site_url': 'http://127.0.0.1:8000'}\n", encoding="utf-8")
    read: list[str] = []
    original = PortalReader.read
    monkeypatch.setattr(PortalReader, "read", lambda self, path: read.append(str(path)) or original(self, path))
    return content, settings, tmp_path / "output", read


def _build(content: Path, settings: Path, output: Path, read: list[str]) -> list[str]:
    read.clear()
    result = build(str(settings), str(output), content=str(content))
    assert result.ok, result.message
    return sorted(Path(path).name for path in read if (content / "articles") in Path(path).parents)


def _articles(content: Path) -> list[str]:
    return sorted(p.name for p in (content / "articles").rglob("*.md"))


def test_only_changed_articles_are_read_again(watched):
    content, settings, output, read = watched
    assert _build(content, settings, output, read) == _articles(content)
    assert _build(content, settings, output, read) == []  # nothing changed: the build stops before reading
    edited = content / "articles" / "2023" / "kon-tum-khen-thuong-giao-vien.md"
    edit(edited, "---\n", "---\nsummary: Tóm tắt mới của bài.\n")
    assert _build(content, settings, output, read) == [edited.name]
    assert any("Tóm tắt mới của bài." in p.read_text(encoding="utf-8") for p in output.rglob("*.html"))


def _part(article) -> bytes:
    """``article``'s part of the graph's digest as Fingerprint.graph makes it for an article the join left with
    no media and not scheduled, from a copy without what the snapshot kept for it."""
    twin = object.__new__(type(article))
    twin.__dict__.update({k: v for k, v in vars(article).items() if k not in (KEPT_OWN, KEPT_PART)},
                         media=NO_MEDIA, scheduled=False)
    return Fingerprint()._part(twin)


def test_restored_articles_equal_freshly_read_ones(watched):
    content, settings, output, read = watched
    seen: dict[str, list[dict]] = {}

    def capture(generator):
        # A restored article holds its URL and file name as kept (answered once its class is frozen): they must
        # be what the fresh object formats.
        # The card's own part a restored article brings (Fingerprint._own) must be what the fresh one gives, and
        # so must its answer to whether Pelican's link refresh would change it (portal.refresh_links_...), and its part
        # of the graph's digest (Fingerprint.graph), taken with the media a restored article has: none; and what
        # the sitemap lists of it (Fingerprint.address).
        live = ("settings", "_context", "refs", "scheduled", KEPT_OWN, KEPT_PART, KEPT_PLAIN, KEPT_ADDRESS)
        fields = generator.settings["FORMATTED_FIELDS"]
        state = [{**{k: v for k, v in vars(a).items() if k not in live},
                  "url": vars(a).get("url", a.url), "save_as": vars(a).get("save_as", a.save_as),
                  "own": (vars(a).get(KEPT_OWN), own_repr(a, False, None)),
                  "part": (vars(a).get(KEPT_PART), _part(a)),
                  "address": (vars(a).get(KEPT_ADDRESS), address_part(a)),
                  "plain": (vars(a).get(KEPT_PLAIN), not links_to_refresh(a, fields))}
                 for a in generator.articles]
        seen.setdefault("runs", []).append(sorted(state, key=lambda s: s["source_path"]))
        found = generator.context["generated_content"]  # what Pelican records of each file read
        seen.setdefault("found", []).append(({k: v.source_path for k, v in found.items() if "moi" not in k},
                                             set(generator.context["static_links"])))

    (content / "tai-lieu").mkdir()
    (content / "tai-lieu" / "quy-che.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    (content / "articles" / "2024" / "lien-ket.md").write_text(  # a link Pelican records as a static file
        "---\ntitle: Liên kết\ndate: 2024-05-01 08:00\nprovinces: [dak-lak]\n---\n"
        "Xem [quy chế]({static}/tai-lieu/quy-che.pdf).\n", encoding="utf-8")
    signals.article_generator_finalized.connect(capture)
    try:
        _build(content, settings, output, read)
        (content / "articles" / "2024" / "moi.md").write_text(
            "---\ntitle: Bài mới\ndate: 2024-05-02 08:00\nprovinces: [dak-lak]\n---\nNội dung.\n",
            encoding="utf-8")
        assert _build(content, settings, output, read) == ["moi.md"]
    finally:
        signals.article_generator_finalized.disconnect(capture)
    first, second = seen["runs"]
    own_repr_of = {s["source_path"]: s["own"][1] for s in first}
    assert seen["found"][0] == seen["found"][1] and len(seen["found"][0][0]) == len(first)
    assert seen["found"][1][1] == {"tai-lieu/quy-che.pdf"}
    second = [s for s in second if not s["source_path"].endswith("moi.md")]
    assert len(first) == len(second) == len(_articles(content)) - 1
    for fresh, restored in zip(first, second):
        assert fresh.pop("own")[0] is None and fresh.pop("plain")[0] is None  # read, not restored
        assert fresh.pop("part")[0] is None
        assert fresh.pop("address")[0] is None
        kept, made = restored.pop("own")
        assert kept == made == own_repr_of[fresh["source_path"]]
        kept, made = restored.pop("part")
        assert kept == made
        kept, made = restored.pop("address")
        assert kept == made
        kept, made = restored.pop("plain")
        assert kept is made
        assert fresh == restored
        assert type(restored["author"]) is type(fresh["author"])


def test_a_restored_article_s_body_is_decoded_only_when_read(watched, monkeypatch):
    """An edit build restores every article and shows few of their bodies: the others stay in the cache's file,
    unread (cache.LazyBody)."""
    content, settings, output, read = watched
    seen: list[dict[str, tuple[type, type, Article]]] = []

    def capture(generator):
        seen.append({a.source_path: (type(a), type(vars(a)["_content"]), a) for a in generator.articles})

    signals.article_generator_finalized.connect(capture)
    try:
        _build(content, settings, output, read)
        monkeypatch.setattr(portal.build, "_last_parse_cache", None)  # the cache as a new process reads it
        edited = content / "articles" / "2023" / "kon-tum-khen-thuong-giao-vien.md"
        edit(edited, "---\n", "---\nsummary: Tóm tắt khác.\n")
        _build(content, settings, output, read)
    finally:
        signals.article_generator_finalized.disconnect(capture)
    first, second = seen
    assert second.keys() == first.keys()
    for path, (kind, body, article) in second.items():
        fresh = first[path][2]
        if path == str(edited):
            assert (kind, body) == (Article, str)
            continue
        assert (kind, body) == (KeptArticle, LazyBody)  # as restored, at the end of reading
        assert article.content == fresh.content and type(vars(article)["_content"]) is str


def test_a_restored_article_s_metadata_is_read_only_when_asked_for(watched, monkeypatch):
    """A state read from the cache's file leaves the article's metadata and summary there (snapshots.COLD) until
    one is asked for; the card's summary is answered without them. Read, the article equals a freshly read one."""
    content, settings, output, read = watched
    seen: list[dict[str, Article]] = []
    thawed: list[object] = []

    def capture(generator):
        seen.append({a.source_path: a for a in generator.articles})

    signals.article_generator_finalized.connect(capture)
    try:
        _build(content, settings, output, read)
        monkeypatch.setattr(portal.build, "_last_parse_cache", None)  # the cache as a new process reads it
        original = portal.snapshots._Kept.thaw_rest
        monkeypatch.setattr(portal.snapshots._Kept, "thaw_rest",
                            lambda self, rest: thawed.append(rest) or original(self, rest))
        edited = content / "articles" / "2023" / "kon-tum-khen-thuong-giao-vien.md"
        edit(edited, "---\n", "---\nsummary: Tóm tắt khác nữa.\n")
        again = _build(content, settings, output, read)
    finally:
        signals.article_generator_finalized.disconnect(capture)
    first, second = seen
    restored = {path: a for path, a in second.items() if Path(path).name not in again}
    assert restored and all(isinstance(a, KeptArticle) for a in restored.values())
    assert not thawed  # the build read no restored article's metadata: its pages were kept
    probe_path, probe = restored.popitem()
    unsaved = {"portal_plain": ""}  # the plain text for the search step alone is not kept (cache.Unsaved)
    live = ("settings", "_context", "refs", "scheduled", "media", KEPT_OWN, KEPT_PART, KEPT_PLAIN, KEPT_ADDRESS,
            "url", "save_as", "portal_summary", "metadata")  # the metadata: compared on its own
    for path, article in restored.items():
        fresh = first[path]
        assert "metadata" not in vars(article) and "_summary" not in vars(article)
        assert article.summary == fresh.summary and not thawed  # the kept summary, the rest still unread
        assert article.metadata == {**fresh.metadata, **unsaved} and len(thawed) == 1  # read once, with the summary
        assert hasattr(article, "_summary") == hasattr(fresh, "_summary") and len(thawed) == 1
        assert {k: v for k, v in vars(article).items() if k not in live and k != "_content"} == \
            {**{k: v for k, v in vars(fresh).items() if k not in live and k != "_content"}, **unsaved}
        assert article.content == fresh.content
        thawed.clear()
    probe.metadata = {"title": "Đặt lại"}  # set while the rest is unread: reading it later does not put it back
    assert hasattr(probe, "_summary") == hasattr(first[probe_path], "_summary") and len(thawed) == 1
    assert probe.metadata == {"title": "Đặt lại"}


def test_a_restored_article_s_url_and_file_name_come_from_its_kept_state(watched, monkeypatch):
    """Pelican formats an article's URL settings on each access; a restored article answers from its state."""
    content, settings, output, read = watched
    seen: list[dict[str, Article]] = []
    asked: list[str] = []
    formatted = Content.get_url_setting

    def counted(self, key):
        asked.append(self.source_path)
        return formatted(self, key)

    def capture(generator):
        seen.append({a.source_path: a for a in generator.articles})

    _build(content, settings, output, read)
    monkeypatch.setattr(portal.build, "_last_parse_cache", None)  # the cache as a new process reads it
    monkeypatch.setattr(Content, "get_url_setting", counted)
    edited = content / "articles" / "2023" / "kon-tum-khen-thuong-giao-vien.md"
    edit(edited, "---\n", "---\nsummary: Tóm tắt khác.\n")
    shutil.rmtree(output)  # every page written again: each article's URL and file name are asked for
    signals.article_generator_finalized.connect(capture)
    try:
        _build(content, settings, output, read)
    finally:
        signals.article_generator_finalized.disconnect(capture)
    (restored,) = seen
    assert str(edited) in asked and len(restored) == 3
    for path, article in restored.items():
        if path != str(edited):
            assert path not in asked
            assert (output / article.save_as).is_file() and article.url == article.save_as.removesuffix("index.html")


def test_the_cache_holds_one_copy_of_a_body_also_after_it_is_read_again(watched, monkeypatch):
    content, settings, output, read = watched
    body = "<p>Giáo viên được khen.</p>".encode()
    _build(content, settings, output, read)
    shards = (output.parent / ".output.cache").glob("parsed-*.pickle")
    assert b"".join(f.read_bytes() for f in shards).count(body) == 1
    monkeypatch.setattr(portal.build, "_last_parse_cache", None)  # the cache as a new process reads it
    settings.write_text(settings.read_text(encoding="utf-8") + "DEFAULT_DATE_FORMAT = '%d.%m.%Y'\n", encoding="utf-8")
    assert _build(content, settings, output, read) == _articles(content)  # read again, their states kept again
    shards = (output.parent / ".output.cache").glob("parsed-*.pickle")
    assert b"".join(f.read_bytes() for f in shards).count(body) == 1


def test_what_the_clock_may_change_is_read_every_time(watched):
    content, settings, output, read = watched
    soon = (datetime.now() - timedelta(hours=1)).strftime("%Y-%m-%d %H:%M")  # published, but by hours only
    (content / "articles" / "2024" / "vua-dang.md").write_text(
        f"---\ntitle: Vừa đăng\ndate: {soon}\nprovinces: [dak-lak]\n---\nNội dung.\n", encoding="utf-8")
    _build(content, settings, output, read)
    edit(content / "articles" / "2023" / "kon-tum-khen-thuong-giao-vien.md", "---\n", "---\nsummary: Khác.\n")
    assert _build(content, settings, output, read) == ["kon-tum-khen-thuong-giao-vien.md", "vua-dang.md"]


def test_a_changed_setting_reads_everything_again(watched):
    content, settings, output, read = watched
    _build(content, settings, output, read)
    settings.write_text(settings.read_text(encoding="utf-8") + "DEFAULT_DATE_FORMAT = '%d.%m.%Y'\n", encoding="utf-8")
    assert _build(content, settings, output, read) == _articles(content)


@pytest.mark.parametrize("path", ["a.md", "tin-tuc/2024/bai.md", ".an.md", "a/.b/c.md", "..md", "a/..b/c.md",
                                  "./a.md", "a/./b.md", "a/../b.md", "../a.md", "/tuyet-doi.md", "a//b.md", "a/", ".",
                                  "a/..", ""])
def test_a_file_is_looked_up_in_the_cache_under_the_name_the_reader_gives_it(tmp_path, monkeypatch, path):
    """snapshots._Kept._source: a plain relative path is joined as it is, any other is normalised; both give
    os.path.abspath's name, which reader.py keys the parse cache by (also from a relative content folder)."""
    from types import SimpleNamespace

    from portal.snapshots import _Kept

    monkeypatch.chdir(tmp_path)
    for base in ("noi-dung", str(tmp_path / "noi-dung")):
        kept = _Kept(SimpleNamespace(path=base, settings={}), cache=None)
        assert kept._source(path) == os.path.abspath(os.path.join(base, path))
