"""Every core: the build's worker count follows --jobs, PORTAL_JOBS and PORTAL['jobs'] (issue 16 part 2)."""

from __future__ import annotations

import mmap
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from jinja2 import Template

from portal import serving
from portal.cache import ParseCache, warm
from portal.config import PortalConfig
from portal.forked import Forked
from portal.incremental.state import SESSION, Session
from portal.incremental.writer import PARALLEL_MIN, PortalWriter, _Job
from portal.search import Bundle, Indexing
from support import DATA, ROOT


def test_the_worker_count_comes_from_the_option_then_the_environment_then_the_setting(monkeypatch):
    monkeypatch.delenv("PORTAL_JOBS", raising=False)
    assert PortalConfig().workers() == (os.cpu_count() or 1)  # 0: every core
    assert PortalConfig(jobs=3).workers() == 3
    monkeypatch.setenv("PORTAL_JOBS", "5")
    assert PortalConfig(jobs=3).workers() == 5
    assert PortalConfig(jobs=3).workers(1) == 1
    monkeypatch.setenv("PORTAL_JOBS", "bốn")
    with pytest.raises(ValueError, match="PORTAL_JOBS"):
        PortalConfig().workers()
    with pytest.raises(ValueError, match="jobs"):
        PortalConfig.from_settings({"PORTAL": {"jobs": -1}})


@pytest.mark.parametrize("jobs", [1, 3])
def test_pages_are_rendered_in_as_many_processes_as_jobs(tmp_path: Path, jobs: int):
    session = Session(cache_dir=tmp_path / "cache", live=tmp_path / "live", jobs=jobs)
    writer = PortalWriter(str(tmp_path / "out"), settings={SESSION: session})
    template = Template("{{ pid() }}")
    count = PARALLEL_MIN + 10
    writer._jobs = [_Job(f"p{i}.html", template, {}, {"pid": os.getpid}) for i in range(count)]
    assert writer.flush() == count
    pids = {(tmp_path / "out" / f"p{i}.html").read_text() for i in range(count)}
    assert len(pids) == jobs and str(os.getpid()) in pids


@pytest.mark.parametrize("jobs", [1, 3])
def test_content_is_parsed_in_as_many_processes_as_jobs(tmp_path: Path, jobs: int):
    files = []
    for i in range(600):
        files.append(tmp_path / f"{i}.md")
        files[-1].write_text(str(i), encoding="utf-8")
    cache = ParseCache(tmp_path / "parsed.pickle", "salt")
    assert warm(cache, files, lambda p: (os.getpid(), time.sleep(0.002)), jobs=jobs) == 600
    pids = {cache.get(p)[0] for p in files}
    assert len(pids) == jobs and os.getpid() in pids  # the build's own process parses too


@pytest.mark.parametrize("jobs", [1, 3])
def test_copies_are_compressed_in_as_many_processes_as_jobs(tmp_path: Path, monkeypatch, jobs: int):
    pages = []
    for i in range(300):
        pages.append(tmp_path / f"{i}.html")
        pages[-1].write_text(f"<p>{i}</p>" + "đua " * 100, encoding="utf-8")
    compress, pids = serving._compress_one, mmap.mmap(-1, 8 * len(pages))  # shared with the forked workers

    def noted(path: str) -> list[tuple[str, int]]:
        at = 8 * pages.index(Path(path))
        pids[at:at + 8] = os.getpid().to_bytes(8, "little")
        time.sleep(0.002)  # no one process takes every chunk before the others start
        return compress(path)

    monkeypatch.setattr(serving, "_compress_one", noted)
    monkeypatch.setattr(serving, "PARALLEL_BYTES", 0)  # a few small files are worth the workers here
    written = serving.precompress(tmp_path, workers=jobs)
    assert set(written) == {f"{page}{suffix}" for page in pages for suffix in serving.copies(page.name)}
    seen = {int.from_bytes(pids[8 * i:8 * i + 8], "little") for i in range(len(pages))}
    assert len(seen) == jobs and os.getpid() in seen  # the build's own process compresses too


