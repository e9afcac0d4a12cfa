"""One build at a time per output: a lock beside the output, held for the whole build.

Two builds of one output (an editor's ``invoke build`` during the preview, two CI jobs on one
runner) would share the staging folder and the state of the last good build, and leave a site
that neither of them built. The second one therefore waits for the first, and says so, or with
``wait=False`` stops at once naming the holder's process.

The lock is ``flock`` on ``.<output>.lock``: the kernel releases it when the holder exits, is
killed or crashes, so a dead build never blocks the next one. The file itself stays (deleting a
lock file races with a process about to lock it); it only tells a waiter who holds the lock.
"""

from __future__ import annotations

import fcntl
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

__all__ = ["BuildBusy", "BuildLock", "lock_path"]


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
        command = " ".join(os.path.basename(a) if i == 0 else a for i, a in enumerate(sys.argv)) or "python"
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"tiến trình {os.getpid()}, từ {time.strftime('%H:%M:%S')}: {command}\n".encode(), 0)
        self._fd = fd
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        fd, self._fd = self._fd, None
        assert fd is not None, "released without being held"
        os.ftruncate(fd, 0)
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
