"""The parse cache follows a file's bytes: a new mtime alone (a cache restored in CI) keeps the entry."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest

from portal.cache import PARALLEL_MIN, Packed, ParseCache, Unsaved, later, thawed, warm


def _saved(tmp_path: Path, text: str, value: str) -> Path:
    """a.md holding ``text``, its entry ``value`` saved in a cache."""
    source = tmp_path / "a.md"
    source.write_text(text, encoding="utf-8")
    cache = ParseCache(tmp_path / "parsed.pickle", "salt")
    cache.put(source, value)
    cache.save()
    return source


def test_an_entry_survives_a_new_mtime_but_not_new_bytes(tmp_path: Path):
    source = _saved(tmp_path, "---\ntitle: A\n---\nMột.\n", "parsed A")
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


def test_unsaved_text_stays_in_memory_and_crosses_to_workers_but_is_written_empty(tmp_path: Path):
    source = tmp_path / "a.md"
    source.write_text("x", encoding="utf-8")
    plain = Unsaved("Văn bản thuần của bài, làm lại khi cần")
    cache = ParseCache(tmp_path / "parsed.pickle", "salt")
    cache.put(source, ("<p>html</p>", {"portal_plain": plain, "title": "Bài"}))
    assert pickle.loads(pickle.dumps(plain)) == plain  # a worker process's result keeps it
    cache.save()
    assert cache.get(source)[1]["portal_plain"] == plain  # this build still has it
    html, meta = ParseCache(tmp_path / "parsed.pickle", "salt").get(source)
    assert (html, meta) == ("<p>html</p>", {"portal_plain": "", "title": "Bài"})
    assert not any(b"thu\xe1\xba\xa7n" in f.read_bytes() for f in tmp_path.glob("parsed-*.pickle"))


def test_a_settled_cache_holds_no_unsaved_text_as_if_read_back(tmp_path: Path):
    """ParseCache.settle: the build is over, and the texts made for it alone go, in the value and the kept state
    alike (the preview keeps the cache between builds). The cache's other data stay."""
    source = tmp_path / "a.md"
    source.write_text("x", encoding="utf-8")
    meta = {"portal_plain": Unsaved("Văn bản thuần"), "title": "Bài", "portal_data": {"tags": ["a"]}}
    cache = ParseCache(tmp_path / "parsed.pickle", "salt")
    cache.put(source, ("<p>html</p>", meta))
    state = ("Article", {"portal_plain": meta["portal_plain"], "metadata": meta, "title": "Bài"}, (), (), set())
    cache.keep(str(source), "tag", state)
    cache.settle()
    assert cache.get(source) == ("<p>html</p>", {"portal_plain": "", "title": "Bài", "portal_data": {"tags": ["a"]}})
    assert cache.snapshot(str(source), "tag")[1] == {"portal_plain": "", "metadata": meta, "title": "Bài"}
    assert meta["portal_plain"] == ""

def test_an_entry_with_a_kept_state_is_written_as_the_cache_s_pack_gives_it(tmp_path: Path):
    source = tmp_path / "a.md"
    source.write_text("x", encoding="utf-8")
    cache = ParseCache(tmp_path / "parsed.pickle", "salt")
    cache.pack = lambda value, state: (value.encode(), {**state, "packed": True})
    cache.put(source, "Phong trào thi đua")
    cache.keep(str(source), "tag", {"n": 1})
    cache.save()
    assert cache.get(source) == "Phong trào thi đua"  # this build's entries stay as they were made
    assert cache.snapshot(str(source), "tag") == {"n": 1}
    restored = ParseCache(tmp_path / "parsed.pickle", "salt")
    assert restored.get(source) == "Phong trào thi đua".encode()
    assert restored.snapshot(str(source), "tag") == {"n": 1, "packed": True}


@pytest.mark.parametrize("cache_content", [False, True])
def test_pelican_stamps_files_only_when_its_own_cache_is_on(tmp_path: Path, monkeypatch, cache_content):
    """Without CACHE_CONTENT, Pelican's stat per stamp (four per article) is skipped: no stamp is compared."""
    from pelican import signals
    from pelican.generators import ArticlesGenerator
    from pelican.settings import DEFAULT_CONFIG

    from portal import skip_file_stamps

    stamped = []
    monkeypatch.setattr(os.path, "getmtime", lambda path: stamped.append(path) or 1.0)
    settings = {**DEFAULT_CONFIG, "CACHE_CONTENT": cache_content, "CACHE_PATH": str(tmp_path / "cache")}
    signals.article_generator_init.connect(skip_file_stamps)  # as register() connects it
    try:
        generator = ArticlesGenerator(context={}, settings=settings, path=str(tmp_path), theme=settings["THEME"],
                                      output_path=str(tmp_path / "out"))
    finally:
        signals.article_generator_init.disconnect(skip_file_stamps)
    for cacher in (generator, generator.readers):
        cacher.cache_data("a.md", "parsed")
        cacher.get_cached_data("a.md")
    assert bool(stamped) == cache_content