def test_a_parse_that_fails_in_a_worker_fails_the_warm_and_leaves_no_worker(tmp_path: Path):
    files = []
    for i in range(400):
        files.append(tmp_path / f"{i}.md")
        files[-1].write_text(str(i), encoding="utf-8")
    parent = os.getpid()

    workers = tmp_path / "workers"

    def parse(path: Path) -> str:
        if os.getpid() != parent:
            with workers.open("a", encoding="utf-8") as f:
                f.write(f"{os.getpid()}\n")
            raise ValueError(f"hỏng {path.name}")
        time.sleep(0.005)  # the parent is slow: the worker takes chunks
        return path.read_text(encoding="utf-8")

    cache = ParseCache(tmp_path / "parsed.pickle", "salt")
    with pytest.raises(ValueError, match=r"hỏng \d+\.md"):
        warm(cache, files, parse, jobs=3)
    pids = {int(line) for line in workers.read_text(encoding="utf-8").split()}
    assert pids
    for pid in pids:  # ended and reaped: not even a zombie left
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_search_index_runs_beside_the_build_only_with_more_than_one_job(tmp_path: Path, jobs: int):
    session = Session(cache_dir=tmp_path / "cache", live=tmp_path / "live", jobs=jobs)
    items = [{"url": f"/tin-tuc/bai-{i}/", "content": f"Bài {i}\nthi đua", "meta": {"title": f"Bài {i}", "ngay": ""},
              "filters": {"loai": ["Bài viết"]}, "sort": {"date": "202401010000"}} for i in range(3)]
    indexing = Indexing(lambda: [Bundle(0, items)], str(tmp_path / "out"), session)
    try:
        assert indexing.forked == (jobs > 1)  # one job: Pagefind was waited for before returning
        if jobs > 1:
            assert indexing.work.pid != os.getpid() and os.getpgid(indexing.work.pid) == indexing.work.pid
    finally:
        assert indexing.finish() == 3
    assert (tmp_path / "out" / "pagefind" / "pagefind-entry.json").is_file()
    assert not indexing.scratch.exists() and indexing.work.pid is None


def test_the_build_command_takes_jobs_from_the_option_and_the_environment(tmp_path: Path):
    def build(*args: str, env: dict[str, str]) -> str:
        done = subprocess.run([sys.executable, "-m", "portal", "build", "-s", str(ROOT / "pelicanconf.py"),
                               "-c", str(DATA / "mini"), "-o", str(tmp_path / "out"), "--full", "--timings", *args],
                              capture_output=True, text=True, env={**os.environ, **env}, check=False)
        assert done.returncode == 0, done.stderr
        return done.stdout

    assert "(1 tiến trình)" in build("--jobs", "1", env={"PORTAL_JOBS": "3"})
    assert "(3 tiến trình)" in build(env={"PORTAL_JOBS": "3"})


def test_a_forked_child_whose_parent_is_gone_ends_instead_of_running_the_parents_code(tmp_path: Path):
    """The preview killed while its search step runs: the child's write meets a broken pipe. It must end
    there, not climb back into the preview's loop as a second preview (a leftover process that kept a port)."""
    marker = tmp_path / "marker"
    script = tmp_path / "orphan.py"
    script.write_text(
        "import os, sys, time\n"
        f"sys.path.insert(0, {str(ROOT / 'plugins')!r})\n"
        "from portal.forked import Forked\n"
        "def steps():\n"
        "    time.sleep(1)\n"
        "    yield 'late'\n"
        "try:  # as the preview's loop does: a failed build is reported, the loop goes on\n"
        "    pid = Forked(steps).pid\n"
        "except Exception:\n"
        "    pid = None\n"
        f"with open({str(marker)!r}, 'a') as f:\n"
        "    f.write(f'{os.getpid()} {pid}\\n')\n"
        "os._exit(0)\n", encoding="utf-8")
    subprocess.run([sys.executable, str(script)], check=True, timeout=60)
    parent, child = marker.read_text(encoding="utf-8").split()[:2]
    deadline = time.monotonic() + 30
    while Path(f"/proc/{child}").exists() and "\tZ" not in _state(child):
        assert time.monotonic() < deadline, "the orphaned child never ended"
        time.sleep(0.1)
    assert marker.read_text(encoding="utf-8").splitlines() == [f"{parent} {child}"]  # only the parent went on


def _state(pid: str) -> str:
    try:
        return next(line for line in Path(f"/proc/{pid}/status").read_text().splitlines() if line.startswith("State"))
    except (OSError, StopIteration):
        return "\tZ"


