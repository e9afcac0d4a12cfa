"""Publishing to a server with rsync (over ssh, or to an rsync daemon), in the same safe order as S3.

Three runs of rsync, comparing by content (``--checksum``), never by date:

1. every file but the pages (assets, photos, search index, open data), with their .gz/.br copies;
2. the pages, feeds, sitemap, robots.txt and nginx's redirect map;
3. the deletes: a ``--delete`` run that sends nothing (``--existing --ignore-existing``), counted first
   with ``--dry-run`` so that more than ``max_deletes`` are held back unless confirmed.

The .gz/.br copies and ``nginx-redirects.map`` arrive as the build wrote them, so deploy/nginx.conf keeps
working on the result (``nginx -s reload`` after a deploy that changed aliases). rsync writes each file
to a temporary name and renames it, so a reader never gets half a file; a run cut short leaves the
pages of the previous deploy, whose files are all still there, and running it again finishes it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .config import DeployConfig, RsyncTarget
from .errors import EXIT_CONFIG, EXIT_DELETES_HELD, DeployError
from .local import MAP_NAME, check_complete
from .plan import human_size

__all__ = ["PAGE_PATTERNS", "RsyncReport", "commands", "deploy"]

# Files of step 2 (rsync patterns): what names the other files, so it goes online after them.
PAGE_PATTERNS = ("*.html", "atom.xml", "/sitemap*.xml", "/robots.txt", f"/{MAP_NAME}")
HIDDEN = ("--include=.well-known/", "--exclude=.*")  # hidden files are neither sent nor deleted
_ITEM = re.compile(r"^(?:[<>ch.][fdLDS][^ ]{9}|\*deleting  ) (.*)$")
_MESSAGES = {
    1: "rsync từ chối lệnh (sai cú pháp, hoặc máy chủ không cho ghi: module chỉ đọc)",
    3: "rsync không mở được thư mục (đích không tồn tại hoặc không có quyền)",
    5: "rsync không mở được phiên làm việc với máy chủ (module không có, sai mật khẩu hoặc bị từ chối)",
    10: "không kết nối được tới máy chủ rsync (sai địa chỉ, cổng, hoặc máy chủ không chạy)",
    11: "máy chủ không ghi được tệp (đĩa đầy hoặc không có quyền ghi)",
    12: "kết nối với máy chủ bị gián đoạn khi đang gửi (thường do đĩa máy chủ đầy)",
    23: "một số tệp không được chuyển (đĩa máy chủ đầy, không có quyền ghi, hoặc tên tệp bị từ chối)",
    30: "máy chủ không trả lời (hết thời gian chờ)",
    35: "máy chủ không trả lời (hết thời gian chờ kết nối)",
    255: "ssh không kết nối được tới máy chủ (sai địa chỉ, khoá ssh hoặc quyền)",
}


@dataclass
class RsyncReport:
    """What each step sent and what was deleted (or, dry, would be)."""

    target: str
    sent: list[str] = field(default_factory=list)  # files whose bytes were (or would be) sent
    deleted: list[str] = field(default_factory=list)
    held: list[str] = field(default_factory=list)  # deletes above max_deletes, not made
    dry_run: bool = False


def _binary() -> str:
    found = shutil.which("rsync")
    if found is None:
        raise DeployError("Chưa cài rsync trên máy này: apt-get install -y rsync.", EXIT_CONFIG)
    return found


def commands(output: Path, config: DeployConfig, target: RsyncTarget, dry_run: bool) -> dict[str, list[str]]:
    """The three rsync command lines: "assets", "pages", "deletes" (the last always without --dry-run:
    the caller runs it dry first to count)."""
    source = str(Path(output)) + "/"
    common = [_binary(), "--recursive", "--copy-links", "--itemize-changes", "--8-bit-output", "--protect-args",
              "--timeout=120"]
    if target.daemon:
        common.append("--contimeout=20")
    if config.ssh and not target.daemon and target.remote:
        common += ["--rsh", config.ssh]
    send = [*common, "--times", "--checksum", "--mkpath", "--prune-empty-dirs", *(["--dry-run"] if dry_run else [])]
    pages = [f"--include={pattern}{suffix}" for pattern in PAGE_PATTERNS for suffix in ("", ".gz", ".br")]
    return {
        "assets": [*send, *HIDDEN, *[p.replace("--include=", "--exclude=", 1) for p in pages],
                   source, target.destination],
        "pages": [*send, *HIDDEN, "--include=*/", *pages, "--exclude=*", source, target.destination],
        "deletes": [*common, "--delete", "--existing", "--ignore-existing", *HIDDEN, source, target.destination],
    }


def _run(name: str, cmd: list[str]) -> list[tuple[bool, str]]:
    """Run one step; (is_delete, path) of every file it sent or deleted; a ``DeployError`` if rsync fails."""
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, errors="surrogateescape", check=False)
    except OSError as exc:
        raise DeployError(f"Không chạy được rsync: {exc}.") from exc
    if proc.returncode not in (0, 24):  # 24: a source file vanished (a build running meanwhile): still complete
        what = _MESSAGES.get(proc.returncode, "rsync thất bại")
        if "read only" in proc.stderr or "read-only" in proc.stderr.lower():
            what = "máy chủ chỉ cho đọc (module read only hoặc hệ thống tệp chỉ đọc)"
        step = {"assets": "bước 1 (tệp tĩnh, ảnh, chỉ mục tìm kiếm): chưa trang nào được thay",
                "pages": "bước 2 (trang HTML): mọi tệp các trang mới cần đã có trên máy chủ",
                "deletes": "bước 3 (xoá tệp cũ): mọi tệp mới đã lên"}[name]
        tail = " | ".join(line.strip() for line in proc.stderr.strip().splitlines()[-3:])
        raise DeployError(f"Xuất bản bằng rsync thất bại ở {step}. Lỗi: {what} (mã {proc.returncode}). "
                          f"Chưa xoá tệp nào; bạn đọc vẫn thấy các trang đang có. Sửa lỗi rồi chạy lại để hoàn tất. "
                          f"rsync: {tail}")
    found = []
    for line in proc.stdout.splitlines():
        match = _ITEM.match(line)
        if not match:
            continue
        if line.startswith("*deleting"):
            found.append((True, match.group(1)))
        elif line[0] in "<>" and line[1] == "f":
            found.append((False, match.group(1)))
    return found


def deploy(output: Path, config: DeployConfig, target: RsyncTarget, *, dry_run: bool = False,
           confirm: bool = False, say: Callable[[str], None] = print) -> RsyncReport:
    """Publish ``output`` with rsync; a ``DeployError`` on any fault (nothing is deleted then)."""
    output = Path(output)
    check_complete(output)
    cmds = commands(output, config, target, dry_run)
    report = RsyncReport(str(target), dry_run=dry_run)
    for step in ("assets", "pages"):
        report.sent += [path for is_delete, path in _run(step, cmds[step]) if not is_delete]
    counted = [path for is_delete, path in _run("deletes", [*cmds["deletes"][:-2], "--dry-run", *cmds["deletes"][-2:]]) if is_delete and not path.endswith("/")]
    size = sum((output / rel).stat().st_size for rel in report.sent if (output / rel).is_file())
    held = len(counted) > config.max_deletes and not confirm
    if dry_run:
        say(f"Kế hoạch (chạy thử, không thay đổi gì) cho {target}: gửi {len(report.sent)} tệp ({human_size(size)}), "
            f"xoá {len(counted)} tệp.")
        for path in report.sent[:500]:
            say(f"  gửi  {path}")
        for path in counted[:500]:
            say(f"  xoá  {path}")
        report.deleted = counted
        if held:
            say(f"Cần xoá {len(counted)} tệp, quá giới hạn --max-deletes={config.max_deletes}: khi chạy thật sẽ không "
                "xoá tệp nào nếu không có --confirm.")
        return report
    if held:
        report.held = counted
        raise DeployError(f"Đã gửi {len(report.sent)} tệp lên {target}, nhưng cần xoá {len(counted)} tệp, quá giới "
                          f"hạn --max-deletes={config.max_deletes}: không xoá tệp nào. Xem danh sách bằng --dry-run; "
                          "nếu đúng ý, chạy lại với --confirm.", EXIT_DELETES_HELD)
    if counted:
        report.deleted = [path for is_delete, path in _run("deletes", cmds["deletes"])
                          if is_delete and not path.endswith("/")]
    return report


def summary(report: RsyncReport) -> list[str]:
    if report.dry_run:
        return []
    return [f"Đã xuất bản lên {report.target} bằng rsync: gửi {len(report.sent)} tệp, xoá {len(report.deleted)} tệp."]

