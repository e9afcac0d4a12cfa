"""What goes into the search index: folded đ-words, filters by name, escaping."""

from __future__ import annotations

import json
import os
import shutil
import signal
import time
from pathlib import Path

import pytest

from portal import search
from portal.pagefind_runner import Job
from portal.incremental.state import Session
from portal.search import Bundle, _document, records
from portal.vietnamese import d_words, plain_text
from support import ended_pid


def test_d_words_folds_only_words_with_d_stroke():
    assert d_words("Phong trào thi đua Đồng Tháp", "Đắk Lắk và đua") == "dak dong dua"
    assert d_words("Nông thôn mới") == ""


def test_plain_text_keeps_blocks_apart_and_unescapes():
    assert plain_text("<h2>Tiêu đề</h2><p>A &amp; B</p><ul><li>một</li><li>hai</li></ul>") == "Tiêu đề\nA & B\nmột\nhai"
    assert plain_text("<p> Thi  đua\tyêu &#9;nước \t </p><p>một khoảng cách</p>") == \
        "Thi đua yêu nước \nmột khoảng cách"


def test_article_records_carry_filters_by_name_and_a_sortable_date(graph):
    by_url = {r["url"]: r for r in records(graph)}
    article = by_url["/tin-tuc/2024/dak-lak-nhan-co-thi-dua/"]
    assert article["filters"] == {
        "phong-trao": ["Cả nước chung sức xây dựng nông thôn mới", "Vì người nghèo - Không để ai bị bỏ lại phía sau"],
        "khen-thuong": ["Cờ thi đua của Chính phủ", "Huân chương Lao động hạng Ba"],
        "tinh-thanh": ["Đắk Lắk"],
        "nam": ["2024"],
        "loai": ["Bài viết"],
    }
    assert article["sort"] == {"date": "202401150900"}
    assert article["meta"]["ngay"] == "15/01/2024"
    assert "dak" in article["meta"]["kd"].split()


def test_merged_province_filter_includes_its_successor(graph):
    record = {r["url"]: r for r in records(graph)}["/tin-tuc/2023/kon-tum-khen-thuong-giao-vien/"]
    assert record["filters"]["tinh-thanh"] == ["Kon Tum", "Quảng Ngãi"]


def test_exemplar_records_are_indexed_with_their_honours(graph):
    record = {r["url"]: r for r in records(graph)}["/dien-hinh/nguyen-thi-an/"]
    assert record["filters"]["loai"] == ["Điển hình"]
    assert "Huân chương Lao động hạng Ba (2023)" in record["content"]
    assert record["filters"]["tinh-thanh"] == ["Kon Tum", "Quảng Ngãi"]


def test_only_articles_and_profiles_are_indexed(graph):
    urls = {r["url"] for r in records(graph)}
    assert urls == {"/" + a.url for a in graph.articles} | {"/" + t.url for t in graph.terms["exemplars"].values()}


def _planned(graph, path: Path, monkeypatch, key: str = "records-1", fresh: bool = False) -> list[Bundle]:
    """Bundles cut through search.KeptBundles at ``path``, their keys read and the file saved,
    as the search step does; the records each cut makes noted in ``graph.made`` (by URL)."""
    kept = search.KeptBundles(path, key, fresh=fresh)
    bundles = search.plan(graph, kept)
    for bundle in bundles:
        bundle.without_records()  # what the search step hands back: every key, size and dates read
    kept.save()
    return bundles


@pytest.fixture
def cut(graph, monkeypatch):
    """The mini graph cut into bundles of one record, with every record made noted (by URL) in ``graph.made``."""
    import dataclasses

    monkeypatch.setattr(graph, "config", dataclasses.replace(graph.config, search_bundle_size=1))
    graph.made = []
    article, exemplar = search._article_record, search._exemplar_record
    monkeypatch.setattr(search, "_article_record", lambda a, *rest: graph.made.append("/" + a.url) or article(a, *rest))
    monkeypatch.setattr(search, "_exemplar_record", lambda t, *rest: graph.made.append("/" + t.url) or exemplar(t, *rest))
    return graph