def test_a_forked_child_goes_on_past_a_large_message_the_build_has_not_read_yet(tmp_path: Path):
    """The search step sends its bundles (about 250 KB at 10,000 articles), then starts Pagefind. Were it to
    wait until the build reads them (after queueing every page), Pagefind would start seconds late."""
    marker = tmp_path / "sent"

    def steps():
        yield "x" * 400_000  # six times a default pipe's 64 KB
        marker.write_text("on", encoding="utf-8")
        yield "done"

    work = Forked(steps)
    try:
        deadline = time.monotonic() + 30
        while not marker.exists():
            assert time.monotonic() < deadline, "the child waited for its first message to be read"
            time.sleep(0.05)
        assert work.receive() == "x" * 400_000 and work.receive() == "done"
    finally:
        work.cancel()


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_content_is_walked_beside_the_last_state_s_load_with_more_than_one_job(tmp_path: Path, monkeypatch,
                                                                                   jobs: int):
    """build._walk_inputs (the walk and the inputs' digest) runs in a forked child while the build loads its last
    state, and hands back the same walk and digest as the build's own process would make."""
    import portal.build
    from portal.incremental import content_files

    made = tmp_path / "made"
    walk = portal.build._walk_inputs

    def recorded(settings):
        with made.open("a", encoding="utf-8") as f:
            f.write(f"{os.getpid()}\n")
        return walk(settings)

    monkeypatch.setattr(portal.build, "_walk_inputs", recorded)
    monkeypatch.setenv("PORTAL_SITE_URL", "http://127.0.0.1:8000")
    seen = {}
    original = portal.build.Session.check_damage

    def check_damage(self, fork):
        seen.update(walk=self.walk, inputs=self.state.inputs)
        return original(self, fork)

    monkeypatch.setattr(portal.build.Session, "check_damage", check_damage)
    def build():
        return portal.build.build(str(ROOT / "pelicanconf.py"), str(tmp_path / "out"), content=str(DATA / "mini"),
                                  jobs=jobs)

    result = build()
    assert result.ok, result.message
    pids = made.read_text(encoding="utf-8").split()
    assert len(pids) == 1 and (pids[0] != str(os.getpid())) == (jobs > 1)
    settings = portal.build.read_settings(str(ROOT / "pelicanconf.py"),
                                          override={"PATH": str((DATA / "mini").resolve())})
    assert list(seen["walk"].items()) == list(content_files(settings).items()) and seen["walk"]
    first = seen["inputs"]
    again = build()  # the same inputs: the same digest, and nothing to do
    assert again.ok and again.rendered == 0 and seen["inputs"] == first


def test_a_forked_child_left_in_its_parents_group_is_stopped_with_that_group(tmp_path: Path):
    """The search step's index writers: the build stops the step's whole group (Indexing.cancel), writers included."""
    def writers() -> Iterator[int]:
        writer = Forked(lambda: iter([time.sleep(60)]), group=False)
        yield writer.pid  # left running: only the group's end stops it

    step = Forked(writers)
    writer = step.receive()
    assert os.getpgid(writer) == step.pid  # in the step's group, which the step leads
    step.cancel()  # killpg of the step's group
    deadline = time.monotonic() + 10
    while Path(f"/proc/{writer}").exists() and Path(f"/proc/{writer}/stat").read_text().split()[2] != "Z":
        assert time.monotonic() < deadline, "the writer outlived its group"
        time.sleep(0.05)


def test_cancelling_a_child_left_in_its_parents_group_stops_it_alone():
    work = Forked(lambda: iter([time.sleep(60)]), group=False)
    assert os.getpgid(work.pid) == os.getpgid(0)
    work.cancel()  # os.kill of the child: a killpg here would stop this test's own process
    assert work.pid is None


def test_the_live_site_is_checked_beside_the_build_at_a_lower_priority(tmp_path: Path, monkeypatch):
    """Session.check_damage forks its check at forked.DAMAGE_NICE: a CI runner's restore has a child digest every
    article while the shards load, and the check, needed only once the graph is joined, must not take its core."""
    from portal.forked import DAMAGE_NICE
    from portal.incremental import Session, State

    monkeypatch.setattr(State, "damaged",
                        lambda self, live: {("nice", os.getpriority(os.PRIO_PROCESS, 0)), ("pid", os.getpid())})
    own = os.getpriority(os.PRIO_PROCESS, 0)
    session = Session(cache_dir=tmp_path, live=tmp_path, previous=State())
    session.check_damage(fork=True)
    assert dict(session.damaged)["pid"] != os.getpid() and dict(session.damaged)["nice"] == min(19, own + DAMAGE_NICE)
    here = Session(cache_dir=tmp_path, live=tmp_path, previous=State())
    here.check_damage(fork=False)  # nothing to wait for: checked here, at the build's own priority
    assert dict(here.damaged) == {"nice": own, "pid": os.getpid()}
