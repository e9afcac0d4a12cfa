"""``python -m portal.tools.deploy`` (and ``invoke deploy``): read the settings, pick the target, publish.

Exit codes: 0 published (or planned, with ``--dry-run``); 1 the store or server failed (nothing
readers see was deleted); 2 wrong settings, or ``output/`` is not a complete build (nothing was
sent); 3 published, but the deletes were more than ``--max-deletes`` and none was made.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from ...lock import BuildLock
from .config import COMPRESSION_MODES, DeployConfig, RsyncTarget, S3Target, parse_target
from .errors import EXIT_CONFIG, DeployError

__all__ = ["main", "run"]


def load_settings(path: str) -> dict[str, Any]:
    """The upper-case names of a Pelican settings file (DEPLOY, OUTPUT_PATH), without Pelican's defaults."""
    if not Path(path).is_file():
        raise DeployError(f"Không có tệp cấu hình {path}.", EXIT_CONFIG)
    from pelican.settings import get_settings_from_file

    try:
        return dict(get_settings_from_file(str(Path(path).resolve())))
    except Exception as exc:  # a settings file is Python: any error
        raise DeployError(f"Không đọc được tệp cấu hình {path}: {exc.__class__.__name__}: {exc}", EXIT_CONFIG) from exc


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m portal.tools.deploy",
                                description="Xuất bản thư mục output/ đã dựng lên kho S3 hoặc máy chủ (rsync).")
    p.add_argument("-s", "--settings", default="publishconf.py", help="tệp cấu hình Pelican có DEPLOY = {...}")
    p.add_argument("-o", "--output", default=None, help="thư mục đã dựng (mặc định: OUTPUT_PATH, 'output')")
    p.add_argument("--target", default=None, help="s3://bucket/thu-muc, rsync://may/module/thu-muc, nguoi@may:/duong")
    p.add_argument("--prefix", default=None, help="tiền tố khoá S3 (thay tiền tố trong --target), hoặc thư mục con")
    p.add_argument("--workers", type=int, default=None, help="số tệp tải lên song song (mặc định 8)")
    p.add_argument("--max-deletes", type=int, default=None, help="quá số tệp cần xoá này thì không xoá (mặc định 256)")
    p.add_argument("--compression", choices=COMPRESSION_MODES, default=None, help="plain (mặc định) hoặc negotiate")
    p.add_argument("--website-redirects", action=argparse.BooleanOptionalAction, default=None,
                   help="bí danh thành đối tượng chuyển hướng 301 (S3 website)")
    p.add_argument("--dry-run", action="store_true", help="chỉ in kế hoạch, không thay đổi gì")
    p.add_argument("--force", action="store_true", help="tải lên mọi tệp (S3)")
    p.add_argument("--confirm", action="store_true", help="cho phép xoá quá --max-deletes")
    p.add_argument("--no-invalidate", action="store_true", help="không làm mới CDN")
    return p


def run(argv: list[str] | None = None, env: Mapping[str, str] | None = None, say: Callable[[str], None] = print,
        warn: Callable[[str], None] | None = None) -> int:
    """Parse, publish, print (``say``; a fault through ``warn``, stderr by default); return the exit code."""
    args = parser().parse_args(argv)
    try:
        settings = load_settings(args.settings)
        config = DeployConfig.load(settings, os.environ if env is None else env, target=args.target,
                                   workers=args.workers, max_deletes=args.max_deletes, compression=args.compression,
                                   website_redirects=args.website_redirects)
        target = parse_target(config.target, args.prefix)
        output = Path(args.output or settings.get("OUTPUT_PATH") or "output")
        if not output.is_absolute() and not args.output:
            output = Path(args.settings).resolve().parent / output
        output = output.resolve()
        with BuildLock(output, say=say):  # a build of this output waits until the site is out, and vice versa
            _publish(args, config, target, output, say)
    except DeployError as exc:
        (warn or (lambda text: print(text, file=sys.stderr)))(f"lỗi: {exc.message}")
        return exc.code
    return 0


def _publish(args: argparse.Namespace, config: DeployConfig, target: S3Target | RsyncTarget, output: Path,
             say: Callable[[str], None]) -> None:
    if isinstance(target, S3Target):
        from . import s3

        try:
            report = s3.deploy(output, config, target, dry_run=args.dry_run, force=args.force,
                               confirm=args.confirm, invalidate=not args.no_invalidate, say=say)
        except s3.DeployHeld as held:
            for line in s3.summary(held.report):
                say(line)
            raise
        for line in s3.summary(report):
            say(line)
    else:
        from . import rsync

        if args.force:
            say("rsync luôn so sánh theo nội dung (--checksum): --force không cần thiết.")
        result = rsync.deploy(output, config, target, dry_run=args.dry_run, confirm=args.confirm, say=say)
        for line in rsync.summary(result):
            say(line)


def main(argv: list[str] | None = None) -> int:
    return run(argv)
