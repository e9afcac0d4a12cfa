"""Build the site so that a failure never leaves a half-written site.

Everything is written to a staging directory first. A failed build (bad
content, a template error, any error logged by Pelican, or in strict mode any
warning) deletes it and leaves the previous site untouched and serving; the
exit code is non-zero and the report names file, line and field.

A full build (the first, or after the theme, plugin code or settings changed,
see incremental/) stages the whole site and swaps it in; files whose bytes
did not change keep their old mtime. An incremental build stages only the
files that changed; on success they are moved into place one by one and the
pages that no longer exist are removed (the state file is deleted first, so
a commit cut short by a full disk makes the next build a full one). The state
of the last good build lives in ``.<output>.cache/`` beside the output.
"""

from __future__ import annotations

import contextlib
import copy
import errno
import gc
import logging
import mmap
import os
import queue
import shutil
import stat
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pelican import Pelican
from pelican.contents import Content
from pelican.log import console, init as init_logging
from pelican.settings import read_settings

from . import serving, startup
from .cache import Memo, ParseCache, ShardLoad, same_files, warm
from .config import PortalConfig
from .files import sweep_partials
from .forked import COMPRESSION_NICE, Forked, remove_later, sweep
from .incremental import SESSION, Fingerprint, Session, State, code_digest, content_files, inputs_digest
from .lock import BuildBusy, BuildLock
from .reader import PortalReader
from .records import MarkdownRenderer, parse_record, record_files
from .problems import ContentError

__all__ = ["BuildResult", "COMMITTING", "COMPRESSING", "build"]

# The last two steps --timings names. The commit (the redirect map, the comparison with the live site, the new
# state, the swap) includes its compressing: the wait for the .gz/.br copies made beside the build and the making of
# the rest on every core. Timed apart, the compressing is a step spread over the jobs (tools/bench.py), the rest not.
COMMITTING, COMPRESSING = "nén và ghi ra", "nén"


