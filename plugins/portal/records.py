"""Load every record file (``content/<kind>/<slug>.md``) into typed Records.

Bodies are rendered with one shared Markdown instance (reset per file):
building a new ``Markdown()`` per file costs about 10 % of a Pelican build.
A body is rendered in bounded time or refused with a problem: over
BODY_MAX_CHARS it is not rendered, its link scans are bounded
(markdown_guard), and what still runs past RENDER_MAX_SECONDS of CPU is
stopped (where a timer can be used: the main thread of a process).
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import markdown

from . import frontmatter
from .cache import ParseCache
from .limits import BODY_MAX_CHARS, RENDER_MAX_SECONDS, count
from .markdown_guard import GuardExtension
from .model import Record
from .problems import Problem
from .schema import KINDS, RECORD_KINDS, check_slug_filename, coerce
from .vietnamese import d_words, plain_text, sort_key

__all__ = ["RecordSet", "load_records", "MarkdownRenderer"]


class _Overtime(BaseException):
    """Raised by the CPU timer in a render past its budget (BaseException: no ``except Exception`` eats it)."""


@contextmanager
def _cpu_budget(seconds: float) -> Iterator[None]:
    """Raise :class:`_Overtime` once the process has spent ``seconds`` of CPU in the block.

    CPU time, not wall time: a loaded machine must not refuse a good file.
    Only in a main thread, and only when no one else uses the profiling timer;
    elsewhere the block runs unbounded (the bounded scans still hold).
    """
    usable = (threading.current_thread() is threading.main_thread()
              and signal.getsignal(signal.SIGPROF) in (signal.SIG_DFL, signal.SIG_IGN)
              and signal.getitimer(signal.ITIMER_PROF) == (0.0, 0.0))
    if not usable:
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise _Overtime

    previous = signal.signal(signal.SIGPROF, stop)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


class MarkdownRenderer:
    """One reusable Markdown converter with the site's extensions, in bounded time."""

    def __init__(self, settings: dict | None = None) -> None:
        config = dict((settings or {}).get("MARKDOWN", {}))
        configs = config.get("extension_configs", {})
        # As Pelican does: an extension named only in extension_configs is enabled too.
        names = dict.fromkeys([*config.get("extensions", []), *configs])
        self._extensions = [e for e in names if e != "markdown.extensions.meta"]
        self._configs = configs
        # Made at the first render: Pelican makes a reader per extension and generator (nine in a build), each with
        # one of these, and an edit build renders a few files; each converter took 1 ms to make.
        self._md: markdown.Markdown | None = None

    def _new(self) -> markdown.Markdown:
        return markdown.Markdown(extensions=[*self._extensions, GuardExtension()], extension_configs=self._configs,
                                 output_format="html")

    def render(self, body: str, path: str, line: int | None = None) -> tuple[str, Problem | None]:
        """The body's HTML, or "" and a problem when it is too long or too slow to render."""
        if len(body) > BODY_MAX_CHARS:
            return "", Problem(
                path, line, "nội dung",
                f"nội dung dài {count(len(body))} ký tự, quá giới hạn {count(BODY_MAX_CHARS)} ký tự",
                "chia thành nhiều bài, hoặc đưa phần phụ lục (bảng số liệu, văn bản gốc) thành tệp PDF "
                "trong 'documents'",
            )
        if self._md is None:
            self._md = self._new()
        self._md.reset()
        try:
            with _cpu_budget(RENDER_MAX_SECONDS):
                return self._md.convert(body), None
        except _Overtime:
            message = f"nội dung cần hơn {RENDER_MAX_SECONDS:g} giây để dựng thành trang (Markdown quá phức tạp)"
            fix = ("tìm chỗ có rất nhiều dấu '[', '(', '*', '`', '<' hoặc '\\' liền nhau (thường do dán nhầm hay "
                   "chép từ công cụ khác) và xoá chúng, hoặc chia văn bản dài thành nhiều đoạn")
        except RecursionError:
            message = ("nội dung lồng nhau quá sâu (danh sách, trích dẫn hay định nghĩa trong nhau hàng trăm tầng) "
                       "để dựng thành trang")
            fix = "tìm chỗ có rất nhiều dòng liền nhau bắt đầu bằng '>', ':' hay thụt lề và viết lại thành văn bản thường"
        self._md = None  # stopped anywhere: its state is not to be trusted
        return "", Problem(path, line, "nội dung", message, fix)