def test_a_bundle_made_from_what_the_last_build_made_it_of_is_that_bundle(cut, tmp_path: Path):
    """search.KeptBundles: a bundle whose records come from the same files, bodies and records as the last build's
    is handed out with its key, size and dates, none of its records made; asked for, they are the records it
    had, and their key is the one handed out."""
    path = tmp_path / "search-bundles.marshal"
    first = _planned(cut, path, None)
    assert len(first) > 4 and all(b.items is not None for b in first) and len(cut.made) == len(records(cut))
    cut.made.clear()
    again = _planned(cut, path, None)
    assert cut.made == [] and all(b.items is None for b in again[1:])
    assert [(b.key, b.count, b.oldest, b.newest) for b in again] == [(b.key, b.count, b.oldest, b.newest) for b in first]
    assert again[2].records == first[2].records and Bundle(2, again[2].records).key == first[2].key
    for other in (("records-2", False), ("records-1", True)):  # the records changed, or a full build: all made
        cut.made.clear()
        assert [b.key for b in _planned(cut, path, None, *other)] == [b.key for b in first]
        assert sorted(cut.made) == sorted(r["url"] for r in records(cut))


def test_a_bundle_is_made_again_when_a_record_of_it_has_another_source(cut, tmp_path: Path, monkeypatch):
    """An article's file, an exemplar's body or one of its articles' files changed: the bundles that hold it are
    made again (with what a cut without the kept bundles makes), the others are not."""
    path = tmp_path / "search-bundles.marshal"
    _planned(cut, path, None)
    where = {r["url"]: b.number for b in search.plan(cut) for r in b.records}
    terms = list(cut.terms["exemplars"].values())
    honoured = next(t for t in terms if t.articles)
    monkeypatch.setattr(honoured.articles[0], "portal_digest", "another file", raising=False)
    quiet = next(t for t in terms if not t.articles)
    monkeypatch.setattr(quiet.record, "body_plain", quiet.record.body_plain + " Một câu mới.")
    cut.made.clear()
    bundles = _planned(cut, path, None)
    changed = {"/" + honoured.articles[0].url, "/" + quiet.url,
               *("/" + t.url for t in terms if honoured.articles[0] in t.articles)}  # every exemplar it names
    assert {b.number for b in bundles if b.items is not None} - {0} == {where[url] for url in changed}
    assert [b.key for b in bundles] == [b.key for b in search.plan(cut)]


def test_index_documents_escape_every_value():
    doc = _document({"url": "/x/", "content": "<script>alert(1)</script>\nđoạn hai",
                     "meta": {"title": 'A "<b>"', "kd": "doan"}, "filters": {"nam": ["<i>2024</i>"]},
                     "sort": {"date": "202401010000"}})
    assert "<script>" not in doc and "<b>" not in doc and "<i>" not in doc
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in doc
    assert '<span data-pagefind-meta="title">A &quot;&lt;b&gt;&quot;</span>' in doc


def test_a_bundle_key_follows_every_part_of_every_record():
    def item(content="Thi đua yêu nước", title="Tin", kho="1", when="202401020000"):
        return {"url": "/tin-tuc/a/", "content": content, "meta": {"title": title, "ngay": "02/01/2024"},
                "filters": {"kho": [kho]}, "sort": {"date": when}}

    key = Bundle(1, [item(), item(title="Khác")]).key
    assert Bundle(1, [item(), item(title="Khác")]).key == key
    for changed in ([item(content="Thi đua yêu nước."), item(title="Khác")], [item(), item(title="Khác nữa")],
                    [item(kho="2"), item(title="Khác")], [item(), item(title="Khác", when="202401030000")],
                    [item(title="Khác"), item()], [item()]):
        assert Bundle(1, changed).key != key
    # A body that holds what the next record would look like is still one body.
    two = [item(content="a"), item(content="b")]
    forged = "a" + "".join(map(chr, range(32))) + json.dumps({k: v for k, v in two[1].items() if k != "content"})
    assert Bundle(1, two).key != Bundle(1, [item(content=forged + "b"), item(content="")]).key