def _walked(*paths: Path) -> dict[str, tuple[int, int]]:
    """The content folder as a build walks it before making its cache (incremental.content_files)."""
    return {str(p): (p.stat().st_mtime_ns, p.stat().st_size) for p in paths}


def test_the_next_build_in_the_same_process_takes_over_the_entries(tmp_path: Path, monkeypatch):
    """The preview's builds run in one process: the next one starts from the last one's entries, not the disk."""
    from portal import cache as cache_module

    a, b = tmp_path / "a.md", tmp_path / "b.md"
    a.write_text("A", encoding="utf-8")
    b.write_text("B", encoding="utf-8")
    first = ParseCache(tmp_path / "parsed.pickle", "salt")
    first.put(a, "parsed A")
    first.put(b, "parsed B")
    first.save()
    loads: list = []
    real_load = cache_module._load
    monkeypatch.setattr(cache_module, "_load", lambda *args: loads.append(args) or real_load(*args))
    b.unlink()
    second = ParseCache(tmp_path / "parsed.pickle", "salt", previous=first, stats=_walked(a))
    assert loads == [] and second.get(a) == "parsed A" and second.get(b) is None
    a.write_text("Á", encoding="utf-8")  # an entry taken over is checked against the file like a loaded one
    assert ParseCache(tmp_path / "parsed.pickle", "salt", previous=second, stats=_walked(a)).get(a) is None
    other = ParseCache(tmp_path / "parsed.pickle", "other salt", previous=first, stats=_walked(a))
    assert loads and other.get(a) is None  # other code or settings: the disk is read, and holds nothing for it


def _restored(tmp_path: Path, count: int) -> list[Path]:
    """``count`` files, each cached under its name, then given a new mtime as a CI runner's restore does."""
    files = [tmp_path / f"{i}.md" for i in range(count)]
    for i, source in enumerate(files):
        source.write_text(f"bài {i}", encoding="utf-8")
    first = ParseCache(tmp_path / "parsed.pickle", "salt")
    for source in files:
        first.put(source, source.name)
    first.save()
    for source in files:
        os.utime(source, ns=(source.stat().st_atime_ns, source.stat().st_mtime_ns + 10**12))
    return files


def test_a_file_s_digest_covers_all_its_bytes_whatever_size_it_was_stat_at(tmp_path: Path):
    """The digest reads the size a stat gave; a file that grew (or shrank) since is digested whole all the same."""
    from portal.cache import _digest

    source = tmp_path / "a.md"
    source.write_bytes(b"x" * 70_000 + "bài".encode())
    whole = _digest(str(source))
    assert _digest(str(source), 10) == _digest(str(source), 90_000) == whole
    source.write_bytes(b"x" * 70_000)
    assert _digest(str(source), 70_004) != whole


def test_a_restored_cache_is_confirmed_by_bytes_once_and_saved_with_the_new_mtimes(tmp_path: Path, monkeypatch):
    """A CI runner's restore: every mtime new. Each file is digested once; the next build trusts the mtimes."""
    from portal import cache as cache_module

    files = _restored(tmp_path, 5)
    files[0].write_text("bài X", encoding="utf-8")  # the same size, other bytes: parsed again
    digested: list[str] = []
    real_digest = cache_module._digest
    monkeypatch.setattr(cache_module, "_digest", lambda path, *size: digested.append(path) or real_digest(path, *size))
    restored = ParseCache(tmp_path / "parsed.pickle", "salt", stats=_walked(*files))
    assert [restored.get(source) for source in files] == [None, *(source.name for source in files[1:])]
    assert sorted(digested) == sorted(map(str, files))
    assert len(digested) == 5  # each file digested once
    restored.put(files[0], "parsed again")
    restored.save()
    digested.clear()
    again = ParseCache(tmp_path / "parsed.pickle", "salt", stats=_walked(*files))
    assert [again.get(source) for source in files] == ["parsed again", *(source.name for source in files[1:])]
    assert digested == []


