"""Serving the built site: precompressed files and the alias redirects, for nginx (deploy/nginx.conf).

build.py runs both on the staged files of every build, before they go live: a failure here fails
the build and leaves the previous site serving.

* ``precompress`` writes ``x.gz`` next to each text file, and ``x.br`` beside the scripts, styles and
  data (not the pages and feeds: ``GZIP_ONLY``) when the ``brotli`` package is installed, for nginx's
  ``gzip_static`` / ``brotli_static``: a client that takes brotli gets the .gz where there is no .br.
  Outputs are deterministic byte for byte (gzip header without name or time), so unchanged pages
  give unchanged files between builds. Images,
  wasm and Pagefind's index files are already compressed and are left alone; so are files under
  ``MIN_SIZE`` bytes and files whose compressed form would not be smaller. Large files (the 5 MB
  Decap CMS bundle) are compressed once per machine and reused from a content-addressed cache
  (``~/.cache/thidua-portal/precompress``, or ``PORTAL_CACHE_DIR``).
* ``redirect_map`` turns the alias pages (``<meta http-equiv="refresh">``, written by the generator
  for old slugs) into an nginx ``map`` of old URL to current URL, so that nginx answers them with a
  real ``301``; the HTML pages stay for any other host (``python -m http.server``, a CDN).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import posixpath
import re
import stat
from collections.abc import Iterable
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import deflate

from .files import replaced
from .forked import shared
from .progress import Progress

try:  # optional: without it only .gz files are written
    import brotli
except ImportError:  # pragma: no cover - depends on the environment
    brotli = None

__all__ = ["COPIES", "GZIP_ONLY", "MAP_NAME", "MIN_SIZE", "TEXT_SUFFIXES", "copies", "precompress", "redirect_map",
           "same_bytes", "write_redirect_map"]

COPIES = (".gz", ".br")  # the compressed copies written beside a text file (.br only with brotli, see GZIP_ONLY)
TEXT_SUFFIXES = frozenset({".html", ".css", ".js", ".mjs", ".xml", ".json", ".svg", ".txt", ".csv"})
# Pages and feeds get a .gz copy only. On the portal's Vietnamese pages brotli saves little over gzip: the 15,222
# pages of the 10,000-article archive came to 76.9 MB as .br against 82.8 MB as .gz (7 %, 0.39 KB a page), the feeds
# 4.9 %; brotli took 2.7 times gzip's time, 7-8 CPU-seconds of the cold build, and a third of the site's files.
# Scripts keep theirs (17 % smaller), and so do styles and data: a few files.
GZIP_ONLY = frozenset({".html", ".xml"})
MIN_SIZE = 256  # below this a compressed copy saves nothing worth a file (nginx's gzip_min_length idea)
# Measured on the site's pages: brotli 9 takes 1.8x the time of 8 for 0.1 % smaller files (11: ~15x for ~8 %;
# 7 is slower than 8, 5 and 6 save a quarter of the time for 3-4 % larger files). Compression was a quarter of a
# cold build's time at 10,000 articles. The .gz copies come from libdeflate: at level 6 it is 2.9x faster than
# zlib's and its files are 0.2 % smaller (1,800 pages and feeds of the 10,000-article archive).
BROTLI_QUALITY = 8
GZIP_LEVEL = 6
_DEFLATE_VERSION = importlib.metadata.version("deflate")  # its libdeflate shapes the bytes: part of the cache key
CACHE_MIN = 256 * 1024  # files this large are compressed once per machine, then reused
PARALLEL_BYTES = 1 << 20  # below this, starting worker processes costs more than it saves
COMPRESS_CHUNK = 32  # files a process compresses between two looks at the shared count (forked.shared)
MAP_NAME = "nginx-redirects.map"
MAP_VARIABLE = "$portal_redirect"
MAX_URL = 200  # deploy/nginx.conf sets map_hash_bucket_size 256


def cache_dir() -> Path:
    """Where compressed copies of large files are kept between builds (PORTAL_CACHE_DIR overrides)."""
    if os.environ.get("PORTAL_CACHE_DIR"):
        return Path(os.environ["PORTAL_CACHE_DIR"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "thidua-portal" / "precompress"


def _encode(data: bytes, suffix: str) -> bytes:
    if suffix == ".gz":
        return deflate.gzip_compress(data, GZIP_LEVEL)  # no name, time 0: the same bytes every build
    lgwin = max(16, min(24, (len(data) - 1).bit_length()))  # a window no larger than the file
    return brotli.compress(data, quality=BROTLI_QUALITY, lgwin=lgwin)


def _cached(data: bytes, suffix: str) -> bytes:
    """Compress, reusing the result for a large file seen before (the 5 MB Decap bundle, every build).

    Keyed by the content and the settings; the cache is only an optimisation: if it cannot be read or
    written, the file is compressed as usual.
    """
    if len(data) < CACHE_MIN:
        return _encode(data, suffix)
    tag = f"gzip{GZIP_LEVEL}-libdeflate{_DEFLATE_VERSION}" if suffix == ".gz" else f"br{BROTLI_QUALITY}-{brotli.__version__}"
    entry = cache_dir() / f"{hashlib.sha256(data).hexdigest()}-{tag}{suffix}"
    try:
        return entry.read_bytes()
    except OSError:
        pass
    blob = _encode(data, suffix)
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        with replaced(entry, hidden=True) as partial:  # parallel builds never read half an entry
            partial.write_bytes(blob)
    except OSError:
        pass
    return blob


def same_bytes(a: Path, b: Path) -> bool:
    """Whether two files hold the same bytes (False when either cannot be read): a file of the build that the live
    site already holds is left as it is there, mtime and compressed copies included."""
    try:
        return a.stat().st_size == b.stat().st_size and a.read_bytes() == b.read_bytes()
    except OSError:
        return False


def _replace(target: Path, data: bytes, times: tuple[int, int] | None = None) -> None:
    """Write ``data`` as a new file in ``target``'s place, never into the old one: a full build's staged site
    shares its unchanged files with the live site by hard links (build._carry), and a reader never sees half."""
    with replaced(target, hidden=True) as fresh:
        fresh.write_bytes(data)
        if times is not None:
            os.utime(fresh, ns=times)


def _create(target: Path, data: bytes, times: tuple[int, int]) -> None:
    """Write ``data`` as a new file at ``target`` with those times; FileExistsError if there is a file there.

    The build's copies go to its staged site, where none exists yet: twice as quick as a file written aside and
    renamed (:func:`_replace`), which a file already there (a copy carried over by a hard link) still gets."""
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.utime(fd, ns=times)
    except BaseException:
        os.close(fd)
        target.unlink(missing_ok=True)  # never half a copy
        raise
    os.close(fd)


def copies(name: str) -> tuple[str, ...]:
    """The compressed copies a text file called ``name`` gets (its .gz; its .br too, but for GZIP_ONLY)."""
    return COPIES if brotli is not None and posixpath.splitext(name)[1].lower() not in GZIP_ONLY else COPIES[:1]


def _compress_one(path: str) -> list[tuple[str, int]]:
    """Write path.gz (and path.br, see :func:`copies`) for one file; return the copies written, with their sizes."""
    src = Path(path)
    data = src.read_bytes()
    st = src.stat()
    outputs = [(suffix, _cached(data, suffix)) for suffix in copies(src.name)]
    written = []
    for suffix, blob in outputs:
        target = src.with_name(src.name + suffix)
        if len(blob) >= len(data):
            target.unlink(missing_ok=True)
            continue
        times = (st.st_atime_ns, st.st_mtime_ns)  # same Last-Modified as the original
        try:
            _create(target, blob, times)
        except FileExistsError:
            _replace(target, blob, times)
        written.append((str(target), len(blob)))
    return written


def _candidates(files: Iterable[str | Path]) -> dict[str, int]:
    """The text files among ``files`` worth a compressed copy (regular files, not links), with their sizes.

    One lstat each: a full build hands over 30,000 files, and five stats of each took 0.45 s, before any worker starts.
    """
    found = {}
    for p in files:
        if os.path.splitext(p)[1].lower() not in TEXT_SUFFIXES:
            continue
        try:
            st = os.lstat(p)
        except FileNotFoundError:
            continue
        if stat.S_ISREG(st.st_mode) and st.st_size >= MIN_SIZE:
            found[str(p)] = st.st_size
    return found


def precompress(root: Path, workers: int | None = None, files: Iterable[str | Path] | None = None,
                quiet: bool = False) -> dict[str, int]:
    """Write .gz (and .br) next to every text file under ``root`` (or of ``files``); return the copies written
    (paths as ``files`` name them) with their sizes, which the build's state records without statting them again.
    ``quiet``: no progress line (a thread beside the build's own)."""
    sizes = _candidates(sorted(Path(root).rglob("*")) if files is None else files)
    total = sum(sizes.values())
    workers = workers or os.cpu_count() or 1
    paths = list(sizes)
    progress = Progress("Nén sẵn (.gz, .br)", len(paths), quiet=quiet)
    written: dict[str, int] = {}
    if workers < 2 or total < PARALLEL_BYTES:
        for path in paths:
            written.update(_compress_one(path))
            progress.step()
    else:
        # Largest first, so that no large file starts last and runs alone. Each process takes the next chunk when
        # done with its own, in this process too: a pool's workers sent every result to this process, which took
        # them beside the workers on the same cores (1 s of CPU for a cold build's 18,000 files at 10,000 articles).
        paths.sort(key=lambda p: -sizes[p])
        for chunk in shared(paths, _compress_one, workers, COMPRESS_CHUNK):
            for _, copies in chunk:
                written.update(copies)
            progress.step(len(chunk))
    progress.done()
    return written


class _RedirectPage(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refresh = False
        self.canonical: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "meta" and a.get("http-equiv", "").lower() == "refresh":
            self.refresh = True
        elif tag == "link" and "canonical" in a.get("rel", "").lower().split():
            self.canonical = a.get("href")


_SAFE_URL = re.compile(r"^/[A-Za-z0-9._~/%-]*$")


def redirects(root: Path, pages: Iterable[str], live: Path | None = None) -> dict[str, str]:
    """Old URL -> current URL (paths), read from the alias pages the build wrote (paths below ``root``).

    An incremental build stages only the pages it re-made: the others are read from ``live``.
    """
    root = Path(root)
    found: dict[str, str] = {}
    for rel in sorted(pages):
        page = root / rel
        if live is not None and not page.is_file():
            page = Path(live) / rel
        text = page.read_text(encoding="utf-8")
        if "http-equiv" not in text or "refresh" not in text:
            continue
        parser = _RedirectPage()
        parser.feed(text)
        if not (parser.refresh and parser.canonical):
            continue
        target = urlsplit(parser.canonical).path or "/"
        folder = "/" + posixpath.dirname(rel)
        source = folder.rstrip("/") + "/"
        for url in (target, source):
            if not _SAFE_URL.match(url) or len(url) > MAX_URL:
                raise ValueError(f"{page}: URL chuyển hướng không hợp lệ cho nginx: {url!r}")
        if source == target:
            continue
        for key in (source, source + "index.html", source.rstrip("/")):
            if key:
                found[key] = target
    return found


def redirect_map(root: Path, pages: Iterable[str], live: Path | None = None) -> str:
    """An nginx ``map`` block (http context) of old URL -> current URL, for ``return 301``."""
    lines = [
        "# Generated by portal.serving on every build: alias URLs -> current URLs (see deploy/nginx.conf).",
        f"map $uri {MAP_VARIABLE} {{",
        '    default "";',
    ]
    lines += [f'    "{old}" "{new}";' for old, new in sorted(redirects(root, pages, live).items())]
    lines.append("}")
    return "\n".join(lines) + "\n"


def write_redirect_map(root: Path, pages: Iterable[str], live: Path | None = None) -> None:
    """Write (or leave as it is, if unchanged) the nginx map of ``root`` (alias pages not there: ``live``'s)."""
    target = Path(root) / MAP_NAME
    text = redirect_map(root, pages, live)
    if not target.is_file() or target.read_text(encoding="utf-8") != text:
        _replace(target, text.encode("utf-8"))