def test_a_bundle_s_words_key_follows_its_texts_alone():
    """Bundle.words_key, which keys a bundle's words in the memo: an article's text by its reader's digest, another
    record's by its content; a record's other fields (a campaign filter, a date) leave it."""
    def item(text="t1", content=None, kho="1", when="202401020000"):
        made = {"url": "/tin-tuc/a/", "meta": {"title": "Tin", "ngay": "02/01/2024"}, "filters": {"kho": [kho]},
                "sort": {"date": when}}
        if content is not None:
            made["content"] = content
        else:
            made[search._TEXT] = text
        return made

    key = Bundle(1, [item(), item(content="Hồ sơ điển hình")]).words_key
    assert Bundle(1, [item(kho="2", when="202501020000"), item(content="Hồ sơ điển hình")]).words_key == key
    for changed in ([item("t2"), item(content="Hồ sơ điển hình")], [item(), item(content="Hồ sơ khác")],
                    [item(content="Hồ sơ điển hình"), item()], [item()], [item(), item(content="t1")]):
        assert Bundle(1, changed).words_key != key
    assert Bundle(1, [item(), item(content="x")]).words_key != Bundle(1, [item(), item("x")]).words_key


def test_an_article_s_text_digest_is_that_of_its_search_text(graph):
    """The reader's digest of an article's text (portal_text) is the digest of the text its record gets."""
    import hashlib

    article = graph.articles[0]
    text = search._text(article)
    assert article.portal_text == hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
    assert search._article_record(article, graph, search._filtering(graph), False)[search._TEXT] == article.portal_text


def test_an_exemplar_record_carries_the_d_words_of_its_whole_text(graph):
    """Its body's đ-words come from the parse cache (Record.body_kd), the rest from its fields and honours."""
    exemplars = [r for r in records(graph) if r["filters"]["loai"] == ["Điển hình"]]
    body_only = {w for r in exemplars for w in r["meta"]["kd"].split()} - set(d_words(
        *(r["content"].split("\n")[0] for r in exemplars)).split())
    assert exemplars and body_only  # some đ-words lie beyond the names: the body's count
    for record in exemplars:
        assert record["meta"]["kd"] == d_words(record["content"]), record["url"]


def _three_records() -> list[dict]:
    return [{"url": f"/tin-tuc/bai-{i}/", "content": f"Bài {i}\nthi đua", "meta": {"title": f"Bài {i}", "ngay": ""},
             "filters": {"loai": ["Bài viết"]}, "sort": {"date": "202401010000"}} for i in range(3)]


@pytest.mark.parametrize(("room", "few"), [(True, True), (True, False), (False, True)])
def test_the_search_step_writes_its_files_in_memory_only_when_they_fit(tmp_path, monkeypatch, room, few):
    """Pagefind's input goes to memory (search.MEMORY) with room to spare there, else to the disk; its output too
    when it is of a few bundles (search.MEMORY_BUNDLES), else beside the site (a rename places it); either leaves
    nothing behind once placed."""
    memory = tmp_path / "memory"
    memory.mkdir()
    monkeypatch.setattr(search, "MEMORY", str(memory))
    monkeypatch.setattr(search, "MEMORY_SPARE", 0 if room else 1 << 62)
    monkeypatch.setattr(search, "MEMORY_BUNDLES", 8 if few else 0)
    session = Session(cache_dir=tmp_path / "cache", live=tmp_path / "live", jobs=2)
    indexing = search.Indexing(lambda: [search.Bundle(0, _three_records())], str(tmp_path / "out"), session)
    try:
        assert indexing.memory.parent == memory and indexing.memory.name.startswith(f"portal-search-{os.getpid()}-")
        indexing.bundles()  # the records are written before the bundles come back
        assert (indexing.memory / "src").is_dir() == room and (indexing.scratch / "src").is_dir() == (not room)
        assert indexing.outbox.parent == tmp_path / "out"
        assert indexing._built == (indexing.memory / "out" if room and few else indexing.outbox)
    finally:
        assert indexing.finish() == 3
    assert (tmp_path / "out" / "pagefind" / "pagefind-entry.json").is_file()
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["pagefind"]
    assert not indexing.scratch.exists() and not indexing.memory.exists()


