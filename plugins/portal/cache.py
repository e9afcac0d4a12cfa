"""Parsed content kept between builds, and results derived from it.

:class:`ParseCache` holds front matter, typed fields and rendered Markdown per file,
keyed by the file's path, size and mtime (nanoseconds), else by a digest of its
bytes (a cache restored into a fresh clone, where every mtime is new); a *salt* made of the
plugin code and the Markdown settings drops every entry when the parser
itself could give a different result. Only entries used by a build are saved,
so deleted files leave the cache too. The entries are spread over ``SHARDS``
files by path, and a build rewrites only the shards whose entries changed: an
edit of one article saves ~2 MB, not the whole cache (78 MB at 10,000
articles, 0.4 s). Each shard holds its entries' mtimes as they were when it was
written; a small index, written after the shards, holds every mtime and names the
shards whose own may be out of date: a restore that gives every file a new mtime
rewrites the index alone (1 MB), not every shard. The first (cold) build parses the files it is missing in
several processes (:func:`warm`, one per build job). An entry may also keep the state of the
Pelican object made from the file (:meth:`ParseCache.snapshot`, snapshots.py), so an unchanged
article is not read again at all; its HTML and its metadata are written after its shard's pickle and read only
when a page shows them (:class:`Body`, :class:`LazyBody`, :func:`later`, :class:`Packed`).
:class:`Memo` holds what later steps derive from the whole content (a search
bundle's words, the related articles), keyed by a digest of their inputs.
:class:`TemplateCache` keeps the compiled templates (0.25 s per build).
"""

from __future__ import annotations

import contextlib
import copyreg
import functools
import hashlib
import io
import os
import pickle
import sys
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from jinja2 import FileSystemBytecodeCache
from jinja2.bccache import Bucket

from .files import replaced
from .forked import Forked, shared
from .progress import Progress

__all__ = ["Body", "LazyBody", "Memo", "Packed", "ParseCache", "ShardLoad", "TemplateCache", "Unsaved",
           "forget_unsaved", "later", "same_files", "thawed", "warm"]

PARALLEL_MIN = 200  # fewer files than this parse faster than worker processes start
CHUNK = 32  # files a process parses between two looks at the shared count (and sends at once)
# A restore that gives every file a new mtime confirms each entry by the file's bytes (:meth:`ParseCache.confirm`):
# when the first _PROBE files take longer than this each (seconds), the rest are read ahead (_digests).
_PROBE, _SLOW_READ = 64, 40e-6
SHARDS = 32  # files the cache is spread over (by path)


def _shard(key: str) -> int:
    return zlib.crc32(key.encode()) % SHARDS


def _digest(path: str, size: int = -1) -> bytes:
    """A file's bytes, by digest: one read of the ``size`` bytes a stat gave (plus one, to see any growth), no file
    object. A CI runner's restore gives every file a new mtime, so an edit build digests all 10,000 articles:
    through Path objects that took 0.6 s, a file object 0.09 s, this way 0.07 s. SHA-256, not BLAKE2: OpenSSL's
    runs on the processor's SHA instructions (AMD since Zen, Intel since Ice Lake, ARMv8): the 11,400 files
    (38 MB) of 10,000 articles in 0.034 s against 0.067 s on this project's machine."""
    fd = os.open(path, os.O_RDONLY)
    try:
        if size < 0:
            size = os.fstat(fd).st_size
        data = os.read(fd, size + 1)
        while len(data) > size:  # it grew since: read the rest
            more = os.read(fd, 1 << 16)
            if not more:
                break
            data += more
    finally:
        os.close(fd)
    return hashlib.sha256(data).digest()[:16]


def _stamp(path: str) -> tuple[int, int, bytes]:
    """A file's mtime, size and digest, taken before it is parsed: a file edited while it is parsed then fails
    its next look-up (and is parsed again), instead of its new bytes being kept beside the old parse."""
    st = os.stat(path)
    return st.st_mtime_ns, st.st_size, _digest(path, st.st_size)


def _digests(files: list[tuple[str, int]]) -> dict[str, bytes]:
    """The digests of ``files`` (path, size as stat'ed), read one after another. When the first ``_PROBE`` show a
    disk behind them (a runner's fresh disk, an archive larger than the page cache: 80 µs a file at 100,000
    articles), the kernel is first asked to read all the others ahead (``POSIX_FADV_WILLNEED``): it merges
    them into long reads, and 100,000 evicted files were digested in 1.5 s instead of 8.0 (16 threads: 6.9 s)."""
    found: dict[str, bytes] = {}
    start = time.perf_counter()
    for i, (path, size) in enumerate(files):
        found[path] = _digest(path, size)
        if i + 1 == _PROBE and time.perf_counter() - start > _PROBE * _SLOW_READ:
            _read_ahead(path for path, _ in files[_PROBE:])
    return found