class _Counter(logging.Handler):
    """Counts warnings and errors logged during a build."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def count(self, level: int) -> int:
        return sum(1 for r in self.records if r.levelno == level)


@dataclass
class BuildResult:
    ok: bool
    seconds: float
    pages: int
    warnings: int
    errors: int
    message: str = ""
    rendered: int = 0  # pages and feeds rendered by this build (the rest were reused)
    full: bool = True
    timings: dict[str, float] | None = None  # seconds per phase
    jobs: int = 1  # worker processes the build used


def _walk(root: Path) -> tuple[dict[str, int], list[str]]:
    """Every file below ``root`` (relative) with its size, as :meth:`State.damaged` checks it (a link's own size), and
    the links to folders (not followed). One scandir walk: os.walk, an lstat per folder for its links and another
    walk for the sizes took 0.8 s of a cold build's commit at 10,000 articles."""
    sizes: dict[str, int] = {}
    links: list[str] = []
    base, folders = len(str(root)) + 1, [str(root)]
    while folders:
        with os.scandir(folders.pop()) as entries:
            for entry in entries:
                if entry.is_dir():  # as os.walk takes it: a link to a folder is listed, not walked
                    if entry.is_symlink():
                        links.append(entry.path[base:])
                    else:
                        folders.append(entry.path)
                else:
                    sizes[entry.path[base:]] = entry.stat(follow_symlinks=False).st_size
    return sizes, links


def _staged(staging: Path) -> list[str]:
    """Every file and symlink below ``staging`` (relative, sorted)."""
    sizes, links = _walk(staging)
    return sorted([*sizes, *links])


def _carry(old: Path, new: Path) -> None:
    """Give the staged site a file of the live one: a hard link, no bytes copied (14 s less for 33,000 copies).

    Safe because no build writes into a file of the site, it replaces files; the old site is removed after
    the swap. A file system without hard links gets a copy.
    """
    try:
        os.link(old, new)
    except OSError:
        shutil.copy2(old, new)


def _commit_full(staging: Path, target: Path, session: Session, compression: _Compression) -> None:
    """Swap in the whole staged site; unchanged files keep their mtime and compressed copies.

    Everything that can fail (compression, the redirect map, the new state) is written before the
    live site is touched, so a full disk leaves the old site and its state as they were.
    """
    serving.write_redirect_map(staging, session.state.redirect_pages)
    sizes, links = _walk(staging)  # the staged files' sizes; the copies' are added
    # The child compressing ahead goes on through the walk, on the core the walk leaves idle: stopped only now. Its
    # copies' sizes are taken once it has stopped (the walk may have met one half-written, or not yet made).
    with session.timed(COMPRESSING):
        done = compression.ahead()
    for page in compression.given:
        for suffix in serving.COPIES:
            sizes.pop(page + suffix, None)
            if page in done:
                with contextlib.suppress(FileNotFoundError):  # none when it would not have been smaller
                    sizes[page + suffix] = os.lstat(staging / (page + suffix)).st_size
    copies = compression.copies
    staged = sorted(rel for rel in [*sizes, *links] if rel not in copies)
    fresh = []
    live = target.is_dir()  # once, not once per file (30,000 stats at 10,000 articles)
    root = str(staging) + os.sep
    for rel in staged:
        if not live:  # every page is new: named as a string (two Paths a file took 0.2 s of 30,000)
            if rel not in done:
                fresh.append(root + rel)
            continue
        new, old = staging / rel, target / rel
        if rel not in session.damaged and serving.same_bytes(new, old):
            st = old.stat()
            os.utime(new, ns=(st.st_atime_ns, st.st_mtime_ns))
            for suffix in serving.copies(rel):  # the old .gz/.br are still right: no need to compress again
                if rel in done:  # made ahead: the live ones stay, with their times
                    new.with_name(new.name + suffix).unlink(missing_ok=True)
                    sizes.pop(rel + suffix, None)
                copy = old.with_name(old.name + suffix)
                try:
                    found = copy.stat()
                except OSError:
                    continue
                if stat.S_ISREG(found.st_mode):
                    _carry(copy, new.with_name(new.name + suffix))
                    sizes[rel + suffix] = found.st_size
        elif rel not in done:
            fresh.append(str(new))
    base = len(root)
    with session.timed(COMPRESSING):
        written = serving.precompress(staging, workers=session.jobs, files=fresh)
    for path, size in written.items():
        sizes[path[base:]] = size
    session.state.files = set(staged)
    session.state.sizes = sizes
    pending = session.state.stage(session.state_path)
    state, aside = session.state_path, session.state_path.with_name(session.state_path.name + ".previous")
    if state.exists():
        state.replace(aside)  # a swap cut short must make the next build full
    try:
        _swap(staging, target)
    except OSError:
        if aside.exists():
            aside.replace(state)  # the swap did not happen: the old site keeps its state
        raise
    pending.replace(state)
    aside.unlink(missing_ok=True)


def _redirects_kept(staging: Path, target: Path, session: Session) -> bool:
    """True when nginx's redirect map would come out as the live one: the same alias pages as the last build, none
    of them written again, the map in place. Making it reads every alias page (0.03 s of an edit build)."""
    previous, pages = session.previous, session.state.redirect_pages
    return (previous is not None and previous.redirect_pages == pages and serving.MAP_NAME in previous.files
            and serving.MAP_NAME not in session.damaged and (target / serving.MAP_NAME).is_file()
            and not any(os.path.lexists(staging / rel) for rel in pages))


class _Compression:
    """The .gz/.br copies of a build's rendered pages, made while the build goes on (an edit build's by a thread).

    brotli and libdeflate release the interpreter's lock, so the copies take a core of their own. Pages are handed
    over one by one as they are written (Session.on_rendered): handed over after the last one, the 55 pages of a
    campaigns edit at 10,000 articles kept the commit waiting 0.04 s. A forked child made them before: starting and
    leaving a copy of the build's 300 MB cost 0.1 s of system time for 0.03 s of compressing. At the commit the
    build's own thread takes the pages the thread has not reached, beside it (:meth:`wait`).

    While the search step's Pagefind runs, the other core is Pagefind's, and the build waits for it at the end of
    rendering: the thread starts when the build has only that wait left, or learns that no Pagefind runs
    (:meth:`resume`, Session.on_search_wait), on the core the build then leaves idle. Beside the rendering, at its
    lower priority on a core Pagefind kept busy, the thread was often stopped while it held the interpreter's lock,
    and the build's own process waited for it: the 55 pages of a campaigns edit at 10,000 articles took 0.2 s to
    render, against 0.075 s with the thread held. Started when Pagefind's runs ended (its process's end, often
    before the rendering's), the thread's turns at the lock still made the rendering 0.04 s longer (median of 8).

    A full build hands over thousands of pages at the end of its rendering: a forked child (:meth:`resume`)
    compresses them on the core the build leaves idle from then on, while it waits for Pagefind, finishes Pelican
    and saves its caches; the commit stops it (:meth:`ahead`) and compresses the rest on every core. A thread
    would stall there: the build's pickling holds the interpreter's lock for long stretches.
    """

    def __init__(self, staging: Path, session: Session) -> None:
        self.staging, self.session = staging, session
        self._queue: queue.SimpleQueue[str | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._go = threading.Event()
        self._stop = False  # the build failed: no more pages (:meth:`cancel`)
        self._done: set[str] = set()
        self.given: set[str] = set()  # every page handed to the thread: its copies may be staged, done or not
        self._child: Forked | None = None  # a full build's (resume)
        self._halt = mmap.mmap(-1, 1)  # shared with the child: set, it stops after its page (ahead)

    def resume(self) -> None:
        """Let the thread compress (Session.on_search_wait): the build now waits for Pagefind, or runs none. A full
        build forks its child here, over the pages rendered so far."""
        self._go.set()
        if self.session.full and self.given and self._child is None:
            pages = sorted(self.given)
            self._child = Forked(lambda: iter([self._compress_ahead(pages)]), nice=COMPRESSION_NICE)

    def _compress_ahead(self, pages: list[str]) -> set[str]:
        """In the child: the copies of ``pages``, one page at a time as the thread makes them, until told to stop;
        the pages done."""
        for name in pages:
            if self._halt[0]:
                break
            self._compress(name)
        return self._done

    def ahead(self) -> set[str]:
        """A full build's pages whose copies its child has written, once it has stopped (none without a child, or
        when it died; a page it failed is not among them: the commit compresses it again and names a failure)."""
        if self._child is None:
            return set()
        self._halt[0] = 1
        try:
            return self._child.receive()
        except Exception:  # noqa: BLE001 - see above
            return set()
        finally:
            self._child.cancel()
            self._child = None

    @property
    def copies(self) -> set[str]:
        """The names of the copies the pages handed over may have in the staged site: never files of the site."""
        return {name + suffix for name in self.given for suffix in serving.COPIES}

    def start(self, names: list[str]) -> None:
        """Compress the staged pages ``names`` (Session.on_rendered) beside the build: an edit build's in a thread,
        at once; a full build's in a child, once it waits for Pagefind (:meth:`resume`)."""
        if self.session.jobs < 2 or not names:
            return
        if self.session.full:
            self.given.update(names)
            return
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="portal-compression", daemon=True)
            self._thread.start()
        for name in names:
            self._queue.put(name)
        self.given.update(names)

    def _run(self) -> None:
        with contextlib.suppress(OSError):  # only this thread's priority: the build's own stays
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), COMPRESSION_NICE)
        self._go.wait()
        while (name := self._queue.get()) is not None:
            if not self._stop:
                self._compress(name)

    def _compress(self, name: str) -> None:
        try:  # no progress line: it would hold stderr's lock beside the build's
            serving.precompress(self.staging, workers=1, files=[self.staging / name], quiet=True)
        except Exception:  # noqa: BLE001 - compressed again at the commit, which names a failure
            return
        self._done.add(name)

    def wait(self) -> set[str]:
        """The pages whose copies are written, once the thread has ended. The build's own thread compresses the
        pages left beside it: at the commit the two take a core each (the thread had reached 30 of a campaigns
        edit's 55 pages at 10,000 articles). A failed page is left to the commit, which compresses it again and
        names the failure; a failed build (:meth:`cancel`) compresses no more."""
        if self._thread is not None:
            self._queue.put(None)  # one end for each of the two
            self._queue.put(None)
            self._go.set()
            while not self._stop and (name := self._queue.get()) is not None:
                self._compress(name)
            self._thread.join()
            self._thread = None
        return set(self._done)

    def cancel(self) -> None:
        """A failed build: wait for the thread (a page at a time), so that it writes into no removed folder."""
        self._stop = True
        self.wait()
        self.ahead()