def test_a_restore_is_digested_in_a_child_while_the_shards_load(tmp_path: Path, monkeypatch):
    """With ``fork``, the files the index knows under other mtimes are digested in a forked child beside the
    shards' loading: this process digests none of them, and an entry whose bytes changed is still refused."""
    from portal import cache as cache_module

    files = _restored(tmp_path, PARALLEL_MIN + 10)
    files[0].write_text("bài X", encoding="utf-8")  # the same size, other bytes
    digested: list[str] = []
    real_digest, real_digests = cache_module._digest, cache_module._digests
    monkeypatch.setattr(cache_module, "_digests", lambda pending: digested.extend(p for p, _ in pending)
                        or real_digests(pending))
    me = os.getpid()
    restored = ParseCache(tmp_path / "parsed.pickle", "salt", stats=_walked(*files), fork=True)
    assert os.getpid() == me and digested == []  # the child's look-ups happened in the child
    monkeypatch.setattr(cache_module, "_digest", lambda *_: pytest.fail("digested again in the build's process"))
    restored.confirm(map(str, files))
    assert [restored.get(source) for source in files] == [None, *(source.name for source in files[1:])]
    assert digested == []
    # Without the fork (one job), the same files are digested here, in one pass.
    monkeypatch.setattr(cache_module, "_digest", real_digest)
    serial = ParseCache(tmp_path / "parsed.pickle", "salt", stats=_walked(*files))
    serial.confirm(map(str, files))
    assert sorted(digested) == sorted(map(str, files))


def test_missing_settles_a_restore_digested_beside_the_shards_in_one_look(tmp_path: Path, monkeypatch):
    """What a CI build asks first (warm): the entries whose bytes the child confirmed are used under their new
    mtimes, in ``missing``'s one pass, not looked up again; the file of other bytes (the same size) is the one
    missing, without a second digest here; the save writes its shard and the index of the new mtimes."""
    from portal import cache as cache_module

    files = _restored(tmp_path, PARALLEL_MIN + 10)
    files[5].write_text("bài X", encoding="utf-8")  # the size of "bài 5", other bytes
    restored = ParseCache(tmp_path / "parsed.pickle", "salt", stats=_walked(*files), fork=True)
    monkeypatch.setattr(cache_module, "_digest", lambda *_: pytest.fail("digested again in the build's process"))
    real_current = ParseCache._current
    monkeypatch.setattr(ParseCache, "_current", lambda *_: pytest.fail("an entry looked up again"))
    assert restored.missing([str(f) for f in files if f != files[5]]) == []
    monkeypatch.setattr(ParseCache, "_current", real_current)
    assert restored.missing([str(files[5])]) == [str(files[5])]  # refused by the child's digest, not made again
    monkeypatch.undo()
    restored.put(files[5], "parsed again")
    written: list[str] = []
    real_save = cache_module._save
    monkeypatch.setattr(cache_module, "_save",
                        lambda path, *rest, **named: written.append(path.name) or real_save(path, *rest, **named))
    restored.save()
    assert len(written) == 2 and written[-1] == "parsed-mtimes.pickle"  # the edited file's shard, then the index
    again = ParseCache(tmp_path / "parsed.pickle", "salt", stats=_walked(*files))
    monkeypatch.setattr(cache_module, "_digest", lambda *_: pytest.fail("the new mtimes were not saved"))
    assert [again.get(f) for f in files] == [*(f.name for f in files[:5]), "parsed again",
                                             *(f.name for f in files[6:])]


@pytest.mark.parametrize("slow", [False, True], ids=["from-memory", "slow-disk"])
def test_warm_confirms_a_restored_cache_in_one_pass_reading_ahead_when_the_disk_is_slow(tmp_path: Path, monkeypatch,
                                                                                        slow: bool):
    """A restore gives every file a new mtime: warm reads each file once to confirm its entry, one after another;
    when the first ones show a slow disk, the kernel is asked to read the others ahead, each once."""
    from portal import cache as cache_module

    files = _restored(tmp_path, 40)
    files[3].write_text("bài X", encoding="utf-8")  # the size of "bài 3", other bytes: parsed again
    monkeypatch.setattr(cache_module, "_PROBE", 8)
    monkeypatch.setattr(cache_module, "_SLOW_READ", 0.0 if slow else 3600.0)
    digested: list[str] = []
    advised: list[tuple[int, int]] = []
    real_digest, real_advise = cache_module._digest, os.posix_fadvise

    def spy(path: str, *size: int) -> bytes:
        digested.append(path)
        return real_digest(path, *size)

    def advise(fd: int, offset: int, length: int, advice: int) -> None:
        advised.append((os.fstat(fd).st_ino, advice))
        real_advise(fd, offset, length, advice)

    monkeypatch.setattr(cache_module, "_digest", spy)
    monkeypatch.setattr(os, "posix_fadvise", advise)
    restored = ParseCache(tmp_path / "parsed.pickle", "salt", stats=_walked(*files))
    parsed: list[str] = []
    assert warm(restored, [str(f) for f in files], lambda p: parsed.append(p.name) or "new") == 1
    assert parsed == ["3.md"]
    assert sorted(digested) == sorted([*map(str, files), str(files[3])])  # once each; the parsed one stamped too
    ahead = [(f.stat().st_ino, os.POSIX_FADV_WILLNEED) for f in files[8:]] if slow else []
    assert advised == ahead
    assert [restored.get(f) for f in files] == [*(f.name for f in files[:3]), "new", *(f.name for f in files[4:])]