def _read_ahead(paths: Iterable[str]) -> None:
    """Ask the kernel to read ``paths`` ahead (``POSIX_FADV_WILLNEED``): it merges them into long reads."""
    if not hasattr(os, "posix_fadvise"):
        return
    for path in paths:
        with contextlib.suppress(OSError):  # only advice: a file that went is found missing where it is read
            fd = os.open(path, os.O_RDONLY)
            try:
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_WILLNEED)
            finally:
                os.close(fd)


def _read_ahead_if_slow(paths: list[str]) -> None:
    """Read the first ``_PROBE`` of ``paths`` (the parse reads them again, from memory); when they came from a disk,
    not the page cache, ask for the others ahead (:func:`_read_ahead`).

    A machine that has not read the content folder for minutes (the VM this project is measured on pages out what
    it does not use), a fresh disk, an archive larger than the page cache: the parse would otherwise wait for each
    file in turn. With the page cache dropped, a cold build at 10,000 articles parsed on two cores in 9.2-9.5 s
    without this, 7.7-7.8 s with it (7.7 s from memory)."""
    start = time.perf_counter()
    for path in paths[:_PROBE]:
        with contextlib.suppress(OSError):  # a file that went is named by the parse
            _digest(path)
    if len(paths) > _PROBE and time.perf_counter() - start > _PROBE * _SLOW_READ:
        _read_ahead(paths[_PROBE:])


def _shard_file(path: Path, shard: int) -> Path:
    return path.with_name(f"{path.stem}-{shard:02d}{path.suffix}")


def same_files(other: ParseCache | ShardLoad | None, path: Path | None, salt: str) -> bool:
    """Whether ``other`` (the last build's cache in this process, or shards read ahead) holds the entries of the
    cache files at ``path`` under ``salt``, the code and settings that shaped them: then they serve, unread."""
    return other is not None and path is not None and (other.path, other.salt) == (path, salt)


def _index_file(path: Path) -> Path:
    return path.with_name(f"{path.stem}-mtimes{path.suffix}")


class ShardLoad:
    """A parse cache's files read one shard per :meth:`step`, so that the build can read them while it waits for
    something else: its walk of the content folder, whose answer (nothing changed) may make them unneeded. At
    10,000 articles an edit build waited 0.04 s for the walk, then 0.19 s for the shards (build._build).

    The index comes first. A shard's entries are taken as it holds them, as ParseCache keeps them, unless the index
    names it stale: a later build found files of it with new mtimes and the same bytes (a restore), and wrote them
    in the index alone. Then each mtime of the index counts, beside the bytes it was seen with. Taking a shard as it
    is, rather than remaking each of the 11,000 entries with the index's mtime, spared an edit build 0.01-0.02 s at
    10,000 articles.
    """

    def __init__(self, path: Path, salt: str) -> None:
        self.path, self.salt = path, salt
        index = _load(_index_file(path), salt)
        # path -> (mtime, digest). A shard's own mtimes are always those its bytes were seen with: without an index,
        # none is newer, and every shard is taken as it is.
        self.seen: dict[str, tuple[int, bytes]] = index.get("seen", {})
        self.stale: set[int] = index.get("stale", set())
        self.entries: dict[str, tuple[int, int, bytes, Any, Any]] = {}
        self.keys: list[list[str]] = []  # each shard's keys, as read
        self._next = 0

    def step(self) -> bool:
        """Read the next shard; whether one is left."""
        if self._next < SHARDS:
            loaded = _load(_shard_file(self.path, self._next), self.salt)
            self.keys.append(list(loaded))
            if self._next not in self.stale:
                self.entries.update(loaded)
            else:
                seen, entries = self.seen, self.entries
                for key, entry in loaded.items():
                    known = seen.get(key)
                    entries[key] = (known[0], *entry[1:]) if known is not None and known[1] == entry[2] else entry
            self._next += 1
        return self._next < SHARDS


