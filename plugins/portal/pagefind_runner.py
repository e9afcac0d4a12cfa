"""Pagefind over the search bundles: one process per bundle, ``workers`` at a time.

The search step (search.Indexing) starts this file as a script beside the process it forked, under a fresh
interpreter (``-I -S``): it uses the standard library alone, so that start-up costs milliseconds where
importing the portal cost every build with a changed bundle half a second of waiting. That process then
becomes this script too, with ``--wait <pid>``: its exit code is the runner's. When there are no more bundles than
workers (an edit build), the search step starts each Pagefind run itself and becomes this script with
``--wait-all``, which judges each run as the runner would (:func:`check`). search.py imports :func:`index` when the
step runs in the build's own process (one job).

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
from shutil import copyfile, copytree, ignore_patterns, rmtree
from subprocess import run
from typing import NamedTuple

OS_ERROR = "OSError "  # the line the runner says an OSError on (JSON follows): search.Indexing raises it again
# Pagefind allocates through its own jemalloc (``_RJEM_`` names its settings): on transparent huge pages where the
# kernel offers them. Over the 95 bundles of a 10,000-article archive that took its page faults from 1.34 million to
# 0.36 million, and its CPU time from 22.4 to 20.5 s. Not for an edit build's one or two runs (search._spawn_pagefind):
# beside the build's rendering, each spent 0.13 s in the kernel with huge pages against 0.04 s without (12 runs of
# each in campaigns edits at 10,000 articles); without, the edit build took 0.045 s less (median of 10 pairs). A
# setting from the environment wins; without huge pages, nothing changes.
MALLOC_CONF = "thp:always,metadata_thp:always"


class Job(NamedTuple):
    """One bundle: Pagefind indexes the records' files in ``source`` into ``output``. With ``final``, the files are
    then moved there, but those ``skip`` matches: Pagefind writes in memory, and its run beside the build's rendering
    is the longer one. Over the 95 bundles of a 10,000-article archive, Pagefind writing on the disk took 6.7-7.5
    system CPU-seconds, writing in memory 3.1 (its threads create files in one folder at once); copying them
    out one by one took 1.0."""

    source: Path
    output: Path
    final: Path | None = None
    skip: tuple[str, ...] = ()


def deliver(job: Job) -> None:
    """Move what Pagefind wrote for ``job`` to its final folder, if it has one."""
    if job.final is not None:
        copytree(job.output, job.final, ignore=ignore_patterns(*job.skip), copy_function=copyfile)
        rmtree(job.output)


def command(binary: str, source: Path | str, output: Path | str) -> list[str]:
    """The Pagefind run that indexes the records' files in ``source`` into ``output``."""
    return [binary, "--site", str(source), "--output-path", str(output), "--force-language", "vi", "--silent"]


def environment(huge_pages: bool = True) -> dict[str, str]:
    """Pagefind's environment: this one, with its jemalloc's setting (MALLOC_CONF, if ``huge_pages``) unless it
    has its own."""
    return {"_RJEM_MALLOC_CONF": MALLOC_CONF, **os.environ} if huge_pages else dict(os.environ)


def check(returncode: int, said: str, output: Path | str) -> None:
    """Raise what a Pagefind run that ended with ``returncode``, having ``said`` this, means; nothing when it
    succeeded. The disk (full, a file-size limit) is an OSError, which the build names as a disk problem."""
    if returncode == 0:
        return
    detail = said.strip()[-500:]
    found = re.search(r"\(os error (\d+)\)", detail)  # how Rust names the system's error
    code = errno.EFBIG if returncode == -signal.SIGXFSZ else int(found[1]) if found else None
    if code is not None:
        raise OSError(code, f"Pagefind: {detail or os.strerror(code)}", str(output))
    raise RuntimeError(f"Pagefind dừng với mã {returncode}: {detail}")


def index(binary: str, jobs: list[Job], workers: int, step: Callable[[], None] = lambda: None) -> None:
    """Index each job with the Pagefind ``binary``; ``step`` after each bundle."""
    env = environment()

    def one(job: Job) -> None:
        done = run(command(binary, job.source, job.output), capture_output=True, text=True, check=False, env=env)
        check(done.returncode, done.stderr or done.stdout, job.output)
        deliver(job)

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        for _ in pool.map(one, jobs):
            step()


def _said(failure: Exception) -> str:
    """A failure as search.Indexing.finish reads it: an OSError as JSON after OS_ERROR, anything else as text."""
    if isinstance(failure, OSError):
        return OS_ERROR + json.dumps([failure.errno, failure.strerror, failure.filename], ensure_ascii=False)
    return f"{failure.__class__.__name__}: {failure}"


def main(listing: str) -> int:
    """Index what ``listing`` (JSON: binary, workers, jobs) names; on failure say why on stderr."""
    try:
        spec = json.loads(Path(listing).read_text(encoding="utf-8"))
        jobs = [Job(Path(a), Path(b), final and Path(final), tuple(skip)) for a, b, final, skip in spec["jobs"]]
        index(spec["binary"], jobs, spec["workers"])
    except Exception as exc:  # noqa: BLE001 - said on stderr, read by search.Indexing.finish
        print(_said(exc), file=sys.stderr)
        return 1
    return 0


def wait(pid: int) -> int:
    """Wait for the runner ``pid``, a child of this process from before it became this script; its exit code."""
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def wait_all(runs: list[tuple[int, str, str]], report: str) -> int:
    """Wait for Pagefind runs started by this process before it became this script: (process id, output folder,
    the file its standard output and error went to) each. 0 when all succeeded; else 1, the first failure said in
    ``report`` as the runner says it (:func:`main`)."""
    failure = None
    for pid, output, said in runs:
        _, status = os.waitpid(pid, 0)
        try:
            check(os.waitstatus_to_exitcode(status), Path(said).read_text(encoding="utf-8", errors="replace"), output)
        except Exception as exc:  # noqa: BLE001 - said in the report, read by search.Indexing.finish
            failure = failure or exc
    if failure is None:
        return 0
    Path(report).write_text(_said(failure) + "\n", encoding="utf-8")
    return 1


def cli(args: list[str]) -> int:
    """``<listing>`` (run the bundles), ``--wait <pid>`` (the runner's exit code) or ``--wait-all <report>`` followed
    by the process id, output folder and output file of each Pagefind run (:func:`wait_all`)."""
    if args[0] == "--wait":
        return wait(int(args[1]))
    if args[0] == "--wait-all":
        rest = args[2:]
        return wait_all([(int(rest[i]), rest[i + 1], rest[i + 2]) for i in range(0, len(rest), 3)], args[1])
    return main(args[0])


if __name__ == "__main__":
    sys.exit(cli(sys.argv[1:]))