def _commit_delta(staging: Path, target: Path, session: Session, compression: _Compression) -> None:
    """Move the changed files into the live site, then remove what the site no longer has.

    As in a full commit, compression and the new state are written before the first file moves.
    """
    with session.timed(COMPRESSING):
        done = compression.wait()
    copies = compression.copies
    kept_map = _redirects_kept(staging, target, session)
    if not kept_map:
        serving.write_redirect_map(staging, session.state.redirect_pages, live=target)
    staged = [rel for rel in _staged(staging) if rel not in copies]
    files = set(staged) | session.kept_files() | ({serving.MAP_NAME} if kept_map else set())
    changed = []
    for rel in staged:
        if rel not in session.damaged and serving.same_bytes(staging / rel, target / rel):
            (staging / rel).unlink()
        else:
            changed.append(rel)
    with session.timed(COMPRESSING):
        serving.precompress(staging, workers=session.jobs, files=[staging / rel for rel in changed if rel not in done])
    gone = sorted(session.previous.files - files)
    sizes = dict(session.previous.sizes)
    for rel in gone:
        for suffix in ("", *serving.COPIES):
            sizes.pop(rel + suffix, None)
    for rel in changed:
        for suffix in ("", *serving.COPIES):
            try:
                sizes[rel + suffix] = os.lstat(staging / (rel + suffix)).st_size
            except FileNotFoundError:
                sizes.pop(rel + suffix, None)
    session.state.files, session.state.sizes = files, sizes
    pending = session.state.stage(session.state_path)
    _probe({(target / rel).parent for rel in [*changed, *gone]} | {target})
    session.state_path.unlink(missing_ok=True)  # a commit cut short must make the next build full
    for rel in changed:
        new, old = staging / rel, target / rel
        old.parent.mkdir(parents=True, exist_ok=True)
        for suffix in serving.COPIES:
            copy = new.with_name(new.name + suffix)
            if copy.is_file():
                os.replace(copy, old.with_name(old.name + suffix))
            else:
                old.with_name(old.name + suffix).unlink(missing_ok=True)
        os.replace(new, old)
    for rel in gone:
        for suffix in ("", *serving.COPIES):
            (target / (rel + suffix)).unlink(missing_ok=True)
    for folder in sorted({(target / rel).parent for rel in gone}, key=lambda p: len(p.parts), reverse=True):
        while folder != target and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent
    pending.replace(session.state_path)
    remove_later(staging)  # what is left of it: the folders, and the files the live site held the same