class ParseCache:
    def __init__(self, path: Path | None, salt: str, previous: ParseCache | None = None,
                 stats: dict[str, tuple[int, int]] | None = None, fork: bool = False,
                 ahead: ShardLoad | None = None) -> None:
        """``stats``: the content folder as the running build walked it (see ``self.stats``). ``previous``: the
        cache of the last build in this process (the preview's); when it has the same file and salt, its
        entries for the files still walked are taken over instead of loading the shards again (0.45 s at
        10,000 articles), as they are on disk after its save. ``fork``: the files a restore gave new mtimes
        may be digested in a forked child while the shards load (:meth:`_confirm_beside`). ``ahead``: the
        shards as far as the build read them before its walk ended (:class:`ShardLoad`); the rest are read here."""
        self.path, self.salt = path, salt
        # path -> (mtime, size, digest of bytes, value, snapshot: (tag, state) or None)
        self._old: dict[str, tuple[int, int, bytes, Any, Any]] = {}
        self._new: dict[str, tuple[int, int, bytes, Any, Any]] = {}
        # The keys of _new that _old lacks (files parsed for the first time), kept as they come: a save that set them
        # apart from 11,000 others, once the build had forked its search step, paid 0.01 s of copied pages for it.
        self._added: set[str] = set()
        self._dirty: set[int] = set()  # shards with an entry added or replaced: written again
        self._fresh: set[str] = set()  # entries parsed or kept by this build, not loaded: their strings are shared
        self._moved: set[int] = set()  # shards with an entry whose file has a new mtime, its bytes the same
        self._stale: set[int] = set()  # shards whose own mtimes the index overrides (ShardLoad)
        # Each shard's keys as this build read them (ShardLoad.keys): a save finds the entries of the shards it writes
        # from these, not by sorting every entry. None when not read here (the preview's, a dropped cache).
        self._shard_keys: list[list[str]] | None = None
        self._saving: Forked | None = None  # a save under way beside the build (:meth:`save`)
        self._confirmed: dict[str, bytes] = {}  # path -> digest of its bytes, read ahead by :meth:`confirm`
        self._saved = False  # saved once already: a later look-up of an entry dirties its shard
        # path -> (mtime, size) walked at the start of the running build (incremental.content_files): a file
        # is stat'ed once per build, not once per look-up. Emptied when the build ends (:meth:`settle`): the
        # preview reads edited files through this cache afterwards, and must see them as they are then.
        self.stats: dict[str, tuple[int, int]] = stats or {}
        # How an entry with a kept state (:meth:`keep`) is written: (value, state) -> (value, state) as saved. In
        # memory they stay as made; snapshots.py writes an article's body as bytes.
        self.pack: Callable[[Any, Any], tuple[Any, Any]] | None = None
        if same_files(previous, path, salt):
            kept = {**previous._old, **previous._new}  # all it loaded, as the last build left it
            self._old = {key: kept[key] for key in self.stats if key in kept}
            self._stale = previous._stale
        elif path is not None:
            load = ahead if same_files(ahead, path, salt) else ShardLoad(path, salt)
            self._stale = set(load.stale)
            self._shard_keys = load.keys
            beside = self._confirm_beside(load.seen) if fork else None
            while load.step():
                pass
            self._old = load.entries
            if beside is not None:
                try:  # only a head start: :meth:`confirm` digests whatever it did not
                    self._confirmed.update(beside.receive())
                except Exception:  # noqa: BLE001 - a file gone or unreadable is met again, and named, by confirm
                    pass
                finally:
                    beside.cancel()

    def _confirm_beside(self, seen: dict[str, tuple[int, bytes]]) -> Forked | None:
        """A child digesting the walked files whose mtimes the index does not know (a CI runner's restore into a
        fresh clone: all of them), while this process loads the shards: at 10,000 articles each takes about 0.2 s,
        and :meth:`confirm` would digest them after. None when too few to be worth a fork."""
        pending = [(key, stat[1]) for key, stat in self.stats.items()
                   if (known := seen.get(key)) is not None and known[0] != stat[0]]
        if len(pending) < PARALLEL_MIN:
            return None

        def digests() -> Iterator[dict[str, bytes]]:
            yield _digests(pending)

        return Forked(digests)

    def _file(self, shard: int) -> Path:
        assert self.path is not None
        return _shard_file(self.path, shard)

    def _index(self) -> Path:
        assert self.path is not None
        return _index_file(self.path)

    def get(self, source: str | Path) -> Any | None:
        """The value parsed from ``source`` as it is now, or None.

        Matched by mtime and size, else by the bytes' digest: a CI runner that restores the cache into
        a fresh clone gives every file a new mtime, and must not parse the whole archive again.
        """
        entry = self._current(os.fspath(source))
        if entry is None:
            return None
        value = entry[3]
        return value.unpack() if isinstance(value, Packed) else value

    def snapshot(self, source: str, tag: str) -> Any | None:
        """The object state kept with ``source``'s entry (:meth:`keep`) under the same ``tag``, if the file
        is unchanged; the entry counts as used, as with :meth:`get`."""
        entry = self._current(source)
        if entry is None or entry[4] is None or entry[4][0] != tag:
            return None
        return entry[4][1]

    def keep(self, source: str, tag: str, state: Any) -> None:
        """Keep ``state`` (plain data made from the value) with ``source``'s entry, read by this build."""
        entry = self._new.get(source)
        if entry is not None:
            self._new[source] = (*entry[:4], (tag, state))
            self._dirty.add(_shard(source))
            self._fresh.add(source)

    def missing(self, keys: Iterable[str]) -> list[str]:
        """The keys among ``keys`` that have no entry for their file as it is now, in their order; the others count
        as used, as with :meth:`get`. A file whose mtime and size are its entry's is settled in one look (11,400 at
        10,000 articles, twice over before: :meth:`confirm`, then :meth:`get`); so is one of the same size whose bytes
        were digested beside the shards' loading (:meth:`_confirm_beside`: a CI runner's restore gives every file a new
        mtime), as :meth:`_current` settles it (0.04 s at 10,000 articles through both). The others go through both."""
        new, old, stats, confirmed, rest = self._new, self._old, self.stats, self._confirmed, []
        for key in keys:
            entry = new.get(key) or old.get(key)
            stat = stats.get(key)
            if entry is None or stat is None or stat[1] != entry[1]:
                rest.append(key)
            elif stat[0] == entry[0]:
                self._use(key, entry)
            elif confirmed.get(key) == entry[2]:  # the same bytes under a new mtime
                del confirmed[key]
                self._use(key, self._renewed(key, entry, stat[0]))
            else:
                rest.append(key)
        self.confirm(rest)
        return [key for key in rest if self.get(key) is None]

    def confirm(self, keys: Iterable[str]) -> None:
        """Digest at once the walked files among ``keys`` whose entries only their bytes can confirm (a new mtime,
        the same size), for the look-ups that follow (:func:`_digests`: a slow disk is asked for all at once)."""
        pending = []
        for key in keys:
            entry, stat = self._new.get(key) or self._old.get(key), self.stats.get(key)
            if key in self._confirmed:  # digested beside the shards' loading (:meth:`_confirm_beside`)
                continue
            if entry is not None and stat is not None and stat[0] != entry[0] and stat[1] == entry[1]:
                pending.append((key, stat[1]))
        self._confirmed.update(_digests(pending))

    def _current(self, key: str) -> tuple[int, int, bytes, Any, Any] | None:
        entry = self._new.get(key) or self._old.get(key)
        if entry is None:
            return None
        stat = self.stats.get(key)
        if stat is None:
            st = os.stat(key)
            stat = (st.st_mtime_ns, st.st_size)
        if stat != entry[:2]:
            if stat[1] != entry[1] or (self._confirmed.pop(key, None) or _digest(key, stat[1])) != entry[2]:
                return None
            entry = self._renewed(key, entry, stat[0])
        self._use(key, entry)
        return entry

    def _renewed(self, key: str, entry: tuple[int, int, bytes, Any, Any],
                 mtime: int) -> tuple[int, int, bytes, Any, Any]:
        """``entry`` under its file's new ``mtime``, its bytes found the same: only the index is written again."""
        self._moved.add(_shard(key))
        return (mtime, *entry[1:])

    def _use(self, key: str, entry: tuple[int, int, bytes, Any, Any]) -> None:
        """Count ``entry`` as used by this build: kept at the next save."""
        if self._saved and key not in self._new:
            self._dirty.add(_shard(key))  # the shard was saved without it
        self._new[key] = entry

    def settle(self) -> None:
        """The build is over: from now on a look-up stats the file again (and reads it, if it must). The texts
        kept for it alone (:class:`Unsaved`) are dropped from the entries it made, as a save drops them: the
        preview keeps this cache, and held every article's plain text (45 MB at 10,000 articles)."""
        self.stats = {}
        self._confirmed = {}
        for key in self._fresh:
            entry = self._new.get(key)
            if entry is not None:
                forget_unsaved(entry[3:])

    def put(self, source: str | Path, value: Any, stamp: tuple[int, int, bytes] | None = None) -> None:
        """Keep ``value``, parsed from ``source`` as :func:`_stamp` found it before parsing (now, if not given)."""
        key = str(source)
        mtime, size, digest = stamp or _stamp(key)
        self._new[key] = (mtime, size, digest, value, None)
        if key not in self._old:
            self._added.add(key)
        self._dirty.add(_shard(key))
        self._fresh.add(key)

    def fetch(self, source: str | Path, parse: Callable[[Any], Any]) -> Any:
        """The cached value of ``source``, or ``parse(source)`` (``source`` as given), kept for the next build."""
        value = self.get(source)
        if value is None:
            stamp, value = _parsed(parse, source)
            self.put(source, value, stamp)
        return value

    def drop(self) -> None:
        """Forget every saved entry (a full build parses everything again)."""
        self._old = {}
        self._added = set(self._new)
        self._shard_keys = None
        self._dirty = set(range(SHARDS))

    def save(self, fork: bool = False, wait: bool = True, nice: int = 0) -> None:
        """Write the shards whose entries changed (or lost an entry: a file deleted); the others stay.

        With ``fork``, a forked child writes them: pickling a non-ASCII string makes CPython keep a UTF-8
        copy of it inside the string for good (68 MB at 10,000 articles), which the build, and the preview
        for its whole life, would carry. The child's copies end with it. Without ``wait``, the build goes
        on beside the child (a cold build's 78 MB take 0.6 s to pickle); the next save, or :meth:`saved`,
        waits for it. A save after the first writes only what changed since. The index of mtimes is written
        last, with the digest each mtime was seen with. ``nice``: the child's lower priority (Forked).
        """
        self.saved()
        if self.path is None:
            return
        with contextlib.suppress(OSError):  # the single file of earlier versions: never read, 78 MB at 10,000 articles
            self.path.unlink(missing_ok=True)
        dirty = set(self._dirty)
        if not self._saved and len(self._new) - len(self._added) < len(self._old):  # an entry no longer used
            dirty |= {_shard(key) for key in self._old.keys() - self._new.keys()}
        moved, self._moved = self._moved, set()
        self._dirty.clear()
        self._saved = True
        if not (dirty or moved):
            return
        # Shards not written now keep their own mtimes: where the index holds newer ones, it names them. A shard
        # that could not be written stays stale too (write()); the child's answer is not waited for.
        was = self._stale
        stale = self._stale = (self._stale | moved) - dirty
        # The keys of each shard to write, when this build read the shards: those it read and still uses, then those
        # it added. An edit build's child then walks one shard's entries, not 11,000 (each a page copied for it: 0.2 s
        # of a child at a low priority, which the build waited for at its end at 10,000 articles). The index then
        # changes only when a file kept its bytes under a new mtime or a shard's staleness changes: the mtime of an
        # entry written again is in its shard, and the index's older one only has a file digested ahead for nothing.
        chosen = None
        if self._shard_keys is not None:
            chosen = {shard: [key for key in self._shard_keys[shard] if key in self._new] for shard in dirty}
            for key in self._added:  # each added key's shard found once
                keys = chosen.get(_shard(key))
                if keys is not None:
                    keys.append(key)
        # A forked child sees the entries as they are now; without a fork, write() runs at once.
        new, pack, fresh = self._new, self.pack, self._fresh
        self._fresh = set()

        def write() -> Iterator[None]:
            # Without the keys read, the entries are sorted into shards here, not in the build's own process (11,000 of
            # them took 0.06 s of its core).
            shards: dict[int, dict[str, tuple[int, int, bytes, Any, Any]]] = {shard: {} for shard in dirty}
            seen: set[int] = set()
            for key, entry in ((key, new[key]) for keys in chosen.values() for key in keys) if chosen is not None \
                    else new.items():
                shard = _shard(key)
                if shard in shards:
                    mtime, size, digest, value, snapshot = entry
                    if snapshot is not None and pack is not None:
                        value, state = pack(value, snapshot[1])
                        snapshot = (snapshot[0], state)
                    if key in fresh:  # after the pack: it finds what the value and state share by identity
                        _share(value, seen)
                        _share(snapshot, seen)
                    shards[shard][key] = (mtime, size, digest, value, snapshot)
            failed = set()  # shards whose file keeps its older entries: stale in the index too
            for shard, entries in sorted(shards.items()):
                if not _save(self._file(shard), self.salt, entries, bodies_after=True):
                    failed.add(shard)
            if chosen is None or moved or failed or stale != was or not self._index().exists():
                _save(self._index(), self.salt, {"seen": {key: (entry[0], entry[2]) for key, entry in new.items()},
                                                 "stale": stale | failed})
            yield None

        self._saving = Forked(write, fork=fork, nice=nice)
        if wait:
            self.saved()

    def saved(self) -> None:
        """Wait for a save under way (:meth:`save` without ``wait``) to end."""
        work, self._saving = self._saving, None
        if work is not None:
            try:
                work.receive()
            finally:
                work.cancel()