@pytest.mark.parametrize("slow", [False, True], ids=["from-memory", "slow-disk"])
def test_warm_reads_the_files_to_parse_ahead_when_the_first_come_from_a_disk(tmp_path: Path, monkeypatch, slow: bool):
    """A cold build parses every file: when the first ones read slowly (a disk, not the page cache), the kernel is
    asked to read all the others ahead, each once; from memory, nothing is asked. Every file is parsed either way."""
    from portal import cache as cache_module

    files = [tmp_path / f"{i}.md" for i in range(30)]
    for i, source in enumerate(files):
        source.write_text(f"bài {i}", encoding="utf-8")
    monkeypatch.setattr(cache_module, "PARALLEL_MIN", 20)
    monkeypatch.setattr(cache_module, "_PROBE", 8)
    monkeypatch.setattr(cache_module, "_SLOW_READ", 0.0 if slow else 3600.0)
    advised: list[tuple[int, int]] = []
    real_advise = os.posix_fadvise

    def advise(fd: int, offset: int, length: int, advice: int) -> None:
        advised.append((os.fstat(fd).st_ino, advice))
        real_advise(fd, offset, length, advice)

    monkeypatch.setattr(os, "posix_fadvise", advise)
    fresh = ParseCache(tmp_path / "parsed.pickle", "salt", stats=_walked(*files))
    parsed: list[str] = []
    assert warm(fresh, [str(f) for f in files], lambda p: parsed.append(p.name) or p.name) == len(files)
    assert sorted(parsed) == sorted(f.name for f in files)
    assert advised == ([(f.stat().st_ino, os.POSIX_FADV_WILLNEED) for f in files[8:]] if slow else [])


def test_new_mtimes_alone_rewrite_the_index_not_the_shards(tmp_path: Path, monkeypatch):
    """A restore gives every file a new mtime: the save after it writes the small index of mtimes, no shard."""
    from portal import cache as cache_module

    files = _restored(tmp_path, 40)  # enough to fall in several shards
    assert len(list(tmp_path.glob("parsed-[0-9]*.pickle"))) > 5
    written: list[str] = []
    real_save = cache_module._save
    monkeypatch.setattr(cache_module, "_save",
                        lambda path, *rest, **named: written.append(path.name) or real_save(path, *rest, **named))
    restored = ParseCache(tmp_path / "parsed.pickle", "salt", stats=_walked(*files))
    assert [restored.get(source) for source in files] == [source.name for source in files]
    restored.save()
    assert written == ["parsed-mtimes.pickle"]
    files[3].write_text("bài X", encoding="utf-8")
    edited = ParseCache(tmp_path / "parsed.pickle", "salt", stats=_walked(*files))
    assert [edited.get(source) for source in files].count(None) == 1
    edited.put(files[3], "parsed again")
    written.clear()
    edited.save()
    assert len(written) == 2 and written[-1] == "parsed-mtimes.pickle"  # its shard, then the index


def test_an_edit_writes_its_shard_alone_from_the_keys_read(tmp_path: Path, monkeypatch):
    """An edit build's save writes the shards of the files it parsed, added or lost, each from the keys read with
    it, and the index of mtimes only when one moved: the next build finds every file as it is."""
    from portal import cache as cache_module

    files = [tmp_path / f"{i}.md" for i in range(40)]
    for i, source in enumerate(files):
        source.write_text(f"bài {i}", encoding="utf-8")
    first = ParseCache(tmp_path / "parsed.pickle", "salt", stats=_walked(*files))
    for source in files:
        first.put(source, source.name)
    first.save()
    written: list[str] = []
    real_save = cache_module._save
    monkeypatch.setattr(cache_module, "_save",
                        lambda path, *rest, **named: written.append(path.name) or real_save(path, *rest, **named))
    files[3].write_text("bài X", encoding="utf-8")
    files[7].unlink()
    added = tmp_path / "moi.md"
    added.write_text("bài mới", encoding="utf-8")
    now = [source for source in files if source.exists()] + [added]
    edited = ParseCache(tmp_path / "parsed.pickle", "salt", stats=_walked(*now))
    assert [edited.get(source) for source in now].count(None) == 2
    edited.put(files[3], "parsed again")
    edited.put(added, "parsed new")
    edited.save()
    shards = {cache_module._shard(str(source)) for source in (files[3], files[7], added)}
    assert sorted(written) == sorted(f"parsed-{shard:02d}.pickle" for shard in shards)  # no index: no mtime moved
    after = ParseCache(tmp_path / "parsed.pickle", "salt", stats=_walked(*now))
    made = {files[3]: "parsed again", added: "parsed new"}
    assert [after.get(source) for source in now] == [made.get(source, source.name) for source in now]
    assert len(after._old) == len(now)  # the deleted file's entry went with its shard's rewrite


