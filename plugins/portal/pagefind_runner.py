"""Pagefind over the search bundles: one process per bundle, ``workers`` at a time.

The search step (search.Indexing) starts this file as a script beside the process it forked, under a fresh
interpreter (``-I -S``): it uses the standard library alone, so that start-up costs milliseconds where
importing the portal cost every build with a changed bundle half a second of waiting. That process then
becomes this script too, with ``--wait <pid>``: its exit code is the runner's. search.py imports
:func:`index` when the step runs in the build's own process (one job).

One process per bundle, no service protocol: the Python wrapper's polling cost a national archive a
quarter of its build, and a crashed binary is a plain exit code here, never a wait without end.
"""

from __future__ import annotations

import errno
import json
import os
import re
import signal
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from subprocess import run

OS_ERROR = "OSError "  # the line the runner says an OSError on (JSON follows): search.Indexing raises it again
# Pagefind allocates through its own jemalloc (``_RJEM_`` names its settings): on transparent huge pages where the
# kernel offers them. Over the 95 bundles of a 10,000-article archive that took its page faults from 1.34 million to
# 0.36 million, and its CPU time from 22.4 to 20.5 s. A setting from the environment wins; without huge pages, nothing
# changes.
MALLOC_CONF = "thp:always,metadata_thp:always"


def index(binary: str, jobs: list[tuple[Path, Path]], workers: int, step: Callable[[], None] = lambda: None) -> None:
    """Index each (source folder, output folder) with the Pagefind ``binary``; ``step`` after each bundle."""
    env = {"_RJEM_MALLOC_CONF": MALLOC_CONF, **os.environ}

    def one(job: tuple[Path, Path]) -> None:
        source, output = job
        done = run([binary, "--site", str(source), "--output-path", str(output), "--force-language", "vi", "--silent"],
                   capture_output=True, text=True, check=False, env=env)
        if done.returncode != 0:
            detail = (done.stderr or done.stdout).strip()[-500:]
            said = re.search(r"\(os error (\d+)\)", detail)  # how Rust names the system's error
            code = errno.EFBIG if done.returncode == -signal.SIGXFSZ else int(said[1]) if said else None
            if code is not None:  # the disk (full, a file-size limit): the build names it as a disk problem
                raise OSError(code, f"Pagefind: {detail or os.strerror(code)}", str(output))
            raise RuntimeError(f"Pagefind dừng với mã {done.returncode}: {detail}")

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        for _ in pool.map(one, jobs):
            step()


def main(listing: str) -> int:
    """Index what ``listing`` (JSON: binary, workers, jobs) names; on failure say why on stderr."""
    try:
        spec = json.loads(Path(listing).read_text(encoding="utf-8"))
        index(spec["binary"], [(Path(a), Path(b)) for a, b in spec["jobs"]], spec["workers"])
    except OSError as exc:
        print(OS_ERROR + json.dumps([exc.errno, exc.strerror, exc.filename], ensure_ascii=False), file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - said on stderr, read by search.Indexing.finish
        print(f"{exc.__class__.__name__}: {exc}", file=sys.stderr)
        return 1
    return 0


def wait(pid: int) -> int:
    """Wait for the runner ``pid``, a child of this process from before it became this script; its exit code."""
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    sys.exit(wait(int(sys.argv[2])) if sys.argv[1] == "--wait" else main(sys.argv[1]))