def forget_unsaved(value: Any, depth: int = 5) -> None:
    """Set to "" every :class:`Unsaved` text in the dicts of ``value`` (through tuples, lists and dicts, ``depth``
    levels down), in place: what made them is over."""
    if depth == 0:
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, Unsaved):
                value[key] = ""
            elif isinstance(item, (dict, tuple, list)):
                forget_unsaved(item, depth - 1)
    elif isinstance(value, (tuple, list)):
        for item in value:
            if isinstance(item, (dict, tuple, list)):
                forget_unsaved(item, depth - 1)


class Memo:
    """Results derived from the content (a search bundle's words, the related articles), kept between builds.

    Recomputing them costs seconds at 10,000 articles after a one-word edit. Each key holds a
    digest of everything its value is derived from, so a stored value is the one a cold build would
    compute, or is never asked for; the *salt* (the plugin code) drops every entry when the code
    deriving them changes. As in ParseCache, only entries used by a build are saved.
    """

    def __init__(self, path: Path | None, salt: str) -> None:
        self.path, self.salt = path, salt
        self._old: dict[str, Any] = _load(path, salt) if path is not None else {}
        self._new: dict[str, Any] = {}
        self._changed = False  # an entry was added: the file must be written again

    def get(self, key: str) -> Any | None:
        """The value stored under ``key`` (kept for the next build), or None."""
        value = self._new.get(key)
        if value is None:
            value = self._old.get(key)
            if value is not None:
                self._new[key] = value
        return value

    def peek(self, key: str) -> Any | None:
        """The value stored under ``key``, without keeping it for the next build (the last ranking, related.py)."""
        value = self._new.get(key)
        return value if value is not None else self._old.get(key)

    def has(self, key: str) -> bool:
        """Whether ``get`` would find a value (nothing is marked as used)."""
        return key in self._new or key in self._old

    def put(self, key: str, value: Any) -> None:
        self._new[key] = value
        self._changed = True

    def fetch(self, key: str, compute: Callable[[], Any]) -> Any:
        """The value stored under ``key``, or ``compute()``, kept for the next build."""
        value = self.get(key)
        if value is None:
            value = compute()
            self.put(key, value)
        return value

    def drop(self) -> None:
        """Forget every saved entry (a full build derives everything again)."""
        self._old = {}
        self._changed = True

    def save(self) -> None:
        """Write the entries this build used; skipped when they are exactly the saved ones."""
        if self.path is not None and (self._changed or len(self._new) != len(self._old)):
            _save(self.path, self.salt, self._new)