def test_a_shard_is_taken_as_it_is_unless_the_index_holds_newer_mtimes_for_it(tmp_path: Path, monkeypatch):
    """Each shard holds its entries' mtimes as written. A save that writes new mtimes in the index alone (a restore)
    names their shards stale: the next build takes those mtimes from the index, and confirms no file by its bytes.
    A shard written again is taken as it is once more."""
    from portal import cache as cache_module
    from portal.cache import ShardLoad, _shard

    files = _restored(tmp_path, 40)
    path = tmp_path / "parsed.pickle"
    assert ShardLoad(path, "salt").stale == set()  # all written by the first save
    restored = ParseCache(path, "salt", stats=_walked(*files))
    assert [restored.get(source) for source in files] == [source.name for source in files]  # digested once
    restored.save()
    shards = {_shard(str(source)) for source in files}
    assert ShardLoad(path, "salt").stale == shards
    digested: list[str] = []
    real_digest = cache_module._digest
    monkeypatch.setattr(cache_module, "_digest", lambda key, *rest: digested.append(key) or real_digest(key, *rest))
    again = ParseCache(path, "salt", stats=_walked(*files))
    assert [again.get(source) for source in files] == [source.name for source in files] and digested == []
    files[3].write_text("bài X", encoding="utf-8")
    again.put(files[3], "parsed again")
    again.save()
    assert ShardLoad(path, "salt").stale == shards - {_shard(str(files[3]))}
    digested.clear()  # the put stamped the edited file
    last = ParseCache(path, "salt", stats=_walked(*files))
    assert [last.get(source) for source in files] == [s.name if i != 3 else "parsed again" for i, s in enumerate(files)]
    assert digested == []


def test_an_mtime_counts_only_beside_the_bytes_it_was_seen_with(tmp_path: Path):
    """A shard that could not be written keeps an older entry: the index's newer mtime must not vouch for it."""
    source = _saved(tmp_path, "bài A", "A")
    shards = {p: p.read_bytes() for p in tmp_path.glob("parsed-[0-9]*.pickle")}
    source.write_text("bài B", encoding="utf-8")  # the same size
    second = ParseCache(tmp_path / "parsed.pickle", "salt", stats=_walked(source))
    assert second.get(source) is None
    second.put(source, "B")
    second.save()
    for shard, data in shards.items():  # the shard's write failed (a full disk); the index's did not
        shard.write_bytes(data)
    assert ParseCache(tmp_path / "parsed.pickle", "salt", stats=_walked(source)).get(source) is None


def test_a_save_beside_the_build_keeps_what_is_looked_up_after_it(tmp_path: Path):
    """The build saves the cache once everything is read (forked, not waited for); an entry first used after that
    save, and an entry put after it, are written by the save at the end of the build."""
    a, b, c = (tmp_path / f"{name}.md" for name in "abc")
    for source in (a, b, c):
        source.write_text(source.stem, encoding="utf-8")
    first = ParseCache(tmp_path / "parsed.pickle", "salt")
    first.put(a, "A")
    first.put(b, "B")
    first.save()
    build = ParseCache(tmp_path / "parsed.pickle", "salt", stats=_walked(a, b, c))
    assert build.get(a) == "A"
    build.save(fork=True, wait=False)
    assert build.get(b) == "B"  # used after the save: its shard must be written again
    build.put(c, "C")
    build.save(fork=True)
    after = ParseCache(tmp_path / "parsed.pickle", "salt", stats=_walked(a, b, c))
    assert [after.get(s) for s in (a, b, c)] == ["A", "B", "C"]


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_file_edited_while_it_is_parsed_is_parsed_again(tmp_path: Path, jobs: int):
    """The entry keeps the bytes as they were before parsing: an edit saved meanwhile must not be taken for
    the bytes the kept parse came from (in the build's own process, and in the workers of a cold build)."""
    sources = []
    for i in range(PARALLEL_MIN if jobs > 1 else 1):
        sources.append(tmp_path / f"a{i}.md")
        sources[-1].write_text(f"Bài {i}.\n", encoding="utf-8")
    cache = ParseCache(tmp_path / "parsed.pickle", "salt")

    def parse(path: Path) -> str:
        text = path.read_text(encoding="utf-8")
        path.write_text(text + "Một câu sửa trong lúc đang đọc.\n", encoding="utf-8")  # the editor saves again
        return text

    assert warm(cache, map(str, sources), parse, jobs=jobs) == len(sources)
    cache.save()
    again = ParseCache(tmp_path / "parsed.pickle", "salt")
    assert [again.get(s) for s in sources] == [None] * len(sources)  # parsed again, from the new bytes
    assert again.fetch(sources[0], parse) == "Bài 0.\nMột câu sửa trong lúc đang đọc.\n"
    again.save()
    assert ParseCache(tmp_path / "parsed.pickle", "salt").get(sources[0]) is None  # fetch stamps first too