def test_the_runner_moves_each_bundle_pagefind_wrote_in_memory_beside_the_site(tmp_path, monkeypatch):
    """More bundles than workers (a full build): Pagefind writes in memory as well, and the runner moves each bundle
    to the outbox beside the site, without the files the site does not serve (pagefind_runner.Job); placing them
    is a rename, and the memory holds nothing at the end."""
    memory = tmp_path / "memory"
    memory.mkdir()
    monkeypatch.setattr(search, "MEMORY", str(memory))
    monkeypatch.setattr(search, "MEMORY_SPARE", 0)
    monkeypatch.setattr(search, "MEMORY_BUNDLES", 0)
    session = Session(cache_dir=tmp_path / "cache", live=tmp_path / "live", jobs=2)
    bundles = [search.Bundle(n, [{**r, "url": f"/tin-tuc/{n}-{i}/"} for i, r in enumerate(_three_records())])
               for n in range(4)]
    indexing = search.Indexing(lambda: bundles, str(tmp_path / "out"), session, own=False)  # Pagefind's for all
    try:
        indexing.bundles()
        listing = json.loads((indexing.scratch / "jobs.json").read_text(encoding="utf-8"))
        assert [(Path(out).parent, Path(final).parent) for _, out, final, _ in listing["jobs"]] == \
            [(indexing.memory / "out", indexing.outbox)] * 4
        assert indexing._built == indexing.outbox
    finally:
        assert indexing.finish() == 12
    bundle = tmp_path / "out" / "pagefind"
    assert (bundle / "pagefind-entry.json").is_file() and (bundle / "pagefind.js").is_file()
    for n in (1, 2, 3):
        assert list((bundle / f"kho-{n}" / "index").glob("*.pf_index"))
        assert not [p for p in (bundle / f"kho-{n}").iterdir() if p.suffix in (".js", ".css")]
    assert not list(bundle.glob("pagefind-ui.*")) and not indexing.memory.exists()
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["pagefind"]


def test_a_bundle_written_in_memory_gives_the_output_only_the_files_the_live_site_lacks(tmp_path):
    """Indexing._copy_changed: in an edit build, a file of a bundle Pagefind wrote in memory that the live site holds
    the same is not written into the build's output (the commit keeps the live one); one that differs, is missing
    or was damaged there is. A full build gets every file."""
    from types import SimpleNamespace

    built, live, out = tmp_path / "memory" / "out" / "3", tmp_path / "live", tmp_path / "out"
    files = {"fragment/a.pf_fragment": b"a", "fragment/b.pf_fragment": b"b", "index/c.pf_index": b"new",
             "pagefind-entry.json": b"{}", "filter/d.pf_filter": b"d"}
    for rel, data in files.items():
        (built / rel).parent.mkdir(parents=True, exist_ok=True)
        (built / rel).write_bytes(data)
    prefix = "pagefind/kho-3/"
    for rel, data in {"fragment/a.pf_fragment": b"a", "fragment/b.pf_fragment": b"b", "index/c.pf_index": b"old",
                      "pagefind-entry.json": b"{}"}.items():
        (live / prefix / rel).parent.mkdir(parents=True, exist_ok=True)
        (live / prefix / rel).write_bytes(data)

    def placed(full: bool) -> list[str]:
        shutil.rmtree(out, ignore_errors=True)
        indexing = search.Indexing.__new__(search.Indexing)
        indexing.output = out
        indexing.session = SimpleNamespace(live=live, full=full, damaged={prefix + "pagefind-entry.json"})
        indexing._copy_changed(built, prefix, tuple(prefix + rel for rel in sorted(files)))
        return sorted(p.relative_to(out / prefix).as_posix() for p in out.rglob("*") if p.is_file())

    assert placed(full=False) == ["filter/d.pf_filter", "index/c.pf_index", "pagefind-entry.json"]
    assert (out / prefix / "index" / "c.pf_index").read_bytes() == b"new"
    assert placed(full=True) == sorted(files)


