"""Load every record file (``content/<kind>/<slug>.md``) into typed Records.

Bodies are rendered with one shared Markdown instance (reset per file):
building a new ``Markdown()`` per file costs about 10 % of a Pelican build.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import markdown

from . import frontmatter
from .cache import ParseCache
from .model import Record
from .problems import Problem
from .schema import KINDS, RECORD_KINDS, check_slug_filename, coerce

__all__ = ["RecordSet", "load_records", "MarkdownRenderer"]


class MarkdownRenderer:
    """One reusable Markdown converter with the site's extensions."""

    def __init__(self, settings: dict | None = None) -> None:
        config = dict((settings or {}).get("MARKDOWN", {}))
        configs = config.get("extension_configs", {})
        # As Pelican does: an extension named only in extension_configs is enabled too.
        names = dict.fromkeys([*config.get("extensions", []), *configs])
        extensions = [e for e in names if e != "markdown.extensions.meta"]
        self._md = markdown.Markdown(extensions=extensions, extension_configs=configs, output_format="html")

    def __call__(self, text: str) -> str:
        self._md.reset()
        return self._md.convert(text)


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
    """One record file as plain data (cacheable): a problem, or its fields, body, HTML and line numbers."""
    fm, problem = frontmatter.read(path, content)
    if problem:
        return ("problem", problem)
    assert fm is not None
    data, problems = coerce(KINDS[kind], fm)
    html = "" if any(p.severity == "error" for p in problems) else render(fm.body)
    return ("record", data, problems, fm.body, html, fm.lines)


def record_files(content: Path) -> list[tuple[str, Path]]:
    """Every record file under ``content`` with its kind, kind by kind."""
    files = []
    for kind_name in RECORD_KINDS:
        folder = content / KINDS[kind_name].folder
        files += [(kind_name, p) for p in sorted(folder.rglob("*.md"))] if folder.is_dir() else []
    return files


def load_records(content: Path, render: MarkdownRenderer, cache: ParseCache | None = None) -> RecordSet:
    """Read every record kind under ``content``; bad files become problems."""
    records = RecordSet(by_kind={kind_name: {} for kind_name in RECORD_KINDS})
    for kind_name, path in record_files(content):
        kind = KINDS[kind_name]
        found = records.by_kind[kind_name]
        rel = path.relative_to(content).as_posix()
        slug = path.stem
        bad_name = check_slug_filename(rel, slug)
        if bad_name:
            records.problems.append(bad_name)
            continue
        parsed = (cache.fetch(path, lambda p: parse_record(p, kind_name, content, render)) if cache is not None
                  else parse_record(path, kind_name, content, render))
        if parsed[0] == "problem":
            records.problems.append(parsed[1])
            continue
        _, data, problems, body, html, lines = parsed
        records.problems.extend(problems)
        if any(p.severity == "error" for p in problems):
            continue
        if slug in found:
            records.problems.append(Problem(
                rel, None, "slug", f"hai tệp {kind.label} cùng slug '{slug}' (tệp kia: {found[slug].path})",
                "mỗi bản ghi cần một slug riêng: đổi tên một trong hai tệp"))
            continue
        found[slug] = Record(kind_name, slug, rel, data, body, html, lines)
    return records
