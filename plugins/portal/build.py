"""Build the site atomically: into a fresh directory, swapped in on success.

A failed build (bad content, a template error, any error logged by Pelican,
or in strict mode any warning) leaves the previous site untouched and
serving. The exit code is non-zero and the report names file, line and field.
"""

from __future__ import annotations

import logging
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from pelican import Pelican
from pelican.log import init as init_logging
from pelican.settings import read_settings

from . import serving
from .problems import ContentError

__all__ = ["BuildResult", "build"]


class _Counter(logging.Handler):
    """Counts warnings and errors logged during a build."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def count(self, level: int) -> int:
        return sum(1 for r in self.records if r.levelno == level)


@dataclass
class BuildResult:
    ok: bool
    seconds: float
    pages: int
    warnings: int
    errors: int
    message: str = ""


def _swap(staging: Path, output: Path) -> None:
    old = output.parent / f".{output.name}.old"
    shutil.rmtree(old, ignore_errors=True)
    if output.exists():
        output.rename(old)
    staging.rename(output)
    shutil.rmtree(old, ignore_errors=True)


def build(settings_file: str = "pelicanconf.py", output: str | None = None, strict: bool | None = None,
          content: str | None = None) -> BuildResult:
    """Build into a staging directory and swap it in; never leave a half-written site."""
    started = time.perf_counter()
    settings = read_settings(settings_file, override={"PATH": str(Path(content).resolve())} if content else None)
    target = Path(output or settings["OUTPUT_PATH"]).resolve()
    staging = target.parent / f".{target.name}.staging"
    shutil.rmtree(staging, ignore_errors=True)
    settings["OUTPUT_PATH"] = str(staging)
    if strict is not None:
        settings["PORTAL"] = {**settings.get("PORTAL", {}), "strict": strict}
    strict = bool(settings.get("PORTAL", {}).get("strict"))

    # Plain lines on stderr: editors read them, and long paths must not be wrapped.
    init_logging(level=logging.WARNING, handler=logging.StreamHandler(sys.stderr))
    counter = _Counter()
    logging.getLogger().addHandler(counter)
    message = ""
    try:
        Pelican(settings).run()
    except ContentError as exc:
        message = str(exc)
    except Exception as exc:  # a template or plugin failure must not leave a half site
        message = f"Dựng trang thất bại: {exc.__class__.__name__}: {exc}"
    finally:
        logging.getLogger().removeHandler(counter)
    errors, warnings = counter.count(logging.ERROR) + counter.count(logging.CRITICAL), counter.count(logging.WARNING)
    if not message and errors:
        message = f"Dựng trang thất bại: {errors} lỗi (xem thông báo ở trên)."
    if not message and strict and warnings:
        message = f"Chế độ nghiêm ngặt: {warnings} cảnh báo được tính là lỗi (xem thông báo ở trên)."
    if not message:
        try:  # nginx's redirect map and the .gz/.br copies, written before the swap (deploy/nginx.conf)
            serving.prepare(staging)
        except Exception as exc:
            message = f"Nén sẵn / bản đồ chuyển hướng thất bại: {exc.__class__.__name__}: {exc}"
    if message:
        shutil.rmtree(staging, ignore_errors=True)
        return BuildResult(False, time.perf_counter() - started, 0, warnings, errors, message)
    pages = sum(1 for _ in staging.rglob("*.html"))
    _swap(staging, target)
    return BuildResult(True, time.perf_counter() - started, pages, warnings, errors)


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m portal", description="Dựng cổng thông tin thi đua.")
    parser.add_argument("command", choices=["build"])
    parser.add_argument("-s", "--settings", default="pelicanconf.py")
    parser.add_argument("-o", "--output", default=None)
    parser.add_argument("-c", "--content", default=None)
    parser.add_argument("--strict", action="store_true", default=None, help="cảnh báo cũng là lỗi")
    args = parser.parse_args(argv)
    result = build(args.settings, args.output, args.strict, args.content)
    if not result.ok:
        print(result.message, file=sys.stderr)
        print("Trang cũ (nếu có) được giữ nguyên.", file=sys.stderr)
        return 1
    print(f"Đã dựng {result.pages} trang HTML trong {result.seconds:.1f} giây "
          f"({result.warnings} cảnh báo).")
    return 0