def _probe(folders: set[Path]) -> None:
    """Fail before the first file moves if a folder of the live site refuses writes (read-only, immutable).

    Permission bits do not stop root, so each folder is tried for real: a file made and removed.
    """
    for folder in sorted(folders):
        while not folder.is_dir():  # a folder the commit will create: its nearest existing parent must take it
            folder = folder.parent
        probe = folder / f".portal-probe-{os.getpid()}"
        probe.touch()
        probe.unlink()


def _swap(staging: Path, output: Path) -> None:
    old = output.parent / f".{output.name}.old"
    shutil.rmtree(old, ignore_errors=True)
    if output.exists():
        output.rename(old)
    try:
        staging.rename(output)
    except OSError:
        if old.exists():
            old.rename(output)  # the old site goes back where it was
        raise
    shutil.rmtree(old, ignore_errors=True)


_DISK_ERRORS = {
    errno.ENOSPC: "ổ đĩa đã đầy",
    errno.EDQUOT: "đã hết hạn mức dung lượng (quota)",
    errno.EFBIG: "một tệp vượt giới hạn kích thước tệp của hệ thống",
    errno.EROFS: "thư mục chỉ cho đọc (read-only)",
    errno.EACCES: "không có quyền ghi",
    errno.EPERM: "hệ thống không cho phép ghi",
}