def test_a_record_s_collation_key_is_made_when_its_file_is_parsed(tmp_path: Path):
    """Every list of records is sorted by Record.sort_key: it comes with the parsed file from the cache, not
    from collating the name again on every build."""
    from portal.records import MarkdownRenderer, load_records
    from portal.vietnamese import sort_key
    from support import DATA

    content = DATA / "mini"
    cache = ParseCache(tmp_path / "parsed.pickle", "salt")
    records = load_records(content, MarkdownRenderer({}), cache)
    exemplar = records.all("exemplars")[0]
    assert exemplar.sort_key == sort_key(exemplar.name) and exemplar.sort_key[0]
    path = content / exemplar.path
    parsed = cache.get(path)
    assert parsed[-1] == exemplar.sort_key
    cache.put(path, (*parsed[:-1], ((0,), (0,), (0,))))  # a key only the cache can have given
    again = load_records(content, MarkdownRenderer({}), cache).get("exemplars", exemplar.slug)
    assert again.sort_key == ((0,), (0,), (0,))


def test_a_saved_shard_holds_each_field_name_and_short_value_once(tmp_path: Path, monkeypatch):
    """Each file is parsed apart (in a worker, across a pipe): its field names are strings of their own. Saved,
    they are shared, so a shard loads one object per name, not one per entry; values and sharing stay as made."""
    monkeypatch.setattr("portal.cache.SHARDS", 1)
    long = "đ" * 80
    cache = ParseCache(tmp_path / "parsed.pickle", "salt")
    made = {}
    for name in ("a", "b"):
        source = tmp_path / f"{name}.md"
        source.write_text(name, encoding="utf-8")
        lines = {"".join(["campaigns", "[0]"]): 3}  # a string made at run time: not shared by the compiler
        meta = {"".join(["ti", "tle"]): "".join([name, " bài"]), "portal_lines": lines, "slugs": ["".join(["x", "y"])],
                "long": long[:79] + name, "portal_plain": Unsaved("văn bản")}
        made[name] = meta
        cache.put(source, ("<p>body</p>", meta))
        cache.keep(str(source), "tag", ({"lines": lines, "lang": "".join(["v", "i"])}, (name,)))
    cache.save()
    assert made["a"]["title"] == "a bài" and made["a"]["portal_plain"] == "văn bản"  # this build's values as made
    restored = ParseCache(tmp_path / "parsed.pickle", "salt")
    (_, a), (_, b) = restored.get(tmp_path / "a.md"), restored.get(tmp_path / "b.md")
    assert a == {**made["a"], "portal_plain": ""} and b == {**made["b"], "portal_plain": ""}
    key_a, key_b = next(iter(a)), next(iter(b))
    assert key_a == key_b == "title" and key_a is key_b
    assert next(iter(a["portal_lines"])) is next(iter(b["portal_lines"]))
    assert a["slugs"][0] is b["slugs"][0]
    assert a["long"] is not b["long"] and a["long"].endswith("a")  # longer than SHARED_CHARS: written as it is
    state_a = restored.snapshot(str(tmp_path / "a.md"), "tag")
    assert state_a[0]["lines"] is a["portal_lines"]  # one dict in the value and the state, as before the save
    assert state_a[0]["lang"] is restored.snapshot(str(tmp_path / "b.md"), "tag")[0]["lang"] == "vi"
    assert state_a[1] == ("a",)


