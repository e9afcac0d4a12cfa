"""Files written whole or not at all: what the build keeps between runs, what the store holds, what nginx serves.

Each is written under a name of its own beside its target, ``<name>.<pid>`` (``.<name>.<pid>`` where a reader lists
the folder: the served site, the shared cache of compressed copies), then renamed over the target: a reader (nginx, a
build beside this one, the next build) finds the old file or the new one, never half of one. Any failure removes the
partial file (a full disk, a value that does not pickle, an interrupt); a process killed outright leaves it, and the
next build sweeps the cache folder (:func:`sweep_partials`).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from .forked import running

__all__ = ["replaced", "sweep_partials"]


@contextlib.contextmanager
def replaced(target: str | Path, hidden: bool = False) -> Iterator[Path]:
    """A path beside ``target`` to write its new content to: renamed over ``target`` when the block ends, removed
    when the block raises anything. ``hidden``: named with a leading dot, for a folder whose listing is read."""
    target = Path(target)
    partial = target.with_name(f"{'.' if hidden else ''}{target.name}.{os.getpid()}")
    try:
        yield partial
        os.replace(partial, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(partial)
        raise


def sweep_partials(folder: Path) -> None:
    """Remove the files half-written by processes killed outright in ``folder``: ``<name>.<pid>`` (:func:`replaced`)
    of processes no longer running. Each is as large as the file it was to replace: a parse-cache shard is 1.8 MB
    at 10,000 articles, and a CI runner saves the build's cache folder with whatever it holds."""
    with contextlib.suppress(OSError):  # a folder not made yet holds nothing
        for entry in os.scandir(folder):
            owner = entry.name.rpartition(".")[2]
            if owner.isdigit() and entry.is_file(follow_symlinks=False) and not running(int(owner)):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