def _du(root: Path) -> int:
    return sum(_walk(root)[0].values()) if root.is_dir() else 0


def _disk_problem(exc: BaseException, target: Path, staging: Path) -> str | None:
    """The editor's message for a build stopped by the disk (full, read-only, a file-size limit), else None."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, OSError) and exc.errno in _DISK_ERRORS:
            break
        exc = exc.__cause__ or exc.__context__
    else:
        return None
    where = getattr(exc, "filename2", None) or exc.filename or str(target.parent)
    written, live = _du(staging), _du(target)
    try:
        free = _mb(shutil.disk_usage(target.parent).free)
    except OSError:
        free = "không rõ"
    return (f"Không ghi được trang: {_DISK_ERRORS[exc.errno]} ({where}).\n"
            f"    Lần dựng này đã ghi {_mb(written)} trước khi dừng; trang hiện có chiếm {_mb(live)}. "
            f"Cần ít nhất khoảng {_mb(max(written, live))} trống cạnh {target} (còn trống {free}).\n"
            "    → cách sửa: giải phóng chỗ trống trên ổ đĩa hoặc cấp quyền ghi vào thư mục, rồi dựng lại. "
            "Trang cũ, trạng thái lần dựng trước và bộ nhớ đệm được giữ nguyên.")


def _mb(size: int) -> str:
    """Megabytes the Vietnamese way: 1.234,5 MB."""
    return f"{size / 1e6:,.1f}".replace(",", " ").replace(".", ",").replace(" ", ".") + " MB"


_last_parse_cache: ParseCache | None = None  # the last build's in this process: the preview's next build takes it over


def _parse_cache_salt(settings: dict) -> str:
    return repr((code_digest(), settings.get("MARKDOWN"), settings["PATH"], settings.get("ARTICLE_PATHS"),
                 settings.get("PAGE_PATHS")))


def _parse_cache(settings: dict, cache_dir: Path, fresh: bool, files: dict[str, tuple[int, int]],
                 jobs: int = 1, ahead: ShardLoad | None = None) -> ParseCache:
    """The parse cache for this build; ``files``: the content folder as walked (incremental.content_files);
    ``ahead``: its shards as far as :func:`_shards_ahead` read them."""
    global _last_parse_cache
    cache = ParseCache(cache_dir / "parsed.pickle", _parse_cache_salt(settings), previous=_last_parse_cache,
                       stats=files, fork=jobs > 1 and not fresh, ahead=ahead)
    if fresh:
        cache.drop()
    _last_parse_cache = cache
    return cache


def _shards_ahead(settings: dict, cache_dir: Path, walked: Forked) -> ShardLoad | None:
    """The parse cache's shards, read while the walk of the content folder (``walked``, forked) is under way
    and until it answers: an edit build waited for the walk 0.04 s at 10,000 articles, then read the shards; a
    build with nothing to do stops at the answer. None when the walk is done already, or the parse cache in
    memory (the preview's) serves."""
    path, salt = cache_dir / "parsed.pickle", _parse_cache_salt(settings)
    if walked.ready() or same_files(_last_parse_cache, path, salt):
        return None
    ahead = ShardLoad(path, salt)
    while not walked.ready() and ahead.step():
        pass
    return ahead


def _memo(cache_dir: Path, fresh: bool) -> Memo:
    """Derived results keyed by digests of their inputs: only the code that derives them can make one stale."""
    memo = Memo(cache_dir / "derived.pickle", code_digest().hex())
    if fresh:
        memo.drop()
    return memo


def _warm(settings: dict, cache: ParseCache, jobs: int, files: dict[str, tuple[int, int]]) -> None:
    """Parse what the cache lacks before Pelican reads: on ``jobs`` cores, where Pelican would use one.

    ``files``: the content folder as walked at the start of the build (incremental.content_files).
    """
    root = Path(os.path.abspath(settings["PATH"]))  # the reader's keys: absolute, symlinks kept
    folders = tuple(str(root / folder) + os.sep for folder in
                    (*settings.get("ARTICLE_PATHS", []), *settings.get("PAGE_PATHS", [])))
    # In the walk's order (each folder's files by name), not sorted again: 0.005 s at 10,000 articles.
    sources = [p for p in files if p.endswith((".md", ".markdown")) and p.startswith(folders)]
    warm(cache, sources, PortalReader(settings).parse, "Đọc tin bài và trang", jobs)
    render = MarkdownRenderer(settings)
    kinds = {path: kind for kind, path in record_files(root, files)}
    warm(cache, kinds, lambda p: parse_record(p, kinds[str(p)], root, render), "Đọc bản ghi", jobs)


def build(settings_file: str = "pelicanconf.py", output: str | None = None, strict: bool | None = None,
          content: str | None = None, full: bool = False, jobs: int | None = None, wait: bool = True) -> BuildResult:
    """Build into a staging directory and commit it on success; never leave a half-written site.

    ``full`` ignores the last build's state and renders every page; ``jobs`` worker processes
    (None: PORTAL_JOBS, PORTAL["jobs"], else every core). One build at a time per output (lock.py):
    a second one waits, or with ``wait=False`` fails at once naming the holder.
    """
    started = time.perf_counter()
    settings = read_settings(settings_file, override={"PATH": str(Path(content).resolve())} if content else None)
    if startup.docutils_left_out() and startup.needs_docutils(settings):
        startup.restart_with_docutils()
    # Pelican's Markdown reader adds its extensions to this dict in place, and the settings module that holds it
    # stays imported: the next build in this process (the preview's) would see other settings than the last one
    # saved (a new parse-cache salt: every file parsed again; no build ever "unchanged").
    settings["MARKDOWN"] = copy.deepcopy(settings.get("MARKDOWN", {}))
    target = Path(output or settings["OUTPUT_PATH"]).resolve()
    try:
        with BuildLock(target, wait=wait), _few_collections():
            return _build(settings, target, started, strict, full, jobs)
    except BuildBusy as exc:
        return BuildResult(False, time.perf_counter() - started, 0, 0, 1, str(exc))
    finally:
        _forget_memoized()


def _forget_memoized() -> None:
    """Empty Pelican's ``@memoized`` caches of ``Content.get_content`` and ``get_summary``: class-wide dicts keyed by
    the content object, which keep every article and page they were asked about, and through it the context of
    its build (the graph, every article). A build process ends anyway; the preview lives on, and kept each
    build's whole site: 80-100 MB more after every save at 10,000 articles."""
    for name in ("get_content", "get_summary"):
        memo = getattr(vars(Content).get(name), "cache", None)
        if isinstance(memo, dict):
            memo.clear()


@contextlib.contextmanager
def _quiet(out: Any) -> Iterator[None]:
    """Pelican's own summary of a run ("Done: Processed 10000 articles, …") is English and says what the build's
    Vietnamese line says after the commit: it stays unprinted (``out``: Pelican's rich console)."""
    quiet, out.quiet = out.quiet, True
    try:
        yield
    finally:
        out.quiet = quiet


@contextlib.contextmanager
def _few_collections() -> Iterator[None]:
    """A build allocates millions of objects that live to its end, and few cycles until pages are rendered;
    with the collector's default thresholds it walks them again and again (1.1 s of an edit build's 7.7 at
    10,000 articles: 837 young, 77 middle and 6 full collections). The collector sleeps through reading and
    the join, and through an incremental build to its end (its few pages leave a few hundred kilobytes of
    cycles); a full build wakes it when rendering starts (generator.py), with young collections every 50,000
    allocations instead of 700. The defaults return afterwards (a preview lives on)."""
    before, enabled = gc.get_threshold(), gc.isenabled()
    gc.set_threshold(50_000, 20, 100)
    gc.disable()
    try:
        yield
    finally:
        gc.set_threshold(*before)
        gc.enable() if enabled else gc.disable()  # a full build wakes it (generator.py)


def _walk_inputs(settings: dict) -> tuple[dict[str, tuple[int, int]], str]:
    """The content folder as walked (incremental.content_files) and the digest of every input (inputs_digest).

    Forked beside the load of the last state: at 10,000 articles the walk and the digest took 0.06 s and the load
    0.045 s, one after the other, on the way to every build's first answer (nothing changed, or what did)."""
    files = content_files(settings)
    return files, inputs_digest(settings, files)


def _build(settings: dict, target: Path, started: float, strict: bool | None, full: bool,
           jobs: int | None) -> BuildResult:
    staging = target.parent / f".{target.name}.staging"
    shutil.rmtree(staging, ignore_errors=True)  # a build killed earlier left it: the lock says it is ours now
    sweep(staging.parent, f"{staging.name}.gone-")  # and what a removal after an earlier commit did not finish
    if strict is not None:
        settings["PORTAL"] = {**settings.get("PORTAL", {}), "strict": strict}
    strict = bool(settings.get("PORTAL", {}).get("strict"))
    try:  # a wrong or missing setting (the site's address of a production build) stops here, named
        workers = PortalConfig.from_settings(settings).workers(jobs)
    except ValueError as exc:
        return BuildResult(False, time.perf_counter() - started, 0, 0, 1, f"Cấu hình: {exc}")
    session = Session(cache_dir=target.parent / f".{target.name}.cache", live=target, jobs=workers,
                      fingerprint=Fingerprint())
    sweep_partials(session.cache_dir)  # files a save killed outright was writing
    walked = Forked(lambda: iter([_walk_inputs(settings)]), fork=workers > 1)  # beside the state's load
    ahead = None
    try:
        if not full and target.is_dir():
            session.previous = State.load(session.state_path)
            ahead = _shards_ahead(settings, session.cache_dir, walked)
        files, session.state.inputs = walked.receive()
    finally:
        walked.cancel()
    session.walk = files
    now = datetime.now(ZoneInfo(settings.get("TIMEZONE") or "Asia/Ho_Chi_Minh"))
    # Nothing to do: unless files were removed by hand (the build then re-makes just their pages, Session.reuse).
    unchanged = session.previous is not None and session.previous.unchanged(session.state.inputs, now)
    session.check_damage(fork=session.jobs > 1 and not unchanged)  # with inputs changed, beside the build
    if unchanged and not session.damaged:
        pages = sum(1 for f in session.previous.files if f.endswith(".html"))
        return BuildResult(True, time.perf_counter() - started, pages, 0, 0, rendered=0, full=False)
    settings[SESSION] = session
    settings["OUTPUT_PATH"] = str(staging)
    session.parse_cache = _parse_cache(settings, session.cache_dir, full, files, session.jobs, ahead)
    compression = _Compression(staging, session)
    session.on_rendered, session.on_search_wait = compression.start, compression.resume
    session.memo = _memo(session.cache_dir, fresh=full)

    # Plain lines on stderr: editors read them, and long paths must not be wrapped.
    init_logging(level=logging.WARNING, handler=logging.StreamHandler(sys.stderr))
    counter = _Counter()
    logging.getLogger().addHandler(counter)
    message = ""
    try:
        with session.timed("đọc (song song)"):
            _warm(settings, session.parse_cache, session.jobs, files)
        with session.timed("Pelican"), _quiet(console):
            Pelican(settings).run()
    except ContentError as exc:
        message = str(exc)
    except Exception as exc:  # a template or plugin failure must not leave a half site
        message = _disk_problem(exc, target, staging) or f"Dựng trang thất bại: {exc.__class__.__name__}: {exc}"
    finally:
        for stop in session.stops:  # a failed build leaves nothing running (a finished one has nothing left)
            stop()
        logging.getLogger().removeHandler(counter)
        session.parse_cache.settle()
        session.parse_cache.save(fork=session.jobs > 1)  # parsing does not depend on the build's outcome: keep it
        session.memo.save()  # nor does what is derived from the content
    errors, warnings = counter.count(logging.ERROR) + counter.count(logging.CRITICAL), counter.count(logging.WARNING)
    if not message and errors:
        message = f"Dựng trang thất bại: {errors} lỗi (xem thông báo ở trên)."
    if not message and strict and warnings:
        message = f"Chế độ nghiêm ngặt: {warnings} cảnh báo được tính là lỗi (xem thông báo ở trên)."
    if not message:
        try:  # nginx's redirect map and the .gz/.br copies, written before the files go live (deploy/nginx.conf)
            with session.timed(COMMITTING):
                if session.full:
                    _commit_full(staging, target, session, compression)
                else:
                    _commit_delta(staging, target, session, compression)
        except Exception as exc:
            message = _disk_problem(exc, target, staging) or \
                f"Nén sẵn / bản đồ chuyển hướng thất bại: {exc.__class__.__name__}: {exc}"
    if message:
        compression.cancel()
        shutil.rmtree(staging, ignore_errors=True)
        session.state_path.with_name(session.state_path.name + ".pending").unlink(missing_ok=True)
        session.release()
        return BuildResult(False, time.perf_counter() - started, 0, warnings, errors, message)
    pages = sum(1 for f in session.state.files if f.endswith(".html"))
    session.release()
    return BuildResult(True, time.perf_counter() - started, pages, warnings, errors, rendered=session.rendered,
                       full=session.full, timings=session.timings, jobs=session.jobs)


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m portal", description="Dựng cổng thông tin thi đua.")
    parser.add_argument("command", choices=["build"])
    parser.add_argument("-s", "--settings", default="pelicanconf.py")
    parser.add_argument("-o", "--output", default=None)
    parser.add_argument("-c", "--content", default=None)
    parser.add_argument("--strict", action="store_true", default=None, help="cảnh báo cũng là lỗi")
    parser.add_argument("--full", action="store_true", help="dựng lại mọi trang, bỏ qua lần dựng trước")
    parser.add_argument("--timings", action="store_true", help="in thời gian của từng bước")
    parser.add_argument("-j", "--jobs", type=int, default=None,
                        help="số tiến trình làm việc song song (mặc định: mọi lõi; 1 để gỡ lỗi)")
    parser.add_argument("--no-wait", action="store_true",
                        help="nếu một lần dựng khác đang ghi vào cùng thư mục: dừng ngay thay vì chờ")
    args = parser.parse_args(argv)
    result = build(args.settings, args.output, args.strict, args.content, args.full, args.jobs, not args.no_wait)
    if not result.ok:
        print(result.message, file=sys.stderr)
        print("Trang cũ (nếu có) được giữ nguyên.", file=sys.stderr)
        return 1
    how = "dựng toàn bộ" if result.full else "dựng phần thay đổi"
    print(f"Đã dựng {result.pages} trang HTML trong {result.seconds:.1f} giây "
          f"({how}: {result.rendered} trang và bản tin được viết lại; {result.warnings} cảnh báo).")
    if args.timings and result.timings:
        # "Pelican" includes "liên kết", "dựng trang" and "tìm kiếm", which run inside it; COMMITTING includes
        # COMPRESSING.
        print("Các bước: " + "; ".join(f"{k} {v:.2f} giây" for k, v in result.timings.items())
              + f" ({result.jobs} tiến trình)")
    return 0