def test_a_file_pagefind_names_by_its_content_is_the_live_one_when_name_and_size_agree(tmp_path):
    """Indexing._copy_changed: Pagefind names fragments, word and filter indexes and metadata by a digest of what they
    hold, so a live file of the same such name and size is kept without reading either (here its bytes even differ,
    which Pagefind's names rule out); another size is copied, and for any other name the bytes decide."""
    from types import SimpleNamespace

    built, live, out, prefix = tmp_path / "memory" / "out" / "5", tmp_path / "live", tmp_path / "out", "pagefind/kho-5/"
    new = {"fragment/vi_0123abc.pf_fragment": b"abc", "index/vi_89abcde.pf_index": b"new!",
           "pagefind.vi_0123456789.pf_meta": b"meta", "pagefind-entry.json": b"{1}", "filter/x.pf_filter": b"f"}
    old = {"fragment/vi_0123abc.pf_fragment": b"xyz", "index/vi_89abcde.pf_index": b"old",
           "pagefind.vi_0123456789.pf_meta": b"atem", "pagefind-entry.json": b"{2}", "filter/x.pf_filter": b"g"}
    for root, files in ((built, new), (live / prefix, old)):
        for rel, data in files.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_bytes(data)
    indexing = search.Indexing.__new__(search.Indexing)
    indexing.output = out
    indexing.session = SimpleNamespace(live=live, full=False, damaged=set())
    indexing._copy_changed(built, prefix, tuple(prefix + rel for rel in sorted(new)))
    written = sorted(p.relative_to(out / prefix).as_posix() for p in out.rglob("*") if p.is_file())
    assert written == ["filter/x.pf_filter", "index/vi_89abcde.pf_index", "pagefind-entry.json"]


def test_memory_a_killed_build_left_is_freed_by_the_next_search_step(tmp_path, monkeypatch):
    memory = tmp_path / "memory"
    memory.mkdir()
    monkeypatch.setattr(search, "MEMORY", str(memory))
    ended = ended_pid()
    left = memory / f"portal-search-{ended}-abc"
    (left / "src").mkdir(parents=True)
    running, other = memory / f"portal-search-{os.getpid()}-xyz", memory / "portal-something"
    running.mkdir()
    other.mkdir()
    folder = search._memory_folder()
    assert folder is not None and folder.parent == memory
    assert not left.exists() and running.is_dir() and other.is_dir()


def test_an_index_a_killed_run_left_beside_the_site_is_removed_by_the_next_search_step(tmp_path):
    """Pagefind writes beside the site (Indexing.outbox): a run killed outright leaves its folder there, in the live
    site when Pelican runs bare; the next search step removes it, and leaves a running one's alone."""
    ended = ended_pid()
    out = tmp_path / "out"
    left, running = out / f".search-{ended}", out / f".search-{os.getppid()}"
    (left / "1").mkdir(parents=True)
    running.mkdir()
    session = Session(cache_dir=tmp_path / "cache", live=tmp_path / "live", jobs=1)
    indexing = search.Indexing(lambda: [search.Bundle(0, _three_records())], str(out), session)
    assert indexing.finish() == 3
    assert not left.exists() and running.is_dir() and (out / "pagefind" / "pagefind-entry.json").is_file()


def test_the_pagefind_runner_is_spawned_and_its_exit_code_waited_for(tmp_path: Path, monkeypatch):
    """search._spawn_runner starts pagefind_runner.py over the bundles (the real binary: an index appears); its
    failure is said in pagefind.err and its exit code comes back through pagefind_runner.wait, as the search
    step's waiter gives it to the build."""
    from portal import pagefind_runner, search

    source, index = tmp_path / "src", tmp_path / "index"
    (source / "bai").mkdir(parents=True)
    (source / "bai" / "index.html").write_text("<html lang='vi'><body><main data-pagefind-body><h1>Thi đua</h1>"
                                               "<p>Phong trào thi đua yêu nước.</p></main></body></html>",
                                               encoding="utf-8")
    pid = search._spawn_runner([Job(source, index)], 1, tmp_path)
    assert pagefind_runner.wait(pid) == 0
    assert list(index.glob("pagefind-entry.json")) and list(index.glob("index/*.pf_index"))

    broken = tmp_path / "pagefind"
    broken.write_text("#!/bin/sh\necho 'pagefind: disk full' >&2\nexit 3\n")
    broken.chmod(0o755)
    monkeypatch.setattr(search, "_binary", lambda: str(broken))
    pid = search._spawn_runner([Job(source, tmp_path / "other")], 1, tmp_path)
    assert pagefind_runner.wait(pid) == 1
    assert "Pagefind dừng với mã 3: pagefind: disk full" in (tmp_path / "pagefind.err").read_text(encoding="utf-8")


