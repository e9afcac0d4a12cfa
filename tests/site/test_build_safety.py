"""Never a broken site: builds at the same time, a build killed, a site damaged from outside, a full disk.

Each test edits a copy of the mini portal, runs the real CLI (several at once where it matters) and
compares the live site, file for file, with a cold build of the same content. The search index is
compared by what it indexes (support.same_site).
"""

from __future__ import annotations

import contextlib
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from portal.lock import BuildBusy, BuildLock, lock_path
from support import DATA, ROOT, assert_equal_to_cold, build_command, build_state, edit, run_build, snapshot


def _start(content: Path, output: Path, *extra: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen(build_command(content, output, *extra), cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **kwargs)


@pytest.fixture()
def site(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(DATA / "mini", content)
    output = tmp_path / "output"
    result = run_build(content, output)
    assert result.returncode == 0, result.stderr[-2000:]
    return content, output


def _article(content: Path) -> Path:
    return sorted((content / "articles").rglob("*.md"))[0]


@pytest.mark.parametrize("builds", [2, 3])
def test_builds_started_together_leave_the_site_a_cold_build_makes(site, builds, tmp_path):
    content, output = site
    for round_ in range(2):  # repeated: the order the builds take the lock differs between runs
        edit(_article(content), "\ntitle: ", f"\ntitle: Vòng {round_} – ")
        # All start while the lock is held, so every one waits (an edit of this small site is over before a
        # second interpreter starts: started freely, they did not always meet); which goes next is the kernel's.
        logs = [tmp_path / f"build-{round_}-{i}.err" for i in range(builds)]
        with BuildLock(output), contextlib.ExitStack() as files:
            processes = [subprocess.Popen(build_command(content, output), cwd=ROOT, stdout=subprocess.DEVNULL,
                                          stderr=files.enter_context(log.open("w")), text=True) for log in logs]
            deadline = time.monotonic() + 120
            while not all("Đang chờ một lần dựng khác" in log.read_text(encoding="utf-8") for log in logs):
                assert time.monotonic() < deadline and all(p.poll() is None for p in processes), \
                    [log.read_text(encoding="utf-8")[-1500:] for log in logs]
                time.sleep(0.05)
        codes = [p.wait(timeout=300) for p in processes]
        errs = [log.read_text(encoding="utf-8") for log in logs]
        assert codes == [0] * builds, [err[-1500:] for err in errs]
        assert all(f"ghi xong vào {output}" in err and "tiến trình " in err for err in errs)
        assert_equal_to_cold(content, output, f"{builds}-{round_}")
    assert not (output.parent / f".{output.name}.staging").exists()


def test_an_honour_listing_follows_its_article_title(site):
    """A cluster's timeline lists its members' honours with the article's title: an edit reaches it."""
    content, output = site
    edit(content / "articles/2024/dak-lak-nhan-co-thi-dua.md", "\ntitle: ", "\ntitle: Đã sửa – ")
    result = run_build(content, output)
    assert result.returncode == 0 and "dựng phần thay đổi" in result.stdout, result.stderr[-2000:]
    assert "Đã sửa – " in (output / "cum-khoi-thi-dua/cum-tay-nguyen/index.html").read_text(encoding="utf-8")
    assert_equal_to_cold(content, output, "title")


def test_no_wait_fails_at_once_naming_the_holder(site):
    content, output = site
    edit(_article(content), "\ntitle: ", "\ntitle: Sửa – ")
    before = snapshot(output)
    with BuildLock(output):
        started = time.perf_counter()
        result = subprocess.run(build_command(content, output, "--no-wait"), cwd=ROOT, capture_output=True, text=True,
                                timeout=120)
        assert time.perf_counter() - started < 30
    assert result.returncode == 1
    assert f"tiến trình {os.getpid()}" in result.stderr and "--no-wait" in result.stderr, result.stderr
    assert snapshot(output) == before
    assert lock_path(output).read_text(encoding="utf-8") == ""  # released: nobody named as holder


def test_the_children_of_a_killed_build_do_not_keep_the_lock(tmp_path):
    """A child forked while the lock is held shares its descriptor, and with it the lock. A build that holds it
    forks a child that would run for a minute (as the check of the live files can, at the lowest priority on a
    busy machine) and is killed: the child dies with it, and the next build takes the lock at once."""
    output = tmp_path / "output"
    script = (f"import os, sys, time\nsys.path.insert(0, {str(ROOT / 'plugins')!r})\n"
              "from pathlib import Path\nfrom portal.lock import BuildLock\n"
              f"with BuildLock(Path({str(output)!r})):\n"
              "    child = os.fork()\n"
              "    if child == 0:\n"
              "        time.sleep(60)\n"
              "        os._exit(0)\n"
              "    print(child, flush=True)\n"
              "    time.sleep(60)\n")
    holder = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    child = int(holder.stdout.readline())
    holder.kill()
    holder.wait()
    deadline = time.monotonic() + 10
    while True:
        try:
            with BuildLock(output, wait=False):
                break
        except BuildBusy:
            assert time.monotonic() < deadline, f"the killed build's child {child} still holds the lock"
            time.sleep(0.05)


def test_a_killed_build_releases_the_lock(site, tmp_path):
    content, output = site
    edit(_article(content), "\ntitle: ", "\ntitle: Bị ngắt – ")
    scratch = tmp_path / "scratch"  # a killed build cannot remove its scratch folders: keep them out of /tmp
    scratch.mkdir()
    process = _start(content, output, "--full", env={**os.environ, "TMPDIR": str(scratch)})
    deadline = time.monotonic() + 60
    while not lock_path(output).exists() or not lock_path(output).read_text(encoding="utf-8"):
        assert time.monotonic() < deadline and process.poll() is None, "the build never took the lock"
        time.sleep(0.02)
    time.sleep(0.5)  # well into the build
    process.send_signal(signal.SIGKILL)
    process.wait()
    result = subprocess.run(build_command(content, output, "--no-wait"), cwd=ROOT, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert_equal_to_cold(content, output, "killed")


def test_a_site_damaged_from_outside_is_repaired_by_the_next_build(site):
    content, output = site
    page = next(p for p in sorted((output / "tin-tuc").rglob("index.html")) if p.with_name("index.html.gz").exists())
    (output / "robots.txt").unlink()
    shutil.rmtree(output / "admin")
    (output / "sitemap.xml").unlink()
    page.with_name("index.html.gz").unlink()
    page.write_text(page.read_text(encoding="utf-8")[:100], encoding="utf-8")  # truncated
    result = run_build(content, output)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "dựng phần thay đổi" in result.stdout  # nothing of the content changed: still incremental
    assert_equal_to_cold(content, output, "damaged")


def test_the_state_records_every_file_of_the_site_with_its_size(site):
    """What the damage check compares the live site with: every file, the .gz/.br copies included, as made by a
    cold build, and by a full build over the live site (which carries the unchanged files' copies over instead of
    compressing them again)."""
    content, output = site
    for full in (False, True):
        if full:
            edit(_article(content), "\n---\n", "\n---\nMột câu mới.\n")
            result = run_build(content, output, full=True)
            assert result.returncode == 0, result.stderr[-2000:]
        on_disk = {p.relative_to(output).as_posix(): p.lstat().st_size
                   for p in output.rglob("*") if p.is_symlink() or p.is_file()}
        assert any(name.endswith(".br") for name in on_disk) and any(name.endswith(".gz") for name in on_disk)
        assert build_state(output).sizes == on_disk
    result = run_build(content, output)
    assert result.returncode == 0 and "0 trang" in result.stdout  # nothing seen as damaged, nothing made again


def test_a_cache_restored_into_a_fresh_clone_rebuilds_nothing(site, tmp_path):
    """CI: output/ and the build cache restored beside a fresh clone: the same bytes, every file time new."""
    content, output = site
    saved = tmp_path / "saved"
    for folder in (content, output, output.parent / f".{output.name}.cache"):  # the runner's path stays the same
        shutil.move(folder, saved / folder.name)
        time.sleep(0.01)
        shutil.copytree(saved / folder.name, folder, copy_function=shutil.copyfile)
    result = run_build(content, output)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "dựng phần thay đổi: 0 trang" in result.stdout, result.stdout
    assert_equal_to_cold(content, output, "restored")


def _limited(limit: int):
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


def _untouched(output: Path, before: dict[str, str], state: bytes) -> None:
    assert snapshot(output) == before
    cache = output.parent / f".{output.name}.cache"
    assert (cache / "state.pickle").read_bytes() == state
    assert not list(cache.glob("state.pickle.*")), "no pending or set-aside state is left"
    assert not (output.parent / f".{output.name}.staging").exists()


@pytest.mark.parametrize("full", [False, True])
def test_a_file_size_limit_fails_cleanly_and_keeps_the_old_site(site, full):
    """A full build fails in Pagefind (its WebAssembly, 68 KB, for bundle 0's scripts); an edit build, which writes
    its search bundle itself in files of a few KB, fails on the theme's style sheet (29 KB)."""
    content, output = site
    edit(_article(content), "\ntitle: ", "\ntitle: Đĩa đầy – ")
    before, state = snapshot(output), (output.parent / f".{output.name}.cache" / "state.pickle").read_bytes()
    extra = ("--full",) if full else ()
    process = _start(content, output, *extra, preexec_fn=_limited((64 if full else 24) * 1024))
    _, err = process.communicate(timeout=300)
    assert process.returncode == 1, err[-2000:]
    assert "vượt giới hạn kích thước tệp" in err and "Cần ít nhất khoảng" in err, err[-2000:]
    assert "Trang cũ" in err
    _untouched(output, before, state)
    result = run_build(content, output)  # the limit lifted: the same build goes through
    assert result.returncode == 0, result.stderr[-2000:]
    assert_equal_to_cold(content, output, "after-limit")


def _immutable(path: Path, on: bool) -> bool:
    return shutil.which("chattr") is not None and subprocess.run(
        ["chattr", "+i" if on else "-i", str(path)], capture_output=True).returncode == 0


@pytest.mark.parametrize("full", [False, True])
def test_a_read_only_output_fails_cleanly(site, full):
    """chattr +i stops root too (permission bits do not): the output folder refuses every change."""
    content, output = site
    edit(_article(content), "\ntitle: ", "\ntitle: Chỉ đọc – ")
    before, state = snapshot(output), (output.parent / f".{output.name}.cache" / "state.pickle").read_bytes()
    if not _immutable(output, True):
        pytest.skip("chattr +i is not available on this file system")
    try:
        result = run_build(content, output, full=full)
    finally:
        _immutable(output, False)
    assert result.returncode == 1, result.stdout[-1000:]
    assert "hệ thống không cho phép ghi" in result.stderr or "không có quyền ghi" in result.stderr, result.stderr
    _untouched(output, before, state)


def test_a_full_disk_fails_cleanly(site, tmp_path):
    """A real file system that fills up: a tmpfs just large enough for the old site."""
    content, output = site
    disk = tmp_path / "disk"
    disk.mkdir()
    cache = output.parent / f".{output.name}.cache"
    size = sum(-(-p.stat().st_size // 4096) * 4096 + 4096 for root in (output, cache) for p in root.rglob("*"))
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size + 512 * 1024}", "tmpfs", str(disk)],
                             capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (not root)")
    try:
        small = disk / "output"
        shutil.copytree(output, small)
        shutil.copytree(cache, disk / f".{small.name}.cache")
        edit(_article(content), "\ntitle: ", "\ntitle: Đĩa đầy thật – ")
        before, state = snapshot(small), (disk / f".{small.name}.cache" / "state.pickle").read_bytes()
        result = run_build(content, small, full=True)
        assert result.returncode == 1, result.stdout[-1000:]
        assert "ổ đĩa đã đầy" in result.stderr and "còn trống" in result.stderr, result.stderr[-2000:]
        _untouched(small, before, state)
    finally:
        subprocess.run(["umount", str(disk)], capture_output=True)


_BROKEN = """
import sys, tempfile, time
tempfile.tempdir = sys.argv[1]  # where Indexing makes its scratch folder
from portal import search
from portal.incremental import PortalWriter
def broken(self, *args, **kwargs):
    raise RuntimeError("trang hỏng")
if sys.argv[5] == "render":  # pages fail to render: Pagefind has started on the bundles
    PortalWriter.flush = broken
else:  # Pelican's article pages fail to queue while the bundles are still being cut beside it
    plan = search.plan
    search.plan = lambda graph, *rest: (time.sleep(120), plan(graph, *rest))[1]
    PortalWriter.write_file = broken
from portal.build import build
result = build(sys.argv[2], output=sys.argv[3], content=sys.argv[4], full=True, jobs=2)
print(result.ok, result.message)
"""


@pytest.mark.parametrize("where", ["queue", "render"])
def test_a_build_that_fails_beside_its_search_step_leaves_nothing_running(site, tmp_path, where):
    """The search step forks once the graph is joined: it cuts the bundles beside Pelican's page queueing, then
    runs Pagefind beside the rendering; a failure at either point stops it (no process left, no scratch folder)."""
    content, output = site
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    log = tmp_path / "build.log"  # a file, not a pipe: a process left behind must not hold up the wait
    with log.open("w") as out:
        subprocess.run([sys.executable, "-c", _BROKEN, str(scratch), str(ROOT / "pelicanconf.py"), str(output),
                        str(content), where], cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, timeout=300)
    said = log.read_text(encoding="utf-8")
    assert "False" in said and "trang hỏng" in said, said[-2000:]
    assert list(scratch.iterdir()) == []  # the runner's folder is gone: cancel ran
    left = []  # the runner and the forked process carry the scratch folder in their command line
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if str(scratch) in cmdline.read_text(errors="replace"):
                left.append(cmdline.parent.name)
        except OSError:  # a process that ended while being read
            continue
    assert left == []
