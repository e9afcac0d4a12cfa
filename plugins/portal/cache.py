"""Parsed content kept between builds: front matter, typed fields and rendered Markdown per file.

Keyed by the file's path, size and mtime (nanoseconds), else by a digest of its
bytes (a cache restored into a fresh clone, where every mtime is new); a *salt* made of the
plugin code and the Markdown settings drops every entry when the parser
itself could give a different result. Only entries used by a build are saved,
so deleted files leave the cache too. The entries are spread over ``SHARDS``
files by path, and a build rewrites only the shards whose entries changed: an
edit of one article saves ~2 MB, not the whole cache (78 MB at 10,000
articles, 0.4 s). The first (cold) build parses the files it is missing in
several processes (:func:`warm`, one per build job).
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import pickle
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from .progress import Progress

__all__ = ["ParseCache", "warm"]

PARALLEL_MIN = 200  # fewer files than this parse faster than worker processes start
SHARDS = 32  # files the cache is spread over (by path)


def _shard(key: str) -> int:
    return zlib.crc32(key.encode()) % SHARDS


class ParseCache:
    def __init__(self, path: Path | None, salt: str) -> None:
        self.path, self.salt = path, salt
        self._old: dict[str, tuple[int, int, bytes, Any]] = {}  # path -> (mtime, size, digest of bytes, value)
        self._new: dict[str, tuple[int, int, bytes, Any]] = {}
        self._dirty: set[int] = set()  # shards with an entry added or replaced: written again
        if path is not None:
            for shard in range(SHARDS):
                try:
                    with self._file(shard).open("rb") as f:
                        saved_salt, entries = pickle.load(f)
                    if saved_salt == salt:
                        self._old.update(entries)
                except (OSError, pickle.UnpicklingError, EOFError, ValueError, AttributeError, ImportError):
                    pass

    def _file(self, shard: int) -> Path:
        assert self.path is not None
        return self.path.with_name(f"{self.path.stem}-{shard:02d}{self.path.suffix}")

    @staticmethod
    def _digest(source: Path) -> bytes:
        return hashlib.blake2b(source.read_bytes(), digest_size=16).digest()

    def get(self, source: Path) -> Any | None:
        """The value parsed from ``source`` as it is now, or None.

        Matched by mtime and size, else by the bytes' digest: a CI runner that restores the cache into
        a fresh clone gives every file a new mtime, and must not parse the whole archive again.
        """
        key = str(source)
        entry = self._new.get(key) or self._old.get(key)
        if entry is None:
            return None
        st = source.stat()
        if (st.st_mtime_ns, st.st_size) != entry[:2]:
            if st.st_size != entry[1] or self._digest(source) != entry[2]:
                return None
            entry = (st.st_mtime_ns, *entry[1:])  # the same bytes under a new mtime
            self._dirty.add(_shard(key))
        self._new[key] = entry
        return entry[3]

    def put(self, source: Path, value: Any) -> None:
        st = source.stat()
        self._new[str(source)] = (st.st_mtime_ns, st.st_size, self._digest(source), value)
        self._dirty.add(_shard(str(source)))

    def fetch(self, source: Path, parse: Callable[[Path], Any]) -> Any:
        """The cached value of ``source``, or ``parse(source)``, kept for the next build."""
        value = self.get(source)
        if value is None:
            value = parse(source)
            self.put(source, value)
        return value

    def drop(self) -> None:
        """Forget every saved entry (a full build parses everything again)."""
        self._old = {}
        self._dirty = set(range(SHARDS))

    def save(self) -> None:
        """Write the shards whose entries changed (or lost an entry: a file deleted); the others stay."""
        if self.path is None:
            return
        dirty = self._dirty | {_shard(key) for key in self._old.keys() - self._new.keys()}
        shards: dict[int, dict[str, tuple[int, int, bytes, Any]]] = {shard: {} for shard in dirty}
        for key, entry in self._new.items():
            shard = _shard(key)
            if shard in shards:
                shards[shard][key] = entry
        for shard, entries in sorted(shards.items()):
            target = self._file(shard)
            partial = target.with_name(f"{target.name}.{os.getpid()}")
            try:  # only an optimisation: a full disk must not fail the build for it, nor leave half a file
                target.parent.mkdir(parents=True, exist_ok=True)
                with partial.open("wb") as f:
                    pickle.dump((self.salt, entries), f, protocol=pickle.HIGHEST_PROTOCOL)
                partial.replace(target)
            except OSError:
                partial.unlink(missing_ok=True)
                return


_parse: Callable[[Path], Any] | None = None  # set in each worker process before the fork


def _one(source: Path) -> tuple[Path, Any]:
    assert _parse is not None
    return source, _parse(source)


def warm(cache: ParseCache, files: Iterable[Path], parse: Callable[[Path], Any], phase: str = "Đọc nội dung",
         jobs: int = 1) -> int:
    """Parse the files the cache lacks, in ``jobs`` processes when there are many; return how many."""
    global _parse
    missing = [p for p in files if cache.get(p) is None]
    progress = Progress(phase, len(missing))
    if len(missing) < PARALLEL_MIN or jobs < 2:
        for source in missing:
            cache.put(source, parse(source))
            progress.step()
    else:
        _parse = parse
        try:
            with multiprocessing.get_context("fork").Pool(jobs) as pool:
                for source, value in pool.imap_unordered(_one, missing, chunksize=32):
                    cache.put(source, value)
                    progress.step()
        finally:
            _parse = None
    progress.done()
    return len(missing)