def test_pagefind_runs_started_at_once_are_waited_for_and_judged_as_the_runner_would(tmp_path: Path, monkeypatch):
    """search._spawn_pagefind starts one Pagefind per bundle (the real binary: both indexes appear), with the
    runner's environment but for huge pages; pagefind_runner.wait_all gives their exit code and says the first
    failure in pagefind.err, a disk's as an OSError the build raises again."""
    from portal import pagefind_runner, search

    sources = []
    for name in ("1", "2"):
        source = tmp_path / "src" / name
        (source / "bai").mkdir(parents=True)
        (source / "bai" / "index.html").write_text(
            f"<html lang='vi'><body><main data-pagefind-body><h1>Thi đua {name}</h1><p>Phong trào.</p></main></body>"
            "</html>", encoding="utf-8")
        sources.append(source)
    waiter = search._spawn_pagefind([Job(s, tmp_path / "out" / s.name) for s in sources], tmp_path, tmp_path)
    assert waiter[:2] == ["--wait-all", str(tmp_path / "pagefind.err")] and len(waiter) == 8
    assert pagefind_runner.cli(waiter) == 0
    assert all(list((tmp_path / "out" / s.name).glob("index/*.pf_index")) for s in sources)

    said = tmp_path / "said"
    fake = tmp_path / "pagefind"
    ignored = tmp_path / "ignored"
    fake.write_text(f"#!/bin/sh\nprintf '%s' \"$_RJEM_MALLOC_CONF\" > {said}\n"
                    f"grep SigIgn /proc/$$/status > {ignored}\n"
                    "case \"$2\" in *1) exit 0;; esac\necho 'pagefind: disk full' >&2\nexit 3\n")
    fake.chmod(0o755)
    monkeypatch.setattr(search, "_binary", lambda: str(fake))
    monkeypatch.delenv("_RJEM_MALLOC_CONF", raising=False)
    waiter = search._spawn_pagefind([Job(s, tmp_path / "other" / s.name) for s in sources], tmp_path, tmp_path)
    assert pagefind_runner.cli(waiter) == 1
    assert said.read_text() == ""  # an edit build's runs: no huge pages (pagefind_runner.MALLOC_CONF)
    monkeypatch.setenv("_RJEM_MALLOC_CONF", "narenas:1")  # one in the environment still reaches them
    waiter = search._spawn_pagefind([Job(s, tmp_path / "other" / s.name) for s in sources], tmp_path, tmp_path)
    assert pagefind_runner.cli(waiter) == 1
    assert said.read_text() == "narenas:1"
    # Python ignores SIGXFSZ (and SIGPIPE); a run must not: under a file size limit it would cut its files short
    mask = int(ignored.read_text().split()[1], 16)
    assert not mask & (1 << (signal.SIGXFSZ - 1)) and not mask & (1 << (signal.SIGPIPE - 1))
    assert (tmp_path / "pagefind.err").read_text(encoding="utf-8") == \
        "RuntimeError: Pagefind dừng với mã 3: pagefind: disk full\n"
    fake.write_text("#!/bin/sh\necho 'Error: No space left on device (os error 28)' >&2\nexit 1\n")
    waiter = search._spawn_pagefind([Job(sources[0], tmp_path / "full")], tmp_path, tmp_path)
    assert pagefind_runner.cli(waiter) == 1
    said = (tmp_path / "pagefind.err").read_text(encoding="utf-8")
    assert said.startswith(pagefind_runner.OS_ERROR) and "[28, " in said