SHARED_CHARS = 64  # strings up to this long are shared in a saved shard (_share): field names, slugs, codes


def _share(value: Any, seen: set[int]) -> None:
    """Make the dict keys and the short strings inside ``value`` the interpreter's shared copies, in place.

    Each file is parsed on its own (in a worker, whose results cross a pipe), so the same field name or slug
    is a string object of its own in every entry. Pickled shared, a shard holds it once and loading it makes
    one object, not 300: unpickling a shard took 8.5 µs an entry instead of 10.4. Only dicts and
    lists change, and only which equal string object they hold (a forked save changes its own copy of them).
    Loaded entries are shared within their shard already: a build walks only the entries it parsed or kept.
    """
    if id(value) in seen:
        return
    seen.add(id(value))
    if type(value) is dict:
        items = list(value.items())
        value.clear()
        for key, item in items:
            if type(item) is str and len(item) <= SHARED_CHARS:
                item = sys.intern(item)
            else:
                _share(item, seen)
            value[sys.intern(key) if type(key) is str else key] = item
    elif type(value) is list:
        for i, item in enumerate(value):
            if type(item) is str and len(item) <= SHARED_CHARS:
                value[i] = sys.intern(item)
            else:
                _share(item, seen)
    elif isinstance(value, tuple):
        for item in value:
            _share(item, seen)


