"""forked.remove_later: a folder is gone at once for whoever looks; a process of its own deletes its files. What
processes killed outright left is swept (forked.sweep, files.sweep_partials)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from portal import forked
from portal.files import sweep_partials
from portal.forked import remove_later, sweep
from support import ended_pid


def _files(root: Path, count: int) -> None:
    for i in range(count):
        (root / f"d{i % 7}").mkdir(parents=True, exist_ok=True)
        (root / f"d{i % 7}" / f"{i}.html").write_text("x", encoding="utf-8")


def test_a_folder_is_gone_at_once_and_its_files_soon_after(tmp_path):
    folder = tmp_path / ".output.staging"
    _files(folder, 200)
    remove_later(folder)
    assert not folder.exists()
    trash = [p for p in tmp_path.iterdir() if p.name.startswith(".output.staging.gone-")]
    assert len(trash) <= 1 and all(p.name.startswith(f".output.staging.gone-{os.getpid()}-") for p in trash)
    assert forked._REMOVERS, "the removal runs in a process of its own"
    deadline = time.monotonic() + 30
    while list(tmp_path.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert list(tmp_path.iterdir()) == []
    # The same name again, while the last removal may still run: a new folder never meets an old trash.
    _files(folder, 3)
    remove_later(folder)
    remove_later(folder)  # nothing left to remove
    assert not folder.exists()


def _ended(pid: int) -> bool:
    """Whether a child has exited and waits to be reaped (a zombie), read without reaping it."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return True


def test_each_removal_is_reaped_by_a_later_one(tmp_path):
    for n in range(3):
        _files(tmp_path / f"f{n}", 2)
        remove_later(tmp_path / f"f{n}")
    started = list(forked._REMOVERS)
    deadline = time.monotonic() + 30
    while not all(_ended(pid) for pid in started) and time.monotonic() < deadline:
        time.sleep(0.01)
    _files(tmp_path / "last", 2)
    remove_later(tmp_path / "last")
    assert not set(started) & set(forked._REMOVERS)  # ended ones were waited for: no zombie is left behind


def test_what_a_killed_removal_left_is_swept_by_the_next_build(tmp_path):
    ended = ended_pid()
    left, ours = tmp_path / f".output.staging.gone-{ended}-0", tmp_path / f".output.staging.gone-{os.getpid()}-9"
    _files(left, 3)
    ours.mkdir()
    sweep(tmp_path, ".output.staging.gone-")
    assert not left.exists() and ours.is_dir()


def test_files_half_written_by_a_killed_process_are_swept_and_a_running_one_s_are_kept(tmp_path):
    ended = ended_pid()
    left = tmp_path / f"parsed-07.pickle.{ended}"
    ours = tmp_path / f"parsed-08.pickle.{os.getpid()}"
    kept = [tmp_path / "parsed-07.pickle", tmp_path / "state.pickle.pending", tmp_path / "derived.pickle"]
    for path in (left, ours, *kept):
        path.write_bytes(b"x")
    folder = tmp_path / f"templates-{ended}"  # a folder is never a half-written file
    folder.mkdir()
    sweep_partials(tmp_path)
    assert not left.exists()
    assert ours.exists() and folder.is_dir() and all(path.exists() for path in kept)
    sweep_partials(tmp_path / "not made yet")  # nothing to sweep, nothing raised