def test_pagefind_is_asked_for_huge_pages_unless_the_environment_says_otherwise(tmp_path: Path, monkeypatch):
    """The runner gives Pagefind's jemalloc its setting (pagefind_runner.MALLOC_CONF); one in the environment wins."""
    from portal import pagefind_runner

    said = tmp_path / "said"
    fake = tmp_path / "pagefind"
    ignored = tmp_path / "ignored"
    fake.write_text(f"#!/bin/sh\nprintf '%s' \"$_RJEM_MALLOC_CONF\" > {said}\n"
                    f"grep SigIgn /proc/$$/status > {ignored}\n")
    fake.chmod(0o755)
    monkeypatch.delenv("_RJEM_MALLOC_CONF", raising=False)
    pagefind_runner.index(str(fake), [Job(tmp_path, tmp_path / "out")], 1)
    assert said.read_text() == pagefind_runner.MALLOC_CONF == "thp:always,metadata_thp:always"
    monkeypatch.setenv("_RJEM_MALLOC_CONF", "narenas:1")
    pagefind_runner.index(str(fake), [Job(tmp_path, tmp_path / "out")], 1)
    assert said.read_text() == "narenas:1"


def test_the_search_step_yields_its_cores_to_an_edit_build_with_pages_to_make(tmp_path):
    """Indexing.yield_cores: the search step's process group (Pagefind's runs included, started by it later) takes
    a lower priority than the build's (forked.SEARCH_NICE); before, the same as the build's."""
    from portal.forked import SEARCH_NICE, Forked

    go = tmp_path / "go"

    def cut() -> list:
        while not go.exists():  # the step stays at work until the test has looked
            time.sleep(0.01)
        return [search.Bundle(0, _three_records())]

    indexing = search.Indexing(cut, str(tmp_path / "out"), Session(cache_dir=tmp_path / "c", live=tmp_path, jobs=2))
    own = os.getpriority(os.PRIO_PROCESS, 0)
    try:
        assert os.getpriority(os.PRIO_PROCESS, indexing.work.pid) == own
        indexing.yield_cores()
        assert os.getpriority(os.PRIO_PROCESS, indexing.work.pid) == min(19, own + SEARCH_NICE)
    finally:
        go.touch()
        assert indexing.finish() == 3
    # Forked's own ``nice``: the child runs, and starts what it starts, at the lower priority.
    work = Forked(lambda: iter([os.getpriority(os.PRIO_PROCESS, 0)]), nice=3)
    try:
        assert work.receive() == min(19, own + 3)
    finally:
        work.cancel()


def test_a_record_s_sort_key_is_its_date_to_the_minute():
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    assert search._stamp(datetime(2024, 4, 21, 9, 5, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))) == "202404210905"
    assert search._stamp(date(987, 1, 2)) == "098701020000"  # a day without a time; years padded to four digits


@pytest.mark.parametrize("lacking", [2, 3])
def test_the_words_of_a_few_bundles_are_counted_by_the_build_from_their_texts(tmp_path, monkeypatch, lacking):
    """An edit build's search step sends the texts of no more bundles than workers to the build, which counts their
    words (its core waits for Pagefind anyway); more bundles' words are counted in the search step. Either way the
    memo holds what bundle_words gives."""
    from portal.cache import Memo
    from portal.search_words import bundle_words, memo_key

    made = [search.Bundle(0, _three_records())]
    for number in range(1, lacking + 1):
        made.append(search.Bundle(number, [{**item, "url": f"/kho-{number}{item['url']}",
                                            "content": f"{item['content']} gói {number} Đắk"}
                                           for item in _three_records()]))
    expected = {memo_key(bundle): bundle_words(bundle) for bundle in made[1:]}
    # In the forked search step, a count is marked as its own; the build's own is the real one.
    monkeypatch.setattr(search, "bundle_words", lambda bundle: ({"đếm-trong-bước-tìm-kiếm"}, set(), 0))
    session = Session(cache_dir=tmp_path / "cache", live=tmp_path / "live", jobs=2)
    session.memo = Memo(None, "")
    indexing = search.Indexing(lambda: made, str(tmp_path / "out"), session)
    try:
        indexing.bundles()
    finally:
        indexing.finish()
    counted = {key: session.memo.get(key) for key in expected}
    if lacking <= session.jobs:
        assert counted == expected
    else:
        assert all(value[0] == {"đếm-trong-bước-tìm-kiếm"} for value in counted.values())
