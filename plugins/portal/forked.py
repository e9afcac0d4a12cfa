"""Work done in a forked child while the build goes on: the core a serial step leaves idle.

After the join, a build is serial for seconds: one core queues pages while the other waits. Work
that reads the graph and hands back little (the search step) runs in a child forked from the build:
it shares every parsed object copy-on-write, so nothing is pickled on the way in; only its messages
come back, through a pipe.
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import itertools
import multiprocessing
import os
import pickle
import select
import shutil
import signal
import struct
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

__all__ = ["CACHE_NICE", "COMPRESSION_NICE", "DAMAGE_NICE", "SEARCH_NICE", "Forked", "remove_later", "running",
           "shared", "sweep"]

# A message larger than the pipe holds makes the child wait until the build reads it: the search step's
# bundles (about 250 KB at 10,000 articles) kept Pagefind from starting for 0.8 s of an edit build, until
# the build had queued its pages. The pipe grows to the system's default limit (fs.pipe-max-size).
PIPE_BYTES = 1 << 20
# How much lower than the build's the priority (Forked's ``nice``; a thread's own, build._Compression) of work an
# edit build waits for only later: the check of the live site's files (once the graph is joined), the search step
# and its Pagefind (at the end of rendering), the compressed copies of rendered pages (at the commit), the parse
# cache's files (at the very end). The check runs beside the shards' load, when a CI runner's restore has a child
# digest every article, which the build waits for: at 5 the scheduler still gave the check a quarter of that core
# (weights 335 against 1,024), and the digests came 0.01-0.05 s later at 10,000 articles. At 19 it gets 1/70 of it
# until the digests are done, and still ends about 0.6 s into the build, before the join asks for it (0.8 s).
DAMAGE_NICE, SEARCH_NICE, COMPRESSION_NICE, CACHE_NICE = 19, 10, 15, 19
_END = object()  # receive(): no message left
_SIZE = struct.Struct("<Q")  # each message: its length, then its pickle (no buffer in the parent: see ready())


def _send(fd: int, message: tuple[str, Any]) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    for view in (memoryview(_SIZE.pack(len(data))), memoryview(data)):
        while view:
            view = view[os.write(fd, view):]


class Forked:
    """``steps()`` run in a forked child (``fork=False``: here, at once); each value it yields is a message.

    :meth:`receive` returns the next message, waiting for it, or raises the error the child met. The
    collector's generations are frozen across the fork, so a collection in the child does not walk (and
    copy) the parent's heap; the child leaves with ``os._exit``, so no buffer or handler of the parent
    runs twice. It leads a process group of its own: :meth:`cancel` (a failed build) kills it with every
    process it started. With ``group=False`` it stays in its parent's group, so that whoever stops the parent's
    group stops it too (the search step's index writers), and :meth:`cancel` kills it alone.

    ``nice``: how much lower the child's priority is (and that of every process it starts) than the build's.
    Work the build needs only later (the search step, copies to compress, cache files to write) then takes the
    cores the build leaves idle, and never slows the build itself: an edit build on two cores ran 6 % longer
    while Pagefind's threads shared its core.
    """

    def __init__(self, steps: Callable[[], Iterator[Any]], fork: bool = True, nice: int = 0,
                 group: bool = True) -> None:
        self.pid: int | None = None
        self._group = group
        self._pipe: Any = None
        self._done: list[tuple[str, Any]] = []  # messages of a run without a fork
        if not fork:
            try:
                self._done = [("ok", value) for value in steps()]
            except Exception as exc:  # noqa: BLE001 - raised where a forked run would raise it
                self._done.append(("error", exc))
            return
        read_end, write_end = os.pipe()
        with contextlib.suppress(OSError, AttributeError):  # Linux: room for a whole message, see PIPE_BYTES
            fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
        gc.freeze()
        try:
            pid = os.fork()
        except BaseException:
            gc.unfreeze()
            os.close(read_end)
            os.close(write_end)
            raise
        if pid == 0:  # pragma: no cover - the child; its work is checked through what it sends
            code = 1
            try:  # whatever happens (the parent gone: a broken pipe), the child never returns into the parent's code
                os.close(read_end)
                if group:
                    os.setpgid(0, 0)
                if nice:
                    with contextlib.suppress(OSError):
                        os.nice(nice)
                try:
                    for value in steps():
                        _send(write_end, ("ok", value))
                except BaseException as exc:  # noqa: BLE001 - every failure goes back to the parent
                    try:
                        _send(write_end, ("error", exc))
                    except Exception:  # noqa: BLE001 - an exception that does not pickle goes back as text
                        _send(write_end, ("error", RuntimeError(f"{exc.__class__.__name__}: {exc}")))
                os.close(write_end)
                code = 0
            finally:
                os._exit(code)
        gc.unfreeze()
        if group:
            with contextlib.suppress(OSError):  # its own group from here on, whichever of the two runs first
                os.setpgid(pid, pid)
        os.close(write_end)
        self.pid, self._pipe = pid, os.fdopen(read_end, "rb", buffering=0)

    @classmethod
    def call(cls, fn: Callable[[], Any], fork: bool = True) -> Any:
        """``fn()`` in a forked child: its result (or its error) once the child has ended."""
        def steps() -> Iterator[Any]:
            yield fn()

        work = cls(steps, fork)
        try:
            return work.receive()
        finally:
            work.cancel()

    def receive(self) -> Any:
        """The next message; the child's error raised here; an error too when it ended without one."""
        value = self.next(_END)
        if value is _END:
            raise RuntimeError("the forked work ended before it answered")
        return value

    def next(self, end: Any = None) -> Any:
        """The next message, waiting for it, or ``end`` when the child has ended without another (and is then
        reaped); the child's error raised here."""
        if self._pipe is None:
            kind, value = self._done.pop(0) if self._done else ("end", end)
        else:
            kind, value = self._message() or ("end", end)
        if kind != "ok":
            self.cancel()
        if kind == "error":
            raise value
        return value

    def ready(self) -> bool:
        """Whether :meth:`receive` would return at once: a message (or the child's end) is waiting."""
        return self._pipe is None or bool(select.select([self._pipe], [], [], 0)[0])

    def _message(self) -> tuple[str, Any] | None:
        """The next message whole, or None at the end of the pipe."""
        header = self._read(_SIZE.size)
        data = self._read(_SIZE.unpack(header)[0]) if header is not None else None
        return pickle.loads(data) if data is not None else None

    def _read(self, size: int) -> bytearray | None:
        data = bytearray(size)
        view, got = memoryview(data), 0
        while got < size:
            n = self._pipe.readinto(view[got:])
            if not n:
                return None
            got += n
        return data

    def wait(self) -> int:
        """Wait for the child to end; its exit code. It may have become another program (``os.execv``),
        which ends its messages; an error it sent after those read so far is raised."""
        if self._pipe is not None:
            kind, value = self._message() or ("ended", None)
            if kind == "error":
                self.cancel()
                raise value
        if self.pid is None:
            return 0
        _, status = os.waitpid(self.pid, 0)
        self.pid = None
        self.cancel()
        return os.waitstatus_to_exitcode(status)

    def cancel(self) -> None:
        """Stop the child and what it started, if still running; reap it (also after its last message)."""
        if self.pid is not None:
            with contextlib.suppress(ProcessLookupError):
                if self._group:
                    os.killpg(self.pid, signal.SIGKILL)
                else:
                    os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            self.pid = None
        if self._pipe is not None:
            self._pipe.close()
            self._pipe = None


_Item = TypeVar("_Item")
_Result = TypeVar("_Result")


def shared(items: Sequence[_Item], work: Callable[[_Item], _Result], jobs: int,
           chunk: int) -> Iterator[list[tuple[_Item, _Result]]]:
    """``work`` done on every one of ``items`` by this process and ``jobs - 1`` forked ones, ``chunk`` items at a
    time: each takes the next chunk when done with its own; the chunks of all, as they are done, as (item, result).

    This process works too, between taking what the others sent, and only their results cross a pipe. Beside a
    pool of ``jobs`` workers it only took their results, on the same cores: unpickling every file's parse with
    the pool's threads took a tenth of the reading's CPU (12 s of 2 × 59 at 100,000 articles), and reading sped
    up 1.5-1.7x from one job to two; the compressed copies of a cold build at 10,000 articles 1.71x (the paths
    sent, the copies' names and sizes sent back). An error in any of them is raised here, and stops the others.
    """
    chunks = [items[i:i + chunk] for i in range(0, len(items), chunk)]
    taken = multiprocessing.get_context("fork").Value("q", 0)  # shared memory: the next chunk to take

    def mine() -> Iterator[list[tuple[_Item, _Result]]]:
        while True:
            with taken.get_lock():
                i = taken.value
                taken.value = i + 1
            if i >= len(chunks):
                return
            yield [(item, work(item)) for item in chunks[i]]

    others = [Forked(mine) for _ in range(jobs - 1)]
    try:
        for done in mine():
            yield done
            for other in others:
                while other.pid is not None and other.ready():
                    if (sent := other.next()) is not None:
                        yield sent
        for other in others:
            while other.pid is not None:
                if (sent := other.next()) is not None:
                    yield sent
    finally:
        for other in others:
            other.cancel()


def sweep(folder: Path, prefix: str) -> None:
    """Remove what processes killed outright left in ``folder``: the entries named ``<prefix><pid>[-…]`` of
    processes no longer running."""
    with contextlib.suppress(OSError):  # a folder not made yet holds nothing
        for entry in os.scandir(folder):
            owner = entry.name[len(prefix):].split("-")[0] if entry.name.startswith(prefix) else ""
            if owner.isdigit() and not running(int(owner)):
                shutil.rmtree(entry.path, ignore_errors=True)


def remove_later(folder: Path) -> None:
    """Remove ``folder`` in a process of its own that nobody waits for: an edit build at 10,000 articles waited
    0.01-0.02 s at its end for its search step's files and its staging folder to go. The folder is renamed first,
    to ``<name>.gone-<pid>-<n>`` beside it, so that it is gone at once for whoever looks and a new folder of its name
    is never touched; what a removal killed part way leaves is :func:`sweep`'s (``<name>.gone-``). Where no process
    can start, it is removed here."""
    trash = folder.with_name(f"{folder.name}.gone-{os.getpid()}-{next(_TRASHED)}")
    try:
        folder.rename(trash)
    except FileNotFoundError:
        return
    except OSError:  # the folder cannot move: removed here
        shutil.rmtree(folder, ignore_errors=True)
        return
    _REMOVERS[:] = [pid for pid in _REMOVERS if _alive(pid)]  # the last ones reaped: a preview makes one a save
    try:
        quiet = [(os.POSIX_SPAWN_OPEN, fd, os.devnull, os.O_RDWR, 0) for fd in (0, 1, 2)]
        _REMOVERS.append(os.posix_spawnp("rm", ["rm", "-rf", "--", str(trash)], os.environ, file_actions=quiet,
                                         setsid=True))
    except OSError:
        shutil.rmtree(trash, ignore_errors=True)


_REMOVERS: list[int] = []  # the processes remove_later started and nobody has reaped yet
_TRASHED = itertools.count()


def _alive(pid: int) -> bool:
    """Whether a process this one started still runs; an ended one is reaped."""
    try:
        return os.waitpid(pid, os.WNOHANG)[0] == 0
    except ChildProcessError:
        return False


def running(pid: int) -> bool:
    """Whether a process of that number runs (what a killed process left is swept only when it does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: running
        return True
    return True
