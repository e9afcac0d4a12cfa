"""A function computed in a forked child while the build goes on: the idle core of a serial step.

After the join, an edit build is serial: one core queues pages while the other waits for the few
pages to render. Work that reads the graph and returns little (the search bundles' keys) runs in a
child forked from the build: it shares every parsed object copy-on-write, so nothing is pickled on
the way in; only its result comes back, through a pipe.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import signal
from collections.abc import Callable
from typing import Generic, TypeVar

__all__ = ["Forked"]

T = TypeVar("T")
_PENDING = object()


class Forked(Generic[T]):
    """``fn()`` in a forked child (or at once, ``fork=False``); :meth:`result` waits for it or raises its error.

    The collector's generations are frozen across the fork, so a collection in the child does not walk
    (and copy) the parent's heap. The child leaves with ``os._exit``: no buffers or handlers of the
    parent run twice. :meth:`cancel` (a failed build) kills a child still at work.
    """

    def __init__(self, fn: Callable[[], T], fork: bool = True) -> None:
        self._value: object = _PENDING
        self._pid: int | None = None
        self._read: int | None = None
        if not fork:
            self._value = fn()
            return
        read_end, write_end = os.pipe()
        gc.freeze()
        try:
            pid = os.fork()
        except BaseException:
            gc.unfreeze()
            os.close(read_end)
            os.close(write_end)
            raise
        if pid == 0:
            os.close(read_end)
            try:
                data = pickle.dumps(("ok", fn()), protocol=pickle.HIGHEST_PROTOCOL)
            except BaseException as exc:  # noqa: BLE001 - every failure goes back to the parent
                try:
                    data = pickle.dumps(("error", exc))
                except Exception:  # noqa: BLE001 - an exception that does not pickle goes back as text
                    data = pickle.dumps(("error", RuntimeError(f"{exc.__class__.__name__}: {exc}")))
            with os.fdopen(write_end, "wb") as f:
                f.write(data)
            os._exit(0)
        gc.unfreeze()
        os.close(write_end)
        self._pid, self._read = pid, read_end

    def result(self) -> T:
        if self._value is _PENDING:
            assert self._read is not None and self._pid is not None, "cancelled"
            with os.fdopen(self._read, "rb") as f:
                self._read = None
                data = f.read()
            os.waitpid(self._pid, 0)
            self._pid = None
            if not data:
                raise RuntimeError("the forked process died before it answered")
            kind, value = pickle.loads(data)
            if kind == "error":
                raise value
            self._value = value
        return self._value  # type: ignore[return-value]

    def cancel(self) -> None:
        """Stop the child if it still runs (nothing happens once its result was read)."""
        if self._pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._pid, signal.SIGKILL)
            os.waitpid(self._pid, 0)
            self._pid = None
        if self._read is not None:
            os.close(self._read)
            self._read = None