class Unsaved(str):
    """Text kept in memory for the build that made it, but written to the cache empty.

    For what is cheap to make again where it is needed and costly to load on every build: an article's
    plain text (a third of the parse cache at 10,000 articles, read by the search step for the few
    bundles an edit changes). It crosses to and from worker processes whole; only the cache's own
    pickler (``_save``) drops it, and a cache read gives back "".
    """


def _empty(_: Unsaved) -> tuple[type, tuple[()]]:
    return str, ()


MAGIC = b"portal-cache 2\n"  # then the pickle's length (8 bytes, little-endian), the pickle, the bodies (Body)


class Body(bytes):
    """An article's HTML as UTF-8, as a kept article's state and the reader's value share it (snapshots._pack).

    :func:`_save` writes it after the pickle of its file, not in it, and :func:`_load` gives back a
    :class:`LazyBody` in its place: an edit build restores 10,000 articles and shows a few of their bodies, and
    unpickling 35 MB of them it never reads took 0.03-0.07 s of it at 10,000 articles (and their pages)."""


def later(value: Any) -> Body:
    """``value`` pickled as the cache pickles it (:class:`Unsaved` as ""), as a :class:`Body`: written after its
    shard's pickle and unpickled only when asked for (:func:`thawed`). It holds no body of its own."""
    data = io.BytesIO()
    _Pickler(data).dump(value)
    return Body(data.getbuffer())