def test_a_short_body_already_shared_is_still_packed_once(tmp_path: Path):
    """The pack (snapshots._pack) finds the body the value and the state share by identity: sharing the strings
    (_share) comes after it, so a short body the interpreter already holds shared is still written once."""
    import sys

    from portal.snapshots import _pack

    source = tmp_path / "a.md"
    source.write_text("x", encoding="utf-8")
    body = "".join(["<p>Giáo viên ", "được khen.</p>"])  # short enough to be shared, made at run time
    sys.intern("<p>Giáo viên được khen.</p>")  # an earlier build in this process shared the same text
    cache = ParseCache(tmp_path / "parsed.pickle", "salt")
    cache.pack = _pack
    cache.put(source, (body, {"title": "Bài"}))
    cache.keep(str(source), "tag", (object, {"_content": body, "metadata": {}}, [], [], set()))
    cache.save()
    saved = b"".join(f.read_bytes() for f in tmp_path.glob("parsed-*.pickle"))
    assert saved.count(body.encode()) == 1
    restored = ParseCache(tmp_path / "parsed.pickle", "salt")
    assert bytes(restored.get(source)[0]) == body.encode() and \
        restored.snapshot(str(source), "tag")[1]["_content"] is restored.get(source)[0]


def test_a_body_is_read_when_asked_for_from_the_file_that_named_it(tmp_path: Path):
    """A kept body (cache.Body) is written after its shard's pickle and read back lazily (cache.LazyBody): from the
    file the build loaded, even once a later save has replaced that file under its name (the preview), and any
    other pickler writes it as the bytes it stands for. A body saved again is written once, not once per holder."""
    import pickle

    from portal.cache import Body, LazyBody

    files = [tmp_path / f"{name}.md" for name in ("a", "b")]
    for source in files:
        source.write_text("x", encoding="utf-8")
    bodies = {source: Body(f"<p>Bài {source.stem}: thi đua yêu nước.</p>".encode()) for source in files}
    cache = ParseCache(tmp_path / "parsed.pickle", "salt")
    for source in files:
        cache.put(source, (bodies[source], {"title": source.stem}))
        cache.keep(str(source), "tag", (object, {"_content": bodies[source]}, [], [], set()))
    cache.save()
    loaded = ParseCache(tmp_path / "parsed.pickle", "salt")
    body = loaded.get(files[0])[0]
    assert type(body) is LazyBody and loaded.snapshot(str(files[0]), "tag")[1]["_content"] is body
    files[1].write_text("y", encoding="utf-8")  # another entry changes: its shard, or another, is written again
    loaded.get(files[0])
    loaded.put(files[1], ("<p>Mới.</p>", {"title": "b"}))
    loaded.save()
    for shard in tmp_path.glob("parsed-[0-9]*.pickle"):  # the files as saved now, each body once
        assert shard.read_bytes().count(bodies[files[0]]) <= 1
    assert b"".join(f.read_bytes() for f in tmp_path.glob("parsed-[0-9]*.pickle")).count(bodies[files[0]]) == 1
    assert body.decode() == "<p>Bài a: thi đua yêu nước.</p>"  # from the file loaded, replaced since
    assert pickle.loads(pickle.dumps(body)) == bytes(bodies[files[0]])
    again = ParseCache(tmp_path / "parsed.pickle", "salt")
    assert again.get(files[0])[0].decode() == "<p>Bài a: thi đua yêu nước.</p>"
    assert again.get(files[1])[0] == "<p>Mới.</p>"


class _Halves(Packed):
    """A value kept in two halves: the first in the shard's pickle, the second after it (cache.later)."""

    def unpack(self) -> tuple[str, dict]:
        first, second = self
        return first, thawed(second)


def test_a_packed_value_is_read_whole_only_when_asked_for(tmp_path: Path, monkeypatch):
    """A value the pack writes in parts (cache.Packed) loads as it was written; the part left after the shard's
    pickle (cache.later) is read only when the value is asked for, as the cache pickles it (Unsaved as ""), and the
    value is written again as loaded when its shard is saved again."""
    from portal import cache as cache_module

    first = tmp_path / "a.md"  # and a file whose entry is in the same shard
    files = [first, next(path for i in range(1000) if cache_module._shard(str(path := tmp_path / f"b{i}.md"))
                         == cache_module._shard(str(first)))]
    for source in files:
        source.write_text("x", encoding="utf-8")
    cache = ParseCache(tmp_path / "parsed.pickle", "salt")
    cache.pack = lambda value, state: (_Halves((value[0], later(value[1]))), state)
    for source in files:
        cache.put(source, ("đầu", {"title": source.stem, "plain": Unsaved("chỉ cho lần dựng này")}))
        cache.keep(str(source), "tag", ("state",))
    cache.save()
    read: list[object] = []
    original = cache_module.LazyBody.__bytes__
    monkeypatch.setattr(cache_module.LazyBody, "__bytes__", lambda body: read.append(body) or original(body))
    restored = ParseCache(tmp_path / "parsed.pickle", "salt")
    assert restored.snapshot(str(files[0]), "tag") == ("state",) and not read  # the state alone: nothing more read
    assert restored.get(files[0]) == ("đầu", {"title": "a", "plain": ""}) and len(read) == 1
    restored.put(files[1], ("khác", {"title": "b"}))  # the same shard written again, with the other one as loaded
    restored.pack = lambda value, state: (value, state)
    restored.save()
    again = ParseCache(tmp_path / "parsed.pickle", "salt")
    assert again.get(files[0]) == ("đầu", {"title": "a", "plain": ""})
    assert again.get(files[1]) == ("khác", {"title": "b"})


