"""One build at a time per output: a lock beside the output, held for the whole build.

Two builds of one output (an editor's ``invoke build`` during the preview, two CI jobs on one
runner) would share the staging folder and the state of the last good build, and leave a site
that neither of them built. The second one therefore waits for the first, and says so, or with
``wait=False`` stops at once naming the holder's process.

The lock is ``flock`` on ``.<output>.lock``: the kernel releases it when the holder exits, is
killed or crashes, so a dead build never blocks the next one. The file itself stays (deleting a
lock file races with a process about to lock it); it only tells a waiter who holds the lock.

A child the build forks shares the lock's descriptor, and with it the lock: one that outlived a killed
build (the check of the live site's files, at the lowest priority on a busy machine) kept the next build
out until it ended. On Linux such a child therefore dies with the build (the parent-death signal).
"""

from __future__ import annotations

import fcntl
import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

__all__ = ["BuildBusy", "BuildLock", "lock_path"]


_PR_SET_PDEATHSIG = 1
_held = 0  # build locks this process holds
_forking = 0  # the pid of the process that forks: a child compares its parent's with it
_prctl: Callable[..., int] | None = None


def _before_fork() -> None:
    global _forking
    _forking = os.getpid()


def _in_child() -> None:
    """A child forked while a build lock is held dies with the process that forked it."""
    if _held and _prctl is not None:
        _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != _forking:  # that process died before the line above: nobody will signal
            os._exit(1)


def _death_signal() -> Callable[..., int] | None:
    """Linux's ``prctl`` (None elsewhere), found once per process: 1.4 ms with ctypes' import."""
    try:
        import ctypes
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


os.register_at_fork(before=_before_fork, after_in_child=_in_child)


class BuildBusy(RuntimeError):
    """Another build holds the output and the caller asked not to wait."""


def lock_path(output: Path) -> Path:
    return output.parent / f".{output.name}.lock"


class BuildLock:
    """Exclusive hold on one output directory (a context manager)."""

    def __init__(self, output: Path, wait: bool = True, say: Callable[[str], None] | None = None) -> None:
        self.path = lock_path(Path(output))
        self.output = Path(output)
        self.wait = wait
        self.say = say or (lambda text: print(text, file=sys.stderr, flush=True))
        self._fd: int | None = None

    def holder(self) -> str:
        """Who holds the lock, as the holder wrote it (``tiến trình 123, từ 13:05:12: …``)."""
        try:
            return self.path.read_text(encoding="utf-8").strip() or "không rõ"
        except OSError:
            return "không rõ"

    def __enter__(self) -> BuildLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                who = self.holder()
                if not self.wait:
                    raise BuildBusy(f"Một lần dựng khác đang ghi vào {self.output} ({who}). "
                                    "Chờ nó xong rồi dựng lại, hoặc bỏ --no-wait để tự chờ.") from None
                self.say(f"Đang chờ một lần dựng khác ghi xong vào {self.output} ({who})…")
                started = time.perf_counter()
                fcntl.flock(fd, fcntl.LOCK_EX)
                self.say(f"Đã chờ {time.perf_counter() - started:.1f} giây; bắt đầu dựng.")
        except BaseException:
            os.close(fd)
            raise
        global _held, _prctl
        if _prctl is None and sys.platform == "linux":
            _prctl = _death_signal()
        _held += 1
        command = " ".join(os.path.basename(a) if i == 0 else a for i, a in enumerate(sys.argv)) or "python"
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"tiến trình {os.getpid()}, từ {time.strftime('%H:%M:%S')}: {command}\n".encode(), 0)
        self._fd = fd
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        fd, self._fd = self._fd, None
        assert fd is not None, "released without being held"
        global _held
        _held -= 1
        os.ftruncate(fd, 0)
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