def thawed(value: Body | LazyBody) -> Any:
    """What :func:`later` made ``value`` of."""
    return pickle.loads(bytes(value))


class Packed(tuple):
    """A value as a shard keeps it, made whole when asked for (:meth:`ParseCache.get`): part of it left in the
    shard's file (:func:`later`) until a build needs more than what the entry's kept state holds (snapshots.py)."""

    def unpack(self) -> Any:
        raise NotImplementedError


class _BodyFile:
    """A cache file kept open for the bodies after its pickle: a later save replaces the file under its name, never
    the one read here, so a body is always read from the file whose pickle named it (the preview reads them for
    hours). Closed with the last body that reads it."""

    __slots__ = ("file", "start")

    def __init__(self, file: Any, start: int) -> None:
        self.file, self.start = file, start

    def read(self, at: int, size: int) -> bytes:
        fd, parts, done = self.file.fileno(), [], 0
        while done < size:
            part = os.pread(fd, size - done, self.start + at + done)
            if not part:
                raise OSError(f"{self.file.name}: bộ nhớ đệm bị cắt ngắn; xoá thư mục bộ nhớ đệm rồi dựng lại")
            parts.append(part)
            done += len(part)
        return b"".join(parts)


class LazyBody:
    """A :class:`Body` read from a cache file only when asked for (:meth:`decode`, ``bytes()``); pickled by any
    other pickler as the bytes it stands for."""

    __slots__ = ("_file", "_at", "_size")

    def __init__(self, file: _BodyFile, at: int, size: int) -> None:
        self._file, self._at, self._size = file, at, size

    def __bytes__(self) -> bytes:
        return self._file.read(self._at, self._size)

    @property
    def place(self) -> tuple[int, int]:
        """Where it is read from: its file (by identity) and its offset there."""
        return id(self._file), self._at

    def decode(self) -> str:
        return bytes(self).decode()

    def __reduce__(self) -> tuple[type, tuple[bytes]]:
        return bytes, (bytes(self),)


class _Pickler(pickle.Pickler):
    """The cache's pickler: an :class:`Unsaved` text as ""."""

    def __init__(self, file: Any) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.dispatch_table = {**copyreg.dispatch_table, Unsaved: _empty}


class _BodyPickler(_Pickler):
    """The parse cache's shards' pickler: also a body (:class:`Body`, :class:`LazyBody`) once, in the region after
    the pickle (``bodies``), by its place there. Only where bodies can be: :meth:`persistent_id` is asked of every
    object, and took pickling the memo and the index of mtimes from 3 ms to 6 ms each at 10,000 articles."""

    def __init__(self, file: Any, bodies: list[bytes]) -> None:
        super().__init__(file)
        self.bodies, self._ids, self._end = bodies, {}, 0

    def persistent_id(self, obj: Any) -> tuple[int, int] | None:
        if type(obj) is Body:
            key: Any = id(obj)
        elif type(obj) is LazyBody:
            key = obj.place  # the value and the state read back share one body: written once again
        else:
            return None
        found = self._ids.get(key)
        if found is None:
            data = bytes(obj)
            found = self._ids[key] = (self._end, len(data))
            self.bodies.append(data)
            self._end += len(data)
        return found