def test_shards_read_ahead_are_taken_over_and_the_rest_read_once(tmp_path: Path, monkeypatch):
    """A build reads the shards while its walk is under way (ShardLoad); the cache takes those and reads only the
    others, each once, into the entries a load from nothing gives. Shards of another salt are not taken."""
    from portal import cache as cache_module

    files = _restored(tmp_path, 40)
    read: list[str] = []
    real_load = cache_module._load
    monkeypatch.setattr(cache_module, "_load", lambda path, salt: read.append(path.name) or real_load(path, salt))
    ahead = cache_module.ShardLoad(tmp_path / "parsed.pickle", "salt")
    for _ in range(5):
        assert ahead.step()
    cache = ParseCache(tmp_path / "parsed.pickle", "salt", stats=_walked(*files), ahead=ahead)
    every = ["parsed-mtimes.pickle", *(f"parsed-{i:02d}.pickle" for i in range(cache_module.SHARDS))]
    assert sorted(read) == sorted(every)  # the index and each shard, once
    fresh = ParseCache(tmp_path / "parsed.pickle", "salt", stats=_walked(*files))
    assert cache._old == fresh._old and len(cache._old) == 40
    assert [cache.get(source) for source in files] == [source.name for source in files]
    read.clear()
    other = cache_module.ShardLoad(tmp_path / "parsed.pickle", "other salt")
    assert ParseCache(tmp_path / "parsed.pickle", "salt", stats=_walked(*files), ahead=other)._old == fresh._old


def test_a_build_reads_shards_only_while_its_walk_is_under_way(tmp_path: Path):
    """build._shards_ahead reads while the walk has not answered (here all of them: the walk takes a second), and
    nothing once it has (one job: the walk ran at once)."""
    import time

    from portal.build import _parse_cache_salt, _shards_ahead
    from portal.forked import Forked

    settings = {"PATH": str(tmp_path), "MARKDOWN": {}, "ARTICLE_PATHS": [""], "PAGE_PATHS": []}
    cache = ParseCache(tmp_path / "parsed.pickle", _parse_cache_salt(settings))
    for i in range(40):
        (tmp_path / f"{i}.md").write_text(f"bài {i}", encoding="utf-8")
        cache.put(str(tmp_path / f"{i}.md"), i)
    cache.save()
    slow = Forked(lambda: iter([time.sleep(1.0)]))
    try:
        ahead = _shards_ahead(settings, tmp_path, slow)
    finally:
        slow.cancel()
    assert ahead is not None and not ahead.step() and len(ahead.entries) == 40
    assert _shards_ahead(settings, tmp_path, Forked(lambda: iter([None]), fork=False)) is None


def test_a_save_that_fails_part_way_leaves_no_half_file(tmp_path: Path):
    """Only a full disk makes a save give up quietly; any failure removes the file it was writing."""
    from portal.cache import _save

    class Refuses:
        def __reduce__(self):
            raise RuntimeError("does not pickle")

    target = tmp_path / "parsed-03.pickle"
    with pytest.raises(RuntimeError, match="does not pickle"):
        _save(target, "salt", {"a.md": ("x" * 100_000, Refuses())})
    assert list(tmp_path.iterdir()) == []
    assert _save(target, "salt", {"a.md": "value"}) and [p.name for p in tmp_path.iterdir()] == [target.name]


def test_a_build_sweeps_what_a_killed_save_left_in_its_cache(tmp_path: Path, monkeypatch):
    """A shard a save killed outright was writing (``parsed-NN.pickle.<pid>``) goes with the next build."""
    import portal.build
    from support import DATA, ROOT, ended_pid

    monkeypatch.setenv("PORTAL_SITE_URL", "http://127.0.0.1:8000")
    ended = ended_pid()
    left = tmp_path / ".out.cache" / f"parsed-05.pickle.{ended}"
    left.parent.mkdir()
    left.write_bytes(b"half a shard")
    result = portal.build.build(str(ROOT / "pelicanconf.py"), str(tmp_path / "out"), content=str(DATA / "mini"))
    assert result.ok, result.message
    assert not left.exists() and (tmp_path / ".out.cache" / "state.pickle").is_file()