@dataclass
class RecordSet:
    """All records of a site, by kind and slug, with the problems met on reading."""

    by_kind: dict[str, dict[str, Record]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def get(self, kind: str, slug: str) -> Record | None:
        return self.by_kind.get(kind, {}).get(slug)

    def all(self, kind: str) -> list[Record]:
        return list(self.by_kind.get(kind, {}).values())


def parse_record(path: Path, kind: str, content: Path, render: MarkdownRenderer) -> tuple:
    """One record file as plain data (cacheable): a problem, or its fields, body, HTML, line numbers, its
    body as plain text with that text's đ-words (the search index's), and its name's collation key."""
    fm, problem = frontmatter.read(path, content)
    if problem:
        return ("problem", problem)
    assert fm is not None
    data, problems = coerce(KINDS[kind], fm)
    html = ""
    if not any(p.severity == "error" for p in problems):
        html, refused = render.render(fm.body, fm.path, fm.body_line)
        problems += [refused] if refused else []
    plain = plain_text(html)
    return ("record", data, problems, fm.body, html, fm.lines, plain, d_words(plain),
            sort_key(data.get("name", "")))


def record_files(content: Path, walk: Iterable[str] | None = None) -> list[tuple[str, str]]:
    """Every record file under ``content`` (its absolute path) with its kind, kind by kind, each kind's in path order.

    ``walk``: the build's list of every content file (absolute paths below ``content``, incremental.content_files),
    read instead of searching the folders again (twice a build, 8 ms each at 1,400 records); without it, the content
    folder is walked the same way (linked folders followed, as Pelican follows them for articles). A kind's folder
    is one name below ``content`` (schema.KINDS): a file's first folder names its kind, in one pass over the walk
    with plain strings (2 ms instead of 8, and no Path per record).
    """
    from .incremental import content_files  # the build's walk; local: the incremental package reads records

    root = str(content) + os.sep
    by_folder = {KINDS[kind_name].folder: kind_name for kind_name in RECORD_KINDS}
    found: dict[str, list[str]] = {kind_name: [] for kind_name in RECORD_KINDS}
    paths = walk if walk is not None else content_files({"PATH": str(content)})
    for path in paths:
        if path.endswith(".md") and path.startswith(root):
            folder, below, _ = path[len(root):].partition(os.sep)
            kind_name = by_folder.get(folder)
            if kind_name is not None and below:
                found[kind_name].append(path)
    return [(kind_name, path) for kind_name in RECORD_KINDS for path in sorted(found[kind_name], key=_parts)]


def _parts(path: str) -> list[str]:
    return path.split(os.sep)  # as paths sort: part by part ("a/b" before "a-b/c")


def load_records(content: Path, render: MarkdownRenderer, cache: ParseCache | None = None,
                 walk: Iterable[str] | None = None) -> RecordSet:
    """Read every record kind under ``content``; bad files become problems. ``walk``: see :func:`record_files`."""
    records = RecordSet(by_kind={kind_name: {} for kind_name in RECORD_KINDS})
    skip = len(str(content)) + 1
    for kind_name, path in record_files(content, walk):
        kind = KINDS[kind_name]
        found = records.by_kind[kind_name]
        rel = path[skip:].replace(os.sep, "/")
        slug = os.path.basename(path)[:-3]  # the name without ".md"
        bad_name = check_slug_filename(rel, slug)
        if bad_name:
            records.problems.append(bad_name)
            continue
        parsed = (cache.fetch(path, lambda p: parse_record(Path(p), kind_name, content, render)) if cache is not None
                  else parse_record(Path(path), kind_name, content, render))
        if parsed[0] == "problem":
            records.problems.append(parsed[1])
            continue
        _, data, problems, body, html, lines, plain, kd, collation = parsed
        records.problems.extend(problems)
        if any(p.severity == "error" for p in problems):
            continue
        if slug in found:
            records.problems.append(Problem(
                rel, None, "slug", f"hai tệp {kind.label} cùng slug '{slug}' (tệp kia: {found[slug].path})",
                "mỗi bản ghi cần một slug riêng: đổi tên một trong hai tệp"))
            continue
        found[slug] = Record(kind_name, slug, rel, data, body, html, lines, plain, kd, sort_key=collation)
    return records