class _Unpickler(pickle.Unpickler):
    def __init__(self, file: Any, start: int) -> None:
        super().__init__(file)
        self.file, self.start, self.bodies = file, start, None
        self._made: dict[tuple[int, int], LazyBody] = {}

    def persistent_load(self, pid: tuple[int, int]) -> LazyBody:
        """The body at ``pid``, one object however often the pickle names it (a value and its state)."""
        body = self._made.get(pid)
        if body is None:
            if self.bodies is None:
                self.bodies = _BodyFile(self.file, self.start)
            body = self._made[pid] = LazyBody(self.bodies, *pid)
        return body


def _load(path: Path, salt: str) -> dict[str, Any]:
    """The entries saved at ``path`` under ``salt``; none when the file is missing, unreadable or of other code."""
    try:
        f = path.open("rb")
    except OSError:
        return {}
    kept = False  # whether bodies of the entries returned are read from it later
    try:
        head = f.read(len(MAGIC) + 8)
        if head[:len(MAGIC)] != MAGIC:
            return {}
        unpickler = _Unpickler(f, len(head) + int.from_bytes(head[len(MAGIC):], "little"))
        saved_salt, entries = unpickler.load()
        kept = saved_salt == salt and unpickler.bodies is not None
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, AttributeError, ImportError):
        return {}
    finally:
        if not kept:
            f.close()
    return entries if saved_salt == salt else {}


def _save(path: Path, salt: str, entries: dict[str, Any], bodies_after: bool = False) -> bool:
    """Write ``entries`` under ``salt`` at ``path`` whole, or leave it as it was; whether it was written.
    ``bodies_after``: the entries may hold bodies (:class:`Body`, :class:`LazyBody`, a shard's), written after the
    pickle."""
    try:  # only an optimisation: a full disk must not fail the build for it (nor leave half a file: replaced)
        path.parent.mkdir(parents=True, exist_ok=True)
        bodies: list[bytes] = []
        data = io.BytesIO()
        (_BodyPickler(data, bodies) if bodies_after else _Pickler(data)).dump((salt, entries))
        with replaced(path) as partial, partial.open("wb") as f:
            f.write(MAGIC + len(data.getbuffer()).to_bytes(8, "little"))
            f.write(data.getbuffer())
            f.writelines(bodies)
    except OSError:
        return False
    return True


class TemplateCache(FileSystemBytecodeCache):
    """Jinja's compiled templates in ``folder``, one folder per Jinja environment settings.

    Jinja checks each entry against its template's source; what else shapes the compiled code
    (autoescape, extensions) names the folder. A cache that cannot be written is skipped.
    """

    def __init__(self, folder: Path, environment: dict[str, Any]) -> None:
        tag = hashlib.blake2b(repr(sorted(environment.items(), key=lambda kv: kv[0])).encode(), digest_size=8)
        target = folder / f"templates-{tag.hexdigest()}"
        with contextlib.suppress(OSError):
            target.mkdir(parents=True, exist_ok=True)
        super().__init__(str(target))

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def _parsed(parse: Callable[[Any], Any], source: str | Path) -> tuple[tuple[int, int, bytes], Any]:
    """``source``'s stamp, then its parse: in that order (see :func:`_stamp`)."""
    stamp = _stamp(str(source))
    return stamp, parse(source)


def warm(cache: ParseCache, files: Iterable[str], parse: Callable[[Path], Any], phase: str = "Đọc nội dung",
         jobs: int = 1) -> int:
    """Parse the files the cache lacks, in ``jobs`` processes when there are many; return how many.

    ``files`` are paths as strings (the cache's keys), parsed in their order: at 10,000 files, making a Path of each
    cost 0.1 s. Entries whose files a restore gave new mtimes are confirmed by their bytes first, in one pass
    (:meth:`ParseCache.missing`)."""
    missing = cache.missing(files)
    if len(missing) >= PARALLEL_MIN:
        _read_ahead_if_slow(missing)
    missing = [Path(p) for p in missing]
    progress = Progress(phase, len(missing))
    if len(missing) < PARALLEL_MIN or jobs < 2:
        for source in missing:
            stamp, value = _parsed(parse, source)
            cache.put(source, value, stamp)
            progress.step()
    else:
        for chunk in shared(missing, functools.partial(_parsed, parse), jobs, CHUNK):
            for source, (stamp, value) in chunk:
                cache.put(source, value, stamp)
            progress.step(len(chunk))
    progress.done()
    return len(missing)
