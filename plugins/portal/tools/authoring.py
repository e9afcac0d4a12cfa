"""Editors' commands: create a content file, check all content, apply safe fixes.

``new`` writes a file whose commented front matter is generated from the
schema (so the template cannot drift from the content model); ``check`` runs
the same reading and validation as the build, without writing a site, and
adds what only a checker needs: exemplars that look like duplicates. ``fix``
applies only changes that cannot alter meaning: NFC, Ð → Đ, a BOM, CRLF line
ends, trailing spaces in front matter.
"""

from __future__ import annotations

import json
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from ..problems import WARNING, Problem
from ..records import RecordSet
from ..fields import Field, ListOf
from ..schema import KINDS
from ..vietnamese import nfc, slugify

__all__ = ["NEW_KINDS", "check", "duplicate_exemplars", "fix_file", "new"]

NEW_KINDS = {"article": "articles", "page": "pages", "campaign": "campaigns", "cluster": "clusters",
             "award": "awards", "exemplar": "exemplars", "province": "provinces"}


def _line(field: Field, value: str | None = None) -> str:
    """One front-matter line, commented out unless the field is required or given a value."""
    hint = field.label
    if field.choices:
        hint += ": " + field.explain()
    if field.ref:
        hint += " (slug trong " + ", ".join(f"content/{KINDS[k].folder}/" for k in field.ref) + ")"
    if value is None:
        example = field.type.sample_value(field)
        return f"# {field.name}: {example}".rstrip() + f"   # {hint}"
    return f"{field.name}: {value}   # {hint}"


def template(kind: str, name: str, now: datetime) -> str:
    """The commented front matter and body of a new file of ``kind``."""
    spec = KINDS[kind]
    given = {spec.identifier: json.dumps(name, ensure_ascii=False)}
    if kind == "articles":
        given.update(date=now.strftime("%Y-%m-%d %H:%M"), status="draft")
    lines = ["---"]
    for field in spec.fields:
        if field.name in given:
            lines.append(_line(field, given[field.name]))
        elif isinstance(field.type, ListOf):
            lines.append(f"# {field.name}:   # {field.label}, mỗi mục một dòng '- ', xem docs/content-model.md")
            lines += ["# " + line for line in field.type.example_lines(KINDS)]
        elif field.required:  # left empty on purpose: the build names it until the editor fills it in
            lines.append(_line(field, "").replace(f"{field.name}:    #", f"{field.name}:   # bắt buộc:"))
        else:
            lines.append(_line(field))
    lines.append("---")
    body = "Viết nội dung ở đây (Markdown)." if kind in ("articles", "pages") else "Mô tả ngắn."
    if kind == "articles":
        lines.append("# Bài đang ở trạng thái nháp: đổi 'status: draft' thành 'status: published' khi sẵn sàng.")
    return "\n".join(lines) + "\n" + body + "\n"


def new(content: Path, kind_name: str, name: str, now: datetime | None = None) -> Path:
    """Write a new file for ``name`` and return its path; never overwrites a file."""
    if kind_name not in NEW_KINDS:
        raise ValueError(f"không có loại '{kind_name}'; chọn một trong: {', '.join(NEW_KINDS)}")
    name = nfc(name).strip()
    base = slugify(name)
    if not base:
        raise ValueError(f"tên '{name}' không tạo được slug: hãy dùng chữ hoặc số")
    kind = NEW_KINDS[kind_name]
    now = now or datetime.now(ZoneInfo("Asia/Ho_Chi_Minh"))
    folder = content / KINDS[kind].folder
    if kind == "articles":
        folder = folder / str(now.year)
    taken = {p.stem for p in (content / KINDS[kind].folder).rglob("*.md")}
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    path = folder / f"{slug}.md"
    folder.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as handle:  # "x": fail rather than overwrite
        handle.write(template(kind, name, now))
    return path


def duplicate_exemplars(records: RecordSet) -> list[Problem]:
    """Exemplars with the same folded name in the same province: probably one person twice."""
    groups: dict[tuple[str, str], list] = defaultdict(list)
    for record in records.all("exemplars"):
        groups[(slugify(record.name), record.province or "")].append(record)
    problems = []
    for (_, province), group in groups.items():
        if len(group) < 2:
            continue
        for record in group:
            others = ", ".join(o.path for o in group if o is not record)
            problems.append(Problem(
                record.path, record.lines.get("name"), "name",
                f"'{record.name}' có vẻ trùng với {others} (cùng tên khi bỏ dấu, cùng tỉnh '{province or '?'}')",
                "nếu là một người/đơn vị, gộp hai tệp và ghi slug cũ vào 'aliases'; nếu khác, ghi rõ đơn vị "
                "hoặc chức vụ để phân biệt", WARNING))
    return problems


@dataclass
class CheckResult:
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity != WARNING]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]


def check(settings_file: str, content: str | None = None) -> CheckResult:
    """Read and validate everything the build would, without writing a site."""
    import tempfile

    from pelican.settings import read_settings

    from ..generator import join, read_context

    with tempfile.TemporaryDirectory(prefix="portal-check-") as scratch:
        override = {"OUTPUT_PATH": scratch, **({"PATH": str(Path(content).resolve())} if content else {})}
        settings = read_settings(settings_file, override=override)
        context = read_context(settings, scratch, ("ArticlesGenerator", "PagesGenerator"))
        graph, problems = join(context, settings)
        problems.extend(duplicate_exemplars(graph.records))
    return CheckResult(sorted(set(problems), key=lambda p: (p.path, p.line or 0, p.field)))


def fix_file(path: Path) -> list[str]:
    """Apply the safe fixes to one file in place; return what changed (Vietnamese, for editors)."""
    raw = path.read_bytes()
    text = raw.decode("utf-8")
    changes = []
    if text.startswith("\ufeff"):
        text = text[1:]
        changes.append("bỏ ký tự BOM ở đầu tệp")
    if "\r\n" in text:
        text = text.replace("\r\n", "\n")
        changes.append("đổi xuống dòng CRLF thành LF")
    if "\u00d0" in text or "\u00f0" in text:
        changes.append("đổi chữ Ð (eth) thành Đ")
    if unicodedata.normalize("NFC", text) != text:
        changes.append("chuẩn hoá Unicode về dạng dựng sẵn (NFC)")
    text = nfc(text)
    lines = text.split("\n")
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
        if end is not None:
            stripped = [ln.rstrip() for ln in lines[: end + 1]]
            if stripped != lines[: end + 1]:
                changes.append("bỏ khoảng trắng thừa cuối dòng trong phần thông tin")
                lines[: end + 1] = stripped
    text = "\n".join(lines)
    if changes:
        path.write_text(text, encoding="utf-8")
    return list(dict.fromkeys(changes))
